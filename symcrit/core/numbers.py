"""Exact numbers in: one parser for k and for user-given parameter values.

Every k (and every parameter value a user types) enters symcrit through :func:`parse_k` /
:func:`parse_number`, which keep it exact:

* an ``int`` stays an ``int``: ``10**30`` is 10^30, not the float 1.0000000000000000199e30.
* A decimal or a fraction becomes a :class:`fractions.Fraction`: ``"7.5"`` is 15/2 and ``"1e30"`` is 10^30 (an integral value is always an ``int``).
* An expression of numbers with ``+``, ``-``, ``*``, ``/``, ``**`` (or ``^``) and brackets is evaluated exactly: ``"10**30"``, ``"2^100 + 1"``, ``"15/2"``.
* An ``mpf`` is taken as it is (it is already a number at some working precision).

A Python ``float`` is accepted only when it *is* the number it prints as (``7.5``, ``6.0``);
``1e30`` or ``0.1`` as floats are not (their binary values differ from what was meant): pass the
string or the int, or ``allow_float=True`` to use the float's exact binary value.  nan, inf,
k <= 0 and anything that is not a number raise :class:`~symcrit.core.errors.BadInput`.

>>> parse_k("10**30") == 10**30, parse_k("1e30") == 10**30, parse_k("15/2"), parse_k(7.5)
(True, True, Fraction(15, 2), Fraction(15, 2))
>>> to_mpf(parse_k("15/2")), format_exact(parse_k("7.25")), format_exact(parse_k("1/3"))
(mpf('7.5'), '7.25', '1/3')
"""
from __future__ import annotations

import ast
import decimal
import math
import numbers
import operator
from fractions import Fraction
from typing import Union

import mpmath

from symcrit.core.errors import BadInput, OutOfRange

__all__ = ["Exact", "parse_k", "parse_number", "to_mpf", "to_sympy", "mpf_fraction", "clip_number", "round_decimal", "is_integer", "format_exact",
           "MAX_BITS"]

#: an exact number as symcrit keeps it
Exact = Union[int, Fraction, mpmath.mpf]

#: the largest numerator/denominator (in bits) an expression may build: 10^30000 or so
MAX_BITS = 100_000

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def _normal(q: Fraction) -> int | Fraction:
    return int(q) if q.denominator == 1 else q


def _bits(q: Fraction) -> int:
    return max(abs(q.numerator).bit_length(), q.denominator.bit_length())


def _eval(node, text, name):
    if isinstance(node, ast.Expression):
        return _eval(node.body, text, name)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        seg = ast.get_source_segment(text, node)
        try:
            return Fraction(seg.replace("_", ""))  # the literal as written: '1e30' is exactly 10^30
        except (ValueError, ZeroDivisionError, AttributeError):
            raise BadInput(f"{name}: cannot read the number {seg!r}") from None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = _eval(node.operand, text, name)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.BinOp):
        a, b = _eval(node.left, text, name), _eval(node.right, text, name)
        if isinstance(node.op, (ast.Pow, ast.BitXor)):
            if b.denominator != 1:
                raise BadInput(f"{name}: {text!r} has a non-integer power, which is not exact: "
                               "give the number itself (a decimal or a fraction)")
            e = int(b)
            if a == 0 and e < 0:
                raise BadInput(f"{name}: {text!r} divides by zero")
            if abs(e) * max(_bits(a), 1) > MAX_BITS:
                raise BadInput(f"{name}: {text!r} is too large (more than {MAX_BITS} bits)")
            return a ** e
        op = _OPS.get(type(node.op))
        if op is None:
            raise BadInput(f"{name}: {text!r}: only numbers, + - * / ** ^ and brackets are allowed")
        if op is operator.truediv and b == 0:
            raise BadInput(f"{name}: {text!r} divides by zero")
        r = op(a, b)
        if _bits(r) > MAX_BITS:
            raise BadInput(f"{name}: {text!r} is too large (more than {MAX_BITS} bits)")
        return r
    raise BadInput(f"{name}: {text!r} is not a number (give e.g. 7, 7.5, 15/2, 1e30 or 10**30)")


def _from_text(text: str, name: str) -> Fraction:
    t = text.strip()
    if not t:
        raise BadInput(f"{name}: empty value")
    if t.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise BadInput(f"{name} must be a finite number, got {t!r}")
    try:
        return Fraction(t)  # int, decimal, 1e30, 15/2
    except (ValueError, ZeroDivisionError):
        pass
    if len(t) > 200:
        raise BadInput(f"{name}: {t[:40]!r}… is not a number")
    try:
        tree = ast.parse(t.replace("^", "**"), mode="eval")
    except SyntaxError:
        raise BadInput(f"{name}: {t!r} is not a number (give e.g. 7, 7.5, 15/2, 1e30 or 10**30)") from None
    return _eval(tree, t.replace("^", "**"), name)


def parse_number(value, *, name: str = "value", allow_float: bool = False, positive: bool = False) -> Exact:
    """``value`` as an exact number: ``int``, ``Fraction`` (non-integral), or an ``mpf`` as given.

    Accepts int (and numpy/sympy integers), Fraction, sympy Rational, Decimal, mpf, strings
    (``'7'``, ``'7.5'``, ``'15/2'``, ``'1e30'``, ``'10**30'``), and floats that are exactly the
    number they print as (or any float with ``allow_float``).  Raises
    :class:`~symcrit.core.errors.BadInput` otherwise, and for nan, inf and (with ``positive``)
    values <= 0.
    """
    import sympy

    if isinstance(value, bool):
        raise BadInput(f"{name} must be a number, got {value!r}")
    if isinstance(value, mpmath.mpf):
        if not mpmath.isfinite(value):
            raise BadInput(f"{name} must be a finite number, got {value}")
        q = value
    elif isinstance(value, numbers.Integral):
        q = int(value)
    elif isinstance(value, Fraction):
        q = _normal(value)
    elif isinstance(value, sympy.Rational):
        q = _normal(Fraction(int(value.p), int(value.q)))
    elif isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise BadInput(f"{name} must be a finite number, got {value}")
        q = _normal(Fraction(value))
    elif isinstance(value, str):
        q = _normal(_from_text(value, name))
    elif isinstance(value, (float, numbers.Real)) and not isinstance(value, sympy.Basic):
        x = float(value)
        if not math.isfinite(x):
            raise BadInput(f"{name} must be a finite number, got {value}")
        exact = Fraction(x)
        if not allow_float and exact != Fraction(repr(x)):
            raise BadInput(f"{name} = {x!r} as a float is {exact if exact.denominator == 1 else float(exact).hex()}, "
                           f"not {repr(x)}: pass it as a string ({repr(x)!r}), an int or a Fraction")
        q = _normal(exact)
    else:
        raise BadInput(f"{name} must be a number, got {value!r}")
    if positive and not q > 0:
        raise OutOfRange(f"{name} must be positive, got {format_exact(q)}")
    return q


def parse_k(value, *, allow_float: bool = False) -> Exact:
    """k as an exact positive number (see :func:`parse_number`): int, Fraction or mpf.

    >>> parse_k("1000000000000000000000000000000") == 10**30
    True
    """
    return parse_number(value, name="k", allow_float=allow_float, positive=True)


def is_integer(x: Exact) -> bool:
    """True if the exact number ``x`` is an integer."""
    if isinstance(x, numbers.Integral):
        return True
    if isinstance(x, Fraction):
        return x.denominator == 1
    if isinstance(x, mpmath.mpf):
        return bool(mpmath.isint(x))
    return False


def to_mpf(x) -> mpmath.mpf:
    """``x`` (int, Fraction, mpf, decimal string) as an mpf at the working precision in force."""
    if isinstance(x, mpmath.mpf):
        return x
    if isinstance(x, Fraction):
        return mpmath.mpf(x.numerator) / x.denominator
    if isinstance(x, numbers.Integral):
        return mpmath.mpf(int(x))
    if isinstance(x, str):
        q = parse_number(x)
        return q if isinstance(q, mpmath.mpf) else to_mpf(q)
    return mpmath.mpf(x)


def mpf_fraction(x: mpmath.mpf) -> Fraction:
    """The exact value of a finite mpf as a Fraction, whatever mpmath's working precision (not
    through ``man_exp``, which drops the sign, nor ``mpf(x)``, which rounds).

    >>> mpf_fraction(mpmath.mpf(-0.75)), mpf_fraction(mpmath.mpf(6))
    (Fraction(-3, 4), Fraction(6, 1))
    """
    sign, man, exp, _ = x._mpf_
    if not man and exp:  # nan, inf (zero is (0, 0, 0, 0))
        raise BadInput(f"{x} is not a finite number")
    man = -int(man) if sign else int(man)
    return Fraction(man * 2 ** exp) if exp >= 0 else Fraction(man, 2 ** -exp)


def round_decimal(x, direction: str, sig: int = 6) -> str:
    """``x`` (int, Fraction, float, mpf, decimal string) to ``sig`` significant digits, rounded
    ``direction`` ('up' or 'down'), exactly: for the ends of an interval that is claimed (rounded
    inwards) or excluded (rounded outwards).

    >>> round_decimal(Fraction(2, 3), "up", 3), round_decimal(Fraction(2, 3), "down", 3), round_decimal(20, "down")
    ('0.667', '0.666', '20')
    """
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be 'up' or 'down', got {direction!r}")
    v = x if isinstance(x, mpmath.mpf) else parse_number(x, allow_float=True)
    q = mpf_fraction(v) if isinstance(v, mpmath.mpf) else Fraction(v)
    if q == 0:
        return "0"
    e = math.floor(math.log10(abs(q)))
    while Fraction(10) ** e > abs(q):
        e -= 1
    while Fraction(10) ** (e + 1) <= abs(q):
        e += 1
    unit = Fraction(10) ** (e - sig + 1)
    m = math.ceil(q / unit) if direction == "up" else math.floor(q / unit)
    if -6 <= e <= 15:
        return format_exact(_normal(m * unit))
    with mpmath.workdps(sig + 5):
        return mpmath.nstr(mpmath.mpf(m) * mpmath.mpf(10) ** (e - sig + 1), sig)


def clip_number(text: str, width: int) -> str:
    """A printed number shortened to about ``width`` characters by dropping trailing mantissa
    digits, never its exponent or its '±' (a string cut of '3.1830988618379067154e-6' would read
    as 3.18…, a million times too large).

    >>> clip_number("3.1830988618379067154e-6", 12), clip_number("-0.27353106411", 8), clip_number("±5.0e-72", 4)
    ('3.1830988e-6', '-0.27353', '±5.0e-72')
    """
    text = str(text)
    if len(text) <= width or text.startswith("±"):
        return text
    mant, sep, exp = text.partition("e")
    if not sep:
        mant, sep, exp = text.partition("E")
    keep = max(width - (len(sep) + len(exp)), 3 if mant.startswith("-") else 2)
    return mant[:keep].rstrip(".") + sep + exp


def to_sympy(x):
    """``x`` as an exact sympy number (an mpf becomes the Rational of its binary value)."""
    import sympy

    if isinstance(x, mpmath.mpf):
        q = mpf_fraction(x)
        return sympy.Rational(q.numerator, q.denominator)
    if isinstance(x, Fraction):
        return sympy.Rational(x.numerator, x.denominator)
    return sympy.Integer(int(x)) if isinstance(x, numbers.Integral) else sympy.nsimplify(x, rational=True)


def format_exact(x, digits: int = 30) -> str:
    """An exact number for printing: an int in full, a fraction whose denominator divides a power
    of 10 as its (finite, exact) decimal, other fractions as ``p/q``, an mpf to ``digits``."""
    if isinstance(x, numbers.Integral):
        return str(int(x))
    if isinstance(x, Fraction):
        if x.denominator == 1:
            return str(x.numerator)
        d = x.denominator
        twos = fives = 0
        while d % 2 == 0:
            d //= 2
            twos += 1
        while d % 5 == 0:
            d //= 5
            fives += 1
        if d == 1:
            n = max(twos, fives)
            with decimal.localcontext() as ctx:
                ctx.prec = len(str(abs(x.numerator))) + n + 5
                s = format(decimal.Decimal(x.numerator) / decimal.Decimal(x.denominator), "f")
            return s
        return f"{x.numerator}/{x.denominator}"
    if isinstance(x, mpmath.mpf):
        return mpmath.nstr(x, digits)
    return str(x)
