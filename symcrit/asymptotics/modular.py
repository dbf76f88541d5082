r"""Series of a family evaluated at many values of π in prime fields, in one vectorised run.

The coefficients of a family's series are rational functions of π over Q (see
:mod:`symcrit.asymptotics.exact`): every π of the engine is the kernel's 1/(2π) or an atan2
branch constant, and the expansions only add, multiply, divide, take square roots of series whose
leading coefficient is a square in Q(π), and arctangents of series without constant term.  Replace
π by an indeterminate P: the same computation is a straight-line program over Q(P).

This module runs that program at C "columns" at once, column c being the prime field Z/p_c and the
point P = P_c ∈ Z/p_c: a series is a numpy array (coefficient × column) of residues (primes below
2^26, so that a truncated product is summed in int64 and reduced once).  Decisions the program
takes at P = π -- the sign of a leading coefficient (atan2 branches, abs, sign) -- are read from a
*shadow*: the same operations on ``arb_series`` at P = π, carried along with every series.  Zero
tests are exact: a coefficient is zero iff its residue vanishes at every column (a nonzero rational
function vanishes at π never, and at a column only by bad luck: such a column -- a zero denominator,
or a zero at some columns only -- is marked bad and left out of every later use).

Newton's method on the truncated series (the engine's iteration: J D Δy = G, pivots of least
valuation) then runs over these columns until its correction is exactly zero at every good column.

Entry point: :func:`modular_series` → :class:`ModularRun` (the residues of every coefficient of
the parameters and of the loss, per column).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy
from flint import arb, arb_series, fmpq, fmpz

from symcrit.core.errors import NotConverged, PrecisionError, SymcritError
from symcrit.asymptotics.reconstruct import reconstruct_rational_function
from symcrit.core.laurent import NotExact, series_precision
from symcrit.core.linalg import back_substitute

__all__ = ["modular_series", "ModularRun", "primes_below", "NeedMoreColumns", "NeedLongerSeries", "NeedExtension", "columns", "split_pairs", "ModularContext", "MSeries"]

_BITS = 26
_M: dict = {}


class NeedExtension(NotExact):
    """A square root of a rational constant c = q²·d (d > 1 squarefree) met: the coefficients lie in
    Q(√d)(π); rerun with columns for √d (``d``)."""

    def __init__(self, d, msg):
        super().__init__(msg)
        self.d = d


class NeedLongerSeries(SymcritError):
    """The truncated series came out shorter than the order asked for: a larger ``margin`` needed."""


class NeedMoreColumns(SymcritError):
    """A reconstruction inside the run (a leading coefficient under a square root) needs more
    points or primes."""


def primes_below(bound: int, count: int) -> list:
    """The ``count`` largest primes below ``bound``."""
    out: list[int] = []
    q = bound - 1
    while len(out) < count:
        if fmpz(q).is_prime():
            out.append(q)
        q -= 1
    return out


def columns(primes, start: int, count: int, d: int | None = None):
    """Columns for the points P_j = (104729 j + 3) mod p, j = start … start + count - 1, at each of
    ``primes`` (distinct points for j < p).  With ``d``: every point twice, with √d ↦ +ρ and -ρ
    (ρ² ≡ d mod p; the primes must have d a square).  Returns (p, P, ρ) int64 arrays (ρ = 0
    without ``d``)."""
    ps, Ps, rs = [], [], []
    for q in primes:
        rho = 0 if d is None else int(fmpz(d).sqrtmod(q))
        for j in range(start, start + count):
            x = (104729 * j + 3) % q
            for sg in ((1, -1) if d is not None else (1,)):
                ps.append(q)
                Ps.append(x)
                rs.append(sg * rho % q)
    return np.array(ps, dtype=np.int64), np.array(Ps, dtype=np.int64), np.array(rs, dtype=np.int64)


def split_pairs(values, p, rho, good):
    """(A, B, good) on the '+' columns from values A + B·√d at the column pairs (+ρ, -ρ)."""
    vp, vm = values[0::2], values[1::2]
    q = p[0::2]
    inv2 = (q + 1) // 2
    A = (vp + vm) % q * inv2 % q
    r2 = 2 * rho[0::2] % q
    inv_r2 = np.array([pow(int(a), -1, int(b)) if a else 0 for a, b in zip(r2, q)], dtype=np.int64)
    B = (vp - vm) % q * inv_r2 % q
    return A, B, good[0::2] & good[1::2]


# ---------------------------------------------------------------------------------------------
# arithmetic on residue vectors
def _modinv(a):
    """Inverses of the residues a (vector); 0 where a ≡ 0 (the caller marks those columns bad)."""
    p = _M["p"]
    e = p - 2
    result = np.ones_like(a)
    b = a % p
    while True:
        mask = (e & 1).astype(bool)
        if mask.any():
            result = np.where(mask, result * b % p, result)
        e = e >> 1
        if not e.any():
            break
        b = b * b % p
    return result


def _modinv_table(k, p):
    """Inverses of the integers k (column vector) modulo every column's prime."""
    out = np.zeros((k.shape[0], len(p)), dtype=np.int64)
    for t, q in enumerate(np.unique(p)):
        inv = np.array([pow(int(j), -1, int(q)) for j in k[:, 0]], dtype=np.int64)
        out[:, p == q] = inv[:, None]
    return out


def _mark_bad(mask):
    if mask.any():
        _M["good"] &= ~mask


def _conv(a, b, r):
    """Truncated product of coefficient arrays a, b (r × C) modulo p."""
    p = _M["p"]
    out = np.zeros((r, a.shape[1]), dtype=np.int64)
    tmp = np.empty_like(out)
    for i in range(r):
        t = tmp[:r - i]
        np.multiply(a[i], b[:r - i], out=t)
        o = out[i:]
        np.add(o, t, out=o)
    np.remainder(out, p, out=out)
    return out


def _const_res(x):
    """Residue vector of an exact constant (int, fmpq, Fraction-like)."""
    p = _M["p"]
    if isinstance(x, (int, np.integer)):
        return np.full(p.shape, int(x), dtype=np.int64) % p
    if isinstance(x, fmpq):
        num = np.array([int(x.p) % int(q) for q in p], dtype=np.int64) if abs(int(x.p)) >= 1 << 62 \
            else np.full(p.shape, int(x.p), dtype=np.int64) % p
        den = np.array([int(x.q) % int(q) for q in p], dtype=np.int64)
        inv = _modinv(den)
        _mark_bad(den == 0)
        return num * inv % p
    raise TypeError(f"no residue for {type(x).__name__}")


def _ball_const(x):
    return arb(x) if not isinstance(x, fmpq) else arb(x)


def _bser(coeffs, r):
    return arb_series(coeffs, prec=r)


def _bcoeffs(B, r):
    c = list(B.coeffs())
    return c + [arb(0)] * (r - len(c)) if len(c) < r else c[:r]


# ---------------------------------------------------------------------------------------------
class MSeries:
    """s^v · (Σ_n V[n] s^n + O(s^r)) with residue rows V[n] (one per column) and the ball shadow B
    (the same series at P = π)."""

    __slots__ = ("v", "r", "V", "B", "mono")

    def __init__(self, v, V, B, r, mono=False):
        self.v, self.r = int(v), int(r)
        self.V = V
        self.B = B
        self.mono = mono  # known to be c·s^v exactly (every other coefficient zero)

    @property
    def prec(self):
        return self.v + self.r

    @classmethod
    def zero(cls, prec):
        return cls(prec, np.zeros((0, len(_M["p"])), dtype=np.int64), _bser([], 0), 0)

    @classmethod
    def const(cls, x, ball=None):
        r = _M["length"]
        V = np.zeros((r, len(_M["p"])), dtype=np.int64)
        if isinstance(x, np.ndarray):
            V[0] = x
        else:
            V[0] = _const_res(x)
        b = ball if ball is not None else _ball_const(x)
        return cls(0, V, _bser([b], r), r, mono=True)

    @classmethod
    def var(cls):
        s = cls.const(1)
        s.v = 1
        return s

    @classmethod
    def poly(cls, V, B, r):
        return cls(0, V, B, r)

    # -- helpers ---------------------------------------------------------------------------------
    def coeff_res(self, n):
        if n >= self.prec:
            raise PrecisionError(f"coefficient of s^{n} not known (series known to O(s^{self.prec}))")
        if n < self.v:
            return np.zeros(len(_M["p"]), dtype=np.int64)
        return self.V[n - self.v]

    def coeff_ball(self, n):
        if n < self.v:
            return arb(0)
        return _bcoeffs(self.B, self.r)[n - self.v]

    def normalized(self):
        good = _M["good"]
        i = 0
        while i < self.r:
            row = self.V[i]
            nz = row != 0
            if (nz & good).any():
                _mark_bad(good & ~nz)  # a nonzero rational function vanishing at some columns
                break
            i += 1
        if i == 0:
            return self
        if i == self.r or self.mono:
            return MSeries.zero(self.prec)
        bc = _bcoeffs(self.B, self.r)
        return MSeries(self.v + i, self.V[i:], _bser(bc[i:], self.r - i), self.r - i)

    def is_zero(self):
        return self.normalized().r == 0

    def shift_to(self, v):
        d = self.v - v
        if d == 0:
            return self.V, self.B, self.r
        C = len(_M["p"])
        V = np.concatenate([np.zeros((d, C), dtype=np.int64), self.V], axis=0)
        B = _bser([arb(0)] * d + _bcoeffs(self.B, self.r), self.r + d)
        return V, B, self.r + d

    @staticmethod
    def _lift(x):
        if isinstance(x, MSeries):
            return x
        return MSeries.const(x)

    # -- arithmetic ------------------------------------------------------------------------------
    def __add__(self, other):
        other = self._lift(other)
        v = min(self.v, other.v)
        p = min(self.prec, other.prec)
        if p <= v:
            return MSeries.zero(p)
        r = p - v
        A, BA, _ = self.shift_to(v)
        Bv, BB, _ = other.shift_to(v)
        V = A[:r] + Bv[:r]
        p_ = _M["p"]
        np.subtract(V, p_, out=V, where=V >= p_)
        return MSeries(v, V, _bser(_bcoeffs(BA + BB, r), r), r)

    __radd__ = __add__

    def __neg__(self):
        V = (_M["p"] - self.V) % _M["p"]
        return MSeries(self.v, V, -self.B, self.r, self.mono)

    def __sub__(self, other):
        return self + (-self._lift(other))

    def __rsub__(self, other):
        return self._lift(other) + (-self)

    def _scale(self, x):
        V = self.V * _const_res(x) % _M["p"]
        return MSeries(self.v, V, self.B * _ball_const(x), self.r, self.mono)

    def __mul__(self, other):
        if isinstance(other, (int, fmpq)) and not isinstance(other, bool):
            return self._scale(other)
        a, b = self.normalized(), self._lift(other).normalized()
        if a.r == 0 or b.r == 0:
            return MSeries.zero(min(a.prec + b.v, b.prec + a.v))
        r = min(a.r, b.r)
        if a.mono or b.mono:
            # a monomial factor c·s^v: a scaling, not a convolution
            c, o = (a, b) if a.mono else (b, a)
            V = o.V[:r] * c.V[0] % _M["p"]
            B = _bser(_bcoeffs(o.B * c.coeff_ball(c.v), r), r)
            return MSeries(a.v + b.v, V, B, r, a.mono and b.mono)
        V = _conv(a.V, b.V, r)
        B = _bser(_bcoeffs(a.B * b.B, r), r)
        return MSeries(a.v + b.v, V, B, r)

    __rmul__ = __mul__

    def inv(self):
        n = self.normalized()
        if n.r == 0:
            raise PrecisionError("inverse of a series that is zero to its precision")
        p = _M["p"]
        r = n.r
        a = n.V
        i0 = _modinv(a[0])
        _mark_bad(a[0] == 0)
        b = np.zeros_like(a)
        b[0] = i0
        if n.mono:
            return MSeries(-n.v, b, _bser(_bcoeffs(1 / n.B, r), r), r, True)
        for k in range(1, r):
            acc = (a[1:k + 1] * b[k - 1::-1]).sum(axis=0) % p
            b[k] = (p - acc) * i0 % p
        return MSeries(-n.v, b, _bser(_bcoeffs(1 / n.B, r), r), r)

    def __truediv__(self, other):
        if isinstance(other, int) and other != 0:
            return self._scale(fmpq(1, other))
        return self * self._lift(other).inv()

    def __rtruediv__(self, other):
        return self._lift(other) * self.inv()

    def __pow__(self, k):
        if not isinstance(k, int):
            raise TypeError("integer powers only")
        if k < 0:
            return self.inv() ** (-k)
        out = MSeries.const(1)
        base = self
        while k:
            if k & 1:
                out = out * base
            base = base * base
            k >>= 1
        return out

    def sqrt(self):
        n = self.normalized()
        if n.r == 0:
            return MSeries.zero(n.prec // 2)
        if n.v % 2:
            raise PrecisionError("square root of a series of odd valuation")
        c0b = n.coeff_ball(n.v)
        if not c0b > 0:
            raise PrecisionError(f"square root of a series with leading coefficient {c0b}")
        p = _M["p"]
        r = n.r
        a = n.V
        b0 = _sqrt_lead(a[0], c0b)
        i2 = _modinv(2 * b0 % p)
        _mark_bad(b0 == 0)
        b = np.zeros_like(a)
        b[0] = b0
        for k in range(1, r):
            acc = (b[1:k] * b[k - 1:0:-1]).sum(axis=0) % p if k > 1 else 0
            b[k] = (a[k] - acc) % p * i2 % p
        return MSeries(n.v // 2, b, _bser(_bcoeffs(n.B.sqrt(), r), r), r)

    def atan(self):
        n = self.normalized()
        if n.v < 0:
            raise PrecisionError("atan of a series with a pole: use atan2")
        if n.r == 0:
            return MSeries.zero(n.prec) if n.prec <= 0 else MSeries(n.prec, np.zeros((0, len(_M["p"])), dtype=np.int64), _bser([], 0), 0)
        V, B, r = n.shift_to(0)
        if n.v == 0:
            raise NotExact(f"atan of a series with nonzero constant term ({n.coeff_ball(0).str(10)} at P = π): "
                           "the coefficient field would contain an arctangent of a nonzero number")
        p = _M["p"]
        f = MSeries(0, V, B, r)
        g = MSeries.const(1) + f * f  # 1 + f², constant term 1
        g = MSeries(0, g.V[:r], _bser(_bcoeffs(g.B, r), r), r)
        ginv = g.inv()
        # f' (precision r - 1)
        ks = np.arange(1, r, dtype=np.int64)[:, None]
        dV = (V[1:r] * ks) % p
        df = MSeries(0, dV, _bser([], r - 1), r - 1)
        h = _conv(df.V, ginv.V[:r - 1], r - 1)
        out = np.zeros((r, len(p)), dtype=np.int64)
        invk = _M["invk"][:r - 1]
        out[1:] = h * invk % p
        return MSeries(0, out, _bser(_bcoeffs(B.atan(), r), r), r)

    def sign(self):
        n = self.normalized()
        if n.r == 0:
            return 0
        c0 = n.coeff_ball(n.v)
        if c0.contains(0):
            raise PrecisionError(f"sign of a leading coefficient {c0.str(5)} at P = π undecided: try higher precision")
        return 1 if c0 > 0 else -1

    def __abs__(self):
        return self if self.sign() >= 0 else -self




def _sqrt_lead(c0, ball):
    """Residues of √c0 with c0 the residues of a square in Q(P) whose root is positive at P = π
    (``ball``: c0 at π).  c0 is reconstructed as a rational function of P from the columns
    (all primes), its root taken exactly in Q(P), its sign fixed at π."""
    key = c0.tobytes()
    cache = _M["sqrt_cache"]
    if key in cache:
        return cache[key]
    d = _M["d"]
    if d is not None:
        A, B, gd = split_pairs(c0, _M["p"], _M["rho"], _M["good"])
        if (B[gd] != 0).any():
            raise NotExact(f"square root of a leading coefficient in Q(√{d})(π) but not in Q(π): not supported")
        rf = reconstruct_rational_function(A, _M["p"][0::2], _M["P"][0::2], gd)
    else:
        rf = reconstruct_rational_function(c0, _M["p"], _M["P"], _M["good"])
    if rf is None:
        raise NeedMoreColumns("the leading coefficient under a square root could not be reconstructed "
                              "from the columns: more points or primes needed")
    P = sympy.Symbol("P")
    num, den = rf  # sympy Polys in P over QQ
    root = _rational_sqrt(num, den)
    if root is None:
        raise NotExact(f"the square root of the leading coefficient {sympy.factor(num.as_expr() / den.as_expr())} "
                       "(with P = π) is not in Q(π) nor in Q(√d)(π)")
    rnum, rden, dd = root
    if dd != 1 and d is None:
        raise NeedExtension(dd, f"the square root of the leading coefficient {sympy.factor(num.as_expr() / den.as_expr())} "
                                f"needs √{dd}")
    if dd != 1 and dd != d:
        raise NotExact(f"square roots of both {d} and {dd}: not supported")
    val = sympy.N((rnum.as_expr() / rden.as_expr()).subs(P, sympy.pi) * sympy.sqrt(dd), 30)
    sgn = 1 if val > 0 else -1
    # the root must match its ball √c0(π) (up to the sign chosen here)
    bs = arb(ball).sqrt()
    if abs(abs(float(val)) - float(bs.mid())) > 1e-8 * (1 + abs(float(val))):
        raise NotExact(f"the square root of the leading coefficient does not match its ball at π ({val})")
    rnum = rnum * sgn
    if dd != 1:
        res = _eval_rat_poly(rnum, rden) * _M["rho"] % _M["p"]
        cache[key] = res
        return res
    res = _eval_rat_poly(rnum, rden)
    cache[key] = res
    return res


def _rational_sqrt(num, den):
    """(a, b, d) with (a/b)²·d = num/den in Q(P) (sympy Polys; d a squarefree positive integer),
    or None if num/den is not of that form."""
    out: list = []
    for poly in (num, den):
        c, facs = sympy.factor_list(poly)
        c = sympy.Rational(c)
        if any(e % 2 for _, e in facs):
            return None
        out.append((c, [(f, e // 2) for f, e in facs]))
    c = out[0][0] / out[1][0]
    if c <= 0:
        return None
    # c = u/v = (u v)/v²: the squarefree part of u v
    uv = int(c.p) * int(c.q)
    sq, d = 1, 1
    for prime, e in sympy.factorint(uv).items():
        sq *= prime ** (e // 2)
        d *= prime ** (e % 2)
    rc = sympy.Rational(sq, int(c.q))
    P = num.gens[0]
    a = sympy.Poly(rc, P)
    for f, e in out[0][1]:
        a = a * f ** e
    b = sympy.Poly(1, P)
    for f, e in out[1][1]:
        b = b * f ** e
    return a, b, d


def _eval_rat_poly(pn, pd):
    """Residues at the columns of pn(P)/pd(P) (sympy Polys with rational coefficients)."""
    p, Pv = _M["p"], _M["P"]

    def ev(poly):
        acc = np.zeros_like(p)
        for c in poly.all_coeffs():
            c = sympy.Rational(c)
            acc = (acc * Pv + _const_res(fmpq(int(c.p), int(c.q)))) % p
        return acc

    n, d = ev(pn), ev(pd)
    _mark_bad(d == 0)
    return n * _modinv(d) % p


def _atan2(y, x):
    y, x = MSeries._lift(y).normalized(), MSeries._lift(x).normalized()
    if y.r == 0 and x.r == 0:
        raise PrecisionError("atan2 of two series that are zero to their precision")
    pi = _pi_const()
    if x.r == 0 or (y.r > 0 and y.v < x.v):
        sy = y.sign()
        half = pi * fmpq(1, 2) * sy
        return half - (x / y).atan() if x.r else half
    if y.r:
        t = (y / x).atan()
    else:
        t = MSeries(y.prec - x.v, np.zeros((0, len(_M["p"])), dtype=np.int64), _bser([], 0), 0)
    if x.sign() > 0:
        return t
    sy = y.sign() if y.r else 1
    return t + pi * (1 if sy >= 0 else -1)


def _pi_const():
    return MSeries.const(_M["P"] % _M["p"], ball=arb.pi())


class ModularContext:
    """Number context on :class:`MSeries` (see :mod:`symcrit.core.contexts`)."""

    name = "modular-series"
    exact = True

    @staticmethod
    def sqrt(x):
        return MSeries._lift(x).sqrt()

    atan2 = staticmethod(_atan2)

    @staticmethod
    def abs(x):
        return abs(x) if isinstance(x, MSeries) else abs(x)

    @staticmethod
    def sign(x):
        return x.sign() if isinstance(x, MSeries) else (0 if x == 0 else (1 if x > 0 else -1))

    @staticmethod
    def pi():
        return _pi_const()

    @staticmethod
    def rational(p, q):
        return MSeries.const(fmpq(int(p), int(q)))

    @staticmethod
    def convert(x):
        return MSeries._lift(x)


# ---------------------------------------------------------------------------------------------
def _pivot(M, col):
    best = None
    for r in range(col, len(M)):
        e = M[r][col].normalized()
        if e.r == 0:
            continue
        key = (e.v, -abs(float(e.coeff_ball(e.v).mid())))
        if best is None or key < best[0]:
            best = (key, r)
    return None if best is None else best[1]


def _msolve(M, b):
    n = len(b)
    M = [row[:] for row in M]
    b = b[:]
    for col in range(n):
        r = _pivot(M, col)
        if r is None:
            raise PrecisionError("the Jacobian is singular as a Laurent series (modular run)")
        if r != col:
            M[col], M[r] = M[r], M[col]
            b[col], b[r] = b[r], b[col]
        piv = M[col][col]
        for rr in range(col + 1, n):
            if M[rr][col].is_zero():
                continue
            f = M[rr][col] / piv
            for c in range(col, n):
                M[rr][c] = M[rr][c] - f * M[col][c]
            b[rr] = b[rr] - f * b[col]
    return back_substitute(M, b)


@dataclass
class ModularRun:
    """Residues of the series coefficients at the columns (p[c], P[c]); ``good[c]`` false for
    columns met by bad luck (a zero denominator or a spurious zero there)."""
    p: np.ndarray
    P: np.ndarray
    good: np.ndarray
    residues: dict  # name -> list over n of residue vectors (names of the parameters and "F")
    balls: dict     # name -> list over n of the shadow balls at P = π
    iterations: int
    info: dict = field(default_factory=dict)


def _poly_from(cols_V, ball_coeffs, r):
    return MSeries(0, cols_V, _bser(ball_coeffs, r), r)


def modular_series(fam, order: int, leading: list, y_start: dict, cols, prec: int = 400,
                   margin: int = 12, max_iter: int = 30, d_ext: int | None = None,
                   on_step=None, verify: bool = True) -> ModularRun:
    """Newton's method on truncated Laurent series over the columns ``cols`` = (p, P, prime index).

    ``leading``: the leading powers m_i (None: fixed parameter); ``y_start``: rational starting
    values (fmpq) of the rescaled parameters' constant terms.  The iteration stops when the
    correction is exactly zero at every good column through the order asked for (one step makes
    the constant terms exact when the leading system is linear in them; each further step doubles
    the number of exact coefficients); otherwise :class:`~symcrit.core.laurent.NotExact`.
    ``cols`` = (p, P, ρ) from :func:`columns`; ``d_ext``: the d of √d ↦ ρ when the columns come in
    pairs (±ρ), else None (a square root of a non-square rational then raises
    :class:`NeedExtension`).  ``on_step(iteration, length)``: called after each Newton step (progress).
    ``verify=False``: stop one step early, when a step at the full length has a correction of
    valuation e at least twice the previous one's, e_prev, and 3e - 2e_prev beyond the order
    (Newton's quadratic convergence, e_next = 2e + c with c = e - 2e_prev: the next correction would
    vanish through the order) instead of computing that zero correction -- optimistic, for callers that prove their results afterwards (and fall back
    to ``verify=True`` when the results do not reconstruct); ``info["verified"]`` says which."""
    sp = fam.space
    n = sp.dim
    m = leading
    free = [i for i in range(n) if m[i] is not None]
    Gc, Jc, Lc = sp.compiled["grad"], sp.compiled["jac"], sp.compiled["loss"]
    p, Pv, rho = cols
    d = None if not rho.any() else d_ext
    length = order + margin
    old = dict(_M)
    try:
        with series_precision(prec, length + 8):
            _M.clear()
            _M.update(p=p, P=Pv % p, d=d, rho=rho, good=np.ones(len(p), dtype=bool), length=length,
                      sqrt_cache={})
            ctx = ModularContext()
            C = len(p)
            kk = np.arange(1, length + 9, dtype=np.int64)[:, None]
            _M["invk"] = _modinv_table(kk, p)
            ystart = {i: (_const_res(y_start[i]), arb(y_start[i])) for i in free}
            # Newton with doubling lengths: the number of exact coefficients doubles each step
            # (after the first, which makes the constant terms exact), so the series are only as
            # long as needed; the last steps run at the full length and stop when the correction
            # is exactly zero through the order asked for
            L = min(length, margin + 2) if free else length
            y = {}
            for i in free:
                V = np.zeros((L, C), dtype=np.int64)
                V[0] = ystart[i][0]
                y[i] = _poly_from(V, [ystart[i][1]], L)

            def setup(L):
                _M["length"] = L
                s = MSeries.var()
                k = s ** -2
                lim = [MSeries.const(int(v)) if v == int(v) else MSeries.const(fmpq(*float(v).as_integer_ratio()))
                       for v in fam.limit]
                return s, k, lim

            its = 0
            e_est = 0
            e_prev = None
            trace = []
            verified = True
            done = not free
            s, k, lim = setup(L)
            for its in range(1, max_iter + 1 if free else 1):
                x = [lim[i] + (s ** m[i]) * y[i] if m[i] is not None else lim[i] for i in range(n)]
                grad = Gc(ctx, *x, k)
                # the Jacobian is only needed to the relative precision of the correction: the
                # residual G has valuation about e (the coefficients already exact), so J is
                # evaluated on y truncated to L - e + margin (a shorter J only shortens the
                # correction; the stopping test -- a correction exactly zero -- does not depend on it)
                LJ = min(L, max(margin + 2, L - e_est + margin // 2))
                if LJ < L:
                    sJ, kJ, limJ = setup(LJ)
                    yJ = {i: MSeries(0, y[i].V[:LJ], _bser(_bcoeffs(y[i].B, LJ), LJ), LJ) for i in free}
                    xJ = [limJ[i] + (sJ ** m[i]) * yJ[i] if m[i] is not None else limJ[i] for i in range(n)]
                    J = Jc(ctx, *xJ, kJ)
                    _M["length"] = L
                else:
                    J = Jc(ctx, *x, k)
                Mx = [[J[i * n + j] * (s ** m[j]) for j in free] for i in free]
                d = _msolve(Mx, [grad[i] for i in free])
                allzero = True
                e_new = []
                Lnext = min(length, margin + 2 * (L - margin)) if L > margin else min(length, L + 2)
                for t, i in enumerate(free):
                    new = y[i] - d[t]
                    new_n = new.normalized()
                    if new_n.r and new_n.v < 0:
                        raise NotConverged(f"series of {fam.id}: Newton's correction has a pole (modular run)")
                    Vn, Bn, rn = new.shift_to(0) if new.v >= 0 else new_n.shift_to(0)
                    V = np.zeros((Lnext, C), dtype=np.int64)
                    q = min(rn, Lnext)
                    V[:q] = Vn[:q]
                    bc = [arb(c.mid()) for c in _bcoeffs(Bn, q)] + [arb(0)] * (Lnext - q)
                    y[i] = _poly_from(V, bc, Lnext)
                    dn = d[t].normalized()
                    trace.append((its, L, LJ, t, dn.v, dn.r, dn.prec))
                    e_new.append(dn.v if dn.r else dn.prec)
                    if not (dn.r == 0 and dn.v > order):
                        allzero = False
                if on_step is not None:
                    on_step(its, L)
                if allzero and L == length:
                    done = True
                    break
                e_min = min(e_new)
                # quadratic convergence, e_next = 2 e + c with c = e - 2 e_prev >= 0 (sk1: 0, 2, 6, 14, 30)
                if (not verify and L == length and e_prev is not None and e_prev > 0 and e_min >= 2 * e_prev
                        and 3 * e_min - 2 * e_prev > order and all(t_[6] > order for t_ in trace[-len(free):])):
                    done, verified = True, False
                    break
                # the next residual's valuation: quadratic convergence predicts 3e - 2e_prev (sk1's
                # corrections: 0, 0, 2, 6, 14, 30), which shortens the Jacobian of the long last steps
                e_est = max(0, e_min if e_prev is None or e_min < 2 * e_prev else 3 * e_min - 2 * e_prev)
                e_prev = e_min
                if Lnext != L:
                    L = Lnext
                    s, k, lim = setup(L)
            if not done:
                raise NotExact(f"series of {fam.id}: Newton over Q(P) did not terminate in {max_iter} steps "
                               "(the leading system is not linear in the first coefficients: its solution may be "
                               "algebraic over Q(π))")
            xs = lambda: [lim[i] + (s ** m[i]) * y[i] if m[i] is not None else lim[i] for i in range(n)]
            x = xs()
            res, balls = {}, {}
            for i in range(n):
                if x[i].prec <= order:
                    raise NeedLongerSeries("truncated series too short: larger margin needed")
                nm = str(sp.params[i])
                res[nm] = [x[i].coeff_res(j).copy() for j in range(order + 1)]
                balls[nm] = [x[i].coeff_ball(j) for j in range(order + 1)]
            F = Lc(ctx, *x, k)[0]
            if F.prec <= order:
                raise NeedLongerSeries("truncated loss series too short: larger margin needed")
            res["F"] = [F.coeff_res(j).copy() for j in range(order + 1)]
            balls["F"] = [F.coeff_ball(j) for j in range(order + 1)]
            good = _M["good"].copy()
    finally:
        _M.clear()
        _M.update(old)
    return ModularRun(p, Pv % p, good, res, balls, its, {"trace": trace, "verified": verified})
