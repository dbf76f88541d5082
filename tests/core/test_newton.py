"""The Newton driver (symcrit.core.newton)."""
import mpmath
import pytest

from symcrit.core.errors import BranchEnded, NotConverged
from symcrit.core.newton import format_k, newton_system, solve_linear


def test_newton_finds_the_known_root_to_the_working_precision():
    """x^2 = 2, y = x^3 - 1: the root (sqrt 2, 2 sqrt 2 - 1) to 60 digits, in mpmath and float."""
    def res(v):
        x, y = v
        return [x * x - 2, y - x**3 + 1]

    def jac(v):
        x, y = v
        return [2 * x, 0, -3 * x * x, 1]

    with mpmath.workdps(60):
        (x, y), r, it = newton_system(res, jac, [mpmath.mpf(1), mpmath.mpf(0)])
        assert abs(x - mpmath.sqrt(2)) < mpmath.mpf(10) ** -55 and abs(y - (2 * mpmath.sqrt(2) - 1)) < mpmath.mpf(10) ** -54
        assert r < mpmath.mpf(10) ** -50 and it < 15
    (xf, yf), _, _ = newton_system(res, jac, [1.0, 0.0], backend="float")
    assert abs(xf - 2 ** 0.5) < 1e-14


def test_singular_jacobian_and_no_convergence_are_errors():
    with pytest.raises(BranchEnded, match="singular at k = 5"):
        newton_system(lambda v: [v[0] ** 2 + 1], lambda v: [0 * v[0]], [mpmath.mpf(0)], where="at k = 5")
    with mpmath.workdps(30), pytest.raises(NotConverged):
        newton_system(lambda v: [v[0] ** 2 + 1], lambda v: [2 * v[0]], [mpmath.mpf("0.5")], maxit=8)


def test_solve_linear_float_and_mpmath_agree():
    J = [[4, 1], [2, 3]]
    with mpmath.workdps(30):
        xm = solve_linear(J, [1, 2], 2, "mpmath")
        assert abs(xm[0] - mpmath.mpf(1) / 10) < 1e-28 and abs(xm[1] - mpmath.mpf(3) / 5) < 1e-28
    xf = solve_linear([4, 1, 2, 3], [1, 2], 2, "float")
    assert abs(xf[0] - 0.1) < 1e-15 and abs(xf[1] - 0.6) < 1e-15
    assert format_k(7.5) == "7.5" and format_k(10**30) == "1.000e+30"
