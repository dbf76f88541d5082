"""Block sizes and orbit sizes at a given k: the one place where a polynomial in k is evaluated.

Block sizes of an isotropy type are affine in k (``1``, ``k-1``, ``k-7``); orbit sizes and
multiplicities are polynomials in k with rational coefficients.  :func:`poly_at` evaluates them at
any number without leaving its type: a Python ``int`` gives an exact ``int`` (or a ``Fraction``),
``Fraction`` stays exact, ``mpf`` / ``arb`` / truncated series / dual numbers / sympy expressions
are evaluated in their own arithmetic (Horner's rule with exact rational coefficients) — never
through a float.

>>> import sympy
>>> from symcrit.symmetry.blocks import K_SYMBOL as k
>>> poly_at(k * (k - 3) / 2, 10**30)          # exact, however large
499999999999999999999999999998500000000000000000000000000000
>>> from fractions import Fraction
>>> poly_at(k - 1, Fraction(15, 2))
Fraction(13, 2)
"""
from __future__ import annotations

import functools
import math
from fractions import Fraction
from typing import Any

import sympy

__all__ = ["K_SYMBOL", "K", "poly_at", "coefficients"]

#: the width k, as the sympy symbol every polynomial in k is written in

K_SYMBOL = sympy.Symbol("k", positive=True)
#: the public name of the same symbol (``symcrit.K``)
K = K_SYMBOL


@functools.lru_cache(maxsize=4096)
def coefficients(p: sympy.Expr) -> tuple[Fraction, ...]:
    """The coefficients of the polynomial ``p`` in k, highest degree first, as exact Fractions."""
    p = sympy.sympify(p)
    if p.is_number:
        r = sympy.Rational(p)
        return (Fraction(int(r.p), int(r.q)),)
    out = []
    for c in sympy.Poly(p, K_SYMBOL).all_coeffs():
        r = sympy.Rational(c)
        out.append(Fraction(int(r.p), int(r.q)))
    return tuple(out)


def poly_at(p: sympy.Expr, k: Any) -> Any:
    """The polynomial ``p`` (sympy, in the symbol k) at ``k``, in k's own arithmetic.

    Horner's rule on the integer polynomial D·p (D the common denominator), then one division by
    D; with an exact k (``int``, ``Fraction``) the result is exact and an integral value is an
    ``int``."""
    cs = coefficients(sympy.sympify(p))
    D = math.lcm(*(c.denominator for c in cs))
    ints = [int(c * D) for c in cs]
    acc: Any = ints[0]
    for c in ints[1:]:
        acc = acc * k + c
    if isinstance(acc, (int, Fraction)):
        v = Fraction(acc, D) if isinstance(acc, int) else acc / D
        return int(v) if v.denominator == 1 else v
    return acc if D == 1 else acc / D
