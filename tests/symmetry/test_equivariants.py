"""S_n-equivariant maps on the standard representation: equivariance, independence, brute force."""
import random

import pytest
import sympy

from symcrit.symmetry.equivariants import brute_force_dimension, candidates, equivariant_basis


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_basis_dimension_matches_brute_force(n):
    for d in (1, 2, 3):
        assert len(equivariant_basis(n, d)) == brute_force_dimension(n, d), (n, d)


def test_maps_are_equivariant_and_land_in_V():
    n = 5
    x = sympy.symbols(f"x1:{n + 1}")
    rng = random.Random(0)
    for d in (1, 2, 3):
        for label, comps in equivariant_basis(n, d):
            assert sympy.expand(sum(comps)) == 0  # values in V
            for _ in range(3):
                g = list(range(n))
                rng.shuffle(g)
                gx = {x[i]: x[g[i]] for i in range(n)}
                moved = [sympy.expand(c.subs(gx, simultaneous=True)) for c in comps]   # f(g·x)
                assert all(sympy.expand(moved[i] - comps[g[i]]) == 0 for i in range(n))  # = g·f(x)


def test_quadratic_equivariant_is_the_projected_square():
    (label, comps), = equivariant_basis(4, 2)
    x = sympy.symbols("x1:5")
    assert label == "P(x^2)"
    assert sympy.expand(comps[0] - (x[0] ** 2 - sum(xi**2 for xi in x) / 4)) == 0


def test_small_n_dependencies():
    # n = 3: P(x^3) is a multiple of |x|^2 x on V; n = 2: no quadratic equivariant
    assert [lab for lab, _ in equivariant_basis(3, 3)] == ["p2 x"]
    assert equivariant_basis(2, 2) == []
    assert len(candidates(5, 3)[0]) == 2
