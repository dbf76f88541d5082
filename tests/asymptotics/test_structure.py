"""The exact row transform and the proof of the structural hypothesis (symcrit.asymptotics.structure)."""
import pytest
from flint import arb

from symcrit.asymptotics.engine import cached_leading_powers, exact_limit, newton_series, working_precision
from symcrit.asymptotics.structure import prove_structure
from symcrit.critical.families import family


def _setup(fid):
    fam = family(fid)
    m, xb, kb = cached_leading_powers(fam, dps=60)
    free = [i for i in range(fam.space.dim) if m[i] is not None]
    top = max(m[i] for i in free)
    S = newton_series(fam, top, 20, working_precision(top, 20), m, free, xb, kb, top + 16)
    box = [arb(S.coefficient(S.names[i], m[i]).mid(), 1e-12) for i in free]
    return fam, m, free, exact_limit(fam), box


@pytest.mark.parametrize("fid, combos", [("sk1", 1), ("sk1b", 2), ("s2", 2)])
def test_the_hypothesis_is_proven_exactly(fid, combos):
    """sk1, sk1b, s2: the s^0 Jacobian is singular (combos null vectors, rational, constant in y)
    and every coefficient of T·G below s^0 is the zero element of Q(P, y) (s2: Q(P, √2, y))."""
    fam, m, free, lim, box = _setup(fid)
    P = prove_structure(fam.space, m, free, lim, box)
    assert P.proven, P.reason
    assert len(P.null_vectors) == combos
    assert max(P.negative_coefficients.values()) == 2  # the combined rows had s^-2, s^-1: both zero
    combined = [row for row in P.transform if len(row) > 1]
    assert len(combined) == combos and all(p == -2 for row in combined for (_, p) in row.values())
    assert P.seconds < 10


class _Perturbed:
    """A family's space whose gradient row ``row`` gets ``term(ctx, x, k)`` added."""

    def __init__(self, space, row, term):
        self.params, self.dim = space.params, space.dim
        base = space.compiled["grad"]

        def grad(ctx, *args):
            out = list(base(ctx, *args))
            out[row] = out[row] + term(ctx, args[:-1], args[-1])
            return out
        self.compiled = {"grad": grad}


def test_a_constant_left_at_a_negative_power_is_not_proven():
    """G_a + 10^-3: the combined row (G_a − G_c)/s² keeps 10^-3 at s^-2 (the Jacobian, and so the
    transform, do not change): the hypothesis is false and must not be proven."""
    fam, m, free, lim, box = _setup("sk1")
    sp = _Perturbed(fam.space, 0, lambda ctx, x, k: ctx.rational(1, 1000))
    P = prove_structure(sp, m, free, lim, box)
    assert not P.proven and "nonzero coefficient of s^-2" in P.reason


def test_a_term_vanishing_to_second_order_at_the_branch_is_not_proven():
    """G_a + 10^-3 (b k − y_b(0))²: zero with its derivative at the branch's y(0), so at y(0) the
    residual, the Jacobian and its null vector G_a − G_c are sk1's, and the combined row's s^-2
    coefficient 10^-3 (y_b − y_b(0))² is zero there to second order; identically in y it is not,
    and the s^0 Jacobian's left null vector now depends on y: not proven."""
    fam, m, free, lim, box = _setup("sk1")
    q = arb(box[1].mid())  # y_b(0) (an exact dyadic number)

    def term(ctx, x, k):
        u = x[1] * k - ctx.convert(q)
        return ctx.rational(1, 1000) * u * u
    P = prove_structure(_Perturbed(fam.space, 0, term), m, free, lim, box)
    assert not P.proven and "null vector of the s^0 Jacobian depends on y" in P.reason


def test_apply_transform_on_vectors_and_matrix_rows():
    """T·rows with T = [s^-1 row0 - 2 row1, row1] over balls: on a vector, and on matrix rows (as the
    engine's certificate applies it to the Jacobian) column by column the same."""
    from flint import fmpq

    from symcrit.asymptotics.structure import apply_transform
    from symcrit.core.laurent import LSeries, ring_number, series_precision
    with series_precision(64, 6):
        a = LSeries.polynomial([0, 1, 1])          # s + s^2
        b = LSeries.polynomial([0, 3])              # 3s
        T = [{0: (fmpq(1), -1), 1: (fmpq(-2), 0)}, {1: (fmpq(1), 0)}]
        v = apply_transform(T, [a, b], ring_number)
        assert [v[0].coeff(p) for p in range(3)] == [1, -5, 0] and v[0].v >= 0
        assert [v[1].coeff(p) for p in range(3)] == [0, 3, 0]
        rows = [[a, b], [b, a]]
        M = apply_transform(T, rows, ring_number)
        for j in range(2):   # column j of T·M is T·(column j)
            col = apply_transform(T, [rows[0][j], rows[1][j]], ring_number)
            for i in range(2):
                assert M[i][j].v == col[i].v and M[i][j].prec == col[i].prec
                assert [M[i][j].coeff(p) for p in range(col[i].v, col[i].prec)] == [col[i].coeff(p) for p in range(col[i].v, col[i].prec)]
        assert [M[0][1].coeff(p) for p in range(3)] == [3, -2, -2]   # s^-1·3s - 2(s + s^2)
