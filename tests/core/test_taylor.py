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
