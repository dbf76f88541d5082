"""The full-space model: values, derivatives, symmetry, Monte Carlo."""
import math

import mpmath
import numpy as np
import pytest

from symcrit import StudentTeacher, mpmath_matrix


@pytest.mark.parametrize("k,d", [(3, 3), (4, 6), (5, 5)])
def test_teacher_is_a_zero(k, d):
    m = StudentTeacher(k, d=d)
    V = m.teacher
    assert m.loss(V) == 0.0
    assert np.abs(m.gradient(V)).max() == 0.0
    with mpmath.workdps(40):
        Vm = mpmath_matrix(V)
        assert abs(m.loss(Vm)) < mpmath.mpf(10) ** -38
        assert max(abs(x) for x in m.gradient(Vm).ravel()) < mpmath.mpf(10) ** -38


def test_invariance_under_permutations():
    rng = np.random.default_rng(3)
    k = 6
    m = StudentTeacher(k)
    W = rng.normal(size=(k, k))
    F = m.loss(W)
    for _ in range(5):
        P = np.eye(k)[rng.permutation(k)]
        Q = np.eye(k)[rng.permutation(k)]
        # diagonal action and the full S_k x S_k action (teacher V = I)
        assert m.loss(P @ W @ P.T) == pytest.approx(F, rel=1e-13)
        assert m.loss(P @ W @ Q.T) == pytest.approx(F, rel=1e-13)
        assert np.allclose(m.gradient(P @ W @ Q.T), P @ m.gradient(W) @ Q.T, atol=1e-13)


def _fd_grad(f, X, h):
    G = np.empty(X.shape, dtype=object)
    for idx in np.ndindex(X.shape):
        Xp, Xm = X.copy(), X.copy()
        Xp[idx] += h
        Xm[idx] -= h
        G[idx] = (f(Xp) - f(Xm)) / (2 * h)
    return G


# Central differences with step h have truncation error h^2 |f'''| / 6; with h = 1e-12 at 40 digits
# that is ~1e-25 for derivatives of order one, plus rounding 1e-40 / 1e-12 = 1e-28.  The tolerance
# 1e-20 leaves five orders of magnitude for larger third derivatives, and is 1e12 times smaller
# than any error a wrong formula would make.
TOL_FD = mpmath.mpf("1e-20")


@pytest.mark.parametrize("k,d,n", [(3, 3, 3), (3, 5, 4), (4, 4, 4)])
def test_gradient_and_hessian_against_finite_differences(k, d, n):
    rng = np.random.default_rng(k + 10 * d + 100 * n)
    m = StudentTeacher(k, d=d, n=n)
    with mpmath.workdps(40):
        W = mpmath_matrix(rng.normal(size=(n, d)))
        h = mpmath.mpf(10) ** -12
        G = m.gradient(W)
        assert max(abs(x) for x in (G - _fd_grad(m.loss, W, h)).ravel()) < TOL_FD
        H = m.hessian(W)
        for idx in np.ndindex(W.shape):
            Wp, Wm = W.copy(), W.copy()
            Wp[idx] += h
            Wm[idx] -= h
            col = ((m.gradient(Wp) - m.gradient(Wm)) / (2 * h)).ravel()
            j = idx[0] * d + idx[1]
            assert max(abs(x) for x in (col - H[:, j])) < TOL_FD
        # symmetric
        assert max(abs(x) for x in (H - H.T).ravel()) < mpmath.mpf(10) ** -35


def test_trainable_second_layer_gradient():
    rng = np.random.default_rng(7)
    m = StudentTeacher(3, n=4)
    with mpmath.workdps(40):
        W = mpmath_matrix(rng.normal(size=(4, 3)))
        a = mpmath_matrix(rng.normal(size=4))
        h = mpmath.mpf(10) ** -12
        ga = m.gradient_alpha(W, a)
        fd = _fd_grad(lambda x: m.loss(W, x), a, h)
        assert max(abs(x) for x in (ga - fd)) < TOL_FD
        # W-gradient and Hessian with non-unit alpha
        G = m.gradient(W, a)
        assert max(abs(x) for x in (G - _fd_grad(lambda X: m.loss(X, a), W, h)).ravel()) < TOL_FD


def test_float_and_mpmath_agree():
    rng = np.random.default_rng(11)
    m = StudentTeacher(5, d=7, n=6)
    W = rng.normal(size=(6, 7))
    with mpmath.workdps(30):
        Wm = mpmath_matrix(W)
        assert abs(m.loss(W) - float(m.loss(Wm))) < 1e-13
        assert np.abs(m.gradient(W) - m.gradient(Wm).astype(float)).max() < 1e-13
        assert np.abs(m.hessian(W) - m.hessian(Wm).astype(float)).max() < 1e-13


def test_robust_angles_near_alignment():
    # a student row almost aligned with its teacher: acos(u.v/|u||v|) would lose half the digits
    m = StudentTeacher(3)
    eps = 1e-9
    W = np.eye(3)
    W[0, 1] = eps
    with mpmath.workdps(40):
        ref = m.gradient(mpmath_matrix(W)).astype(float)
    assert np.abs(m.gradient(W) - ref).max() < 1e-15


def test_loss_against_monte_carlo():
    """F = E[...]/2 estimated from 400k Gaussian samples.

    The estimator is a mean of i.i.d. terms; its standard error is estimated from the same
    sample.  We accept |F - mean| < 5 standard errors: a correct formula fails with probability
    below 1e-6 (and the seed is fixed), while a wrong normalisation (factor 2, missing 1/2pi term)
    is off by many hundreds of standard errors.
    """
    rng = np.random.default_rng(2024)
    k, d, n = 3, 4, 3
    m = StudentTeacher(k, d=d, n=n)
    W = rng.normal(size=(n, d))
    N = 400_000
    X = rng.normal(size=(N, d))
    y = np.maximum(X @ W.T, 0).sum(1) - np.maximum(X @ m.teacher.T, 0).sum(1)
    terms = 0.5 * y**2
    se = terms.std(ddof=1) / math.sqrt(N)
    assert abs(terms.mean() - m.loss(W)) < 5 * se


def test_hessian_at_global_minimum_matches_closed_form():
    """SPEC §3: at W = I, eigenvalue 1/4 - 1/(2 pi) with multiplicity k(k-1)/2 and
    1/4 + 1/(2 pi) with multiplicity k(k-3)/2."""
    for k in (5, 6, 8):
        m = StudentTeacher(k)
        ev = np.linalg.eigvalsh(m.hessian(np.eye(k)))
        lo, hi = 0.25 - 1 / (2 * np.pi), 0.25 + 1 / (2 * np.pi)
        assert np.sum(np.abs(ev - lo) < 1e-10) == k * (k - 1) // 2
        assert np.sum(np.abs(ev - hi) < 1e-10) == k * (k - 3) // 2
        assert ev.min() > 0


def test_bad_shapes():
    m = StudentTeacher(3)
    with pytest.raises(ValueError):
        m.loss(np.eye(4))
    with pytest.raises(ValueError):
        StudentTeacher(3, d=2)
    with pytest.raises(ValueError):
        m.gradient(np.zeros((3, 3)))
