"""Benchmark: `symcrit atlas` against its own campaigns alone, measured in the same run.

Rows (wall-clock and CPU seconds of the child process, its children included):
  * baseline: the discovery campaigns alone (`symcrit discover` at each k, same runs, seed and jobs):
    batched gradient descent plus identification of every end point;
  * `symcrit atlas --k A:B --runs N --jobs J`: the same campaigns, then grouping into branches by
    continuation in real k, folds, catalogued families, asymptotics, atlas.json, atlas.md, figures.
The two rows write into separate temporary folders, so the atlas does not reuse the baseline's
campaign files.

Run:  python bench/bench_atlas.py [--k 6:20] [--runs 920] [--jobs 2]
The default is the committed atlas (k = 6..20, 920 runs per k); the README's atlas times come from
this script.
"""
import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time


def timed(argv):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    rc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), rc


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--k", default="6:20", help="the widths, a range A:B (default 6:20)")
    ap.add_argument("--runs", type=int, default=920)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    lo, hi = (int(v) for v in args.k.split(":"))
    cli = [sys.executable, "-m", "symcrit.cli"]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
          f"Python {platform.python_version()}; load average at start {os.getloadavg()[0]:.2f}")
    print(f"k = {lo}..{hi}, {args.runs} runs per k, seed {args.seed}, {args.jobs} jobs")
    print(f"{'job':<44} {'wall (s)':>9} {'CPU (s)':>9} {'exit':>5}")
    with tempfile.TemporaryDirectory() as tmp:
        # The atlas first (the row the README quotes), then its baseline, so that the atlas is the row
        # measured on the quieter machine.
        w, c, rc = timed(cli + ["atlas", "--k", f"{lo}:{hi}", "--runs", str(args.runs), "--seed", str(args.seed),
                                "--jobs", str(args.jobs), "--out", os.path.join(tmp, "atlas")])
        print(f"{'symcrit atlas':<44} {w:>9.1f} {c:>9.1f} {rc:>5}", flush=True)
        wall = cpu = 0.0
        rcs = []
        os.makedirs(os.path.join(tmp, "campaigns"))
        for k in range(lo, hi + 1):
            w, c, rc = timed(cli + ["discover", "--k", str(k), "--runs", str(args.runs), "--seed", str(args.seed),
                                    "--jobs", str(args.jobs), "--force", "--out",
                                    os.path.join(tmp, "campaigns", f"k{k}.jsonl")])
            wall, cpu = wall + w, cpu + c
            rcs.append(rc)
        print(f"{'baseline: discover at each k (campaigns only)':<44} {wall:>9.1f} {cpu:>9.1f} {max(rcs):>5}")
    print(f"load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
