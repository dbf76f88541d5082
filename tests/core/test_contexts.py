"""The number contexts: exact conversions into balls."""
from fractions import Fraction

import mpmath
import pytest
from flint import arb, ctx as flint_ctx

from symcrit.core.contexts import HalfPlaneArb, PiecewiseArb, get_context


def test_arb_convert_fraction_is_a_ball_around_p_over_q_not_a_float():
    """Fraction(1, 3) used to go through float(1/3): an exact ball around the wrong number."""
    A = get_context("arb")
    with flint_ctx.workprec(200):
        b = A.convert(Fraction(1, 3))
        assert not b.is_exact()                         # 1/3 is not a binary number
        assert (b * 3).contains(1)                      # the ball holds 1/3
        assert not arb(float(Fraction(1, 3))).contains(b)  # and not just the float's value
        assert b.rad() < arb(2) ** -190                 # at the working precision
        big = A.convert(Fraction(2 * 10**30 + 1, 2))
        assert (big * 2).contains(2 * 10**30 + 1) and not (big * 2).contains(2 * 10**30)


def test_arb_convert_mpf_is_exact_whatever_the_ambient_precision():
    with mpmath.workdps(60):
        k = mpmath.mpf(10**30 + 1)
    A = get_context("arb")
    with flint_ctx.workprec(200):
        assert A.convert(k) == arb(10**30 + 1) and A.convert(k).is_exact()


def test_complex_contexts_agree():
    """acb encloses the principal branch that mpc computes; atan2 continues the real one."""
    z, w = mpmath.mpc("0.3", "0.2"), mpmath.mpc("-1.1", "0.05")
    with mpmath.workdps(30), flint_ctx.workprec(120):
        ref = get_context("mpc").atan2(z, w)
        ball = get_context("acb").atan2(get_context("acb").convert(z), get_context("acb").convert(w))
        A = get_context("arb")
        assert abs(ball.real - A.convert(mpmath.re(ref))) < 1e-27 and abs(ball.imag - A.convert(mpmath.im(ref))) < 1e-27
        assert ball.rad() < 1e-30
        assert abs(get_context("mpc").atan2(mpmath.mpf(1), mpmath.mpf(-1)) - 3 * mpmath.pi / 4) < 1e-25
    with pytest.raises(ValueError):
        get_context("mpc").abs(mpmath.mpc(1, 1))   # |x| has no analytic continuation


def test_arb_convert_is_exact_or_refuses():
    """Every conversion to a ball encloses the value: an fmpq stays exact (through float(x) it
    became a radius-0 ball that missed 1/3), a float is its binary value, an unknown type raises."""
    import decimal

    import pytest
    from flint import arb, fmpq

    from symcrit.core.contexts import ArbContext
    third = ArbContext.convert(fmpq(1, 3))
    assert (third * 3).contains(1) and not third.is_exact()
    assert ArbContext.convert(0.5).is_exact() and ArbContext.convert(0.5) == arb("0.5")
    assert ArbContext.convert(decimal.Decimal("0.1")).contains(arb("0.1"))
    with pytest.raises(TypeError):
        ArbContext.convert(object())


def test_halfplane_context_encloses_roots_and_angles():
    H = HalfPlaneArb()
    with flint_ctx.workprec(64):
        r = H.sqrt(arb(0.5, 0.5000001))          # exact value >= 0: enclose sqrt on [0, 1.0000001]
        assert r.is_finite() and r.contains(arb(0.5).sqrt()) and r.contains(0) and r.upper() < 1.001
        t = H.atan2(arb(0, 1e-9), arb(-1))      # y >= 0 near 0, x < 0: the angle is near pi, not +-pi
        assert t.contains(arb.pi()) and t.rad() < 1e-8
        assert H.atan2(arb(0, 1e-9), arb(0, 1e-9)).contains(arb.pi()) and H.sqrt(arb(-1e-20, 1e-21)) == 0


def test_piecewise_context_picks_one_smooth_piece_per_ambiguous_abs():
    """|a| and sign(a) of a ball holding 0 become σ·a and σ, the n-th such argument taking choices[n];
    a ball away from 0 keeps the plain |a|; without choices the plain ball functions."""
    with flint_ctx.workprec(64):
        a, b, c = arb(0, 0.5), arb(0, 0.25), arb(2)
        P = PiecewiseArb([1, -1])
        assert P.abs(a) is not None and P.abs(a).mid() == a.mid() and P.sign(a) == 1
        assert P.abs(b).mid() == -b.mid() and P.sign(b) == -1
        assert P.abs(c) == 2 and P.sign(c) == 1
        assert P.abs(a).mid() == a.mid()  # the same object keeps its choice
        Q = PiecewiseArb()
        assert Q.sign(a).contains(1) and Q.sign(a).contains(-1)
        assert len(P.seen) == 2


def test_gram_sqrt_clamps_float_roundoff_only():
    """|u|²|v|² − (u·v)² can come out slightly negative in float64 for aligned rows: gram_sqrt gives 0
    there (no NaN, no RuntimeWarning); the exact and ball contexts keep their own sqrt."""
    import warnings

    import numpy as np

    from symcrit.core.contexts import get_context

    F = get_context("float")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = F.gram_sqrt(np.array([-1e-17, 0.0, 4.0]))
    assert list(out) == [0.0, 0.0, 2.0]
    A = get_context("arb")
    assert A.gram_sqrt(A.convert(4)) == A.sqrt(A.convert(4))
