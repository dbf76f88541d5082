r"""Taylor models on a disc: a polynomial of degree N in t with ``acb`` ball coefficients and a
remainder bound, valid for every t with |t| <= ρ.

A :class:`TaylorModel` (p, r) on the disc |t| <= ρ stands for every function F with
F(t) - p̃(t) <= r on the disc, p̃ any polynomial with coefficients in the balls of p.  The
arithmetic keeps this true: sums add the remainders; a product keeps the coefficients up to t^N
and puts the rest into the remainder (Σ_{n>N} |c_n| ρ^n) together with r₁ sup|p₂| + r₂ sup|p₁|
+ r₁r₂; 1/g, sqrt(g) and log(g) take the truncated power series h of the polynomial part
(midpoints) and bound the error exactly from a polynomial identity:

* 1/p - h = -(p h - 1)/p, so |1/p - h| <= sup|p h - 1| / inf|p|, and |1/g - 1/p| <= r / (m (m - r)),
  m a lower bound of |p| on the disc;
* sqrt(p) - h = (p - h²)/(sqrt(p) + h) with Re sqrt(p) >= 0 (principal), so |sqrt(p) - h| <=
  sup|h² - p| / inf Re h, and |sqrt(g) - sqrt(p)| <= r / inf Re sqrt(p);
* log p(t) = log p(0) + ∫₀ᵗ p'/p (the derivative as a Taylor model, integrated along the segment),
  and |log g - log p| <= r / (m - r).

sqrt and log are principal: the context refuses (``re_positive``) unless the real part of the
whole model is positive on the disc, so they are analytic there; :class:`TaylorModelContext` is
the number context used under :class:`symcrit.core.branches.BranchContext`, which fixes the
branches by references, so that evaluating a compiled formula on Taylor models proves it
analytic on the disc and encloses it there.  Unlike a ball evaluation over the disc (whose
width grows with every cancellation), the polynomial part carries the dependence on t exactly.

>>> from symcrit.core.laurent import series_precision
>>> ctx = TaylorModelContext(order=8, rho=0.25)
>>> with series_precision(64, 17):
...     t = ctx.variable()
...     y = ctx.sqrt(1 + t) * ctx.sqrt(1 + t) - (1 + t)   # 0 on the disc, up to the remainder
>>> 0 < float(y.sup()) < 1e-5
True
"""
from __future__ import annotations


from typing import Any, Callable

from flint import acb, acb_series, arb, ctx as flint_ctx, fmpq

from symcrit.core.errors import PrecisionError

__all__ = ["TaylorModel", "TaylorModelContext", "ModelArithmetic", "as_acb", "taylor_krawczyk"]


def as_acb(x: Any) -> acb:
    """A constant of a Taylor model as an ``acb`` (int, fmpq, arb, acb; anything else: TypeError)."""
    if isinstance(x, acb):
        return x
    if isinstance(x, (int, arb)):
        return acb(x)
    if isinstance(x, fmpq):
        return acb(arb(x))
    raise TypeError(f"not a constant of a Taylor model: {type(x).__name__}")


_acb = as_acb


class ModelArithmetic:
    """Subtraction and division for the Taylor-model classes (here and :mod:`symcrit.core.vtaylor`),
    written once from ``_lift``, their negation, sum and product: division by a constant, and by a
    model of the same class through its context's ``inv``."""

    __slots__ = ()

    def _lift(self, o):
        """``o`` as a model of this class (a constant through the context), or None."""
        if isinstance(o, type(self)):
            return o
        try:
            return self.ctx.constant(o)
        except TypeError:
            return None

    def __sub__(self, o):
        o = self._lift(o)
        if o is None:
            return NotImplemented
        return self + (-o)

    def __rsub__(self, o):
        o = self._lift(o)
        if o is None:
            return NotImplemented
        return o + (-self)

    def __truediv__(self, o):
        if not isinstance(o, type(self)):
            try:
                k = as_acb(o)
            except TypeError:
                return NotImplemented
            return self * (1 / k)
        return self * o.ctx.inv(o)

    def __rtruediv__(self, o):
        try:
            k = as_acb(o)
        except TypeError:
            return NotImplemented
        return self.ctx.inv(self) * k


class TaylorModel(ModelArithmetic):
    """p(t) + B(r) on |t| <= ρ (``ctx`` holds N and ρ); ``c``: N + 1 acb coefficients, ``r``: arb."""

    __slots__ = ("c", "r", "ctx", "_sup")

    def __init__(self, c: list, r: arb, ctx: "TaylorModelContext") -> None:
        self.c, self.r, self.ctx = c, r, ctx
        self._sup: dict = {}

    # -- bounds ----------------------------------------------------------------------------
    def poly_sup(self, start: int = 0) -> arb:
        """An upper bound of |Σ_{n >= start} c_n t^n| over the disc (cached: a model is never changed)."""
        v = self._sup.get(start)
        if v is None:
            v = self._sup[start] = self.ctx.poly_sup(self.c, start)
        return v

    def sup(self, start: int = 0) -> arb:
        """An upper bound of |Σ_{n >= start} c_n t^n| + r over the disc."""
        return self.poly_sup(start) + self.r

    def is_zero(self) -> bool:
        return self.r == 0 and all(v.is_zero() for v in self.c)

    def __repr__(self) -> str:
        return f"TaylorModel(c0={self.c[0]}, sup-c0={float(self.sup(1).upper()):.3g})"

    # -- arithmetic ------------------------------------------------------------------------
    def __add__(self, o):
        o = self._lift(o)
        if o is None:
            return NotImplemented
        return TaylorModel([a + b for a, b in zip(self.c, o.c)], self.r + o.r, self.ctx)

    __radd__ = __add__

    def __neg__(self):
        return TaylorModel([-a for a in self.c], self.r, self.ctx)

    def __mul__(self, o):
        if not isinstance(o, TaylorModel):
            try:
                k = _acb(o)
            except TypeError:
                return NotImplemented
            return TaylorModel([a * k for a in self.c], self.r * k.abs_upper(), self.ctx)
        ctx = self.ctx
        full = ctx.product(self.c, o.c)
        r = (self.r * o.poly_sup() + o.r * self.poly_sup() + self.r * o.r + ctx.poly_sup(full, ctx.N + 1))
        return TaylorModel(full[:ctx.N + 1], arb(r.upper()), ctx)

    __rmul__ = __mul__


class TaylorModelContext:
    """Number context of Taylor models of degree ``order`` on the disc |t| <= ``rho``.

    Only the operations of the compiled formulas under a :class:`BranchContext`: + - * /, sqrt,
    log (principal, refused unless the real part is positive on the disc), exp of constants,
    pi and rationals.  python-flint's ``ctx.cap`` must be at least 2·order + 1 (scope it with
    :func:`symcrit.core.laurent.series_precision`)."""

    name = "taylor"
    exact = False

    def __init__(self, order: int, rho) -> None:
        self.N = int(order)
        self.rho = arb(rho)
        self._pow = [arb(1)]
        for _ in range(2 * self.N + 2):
            self._pow.append(self._pow[-1] * self.rho)

    # -- construction --------------------------------------------------------------------
    def constant(self, v) -> TaylorModel:
        return TaylorModel([_acb(v)] + [acb(0)] * self.N, arb(0), self)

    def model(self, coeffs: list, r=0) -> TaylorModel:
        """The model with these coefficients (missing ones 0; beyond t^N into the remainder)."""
        c = [_acb(v) for v in coeffs]
        extra = self.poly_sup(c, self.N + 1) if len(c) > self.N + 1 else arb(0)
        c = (c + [acb(0)] * (self.N + 1))[:self.N + 1]
        return TaylorModel(c, arb((arb(r) + extra).upper()), self)

    def variable(self, centre=0) -> TaylorModel:
        """centre + t."""
        return self.model([_acb(centre), acb(1)])

    # -- helpers -------------------------------------------------------------------------
    def poly_sup(self, c: list, start: int = 0) -> arb:
        tot = arb(0)
        for n in range(start, len(c)):
            if not c[n].is_zero():
                tot += c[n].abs_upper() * self._pow[n]
        return arb(tot.upper())

    @staticmethod
    def poly_inf(g: TaylorModel) -> arb:
        """A lower bound of |Σ c_n t^n| (the polynomial part of g) on the disc (may be negative:
        then no bound)."""
        return arb((g.c[0].abs_lower() - g.poly_sup(1)).lower())

    def product(self, a: list, b: list) -> list:
        """All 2N + 1 coefficients of the product of two coefficient lists (exact product)."""
        L = 2 * self.N + 1
        if flint_ctx.cap < L:
            raise PrecisionError(f"python-flint's series cap {flint_ctx.cap} is below 2N + 1 = {L}: "
                                 f"scope it with series_precision")
        c = (acb_series(a, prec=L) * acb_series(b, prec=L)).coeffs()
        return list(c) + [acb(0)] * (L - len(c))

    @staticmethod
    def _mid(c):
        return [acb(v.mid()) for v in c]

    def _series(self, c, f):
        L = self.N + 1
        out = list(getattr(acb_series(c, prec=L), f)().coeffs())
        return self._mid(out + [acb(0)] * (L - len(out)))

    # -- the context operations ----------------------------------------------------------
    def convert(self, x):
        return x if isinstance(x, TaylorModel) else _acb(x) if not isinstance(x, str) else acb(x)

    def pi(self):
        return acb(arb.pi())

    def rational(self, p, q):
        return acb(arb(fmpq(int(p), int(q))))

    def I(self):
        return acb(0, 1)

    def is_real(self, x) -> bool:
        return False

    def real_sign(self, x):
        raise ValueError("the sign of a Taylor model: use BranchContext with references")

    def re_positive(self, q) -> bool:
        """True if Re q > 0 on the whole disc (proven)."""
        if not isinstance(q, TaylorModel):
            return bool(_acb(q).real > 0)
        return bool(q.c[0].real - q.sup(1) > 0)

    def inv(self, g: TaylorModel) -> TaylorModel:
        m = self.poly_inf(g)
        if not (m > g.r):
            raise ZeroDivisionError("1/g: g may vanish on the disc")
        h = self._series(g.c, "inv")
        e = self.product(g.c, h)
        e[0] = e[0] - 1
        rem = self.poly_sup(e) / m + g.r / (m * (m - g.r))
        return TaylorModel(h, arb(rem.upper()), self)

    def sqrt(self, g):
        if not isinstance(g, TaylorModel):
            return _acb(g).sqrt()
        if not self.re_positive(g):
            raise ValueError("sqrt of a Taylor model whose real part is not positive on the disc")
        h = self._series(g.c, "sqrt")
        e = self.product(h, h)
        for n in range(self.N + 1):
            e[n] = e[n] - g.c[n]
        mh = arb((h[0].real - self.poly_sup(h, 1)).lower())
        if not mh > 0:
            raise ValueError("sqrt: the real part of the root is not bounded away from 0 on the disc")
        d = self.poly_sup(e) / mh
        ms = mh - d
        if not ms > 0:
            raise ValueError("sqrt: the truncation error is too large on the disc")
        rem = d + g.r / ms
        return TaylorModel(h, arb(rem.upper()), self)

    def log(self, g):
        if not isinstance(g, TaylorModel):
            return _acb(g).log()
        if not self.re_positive(g):
            raise ValueError("log of a Taylor model whose real part is not positive on the disc")
        p = TaylorModel(g.c, arb(0), self)
        dp = self.model([g.c[n] * n for n in range(1, self.N + 1)])
        w = dp * self.inv(p)
        integ = [g.c[0].log()] + [w.c[n] / (n + 1) for n in range(self.N)]
        extra = w.c[self.N].abs_upper() / (self.N + 1) * self._pow[self.N + 1]
        m = self.poly_inf(g)
        rem = self.rho * w.r + extra + g.r / (m - g.r)
        return TaylorModel(integ, arb(rem.upper()), self)

    def exp(self, g):
        if isinstance(g, TaylorModel):
            raise NotImplementedError("exp of a non-constant Taylor model")
        return _acb(g).exp()


def taylor_krawczyk(system: Callable, P: list, A: list, centre: Any, radius: float, eps: float | None = None,
                    prec: int = 128) -> dict:
    r"""The Taylor-model Krawczyk test for an analytic family of zeros z(t) of F(z, c + t) on the
    disc |t| <= ``radius``: for every t there, exactly one zero with |z_i - P_i(t)| <= eps, the
    Jacobian F_z invertible there, so the zero is analytic in t on the disc.

    ``system(tm, z, u, jac)`` → (F, J): F(z, u) (a list) and, with ``jac``, its Jacobian in z
    (rows; by dual numbers over the same branch context, so that it is the derivative of that F),
    evaluated in the number context ``tm`` (a :class:`TaylorModelContext`) at z a list of Taylor
    models and u = centre + t; a result that is a constant is lifted.  ``P``: polynomials (lists of
    N + 1 coefficients; N is the models' degree) approximating z(t), ``A``: a polynomial matrix
    approximating F_z(P(t), c + t)⁻¹ (any polynomials: the test proves or fails, whatever they are).

    The proof: with f(t) = F(P(t), c + t) and J over the polydisc Z(t) = {|z_i - P_i(t)| <= eps}
    (the constant terms of P widened by the complex ball of radius eps), β_i >= sup |(A f)_i| and
    E_ij >= sup |(I − A J)_ij| on the disc (Taylor-model products and their bounds), the test
    β_i + Σ_j E_ij eps < eps for every i proves that z ↦ z − A F(z, u) maps Z(t) into its interior
    and I − A J̃ is a contraction (the Krawczyk operator: one zero, unique in Z(t), within
    β_i + Σ_j E_ij eps of P_i(t)), for every t of the disc.  ``eps`` (default: 8 times max β plus a
    rounding floor) is the radius tested.  Scopes python-flint's precision (``prec`` bits, series
    length 2N + 1).

    Returns a dict: ``ok``, ``eps`` (a float, exact binary), ``enclosure`` (per component the
    proven bound of |z_i(t) − P_i(t)|, rounded up), ``beta`` (max β), ``E`` (the largest row sum of
    E), ``remainder`` (the largest Taylor-model remainder of f); or, where F is not enclosed as
    one analytic function on the disc (a branch lost, a division by a model that may vanish, a
    square root whose argument leaves the right half plane), ``{"ok": False, "failure": message}``."""
    from symcrit.core.errors import BranchLost
    from symcrit.core.laurent import series_precision
    m = len(P)
    N = len(P[0]) - 1
    with series_precision(prec, 2 * N + 1):
        tm = TaylorModelContext(N, arb(radius))
        u = tm.variable(centre)
        Am = [[tm.model(A[i][j]) for j in range(m)] for i in range(m)]

        def lift(v):
            return v if hasattr(v, "sup") else tm.constant(v)
        try:
            f, _ = system(tm, [tm.model(p) for p in P], u, False)
            f = [lift(v) for v in f]
            Af = [sum((Am[i][j] * f[j] for j in range(m)), tm.constant(0)) for i in range(m)]
            beta = [v.sup() for v in Af]
            bmax = max(beta)
            if eps is None:
                scale = max(abs(complex(float(p[0].real.mid()), float(p[0].imag.mid()))) for p in P)
                eps = float(arb(float((8 * bmax).upper()) + 2.0 ** (-prec + 64) * (1 + scale)).upper())
            ea = arb(eps)
            dball = acb(arb(0, eps), arb(0, eps))
            _, J = system(tm, [tm.model([p[0] + dball] + list(p[1:])) for p in P], u, True)
        except (BranchLost, ZeroDivisionError, ValueError, NotImplementedError) as exc:
            return {"ok": False, "failure": str(exc)}
        E = [[(tm.constant(1 if i == j else 0) - sum((Am[i][l] * lift(J[l][j]) for l in range(m)), tm.constant(0))).sup()
              for j in range(m)] for i in range(m)]
        rows = [sum(E[i], arb(0)) for i in range(m)]
        enc = [beta[i] + rows[i] * ea for i in range(m)]
        ok = all(e < ea for e in enc) and all(e.is_finite() for e in enc)
        return {"ok": bool(ok), "eps": eps, "enclosure": [float(e.upper()) for e in enc], "beta": float(bmax.upper()),
                "E": float(max(rows).upper()), "remainder": float(max(v.r for v in f).upper())}
