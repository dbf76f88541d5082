"""The reduced Jacobians by forward-mode AD (symcrit.core.ad) against three independent routes:
sympy.diff of the gradient (the former method), central finite differences, and scalar dual numbers
run through the compiled gradient; in ball arithmetic the AD Jacobian must enclose the exact one."""
from __future__ import annotations

import random

import mpmath
import numpy as np
import pytest
import sympy
from flint import arb, ctx as flint_ctx

from symcrit.core.ad import TraceError, jacobian_program
from symcrit.core.compile import compile_exprs
from symcrit.core.contexts import get_context
from symcrit.core.dual import Dual, DualOver
from symcrit.core.laurent import LSeries, SeriesContext, ball_mid, series_precision
from symcrit.symmetry.fixedpoint import K, FixedPointSpace

SPACES = [(["k"], 0), (["1", "k-1"], 0), (["2", "k-2"], 0), (["1", "1", "k-2"], 0), (["1", "k-1"], 1)]


def _points(sp, count, seed):
    rng = random.Random(seed)
    with mpmath.workdps(60):
        for _ in range(count):
            x = [mpmath.mpf(rng.randint(-900, 900)) / 1000 for _ in range(sp.dim)]
            yield x, mpmath.mpf(rng.choice([7, 12, 31]))


def _symbolic_jacobian(sp):
    return compile_exprs(list(sp.params) + [K], list(sp.entry_jacobian()), "symbolic_jacobian")


@pytest.mark.parametrize("blocks,extra", SPACES)
def test_ad_equals_symbolic_jacobian(blocks, extra):
    sp = FixedPointSpace(blocks, extra=extra)
    Js = _symbolic_jacobian(sp)
    ctx = get_context("mpmath")
    with mpmath.workdps(60):
        for x, k in _points(sp, 4, 1):
            a = sp.compiled["jac"](ctx, *x, k)
            b = Js(ctx, *x, k)
            assert len(a) == sp.dim ** 2
            scale = 1 + max(abs(v) for v in b)
            assert max(abs(u - v) for u, v in zip(a, b)) < mpmath.mpf(10) ** -40 * scale


@pytest.mark.parametrize("blocks,extra", SPACES[1:])
def test_ad_jacobian_matches_finite_differences_and_scalar_duals(blocks, extra):
    sp = FixedPointSpace(blocks, extra=extra)
    G = sp.compiled["grad"]
    n = sp.dim
    mctx = get_context("mpmath")
    dctx = DualOver(mctx)
    with mpmath.workdps(60):
        for x, k in _points(sp, 2, 2):
            J = sp.jacobian_function("mpmath")(x, k)
            h = mpmath.mpf(10) ** -18
            for j in range(n):
                xp, xm = list(x), list(x)
                xp[j] += h
                xm[j] -= h
                fd = [(p - m) / (2 * h) for p, m in zip(G(mctx, *xp, k), G(mctx, *xm, k))]
                du = G(dctx, *[Dual(v, 1 if i == j else 0) for i, v in enumerate(x)], k)
                for i in range(n):
                    ad = J[i * n + j]
                    assert abs(fd[i] - ad) < mpmath.mpf(10) ** -25 * (1 + abs(ad))
                    d = du[i].du if isinstance(du[i], Dual) else 0
                    assert abs(d - ad) < mpmath.mpf(10) ** -50 * (1 + abs(ad))


@pytest.mark.parametrize("blocks,extra", [(["1", "k-1"], 0), (["2", "k-2"], 0), (["1", "k-1"], 1)])
def test_arb_jacobian_encloses_the_exact_one(blocks, extra):
    """At a point: the ball contains the 80-digit value.  On a box: it contains the Jacobian at
    sampled points of the box (the Krawczyk test needs an enclosure over the box)."""
    sp = FixedPointSpace(blocks, extra=extra)
    actx, mctx = get_context("arb"), get_context("mpmath")
    Jc = sp.compiled["jac"]
    rng = random.Random(3)
    for x, k in _points(sp, 3, 4):
        with flint_ctx.workprec(200):
            Ja = Jc(actx, *[actx.convert(v) for v in x], arb(int(k)))
            assert all(b.rad() < arb(10) ** -50 for b in Ja)
        with mpmath.workdps(80):
            Jm = Jc(mctx, *x, k)
        with flint_ctx.workprec(400):  # v is exact at this precision: a ball of radius 0
            for b, v in zip(Ja, Jm):
                assert b.contains(actx.convert(v)) or abs(ball_mid(b) - v) < mpmath.mpf(10) ** -75
        r = mpmath.mpf(10) ** -3
        with flint_ctx.workprec(200):
            box = [actx.convert(v) + arb(0, float(r)) for v in x]
            Jbox = Jc(actx, *box, arb(int(k)))
        for _ in range(3):
            with mpmath.workdps(60):
                y = [v + r * (2 * mpmath.mpf(rng.random()) - 1) * mpmath.mpf("0.99") for v in x]
                Jy = Jc(mctx, *y, k)
            with flint_ctx.workprec(400):
                assert all(b.contains(actx.convert(v)) for b, v in zip(Jbox, Jy))


def test_arb_jacobian_at_an_abs_kink_contains_both_one_sided_derivatives():
    """Where the argument of |t| is 0 the derivative jumps; over a ball around that point the AD
    Jacobian takes sign(t) = [-1, 1] and so contains the Jacobians on both sides."""
    sp = FixedPointSpace(["1", "k-1"])
    actx, mctx = get_context("arb"), get_context("mpmath")
    x = [mpmath.mpf(-1) / 2, mpmath.mpf(0), mpmath.mpf(1) / 5, mpmath.mpf(1), mpmath.mpf(1) / 10]
    Jc = sp.compiled["jac"]
    with flint_ctx.workprec(200):
        box = [actx.convert(v) + arb(0, 1e-6) for v in x]
        Jbox = Jc(actx, *box, arb(9))
    for side in (1, -1):
        with mpmath.workdps(60):
            y = list(x)
            y[1] = side * mpmath.mpf(10) ** -7
            Jy = Jc(mctx, *y, mpmath.mpf(9))
        with flint_ctx.workprec(400):
            assert all(b.contains(actx.convert(v)) for b, v in zip(Jbox, Jy))


def test_series_jacobian_equals_symbolic_jacobian():
    sp = FixedPointSpace(["1", "k-1"])
    Js = _symbolic_jacobian(sp)
    with series_precision(256, 12, ring="numeric"):  # a comparison at an arbitrary point: tolerance zero test
        ctx = SeriesContext()
        s = LSeries.var()
        k = s ** -2
        x = [LSeries.const(-1) + s * 2, s * 3 + s ** 2, s * s, LSeries.const(1) - s, s ** 3 + s * s]
        a = sp.compiled["jac"](ctx, *x, k)
        b = Js(ctx, *x, k)
        for u, v in zip(a, b):
            d = (u - v)
            assert d.is_zero() or all(abs(ball_mid(c)) < 1e-60 for c in d.coeffs())
            assert u.prec >= 6


def test_float_jacobian_vectorised():
    sp = FixedPointSpace(["2", "k-2"])
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(sp.dim, 7))
    ctx = get_context("float")
    J = sp.compiled["jac"](ctx, *X, np.float64(11.0))
    for c in range(7):
        Jc = sp.jacobian_function("float")(list(X[:, c]), 11.0)
        assert np.allclose([np.broadcast_to(v, (7,))[c] for v in J], Jc, rtol=1e-12, atol=1e-12)


def test_gradient_and_jacobian_in_one_call():
    sp = FixedPointSpace(["1", "k-1"], extra=1)
    with mpmath.workdps(40):
        x, k = next(_points(sp, 1, 5))
        G, J = sp.gradient_jacobian_function("mpmath")(x, k)
        assert G == sp.gradient_function("mpmath")(x, k)
        assert J == sp.jacobian_function("mpmath")(x, k)


def test_trace_refuses_branches_and_keeps_exact_constants():
    x, y = sympy.symbols("x y")
    f = compile_exprs([x, y], [x / 3 + y * x, sympy.sqrt(x) * sympy.pi])
    J = jacobian_program(f, 2, 2)
    assert "_ctx.rational(1, 3)" in J.source and "0.333" not in J.source
    with mpmath.workdps(30):
        v = J(get_context("mpmath"), mpmath.mpf(4), mpmath.mpf(2))
        assert abs(v[0] - (mpmath.mpf(1) / 3 + 2)) < 1e-28 and v[1] == 4
        assert abs(v[2] - mpmath.pi / 4) < 1e-28 and v[3] == 0

    def branching(_ctx, a):
        return [a if a > 0 else -a]

    with pytest.raises(TraceError):
        jacobian_program(branching, 1, 1)
