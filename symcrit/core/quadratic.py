r"""Exact arithmetic in a quadratic extension Q(√d)(P) of Q(P), and power series over it.

s2's series coefficients lie in Q(√2)(π), not in Q(π): its equations meet the square root of a
leading coefficient 8 = 2·2² (:mod:`symcrit.asymptotics.exact`).  This module extends the exact
ring of :mod:`symcrit.core.ratfun` by √d (d > 1 a squarefree integer), so that the same compiled
formulas run exactly over Q(√d)(P)[[s]] and the proof of the exact forms covers s2 too:

* :class:`QuadRatFun` -- u + v√d with u, v in Q(P) (:class:`~symcrit.core.ratfun.RatFun`).  Field
  operations are exact; the inverse is (u − v√d)/(u² − d v²) (the norm is nonzero for a nonzero
  element: √d ∉ Q(P)).  Signs are signs at P = π in ball arithmetic, the precision raised until
  the ball excludes 0 (a nonzero element does not vanish at π: π is transcendental).  The square
  root is exact where the element is a square in Q(√d)(P) -- (a + b√d)² = u + v√d with
  a² + d b² = u, 2ab = v, so a² = (u ± √(u² − d v²))/2 -- and raises
  :class:`~symcrit.core.rings.NotExact` otherwise.
* :class:`QuadSeries` -- A(s) + B(s)√d with A, B :class:`~symcrit.core.ratfun.QPSeries` (B None
  while zero, so that a series without √d costs what it costs over Q(P)).  Products take four
  products over Q(P) (Karatsuba's three cost more: A + B has a larger common denominator), the
  inverse one inverse of the norm A² − d B²; square roots (of a series with constant term 1) and
  arctangents (without constant term) by the same Newton iterations as over Q(P).
* :class:`QuadRing` -- the ring object for :func:`~symcrit.core.laurent.series_precision`.

>>> from symcrit.core.laurent import LSeries, series_precision
>>> with series_precision(256, 4, ring=QuadRing(2)):
...     s = LSeries.var()
...     x = (LSeries.const(8) + s).sqrt()          # √8 · √(1 + s/8) = 2√2 + (√2/8) s + …
...     print([str(c) for c in x.coeffs()[:2]])
['2*sqrt(2)', '(1)/(8)*sqrt(2)']
"""
from __future__ import annotations

from typing import Any

import mpmath
from flint import arb, ctx as flint_ctx, fmpq, fmpz_poly

from symcrit.core.errors import PrecisionError
from symcrit.core.ratfun import QPSeries, RatFun, ratfun
from symcrit.core.rings import NotExact, Ring, arb_mid, arb_str

__all__ = ["QuadRatFun", "QuadSeries", "QuadRing", "quad_from_forms", "squarefree_part"]


def squarefree_part(n: int) -> int:
    """The squarefree part of a positive integer (n = q²·d, d returned)."""
    from sympy import factorint

    d = 1
    for p, e in factorint(int(n)).items():
        if e % 2:
            d *= int(p)
    return d


def _rf(x) -> RatFun:
    return RatFun.lift(x)


class QuadRatFun:
    """u + v√d in Q(√d)(P) (u, v in Q(P); ``v`` is None for an element of Q(P))."""

    __slots__ = ("u", "v", "d")

    def __init__(self, u: Any, v: Any = None, d: int = 2) -> None:
        self.u = _rf(u)
        self.v = None if v is None or _rf(v).is_zero() else _rf(v)
        self.d = int(d)

    def lift(self, x) -> "QuadRatFun":
        """x as an element of this element's field (int, fmpq, Fraction, RatFun, exact arb, or one)."""
        if isinstance(x, QuadRatFun):
            if x.v is not None and self.v is not None and x.d != self.d:
                raise NotExact(f"elements of Q(√{self.d}) and Q(√{x.d}) do not combine")
            return x
        return QuadRatFun(_rf(x), None, self.d)

    def __add__(self, o):
        o = self.lift(o)
        v = self.v if o.v is None else (o.v if self.v is None else self.v + o.v)
        return QuadRatFun(self.u + o.u, v, self.d if self.v is not None else o.d)

    __radd__ = __add__

    def __neg__(self):
        return QuadRatFun(-self.u, None if self.v is None else -self.v, self.d)

    def __sub__(self, o):
        return self + (-self.lift(o))

    def __rsub__(self, o):
        return self.lift(o) + (-self)

    def __mul__(self, o):
        o = self.lift(o)
        d = self.d if self.v is not None else o.d
        if self.v is None and o.v is None:
            return QuadRatFun(self.u * o.u, None, d)
        if self.v is None:
            return QuadRatFun(self.u * o.u, self.u * o.v, d)
        if o.v is None:
            return QuadRatFun(self.u * o.u, self.v * o.u, d)
        return QuadRatFun(self.u * o.u + self.v * o.v * d, self.u * o.v + self.v * o.u, d)

    __rmul__ = __mul__

    def conjugate(self) -> "QuadRatFun":
        return QuadRatFun(self.u, None if self.v is None else -self.v, self.d)

    def norm(self) -> RatFun:
        """u² − d v² in Q(P)."""
        return self.u * self.u - (self.v * self.v * self.d if self.v is not None else 0)

    def inverse(self) -> "QuadRatFun":
        if self.is_zero():
            raise ZeroDivisionError("division by zero in Q(√d)(P)")
        if self.v is None:
            return QuadRatFun(1 / self.u, None, self.d)
        nrm = self.norm()
        return QuadRatFun(self.u / nrm, -self.v / nrm, self.d)

    def __truediv__(self, o):
        return self * self.lift(o).inverse()

    def __rtruediv__(self, o):
        return self.lift(o) * self.inverse()

    def __pow__(self, e: int):
        if not isinstance(e, int):
            raise TypeError("integer powers only")
        if e < 0:
            return self.inverse() ** (-e)
        out, base = QuadRatFun(1, None, self.d), self
        while e:
            if e & 1:
                out = out * base
            base = base * base
            e >>= 1
        return out

    def __eq__(self, o):
        try:
            o = self.lift(o)
        except (TypeError, NotExact):
            return NotImplemented
        return (self - o).is_zero()

    def __hash__(self):
        return hash((str(self.u), str(self.v), self.d))

    def is_zero(self) -> bool:
        return self.u.is_zero() and self.v is None

    def at_pi(self, prec: int | None = None) -> arb:
        """The value at P = π, a ball at ``prec`` bits (default: the working precision)."""
        prec = prec or flint_ctx.prec
        with flint_ctx.workprec(prec):
            val = self.u.at_pi(prec)
            if self.v is not None:
                val = val + self.v.at_pi(prec) * arb(self.d).sqrt()
            return val

    def sign(self) -> int:
        """The sign at P = π, proven (the precision is raised until the ball excludes 0)."""
        if self.v is None:
            return self.u.sign()
        prec = max(flint_ctx.prec, 64)
        for _ in range(8):
            val = self.at_pi(prec)
            if val > 0:
                return 1
            if val < 0:
                return -1
            prec *= 4
        raise PrecisionError("the sign at π of an element of Q(√d)(P) is undecided")

    def __gt__(self, o):
        return (self - o).sign() > 0

    def __lt__(self, o):
        return (self - o).sign() < 0

    def sqrt(self) -> "QuadRatFun":
        """The square root in Q(√d)(P) that is positive at π, or NotExact."""
        if self.is_zero():
            return self
        if self.sign() < 0:
            raise NotExact("square root of an element negative at π")
        root = None
        if self.v is None:
            try:
                root = QuadRatFun(self.u.sqrt(), None, self.d)
            except NotExact:
                try:  # u = d·b²: √u = b√d
                    root = QuadRatFun(0, (self.u / self.d).sqrt(), self.d)
                except NotExact:
                    root = None
        else:
            try:
                n = self.norm().sqrt()  # a² = (u ± n)/2, b = v/(2a)
            except NotExact:
                n = None
            if n is not None:
                for cand in (self.u + n, self.u - n):
                    try:
                        a = (cand * fmpq(1, 2)).sqrt()
                    except NotExact:
                        continue
                    if a.is_zero():
                        continue
                    root = QuadRatFun(a, self.v / (a * 2), self.d)
                    break
        if root is None:
            # a rational constant that is d'·q² with another squarefree d' is outside this field too
            raise NotExact(f"the square root of ({self}) is not in Q(√{self.d})(π)")
        if not (root * root == self):
            raise NotExact(f"the square root of ({self}) is not in Q(√{self.d})(π)")  # pragma: no cover
        return root if root.sign() > 0 else -root

    def __str__(self):
        u = RatFun(self.u.n, self.u.d)  # in lowest terms (series coefficients are not reduced)
        if self.v is None:
            return str(u)
        us = "" if u.is_zero() else f"{u} + "
        vs = str(RatFun(self.v.n, self.v.d))
        return f"{us}{vs}*sqrt({self.d})"

    def __repr__(self):
        return f"QuadRatFun({self})"

    def parts(self) -> tuple[RatFun, RatFun]:
        """(u, v) with the element u + v√d."""
        return self.u, (self.v if self.v is not None else RatFun(0))


def quad_from_forms(form: Any, d: int | None) -> Any:
    """An exact element from a reconstructed form: (num, den) coefficient lists → RatFun (``d`` None),
    or ((num, den), (num2, den2)) → A + B√d (:class:`QuadRatFun`)."""
    if d is None:
        return ratfun(*form)
    (n1, d1), (n2, d2) = form
    return QuadRatFun(ratfun(n1, d1), ratfun(n2, d2), d)


# ---------------------------------------------------------------------------------------------
class QuadSeries:
    """A(s) + B(s)√d: a power series over Q(√d)(P) of relative precision ``prec`` (B None: zero)."""

    __slots__ = ("A", "B", "d")

    def __init__(self, A: QPSeries, B: QPSeries | None, d: int) -> None:
        self.A = A
        self.B = None if B is None or not B.N else B
        self.d = int(d)
        if self.B is not None and self.B.prec != A.prec:
            r = min(A.prec, self.B.prec)
            self.A, self.B = A.truncate(r), self.B.truncate(r)

    @classmethod
    def from_coeffs(cls, coeffs, prec: int, d: int) -> "QuadSeries":
        us, vs = [], []
        for c in coeffs:
            if isinstance(c, QuadRatFun):
                u, v = c.parts()
            else:
                u, v = _rf(c), RatFun(0)
            us.append(u)
            vs.append(v)
        B = QPSeries(vs, prec) if any(not v.is_zero() for v in vs) else None
        return cls(QPSeries(us, prec), B, d)

    @property
    def prec(self) -> int:
        return self.A.prec

    def coeffs(self) -> list:
        a = self.A.coeffs()
        b = self.B.coeffs() if self.B is not None else []
        n = max(len(a), len(b))
        zero = RatFun(0)
        return [QuadRatFun(a[j] if j < len(a) else zero, b[j] if j < len(b) else None, self.d) for j in range(n)]

    def _lift(self, o) -> "QuadSeries":
        if isinstance(o, QuadSeries):
            return o
        if isinstance(o, QPSeries):
            return QuadSeries(o, None, self.d)
        return QuadSeries.from_coeffs([o], self.prec, self.d)

    def truncate(self, r: int) -> "QuadSeries":
        return QuadSeries(self.A.truncate(r), None if self.B is None else self.B.truncate(r), self.d)

    def __add__(self, o):
        o = self._lift(o)
        if self.B is None and o.B is None:
            B = None
        elif self.B is None:
            B = o.B
        elif o.B is None:
            B = self.B
        else:
            B = self.B + o.B
        A = self.A + o.A
        if B is not None and B.prec != A.prec:
            B = B.truncate(A.prec)
            A = A.truncate(B.prec)
        return QuadSeries(A, B, self.d)

    __radd__ = __add__

    def __neg__(self):
        return QuadSeries(-self.A, None if self.B is None else -self.B, self.d)

    def __sub__(self, o):
        return self + (-self._lift(o))

    def __rsub__(self, o):
        return self._lift(o) + (-self)

    def scale(self, c) -> "QuadSeries":
        if not isinstance(c, QuadRatFun):
            c = QuadRatFun(_rf(c), None, self.d)
        u, v = c.u, c.v
        A = self.A.scale(u)
        B = None if self.B is None else self.B.scale(u)
        if v is not None:
            if self.B is not None:
                A = A + self.B.scale(v * self.d)
            Bv = self.A.scale(v)
            B = Bv if B is None else B + Bv
        return QuadSeries(A, B, self.d)

    def __mul__(self, o):
        if not isinstance(o, (QuadSeries, QPSeries)):
            return self.scale(o)
        o = self._lift(o)
        if self.B is None and o.B is None:
            return QuadSeries(self.A * o.A, None, self.d)
        if self.B is None:
            return QuadSeries(self.A * o.A, self.A * o.B, self.d)
        if o.B is None:
            return QuadSeries(self.A * o.A, self.B * o.A, self.d)
        # four products: Karatsuba's three are slower here (A + B has a larger common denominator)
        return QuadSeries(self.A * o.A + (self.B * o.B).scale(self.d), self.A * o.B + self.B * o.A, self.d)

    __rmul__ = __mul__

    def norm(self) -> QPSeries:
        """A² − d B² (a series over Q(P))."""
        if self.B is None:
            return self.A * self.A
        return self.A * self.A - (self.B * self.B).scale(self.d)

    def inv(self) -> "QuadSeries":
        if self.B is None:
            return QuadSeries(self.A.inv(), None, self.d)
        ninv = self.norm().inv()
        return QuadSeries(self.A * ninv, -(self.B * ninv), self.d)

    def __truediv__(self, o):
        if isinstance(o, (QuadSeries, QPSeries)):
            return self * self._lift(o).inv()
        c = o if isinstance(o, QuadRatFun) else QuadRatFun(_rf(o), None, self.d)
        return self.scale(c.inverse())

    def __rtruediv__(self, o):
        return self.inv().scale(o)

    def sqrt(self) -> "QuadSeries":
        """√self for a series with constant term 1 (inverse square root by Newton, then a·c)."""
        cs = self.coeffs()
        if not cs or not (cs[0] == 1):
            raise NotExact("series square root: constant term 1 expected")
        if self.B is None:
            return QuadSeries(self.A.sqrt(), None, self.d)
        r = self.prec
        c = QuadSeries(QPSeries([1], 1), None, self.d)
        n = 1
        while n < r:
            n = min(2 * n, r)
            a = self.truncate(n)
            c = QuadSeries(QPSeries(prec=n, N=c.A.N, D=c.A.D, normalize=False),
                           None if c.B is None else QPSeries(prec=n, N=c.B.N, D=c.B.D, normalize=False), self.d)
            three = QuadSeries(QPSeries([3], n), None, self.d)
            c = (c * (three - a * c * c)).scale(fmpq(1, 2))
        return self * c

    def derivative(self) -> "QuadSeries":
        return QuadSeries(self.A.derivative(), None if self.B is None else self.B.derivative(), self.d)

    def integral(self) -> "QuadSeries":
        return QuadSeries(self.A.integral(), None if self.B is None else self.B.integral(), self.d)

    def atan(self) -> "QuadSeries":
        """arctan of a series with zero constant term: ∫ f'/(1 + f²)."""
        cs = self.coeffs()
        if cs and not cs[0].is_zero():
            raise NotExact("atan of a series with nonzero constant term is not in Q(√d)(π)[[s]]")
        if self.B is None:
            return QuadSeries(self.A.atan(), None, self.d)
        r = self.prec
        if r <= 1:
            return QuadSeries(QPSeries([], r), None, self.d)
        f = self.truncate(r - 1)
        g = (QuadSeries(QPSeries([1], r - 1), None, self.d) + f * f).inv()
        return (self.derivative() * g).integral().truncate(r)


class QuadRing(Ring):
    """The coefficient ring Q(√d)(P) (π ↦ P, exact), signs decided at P = π."""

    exact = True
    rigorous = True

    def __init__(self, d: int) -> None:
        d = int(d)
        if d < 2 or squarefree_part(d) != d:
            raise ValueError(f"Q(√d) needs a squarefree d > 1, not {d}")
        self.d = d
        self.name = f"Q(sqrt({d}))(pi)"

    def series(self, coeffs, prec):
        return QuadSeries.from_coeffs(coeffs, prec, self.d)

    def convert(self, x):
        if isinstance(x, QuadRatFun):
            if x.v is not None and x.d != self.d:
                raise NotExact(f"an element of Q(√{x.d}) in Q(√{self.d})(π)")
            return x if x.d == self.d else QuadRatFun(x.u, None, self.d)
        return QuadRatFun(_rf(x), None, self.d)

    def is_zero(self, c) -> bool:
        return self.convert(c).is_zero()

    def known_zero(self, c) -> bool:
        return self.convert(c).is_zero()

    def sign(self, c) -> int:
        return self.convert(c).sign()

    def mid(self, c):
        return arb_mid(self.convert(c).at_pi())

    def rad(self, c):
        return mpmath.mpf(0)

    def fmt(self, c, digits: int) -> str:
        return arb_str(self.convert(c).at_pi(max(flint_ctx.prec, int(3.4 * digits) + 64)), digits)

    def pi(self):
        return QuadRatFun(RatFun(fmpz_poly([0, 1]), fmpz_poly([1]), True), None, self.d)

    def sqrt(self, c):
        return self.convert(c).sqrt()
