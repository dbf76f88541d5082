"""Taylor models on a disc: every operation encloses the exact function on the whole disc."""
import cmath

import pytest
from flint import acb

from symcrit.core.errors import PrecisionError
from symcrit.core.laurent import series_precision
from symcrit.core.taylor import TaylorModelContext


def _value_at(m, t):
    """The polynomial part at t (a point), as a complex number, and the remainder."""
    v = sum((c * acb(t.real, t.imag) ** n for n, c in enumerate(m.c)), acb(0))
    return complex(float(v.real.mid()), float(v.imag.mid())), float(m.r.upper())


@pytest.mark.parametrize("name,f", [("sqrt", cmath.sqrt), ("log", cmath.log), ("inv", lambda z: 1 / z)])
def test_operations_enclose_the_function_on_the_disc(name, f):
    ctx = TaylorModelContext(order=10, rho=0.3)
    with series_precision(128, 21):
        g = ctx.variable(acb(1, 0.2)) * ctx.variable(acb(1, -0.1))    # (1.0+0.2i + t)(1.0-0.1i + t)
        m = ctx.inv(g) if name == "inv" else getattr(ctx, name)(g)
        for k in range(16):
            t = 0.3 * cmath.exp(2j * cmath.pi * k / 16)
            p, r = _value_at(m, t)
            exact = f((1 + 0.2j + t) * (1 - 0.1j + t))
            assert abs(p - exact) <= r + 1e-13          # the remainder covers the truncation
        assert float(m.r.upper()) < 1e-3                 # and is small (degree 10, |t|/dist < 1)


def test_the_remainder_is_needed():
    """The polynomial part alone does not reach the function at the edge of the disc: dropping
    the remainder would be wrong."""
    ctx = TaylorModelContext(order=6, rho=0.5)
    with series_precision(128, 13):
        m = ctx.sqrt(1 + ctx.variable())
    p, r = _value_at(m, 0.5)
    assert abs(p - cmath.sqrt(1.5)) > 1e-6
    assert abs(p - cmath.sqrt(1.5)) <= r


def test_refuses_a_branch_cut_in_the_disc_and_an_uncapped_product():
    ctx = TaylorModelContext(order=6, rho=1.5)
    with series_precision(128, 13):
        with pytest.raises(ValueError):
            ctx.sqrt(1 + ctx.variable())                 # 1 + t reaches Re <= 0
        with pytest.raises(ZeroDivisionError):
            ctx.inv(1 + ctx.variable())
    with series_precision(128, 3):               # cap 11 < 2N + 1 = 13
        with pytest.raises(PrecisionError):
            ctx.variable() * ctx.variable()


def _sqrt_system(tm, z, u, jac):
    """F(z, u) = z² − u: its zero z = sqrt(u), analytic where u stays off 0."""
    return [z[0] * z[0] - u], ([[z[0] * 2]] if jac else None)


def _sqrt_taylor(c, N, shift=0.0):
    """Taylor coefficients at c of sqrt(c + t) (plus ``shift`` in the constant term) and of
    1/(2 sqrt(c + t)), as acb midpoints."""
    import mpmath
    with mpmath.workdps(40):
        cm = mpmath.mpc(c)
        p = [mpmath.binomial(mpmath.mpf(1) / 2, n) * cm ** (mpmath.mpf(1) / 2 - n) for n in range(N + 1)]
        a = [mpmath.binomial(-mpmath.mpf(1) / 2, n) * cm ** (-mpmath.mpf(1) / 2 - n) / 2 for n in range(N + 1)]
        p[0] += shift

        def ball(v):
            return acb(mpmath.nstr(v.real, 35), mpmath.nstr(v.imag, 35))
        return [[ball(v) for v in p]], [[[ball(v) for v in a]]]


def test_taylor_krawczyk_proves_the_square_root_on_a_disc_and_encloses_it():
    from symcrit.core.taylor import taylor_krawczyk
    c, rho = 1 + 2j, 0.8
    P, A = _sqrt_taylor(c, 16)
    kr = taylor_krawczyk(_sqrt_system, P, A, acb(c.real, c.imag), rho, prec=128)
    assert kr["ok"] and kr["eps"] < 1e-5 and kr["remainder"] > 0
    # the proven bound holds against the exact square root on the boundary (an independent route),
    # and the degree-16 truncation error is what it bounds (far above rounding)
    worst = 0.0
    for k in range(24):
        t = rho * cmath.exp(2j * cmath.pi * k / 24)
        val = sum(complex(float(q.real.mid()), float(q.imag.mid())) * t ** n for n, q in enumerate(P[0]))
        worst = max(worst, abs(val - cmath.sqrt(c + t)))
    assert 1e-10 < worst <= kr["enclosure"][0] < kr["eps"]


def test_taylor_krawczyk_fails_off_the_zero_and_over_the_branch_point():
    from symcrit.core.taylor import taylor_krawczyk
    c = 1 + 2j
    P, A = _sqrt_taylor(c, 16, shift=1e-3)            # P(t) off the zero by 1e-3: no proof at eps 1e-6
    kr = taylor_krawczyk(_sqrt_system, P, A, acb(c.real, c.imag), 0.5, eps=1e-6, prec=128)
    assert not kr["ok"] and kr["beta"] > 1e-4
    P, A = _sqrt_taylor(c, 16)                          # the disc reaches u = 0, where 1/(2 sqrt u) is not analytic
    kr = taylor_krawczyk(_sqrt_system, P, A, acb(c.real, c.imag), 2.5, prec=128)
    assert not kr["ok"]

    def pole(tm, z, u, jac):                            # a division by a model that vanishes on the disc
        return [z[0] - 1 / u], ([[1]] if jac else None)
    kr = taylor_krawczyk(pole, P, A, acb(c.real, c.imag), 2.5, prec=128)
    assert kr == {"ok": False, "failure": kr["failure"]} and kr["failure"]
