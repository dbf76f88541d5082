"""Neuron splitting and zero neurons: critical points of width k give critical points of width k+1
(trainable second layer), checked in the full loss at 40 digits."""
import itertools

import mpmath
import numpy as np
import pytest

from symcrit import StudentTeacher, mpmath_matrix
from symcrit.critical.families import family
from symcrit.landscape.embed import add_zero_neuron, split_neuron, configuration, full_hessian, hessian_index, narrow_critical_point


def _grads(W, a, k):
    m = StudentTeacher(k, n=W.shape[0])
    return m.loss(W, a), m.gradient(W, a), m.gradient_alpha(W, a)


@pytest.mark.parametrize("t", ["0.25", "0.5", "-0.3"])
def test_split_sk1_stays_critical(t):
    k = 6
    cp = family("sk1").solve(k, dps=50, verify=False)
    with mpmath.workdps(50):
        W = cp.W
        a = mpmath_matrix(np.ones(k))
        F0, G0, A0 = _grads(W, a, k)
        assert max(abs(x) for x in A0) < mpmath.mpf(10) ** -40   # Euler: alpha-critical too
        W2, a2 = split_neuron(W, a, 0, mpmath.mpf(t))
        F, G, A = _grads(W2, a2, k)
        tol = mpmath.mpf(10) ** -40
        assert abs(F - F0) < tol
        assert max(abs(x) for x in G.ravel()) < tol and max(abs(x) for x in A) < tol


def test_zero_neuron_along_an_existing_direction_is_critical():
    k = 6
    cp = family("s2").solve(k, dps=50, verify=False)
    with mpmath.workdps(50):
        W2, a2 = add_zero_neuron(cp.W, mpmath_matrix(np.ones(k)), 3, c=mpmath.mpf("2.5"))
        F, G, A = _grads(W2, a2, k)
        assert abs(F - cp.loss) < mpmath.mpf(10) ** -40
        assert max(abs(x) for x in G.ravel()) < mpmath.mpf(10) ** -40
        assert max(abs(x) for x in A) < mpmath.mpf(10) ** -40
    # along a new direction it is not critical (the output-weight gradient is the residual's projection)
    W3, a3 = add_zero_neuron(np.array(cp.W, dtype=float), np.ones(k), 3)
    W3[-1] = np.random.default_rng(0).normal(size=k)
    assert np.abs(StudentTeacher(k, n=k + 1).gradient_alpha(W3, a3)).max() > 1e-4


def _configs(r, m):
    return [lam for lam in itertools.product(range(r + 1), repeat=m) if not set(range(1, r + 1)) - set(lam)]


def _splits(lam, rng):
    fr = {}
    for j in set(lam) - {0}:
        grp = [i for i in range(len(lam)) if lam[i] == j]
        x = rng.normal(size=len(grp))
        x = x - (x.sum() - 1) / len(grp)           # random fractions summing to 1
        fr.update({i: mpmath.mpf(float(v)) for i, v in zip(grp, x)})
        fr[grp[-1]] = 1 - sum(fr[i] for i in grp[:-1])
    return [fr.get(i, 0) for i in range(len(lam))]


def test_T_subspaces_are_zero_loss_in_the_relu_model():
    rstar, m, rng = 2, 3, np.random.default_rng(1)
    with mpmath.workdps(40):
        V, one = mpmath_matrix(np.eye(rstar)), mpmath_matrix(np.ones(rstar))
        model = StudentTeacher(rstar, n=m)
        for lam in _configs(rstar, m):
            free = mpmath_matrix(rng.normal(size=(m, rstar)))      # zero-type: any incoming vector
            W, a = configuration(V, one, lam, _splits(lam, rng), inactive=free)
            assert abs(model.loss(W, a)) < mpmath.mpf(10) ** -35
        # control: output weights of a group not summing to the teacher's -> positive loss
        W, a = configuration(V, one, (1, 1, 2), [mpmath.mpf("0.3"), mpmath.mpf("0.6"), 1])
        assert model.loss(W, a) > mpmath.mpf(10) ** -3


def test_G_subspaces_are_critical_in_the_relu_model():
    r, rstar, m, rng = 2, 3, 3, np.random.default_rng(2)
    Wr = narrow_critical_point(r, rstar, dps=40)
    eps = mpmath.mpf(10) ** -30                                 # inactive neurons: w -> 0
    with mpmath.workdps(40):
        one = mpmath_matrix(np.ones(r))
        model = StudentTeacher(rstar, n=m)
        F0 = StudentTeacher(rstar, n=r).loss(Wr)
        for lam in _configs(r, m):
            tiny = eps * mpmath_matrix(rng.normal(size=(m, rstar)))
            W, a = configuration(Wr, one, lam, _splits(lam, rng), inactive=tiny)
            g = max(abs(v) for v in list(model.gradient(W, a).ravel()) + list(model.gradient_alpha(W, a)))
            assert g < mpmath.mpf(10) ** -28, lam              # O(eps) from the inactive neurons
            assert abs(model.loss(W, a) - F0) < mpmath.mpf(10) ** -28
        # control: an inactive neuron with a finite incoming vector is not critical
        W, a = configuration(Wr, one, (1, 2, 0), [1, 1, 0], inactive=mpmath_matrix(rng.normal(size=(m, rstar))))
        assert max(abs(v) for v in model.gradient_alpha(W, a)) > mpmath.mpf(10) ** -4


def test_full_hessian_matches_the_analytic_W_block_and_split_index():
    # a width-2 critical point for the teacher I_3; its (W, alpha) Hessian by differences agrees with
    # the analytic W-Hessian; splitting a neuron with t in (0, 1) vs t outside changes the index
    r, rstar = 2, 3
    Wr = narrow_critical_point(r, rstar, dps=40)
    with mpmath.workdps(40):
        one = mpmath_matrix(np.ones(r))
        m = StudentTeacher(rstar, n=r)
        H = full_hessian(m, Wr, one)
        Hw = m.hessian(Wr)
        N = r * rstar
        assert max(abs(H[i, j] - Hw[i, j]) for i in range(N) for j in range(N)) < mpmath.mpf(10) ** -20
        (neg, zero, pos), _ = hessian_index(H, mpmath.mpf(10) ** -15)
        assert zero == r                               # one rescaling (w_i c, a_i / c) per neuron
        counts = {}
        for t in ("0.5", "1.5"):
            W2, a2 = split_neuron(Wr, one, 0, mpmath.mpf(t))
            counts[t], _ = hessian_index(full_hessian(StudentTeacher(rstar, n=r + 1), W2, a2), mpmath.mpf(10) ** -15)
            assert counts[t][1] == r + 2               # rescalings + the split line
        assert counts["0.5"] != counts["1.5"]
