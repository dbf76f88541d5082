"""Block and orbit sizes at k (symcrit.symmetry.blocks): exact for exact k, in k's own arithmetic
otherwise."""
from fractions import Fraction

import mpmath
import sympy
from flint import arb

from symcrit.symmetry.blocks import K, coefficients, poly_at


def test_coefficients_are_exact_fractions():
    assert coefficients(K * (K - 3) / 2) == (Fraction(1, 2), Fraction(-3, 2), Fraction(0))
    assert coefficients(sympy.Integer(7)) == (Fraction(7),)


def test_poly_at_keeps_the_type_of_k():
    p = K * (K - 3) / 2
    big = 10**40 + 1
    v = poly_at(p, big)
    assert v == big * (big - 3) // 2 and isinstance(v, int)              # exact, however large
    assert poly_at(p, Fraction(15, 2)) == Fraction(135, 8)
    assert poly_at(K - 1, 7) == 6 and isinstance(poly_at(K - 1, 7), int)
    with mpmath.workdps(50):
        x = mpmath.mpf(10) ** 30 + mpmath.mpf(1) / 3
        assert abs(poly_at(p, x) - x * (x - 3) / 2) < mpmath.mpf(10) ** 12  # 50 digits of a 1e60 number
    b = poly_at(p, arb(7))
    assert b.contains(arb(14)) and b.rad() == 0
    assert sympy.expand(poly_at(p, sympy.Symbol("t")) - sympy.Symbol("t") * (sympy.Symbol("t") - 3) / 2) == 0
