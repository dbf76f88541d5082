"""Exact arithmetic in Q(P) and Q(P)[[s]] (symcrit.core.ratfun): the ring of the exact proofs."""
import pytest
from flint import fmpq, fmpq_series, fmpz_poly

from symcrit.core.laurent import LSeries, SeriesContext, series_precision
from symcrit.core.ratfun import QPRing, QPSeries, RatFun, ratfun
from symcrit.core.rings import NotExact

P = RatFun(fmpz_poly([0, 1]))


def _at(f: RatFun, x: fmpq) -> fmpq:
    num = sum((fmpq(int(c)) * x**i for i, c in enumerate(f.n.coeffs())), fmpq(0))
    den = sum((fmpq(int(c)) * x**i for i, c in enumerate(f.d.coeffs())), fmpq(0))
    return num / den


def test_field_operations_and_lowest_terms():
    f = (P * P - 4) / (P - 2)
    assert f == P + 2 and f.d == fmpz_poly([1])
    g = 1 / P + fmpq(1, 3) / (P - 2)
    assert _at(g, fmpq(5)) == fmpq(1, 5) + fmpq(1, 9)
    assert (g - g).is_zero() and not g.is_zero()


def test_signs_are_the_signs_at_pi():
    assert (P - 3).sign() == 1
    assert (P - fmpq(355, 113)).sign() == -1        # π - 355/113 = -2.7e-7
    assert (P * P - 10).sign() == -1 and (P * P - fmpq(98696, 10000)).sign() == 1
    assert RatFun(0).sign() == 0


def test_square_roots_in_q_of_pi():
    r = ((P - 2) ** 2 * 4 / (P ** 4 * 9)).sqrt()
    assert r == 2 * (P - 2) / (3 * P * P) and r.sign() == 1
    assert ((2 - P) ** 2).sqrt() == P - 2                  # the root positive at π
    with pytest.raises(NotExact):
        (P - 2).sqrt()
    with pytest.raises(NotExact):
        RatFun(8).sqrt()                                   # √8 is not in Q(π)


def test_series_operations_agree_with_rationals_at_a_point():
    """Inverse, square root and arctangent over Q(P), evaluated at P = 7/2, equal the same
    operations done over Q (fmpq_series) with P = 7/2."""
    x = fmpq(7, 2)
    n = 9
    a = QPSeries([1, P, P * P / (P - 2), 1 / P, 3, P, 0, P - 1, 2], n)
    a_q = fmpq_series([_at(c, x) for c in a.coeffs()], prec=n)
    for got, want in [(a.inv(), 1 / a_q), (a.sqrt(), a_q.sqrt())]:
        assert [_at(c, x) for c in got.coeffs()] == list(want.coeffs())
    b = a - 1
    b_q = a_q - 1
    assert [_at(c, x) for c in b.atan().coeffs()] == list(b_q.atan().coeffs())
    assert [_at(c, x) for c in (a * b).coeffs()] == list((a_q * b_q).coeffs())


def test_compiled_formulas_run_exactly_on_laurent_series():
    with series_precision(256, 8, ring=QPRing()):
        s = LSeries.var()
        ctx = SeriesContext()
        y = ctx.atan2(s, LSeries.const(-1) + s * s)         # π - s - … : the branch at π
        assert y.coeff(0) == P and y.coeff(1) == -1
        z = ctx.sqrt((LSeries.const(P) + s) ** 2)
        assert z.coeff(0) == P and z.coeff(1) == 1 and z.coeff(2) == 0


def test_forms_from_coefficient_lists():
    f = ratfun([(1, 2), (0, 1), (3, 1)], [(-2, 1), (1, 1)])   # (1/2 + 3P²)/(P - 2)
    assert f == (fmpq(1, 2) + 3 * P * P) / (P - 2)
    assert ratfun(*f.coefficient_lists()) == f


def test_a_square_root_carries_its_inverse():
    """QPSeries.sqrt computes 1/√a on the way (Newton on the inverse root) and keeps it: the
    inverse of the root, and of its negative and multiples, costs nothing and is the inverse."""
    n = 8
    a = QPSeries([1, P, P * P / (P - 2), 1 / P, 3, P, 0, P - 1], n)
    r = a.sqrt()
    assert r._inv is not None
    fresh = QPSeries(r.coeffs(), n)               # the same series without the cached inverse
    assert fresh._inv is None
    for got, want in [(r.inv(), fresh.inv()), ((-r).inv(), (-fresh).inv()),
                      (r.scale(P - 3).inv(), fresh.scale(P - 3).inv())]:
        assert [c for c in got.coeffs()] == [c for c in want.coeffs()]
    one = r * r.inv()
    assert one.coeffs()[0] == 1 and all(c == 0 for c in one.coeffs()[1:])
