"""Truncated Laurent series in s with ball coefficients (python-flint ``arb_series``).

An :class:`LSeries` is ``s^v · A(s)`` with ``A`` an ``arb_series`` of relative precision ``r``:
the value is known modulo ``s^(v + r)``.  Products, inverses, square roots and arctangents are
done by python-flint in C on ``A``; the valuation ``v`` is tracked here.  Every operation that
depends on a leading coefficient (inverse, sqrt, atan2, abs, sign) first strips leading
coefficients that are zero -- balls that contain 0 and are tiny, or lie entirely below the
accuracy 2^(-prec/2) of the inputs -- and refuses (with
:class:`~symcrit.core.errors.PrecisionError`, "try higher precision") when a ball contains 0 but is
not tiny, instead of guessing a valuation.

:class:`SeriesContext` makes these series a number context (see :mod:`symcrit.core.contexts`), so
every compiled formula of symcrit (reduced gradients, Jacobians) evaluates on them unchanged.

>>> from flint import ctx
>>> with series_precision(prec=128, length=8):
...     s = LSeries.var()
...     k = s ** -2                     # k = s^(-2)
...     x = (k - 1).sqrt() * s          # sqrt(1 - s^2)
...     print(x.coeffs_str(4))
[1.0, 0, -0.5, 0, -0.125, 0, -0.0625, 0]
"""
from __future__ import annotations

import contextlib
import math

import mpmath
from flint import arb, arb_series, ctx as flint_ctx, fmpq, fmpq_series

from symcrit.core.errors import PrecisionError, SymcritError

__all__ = ["LSeries", "SeriesContext", "series_precision", "NotExact", "make_series", "ring_number", "ball_mid",
           "ball_str", "current_ring"]

_STATE = {"length": 20, "tiny": None, "pi": None, "ring": "arb"}


class NotExact(SymcritError):
    """An exact (rational) series computation met a number outside the field: the square root of
    a leading coefficient that is not a square, or the arctangent of a nonzero constant."""


def current_ring():
    """The coefficient ring of the series in force: ``"arb"`` (balls) or ``"fmpq"`` (exact)."""
    return _STATE["ring"]


def make_series(coeffs, prec):
    """A power series of the current coefficient ring."""
    return (fmpq_series if _STATE["ring"] == "fmpq" else arb_series)(coeffs, prec=prec)


def ring_number(x):
    if _STATE["ring"] == "fmpq":
        return x if isinstance(x, fmpq) else fmpq(x)
    return x if isinstance(x, arb) else arb(x)


@contextlib.contextmanager
def series_precision(prec, length, pi=None, ring="arb"):
    """Working precision (bits) and series length (relative precision of exact constants).

    ``pi`` replaces the constant π everywhere (kernel and atan2 branches) by another number:
    the coefficients of the families are rational functions of π, and evaluating them at
    rational values of "π" is how :mod:`symcrit.asymptotics.exact` reconstructs them.
    Sets python-flint's process-global ``ctx.prec`` and ``ctx.cap`` and always restores them."""
    old_prec, old_cap, old_state = flint_ctx.prec, flint_ctx.cap, dict(_STATE)
    flint_ctx.prec = prec
    flint_ctx.cap = length + 8
    _STATE["length"] = length
    _STATE["tiny"] = arb(2) ** (-prec // 2)
    _STATE["pi"] = pi
    _STATE["ring"] = ring
    if ring == "fmpq" and pi is None:
        raise ValueError("exact rational series need a rational value for pi")
    try:
        yield
    finally:
        flint_ctx.prec, flint_ctx.cap = old_prec, old_cap
        _STATE.clear()
        _STATE.update(old_state)


def _coeffs(A, r):
    c = A.coeffs()
    return list(c) + [ring_number(0)] * (r - len(c)) if len(c) < r else list(c[:r])


def _is_zero(c):
    """True if the ball is (numerically) zero, False if it is certainly nonzero; raises when a ball
    contains 0 but is too wide to tell."""
    if _STATE["ring"] == "fmpq":
        return c == 0
    tiny = _STATE["tiny"]
    if abs(c.mid()) + c.rad() <= tiny:
        # below 2^(-prec/2) in absolute value: the inputs (series of a numerical point) are known
        # to about that accuracy, so such a leftover of an exact cancellation is numerically zero,
        # whether or not rounding left 0 inside the ball (4e-351 in a discriminant was not)
        return True
    if not c.contains(0):
        return False
    if c.rad() <= tiny * (1 + abs(c.mid())):
        return True
    raise PrecisionError(f"cannot tell whether a series coefficient {c.str(5)} is zero: try higher precision")


class LSeries:
    __slots__ = ("v", "A", "r")

    def __init__(self, v, A, r=None):
        self.v = int(v)
        self.r = int(A.prec if r is None else r)
        self.A = A if r is None else make_series(_coeffs(A, r), r)

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def const(cls, x):
        return cls(0, make_series([ring_number(x)], _STATE["length"]))

    @classmethod
    def var(cls):
        """The series s."""
        return cls(1, make_series([1], _STATE["length"]))

    @classmethod
    def from_coeffs(cls, v, coeffs, r=None):
        r = len(coeffs) if r is None else r
        return cls(v, make_series([ring_number(c) for c in coeffs], r))

    @property
    def prec(self):
        """Absolute precision: the series is known modulo s^prec."""
        return self.v + self.r

    def coeffs(self):
        """Coefficient balls for the powers v, v+1, …, prec-1."""
        return _coeffs(self.A, self.r)

    def coeff(self, n):
        """Coefficient of s^n (a ball); n must be below the precision."""
        if n >= self.prec:
            raise PrecisionError(f"coefficient of s^{n} not known (series known to O(s^{self.prec}))")
        if n < self.v:
            return ring_number(0)
        return self.coeffs()[n - self.v]

    def coeffs_str(self, digits=6):
        out = []
        for c in self.coeffs():
            out.append("0" if c == 0 else mpmath.nstr(ball_mid(c), digits))
        return "[" + ", ".join(out) + "]"

    def __repr__(self):
        return f"LSeries(v={self.v}, r={self.r}, {self.coeffs_str(8)})"

    # -- normalisation ---------------------------------------------------------------------------
    def normalized(self):
        """Strip zero leading coefficients; a series that is zero to its precision keeps r = 0."""
        c = self.coeffs()
        i = 0
        while i < len(c) and _is_zero(c[i]):
            i += 1
        if i == 0:
            return self
        return LSeries(self.v + i, make_series(c[i:], self.r - i), None) if i < len(c) else \
            LSeries(self.prec, make_series([], 0), None)

    def is_zero(self):
        return self.normalized().r == 0

    def lead(self):
        n = self.normalized()
        if n.r == 0:
            raise PrecisionError("the series is zero to its precision: no leading coefficient")
        return n, n.coeffs()[0]

    def shift_to(self, v):
        """The same series with valuation lowered to v <= self.v (zeros prepended)."""
        d = self.v - v
        if d == 0:
            return self.A, self.r
        return make_series([0] * d + self.coeffs(), self.r + d), self.r + d

    # -- arithmetic ------------------------------------------------------------------------------
    @staticmethod
    def _lift(x):
        return x if isinstance(x, LSeries) else LSeries.const(x)

    def __add__(self, other):
        other = self._lift(other)
        v = min(self.v, other.v)
        p = min(self.prec, other.prec)
        if p <= v:
            return LSeries(p, make_series([], 0), None)
        A, _ = self.shift_to(v)
        B, _ = other.shift_to(v)
        return LSeries(v, A + B, p - v)

    __radd__ = __add__

    def __neg__(self):
        return LSeries(self.v, -self.A, self.r)

    def __sub__(self, other):
        return self + (-self._lift(other))

    def __rsub__(self, other):
        return self._lift(other) + (-self)

    def __mul__(self, other):
        if isinstance(other, (int, arb, fmpq)) and not isinstance(other, bool):
            return LSeries(self.v, self.A * other, self.r)
        # strip zero leading coefficients first: they would otherwise count against the relative
        # precision of the product
        a, b = self.normalized(), self._lift(other).normalized()
        if a.r == 0 or b.r == 0:
            p = min(a.prec + b.v, b.prec + a.v)
            return LSeries(p, make_series([], 0), None)
        return LSeries(a.v + b.v, a.A * b.A, min(a.r, b.r))

    __rmul__ = __mul__

    def inv(self):
        n, c0 = self.lead()
        return LSeries(-n.v, 1 / n.A, n.r)

    def __truediv__(self, other):
        if isinstance(other, int) and other != 0:
            return LSeries(self.v, self.A / other, self.r)
        return self * self._lift(other).inv()

    def __rtruediv__(self, other):
        return self._lift(other) * self.inv()

    def __pow__(self, n):
        if not isinstance(n, int):
            raise TypeError("LSeries powers must be integers (use sqrt)")
        if n < 0:
            return self.inv() ** (-n)
        out = LSeries.const(1)
        base = self
        while n:
            if n & 1:
                out = out * base
            base = base * base
            n >>= 1
        return out

    def sqrt(self):
        n = self.normalized()
        if n.r == 0:
            return LSeries(n.prec // 2, make_series([], 0), None)
        if n.v % 2:
            raise PrecisionError("square root of a series of odd valuation")
        c0 = n.coeffs()[0]
        if not c0 > 0:
            raise PrecisionError(f"square root of a series with leading coefficient {c0}")
        if _STATE["ring"] == "fmpq":
            # fmpq_series.sqrt needs constant term 1 (and x ** (1/2) silently returns 1 + O(x^n))
            try:
                r0 = c0.sqrt()
            except ValueError:
                raise NotExact(f"the square root of {c0} is not rational") from None
            return LSeries(n.v // 2, (n.A / c0).sqrt() * r0, n.r)
        return LSeries(n.v // 2, n.A.sqrt(), n.r)

    def atan(self):
        """arctan of a series of valuation >= 0."""
        n = self.normalized()
        if n.v < 0:
            raise PrecisionError("atan of a series with a pole: use atan2")
        A, r = n.shift_to(0)
        if r == 0:
            return LSeries(0, make_series([], 0), None)
        if _STATE["ring"] == "fmpq" and n.v == 0:
            raise NotExact(f"atan of a nonzero constant {n.coeffs()[0]} is not rational")
        return LSeries(0, A.atan(), r)

    def sign(self):
        n = self.normalized()
        if n.r == 0:
            return 0
        c0 = n.coeffs()[0]
        return 1 if c0 > 0 else -1

    def __abs__(self):
        sg = self.sign()
        return self if sg >= 0 else -self


def ball_mid(c):
    """The midpoint of a ball (or an exact rational) as an mpmath number, converted exactly,
    whatever mpmath's working precision (a rational is rounded to 4x its size in bits)."""
    if isinstance(c, fmpq):
        p, q = int(c.p), int(c.q)
        with mpmath.workprec(max(64, 4 * (p.bit_length() + q.bit_length()))):
            return mpmath.mpf(p) / q
    m = c.mid()
    man, exp = m.man_exp()
    man = int(man)
    with mpmath.workprec(max(64, man.bit_length() + 8)):
        return mpmath.ldexp(mpmath.mpf(man), int(exp))


def _pi():
    if _STATE["pi"] is None:
        return arb.pi()
    return ring_number(_STATE["pi"])


def _atan2(y, x):
    """atan2(y, x) of series, branch by the leading terms (values in (-π, π])."""
    y, x = LSeries._lift(y).normalized(), LSeries._lift(x).normalized()
    pi = _pi()
    if y.r == 0 and x.r == 0:
        raise PrecisionError("atan2 of two series that are zero to their precision")
    if x.r == 0 or (y.r > 0 and y.v < x.v):
        # |y| dominates: atan2 = sign(y) π/2 - atan(x/y)
        sy = y.sign()
        return LSeries.const(pi / 2) * sy - (x / y).atan() if x.r else LSeries.const(pi / 2) * sy
    # |x| dominates or both of the same order: atan(y/x), shifted by ±π when x < 0
    if y.r:
        t = (y / x).atan()
    else:  # y is zero to its precision: so is atan(y/x), to precision y.prec - x.v
        t = LSeries(y.prec - x.v, make_series([], 0), None)
    if x.sign() > 0:
        return t
    sy = y.sign() if y.r else 1
    return t + LSeries.const(pi) * (1 if sy >= 0 else -1)


class SeriesContext:
    """Number context on :class:`LSeries` (ball coefficients, see :func:`series_precision`)."""

    name = "series"
    exact = False

    @staticmethod
    def sqrt(x):
        return LSeries._lift(x).sqrt() if isinstance(x, LSeries) else LSeries.const(x).sqrt()

    atan2 = staticmethod(_atan2)

    @staticmethod
    def abs(x):
        return abs(x)

    @staticmethod
    def sign(x):
        return x.sign() if isinstance(x, LSeries) else (0 if x == 0 else (1 if x > 0 else -1))

    @staticmethod
    def pi():
        return LSeries.const(_pi())

    @staticmethod
    def rational(p, q):
        q = fmpq(int(p), int(q))
        return LSeries.const(q if _STATE["ring"] == "fmpq" else arb(q))

    @staticmethod
    def convert(x):
        return x if isinstance(x, LSeries) else LSeries.const(x)

    def sin(self, x):  # pragma: no cover - not used by the compiled systems
        raise NotImplementedError

    cos = acos = sin


def ball_str(c, digits):
    """The digits of a ball's midpoint that its radius guarantees (at most ``digits``).

    >>> from flint import arb, ctx
    >>> with ctx.workprec(300):
    ...     ball_str(arb.pi() / 3, 40)      # exact digits, whatever mpmath's precision
    '1.047197551196597746154214461093167628066'
    """
    mid = ball_mid(c)
    rad = float(ball_mid(arb(c.rad())))
    if mid == 0 or abs(mid) <= rad:  # the ball contains 0
        return "0"
    if rad == 0:
        return mpmath.nstr(mid, digits)
    good = int(math.floor(math.log10(abs(float(mid)) + 1e-300) - math.log10(rad))) if rad else digits
    good = max(1, min(digits, good))
    return mpmath.nstr(mid, good)
