"""Benchmark: `symcrit atlas` against its own campaigns alone, measured in the same run.

Rows (wall-clock and CPU seconds of the child process, its children included):
  * baseline: the discovery campaigns alone (`symcrit discover` at each k, same runs, seed and jobs):
    batched gradient descent plus identification of every end point;
  * `symcrit atlas --k A:B --runs N --jobs J`: the same campaigns, then grouping into branches by
    continuation in real k, folds, catalogued families, asymptotics, atlas.json, atlas.md, figures.
  * with ``--before REV``: the same `symcrit atlas` command run by the code of git revision REV
    (exported with `git archive` into a temporary folder): the before/after comparison, measured
    in the same run on the same machine state.
The rows write into separate temporary folders, so no row reuses another's campaign files.

Run:  python bench/bench_atlas.py [--k 6:20] [--runs 920] [--jobs 2] [--before REV] [--no-baseline]
The default is the committed atlas (k = 6..20, 920 runs per k); the README's atlas times come from
this script.  One width: --k 40:40 (or 40).
"""
import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time


def timed(argv, env=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    rc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env).returncode
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), rc


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--k", default="6:20", help="the widths, a range A:B (default 6:20)")
    ap.add_argument("--runs", type=int, default=920)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--before", metavar="REV", default=None,
                    help="also time the same atlas with the code of this git revision (e.g. main)")
    ap.add_argument("--no-baseline", action="store_true", help="skip the campaigns-only baseline rows")
    args = ap.parse_args()
    lo, hi = (int(v) for v in (args.k.split(":") if ":" in args.k else (args.k, args.k)))
    cli = [sys.executable, "-m", "symcrit.cli"]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
          f"Python {platform.python_version()}; load average at start {os.getloadavg()[0]:.2f}")
    print(f"k = {lo}..{hi}, {args.runs} runs per k, seed {args.seed}, {args.jobs} jobs")
    print(f"{'job':<44} {'wall (s)':>9} {'CPU (s)':>9} {'exit':>5}")
    atlas_args = ["atlas", "--k", f"{lo}:{hi}", "--runs", str(args.runs), "--seed", str(args.seed),
                  "--jobs", str(args.jobs)]
    with tempfile.TemporaryDirectory() as tmp:
        # The atlas first (the row the README quotes), then the others, so that the atlas is the row
        # measured on the quieter machine.
        w, c, rc = timed(cli + atlas_args + ["--out", os.path.join(tmp, "atlas")])
        print(f"{'symcrit atlas':<44} {w:>9.1f} {c:>9.1f} {rc:>5}", flush=True)
        if args.before:
            src = os.path.join(tmp, "before-src")
            os.makedirs(src)
            root = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True,
                                  cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip()
            rev = subprocess.run(["git", "rev-parse", "--short", args.before], capture_output=True, text=True,
                                 cwd=root).stdout.strip()
            archive = subprocess.run(["git", "archive", args.before, "symcrit"], capture_output=True, cwd=root,
                                     check=True).stdout
            subprocess.run(["tar", "-x", "-C", src], input=archive, check=True)
            env = dict(os.environ, PYTHONPATH=src)
            w, c, rc = timed(cli + atlas_args + ["--out", os.path.join(tmp, "before")], env=env)
            print(f"{'symcrit atlas, the code of ' + args.before + ' (' + rev + ')':<44} {w:>9.1f} {c:>9.1f} {rc:>5}",
                  flush=True)
        if not args.no_baseline:
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
