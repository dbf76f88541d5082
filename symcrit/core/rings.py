"""Coefficient rings of truncated power series: balls, numerical balls, exact rationals.

A ring is a small object that the series arithmetic (:mod:`symcrit.core.laurent`), the
elimination (:mod:`symcrit.core.linalg`) and the Newton-on-series driver
(:mod:`symcrit.core.series_newton`) consult whenever the answer depends on the coefficients
themselves.  The interface (every ring implements all of it)::

    name             short identifier ("arb", "numeric", "fmpq", …)
    exact            True if arithmetic is exact (then is_zero never raises)
    rigorous         True if every element encloses the true value (exact rings, balls)
    series(cs, n)    a python-flint power series of relative precision n (arb_series / fmpq_series)
    convert(x)       an element from an int, Fraction, fmpq, decimal string or arb
    is_zero(c)       True only if c is zero, False only if c is nonzero; raises
                         PrecisionError when it cannot tell
    known_zero(c)    True if c is zero, False if it cannot say (never raises; used to strip
                         leading zeros where a wrong "False" costs only precision)
    sign(c)          -1, 0 or 1; raises PrecisionError when undecidable
    mid(c)           an mpmath number (exact conversion of the midpoint)
    rad(c)           an upper bound of the error (0 for exact rings), as an mpmath number
    fmt(c, digits)   decimal string with only the digits the element guarantees
    pi()             the ring's value of π (exact rings: a rational stand-in, see
                         symcrit.asymptotics.exact)
    sqrt(c)          square root of a positive element (exact rings may raise NotExact)

Three rings are provided.  :class:`BallRing` is the rigorous one: radii are carried through
every operation and never reset, and a coefficient is zero only when it is exactly zero (exact
arithmetic on exact inputs, e.g. the structure of a limit W∞ with integer entries); a ball that
contains 0 and is not the exact 0 makes every decision that needs it raise PrecisionError.
:class:`NumericRing` has the same elements but a tolerance zero test (balls below 2^(-prec/2)
count as zero): it finds *approximate* series (midpoints) quickly and robustly; what it returns
is not an enclosure and must be certified (:func:`symcrit.core.series_newton.krawczyk_series`)
before anything is reported as proven.  :class:`RationalRing` is exact arithmetic over Q with π
replaced by a rational number.

A new ring (e.g. a modular or Q(π) ring) needs only these members and a python-flint-like
power-series type with ``+ - * /``, ``coeffs()``, ``prec``, ``sqrt``, ``atan``.
"""
from __future__ import annotations

from fractions import Fraction
import math

import mpmath
from flint import arb, arb_series, fmpq, fmpq_series
from flint.utils.flint_exceptions import DomainError

from symcrit.core.errors import PrecisionError, SymcritError
from symcrit.core.numbers import mpf_fraction

__all__ = ["Ring", "BallRing", "NumericRing", "RationalRing", "NotExact", "get_ring", "arb_mid", "arb_str", "decimal_enclosure",
           "upper_str"]


class NotExact(SymcritError):
    """An exact (rational) series computation met a number outside the field: the square root of
    a leading coefficient that is not a square, or the arctangent of a nonzero constant."""


def arb_mid(c) -> mpmath.mpf:
    """The midpoint of a ball (or an exact rational) as an mpmath number, converted exactly,
    whatever mpmath's working precision (a rational is rounded to 4x its size in bits)."""
    if isinstance(c, fmpq):
        p, q = int(c.p), int(c.q)
        with mpmath.workprec(max(64, 4 * (p.bit_length() + q.bit_length()))):
            return mpmath.mpf(p) / q
    if isinstance(c, int):
        return mpmath.mpf(c)
    m = c.mid()
    man, exp = m.man_exp()
    man = int(man)
    with mpmath.workprec(max(64, man.bit_length() + 8)):
        return mpmath.ldexp(mpmath.mpf(man), int(exp))


def _exponent10(q: Fraction) -> int:
    """e with 10^e <= |q| < 10^(e+1) (q != 0), exactly."""
    q = abs(q)
    e = len(str(q.numerator // q.denominator)) - 1 if q >= 1 else -len(str(q.denominator // q.numerator))
    while Fraction(10) ** e > q:
        e -= 1
    while Fraction(10) ** (e + 1) <= q:
        e += 1
    return e


def _decimal_up(q: Fraction, sig: int) -> str:
    """A decimal with ``sig`` significant digits that is >= q > 0 (rounded up exactly), printed as
    mpmath.nstr prints it."""
    e = _exponent10(q)
    unit = Fraction(10) ** (e - sig + 1)
    m = -((-q) // unit)  # ceil(q / unit): sig digits, or 10^sig after a carry (printed the same way)
    with mpmath.workprec(64):
        return mpmath.nstr(mpmath.mpf(f"{m}e{e - sig + 1}"), sig)


def upper_str(x, sig: int = 3) -> str:
    """A bound ``x`` >= 0 (mpf, Fraction or int) printed with ``sig`` digits, rounded up: the printed
    number is >= x, so a radius or an error bound read from the text still holds.

    >>> upper_str(mpmath.mpf("1.0001e-30"), 3), upper_str(0)
    ('1.01e-30', '0.0')
    """
    if isinstance(x, Fraction):
        q = x
    elif isinstance(x, int):
        q = Fraction(x)
    elif isinstance(x, mpmath.mpf):
        q = mpf_fraction(x)  # not mpmath.mpf(x): that rounds to the working precision
    else:  # a float: its exact binary value
        q = Fraction(float(x))
    if q < 0:
        raise ValueError(f"upper_str: a bound must be >= 0, got {x}")
    return "0.0" if q == 0 else _decimal_up(q, sig)


def arb_str(c, digits: int) -> str:
    """The digits of a ball's midpoint that its radius guarantees (at most ``digits``): the
    printed number, read as a decimal, differs from every point of the ball by at most half a
    unit of its last printed digit.  A ball that contains 0 prints as ``0`` only if it is the
    exact zero; otherwise as ``±r`` (a bound of its magnitude, rounded up), never as a digit it
    does not know.  The decisions are made in exact rational arithmetic (midpoint, radius and
    the printed decimal), so no rounding can let a digit through.

    >>> from flint import arb, ctx
    >>> with ctx.workprec(300):
    ...     arb_str(arb.pi() / 3, 40)      # exact digits, whatever mpmath's precision
    '1.047197551196597746154214461093167628066'
    >>> arb_str(arb(0, 1e-30), 10)         # the radius is the double nearest 1e-30, rounded up
    '±1.1e-30'
    """
    if isinstance(c, fmpq):
        return mpmath.nstr(arb_mid(c), digits)
    mid = arb_mid(c)
    rad_a = arb(c.rad())
    if rad_a == 0:
        return "0" if mid == 0 else mpmath.nstr(mid, digits)
    M, R = mpf_fraction(mid), mpf_fraction(arb_mid(rad_a))
    if abs(M) <= R:  # the ball contains 0
        return "±" + _decimal_up(abs(M) + R, 2)
    # the most digits d <= ``digits`` such that the d-digit rounding T of the midpoint is within half
    # a unit of its last digit of every point of the ball: |T - mid| + rad <= unit / 2 (exactly)
    with mpmath.workprec(max(64, int(3.33 * digits) + 64, mid.context.prec if hasattr(mid, "context") else 0)):
        for d in range(digits, 0, -1):
            txt = mpmath.nstr(mid, d)
            T = Fraction(txt)
            if T == 0:
                break
            unit = Fraction(10) ** (_exponent10(T) - d + 1)
            if abs(T - M) + R <= unit / 2:
                return txt
    return "±" + _decimal_up(abs(M) + R, 2)


def decimal_enclosure(c, digits: int) -> tuple[str, float]:
    """(text, error): ``text`` as :func:`arb_str` prints it (at most ``digits`` digits), and a float
    ``error`` with |v − text| <= error for every v in the ball (or for the exact rational ``c``),
    decided in exact rational arithmetic and rounded up, so that [text ± error] encloses the value.
    A ball that contains 0 prints as ``±r``; its error is r (the bound of its magnitude).

    >>> from flint import fmpq
    >>> decimal_enclosure(fmpq(1, 3), 5)
    ('0.33333', 3.3333333333333337e-06)
    """
    txt = arb_str(c, digits)
    if isinstance(c, fmpq):
        exact = Fraction(int(c.p), int(c.q))
        gap = abs(Fraction(txt) - exact)
    else:
        M, R = mpf_fraction(arb_mid(c)), mpf_fraction(arb_mid(arb(c.rad())))
        gap = (abs(M) + R) if txt.startswith("±") else abs(Fraction(txt) - M) + R
    if gap == 0:
        return txt, 0.0
    err = float(gap)
    return txt, (err if Fraction(err) >= gap else math.nextafter(err, math.inf))


class Ring:
    """Base class (documentation of the interface; see the module docstring)."""

    name = "ring"
    exact = False
    rigorous = False

    def series(self, coeffs, prec):  # pragma: no cover - interface
        raise NotImplementedError

    def convert(self, x):  # pragma: no cover - interface
        raise NotImplementedError

    def is_zero(self, c) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def known_zero(self, c) -> bool:
        try:
            return self.is_zero(c)
        except PrecisionError:
            return False

    def sign(self, c) -> int:
        if self.is_zero(c):
            return 0
        return 1 if c > 0 else -1

    def mid(self, c):
        return arb_mid(c)

    def rad(self, c):
        return mpmath.mpf(0)

    def fmt(self, c, digits: int) -> str:
        return arb_str(c, digits)

    def pi(self):  # pragma: no cover - interface
        raise NotImplementedError

    def sqrt(self, c):
        return c.sqrt()

    def __repr__(self):
        return f"<{type(self).__name__} {self.name}>"


class BallRing(Ring):
    """Rigorous balls (python-flint ``arb`` at the precision in force): zero only when exactly zero."""

    name = "arb"
    rigorous = True

    def series(self, coeffs, prec):
        return arb_series(coeffs, prec=prec)

    def convert(self, x):
        return x if isinstance(x, arb) else arb(x)

    def is_zero(self, c) -> bool:
        if c.is_exact() and c == 0:
            return True
        if not c.contains(0):
            return False
        raise PrecisionError(f"cannot tell whether a series coefficient {c.str(5, radius=True)} is zero "
                             "(a ball containing 0): try higher precision")

    def known_zero(self, c) -> bool:
        return bool(c.is_exact() and c == 0)

    def rad(self, c):
        return arb_mid(arb(c.rad()))

    def pi(self):
        return arb.pi()


class NumericRing(BallRing):
    """Balls with a *tolerance* zero test, for approximate series only (not an enclosure):
    a ball whose magnitude is below 2^(-prec/2), or that contains 0 and is that narrow, counts as
    zero.  Results computed here are midpoints to be certified, never reported as proven."""

    name = "numeric"
    rigorous = False

    def __init__(self, prec: int):
        self.tiny = arb(2) ** (-(prec // 2))

    def is_zero(self, c) -> bool:
        tiny = self.tiny
        if abs(c.mid()) + c.rad() <= tiny:
            return True
        if not c.contains(0):
            return False
        if c.rad() <= tiny * (1 + abs(c.mid())):
            return True
        raise PrecisionError(f"cannot tell whether a series coefficient {c.str(5)} is zero: try higher precision")

    def known_zero(self, c) -> bool:
        try:
            return self.is_zero(c)
        except PrecisionError:
            return False


class RationalRing(Ring):
    """Exact rationals (python-flint ``fmpq``), with π replaced by the rational ``pi``."""

    name = "fmpq"
    exact = True
    rigorous = True

    def __init__(self, pi):
        self._pi = pi if isinstance(pi, fmpq) else fmpq(pi)

    def series(self, coeffs, prec):
        return fmpq_series(coeffs, prec=prec)

    def convert(self, x):
        return x if isinstance(x, fmpq) else fmpq(x)

    def is_zero(self, c) -> bool:
        return c == 0

    def known_zero(self, c) -> bool:
        return c == 0

    def fmt(self, c, digits: int) -> str:
        return mpmath.nstr(arb_mid(c), digits)

    def pi(self):
        return self._pi

    def sqrt(self, c):
        try:
            return c.sqrt()
        except (ValueError, DomainError):  # python-flint 0.9 raises DomainError (not a ValueError)
            raise NotExact(f"the square root of {c} is not rational") from None


def get_ring(name, prec: int, pi=None) -> Ring:
    """A ring from its name (``"arb"``, ``"numeric"``, ``"fmpq"``) or a Ring (returned as is)."""
    if isinstance(name, Ring):
        return name
    if name == "arb":
        return BallRing()
    if name == "numeric":
        return NumericRing(prec)
    if name == "fmpq":
        if pi is None:
            raise ValueError("exact rational series need a rational value for pi")
        return RationalRing(pi)
    raise ValueError(f"unknown ring {name!r}")
