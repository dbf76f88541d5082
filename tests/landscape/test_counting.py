"""Counts of symmetry-induced affine subspaces (Şimşek et al. 2021): closed forms against the sums
they come from, against brute-force enumeration of the subspaces themselves, and the subspaces
checked in symcrit's ReLU model (zero loss for T, critical points for G) at 40 digits."""
import itertools
import math

import mpmath
import numpy as np
import pytest
from flint import fmpz

from symcrit import StudentTeacher, mpmath_matrix
from symcrit.landscape.counting import G, G_sum, T, T_sum, brute_force, count, crossover, stirling2_row
from symcrit.landscape.embed import configuration, full_hessian, hessian_index, narrow_critical_point, split_neuron


def test_stirling_row_matches_flint():
    n = 157
    row = stirling2_row(n, 60)
    assert row == [int(fmpz.stirling_s2(n, j)) for j in range(61)]


@pytest.mark.parametrize("rstar", [1, 2, 3, 5, 8])
def test_closed_forms_equal_the_sums(rstar):
    for m in range(rstar, rstar + 12):
        assert T(rstar, m) == T_sum(rstar, m)
        assert G(rstar, m) == G_sum(rstar, m)


@pytest.mark.parametrize("kind", ["T", "G"])
def test_brute_force_enumeration(kind):
    # every labelled configuration is an affine subspace; none lies in another (so they are
    # distinct and maximal), and their number is the closed form
    for r in (1, 2, 3):
        for m in range(r, r + 3):
            if (r + 1) ** m > 300:
                continue
            n, ok = brute_force(kind, r, m, d=2, seed=r + m)
            assert ok, (kind, r, m)
            assert n == (T if kind == "T" else G)(r, m)


def test_count_is_exact_and_shows_the_crossover():
    c = count(4, 4)
    assert c["T"] == math.factorial(4) and c["G"] == {1: 15, 2: 50, 3: 60}
    # at h = 0, the width-(r*-1) subspaces alone outnumber T by (r* + 1)/2
    for rstar in (3, 5, 9):
        c = count(rstar, rstar)
        assert 2 * c["G"][rstar - 1] == (rstar + 1) * c["T"]
    # T dominates for large h: T / G(r*-1) -> grows like ((r*+1)/r*)^m
    big = count(5, 400)
    assert big["T"] > 10 ** 20 * big["G_total"]
    hs = [crossover(r) for r in (2, 3, 5, 10, 20)]
    assert hs == sorted(hs) and hs[0] == 1
    # large arguments stay exact integers
    c = count(50, 3000)
    assert c["T"] == math.factorial(50) * int(fmpz.stirling_s2(3001, 51))


def test_bad_arguments():
    with pytest.raises(ValueError):
        T(3, 2)
    with pytest.raises(ValueError):
        count(0, 5)


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


def test_cancelling_groups_are_zero_loss_and_counted_by_T_tilde():
    from symcrit.landscape.counting import T_cancelling
    for r, m in ((1, 3), (2, 4), (1, 4)):
        n, ok = brute_force("T~", r, m, d=2, seed=3)
        assert ok and n == T_cancelling(r, m)
    assert all(T_cancelling(r, m) == T(r, m) for r in (1, 3, 6) for m in (r, r + 1))
    # a pair sharing a free incoming vector with opposite outputs adds nothing: zero loss, outside T
    with mpmath.workdps(40):
        u = mpmath_matrix(np.random.default_rng(4).normal(size=(1, 2)))
        W = np.concatenate([mpmath_matrix(np.eye(2)), u, u])
        a = np.array([mpmath.mpf(1), mpmath.mpf(1), mpmath.mpf("0.7"), mpmath.mpf("-0.7")], dtype=object)
        assert abs(StudentTeacher(2, n=4).loss(W, a)) < mpmath.mpf(10) ** -35
