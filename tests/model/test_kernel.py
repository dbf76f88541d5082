"""The arc-cosine kernel and its derivatives (symcrit.model.kernel), against closed forms, finite
differences and the profile route."""
import mpmath
import numpy as np
import pytest
import sympy

from symcrit.core.contexts import get_context
from symcrit.model.kernel import FactoredRootsContext, angle, h1, h2, kernel, kernel_from_sums, kernel_grad, profile_sums

M = get_context("mpmath")


def _vec(*xs):
    return np.array([mpmath.mpf(x) for x in xs], dtype=object)


def test_closed_forms():
    with mpmath.workdps(40):
        u = _vec("0.3", "-1.2", "0.5")
        assert abs(kernel(M, u, u) - sum(x * x for x in u) / 2) < 1e-35                 # f(u, u) = |u|^2/2
        assert abs(kernel(M, u, -u)) < 1e-35                                             # opposite: 0
        e1, e2 = _vec(2, 0, 0), _vec(0, 3, 0)
        assert abs(kernel(M, e1, e2) - 6 / (2 * mpmath.pi)) < 1e-35                      # orthogonal: |u||v|/2π
        # theta near 0 without cancellation: two vectors 1e-30 apart
        v = u + _vec("1e-30", 0, 0)
        cross = mpmath.mpf("1e-30") * mpmath.sqrt(mpmath.mpf("1.2") ** 2 + mpmath.mpf("0.5") ** 2)  # |u x (v - u)|
        assert abs(angle(M, u, v) / (cross / sum(x * x for x in u)) - 1) < 1e-9  # v - u is 1e-30 to ~10 digits


def test_gradient_and_hessian_blocks_against_finite_differences():
    with mpmath.workdps(50):
        w, v = _vec("0.4", "-0.7", "1.1"), _vec("-0.2", "0.9", "0.3")
        g = kernel_grad(M, w, v)
        H1, H2 = h1(M, w, v), h2(M, w, v)
        for i in range(3):
            e = _vec(*[1 if j == i else 0 for j in range(3)])
            fd = mpmath.diff(lambda t: kernel(M, w + t * e, v), 0)
            assert abs(g[i] - fd) < mpmath.mpf(10) ** -40
            for j in range(3):
                fd1 = mpmath.diff(lambda t: kernel_grad(M, w + t * e, v)[j], 0)
                fd2 = mpmath.diff(lambda t: kernel_grad(M, w, v + t * e)[j], 0)
                assert abs(H1[j, i] - fd1) < mpmath.mpf(10) ** -40
                assert abs(H2[j, i] - fd2) < mpmath.mpf(10) ** -40


@pytest.mark.parametrize("ctx_name", ["mpmath", "sympy"])
def test_profile_route_equals_dense_vectors(ctx_name):
    """u = (a, a, a, b), v = (c, c, c, d) as a profile [(3, a, c), (1, b, d)]."""
    ctx = get_context(ctx_name)
    with mpmath.workdps(40):
        a, b, c, d = (ctx.convert(sympy.Rational(x)) for x in ("1/2", "-5/4", "3/4", "2"))
        val = kernel_from_sums(ctx, *profile_sums(ctx, [(3, a, c), (1, b, d)]))
        dense = kernel(M, _vec("0.5", "0.5", "0.5", "-1.25"), _vec("0.75", "0.75", "0.75", "2"))
        assert abs(mpmath.mpf(val if ctx_name == "mpmath" else val.evalf(45)) - dense) < 1e-35


def test_factored_roots_take_out_the_common_factor_of_the_minors():
    """sqrt(S) = |g| sqrt(rest): the same value as sqrt(S), and a derivative bounded where g = 0."""
    p, q, k = sympy.symbols("p q k", real=True)
    prof = [(1, p, q), (k - 1, q, q)]
    F = FactoredRootsContext()
    r = F.profile_root(prof, None)
    S = profile_sums(get_context("sympy"), prof)[3]
    for vals in ({p: 0.3, q: -0.7, k: 6}, {p: 2, q: 0.5, k: 9}):
        assert abs(float((r - sympy.sqrt(S)).subs(vals))) < 1e-14
    dr = sympy.diff(r, p).subs({q: sympy.Rational(1, 5), k: 6})  # at p = q: a sign times a finite number
    assert dr.subs(p, sympy.Rational(1, 5) + sympy.Rational(1, 10**6)).is_finite
    assert F.profile_root([(1, p, p), (k - 1, p, p)], None) == 0  # no minor: exactly aligned rows
