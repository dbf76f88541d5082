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
