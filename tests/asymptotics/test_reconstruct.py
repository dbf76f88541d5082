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
