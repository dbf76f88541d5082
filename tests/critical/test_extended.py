"""The extended systems' tools (symcrit.critical.extended): proven digits of a ball, outward
bounds, the null vector."""
import mpmath
from flint import arb, ctx as flint_ctx

from symcrit.critical.extended import ball_bounds, ball_digits, null_vector


def test_ball_digits_prints_only_what_every_point_rounds_to():
    with flint_ctx.workprec(200):
        b = arb("5.58550524742588") + arb(0, 1e-12)
        # [5.58550524742488, 5.58550524742688]: both ends round to 11 digits alike, not to 12
        assert ball_digits(b, 30) == "5.5855052474"
        assert ball_digits(-arb(1) / 3, 8) == "-0.33333333"
        assert ball_digits(arb(0, 1e-5), 10) is None            # contains 0
        assert ball_digits(arb(1) / 0, 10) is None              # not finite


def test_ball_bounds_are_outward():
    with flint_ctx.workprec(200):
        b = arb(2).sqrt()
        lo, hi = ball_bounds(b, 6)
        assert (lo, hi) == ("1.41421", "1.41422")
        assert arb(lo) < b and b < arb(hi)


def test_null_vector_of_a_rank_deficient_matrix():
    with mpmath.workdps(30):
        M = mpmath.matrix([[1, 2, 3], [2, 4, 6], [1, 0, 1]])
        v = null_vector(M)
        assert max(abs(x) for x in M * mpmath.matrix(v)) < 1e-25 and abs(mpmath.norm(mpmath.matrix(v)) - 1) < 1e-25
