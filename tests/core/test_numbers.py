"""Exact numbers in: k and parameters parsed without a float (symcrit.core.numbers)."""
from fractions import Fraction

import mpmath
import pytest

from symcrit.core.errors import BadInput
from symcrit.core.numbers import format_exact, parse_k, parse_number, to_mpf


# -- the k parser ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text, value", [
    ("7", 7), ("7.5", Fraction(15, 2)), ("15/2", Fraction(15, 2)), ("1e30", 10**30), ("10**30", 10**30),
    ("10^30", 10**30), ("1000000000000000000000000000000", 10**30), ("2.5e-3", Fraction(1, 400)),
    (" 6 ", 6), ("(1+2)*3", 9), (7, 7), (Fraction(14, 2), 7), (7.5, Fraction(15, 2)), (6.0, 6),
])
def test_parse_k_is_exact(text, value):
    k = parse_k(text)
    assert k == value and type(k) is type(value)


@pytest.mark.parametrize("bad", ["0", "-3", "nan", "inf", "-inf", "abc", "10**0.5", "1/0", "", "10**10**10",
                                 "__import__('os')", 1e30, 0.1, float("nan"), True, None, [6]])
def test_parse_k_refuses(bad):
    with pytest.raises(BadInput):
        parse_k(bad)


def test_parse_k_floats_only_when_allowed():
    assert parse_k(1e30, allow_float=True) == 1000000000000000019884624838656  # the float's own value
    assert parse_number("-0.25", name="x") == Fraction(-1, 4)
    with mpmath.workdps(40):
        assert to_mpf(Fraction(1, 3)) == mpmath.mpf(1) / 3
    assert format_exact(Fraction(29, 4)) == "7.25" and format_exact(Fraction(1, 3)) == "1/3"


def test_mpf_fraction_and_to_sympy_keep_the_sign_and_every_bit():
    """mpmath's man_exp drops the sign: to_sympy(mpf(-0.75)) was 3/4."""
    import mpmath
    import sympy

    from symcrit.core.numbers import mpf_fraction, to_sympy
    assert to_sympy(mpmath.mpf(-0.75)) == sympy.Rational(-3, 4)
    with mpmath.workprec(300):
        third = mpmath.mpf(-1) / 3
    q = mpf_fraction(third)  # at the default 53 bits: still the 300-bit value
    assert q.denominator == 2 ** 300 or q.denominator.bit_length() > 290
    assert q < 0 and abs(q + Fraction(1, 3)) < Fraction(1, 2 ** 295)
    assert to_sympy(third) == sympy.Rational(q.numerator, q.denominator)


def test_clip_number_keeps_the_exponent_and_the_ball():
    from symcrit.core.numbers import clip_number
    assert clip_number("3.1830988618379067154e-6", 12) == "3.1830988e-6"
    assert clip_number("-1.2345678901234567890e+40", 10).endswith("e+40")
    assert clip_number("±4.3e-92", 3) == "±4.3e-92"
    assert clip_number("5.58550524742588000694117627762", 12) == "5.5855052474"
    assert clip_number("0.1", 12) == "0.1"


def test_round_decimal_is_directed_and_exact():
    from symcrit.core.numbers import round_decimal
    assert round_decimal(4.0000004, "up") == "4.00001" and round_decimal(4.0000004, "down") == "4"
    assert round_decimal("-2/3", "up", 3) == "-0.666" and round_decimal("-2/3", "down", 3) == "-0.667"
    assert round_decimal(10**40 + 1, "up", 3) == "1.01e+40"
    assert round_decimal(mpmath.mpf(2) ** -200, "down", 4) == "6.223e-61"
    with pytest.raises(ValueError):
        round_decimal(1, "nearest")
