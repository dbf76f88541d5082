"""Modular arithmetic for the exact series (symcrit.asymptotics.modular): primes, evaluation points,
the split of values a + b√d from the two signs of √d."""
import numpy as np
from flint import fmpz

from symcrit.asymptotics.modular import columns, primes_below, split_pairs


def test_primes_below_are_the_largest_primes():
    ps = primes_below(2**26, 4)
    assert ps == sorted(ps, reverse=True) and all(fmpz(p).is_prime() for p in ps)
    assert not any(fmpz(q).is_prime() for q in range(ps[-1] + 1, 2**26) if q not in ps)
    assert primes_below(30, 3) == [29, 23, 19]


def test_split_pairs_recovers_a_and_b():
    """Values a + b√5 at ρ and -ρ (ρ² ≡ 5 mod p) give back a and b mod p."""
    ps = [p for p in primes_below(2**26, 40) if pow(5, (p - 1) // 2, p) == 1][:2]   # 5 a square mod p
    p, P, rho = columns(ps, 0, 3, d=5)
    assert all((int(r) * int(r) - 5) % int(q) == 0 for r, q in zip(rho, p))
    a_true, b_true = (3 * P + 7) % p, (P * P + 1) % p            # a(P), b(P)
    vals = (a_true + b_true * rho) % p
    A, B, good = split_pairs(vals, p, rho, np.ones(len(p), dtype=bool))
    assert (A == a_true[0::2]).all() and (B == b_true[0::2]).all() and good.all()
