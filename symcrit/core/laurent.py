"""Truncated Laurent series in s over a coefficient ring (balls, numerical balls, rationals).

An :class:`LSeries` is ``s^v · A(s)`` with ``A`` a python-flint power series (``arb_series`` or
``fmpq_series``) of relative precision ``r``: the value is known modulo ``s^(v + r)``.  Products,
inverses, square roots and arctangents are done by python-flint in C on ``A``; the valuation ``v``
is tracked here.  Every decision that depends on a coefficient (a valuation before an inverse, a
square root or an atan2; a sign) is asked of the coefficient ring in force
(:mod:`symcrit.core.rings`, chosen with :func:`series_precision`):

* ``"arb"`` (:class:`~symcrit.core.rings.BallRing`, the default): a coefficient is zero only if it
  is exactly zero; a ball that contains 0 but is not 0 makes the decision raise
  :class:`~symcrit.core.errors.PrecisionError`.  Products never strip a coefficient that is not
  exactly zero (it would only cost relative precision to keep it), so no ball is ever turned into
  a zero: ``(1e-40 + s)·(1 + s³)`` keeps its constant term.
* ``"numeric"``: the same balls with a tolerance zero test (below 2^(-prec/2)), for approximate
  series that are certified afterwards.
* ``"fmpq"``: exact rationals with π replaced by a rational.

:class:`SeriesContext` makes these series a number context (see :mod:`symcrit.core.contexts`), so
every compiled formula of symcrit (reduced gradients, Jacobians) evaluates on them unchanged.

>>> with series_precision(prec=128, length=8):
...     s = LSeries.var()
...     k = s ** -2                     # k = s^(-2)
...     x = (k - 1).sqrt() * s          # sqrt(1 - s^2)
...     print(x.coeffs_str(4))
[1.0, 0, -0.5, 0, -0.125, 0, -0.0625, 0]
>>> with series_precision(prec=128, length=6):
...     y = (LSeries.const(arb("1e-40")) + LSeries.var()) * (1 + LSeries.var() ** 3)
...     print(y.v, y.coeffs_str(3))
0 [1.0e-40, 1.0, 0, 1.0e-40, 1.0, 0]
"""
from __future__ import annotations

import contextlib

import mpmath
from flint import arb, ctx as flint_ctx, fmpq

from symcrit.core.errors import PrecisionError
from symcrit.core.rings import NotExact, Ring, arb_mid, arb_str, get_ring

__all__ = ["LSeries", "SeriesContext", "series_precision", "NotExact", "make_series", "ring_number", "ball_mid",
           "ball_str", "current_ring"]

_STATE: dict = {"length": 20, "pi": None, "ring": get_ring("arb", 128)}

ball_mid = arb_mid
ball_str = arb_str


def current_ring() -> Ring:
    """The coefficient ring in force (see :mod:`symcrit.core.rings`)."""
    return _STATE["ring"]


def make_series(coeffs, prec):
    """A power series of the current coefficient ring."""
    return _STATE["ring"].series(coeffs, prec)


def ring_number(x):
    return _STATE["ring"].convert(x)


@contextlib.contextmanager
def series_precision(prec, length, pi=None, ring="arb"):
    """Working precision (bits), series length (relative precision of exact constants) and
    coefficient ring (``"arb"``, ``"numeric"``, ``"fmpq"`` or a :class:`~symcrit.core.rings.Ring`).

    ``pi`` replaces the constant π everywhere (kernel and atan2 branches) by another number:
    the coefficients of the families are rational functions of π, and evaluating them at
    rational values of "π" is how :mod:`symcrit.asymptotics.exact` reconstructs them.
    Sets python-flint's process-global ``ctx.prec`` and ``ctx.cap`` and always restores them."""
    old_prec, old_cap, old_state = flint_ctx.prec, flint_ctx.cap, dict(_STATE)
    R = get_ring(ring, prec, pi)
    flint_ctx.prec = prec
    flint_ctx.cap = length + 8
    _STATE["length"] = length
    _STATE["pi"] = pi
    _STATE["ring"] = R
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
    """True if the coefficient is zero, False if it is nonzero (the ring decides; raises
    PrecisionError when it cannot tell)."""
    return _STATE["ring"].is_zero(c)


class LSeries:
    __slots__ = ("v", "A", "r")

    def __init__(self, v, A, r=None):
        self.v = int(v)
        self.r = int(A.prec if r is None else r)
        self.A = A if r is None or r == A.prec else make_series(_coeffs(A, r), r)

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def const(cls, x):
        return cls(0, make_series([ring_number(x)], _STATE["length"]))

    @classmethod
    def var(cls):
        """The series s."""
        return cls(1, make_series([1], _STATE["length"]))

    @classmethod
    def polynomial(cls, coeffs, v=0):
        """The polynomial s^v Σ c_j s^j, exactly (the missing coefficients are zero), known to the
        relative precision in force (at least its own length)."""
        r = max(len(coeffs), _STATE["length"])
        return cls(v, make_series([ring_number(c) for c in coeffs] + [ring_number(0)] * (r - len(coeffs)), r), None)

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

    def stripped(self):
        """Strip the leading coefficients the ring knows to be zero (never raises)."""
        c = self.coeffs()
        known = _STATE["ring"].known_zero
        i = 0
        while i < len(c) and known(c[i]):
            i += 1
        if i == 0:
            return self
        return LSeries(self.v + i, make_series(c[i:], self.r - i), None) if i < len(c) else \
            LSeries(self.prec, make_series([], 0), None)

    def is_zero(self):
        return self.normalized().r == 0

    def known_valuation(self):
        """The valuation if the ring can prove it (leading coefficients zero, then one nonzero),
        else None; never raises."""
        try:
            n = self.normalized()
        except PrecisionError:
            return None
        return n.v if n.r else None

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
            if isinstance(other, int) or isinstance(other, fmpq):
                other = ring_number(other)
            return LSeries(self.v, self.A * other, self.r)
        # strip leading coefficients known to be zero first (they would otherwise count against
        # the relative precision of the product); one that may not be zero is kept
        a, b = self.stripped(), self._lift(other).stripped()
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
        if R_sign(c0) <= 0:
            raise PrecisionError(f"square root of a series with leading coefficient {c0}")
        R = _STATE["ring"]
        if R.exact:
            # fmpq_series.sqrt needs constant term 1 (and x ** (1/2) silently returns 1 + O(x^n))
            r0 = R.sqrt(c0)
            return LSeries(n.v // 2, (n.A / c0).sqrt() * r0, n.r)
        return LSeries(n.v // 2, n.A.sqrt(), n.r)

    def atan(self):
        """arctan of a series of valuation >= 0."""
        n = self.stripped()
        if n.v < 0:
            n = self.normalized()
        if n.v < 0:
            raise PrecisionError("atan of a series with a pole: use atan2")
        A, r = n.shift_to(0)
        if r == 0:
            return LSeries(0, make_series([], 0), None)
        if _STATE["ring"].exact and n.v == 0:
            raise NotExact(f"atan of a nonzero constant {n.coeffs()[0]} is not rational")
        return LSeries(0, A.atan(), r)

    def sign(self):
        n = self.normalized()
        if n.r == 0:
            return 0
        return R_sign(n.coeffs()[0])

    def __abs__(self):
        sg = self.sign()
        return self if sg >= 0 else -self


def R_sign(c):
    """Sign of a coefficient, decided by the ring in force (raises PrecisionError if it cannot)."""
    return _STATE["ring"].sign(c)


def _pi():
    if _STATE["pi"] is None:
        return _STATE["ring"].pi()
    return ring_number(_STATE["pi"])


def _atan2(y, x):
    """atan2(y, x) of series, branch by the leading terms (values in (-π, π]).

    When y has a proven valuation and positive leading coefficient and x is known to vanish below
    that valuation, atan2(y, x) = π/2 - atan(x/y) needs no decision on x at all (x may have a
    leading coefficient that cannot be told from zero: aligned pairs); otherwise the dominant
    argument's valuation and sign are decided by the ring."""
    y, x = LSeries._lift(y), LSeries._lift(x)
    pi = _pi()
    ys = y.stripped()
    if ys.r:
        try:
            y0 = ys.coeffs()[0]
            if R_sign(y0) > 0:
                xs = x.stripped()
                if xs.r == 0 or xs.v >= ys.v:
                    if xs.r == 0:
                        return LSeries.const(pi / 2)
                    return LSeries.const(pi / 2) - (xs / ys).atan()
        except PrecisionError:
            pass
    y, x = y.normalized(), x.normalized()
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
    """Number context on :class:`LSeries` (coefficients in the ring of :func:`series_precision`)."""

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
        return LSeries.const(ring_number(fmpq(int(p), int(q))))

    @staticmethod
    def convert(x):
        return x if isinstance(x, LSeries) else LSeries.const(x)

    def sin(self, x):  # pragma: no cover - not used by the compiled systems
        raise NotImplementedError

    cos = acos = sin
