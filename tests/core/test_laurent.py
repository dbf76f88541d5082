"""Laurent series with ball coefficients (symcrit.core.laurent)."""
from flint import arb

from symcrit.core.laurent import LSeries, series_precision


def test_product_keeps_tiny_constant_term():
    with series_precision(prec=200, length=6):
        s = LSeries.var()
        y = (LSeries.const(arb("1e-40")) + s) * (1 + s**3)
        assert y.v == 0 and y.coeff(0).contains(arb("1e-40")) and not y.coeff(0).contains(0)


def test_lseries_sqrt_strips_leading_power():
    with series_precision(prec=200, length=6):
        s = LSeries.var()
        x = (s**4 * 4 + s**6).sqrt()  # = 2 s^2 sqrt(1 + s^2/4)
        assert x.v == 2
        c = x.coeffs()
        assert abs(float(c[0].mid()) - 2) < 1e-30 and abs(float(c[2].mid()) - 0.25) < 1e-30
