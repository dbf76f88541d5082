"""LaTeX export.

:func:`latex` turns any symcrit object (or a sympy expression) into LaTeX.  Objects provide a
``_latex_()`` method; Jupyter shows them through ``_repr_latex_``.

>>> import sympy
>>> latex(sympy.Symbol("k") ** -sympy.Rational(1, 2))
'\\\\frac{1}{\\\\sqrt{k}}'
"""
from __future__ import annotations

import sympy

__all__ = ["latex"]


def _space_latex(space):
    args = ", ".join(sympy.latex(p) for p in space.params)
    return f"F({args}) = " + tex(space.reduced_loss())


def latex(obj):
    """LaTeX for a symcrit object or a sympy expression."""
    from .fixedpoint import FixedPointSpace

    if isinstance(obj, FixedPointSpace):
        return _space_latex(obj)
    if hasattr(obj, "_latex_"):
        return obj._latex_()
    return tex(sympy.sympify(obj))


def tex(expr):
    """sympy's LaTeX with atan2 spelled as one operator name."""
    return sympy.latex(expr).replace(r"\operatorname{atan}_{2}", r"\operatorname{atan2}")
