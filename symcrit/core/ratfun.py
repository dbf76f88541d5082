r"""Exact arithmetic in Q(P) and in Q(P)[[s]]: the coefficient ring of the exact proofs.

The coefficients of the families' series are rational functions of π with rational coefficients
(:mod:`symcrit.asymptotics.exact`); π is transcendental, so Q(π) ≅ Q(P) for an indeterminate P and
an identity in Q(P) is an identity at P = π.  This module makes Q(P) a coefficient ring of
:class:`~symcrit.core.laurent.LSeries` (see :mod:`symcrit.core.rings`), so that every compiled
formula (reduced gradients, losses) evaluates on truncated series with coefficients in Q(P),
exactly:

* :class:`RatFun` -- an element n(P)/d(P) (``fmpz_poly`` numerator and denominator, in C).
  Zero tests are exact (n = 0).  Signs are the signs *at P = π*, decided rigorously in ball
  arithmetic (raising the precision until the ball excludes 0; a nonzero rational function does
  not vanish at π): the branch decisions (atan2, abs) are the ones the true series takes.
* :class:`QPSeries` -- a power series Σ N_j(P) s^j / D(P) with one common denominator D
  (numerators ``fmpz_poly``).  A product is ONE product of integer polynomials (Kronecker
  substitution s = P^K, truncated: ``fmpz_poly.mul_low``), then the common factor of D and all
  numerators is divided out (gcds in C); inverses, square roots (of a series with constant term 1)
  and arctangents (of a series without constant term) by Newton's iteration on such products.
* :class:`QPRing` -- the ring object for :func:`~symcrit.core.laurent.series_precision`.  The
  square root of a leading coefficient is taken exactly in Q(P) (a square up to a positive
  rational square), else :class:`~symcrit.core.rings.NotExact`.

>>> from symcrit.core.laurent import LSeries, series_precision
>>> with series_precision(256, 6, ring=QPRing()):
...     s = LSeries.var()
...     x = (LSeries.const(QPRing().pi()) + s) ** 2 / (1 - s)
...     print([str(c) for c in x.coeffs()[:3]])
['P^2', 'P^2 + 2*P', 'P^2 + 2*P + 1']
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any

import mpmath
from flint import arb, arb_poly, ctx as flint_ctx, fmpq, fmpz, fmpz_poly

from symcrit.core.errors import PrecisionError
from symcrit.core.rings import NotExact, Ring, arb_mid, arb_str

__all__ = ["FractionArithmetic", "RatFun", "QPSeries", "QPRing", "ratfun"]

_ONE = fmpz_poly([1])
_ZERO = fmpz_poly([])


def _norm_pair(n: fmpz_poly, d: fmpz_poly) -> tuple[fmpz_poly, fmpz_poly]:
    if d.is_zero():
        raise ZeroDivisionError("rational function with zero denominator")
    if n.is_zero():
        return _ZERO, _ONE
    g = n.gcd(d)
    if not g.is_one():
        n, d = n // g, d // g
    if d.leading_coefficient() < 0:
        n, d = -n, -d
    return n, d


class FractionArithmetic:
    """The field operations of a fraction n/d, written once for :class:`RatFun` (Q(P)) and
    :class:`symcrit.core.mratfun.MRatFun` (Q(P, y)): a subclass has slots ``n``, ``d``, a constructor
    ``(n, d, reduced=False)`` that brings the pair to lowest terms unless ``reduced``, and ``_lift``
    (an operand as an element of its field)."""

    __slots__ = ()
    n: Any
    d: Any

    def _lift(self, o):  # pragma: no cover - interface
        raise NotImplementedError

    def __add__(self, o):
        o = self._lift(o)
        if self.d == o.d:
            return type(self)(self.n + o.n, self.d)
        return type(self)(self.n * o.d + o.n * self.d, self.d * o.d)

    __radd__ = __add__

    def __neg__(self):
        return type(self)(-self.n, self.d, True)

    def __sub__(self, o):
        return self + (-self._lift(o))

    def __rsub__(self, o):
        return self._lift(o) + (-self)

    def __mul__(self, o):
        o = self._lift(o)
        return type(self)(self.n * o.n, self.d * o.d)

    __rmul__ = __mul__

    def __truediv__(self, o):
        o = self._lift(o)
        if o.n.is_zero():
            raise ZeroDivisionError("division by the zero rational function")
        return type(self)(self.n * o.d, self.d * o.n)

    def __rtruediv__(self, o):
        return self._lift(o) / self

    def __eq__(self, o):
        try:
            o = self._lift(o)
        except TypeError:
            return NotImplemented
        return self.n * o.d == o.n * self.d

    def __hash__(self):
        return hash((str(self.n), str(self.d)))

    def is_zero(self) -> bool:
        return self.n.is_zero()


class RatFun(FractionArithmetic):
    """n(P)/d(P) in Q(P), in lowest terms with d's leading coefficient positive."""

    __slots__ = ("n", "d")
    n: fmpz_poly
    d: fmpz_poly

    def __init__(self, n: Any, d: Any = None, reduced: bool = False) -> None:
        if isinstance(n, RatFun):
            n, d = n.n, n.d
        n = n if isinstance(n, fmpz_poly) else fmpz_poly([n])
        d = _ONE if d is None else (d if isinstance(d, fmpz_poly) else fmpz_poly([d]))
        self.n, self.d = (n, d) if reduced else _norm_pair(n, d)

    @staticmethod
    def lift(x) -> "RatFun":
        if isinstance(x, RatFun):
            return x
        if isinstance(x, (int, fmpz)):
            return RatFun(fmpz_poly([int(x)]), _ONE, True)
        if isinstance(x, (fmpq, Fraction)):
            return RatFun(fmpz_poly([int(x.numerator if isinstance(x, Fraction) else x.p)]),
                          fmpz_poly([int(x.denominator if isinstance(x, Fraction) else x.q)]))
        if isinstance(x, arb) and x.is_exact():  # a dyadic number, exactly
            man_f, exp_f = x.mid().man_exp()
            man, exp = int(man_f), int(exp_f)
            return RatFun(man << exp, 1) if exp >= 0 else RatFun(man, 1 << -exp)
        raise TypeError(f"no exact element of Q(P) for {type(x).__name__} {x!r}")

    def _lift(self, o) -> "RatFun":
        return RatFun.lift(o)

    def __pow__(self, e: int):
        if not isinstance(e, int):
            raise TypeError("integer powers only")
        if e < 0:
            return (1 / self) ** (-e)
        return RatFun(self.n ** e, self.d ** e, True)

    def at_pi(self, prec: int | None = None) -> arb:
        """The value at P = π, a ball at ``prec`` bits (default: the working precision)."""
        with flint_ctx.workprec(prec or flint_ctx.prec):
            pi = arb.pi()
            return arb_poly(self.n)(pi) / arb_poly(self.d)(pi)

    def sign(self) -> int:
        """The sign at P = π, proven (the precision is raised until the ball excludes 0)."""
        if self.n.is_zero():
            return 0
        prec = max(flint_ctx.prec, 64)
        for _ in range(8):
            v = self.at_pi(prec)
            if v > 0:
                return 1
            if v < 0:
                return -1
            prec *= 4
        raise PrecisionError(f"the sign at π of a rational function of degree {self.n.degree()} is undecided")

    def __gt__(self, o):
        return (self - o).sign() > 0

    def __lt__(self, o):
        return (self - o).sign() < 0

    def sqrt(self) -> "RatFun":
        """The square root in Q(P) that is positive at π, or NotExact."""
        if self.n.is_zero():
            return self
        if self.sign() < 0:
            raise NotExact("square root of a rational function negative at π")
        # n/d = (n d)/d²: a square iff n·d is (up to a positive rational square: content handled apart)
        nd = self.n * self.d
        c = nd.content()
        prim = nd // fmpz_poly([int(c)])
        if prim.leading_coefficient() < 0:
            prim, c = -prim, -c
        try:
            r = prim.sqrt()
        except Exception:  # python-flint raises DomainError for a non-square
            r = None
        cs = fmpz(c).sqrtrem() if c > 0 else None
        if r is None or cs is None or cs[1] != 0:
            raise NotExact(f"the square root of ({self}) is not in Q(π)")
        root = RatFun(r * fmpz_poly([int(cs[0])]), self.d)
        return root if root.sign() > 0 else -root

    def __str__(self):
        ns = str(self.n).replace("x", "P")
        if self.d.is_one():
            return ns
        return f"({ns})/({str(self.d).replace('x', 'P')})"

    def __repr__(self):
        return f"RatFun({self})"

    def coefficient_lists(self) -> tuple[list, list]:
        """(numerator, denominator) as lists of (a, b) int pairs, ascending powers, denominator
        monic (the format of :func:`symcrit.asymptotics.exact.attach_exact`'s forms)."""
        lc = int(self.d.leading_coefficient())
        num = [(int(a) // g, lc // g) if (g := _gcd(int(a), lc)) else (0, 1) for a in self.n.coeffs()] or [(0, 1)]
        den = [(int(a) // g, lc // g) if (g := _gcd(int(a), lc)) else (0, 1) for a in self.d.coeffs()]
        return [_sgn(t) for t in num], [_sgn(t) for t in den]


def _gcd(a, b):
    from math import gcd
    return gcd(a, b)


def _sgn(t):
    a, b = t
    return (-a, -b) if b < 0 else (a, b)


def ratfun(num: list, den: list) -> RatFun:
    """The element num/den of Q(P) from coefficient lists of (a, b) int pairs (ascending powers),
    as produced by the reconstruction (:mod:`symcrit.asymptotics.reconstruct`)."""
    from math import lcm

    def poly(cs):
        L = 1
        for _, b in cs:
            L = lcm(L, b)
        return fmpz_poly([a * (L // b) for a, b in cs]), L

    n, Ln = poly(num)
    d, Ld = poly(den)
    return RatFun(n * fmpz_poly([Ld]), d * fmpz_poly([Ln]))


# ---------------------------------------------------------------------------------------------
class QPSeries:
    """Σ_{j<prec} N[j](P) s^j / D(P): a power series over Q(P) of relative precision ``prec``."""

    __slots__ = ("N", "D", "prec", "_inv")

    def __init__(self, coeffs=(), prec: int = 0, N=None, D=None, normalize: bool = True):
        self.prec = int(prec)
        self._inv = None  # the inverse, when known for free (a square root's, see sqrt)
        if N is not None:
            self.N = list(N[:self.prec])
            self.D = D
        else:
            cs = [RatFun.lift(c) for c in coeffs][:self.prec]
            D = _ONE
            for c in cs:
                if not c.n.is_zero() and not (c.d == D):
                    g = D.gcd(c.d)
                    D = D * (c.d // g)
            self.N = [c.n * (D // c.d) if not c.n.is_zero() else _ZERO for c in cs]
            self.D = D
            normalize = False
        while self.N and self.N[-1].is_zero():
            self.N.pop()
        if normalize:
            self._normalize()

    def _normalize(self):
        D = self.D
        if not self.N:
            self.D = _ONE
            return
        g = D
        for n in self.N:
            if not n.is_zero():
                g = g.gcd(n)
                if g.is_one():
                    break
        if not g.is_one():
            self.N = [n // g for n in self.N]
            D = D // g
        if D.leading_coefficient() < 0:
            self.N = [-n for n in self.N]
            D = -D
        self.D = D

    # -- the python-flint series interface used by LSeries -----------------------------------------
    def coeffs(self) -> list:
        # not reduced (zero tests, signs and equality do not need lowest terms; a gcd per
        # coefficient would cost more than the whole product)
        return [RatFun(n, self.D, True) for n in self.N]

    def _k(self):
        return max((n.degree() for n in self.N), default=0) + 1

    @staticmethod
    def _pack(N, shift):
        # one coefficient list, one conversion (adding shifted polynomials one by one is quadratic)
        cs: list = []
        for n in N:
            c = n.coeffs()
            cs.extend(c)
            cs.extend([0] * (shift - len(c)))
        return fmpz_poly(cs)

    @staticmethod
    def _unpack(big, shift, r):
        cs = big.coeffs()
        return [fmpz_poly(cs[j * shift:(j + 1) * shift]) for j in range(r)]

    def _same_den(self, o):
        if self.D == o.D:
            return self.N, o.N, self.D
        g = self.D.gcd(o.D)
        a, b = o.D // g, self.D // g
        return [n * a for n in self.N], [n * b for n in o.N], self.D * a

    def __add__(self, o):
        if not isinstance(o, QPSeries):
            o = QPSeries([o], self.prec)
        r = min(self.prec, o.prec)
        A, B, D = self._same_den(o)
        L = max(len(A), len(B))
        N = [(A[j] if j < len(A) else _ZERO) + (B[j] if j < len(B) else _ZERO) for j in range(min(L, r))]
        return QPSeries(prec=r, N=N, D=D)

    __radd__ = __add__

    def __neg__(self):
        out = QPSeries(prec=self.prec, N=[-n for n in self.N], D=self.D, normalize=False)
        if self._inv is not None:
            out._inv = QPSeries(prec=self._inv.prec, N=[-n for n in self._inv.N], D=self._inv.D, normalize=False)
        return out

    def __sub__(self, o):
        return self + (-o if isinstance(o, QPSeries) else -RatFun.lift(o))

    def __rsub__(self, o):
        return (-self) + o

    def scale(self, c) -> "QPSeries":
        c = RatFun.lift(c)
        out = QPSeries(prec=self.prec, N=[n * c.n for n in self.N], D=self.D * c.d)
        if self._inv is not None and not c.n.is_zero():
            out._inv = QPSeries(prec=self._inv.prec, N=[n * c.d for n in self._inv.N], D=self._inv.D * c.n)
        return out

    def __mul__(self, o):
        if not isinstance(o, QPSeries):
            return self.scale(o)
        r = min(self.prec, o.prec)
        if not self.N or not o.N:
            return QPSeries(prec=r, N=[], D=_ONE, normalize=False)
        shift = self._k() + o._k()
        big = self._pack(self.N, shift).mul_low(self._pack(o.N, shift), r * shift)
        return QPSeries(prec=r, N=self._unpack(big, shift, r), D=self.D * o.D)

    __rmul__ = __mul__

    def truncate(self, r):
        return QPSeries(prec=min(r, self.prec), N=self.N, D=self.D, normalize=False)

    def inv(self) -> "QPSeries":
        """1/self (constant term nonzero), by Newton's iteration x ← x(2 − a x)."""
        if not self.N or self.N[0].is_zero():
            raise ZeroDivisionError("inverse of a power series with zero constant term")
        r = self.prec
        if self._inv is not None and self._inv.prec >= r:
            return self._inv.truncate(r)
        x = QPSeries([RatFun(self.D, self.N[0])], 1)
        n = 1
        while n < r:
            m, n = n, min(2 * n, r)
            a = self.truncate(n)
            x = QPSeries(prec=n, N=x.N, D=x.D, normalize=False)
            e = a * x  # 1 + O(s^m)
            # x(2 - a x) = x + x·(1 - a x), and 1 - a x = s^m h: the correction is a product of
            # length n - m only
            x = x + _shifted(x.truncate(n - m) * _high(e, m, n, negate=True), m, n)
        return x

    def __truediv__(self, o):
        if isinstance(o, QPSeries):
            return self * o.inv()
        return self.scale(1 / RatFun.lift(o))

    def __rtruediv__(self, o):
        return self.inv().scale(o)

    def _const_one(self):
        if not self.N or not (self.N[0] == self.D):
            raise NotExact("series square root: constant term 1 expected")

    def sqrt(self) -> "QPSeries":
        """√self for constant term 1: inverse square root by Newton (c ← c(3 − a c²)/2), then a·c."""
        self._const_one()
        r = self.prec
        c = QPSeries([1], 1)
        n = 1
        while n < r:
            m, n = n, min(2 * n, r)
            a = self.truncate(n)
            c = QPSeries(prec=n, N=c.N, D=c.D, normalize=False)
            # c(3 - a c²)/2 = c + c·(1 - a c²)/2, and 1 - a c² = s^m h: a correction of length n - m
            g = a * (c * c)  # 1 + O(s^m)
            c = c + _shifted((c.truncate(n - m) * _high(g, m, n, negate=True)).scale(fmpq(1, 2)), m, n)
        out = self * c
        out._inv = c  # 1/√a = c: an atan2 or a quotient by this root then needs no inversion
        return out

    def derivative(self) -> "QPSeries":
        return QPSeries(prec=self.prec - 1, N=[n * j for j, n in enumerate(self.N) if j > 0], D=self.D)

    def integral(self) -> "QPSeries":
        from math import lcm
        L = 1
        for j in range(1, len(self.N) + 1):
            L = lcm(L, j)
        return QPSeries(prec=self.prec + 1, N=[_ZERO] + [n * (L // (j + 1)) for j, n in enumerate(self.N)],
                        D=self.D * L)

    def atan(self) -> "QPSeries":
        """arctan of a series with zero constant term: ∫ f'/(1 + f²)."""
        if self.N and not self.N[0].is_zero():
            raise NotExact("atan of a series with nonzero constant term is not in Q(π)[[s]]")
        r = self.prec
        if r <= 1:
            return QPSeries(prec=r, N=[], D=_ONE, normalize=False)
        f = self.truncate(r - 1)
        g = (QPSeries([1], r - 1) + f * f).inv()
        return (self.derivative() * g).integral().truncate(r)


def _high(e: QPSeries, m: int, n: int, negate: bool = False) -> QPSeries:
    """(1 - e)/s^m (``negate``) or (e - 1)/s^m, of precision n - m, for e = 1 + O(s^m) known mod s^n."""
    N = list(e.N[:n]) + [_ZERO] * (n - len(e.N))
    if not (N[0] == e.D) or any(not c.is_zero() for c in N[1:m]):
        raise ArithmeticError("Newton step: the product is not 1 + O(s^m)")  # cannot happen: a bug
    H = N[m:n]
    return QPSeries(prec=n - m, N=[-c for c in H] if negate else H, D=e.D, normalize=False)


def _shifted(x: QPSeries, m: int, n: int) -> QPSeries:
    """s^m x, of precision n."""
    return QPSeries(prec=n, N=[_ZERO] * m + list(x.N), D=x.D, normalize=False)


class QPRing(Ring):
    """The coefficient ring Q(P) (π ↦ P, exact), signs decided at P = π (see the module docstring)."""

    name = "Q(pi)"
    exact = True
    rigorous = True

    def series(self, coeffs, prec):
        return QPSeries(coeffs, prec)

    def convert(self, x):
        return RatFun.lift(x)

    def is_zero(self, c) -> bool:
        return RatFun.lift(c).is_zero()

    def known_zero(self, c) -> bool:
        return RatFun.lift(c).is_zero()

    def sign(self, c) -> int:
        return RatFun.lift(c).sign()

    def mid(self, c):
        v = RatFun.lift(c).at_pi()
        return arb_mid(v)

    def rad(self, c):
        return mpmath.mpf(0)

    def fmt(self, c, digits: int) -> str:
        return arb_str(RatFun.lift(c).at_pi(max(flint_ctx.prec, int(3.4 * digits) + 64)), digits)

    def pi(self):
        return RatFun(fmpz_poly([0, 1]), _ONE, True)

    def sqrt(self, c):
        return RatFun.lift(c).sqrt()
