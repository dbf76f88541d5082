"""Counts of symmetry-induced affine subspaces (Şimşek et al. 2021): closed forms against the sums
they come from, against brute-force enumeration of the subspaces themselves, and the subspaces
checked in symcrit's ReLU model (zero loss for T, critical points for G) at 40 digits."""
import math

import mpmath
import numpy as np
import pytest
from flint import fmpz

from symcrit import StudentTeacher, mpmath_matrix
from symcrit.landscape.counting import G, G_sum, T, T_sum, brute_force, count, crossover, stirling2_row


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
