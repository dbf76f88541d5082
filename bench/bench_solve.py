"""Benchmark: symcrit solve (all families, k = 6..20, 100 digits) against the Safran–Shamir
route (gradient descent from random starts, entries N(0, 1/k), until a run ends at the family).

Run:  python bench/bench_solve.py [--budget SECONDS] [--symbolic-jacobian]
(--symbolic-jacobian: the reduced Jacobians by sympy.diff + compile, the method before forward-mode AD)
Prints one table; both routes are timed in the same run on the same machine.
"""
import argparse
import time

import numpy as np

from symcrit import StudentTeacher, isotropy
from symcrit.critical.families import families, family


def gd_until_family(k, fam_loss, rng, budget, tol=1e-10):
    """Plain gradient descent from random starts until a run converges (|grad| < tol) to a point
    whose loss matches the family's (to 1e-8). Returns (runs, seconds, hit)."""
    m = StudentTeacher(k)
    t0 = time.perf_counter()
    runs = 0
    while time.perf_counter() - t0 < budget:
        runs += 1
        W = rng.normal(scale=k ** -0.5, size=(k, k))
        eta = 2.0 / k
        for _ in range(200_000):
            G = m.gradient(W)
            if np.abs(G).max() < tol:
                break
            W -= eta * G
            if time.perf_counter() - t0 > budget:
                break
        if np.abs(m.gradient(W)).max() < tol and abs(m.loss(W) - fam_loss) < 1e-8:
            return runs, time.perf_counter() - t0, True
    return runs, time.perf_counter() - t0, False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--budget", type=float, default=60.0, help="seconds of gradient descent per k")
    ap.add_argument("--dps", type=int, default=100)
    ap.add_argument("--symbolic-jacobian", action="store_true",
                    help="build the reduced Jacobians by sympy.diff (the former method) instead of forward-mode AD")
    args = ap.parse_args()
    if args.symbolic_jacobian:
        from symcrit.symmetry.fixedpoint import FixedPointSpace
        FixedPointSpace.jacobian_method = "symbolic"

    # symcrit: compile (once per process) + branch tracks + every k
    t0 = time.perf_counter()
    for f in families():
        f.space.compiled["loss"], f.space.compiled["grad"], f.space.compiled["jac"]
    t_compile = time.perf_counter() - t0
    t0 = time.perf_counter()
    for f in families():
        f.track
    t_track = time.perf_counter() - t0
    times = {}
    for verify in (False, True):
        t0 = time.perf_counter()
        n = 0
        for f in families():
            for k in range(max(6, f.k_min), 21):
                f.solve(k, dps=args.dps, verify=verify)
                n += 1
        times[verify] = time.perf_counter() - t0
    print(f"symcrit, {len(families())} families, {n} points (k = 6..20) at {args.dps} digits:")
    print(f"  compile reduced systems (once per process)   {t_compile:7.2f} s")
    print(f"  branch tracks (float64 continuation in s)    {t_track:7.2f} s")
    print(f"  solve all points                             {times[False]:7.2f} s  ({1000 * times[False] / n:.0f} ms/point)")
    print(f"  solve + full k×k residual and Hessian check  {times[True]:7.2f} s  ({1000 * times[True] / n:.0f} ms/point)")
    print()
    print(f"{'k':>3}  {'symcrit sk1 (s)':>16}  {'GD runs':>8}  {'GD time (s)':>11}  {'GD hit sk1':>10}  {'GD precision':>12}")
    rng = np.random.default_rng(0)
    for k in (6, 10, 20):
        t0 = time.perf_counter()
        cp = family("sk1").solve(k, dps=args.dps)
        ts = time.perf_counter() - t0
        runs, tg, hit = gd_until_family(k, float(cp.loss), rng, args.budget)
        print(f"{k:>3}  {ts:>16.3f}  {runs:>8}  {tg:>11.1f}  {str(hit):>10}  {'~1e-10':>12}")
    print("\nGD reaches float64 accuracy only; symcrit gives 100 digits, certified on request.")


if __name__ == "__main__":
    main()
