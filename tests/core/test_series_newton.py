"""Newton's method on power series and its Krawczyk certificate (symcrit.core.series_newton)."""
import mpmath
from flint import arb, arb_series, ctx as flint_ctx

from symcrit.core.errors import PrecisionError
from symcrit.core.laurent import LSeries, ball_mid, series_precision
from symcrit.core.series_newton import krawczyk_series, midpoint_newton_on_series, newton_on_series, series_matrix_inverse

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


def _sqrt_system(z, L):
    """F(z, t) = (z0² - (c + t), z0 z1 - 1): z0 = sqrt(c + t), z1 = 1/sqrt(c + t), c = 1 + 2i."""
    from flint import acb, acb_series
    t = acb(1, 2) if L is None else acb_series([acb(1, 2), 1], prec=L)
    return [z[0] * z[0] - t, z[0] * z[1] - 1], [[z[0] * 2, acb(0)], [z[1], z[0]]]


def test_midpoint_newton_on_series_gives_the_complex_binomial_series_and_the_inverse_jacobian():
    from flint import acb, acb_series
    N = 12
    with series_precision(prec=200, length=N + 1):
        P, A = midpoint_newton_on_series(_sqrt_system, [acb(1.3, 0.8), acb(0.5, -0.3)], N)
        with mpmath.workdps(60):
            c = mpmath.mpc(1, 2)
            for n in range(N + 1):
                b = mpmath.binomial(mpmath.mpf(1) / 2, n) * c ** (mpmath.mpf(1) / 2 - n)      # sqrt(c + t)
                b2 = mpmath.binomial(-mpmath.mpf(1) / 2, n) * c ** (-mpmath.mpf(1) / 2 - n)   # 1/sqrt(c + t)
                for got, want in ((P[0][n], b), (P[1][n], b2)):
                    assert got.rad() == 0   # midpoints: an approximation, not an enclosure
                    err = abs(mpmath.mpc(got.real.mid().str(70, radius=False), got.imag.mid().str(70, radius=False)) - want)
                    assert err < mpmath.mpf(10) ** -50
        # A is the inverse of the Jacobian along the solution, as series: A·J = I to O(t^(N+1))
        z = [acb_series(p, prec=N + 1) for p in P]
        _, J = _sqrt_system(z, N + 1)
        for i in range(2):
            for j in range(2):
                s = sum((acb_series(A[i][l], prec=N + 1) * (J[l][j] if isinstance(J[l][j], acb_series) else
                                                          acb_series([J[l][j]], prec=N + 1)) for l in range(2)),
                        acb_series([], prec=N + 1))
                cs = list(s.coeffs()) + [acb(0)] * (N + 1)
                assert all(abs(cs[m] - (1 if (m == 0 and i == j) else 0)) < 1e-50 for m in range(N + 1))
        # the constant term alone (N = 0), from double-precision starting values (the constant
        # steps assume them: 3 quadratic steps from 1e-16)
        r = (1 + 2j) ** 0.5
        P0, A0 = midpoint_newton_on_series(_sqrt_system, [acb(r.real, r.imag), acb((1 / r).real, (1 / r).imag)], 0)
        assert len(P0[0]) == 1 and len(A0[0][0]) == 1 and abs(P0[0][0] - acb(1, 2).sqrt()) < 1e-55


def test_midpoint_newton_on_series_over_real_balls_and_a_singular_start():
    import pytest

    def real(z, L):
        t = arb(0) if L is None else arb_series([0, 1], prec=L)
        return [z[0] * z[0] - (t + 4)], [[z[0] * 2]]
    with series_precision(prec=200, length=9):
        P, A = midpoint_newton_on_series(real, [arb(3)], 8)
        with mpmath.workdps(50):
            for n in range(9):
                want = mpmath.binomial(mpmath.mpf(1) / 2, n) * mpmath.mpf(4) ** (mpmath.mpf(1) / 2 - n)
                assert abs(ball_mid(P[0][n]) - want) < mpmath.mpf(10) ** -45
                assert isinstance(P[0][n], arb) and isinstance(A[0][0][n], arb)
        with pytest.raises(ZeroDivisionError):   # J(0) = 0: no Newton step
            midpoint_newton_on_series(real, [arb(0)], 8)
        with pytest.raises(ValueError):
            midpoint_newton_on_series(real, [arb(3)], 8, constant_steps=0)
