r"""Taylor models of valuation form on a disc around 0: functions with a pole or zero at s = 0.

A :class:`VTaylorModel` (v, p, r) on the disc |s| <= ρ (``ctx`` holds the degree N and ρ) stands
for every function

    F(s) = s^v (p̃(s) + s^(N+1) E(s)),

p̃ a polynomial of degree N with coefficients in the ``acb`` balls of p, E analytic on
0 < |s| <= ρ with |E| <= r there (so E extends analytically to s = 0: a bounded isolated
singularity is removable).  v may be negative: F is then meromorphic at 0 with a pole of order at
most -v, analytic on the punctured disc.  The sup-norm models of :mod:`symcrit.core.taylor` cannot
carry k = s^-2 (a pole at the centre makes every remainder unbounded); here k = ``ctx.power(-2)``
is exact and a product only adds valuations, so the relative degree N is kept by products and
lost only where a sum aligns two different valuations (the terms pushed beyond s^N go into the
remainder).

Operations (every one encloses the exact function on the whole disc):

* sums align valuations; products multiply the polynomials exactly and put the part beyond s^N
  into the remainder, with r₁ sup|p₂| + r₂ sup|p₁| + ρ^(N+1) r₁ r₂;
* a leading coefficient that is *exactly* zero is stripped (v + 1): E(0) goes into the last
  coefficient as a ball of radius r, and (E(s) - E(0))/s is bounded by 2r/ρ (maximum principle);
  a leading ball that contains 0 but is not 0 is never stripped (an inverse then refuses);
* inv of s^v u: h = the ball power series 1/p (it encloses the truncated Taylor polynomial h̃ of
  1/p̃ for every p̃ in the balls), 1/u - h̃ = -s^(N+1)[(p̃h̃)_(>N) / p̃ + E/(p̃ u)], so the remainder
  is Σ_(n>N) |(ph)_n| ρ^(n-N-1) / m + r/(m(m - ρ^(N+1) r)), m a lower bound of |p̃| on the disc
  (m > ρ^(N+1) r required: u has no zero);
* sqrt of s^(2w) u with Re u > 0 on the disc (proven, else refused): s^w times the principal root;
  sqrt(u) - h̃ = (u - h̃²)/(sqrt(u) + h̃), u - h̃² = s^(N+1)(E - (h̃²)_(>N)), |sqrt u + h̃| >= inf Re h̃;
* atan of a model of valuation >= 0: atan(p̃(s)) = atan(p̃(0)) + ∫₀ˢ p̃'/(1 + p̃²) (a model,
  integrated term by term), and |atan u - atan p̃| <= ρ^(N+1) r / min|1 + z²| over the disc
  |z - p̃(0)| <= sup|p̃ - p̃(0)| + ρ^(N+1) r (which must avoid ±i);
* atan2, |·| and sign take their branch from the leading coefficients exactly as the Laurent
  series context (:func:`symcrit.core.laurent.SeriesContext`, the context of the series engine
  and of the structure proof) does: the dominant argument (lower valuation), its real sign
  (decided on the ball, else refused); so for real data and real s > 0 they are the real
  functions, and for complex data the analytic continuation in the data.

:class:`VTaylorContext` is a number context: a compiled formula evaluated on these models proves
it analytic on the punctured disc and encloses it there.  With ``record=True`` it keeps the value
of every sqrt/atan2/|·|/sign call (kinds as :class:`symcrit.core.branches.BranchContext` records
them), so that a point evaluation with references can be compared call by call.

>>> from symcrit.core.laurent import series_precision
>>> ctx = VTaylorContext(order=10, rho=0.25)
>>> with series_precision(128, 21):
...     s = ctx.variable()
...     f = ctx.sqrt(s * s * (1 + s)) / s            # sqrt(1 + s), with a double zero inside
...     print(f.v, round(float(f.c[1].real.mid()), 6), float((f.r * ctx.rpow(11)).upper()) < 1e-6)
0 0.5 True
>>> with series_precision(128, 21):
...     k = ctx.power(-2)                             # k = s^-2: exact, no remainder
...     g = ctx.sqrt(k - 1)                           # s^-1 sqrt(1 - s²)
...     print(g.v, round(float(g.c[2].real.mid()), 6))
-1 -0.5
"""
from __future__ import annotations

from typing import Any

from flint import acb, acb_series, arb, ctx as flint_ctx, fmpq

from symcrit.core.errors import PrecisionError
from symcrit.core.taylor import ModelArithmetic, as_acb as _acb

__all__ = ["VTaylorModel", "VTaylorContext", "NotAnalytic"]


class NotAnalytic(ValueError):
    """A model with a principal part that cannot be dropped or bounded (a nonzero coefficient at
    a negative power of s, or a remainder below s^0)."""


def _up(x: arb) -> arb:
    return arb(x.upper())


class VTaylorModel(ModelArithmetic):
    """s^v (p(s) + s^(N+1) B(r)) on |s| <= ρ: ``v`` int, ``c`` the N + 1 acb coefficients of p,
    ``r`` an arb bound of the remainder E (see the module docstring)."""

    __slots__ = ("v", "c", "r", "ctx")

    def __init__(self, v: int, c: list, r: arb, ctx: "VTaylorContext") -> None:
        self.v, self.c, self.r, self.ctx = int(v), c, r, ctx

    # -- queries -----------------------------------------------------------------------------
    def is_zero(self) -> bool:
        """Exactly zero (every coefficient the exact 0, no remainder)."""
        return self.r == 0 and all(x.is_zero() for x in self.c)

    def sup(self) -> arb:
        """An upper bound of |F| over the disc; F must be analytic: every coefficient at a negative
        power of s exactly 0 and v + N + 1 >= 0 (else :class:`NotAnalytic`)."""
        ctx = self.ctx
        if self.v + ctx.N + 1 < 0:
            raise NotAnalytic(f"the remainder starts at s^{self.v + ctx.N + 1}: not bounded at s = 0")
        tot = arb(0)
        for n, x in enumerate(self.c):
            e = n + self.v
            if e < 0:
                if not x.is_zero():
                    raise NotAnalytic(f"a coefficient of s^{e} is not zero: F is not bounded at s = 0")
                continue
            if not x.is_zero():
                tot += x.abs_upper() * ctx.rpow(e)
        return _up(tot + self.r * ctx.rpow(self.v + ctx.N + 1))

    def at(self, s: acb) -> acb:
        """The enclosure of F(s) at a point (or ball) s with 0 < |s| <= ρ (|s| <= ρ is checked)."""
        s = _acb(s)
        if not abs(s) <= self.ctx.rho:
            raise ValueError("the point is not in the disc of the model")
        out = acb(0)
        for x in reversed(self.c):
            out = out * s + x
        rem = acb(arb(0, self.r), arb(0, self.r))
        sp = acb(1)
        for _ in range(self.ctx.N + 1):
            sp = sp * s
        out = out + sp * rem
        if self.v >= 0:
            for _ in range(self.v):
                out = out * s
        else:
            for _ in range(-self.v):
                out = out / s
        return out

    def coefficients(self, lo: int, hi: int) -> list:
        """The balls of the coefficients of s^lo … s^hi (0 where the polynomial has none; the
        remainder is not included)."""
        return [self.c[e - self.v] if 0 <= e - self.v <= self.ctx.N else acb(0) for e in range(lo, hi + 1)]

    def drop_principal(self) -> "VTaylorModel":
        """The model with its coefficients at negative powers of s replaced by exact zeros, for a
        function known to be analytic at s = 0 (its Laurent coefficients there vanish; the caller
        must know this).  Refuses (:class:`NotAnalytic`) if one of those balls does not contain 0
        (then the function is not analytic: the knowledge was wrong) or if the remainder starts
        below s^0."""
        v, N = self.v, self.ctx.N
        if v >= 0:
            return self
        if v + N + 1 < 0:
            raise NotAnalytic(f"the remainder starts at s^{v + N + 1}: raise the degree")
        c = list(self.c)
        for n in range(-v):
            if not c[n].contains(0):
                raise NotAnalytic(f"the coefficient of s^{n + v} is {c[n]}, not 0: the function has a pole")
            c[n] = acb(0)
        return VTaylorModel(v, c, self.r, self.ctx)

    def __repr__(self) -> str:
        return f"VTaylorModel(v={self.v}, c0={self.c[0]}, r={float(self.r.upper()):.3g})"

    # -- arithmetic ----------------------------------------------------------------------------
    def __add__(self, o):
        o = self._lift(o)
        if o is None:
            return NotImplemented
        ctx = self.ctx
        w = min(self.v, o.v)
        a, b = ctx.shift_to(self, w), ctx.shift_to(o, w)
        return VTaylorModel(w, [x + y for x, y in zip(a.c, b.c)], _up(a.r + b.r), ctx)

    __radd__ = __add__

    def __neg__(self):
        return VTaylorModel(self.v, [-x for x in self.c], self.r, self.ctx)

    def __mul__(self, o):
        if not isinstance(o, VTaylorModel):
            try:
                k = _acb(o)
            except TypeError:
                return NotImplemented
            return VTaylorModel(self.v, [x * k for x in self.c], _up(self.r * k.abs_upper()), self.ctx)
        ctx = self.ctx
        N = ctx.N
        full = ctx.product(self.c, o.c)
        r = (self.r * ctx.poly_sup(o.c) + o.r * ctx.poly_sup(self.c) + self.r * o.r * ctx.rpow(N + 1)
             + ctx.tail_sup(full))
        return VTaylorModel(self.v + o.v, full[:N + 1], _up(r), ctx)

    __rmul__ = __mul__


class VTaylorContext:
    """Number context of valuation-form Taylor models of relative degree ``order`` on the disc
    |s| <= ``rho`` around 0 (see the module docstring).  python-flint's ``ctx.cap`` must be at
    least 2·order + 1 (scope it with :func:`symcrit.core.laurent.series_precision`).

    ``record``: keep (kind, value) of every sqrt / atan2 / |·| / sign call in ``values`` (kinds
    'sqrt', 'atan2', 'sigma', as :class:`symcrit.core.branches.BranchContext`); :meth:`reset`
    clears them."""

    name = "vtaylor"
    exact = False

    def __init__(self, order: int, rho, record: bool = False) -> None:
        self.N = int(order)
        self.rho = arb(rho)
        if not self.rho > 0:
            raise ValueError("the disc radius must be positive")
        self._pow = [arb(1)]
        for _ in range(2 * self.N + 4):
            self._pow.append(self._pow[-1] * self.rho)
        self.record = record
        self.values: list = []

    def reset(self) -> "VTaylorContext":
        self.values = []
        return self

    # -- construction ------------------------------------------------------------------------
    def rpow(self, e: int) -> arb:
        """ρ^e (e >= 0)."""
        if e < len(self._pow):
            return self._pow[e]
        return self.rho ** e

    def constant(self, x) -> VTaylorModel:
        return VTaylorModel(0, [_acb(x)] + [acb(0)] * self.N, arb(0), self)

    def model(self, coeffs: list, v: int = 0, r=0) -> VTaylorModel:
        """s^v (Σ coeffs_n s^n + s^(N+1) B(r)) (missing coefficients 0; beyond s^N into the
        remainder)."""
        c = [_acb(x) for x in coeffs]
        extra = self.tail_sup(c) if len(c) > self.N + 1 else arb(0)
        c = (c + [acb(0)] * (self.N + 1))[:self.N + 1]
        return VTaylorModel(v, c, _up(arb(r) + extra), self)

    def variable(self) -> VTaylorModel:
        """s."""
        return self.power(1)

    def power(self, p: int) -> VTaylorModel:
        """s^p exactly (p any integer: k = s^-2 is ``power(-2)``)."""
        return VTaylorModel(p, [acb(1)] + [acb(0)] * self.N, arb(0), self)

    # -- helpers -----------------------------------------------------------------------------
    def poly_sup(self, c: list, start: int = 0) -> arb:
        """Σ_(n >= start) |c_n| ρ^n (an upper bound of the polynomial's part on the disc)."""
        tot = arb(0)
        for n in range(start, len(c)):
            if not c[n].is_zero():
                tot += c[n].abs_upper() * self.rpow(n)
        return _up(tot)

    def tail_sup(self, c: list) -> arb:
        """Σ_(n > N) |c_n| ρ^(n - N - 1): the bound of (Σ_(n>N) c_n s^n) / s^(N+1) on the disc."""
        tot = arb(0)
        for n in range(self.N + 1, len(c)):
            if not c[n].is_zero():
                tot += c[n].abs_upper() * self.rpow(n - self.N - 1)
        return _up(tot)

    def product(self, a: list, b: list) -> list:
        """All 2N + 1 coefficients of the product of two coefficient lists (ball product)."""
        L = 2 * self.N + 1
        if flint_ctx.cap < L:
            raise PrecisionError(f"python-flint's series cap {flint_ctx.cap} is below 2N + 1 = {L}: "
                                 f"scope it with series_precision")
        c = (acb_series(a, prec=L) * acb_series(b, prec=L)).coeffs()
        return list(c) + [acb(0)] * (L - len(c))

    def _series(self, c: list, f: str) -> list:
        L = self.N + 1
        out = list(getattr(acb_series(c, prec=L), f)().coeffs())
        return out + [acb(0)] * (L - len(out))

    def shift_to(self, F: VTaylorModel, w: int) -> VTaylorModel:
        """F written with the valuation w <= F.v (the coefficients move up by d = F.v - w; those
        beyond s^N and the remainder, times s^d, go into the remainder)."""
        d = F.v - w
        if d == 0:
            return F
        if d < 0:
            raise ValueError("shift_to lowers the valuation only")
        N = self.N
        c = [acb(0)] * d + list(F.c)
        r = F.r * self.rpow(d) + self.tail_sup(c)
        return VTaylorModel(w, c[:N + 1], _up(r), self)

    def normalized(self, F: VTaylorModel) -> VTaylorModel:
        """F with its exactly-zero leading coefficients stripped (the valuation raised): E(0) goes
        into the last coefficient as a ball of radius r, (E(s) - E(0))/s is bounded by 2r/ρ."""
        if F.is_zero():
            return F
        c, r, v = list(F.c), F.r, F.v
        for _ in range(self.N + 1):
            if not c[0].is_zero():
                break
            last = acb(arb(0, r), arb(0, r)) if r != 0 else acb(0)
            c = c[1:] + [last]
            r = _up(2 * r / self.rho)
            v += 1
        return VTaylorModel(v, c, r, self)

    def _lower_abs(self, F: VTaylorModel) -> arb:
        """A lower bound of |p̃| on the disc (|c_0| - Σ_(n>=1) |c_n| ρ^n; may be <= 0: no bound)."""
        return arb((F.c[0].abs_lower() - self.poly_sup(F.c, 1)).lower())

    def lead_sign(self, F: VTaylorModel) -> int:
        """The real sign of the leading coefficient (after stripping exact zeros), decided on the
        ball (PrecisionError if its real part contains 0; 0 if F is exactly zero)."""
        n = self.normalized(F)
        if n.is_zero():
            return 0
        re = n.c[0].real
        if re > 0:
            return 1
        if re < 0:
            return -1
        raise PrecisionError(f"the sign of a leading coefficient {n.c[0]} is undecided")

    # -- the context operations --------------------------------------------------------------
    def convert(self, x: Any) -> VTaylorModel:
        if isinstance(x, VTaylorModel):
            return x
        return self.constant(acb(x) if isinstance(x, str) else x)

    def pi(self) -> acb:
        return acb(arb.pi())

    def rational(self, p: int, q: int) -> acb:
        return acb(arb(fmpq(int(p), int(q))))

    def I(self) -> acb:  # noqa: E743 - the context interface's name
        return acb(0, 1)

    def inv(self, F: Any) -> Any:
        if not isinstance(F, VTaylorModel):
            return 1 / _acb(F)
        n = self.normalized(F)
        m = self._lower_abs(n)
        R = n.r * self.rpow(self.N + 1)          # sup |s^(N+1) E|
        if not (m > R):
            raise ZeroDivisionError("1/F: the leading part of F may vanish on the disc")
        h = self._series(n.c, "inv")
        hi = self.tail_sup(self.product(n.c, h))
        rem = hi / m + n.r / (m * (m - R))
        return VTaylorModel(-n.v, h, _up(rem), self)

    def sqrt(self, F: Any) -> Any:
        out: Any
        if not isinstance(F, VTaylorModel):
            v = _acb(F)
            if not v.real > 0:
                raise ValueError("sqrt of a constant whose real part is not positive")
            out = v.sqrt()
        else:
            n = self.normalized(F)
            if n.is_zero():
                out = n
            else:
                if n.v % 2:
                    raise ValueError("sqrt of a model of odd valuation")
                if not (n.c[0].real - self.poly_sup(n.c, 1) - n.r * self.rpow(self.N + 1) > 0):
                    raise ValueError("sqrt: the real part of s^-v F is not positive on the disc")
                h = self._series(n.c, "sqrt")
                mh = arb((h[0].real - self.poly_sup(h, 1)).lower())
                if not mh > 0:
                    raise ValueError("sqrt: the real part of the root is not bounded away from 0 on the disc")
                hi = self.tail_sup(self.product(h, h))
                out = VTaylorModel(n.v // 2, h, _up((n.r + hi) / mh), self)
        if self.record:
            self.values.append(("sqrt", out))
        return out

    def atan(self, F: Any) -> Any:
        """The analytic arctangent of a model of valuation >= 0 (principal at s = 0)."""
        if not isinstance(F, VTaylorModel):
            return _acb(F).atan()
        if F.v < 0:
            F = self.normalized(F)
            if F.v < 0:
                raise ValueError("atan of a model with a pole")
        F = self.shift_to(F, 0)
        N = self.N
        c0 = F.c[0]
        delta = self.poly_sup(F.c, 1) + F.r * self.rpow(N + 1)
        lo = (abs(c0 - acb(0, 1)) - delta) * (abs(c0 + acb(0, 1)) - delta)
        if not (abs(c0 - acb(0, 1)) - delta > 0 and abs(c0 + acb(0, 1)) - delta > 0):
            raise ValueError("atan: the values may reach ±i on the disc")
        P = VTaylorModel(0, list(F.c), arb(0), self)
        dP = self.model([F.c[n] * n for n in range(1, N + 1)])
        Q = dP * self.inv(1 + P * P)
        if Q.v < 0:
            raise ValueError("atan: the derivative has a pole")
        Q = self.shift_to(Q, 0)
        integ = [c0.atan()] + [Q.c[n] / (n + 1) for n in range(N)]
        rem = Q.c[N].abs_upper() / (N + 1) + self.rho * Q.r / (N + 2) + F.r / arb(lo.lower())
        return VTaylorModel(0, integ, _up(rem), self)

    def atan2(self, y: Any, x: Any) -> VTaylorModel:
        """atan2 with the branch of :func:`symcrit.core.laurent._atan2`'s rules (the dominant
        argument, by valuation, and its sign)."""
        y, x = self.convert(y), self.convert(x)
        pi = self.pi()
        out = None
        ys, xs = self.normalized(y), self.normalized(x)
        if not ys.is_zero():
            try:
                sy0 = self.lead_sign(ys)
            except PrecisionError:
                sy0 = 0
            if sy0 > 0 and (xs.is_zero() or xs.v >= ys.v):
                out = self.constant(pi / 2) if xs.is_zero() else self.constant(pi / 2) - self.atan(xs / ys)
        if out is None:
            if ys.is_zero() and xs.is_zero():
                raise PrecisionError("atan2 of two exact zeros")
            if xs.is_zero() or (not ys.is_zero() and ys.v < xs.v):
                sy = self.lead_sign(ys)
                out = self.constant(pi / 2 * sy) if xs.is_zero() else self.constant(pi / 2 * sy) - self.atan(xs / ys)
            else:
                t = self.atan(ys / xs) if not ys.is_zero() else self.constant(0)
                if self.lead_sign(xs) > 0:
                    out = t
                else:
                    sy = self.lead_sign(ys) if not ys.is_zero() else 1
                    out = t + self.constant(pi * (1 if sy >= 0 else -1))
        if self.record:
            self.values.append(("atan2", out))
        return out

    def sign(self, t: Any) -> int:
        sg = self.lead_sign(self.convert(t))
        if sg == 0:
            raise PrecisionError("|·| or sign of an exact zero")
        if self.record:
            self.values.append(("sigma", sg))
        return sg

    def abs(self, t: Any) -> Any:
        return t if self.sign(t) > 0 else -t
