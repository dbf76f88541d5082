"""Benchmark: Hessian spectrum by symmetry against numpy eigvalsh of the dense Hessian, same run.

Run:  python bench/bench_spectrum.py
For each k: the time of `spectrum(cp)` (distinct eigenvalues with multiplicities, 30 digits) and of
building the dense k²×k² float64 Hessian plus `numpy.linalg.eigvalsh`, and the largest difference.
"""
import time

import numpy as np

from symcrit import StudentTeacher
from symcrit.critical.families import family
from symcrit.spectra.hessian import spectrum


def main():
    f = family("sk1")
    spectrum(f.solve(10, dps=30, verify=False))  # warm caches (fine spaces)
    print(f"{'k':>6}  {'by symmetry (s)':>15}  {'dense build (s)':>15}  {'eigvalsh (s)':>12}  {'max |diff|':>10}")
    for k in (10, 20, 40, 80, 1000, 10**6):
        cp = f.solve(k, dps=30, verify=False)
        t0 = time.perf_counter()
        sp = spectrum(cp)
        ts = time.perf_counter() - t0
        if k <= 80:
            W = np.array(cp.space.embed([float(v) for v in cp.values], k))
            t0 = time.perf_counter()
            H = StudentTeacher(k).hessian(W)
            tb = time.perf_counter() - t0
            t0 = time.perf_counter()
            dense = np.linalg.eigvalsh(H)
            te = time.perf_counter() - t0
            flat = np.sort([float(e) for e, m, _ in sp.eigenvalues() for _ in range(m)])
            diff = np.abs(flat - dense).max()
            print(f"{k:>6}  {ts:>15.3f}  {tb:>15.3f}  {te:>12.3f}  {diff:>10.1e}")
        else:
            print(f"{k:>6}  {ts:>15.3f}  {'(k^2 x k^2 = ' + format(float(k) ** 4, '.0e') + ' entries: not formed)':>41}")


if __name__ == "__main__":
    main()
