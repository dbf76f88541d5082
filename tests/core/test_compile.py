"""Compiled expressions (symcrit.core.compile)."""


def test_ipow_encloses_balls_around_zero():
    # python-flint 0.9.0: arb(0, r)**2 is NaN and arb(1, 0.5)**2 is [+/- 2.26]; compiled code uses ipow
    from flint import arb
    from symcrit.core.compile import ipow
    assert (arb(0, 1e-25) ** 2).is_finite() is False  # the trap itself: if flint fixes it, this tells us
    z = ipow(arb(0, 1e-25), 2)
    assert z.is_finite() and z.contains(0) and z.contains(arb("1e-50"))
    w = ipow(arb(1, 0.5), 2)
    assert w.contains(arb("0.25")) and w.contains(arb("2.25")) and not w.contains(arb(3))
    assert ipow(arb(0, 1e-3), 5).is_finite() and ipow(7, 0) == 1 and ipow(3, 5) == 243


def test_compiled_code_has_no_integer_power_operator():
    from symcrit.core.compile import compile_exprs
    from symcrit.core.contexts import get_context
    import sympy
    x = sympy.Symbol("x")
    f = compile_exprs([x], [x**2 + 1 / x**3 + sympy.sqrt(x) ** 3 + x ** sympy.Rational(-3, 2)])
    assert "**" not in f.source
    from flint import arb
    v = f(get_context("arb"), arb(1, 1e-30))[0]
    assert v.is_finite() and v.contains(4)
