"""Fixed-point spaces: reduced loss and gradient against the full model, isotropy identification."""
import mpmath
import numpy as np
import pytest
import sympy
from flint import arb, ctx as flint_ctx
from hypothesis import given, settings, strategies as st

from symcrit import K, BlocksError, FixedPointSpace, StudentTeacher, isotropy

TYPES = [["k"], ["1", "k-1"], ["2", "k-2"], ["3", "k-3"], ["1", "1", "k-2"], ["1", "2", "k-3"]]


def _rand(sp, rng):
    return [mpmath.mpf(float(x)) for x in rng.normal(size=sp.dim)]


@pytest.mark.parametrize("blocks", TYPES)
def test_reduced_loss_equals_full_loss(blocks, dps50):
    """50 digits at random points, k = 3..12 (wherever the type exists)."""
    sp = FixedPointSpace(blocks)
    F = sp.loss_function("mpmath")
    G = sp.gradient_function("mpmath")
    rng = np.random.default_rng(len(blocks) * 7 + len(blocks[-1]))
    tol = mpmath.mpf(10) ** -45
    for k in range(max(3, sp.k_min), 13):
        vals = _rand(sp, rng)
        W = sp.embed(vals, k)
        m = StudentTeacher(k)
        assert abs(F(vals, k) - m.loss(W)) < tol * max(1, abs(m.loss(W)))
        if k <= 7:  # the mpmath full gradient is O(k^3) python operations
            g = G(vals, k)
            S = sp.slot_matrix(k)
            Gfull = m.gradient(W)
            assert max(abs(Gfull[i, j] - g[S[i, j]]) for i in range(k) for j in range(k)) < tol


@pytest.mark.parametrize("blocks", TYPES[:4])
def test_reduced_gradient_is_gradient_of_reduced_loss(blocks, dps50):
    sp = FixedPointSpace(blocks)
    rng = np.random.default_rng(5)
    F = sp.reduced_loss()
    vals = [sympy.Rational(int(x * 1000), 1000) for x in rng.normal(size=sp.dim)]
    sub = dict(zip(sp.params, vals))
    sub[K] = sympy.Rational(37, 3)  # a non-integer k: the formulas hold for real k
    for x, g in zip(sp.params, sp.reduced_gradient()):
        assert abs(sympy.N((sympy.diff(F, x) - g).subs(sub), 50)) < 1e-45


def test_symmetric_criticality(dps50):
    """A zero of the reduced gradient is a zero of the full k×k gradient, and a point of the space
    that is not critical for the reduced loss is not critical in full space either."""
    sp = FixedPointSpace(["1", "k-1"])
    k = 6
    G = sp.gradient_function("mpmath")
    J = sp.jacobian_function("mpmath")
    x = [mpmath.mpf(v) for v in (-0.9, 0.1, 0.3, 1.0, -0.02)]
    for _ in range(40):
        g = G(x, k)
        Jf = J(x, k)
        Jm = mpmath.matrix([Jf[i * sp.dim:(i + 1) * sp.dim] for i in range(sp.dim)])
        dx = mpmath.lu_solve(Jm, mpmath.matrix(g))
        x = [a - b for a, b in zip(x, dx)]
        if mpmath.norm(dx) < mpmath.mpf(10) ** -45:
            break
    m = StudentTeacher(k)
    assert max(abs(v) for v in m.gradient(sp.embed(x, k)).ravel()) < mpmath.mpf(10) ** -45
    # the SPEC checkpoint for sk1 at k = 6
    assert mpmath.nstr(m.loss(sp.embed(x, k)), 12) == "0.0250805810025"
    y = list(x)
    y[1] += mpmath.mpf("1e-3")
    assert max(abs(v) for v in G(y, k)) > 1e-6
    assert max(abs(v) for v in m.gradient(sp.embed(y, k)).ravel()) > 1e-6


def test_backends_agree():
    sp = FixedPointSpace(["2", "k-2"])
    vals = ["0.9", "-0.1", "0.2", "0.05", "1.1", "0.01"]
    with mpmath.workdps(60):
        ref = sp.loss_function("mpmath")([mpmath.mpf(v) for v in vals], 9)
        ref_str = mpmath.nstr(ref, 60)
    assert abs(sp.loss_function("float")([float(v) for v in vals], 9) - float(ref)) < 1e-13
    old = flint_ctx.prec
    with flint_ctx.workprec(150):
        ball = sp.loss_function("arb")(vals, 9)
        # the ball encloses the 60-digit value (inputs are binary approximations of the decimals
        # at 150 bits; the mpmath inputs at 60 digits differ by < 1e-45, far inside the tolerance)
        assert abs(ball - arb(ref_str)) < arb("1e-40")
        assert ball.rad() < arb("1e-40")
    assert flint_ctx.prec == old
    # sympy backend gives an exact number
    ex = sp.loss_function("sympy")([sympy.Rational(v) for v in vals], 9)
    assert abs(sympy.N(ex, 60) - sympy.Float(ref_str, 60)) < 1e-55


def test_float_backend_vectorises():
    sp = FixedPointSpace(["k"])
    q = np.linspace(-0.1, 0.1, 5)
    out = sp.loss_function("float")([np.full(5, 0.9), q], 10)
    assert out.shape == (5,)


def test_space_structure():
    sp = FixedPointSpace(["1", "k-1"])
    assert sp.dim == 5 and [str(p) for p in sp.params] == list("abcde")
    assert sympy.expand(sum(sp.orbit_sizes) - K**2) == 0
    s2 = FixedPointSpace(["2", "k-2"])
    assert [str(p) for p in s2.params] == ["alpha", "beta", "gamma", "delta", "d", "e"]
    assert sympy.expand(sum(s2.orbit_sizes) - K**2) == 0
    assert s2.k_min == 4
    assert FixedPointSpace("k").dim == 2
    assert FixedPointSpace([1, 1, "k-2"]).dim == 10
    # dimension does not depend on k; sizes at k
    assert s2.sizes_at(9) == [2, 7]
    assert s2.group_order(5) == 2 * 6
    assert s2.group_orbit_size(5) == 120**2 // 12
    with pytest.raises(ValueError):
        s2.sizes_at(3)


def test_embed_project_roundtrip():
    sp = FixedPointSpace(["1", "1", "k-2"])
    rng = np.random.default_rng(0)
    v = rng.normal(size=sp.dim)
    W = sp.embed(v, 7)
    assert np.allclose(sp.project(W), v)
    # projection of a general matrix is the orbit average
    A = rng.normal(size=(7, 7))
    P = sp.embed(sp.project(A), 7)
    assert np.allclose(sp.project(P), sp.project(A))
    assert abs(np.sum((A - P) * P)) < 1e-12  # orthogonal projection
    with mpmath.workdps(30):
        Wm = sp.embed([mpmath.mpf(x) for x in v], 7)
        assert Wm.dtype == object


@pytest.mark.parametrize("bad", ["1,k-2", "1,x", "k,k", "0,k", "", "1,,k-1", "k**2-k", "-1,k+1", "1.5,k-1.5"])
def test_bad_blocks(bad):
    with pytest.raises(BlocksError):
        FixedPointSpace(bad)


@pytest.mark.parametrize("sizes", [[1, 5], [2, 4], [3, 3], [1, 1, 4], [6], [2, 2, 2], [1, 2, 3], [1, 1, 1, 3]])
def test_isotropy_recovers_type_after_random_permutations(sizes):
    rng = np.random.default_rng(sum(sizes) * len(sizes))
    sp = FixedPointSpace(sizes)
    k = sum(sizes)
    for _ in range(5):
        W = sp.embed(rng.normal(size=sp.dim), k)
        r, c = rng.permutation(k), rng.permutation(k)
        iso = isotropy(W[r][:, c])
        assert sorted(iso.sizes) == sorted(sizes)
        Wc = iso.canonical(W[r][:, c])
        cs = iso.space
        assert np.abs(cs.embed(cs.project(Wc), k) - Wc).max() < 1e-12


@settings(max_examples=30, deadline=None)
@given(st.integers(3, 7), st.integers(0, 2**32 - 1))
def test_isotropy_of_generic_points_is_trivial(k, seed):
    W = np.random.default_rng(seed).normal(size=(k, k))
    assert isotropy(W).sizes == (1,) * k


def test_isotropy_of_identity_is_full():
    assert isotropy(np.eye(5)).sizes == (5,)


@pytest.mark.parametrize("blocks", [["k"], ["1", "k-1"], ["2", "k-2"], [1, 1, "k-2"]])
def test_reduced_loss_and_gradient_match_the_full_model(blocks):
    sp = FixedPointSpace(blocks, extra=1)
    assert sp.params[-1].name == f"u{len(sp.sizes)}"
    rng = np.random.default_rng(len(blocks))
    k = 7
    with mpmath.workdps(40):
        x = [mpmath.mpf(float(v)) for v in rng.normal(0, 0.5, sp.dim)]
        W = sp.embed(x, k)
        assert W.shape == (k + 1, k)
        m = StudentTeacher(k, n=k + 1)
        # 40 digits; the loss is a sum of O(k^2) terms of size O(1): 1e-35 leaves 10^3 for rounding
        assert abs(sp.loss_function("mpmath")(x, k) - m.loss(W)) < mpmath.mpf(10) ** -35
        G = m.gradient(W)
        S = sp.slot_matrix(k)
        g = sp.gradient_function("mpmath")(x, k)
        for i in range(sp.dim):
            assert max(abs(v - g[i]) for v in G[S == i]) < mpmath.mpf(10) ** -35
        # the orbit sizes count the entries of each orbit, and project inverts embed
        assert [int(o.subs(K, k)) if not o.is_number else int(o) for o in sp.orbit_sizes] == \
            [int((S == i).sum()) for i in range(sp.dim)]
        assert max(abs(a - b) for a, b in zip(sp.project(W), x)) < mpmath.mpf(10) ** -35
