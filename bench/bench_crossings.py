"""Benchmark: `crossings(family)` (warm starts along the branch, proven k* by Krawczyk on the
extended system) against re-solving every grid point from the float track and computing its
spectrum by symmetry (the route before warm starts, no proof), same grid, same run.

Run:  python bench/bench_crossings.py [--families sk1,s2,sk1b,sk1x] [--step 0.25] [--k-hi 20]
The README's crossing times come from this script (wall and CPU seconds of this process).
"""
import argparse
import math
import os
import platform
import time

from symcrit.critical.families import family
from symcrit.spectra.crossings import crossings
from symcrit.spectra.hessian import spectrum


def clock():
    return time.perf_counter(), time.process_time()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--families", default="sk1,s2,sk1b,sk1x")
    ap.add_argument("--step", type=float, default=0.25)
    ap.add_argument("--k-hi", type=float, default=20.0)
    args = ap.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
          f"Python {platform.python_version()}; load average at start {os.getloadavg()[0]:.2f}")
    print(f"{'family':<8} {'grid':>5} {'crossings wall/CPU (s)':>23} {'proven':>7} "
          f"{'re-solve + spectrum wall/CPU (s)':>33}")
    tot = [0.0, 0.0, 0.0, 0.0]
    for fid in args.families.split(","):
        fam = family(fid)
        fam.track  # the float track is shared by both routes: not timed
        w0, c0 = clock()
        res = crossings(fam, k_hi=args.k_hi, step=args.step, digits=30)
        w1, c1 = clock()
        lo = max(fam.k_low, fam.space.k_min)
        grid = [i * args.step for i in range(math.ceil(lo / args.step), int(args.k_hi / args.step + 1e-9) + 1)]
        for kk in grid:
            spectrum(fam.solve(kk, dps=30, verify=False))
        w2, c2 = clock()
        proven = sum(1 for r in res if r.get("certified"))
        print(f"{fid:<8} {len(grid):>5} {w1 - w0:>11.1f} / {c1 - c0:>9.1f} {proven:>3}/{len(res):<3} "
              f"{w2 - w1:>16.1f} / {c2 - c1:>14.1f}", flush=True)
        for i, v in enumerate((w1 - w0, c1 - c0, w2 - w1, c2 - c1)):
            tot[i] += v
    print(f"{'total':<8} {'':>5} {tot[0]:>11.1f} / {tot[1]:>9.1f} {'':>7} {tot[2]:>16.1f} / {tot[3]:>14.1f}")
    print(f"load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
