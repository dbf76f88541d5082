r"""LaTeX of sympy expressions, as symcrit writes them.

>>> import sympy
>>> tex(sympy.atan2(sympy.Symbol("y"), sympy.Symbol("x")))
'\\operatorname{atan2}{\\left(y,x \\right)}'
"""
from __future__ import annotations

import sympy

__all__ = ["tex"]


def tex(expr: object) -> str:
    """sympy's LaTeX with atan2 spelled as one operator name."""
    return sympy.latex(expr).replace(r"\operatorname{atan}_{2}", r"\operatorname{atan2}")
