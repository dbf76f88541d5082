r"""Exact coefficients of the series: rational functions of π.

Why rational functions of π.  In the series engine every π is either the kernel's 1/(2π) or a
branch constant of atan2 (0, π/2, π at s = 0); the expansions of atan and of square roots
(after the leading power and a perfect-square leading coefficient are taken out) have rational
coefficients; Newton's method then only adds, multiplies and divides.  So if π is replaced by an
indeterminate P, each coefficient is a rational function of P with rational coefficients, and
the true coefficient is its value at P = π.  The field is Q(π) -- not Q[1/π]: denominators such as
(π + 2) or (π² - 8) occur, which is why a polynomial in 1/π cannot match them.

How they are computed.

1. For sample values P_j ∈ Q, the series is computed **exactly** over Q (python-flint
   ``fmpq_series``): Newton's method on truncated Laurent series, started from the ball solution
   at P_j rounded to small denominators, runs until its correction is exactly zero; that proves
   the coefficients at P_j (the leading system is linear in the first coefficients, so one step
   makes them exact).  A square root of a non-square or an arctangent of a nonzero constant
   raises :class:`~symcrit.core.laurent.NotExact`: then the field is larger and no form is claimed.
2. Each coefficient is reconstructed as p(P)/q(P) by exact rational interpolation: the smallest
   total degree D whose interpolant through D + 1 samples also passes through every other sample
   (at least two more), found with exact nullspaces (``fmpz_mat``).
3. The closed form at P = π is checked against the ball coefficient of the numerical series, to
   the ball's full precision.  A coefficient that fails, or whose degree needs more samples than
   allowed, is left without an exact form (None): that is not a claim that none exists.

PSLQ is not used.
"""
from __future__ import annotations

import math
from fractions import Fraction

import sys

import sympy
from flint import arb, ctx as flint_ctx, fmpq, fmpz_mat

from symcrit.asymptotics.engine import compute_series, newton_series
from symcrit.core.laurent import NotExact, ball_mid

__all__ = ["attach_exact", "rational_reconstruct", "exact_samples"]

P = sympy.Symbol("P")


def _to_fmpq(x, maxden=1000):
    f = Fraction(float(x)).limit_denominator(maxden)
    return fmpq(f.numerator, f.denominator)


def exact_samples(S, points, order=None):
    """Exact series coefficients at each rational value of π in ``points``.

    Returns a list of dicts name -> [fmpq coefficients] (with "F" for the loss)."""
    fam = S.family
    order = S.order if order is None else order
    m = [S.leading_powers[n] for n in S.names]
    free = [i for i, mi in enumerate(m) if mi is not None]
    prec = S.prec
    lo = max((mi for mi in m if mi is not None), default=0)
    if S.order < lo:  # the starting values are the s^(m_i) coefficients: take them from a longer series
        S = compute_series(fam, order=lo, dps=S.dps)
    out = []
    for Pj in points:
        # the ball solution at this value of π gives the starting values
        y0 = {}
        if free:  # (a family with every parameter at its limit has nothing to solve)
            Sa = newton_series(fam, lo, 30, 400, m, free, None, None, lo + 12, pi=Pj,
                                y_start={i: S.coefficients[S.names[i]][m[i]] for i in free})
            y0 = {i: _to_fmpq(ball_mid(Sa.coefficients[S.names[i]][m[i]])) for i in free}
        Se = newton_series(fam, order, S.dps, prec, m, free, None, None, order + 12, pi=Pj,
                            y_start=y0, ring="fmpq")
        d = dict(Se.coefficients)
        d["F"] = Se.loss_coefficients
        out.append(d)
    return out


def _nullvector(rows):
    """A nonzero rational vector v with rows · v = 0 (None if only 0)."""
    int_rows = []
    for r in rows:
        den = 1
        for x in r:
            den = den * int(x.q) // math.gcd(den, int(x.q))
        int_rows.append([int(x.p) * (den // int(x.q)) for x in r])
    M = fmpz_mat(int_rows)
    N, nullity = M.nullspace()
    if nullity == 0:
        return None
    return [N[i, 0] for i in range(M.ncols())]


def rational_reconstruct(xs, vs, min_check=2):
    """The rational function p/q of least total degree through the points (xs[j], vs[j]) (exact
    rationals), confirmed by at least ``min_check`` further points; (p, q) coefficient lists
    (ascending) or None.

    >>> xs = [fmpq(j, 3) + 1 for j in range(8)]
    >>> p, q = rational_reconstruct(xs, [(2 * x * x + 8 * x + 8) / (x * x) for x in xs])
    >>> sympy.cancel(sum(c * P**i for i, c in enumerate(p)) / sum(c * P**i for i, c in enumerate(q)))
    (2*P**2 + 8*P + 8)/P**2
    """
    M = len(xs)
    for D in range(0, M - min_check):
        for dd in range(0, D + 1):
            dn = D - dd
            rows = []
            for x, v in zip(xs[:D + 1], vs[:D + 1]):
                rows.append([x**i for i in range(dn + 1)] + [-v * x**i for i in range(dd + 1)])
            vec = _nullvector(rows)
            if vec is None:
                continue
            p = [fmpq(int(c)) for c in vec[:dn + 1]]
            q = [fmpq(int(c)) for c in vec[dn + 1:]]
            ok = True
            for x, v in zip(xs, vs):
                qx = sum((c * x**i for i, c in enumerate(q)), fmpq(0))
                if qx == 0 or sum((c * x**i for i, c in enumerate(p)), fmpq(0)) != v * qx:
                    ok = False
                    break
            if ok:
                return p, q
    return None


def _sympy_form(p, q):
    num = sum(sympy.Rational(int(c.p), int(c.q)) * P**i for i, c in enumerate(p))
    den = sum(sympy.Rational(int(c.p), int(c.q)) * P**i for i, c in enumerate(q))
    r = sympy.cancel(num / den)
    # partial fractions in P read best (2 + 8/π + 8/π² rather than one fraction)
    try:
        r = sympy.apart(r, P)
    except (sympy.PolynomialError, NotImplementedError):
        pass
    return r.subs(P, sympy.pi)


def _check_at_pi(expr, ball):
    """True if the closed form evaluated at π in ball arithmetic agrees with the ball."""
    from symcrit.core.compile import compile_exprs
    from symcrit.core.contexts import get_context

    fn = compile_exprs([], [expr], "exact_check")
    val = fn(get_context("arb"))[0]
    val = val if isinstance(val, arb) else arb(val)
    return bool((val - ball).contains(0)) or abs(val - ball) <= ball.rad() * 2 + val.rad()


def attach_exact(S, max_points=40, start_points=10, order=None):
    """Derive closed forms for the coefficients of the series ``S`` (in place), for the powers
    up to ``order`` (default: all).  Sets ``S.exact``, ``S.loss_exact`` and ``S.exact_info``."""
    order = S.order if order is None else min(order, S.order)
    names = S.names + ["F"]
    points = [fmpq(3) + fmpq(j, 29) for j in range(max_points)]
    samples = []
    todo = {(nm, n) for nm in names for n in range(order + 1)}
    found = {}
    used = 0
    info = {"field": "Q(pi)", "points": 0, "failed": []}
    from tqdm import tqdm

    from symcrit.asymptotics.engine import progress_on, series_progress
    bar = tqdm(total=len(todo), desc="exact forms", unit="coeff", leave=False, file=sys.stderr,
               disable=not progress_on())
    try:
        with flint_ctx.workprec(S.prec):
            want = start_points
            while todo and used < max_points:
                new = points[used:want]
                with series_progress(False):  # one bar here, not one per sample
                    samples += exact_samples(S, new, order=order)
                used = want
                bar.set_postfix_str(f"{used} rational values of π")
                for nm, n in sorted(todo):
                    xs = points[:used]
                    vs = [smp[nm][n] for smp in samples]
                    if all(v == vs[0] for v in vs):
                        found[(nm, n)] = sympy.Rational(int(vs[0].p), int(vs[0].q))
                        continue
                    rr = rational_reconstruct(xs, vs)
                    if rr is not None:
                        found[(nm, n)] = _sympy_form(*rr)
                todo -= set(found)
                bar.n = len(found)
                bar.refresh()
                want = min(max_points, used * 2)
    except NotExact as exc:
        info["field"] = f"larger than Q(pi): {exc}"
        S.exact_info = info
        return S
    finally:
        bar.close()
    info["points"] = used
    for (nm, n), expr in found.items():
        ball = S.coefficient(nm, n)
        if not _check_at_pi(expr, ball):
            info["failed"].append((nm, n))
            continue
        if nm == "F":
            S.loss_exact[n] = expr
        else:
            S.exact[nm][n] = expr
    info["missing"] = sorted(todo)
    S.exact_info = info
    return S
