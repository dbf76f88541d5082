"""Benchmark: a discovery campaign (1000 runs at k = 20) against a plain numpy gradient-descent
baseline, in the same run.

symcrit: `discover(20, 1000, jobs=J)`: batched accelerated gradient to |grad| < 1e-10, plus
identification of every end point (isotropy, Newton on the fixed-point space, catalogue match).
baseline: one run at a time, plain gradient descent W -= lr * grad (StudentTeacher.gradient,
float64), lr = 1/(k/4 + 2), to |grad| < 1e-10, no identification.  The baseline runs on
--baseline-runs starts (default 100) and its time for 1000 runs is extrapolated (labelled).

Run:  python bench/bench_discover.py [--runs 1000] [--jobs 2] [--baseline-runs 100]
"""
import argparse
import time

import numpy as np

from symcrit import StudentTeacher
from symcrit.landscape.discover import discover


def plain_gd(k, seed, i, tol=1e-10, max_iter=200_000):
    m = StudentTeacher(k)
    W = np.random.default_rng([seed, i]).normal(scale=k ** -0.5, size=(k, k))
    lr = 1.0 / (k / 4 + 2)
    for it in range(max_iter):
        G = m.gradient(W)
        if np.sqrt((G ** 2).sum()) < tol:
            return it, m.loss(W)
        W -= lr * G
    return max_iter, m.loss(W)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--baseline-runs", type=int, default=100)
    args = ap.parse_args()
    k = args.k
    t0 = time.perf_counter()
    s = discover(k, args.runs, seed=7, jobs=args.jobs)
    ts = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = [plain_gd(k, 7, i) for i in range(args.baseline_runs)]
    tb = time.perf_counter() - t0
    spur_b = np.mean([loss > 1e-10 for _, loss in res])
    print(f"k = {k}")
    print(f"{'route':<46} {'runs':>6} {'time (s)':>9} {'s/run':>8} {'spurious':>9}")
    print(f"{'symcrit discover (jobs=%d, with identification)' % args.jobs:<46} {args.runs:>6} {ts:>9.1f} "
          f"{ts / args.runs:>8.3f} {100 * s['spurious_fraction']:>8.1f}%")
    print(f"{'plain numpy GD, one run at a time (measured)':<46} {args.baseline_runs:>6} {tb:>9.1f} "
          f"{tb / args.baseline_runs:>8.3f} {100 * spur_b:>8.1f}%")
    print(f"{'plain numpy GD, extrapolated to %d runs' % args.runs:<46} {args.runs:>6} "
          f"{tb / args.baseline_runs * args.runs:>9.1f}")
    print(f"speed-up: {tb / args.baseline_runs * args.runs / ts:.1f}x "
          f"(median GD iterations {int(np.median([it for it, _ in res]))})")
    print(f"distinct minima found by symcrit: {len(s['minima'])}")


if __name__ == "__main__":
    main()
