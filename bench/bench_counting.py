"""Benchmark: `count(r*, m)` (one Stirling row, exact integers) against the sum form of the
derivation (Σ_s C(m, s) r! S(m − s, r) for every r < r*, flint's Stirling numbers), same run.

Run:  python bench/bench_counting.py
The README's time for `symcrit count --rstar 1000 --m 5000` comes from this script (the CLI row).
"""
import os
import platform
import subprocess
import sys
import time

from symcrit.landscape.counting import G_sum, T_sum, count


def main():
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
          f"Python {platform.python_version()}; load average at start {os.getloadavg()[0]:.2f}")
    print(f"{'r*':>6} {'m':>6} {'count (s)':>10} {'sum form (s)':>13} {'agree':>6}")
    for rstar, m in ((10, 50), (50, 200), (100, 500), (200, 1000)):
        t0 = time.perf_counter()
        c = count(rstar, m)
        t1 = time.perf_counter()
        ok = c["T"] == T_sum(rstar, m) and all(c["G"][r] == G_sum(r, m) for r in range(1, rstar))
        t2 = time.perf_counter()
        print(f"{rstar:>6} {m:>6} {t1 - t0:>10.4f} {t2 - t1:>13.3f} {str(ok):>6}", flush=True)
    t0 = time.perf_counter()
    rc = subprocess.run([sys.executable, "-m", "symcrit.cli", "count", "--rstar", "1000", "--m", "5000", "--json"],
                        stdout=subprocess.DEVNULL).returncode
    print(f"symcrit count --rstar 1000 --m 5000 --json (CLI, start-up included): "
          f"{time.perf_counter() - t0:.1f} s, exit {rc}")


if __name__ == "__main__":
    main()
