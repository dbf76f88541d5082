"""Second-order jets (symcrit.core.jet): first, second and mixed derivatives against mpmath.diff."""
import mpmath
import pytest
from flint import arb, ctx as flint_ctx

from symcrit.core.contexts import get_context
from symcrit.core.dual import Dual
from symcrit.core.jet import FloatDualContext, Jet, JetContext


def _g(ctx, x, y):
    return ctx.sqrt(x * x * y + 2) / (1 + y) + ctx.atan2(x - y ** 2, x + 3) * ctx.pi() + ctx.abs(x) * ctx.rational(2, 7)


def test_jet_parts_are_the_derivatives():
    """x + eps1 (d/dx) and y + eps2 (d/dy): b = g_x, c = g_y, d = g_xy."""
    m = get_context("mpmath")
    with mpmath.workdps(40):
        x0, y0 = mpmath.mpf("0.7"), mpmath.mpf("-0.3")
        J = _g(JetContext(m), Jet(x0, 1, 0, 0), Jet(y0, 0, 1, 0))
        f = lambda x, y: _g(m, x, y)
        assert abs(J.a - f(x0, y0)) < 1e-35
        assert abs(J.b - mpmath.diff(f, (x0, y0), (1, 0))) < 1e-25
        assert abs(J.c - mpmath.diff(f, (x0, y0), (0, 1))) < 1e-25
        assert abs(J.d - mpmath.diff(f, (x0, y0), (1, 1))) < 1e-20
        # both directions the same: d = the second derivative along x
        J2 = _g(JetContext(m), Jet(x0, 1, 1, 0), Jet(y0))
        assert abs(J2.d - mpmath.diff(f, (x0, y0), (2, 0))) < 1e-20


def test_jet_over_arb_encloses_and_refuses_an_undecided_sign():
    m = get_context("mpmath")
    with mpmath.workdps(80):
        ref = _g(JetContext(m), Jet(mpmath.mpf(7) / 10, 1, 1, 0), Jet(mpmath.mpf(-3) / 10)).d
    with flint_ctx.workprec(200):
        ref_ball = arb(mpmath.nstr(ref, 75), 1e-70)
        a = get_context("arb")
        J = _g(JetContext(a), Jet(arb(7) / 10, 1, 1, 0), Jet(arb(-3) / 10))
        assert J.d.overlaps(ref_ball) and J.d.rad() < 1e-50
        assert not J.d.overlaps(ref_ball + arb("1e-40"))
        with pytest.raises(ValueError, match="not decided"):
            JetContext(a).abs(Jet(arb(0, 1e-10), 1))


def test_float_duals_agree_with_jets_to_float_precision():
    m = get_context("mpmath")
    with mpmath.workdps(30):
        J = _g(JetContext(m), Jet(mpmath.mpf("0.7"), 1), Jet(mpmath.mpf("-0.3")))
    d = _g(FloatDualContext(), Dual(0.7, 1.0), Dual(-0.3, 0.0))
    assert abs(d.re - float(J.a)) < 1e-14 and abs(d.du - float(J.b)) < 1e-13
