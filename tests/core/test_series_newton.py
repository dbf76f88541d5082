"""Newton's method on power series and its Krawczyk certificate (symcrit.core.series_newton)."""
import mpmath
from flint import arb, arb_series, ctx as flint_ctx

from symcrit.core.errors import PrecisionError
from symcrit.core.laurent import LSeries, ball_mid, series_precision
from symcrit.core.series_newton import krawczyk_series, newton_on_series, series_matrix_inverse

N = 8
#: sqrt(1 + s) = sum binomial(1/2, n) s^n: the exact coefficients
EXACT = [mpmath.binomial(mpmath.mpf(1) / 2, n) for n in range(N)]


def _residual(y):
    return [y[0] * y[0] - (1 + LSeries.var())]


def _jacobian(y):
    return [[y[0] * 2]]


def test_newton_on_series_gives_the_binomial_series():
    with series_precision(prec=200, length=N, ring="numeric"):
        y, d, it = newton_on_series(_residual, _jacobian, [LSeries.const(1)],
                                    stop=lambda it, y, d: it >= 5, lengths=lambda it: min(2 ** it, N))
        c = y[0].coeffs()
    with mpmath.workdps(50):
        assert all(abs(ball_mid(c[n]) - EXACT[n]) < mpmath.mpf(10) ** -40 for n in range(N))


def test_krawczyk_encloses_the_exact_coefficients_and_never_proves_a_box_without_them():
    with mpmath.workdps(60):
        mids = [[arb(mpmath.nstr(EXACT[n], 50)) for n in range(N)]]
    with series_precision(prec=200, length=N + 2):
        cert = krawczyk_series(_residual, _jacobian, mids, order=N - 1, shifts=[0])
        with mpmath.workdps(60):
            for n in range(N):
                box = cert.boxes[0][n]
                assert box.contains(arb(mpmath.nstr(EXACT[n], 55))) and box.rad() < 1e-30
    # a midpoint off by 1e-3: a box with the true solution may still be found, but never one without it
    with series_precision(prec=200, length=N + 2):
        bad = [[m + arb("1e-3") if i == 2 else m for i, m in enumerate(mids[0])]]
        try:
            cert = krawczyk_series(_residual, _jacobian, bad, order=N - 1, shifts=[0], attempts=2)
        except PrecisionError:  # no box contracts: nothing is proven
            return
        assert cert.boxes[0][2].contains(arb(mpmath.nstr(EXACT[2], 40)))


def test_series_matrix_inverse_times_the_matrix_is_the_identity():
    n = 6
    with flint_ctx.workprec(200):
        M = [[arb_series([2, 1, 0, 3], prec=n), arb_series([1], prec=n)],
             [arb_series([0, 1], prec=n), arb_series([1, 0, 0, 0, 1], prec=n)]]
        X = series_matrix_inverse(M, n)
        for i in range(2):
            for j in range(2):
                p = M[i][0] * X[0][j] + M[i][1] * X[1][j]
                c = list(p.coeffs()) + [arb(0)] * n
                assert all(abs(float(c[m].mid()) - (1.0 if (m == 0 and i == j) else 0.0)) < 1e-40 for m in range(n))
