"""Valuation-form Taylor models around s = 0: every operation encloses the exact function on the
whole disc, poles at the centre included."""
import cmath

import pytest
from flint import acb, arb

from symcrit.core.errors import PrecisionError
from symcrit.core.laurent import series_precision
from symcrit.core.vtaylor import NotAnalytic, VTaylorContext, VTaylorModel

RHO = 0.3
POINTS = [RHO * (1 - 1e-12) * cmath.exp(2j * cmath.pi * t / 12) for t in range(12)] + [0.1, -0.05 + 0.2j, RHO * 0.999j]


def _acb(z):
    return acb(z.real, z.imag)


def _encloses(F, f, points=POINTS):
    """F's enclosure at each point meets the exact value (a float, so within 1e-13)."""
    for z in points:
        v, w = F.at(_acb(z)), f(z)
        assert v.overlaps(acb(arb(w.real, 1e-13), arb(w.imag, 1e-13))), (z, v, w)


def _without_remainder(F):
    return VTaylorModel(F.v, F.c, arb(0), F.ctx)


@pytest.fixture()
def ctx():
    with series_precision(128, 40):
        yield VTaylorContext(order=8, rho=RHO)


def test_sqrt_of_a_double_zero_divided_by_s(ctx):
    """sqrt(s²(1 + s)) / s = sqrt(1 + s) (principal), valuation 0 after the cancellation."""
    s = ctx.variable()
    F = ctx.sqrt(s * s * (1 + s)) / s
    assert F.v == 0
    _encloses(F, lambda z: cmath.sqrt(1 + z))
    # the remainder is needed: the polynomial alone misses the function on the boundary
    assert not _without_remainder(F).at(_acb(-RHO)).contains(_acb(cmath.sqrt(1 - RHO)))


def test_inverse_of_a_double_pole_times_s_squared(ctx):
    """1/(s²(2 + s)) · s² = 1/(2 + s): the inverse has valuation -2, the product 0."""
    s = ctx.variable()
    G = ctx.inv(s * s * (2 + s))
    assert G.v == -2
    _encloses(G, lambda z: 1 / (z * z * (2 + z)), POINTS[:12])
    F = G * s * s
    assert F.v == 0
    _encloses(F, lambda z: 1 / (2 + z))
    assert F.sup() < 0.6                          # |1/(2 + s)| <= 1/1.7 on the disc


def test_rational_function_with_a_pole_just_outside(ctx):
    """1/(s - 0.31) on |s| <= 0.3: the Taylor coefficients grow like 0.31^-n, the remainder carries it;
    with the pole inside (0.29) the inverse is refused."""
    s = ctx.variable()
    F = ctx.inv(s - acb("0.31"))
    _encloses(F, lambda z: 1 / (z - 0.31))
    assert not _without_remainder(F).at(_acb(RHO)).contains(_acb(1 / (RHO - 0.31)))
    with pytest.raises(ZeroDivisionError):
        ctx.inv(s - acb("0.29"))


def test_k_is_exact_and_sqrt_takes_out_the_valuation(ctx):
    k = ctx.power(-2)
    F = ctx.sqrt(k - 1)                          # s^-1 sqrt(1 - s²)
    assert F.v == -1
    _encloses(F, lambda z: cmath.sqrt(1 - z * z) / z, POINTS[:12])
    with pytest.raises(ValueError):
        ctx.sqrt(ctx.variable() * (1 + ctx.variable()))      # odd valuation
    with pytest.raises(ValueError):
        ctx.sqrt(-1 + ctx.variable())                         # Re < 0: the branch is not decided


def test_dropping_the_principal_part(ctx):
    """s^-2 (1 + s²) - s^-2 = 1: its negative-power balls contain 0 and may be dropped; s^-2 (1 + s)
    - s^-2 = s^-1 has a pole: refused."""
    k = ctx.power(-2)
    s = ctx.variable()
    one = k * (acb(arb(1, 1e-30)) + s * s) - k     # the s^-2 coefficient: a ball around 0, not 0
    with pytest.raises(NotAnalytic):
        one.sup()                                  # a pole cannot be bounded
    d = one.drop_principal()
    _encloses(d, lambda z: 1 + 0j)
    assert abs(float(d.sup().upper()) - 1) < 1e-20
    with pytest.raises(NotAnalytic):
        (k * (1 + s) - k).drop_principal()


def test_atan_and_atan2_follow_the_leading_terms(ctx):
    s = ctx.variable()
    x, y = -1 + s, s * s * 2
    F = ctx.atan2(y, x)                            # x dominates and is negative, y > 0: π + atan(y/x)
    _encloses(F, lambda z: cmath.pi + cmath.atan(2 * z * z / (z - 1)))
    _encloses(F, lambda z: complex(cmath.phase(complex(z - 1, 2 * z * z))), [0.1, 0.25])   # the real atan2 for real s
    G = ctx.atan2(1 + s, s * s)                    # y dominates: π/2 - atan(x/y)
    _encloses(G, lambda z: cmath.pi / 2 - cmath.atan(z * z / (1 + z)))
    with pytest.raises(ValueError):
        ctx.atan(4 * s * acb(0, 1))                # reaches ±i on the disc
    with pytest.raises(PrecisionError):
        ctx.sign(ctx.constant(acb(arb(0, 1e-10))))  # undecided sign


def test_recording_and_abs(ctx):
    rec = VTaylorContext(order=8, rho=RHO, record=True)
    s = rec.variable()
    a = rec.abs(-2 + s)
    rec.sqrt(4 + s)
    assert [k for k, _ in rec.values] == ["sigma", "sqrt"] and rec.values[0][1] == -1
    _encloses(a, lambda z: 2 - z)
