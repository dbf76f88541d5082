"""Benchmark: the main job (`symcrit reproduce`) and the start-up of the CLI, each against a
baseline measured in the same run on the same machine.

Rows (wall-clock and CPU seconds of the child process, its children included):
  * `python -c "import sympy, mpmath, flint"`    baseline: the libraries symcrit stands on
  * `symcrit families`                          the CLI's start-up plus the catalogue listing
  * `python bench/bench_solve.py`-sized workload  calibration: five families at k = 6..20, 100 digits
                                                (a fixed amount of work, to compare machines)
  * `symcrit reproduce --quick`                 the smoke test of the main job
  * `symcrit reproduce --atlas DIR`             the main job, its Safran–Shamir claim reading the
                                                campaigns of a finished atlas run (with --atlas DIR)
  * `symcrit reproduce`                         the main job with its own campaigns (--full only)

Run:  python bench/bench_main.py [--atlas DIR] [--full] [--skip-reproduce]
The README's times for the main job and for `symcrit families` come from this script.
"""
import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(argv):
    """(wall seconds, CPU seconds of the child and its children, exit code)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    rc = subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, rc


CALIBRATION = """
from symcrit import families
for f in families():
    for k in range(6, 21):
        try:
            f.solve(k, dps=100, verify=False)
        except Exception:
            pass
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="also run the main job with its own campaigns")
    ap.add_argument("--atlas", metavar="DIR", help="a finished 'symcrit atlas' folder (campaign files): time "
                    "the main job reading it")
    ap.add_argument("--skip-reproduce", action="store_true", help="only the start-up and calibration rows")
    args = ap.parse_args()
    py = sys.executable
    rows = [("baseline: import sympy, mpmath, flint", [py, "-c", "import sympy, mpmath, flint"]),
            ("symcrit families", [py, "-m", "symcrit.cli", "families"]),
            ("calibration: 5 families, k = 6..20, 100 digits", [py, "-c", CALIBRATION])]
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_reproduce:
            rows.append(("symcrit reproduce --quick", [py, "-m", "symcrit.cli", "reproduce", "--quick", "--out",
                                                      os.path.join(tmp, "quick")]))
            if args.atlas:
                rows.append(("symcrit reproduce --atlas DIR",
                             [py, "-m", "symcrit.cli", "reproduce", "--atlas", args.atlas, "--out",
                              os.path.join(tmp, "atlas")]))
            if args.full:
                rows.append(("symcrit reproduce", [py, "-m", "symcrit.cli", "reproduce", "--out",
                                                   os.path.join(tmp, "full")]))
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
              f"Python {platform.python_version()}; load average at start {os.getloadavg()[0]:.2f}")
        print(f"{'job':<48} {'wall (s)':>9} {'CPU (s)':>9} {'exit':>5}")
        for name, argv in rows:
            wall, cpu, rc = timed(argv)
            print(f"{name:<48} {wall:>9.1f} {cpu:>9.1f} {rc:>5}", flush=True)
        print(f"load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
