r"""LaTeX of sympy expressions, as symcrit writes them.

>>> import sympy
>>> tex(sympy.atan2(sympy.Symbol("y"), sympy.Symbol("x")))
'\\operatorname{atan2}{\\left(y,x \\right)}'
"""
from __future__ import annotations

import sympy

__all__ = ["tex", "tex_number", "tex_table"]


def tex(expr: object) -> str:
    """sympy's LaTeX with atan2 spelled as one operator name."""
    return sympy.latex(expr).replace(r"\operatorname{atan}_{2}", r"\operatorname{atan2}")


def tex_number(x: object, digits: int = 15) -> str:
    """A number in LaTeX: an int in full, a Fraction as \\frac (or its exact decimal), an mpf (or
    a decimal string) to ``digits`` significant digits with ``\\cdot 10^{e}`` for the exponent."""
    import numbers
    from fractions import Fraction

    import mpmath

    if isinstance(x, numbers.Integral):
        return str(int(x))
    if isinstance(x, Fraction):
        from symcrit.core.numbers import format_exact
        s = format_exact(x)
        if "/" not in s:
            return s
        sign = "-" if x < 0 else ""
        return f"{sign}\\frac{{{abs(x.numerator)}}}{{{x.denominator}}}"
    s = x if isinstance(x, str) else mpmath.nstr(x, digits)
    if "e" in s:
        m, e = s.split("e")
        return f"{m} \\cdot 10^{{{int(e)}}}"
    return s


def tex_table(head: list, rows: list) -> str:
    """A ``tabular`` with a header row; cells are already LaTeX."""
    cols = "l" * len(head)
    body = " \\\\\n".join(" & ".join(str(c) for c in r) for r in [head] + rows)
    return f"\\begin{{tabular}}{{{cols}}}\n{body}\n\\end{{tabular}}"
