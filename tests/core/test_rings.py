"""Coefficient rings of the Laurent series (symcrit.core.rings)."""
import mpmath
import pytest
from flint import arb, ctx as flint_ctx, fmpq

from symcrit.core.rings import BallRing, NotExact, NumericRing, RationalRing, arb_mid, arb_str, get_ring


def test_get_ring_by_name():
    assert isinstance(get_ring("arb", 128), BallRing)
    assert isinstance(get_ring("numeric", 128), NumericRing)
    r = get_ring("fmpq", 128, pi=fmpq(22, 7))
    assert isinstance(r, RationalRing) and r.pi() == fmpq(22, 7) and get_ring(r, 0) is r
    with pytest.raises(ValueError):
        get_ring("fmpq", 128)
    with pytest.raises(ValueError):
        get_ring("nosuch", 128)


def test_zero_tests_never_turn_a_ball_into_zero():
    ball, num = BallRing(), NumericRing(128)
    tiny = arb(0, 1e-50)
    assert not ball.known_zero(tiny) and ball.known_zero(arb(0))
    with pytest.raises(Exception):
        ball.is_zero(tiny)                 # undecided: the ball ring refuses
    assert num.is_zero(tiny)               # the numeric ring: a tolerance (approximate series only)
    assert not num.is_zero(arb("1e-10"))


def test_rational_sqrt_is_exact_or_refused():
    r = RationalRing(fmpq(355, 113))
    assert r.sqrt(fmpq(9, 4)) == fmpq(3, 2)
    with pytest.raises(NotExact):
        r.sqrt(fmpq(2))


def test_arb_mid_and_arb_str_print_only_guaranteed_digits():
    with flint_ctx.workprec(400):
        third = arb(1) / 3
        assert arb_mid(third) - mpmath.mpf(1) / 3 < mpmath.mpf(10) ** -15
        assert arb_str(third, 30) == "0." + "3" * 30
        wide = arb(1) / 3 + arb(0, 1e-10)      # ten digits known
        s = arb_str(wide, 30)
        assert s.startswith("0.333333333") and len(s) <= 12
    assert arb_str(fmpq(1, 4), 5) == "0.25"
    assert arb_str(arb(0), 5) == "0"


def test_arb_str_bound_of_a_ball_around_zero_is_rounded_up():
    """'±r' means |c| <= r for every c in the ball: r is rounded up, never to the nearest."""
    from fractions import Fraction

    from symcrit.core.numbers import mpf_fraction
    for rad in (1e-30, 1.04e-30, 9.96e-7, 3.0e-5):
        for mid in (0, rad / 3, -rad / 2):
            c = arb(mid, rad)
            s = arb_str(c, 10)
            assert s.startswith("±")
            bound = Fraction(s[1:])
            worst = abs(mpf_fraction(arb_mid(c))) + mpf_fraction(arb_mid(arb(c.rad())))
            assert bound >= worst


def test_arb_str_negative_and_tight_balls_exactly():
    """Every printed digit is guaranteed, checked in exact rationals: |T - c| <= unit/2 for both
    ends of the ball, and one digit more would not be (the last digit is not thrown away)."""
    from fractions import Fraction

    from symcrit.core.numbers import mpf_fraction
    with flint_ctx.workprec(400):
        for c in (-arb(2) / 3, -arb(2) / 3 + arb(0, 1e-20), arb(10) ** 50 / 7 + arb(0, 1e20), -arb.pi() * 1e-40):
            s = arb_str(c, 40)
            T = Fraction(s)
            lo = mpf_fraction(arb_mid(c)) - mpf_fraction(arb_mid(arb(c.rad())))
            hi = mpf_fraction(arb_mid(c)) + mpf_fraction(arb_mid(arb(c.rad())))
            digits = len(s.lstrip("-").split("e")[0].replace(".", "").lstrip("0"))
            e = len(str(abs(int(T)))) - 1 if abs(T) >= 1 else -len(str(int(1 / abs(T))))
            unit = Fraction(10) ** (e - digits + 1)
            assert (T > 0) == (lo > 0) and max(abs(T - lo), abs(T - hi)) <= unit / 2
        assert arb_str(-arb(2) / 3 + arb(0, 1e-20), 40).startswith("-0.66666666666666666")
