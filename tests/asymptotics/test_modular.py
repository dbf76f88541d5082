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


def test_stopping_one_newton_step_early_gives_the_same_residues():
    """verify=False skips the last Newton step (whose correction would be zero through the order,
    by quadratic convergence): the residues are the verified run's, one iteration fewer."""
    from fractions import Fraction

    from flint import fmpq

    from symcrit.asymptotics.engine import compute_series
    from symcrit.asymptotics.modular import modular_series
    from symcrit.core.laurent import ball_mid
    from symcrit.critical.families import family

    fam = family("sk1")
    S = compute_series(fam, 12, 40)
    m = [S.leading_powers[nm] for nm in S.names]
    y0 = {}
    for i, mi in enumerate(m):
        f = Fraction(float(ball_mid(S.coefficients[S.names[i]][mi]))).limit_denominator(1000)
        y0[i] = fmpq(f.numerator, f.denominator)
    cols = columns(primes_below(2**26, 3), 0, 24)
    full = modular_series(fam, 12, m, y0, cols, prec=S.prec, margin=6)
    early = modular_series(fam, 12, m, y0, cols, prec=S.prec, margin=6, verify=False)
    assert full.info["verified"] and not early.info["verified"]
    assert early.iterations == full.iterations - 1
    for nm in full.residues:
        assert all((a == b).all() for a, b in zip(full.residues[nm], early.residues[nm])), nm
