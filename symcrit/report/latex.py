"""LaTeX export.

:func:`latex` turns any symcrit object (or a sympy expression) into LaTeX.  Objects provide a
``to_latex()`` method; Jupyter shows them through ``_repr_latex_``.

>>> import sympy
>>> latex(sympy.Symbol("k") ** -sympy.Rational(1, 2))
'\\\\frac{1}{\\\\sqrt{k}}'
"""
from __future__ import annotations

import sympy

from symcrit.core.errors import BadInput
from symcrit.core.tex import tex

__all__ = ["latex", "tex"]


def latex(obj: object) -> str:
    """LaTeX for a symcrit object (anything with a ``to_latex()`` method) or a sympy expression."""
    to_latex = getattr(obj, "to_latex", None)
    if callable(to_latex):
        return str(to_latex())
    if isinstance(obj, (list, tuple)) and obj and all(callable(getattr(o, "to_latex", None)) for o in obj):
        return " \\\\\n".join(str(o.to_latex()) for o in obj)
    try:
        return tex(sympy.sympify(obj))
    except (sympy.SympifyError, TypeError, AttributeError):
        raise BadInput(f"latex: no LaTeX form for a {type(obj).__name__} (give a symcrit result or a "
                       "sympy expression)") from None
