r"""Exact arithmetic in Q(P, y_1, …, y_n) and in Q(P, y)[[s]]: series whose coefficients are
rational functions of π and of free variables y.

This is the coefficient ring in which a statement "for all y near y0" about a truncated Laurent
series is proven by exact computation: the compiled formulas of symcrit evaluate unchanged on
:class:`~symcrit.core.laurent.LSeries` over :class:`MRatRing`, with the variables y left symbolic.

* :class:`MRatFun` -- n/d with n, d ``fmpz_mpoly`` in (P, y_1, …, y_n) (in C), in lowest terms.
  P stands for π (transcendental, so an identity in Q(P, y) is an identity at P = π).
* :class:`MSeries` -- a truncated power series in s with :class:`MRatFun` coefficients (products,
  inverses, square roots of series with constant term 1 and arctangents of series without
  constant term, by the coefficient recursions).
* :class:`MRatRing` -- the ring object for :func:`~symcrit.core.laurent.series_precision`.  Zero
  tests are exact (n = 0).  Every *decision* a series computation takes on a nonzero coefficient
  (its sign for a branch of atan2 or abs, the sign of a square root, that a leading coefficient
  is not zero before an inverse) is taken on a *box*: the coefficient is evaluated in ball
  arithmetic at P = π and y in the ring's box Y (``point``), and must exclude 0 there, else
  :class:`~symcrit.core.errors.PrecisionError`.  So a rational function that is not zero but
  vanishes somewhere in Y never becomes a leading coefficient: every coefficient the
  computation divides by is nonzero on all of Y, and the expansion computed is the expansion,
  uniform in y, of the function for every y in (a neighbourhood of) Y.

>>> from flint import arb
>>> from symcrit.core.laurent import LSeries, series_precision
>>> R = MRatRing(["y"], [arb(2)])
>>> with series_precision(128, 6, ring=R):
...     y = LSeries.const(R.gen(0))
...     s = LSeries.var()
...     z = ((y * y + s * s).sqrt() - y) / (s * s)      # (√(y² + s²) − y)/s² = 1/(2y) − s²/(8y³) + …
...     print([str(c) for c in z.coeffs()[:3]])
['1/(2*y)', '0', '-1/(8*y^3)']
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from flint import arb, fmpq, fmpz, fmpz_mpoly, fmpz_mpoly_ctx

from symcrit.core.errors import PrecisionError
from symcrit.core.ratfun import FractionArithmetic
from symcrit.core.rings import NotExact, Ring, arb_mid, arb_str

__all__ = ["MRatFun", "MSeries", "MRatRing", "NeedRoot"]


class MRatFun(FractionArithmetic):
    """n/d in Q(P, y), n and d ``fmpz_mpoly`` of one context, in lowest terms, d's leading
    coefficient positive."""

    __slots__ = ("n", "d")

    def __init__(self, n: fmpz_mpoly, d: fmpz_mpoly, reduced: bool = False) -> None:
        if not reduced:
            roots = _ROOTS.get(n.context())
            if roots:
                n, d = _reduce_roots(n, d, roots)
            if d.is_zero():
                raise ZeroDivisionError("rational function with zero denominator")
            if n.is_zero():
                d = d.context().constant(1)
            else:
                g = n.gcd(d)
                if not g.is_one():
                    n, d = n // g, d // g
                if d.leading_coefficient() < 0:
                    n, d = -n, -d
        self.n, self.d = n, d

    # -- arithmetic -------------------------------------------------------------------------------
    def _lift(self, o) -> "MRatFun":
        return o if isinstance(o, MRatFun) else _const(self.n.context(), o)

    def __pow__(self, e: int):
        if e < 0:
            return (1 / self) ** (-e)
        return MRatFun(self.n ** e, self.d ** e, not _ROOTS.get(self.n.context()))

    # -- tests and values ------------------------------------------------------------------------

    def is_constant_in(self, idx: Sequence[int]) -> bool:
        """True if the variables with these indices do not occur (numerator and denominator)."""
        if self.n.is_zero():
            return True
        dn, dd = self.n.degrees(), self.d.degrees()
        return all(dn[i] <= 0 and dd[i] <= 0 for i in idx)

    def diff(self, i: int) -> "MRatFun":
        """The partial derivative in variable ``i``."""
        n, d = self.n, self.d
        return MRatFun(n.derivative(i) * d - n * d.derivative(i), d * d)

    def value(self, point: Sequence[arb]) -> arb:
        """The value at a point of balls (one per variable, P first), in ball arithmetic."""
        return _eval(self.n, point) / _eval(self.d, point)

    def __str__(self):
        if self.d.is_one():
            return str(self.n)
        nn, dd = str(self.n), str(self.d)
        nn = f"({nn})" if len(self.n) > 1 else nn
        dd = f"({dd})" if len(self.d) > 1 or "*" in dd or "^" in dd else dd
        return f"{nn}/{dd}"

    def __repr__(self):
        return f"MRatFun({self})"


#: the adjoined square roots of a context: [(index of the generator Q, c)] with Q² = c
_ROOTS: dict = {}


def _reduce_poly(p: fmpz_mpoly, roots) -> fmpz_mpoly:
    """p with Q^e replaced by c^(e//2) Q^(e%2) for every adjoined root Q = √c."""
    deg = p.degrees() if not p.is_zero() else ()
    if not p.is_zero() and all(deg[i] < 2 for i, _ in roots):
        return p
    out: dict = {}
    for exps, coeff in p.terms():
        e = list(exps)
        a = int(coeff)
        for i, c in roots:
            a *= c ** (e[i] // 2)
            e[i] %= 2
        key = tuple(e)
        out[key] = out.get(key, 0) + a
    return p.context().from_dict({k: v for k, v in out.items() if v})


def _reduce_roots(n: fmpz_mpoly, d: fmpz_mpoly, roots) -> tuple:
    """n/d in the normal form of Q(P, √c…, y): numerator reduced, denominator free of the roots
    (multiplied by its conjugates)."""
    n, d = _reduce_poly(n, roots), _reduce_poly(d, roots)
    ctx = n.context()
    for i, _ in roots:
        if not d.is_zero() and d.degrees()[i] > 0:
            gens = list(ctx.gens())
            gens[i] = -gens[i]
            conj = d.compose(*gens)
            n, d = _reduce_poly(n * conj, roots), _reduce_poly(d * conj, roots)
    return n, d


class NeedRoot(NotExact):
    """A square root needs √c adjoined to the ring (``radicand`` = c, a square-free integer > 1)."""

    def __init__(self, radicand: int) -> None:
        super().__init__(f"the square root needs √{radicand} adjoined")
        self.radicand = radicand


def _const(ctx: fmpz_mpoly_ctx, x) -> MRatFun:
    if isinstance(x, MRatFun):
        return x
    if isinstance(x, bool):
        raise TypeError("no element of Q(P, y) for a bool")
    if isinstance(x, (int, fmpz)):
        return MRatFun(ctx.constant(int(x)), ctx.constant(1), True)
    if isinstance(x, (fmpq, Fraction)):
        p, q = (x.numerator, x.denominator) if isinstance(x, Fraction) else (int(x.p), int(x.q))
        return MRatFun(ctx.constant(int(p)), ctx.constant(int(q)))
    if isinstance(x, arb) and x.is_exact():  # a dyadic number, exactly
        man_f, exp_f = x.mid().man_exp()
        man, exp = int(man_f), int(exp_f)
        return MRatFun(ctx.constant(man << exp), ctx.constant(1), True) if exp >= 0 else \
            MRatFun(ctx.constant(man), ctx.constant(1 << -exp))
    raise TypeError(f"no exact element of Q(P, y) for {type(x).__name__} {x!r}")


def _eval(p: fmpz_mpoly, point: Sequence[arb]) -> arb:
    acc = arb(0)
    powers: dict = {}
    for exps, c in p.terms():
        t = arb(c)
        for i, e in enumerate(exps):
            if e:
                key = (i, e)
                if key not in powers:
                    x = point[i]
                    v = arb(1)
                    for _ in range(e):  # products, not arb ** e (NaN on balls around 0)
                        v = v * x
                    powers[key] = v
                t = t * powers[key]
        acc += t
    return acc


# ---------------------------------------------------------------------------------------------
class MSeries:
    """Σ_{j<prec} c_j s^j with c_j in Q(P, y): a power series of relative precision ``prec``."""

    __slots__ = ("c", "prec", "ctx")

    def __init__(self, coeffs: Sequence[Any], prec: int, ctx: fmpz_mpoly_ctx) -> None:
        self.prec = int(prec)
        self.ctx = ctx
        cs = [_const(ctx, x) for x in list(coeffs)[:self.prec]]
        while cs and cs[-1].is_zero():
            cs.pop()
        self.c = cs

    def _zero(self):
        return _const(self.ctx, 0)

    def _at(self, j):
        return self.c[j] if j < len(self.c) else self._zero()

    def _lift(self, o) -> "MSeries":
        return o if isinstance(o, MSeries) else MSeries([o], self.prec, self.ctx)

    def coeffs(self) -> list:
        return list(self.c)

    def __add__(self, o):
        o = self._lift(o)
        r = min(self.prec, o.prec)
        L = min(r, max(len(self.c), len(o.c)))
        return MSeries([self._at(j) + o._at(j) for j in range(L)], r, self.ctx)

    __radd__ = __add__

    def __neg__(self):
        return MSeries([-x for x in self.c], self.prec, self.ctx)

    def __sub__(self, o):
        return self + (-self._lift(o))

    def __rsub__(self, o):
        return self._lift(o) + (-self)

    def scale(self, x) -> "MSeries":
        x = _const(self.ctx, x)
        return MSeries([a * x for a in self.c], self.prec, self.ctx)

    def __mul__(self, o):
        if not isinstance(o, MSeries):
            return self.scale(o)
        r = min(self.prec, o.prec)
        out = []
        for n in range(min(r, len(self.c) + len(o.c) - 1)):
            acc = None
            for i in range(max(0, n - len(o.c) + 1), min(n, len(self.c) - 1) + 1):
                a, b = self.c[i], o.c[n - i]
                if a.is_zero() or b.is_zero():
                    continue
                t = a * b
                acc = t if acc is None else acc + t
            out.append(self._zero() if acc is None else acc)
        return MSeries(out, r, self.ctx)

    __rmul__ = __mul__

    def inv(self) -> "MSeries":
        """1/self (constant term nonzero), by the recursion b_n = −(Σ_{j≥1} a_j b_{n−j}) / a_0."""
        if not self.c or self.c[0].is_zero():
            raise ZeroDivisionError("inverse of a power series with zero constant term")
        a0i = 1 / self.c[0]
        b = [a0i]
        for n in range(1, self.prec):
            acc = self._zero()
            for j in range(1, min(n, len(self.c) - 1) + 1):
                if not self.c[j].is_zero() and not b[n - j].is_zero():
                    acc = acc + self.c[j] * b[n - j]
            b.append(-acc * a0i)
        return MSeries(b, self.prec, self.ctx)

    def __truediv__(self, o):
        if isinstance(o, MSeries):
            return self * o.inv()
        return self.scale(1 / _const(self.ctx, o))

    def __rtruediv__(self, o):
        return self.inv().scale(o)

    def sqrt(self) -> "MSeries":
        """√self for constant term 1: c_0 = 1, c_n = (a_n − Σ_{0<j<n} c_j c_{n−j}) / 2."""
        if not self.c or not (self.c[0] == 1):
            raise NotExact("series square root: constant term 1 expected")
        c = [self.c[0]]
        half = _const(self.ctx, fmpq(1, 2))
        for n in range(1, self.prec):
            acc = self._at(n)
            for j in range(1, n):
                if not c[j].is_zero() and not c[n - j].is_zero():
                    acc = acc - c[j] * c[n - j]
            c.append(acc * half)
        return MSeries(c, self.prec, self.ctx)

    def derivative(self) -> "MSeries":
        return MSeries([self.c[j] * j for j in range(1, len(self.c))], self.prec - 1, self.ctx)

    def integral(self) -> "MSeries":
        return MSeries([self._zero()] + [self.c[j] * fmpq(1, j + 1) for j in range(len(self.c))], self.prec + 1,
                       self.ctx)

    def atan(self) -> "MSeries":
        """arctan of a series with zero constant term: ∫ f'/(1 + f²)."""
        if self.c and not self.c[0].is_zero():
            raise NotExact("atan of a series with a nonzero constant term is not in Q(P, y)[[s]]")
        r = self.prec
        if r <= 1:
            return MSeries([], r, self.ctx)
        f = MSeries(self.c, r - 1, self.ctx)
        g = (MSeries([1], r - 1, self.ctx) + f * f).inv()
        out = (self.derivative() * g).integral()
        return MSeries(out.c, r, self.ctx)


# ---------------------------------------------------------------------------------------------
class MRatRing(Ring):
    """The coefficient ring Q(P, y_1, …, y_n) with every decision taken on a box (see the module
    docstring).  ``names``: the variables y; ``box``: one ball per variable (the box Y)."""

    name = "Q(pi, y)"
    exact = True
    rigorous = True

    def __init__(self, names: Sequence[str], box: Sequence[Any], roots: Sequence[int] = ()) -> None:
        if len(names) != len(box):
            raise ValueError("one ball per variable")
        self.roots = tuple(int(c) for c in roots)
        if any(c < 2 or _squarefree(c) != c for c in self.roots):
            raise ValueError("adjoined roots must be of square-free integers > 1")
        self.names = ["P"] + [f"Q{c}" for c in self.roots] + [str(n) for n in names]
        self.ctx = fmpz_mpoly_ctx.get(tuple(self.names), "degrevlex")
        _ROOTS[self.ctx] = [(1 + t, c) for t, c in enumerate(self.roots)]
        self.box = [arb(b) for b in box]

    def y_index(self, i: int) -> int:
        """The generator index of y_i."""
        return 1 + len(self.roots) + i

    def y_indices(self) -> list:
        return [self.y_index(i) for i in range(len(self.box))]

    def gen(self, i: int) -> MRatFun:
        """The variable y_i (i = 0 … n-1) as an element of the ring."""
        return MRatFun(self.ctx.gen(self.y_index(i)), self.ctx.constant(1), True)

    def root(self, c: int) -> MRatFun:
        """√c (an adjoined root) as an element of the ring."""
        return MRatFun(self.ctx.gen(1 + self.roots.index(c)), self.ctx.constant(1), True)

    def point(self) -> list:
        """P = π, the adjoined roots and the box, as balls at the working precision."""
        return [arb.pi()] + [arb(c).sqrt() for c in self.roots] + self.box

    def value(self, c) -> arb:
        """The value of c on the box (a ball containing every value of c on it)."""
        return self.convert(c).value(self.point())

    def series(self, coeffs, prec):
        return MSeries(coeffs, prec, self.ctx)

    def convert(self, x):
        return _const(self.ctx, x)

    def is_zero(self, c) -> bool:
        c = self.convert(c)
        if c.is_zero():
            return True
        self.sign(c)  # nonzero on the whole box, or PrecisionError
        return False

    def known_zero(self, c) -> bool:
        return self.convert(c).is_zero()

    def sign(self, c) -> int:
        c = self.convert(c)
        if c.is_zero():
            return 0
        v = self.value(c)
        if v > 0:
            return 1
        if v < 0:
            return -1
        raise PrecisionError(f"the sign of a nonzero coefficient {_short(c)} is not constant on the box "
                             f"(value {v.str(5, radius=True)})")

    def mid(self, c):
        return arb_mid(self.value(c))

    def rad(self, c):
        return arb_mid(arb(self.value(c).rad()))

    def fmt(self, c, digits: int) -> str:
        return arb_str(self.value(c), digits)

    def pi(self):
        return MRatFun(self.ctx.gen(0), self.ctx.constant(1), True)

    def sqrt(self, c):
        """The square root in Q(P, y) that is positive on the box, or NotExact."""
        c = self.convert(c)
        if c.is_zero():
            return c
        if self.sign(c) < 0:
            raise NotExact("square root of a rational function negative on the box")
        nd = c.n * c.d  # n/d = (n d)/d²
        cont = nd.content()
        prim = nd // self.ctx.constant(int(cont))
        if prim.leading_coefficient() < 0:
            prim, cont = -prim, -cont
        try:
            r = prim.sqrt()
        except Exception:  # DomainError: not a perfect square
            r = None
        if r is None or cont <= 0:
            raise NotExact(f"the square root of {_short(c)} is not in Q(P, y)")
        b = _squarefree(int(cont))  # cont = a² b
        a = fmpz(int(cont) // b).sqrtrem()[0]
        r = r * self.ctx.constant(int(a))
        if b > 1:
            if b not in self.roots:
                raise NeedRoot(b)
            r = r * self.ctx.gen(1 + self.roots.index(b))
        root = MRatFun(r, c.d)
        return root if self.sign(root) > 0 else -root


def _squarefree(c: int) -> int:
    """The square-free part b of a positive integer c = a² b."""
    b = 1
    for p, e in fmpz(c).factor():
        if e % 2:
            b *= int(p)
    return b


def _short(c, n: int = 120) -> str:
    t = str(c)
    return t if len(t) <= n else t[:n] + "…"

