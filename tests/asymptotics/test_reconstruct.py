"""Rational reconstruction: interpolation mod p, lifting by CRT with a check at an unused prime."""
import numpy as np
from flint import fmpq

from symcrit.asymptotics.reconstruct import lift, rational_interpolate_mod, reconstruct_batch


def test_rational_interpolation_needs_extra_points():
    p = 67108859
    f = lambda x: (5 * x**3 + 7) * pow(x * x - 8, -1, p) % p  # (5P³ + 7)/(P² - 8): total degree 5
    xs = [(104729 * j + 3) % p for j in range(20)]
    ys = [f(x) for x in xs]
    assert rational_interpolate_mod(xs, ys, p, extra=6) == ([7, 0, 0, 5], [p - 8, 0, 1])
    # 6 + 6 points determine it but leave no extra point beyond its 6 conditions + 5: refused
    assert rational_interpolate_mod(xs[:11], ys[:11], p, extra=6) is None
    # a corrupted value is not fitted by a low-degree function
    ys[7] = (ys[7] + 1) % p
    assert rational_interpolate_mod(xs, ys, p, extra=6) is None


def test_lift_checks_at_a_prime_it_did_not_use():
    primes = [67108859, 67108837, 67108819, 67108777]
    vals = [fmpq(1234567891, 98765), fmpq(-3, 7)]
    res = [[int(v.p) * pow(int(v.q), -1, q) % q for v in vals] for q in primes]
    assert lift(res, primes) == [(1234567891, 98765), (-3, 7)]
    bad = [r[:] for r in res]
    bad[-1][0] = (bad[-1][0] + 1) % primes[-1]
    assert lift(bad, primes) is None
    assert lift(res[:2], primes[:2]) is None  # 26 bits cannot hold it: refused, not guessed


def test_reconstruct_batch_reports_what_is_missing():
    p = np.array([67108859] * 10, dtype=np.int64)
    P = np.array([(104729 * j + 3) % 67108859 for j in range(10)], dtype=np.int64)
    v = np.array([pow(int(x), 7, 67108859) for x in P], dtype=np.int64)  # degree 7: 10 points too few
    assert reconstruct_batch([v], p, P, np.ones(10, dtype=bool)) == ["points"]


def test_maximal_quotient_reconstruction_finds_unbalanced_fractions():
    from symcrit.asymptotics.reconstruct import maximal_quotient_reconstruct, rational_reconstruct_int
    m = 67108859 * 67108837 * 67108819          # 78 bits
    a, b = 3**40 + 7, 11                         # a 64-bit numerator over a small denominator
    u = a * pow(b, -1, m) % m
    assert rational_reconstruct_int(u, m) is None           # beyond √(m/2): the balanced one refuses
    assert maximal_quotient_reconstruct(u, m, margin_bits=8) == (a, b)
    assert maximal_quotient_reconstruct(12345, m) == (12345, 1)


def test_unbalanced_lift_needs_primes_for_the_numerators_only():
    from symcrit.asymptotics.modular import primes_below
    primes = primes_below(2**26, 7)                      # 6 used: 156 bits, and a check prime
    vals = [fmpq(3**60 + 1, 7), fmpq(-(5**30), 1), fmpq(2, 3)]          # 96-bit numerators
    res = [[int(v.p) * pow(int(v.q), -1, q) % q for v in vals] for q in primes]
    assert lift(res, primes) is None                     # balanced: 2 x 96 bits do not fit in 156
    assert lift(res, primes, balanced=False) == [(3**60 + 1, 7), (-(5**30), 1), (2, 3)]
    bad = [r[:] for r in res]
    bad[-1][2] = (bad[-1][2] + 1) % primes[-1]
    assert lift(bad, primes, balanced=False) is None     # the check prime still decides


def _columns(nprimes, npts):
    from symcrit.asymptotics.modular import columns, primes_below
    return columns(primes_below(2**26, nprimes), 0, npts)


def test_a_denominator_guess_saves_points_and_a_wrong_one_costs_only_points():
    """c(P) = (P³ + 2P + 5)/(3 P^9 (P - 2)^4): total degree 16, numerator degree 3.  With the guess
    P^9 (P - 2)^4 · 3, 12 points per prime suffice (3 + 1 + extra 6 and slack); without it they do
    not; a guess off by one power still gives the same function from a few more points."""
    p, P, _ = _columns(3, 30)
    q = p.astype(object)
    x = P.astype(object)
    vals = np.array([(int(a)**3 + 2 * int(a) + 5) * pow(3 * int(a)**9 * (int(a) - 2)**4, -1, int(m)) % int(m)
                     for a, m in zip(x, q)], dtype=np.int64)
    good = np.ones(len(p), dtype=bool)
    guess = (((0, 1), 9), ((-2, 1), 4)), 3
    few = np.zeros(len(p), dtype=bool)
    for prime in set(p.tolist()):
        few[np.where(p == prime)[0][:12]] = True
    assert reconstruct_batch([vals[few]], p[few], P[few], good[few]) == ["points"]
    got = reconstruct_batch([vals[few]], p[few], P[few], good[few], premul=[guess])[0]
    from symcrit.core.ratfun import ratfun
    assert ratfun(*got) == ratfun([(5, 1), (2, 1), (0, 1), (1, 1)], [(0, 1)] * 9 + [(3 * c, 1) for c in (16, -32, 24, -8, 1)])
    off = (((0, 1), 10), ((-2, 1), 3)), 3
    got2 = reconstruct_batch([vals], p, P, good, premul=[off])[0]
    assert ratfun(*got2) == ratfun(*got)


def test_denominator_guess_extrapolates_the_exponents():
    from symcrit.asymptotics.reconstruct import denominator_guess
    # forms c_n = 1/(5^n P^(2n) (P - 2)^(n // 2)) for n = 1..6
    forms = {}
    for n in range(1, 7):
        from flint import fmpz_poly
        d = fmpz_poly([0, 1]) ** (2 * n) * fmpz_poly([-2, 1]) ** (n // 2) * 5**n
        lc = int(d.leading_coefficient())
        forms[n] = ([(1, lc)], [(int(c), lc) for c in d.coeffs()])
    G, S = denominator_guess(forms, 8)
    assert dict(G) == {(0, 1): 16, (-2, 1): 4} and S == 5**8
    assert denominator_guess({1: forms[1]}, 2) is None
