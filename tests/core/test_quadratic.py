"""Exact arithmetic in Q(√d)(P) and Q(√d)(P)[[s]] (symcrit.core.quadratic): s2's field."""
import pytest
from flint import arb, arb_series, ctx, fmpq, fmpz_poly

from symcrit.core.laurent import LSeries, SeriesContext, series_precision
from symcrit.core.quadratic import QuadRatFun, QuadRing, QuadSeries, quad_from_forms, squarefree_part
from symcrit.core.ratfun import RatFun
from symcrit.core.rings import NotExact

P = RatFun(fmpz_poly([0, 1]))
R2 = QuadRatFun(0, 1, 2)  # √2


def test_field_operations():
    x = QuadRatFun(P, 1 / (P - 2), 2)  # π + √2/(π - 2)
    assert R2 * R2 == 2 and (R2 * R2).v is None
    assert x * x.inverse() == 1 and x / x == 1
    assert (x - x).is_zero() and not x.is_zero()
    assert x * x.conjugate() == P * P - 2 / ((P - 2) ** 2)
    assert x ** -2 * x ** 2 == 1
    with ctx.workprec(200):
        assert abs(x.at_pi(200) - (arb.pi() + arb(2).sqrt() / (arb.pi() - 2))) < arb(10) ** -55


def test_signs_are_the_signs_at_pi():
    assert (R2 - fmpq(141421, 100000)).sign() == 1
    assert (R2 - fmpq(141422, 100000)).sign() == -1
    assert (-3 * R2 / 2 + P - 1).sign() == 1          # π - 1 - 2.1213 = 0.0203
    assert (-R2 * fmpq(152, 100) + P - 1).sign() == -1  # π - 1 - 2.1496 = -0.0080
    assert QuadRatFun(0, None, 2).sign() == 0


def test_square_roots_in_the_extension():
    assert QuadRatFun(8, None, 2).sqrt() == 2 * R2          # √8 = 2√2 (not in Q(π))
    a = QuadRatFun(P, 3, 2)                                  # (π + 3√2)² = π² + 18 + 6π√2
    assert (a * a).sqrt() == a
    b = QuadRatFun(P - 5, 1, 2)                              # negative at π: the root is -b
    assert (b * b).sqrt() == -b
    assert QuadRatFun(9 * P * P, None, 2).sqrt() == 3 * P
    with pytest.raises(NotExact):
        QuadRatFun(3, None, 2).sqrt()                        # √3 is not in Q(√2)(π)
    with pytest.raises(NotExact):
        QuadRatFun(P, 1, 2).sqrt()                           # not a square
    with pytest.raises(NotExact):
        QuadRatFun(-2, None, 2).sqrt()
    assert squarefree_part(8) == 2 and squarefree_part(72) == 2 and squarefree_part(15) == 15
    with pytest.raises(ValueError):
        QuadRing(8)


def _balls(c, prec=300):
    return c.at_pi(prec)


def test_series_operations_agree_with_balls_at_pi():
    """Inverse, square root, arctangent and products over Q(√2)(P), evaluated at P = π, agree with
    the same operations on arb_series at π (an independent route)."""
    n = 8
    cs = [QuadRatFun(1, None, 2), QuadRatFun(P, 1, 2), QuadRatFun(1 / P, R2.u, 2), 3, QuadRatFun(0, P - 2, 2),
          QuadRatFun(fmpq(1, 3), 2, 2), 0, QuadRatFun(P, P, 2)]
    a = QuadSeries.from_coeffs(cs, n, 2)
    with ctx.workprec(300):
        ab = arb_series([_balls(QuadRatFun(1, None, 2).lift(c)) for c in cs], prec=n)
        b = a - QuadSeries.from_coeffs([1], n, 2)
        bb = ab - 1
        for got, want in [(a.inv(), 1 / ab), (a.sqrt(), ab.sqrt()), (b.atan(), bb.atan()), (a * b, ab * bb),
                          (a / QuadRatFun(P, 1, 2), ab / (arb.pi() + arb(2).sqrt()))]:
            gc = got.coeffs()
            wc = list(want.coeffs())
            assert len(gc) <= n
            for j in range(n):
                g = _balls(gc[j]) if j < len(gc) else arb(0)
                w = wc[j] if j < len(wc) else arb(0)
                assert abs(g - w) < arb(10) ** -70, (j, g, w)


def test_compiled_style_formulas_on_laurent_series():
    """√(8 + s) over Q(√2)(P)[[s]] through the series context, then squared back exactly."""
    with series_precision(256, 6, ring=QuadRing(2)):
        s = LSeries.var()
        ctx_ = SeriesContext()
        r = ctx_.sqrt(LSeries.const(8) + s)
        assert r.coeff(0) == 2 * R2
        back = r * r - 8 - s
        assert all(c.is_zero() for c in back.coeffs())
        t = ctx_.atan2(s * (1 + r), LSeries.const(1) + s)  # atan of a series without constant term
        assert t.coeff(0).is_zero() and t.coeff(1) == 1 + 2 * R2


def test_forms_from_coefficient_lists():
    form = (([(1, 1), (2, 3)], [(1, 1)]), ([(0, 1), (1, 1)], [(-2, 1), (1, 1)]))  # 1 + 2P/3 + √2 P/(P - 2)
    x = quad_from_forms(form, 2)
    assert x == R2 * P / (P - 2) + 1 + fmpq(2, 3) * P
    assert quad_from_forms(form[0], None) == 1 + fmpq(2, 3) * P
