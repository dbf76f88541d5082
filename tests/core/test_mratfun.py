"""Exact series over Q(P, y) with box-decided branches (symcrit.core.mratfun)."""
import pytest
from flint import arb, fmpq

from symcrit.core.errors import PrecisionError
from symcrit.core.laurent import LSeries, SeriesContext, series_precision
from symcrit.core.mratfun import MRatRing, NeedRoot
from symcrit.core.rings import NotExact


def _f(ctx, y1, y2, s):
    # square root, atan2 (both branches), inverse and abs: the operations of the compiled gradients
    return (ctx.sqrt(y1 * y1 + s * s * y2) + ctx.atan2(s * y2, -y1 + s) + ctx.atan2(y1, s * y2) * y2
            + 1 / (y2 + s * y1) + ctx.abs(s * y2 - y1 * s * s) * ctx.pi())


def test_symbolic_coefficients_agree_with_balls_at_a_point_of_the_box():
    """Independent route: the coefficients in Q(P, y), evaluated at a point of the box, against the
    same function evaluated on ball series at that point."""
    y0 = [fmpq(3, 2), fmpq(-5, 7)]
    R = MRatRing(["y1", "y2"], [arb(3) / 2 + arb(0, 1e-6), arb(-5) / 7 + arb(0, 1e-6)])
    with series_precision(200, 8, ring=R):
        s = LSeries.var()
        sym = _f(SeriesContext(), LSeries.const(R.gen(0)), LSeries.const(R.gen(1)), s)
        cs = [sym.coeff(p) for p in range(sym.v, sym.prec)]
        v0 = sym.v
        # the coefficients as rational functions, then at the exact point y0 and P = π
        vals = [c.value([arb.pi(), arb(y0[0]), arb(y0[1])]) for c in cs]
    with series_precision(200, 8, ring="arb"):
        s = LSeries.var()
        num = _f(SeriesContext(), LSeries.const(arb(y0[0])), LSeries.const(arb(y0[1])), s)
        for p, v in zip(range(v0, num.prec), vals):
            assert num.coeff(p).overlaps(v), p
    assert sum(1 for v in vals if not v.contains(0)) >= 4


def test_branch_decisions_must_hold_on_the_whole_box():
    """A coefficient that is not zero but vanishes inside the box cannot be a leading coefficient."""
    R = MRatRing(["y"], [arb(2) + arb(0, 1e-3)])
    with series_precision(128, 6, ring=R):
        y = LSeries.const(R.gen(0))
        with pytest.raises(PrecisionError, match="not constant on the box"):
            (y - 2).inv()
        assert (y - 3).inv().coeff(0) == 1 / (R.gen(0) - 3)  # nonzero on the box: fine
        assert (y - y).is_zero()  # exactly zero, whatever the box


def test_square_roots_adjoin_sqrt2():
    R = MRatRing(["y"], [arb(-1) + arb(0, 1e-3)])
    y = R.gen(0)
    with pytest.raises(NeedRoot) as e:
        R.sqrt(2 * y * y)
    assert e.value.radicand == 2
    R2 = MRatRing(["y"], [arb(-1) + arb(0, 1e-3)], roots=(2,))
    y, q = R2.gen(0), R2.root(2)
    r = R2.sqrt(2 * y * y)
    assert r == -q * y  # the root positive on the box (y < 0)
    assert q * q == 2 and 1 / (1 + q) == q - 1  # reduced, denominators rationalized
    assert (q * y + 1) * (q * y - 1) == 2 * y * y - 1
    with pytest.raises(NotExact):
        R2.sqrt(y * y + 1)
