"""Forward-mode dual numbers (symcrit.core.dual): derivatives against mpmath.diff (an independent
route: numerical differentiation at high precision)."""
import mpmath
import pytest
from flint import arb, ctx as flint_ctx

from symcrit.core.contexts import get_context
from symcrit.core.dual import Dual, DualContext, DualOver


def _f(ctx, x):
    """A test function using every rule: sqrt, atan2, /, integer powers, abs, pi, rational."""
    return ctx.sqrt(x * x * x + 1) / (x + 2) + ctx.atan2(x ** 2, 1 - x) * ctx.pi() + ctx.abs(x - 3) * ctx.rational(1, 3)


@pytest.mark.parametrize("x0", ["0.3", "1.7", "-0.4"])
def test_dual_derivative_equals_numerical_differentiation(x0):
    with mpmath.workdps(40):
        x0 = mpmath.mpf(x0)
        y = _f(DualContext(), Dual(x0, mpmath.mpf(1)))
        assert abs(y.re - _f(get_context("mpmath"), x0)) < mpmath.mpf(10) ** -35
        ref = mpmath.diff(lambda t: _f(get_context("mpmath"), t), x0)
        assert abs(y.du - ref) < mpmath.mpf(10) ** -30


def test_dual_over_arb_encloses_the_derivative():
    """The ball derivative meets the 80-digit mpmath dual derivative (rounded: a ball of 1e-70)."""
    with mpmath.workdps(80):
        ref = _f(DualContext(), Dual(mpmath.mpf(3) / 10, mpmath.mpf(1))).du
    with flint_ctx.workprec(200):
        ref_ball = arb(mpmath.nstr(ref, 75), 1e-70)
        y = _f(DualOver(get_context("arb")), Dual(arb(3) / 10, arb(1)))
        assert y.du.overlaps(ref_ball) and y.du.rad() < 1e-50
        assert not y.du.overlaps(ref_ball + arb("1e-40"))


def test_sqrt_at_a_double_zero_takes_the_first_order_term():
    """S = (u1 v2 - u2 v1)^2 vanishes to second order at aligned vectors: d sqrt(S) = |dt|."""
    ctx = DualContext()
    with mpmath.workdps(30):
        t = Dual(mpmath.mpf(0), mpmath.mpf(3))              # u1 v2 - u2 v1 = 0 + 3 eps
        S = t * t
        r = ctx.profile_root([(1, Dual(mpmath.mpf(1), 0), Dual(mpmath.mpf(1), 0)),
                              (1, Dual(mpmath.mpf(0), mpmath.mpf(3)), Dual(mpmath.mpf(0), 0))], S)
        assert r.re == 0 and abs(r.du - 3) < 1e-25
        with pytest.raises(ZeroDivisionError):
            ctx.sqrt(Dual(mpmath.mpf(0), mpmath.mpf(1)))    # a simple zero: no derivative
