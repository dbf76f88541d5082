"""Neuron splitting and zero neurons: critical points of width k give critical points of width k+1
(trainable second layer), checked in the full loss at 40 digits."""
import mpmath
import numpy as np
import pytest

from symcrit import StudentTeacher, mpmath_matrix
from symcrit.landscape.embed import add_zero_neuron, split_neuron
from symcrit.critical.families import family


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
