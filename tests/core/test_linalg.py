"""Linear algebra over truncated Laurent series (symcrit.core.linalg)."""
import pytest
from flint import arb

from symcrit.core.errors import PrecisionError
from symcrit.core.laurent import LSeries, series_precision
from symcrit.core.linalg import back_substitute, ldet, lsolve


def _close(a, b, tol=1e-40):
    d = (a - b).stripped()
    return d.r == 0 or all(abs(c) < tol for c in d.coeffs())


def test_solve_a_matrix_singular_at_s_zero():
    """M = [[s, 1], [1, s]] is singular at s = 0 only in its (1,1) entry's pivot: the least-valuation
    pivot swaps rows.  x = M^-1 b is checked by multiplying back, and det M = s^2 - 1 exactly."""
    with series_precision(prec=200, length=8):
        s = LSeries.var()
        one = LSeries.const(1)
        M = [[s, one], [one, s]]
        b = [one + s, s * s * 3]
        x = lsolve(M, b)
        for row, bi in zip(M, b):
            assert _close(row[0] * x[0] + row[1] * x[1], bi)
        assert _close(ldet(M), s * s - 1)
        # the closed form: x0 = (s(1+s) - 3s^2)/(s^2-1), whose constant term is 0 and s-term is -1
        assert abs(x[0].normalized().coeffs()[0] + 1) < 1e-40 and x[0].normalized().v == 1


def test_a_singular_matrix_is_refused():
    with series_precision(prec=200, length=6):
        s = LSeries.var()
        M = [[s, s * 2], [s * 3, s * 6]]            # rank 1 as a Laurent series
        with pytest.raises(PrecisionError):
            lsolve(M, [s, s])
        with pytest.raises(PrecisionError, match="singular"):
            ldet(M)


def test_back_substitution_in_any_ring():
    from fractions import Fraction
    M = [[Fraction(2), Fraction(1), Fraction(-1)], [0, Fraction(3), Fraction(1)], [0, 0, Fraction(4)]]
    x_true = [Fraction(1, 2), Fraction(-2, 3), Fraction(5)]
    b = [sum(M[i][j] * x_true[j] for j in range(3)) for i in range(3)]
    assert back_substitute(M, b) == x_true
    xb = back_substitute([[arb(2), arb(1)], [0, arb(4)]], [arb(3), arb(2)])
    assert xb[0].contains(arb("1.25")) and xb[1].contains(arb("0.5"))


def test_exact_left_null_vector():
    from symcrit.core.linalg import exact_left_null_vector
    from symcrit.core.ratfun import RatFun
    one, zero = RatFun(1), RatFun(0)
    M = [[RatFun(1), RatFun(2)], [RatFun(2), RatFun(4)]]
    v = exact_left_null_vector(M, zero, one)
    assert v is not None and not all(x.is_zero() for x in v)
    assert all((v[0] * M[0][j] + v[1] * M[1][j]).is_zero() for j in range(2))
    assert exact_left_null_vector([[RatFun(1), RatFun(2)], [RatFun(3), RatFun(4)]], zero, one) is None
