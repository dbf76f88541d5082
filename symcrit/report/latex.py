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

__all__ = ["latex", "tex", "crossings_latex"]


def crossings_latex(records: list[dict]) -> str:
    """A table of crossing (or fold) records of :func:`symcrit.spectra.crossings.crossings`: k* with
    only its proven digits (or marked as not proven), the component, the direction.

    >>> print(crossings_latex([{"k": "5.5855", "component": "V_2", "direction": "saddle → minimum",
    ...                          "certified": True}]))
    \\begin{tabular}{lll}
    $k^*$ & component & direction \\\\ \\hline
    $5.5855$ (proven) & $V_{2}$ & saddle → minimum
    \\end{tabular}
    """
    rows = []
    for r in records:
        k = r.get("k")
        kk = f"${k}$ (proven)" if k and r.get("certified") else f"${r.get('k_estimate', k)}$ (not proven)"
        comp = str(r["component"]).replace("_", "_{", 1) + "}" if "_" in str(r["component"]) else str(r["component"])
        rows.append(f"{kk} & ${comp}$ & {r.get('direction', '')}")
    return ("\\begin{tabular}{lll}\n$k^*$ & component & direction \\\\ \\hline\n"
            + " \\\\\n".join(rows) + "\n\\end{tabular}")


def latex(obj: object) -> str:
    """LaTeX for a symcrit object (anything with a ``to_latex()`` method) or a sympy expression."""
    to_latex = getattr(obj, "to_latex", None)
    if callable(to_latex):
        return str(to_latex())
    if isinstance(obj, (list, tuple)) and obj and all(callable(getattr(o, "to_latex", None)) for o in obj):
        return " \\\\\n".join(str(o.to_latex()) for o in obj)
    if isinstance(obj, (list, tuple)) and obj and all(isinstance(o, dict) and "component" in o and "k" in o
                                                      for o in obj):
        return crossings_latex(list(obj))
    try:
        return tex(sympy.sympify(obj))
    except (sympy.SympifyError, TypeError, AttributeError):
        raise BadInput(f"latex: no LaTeX form for a {type(obj).__name__} (give a symcrit result or a "
                       "sympy expression)") from None
