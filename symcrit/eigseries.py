r"""Hessian eigenvalues as series in s = k^(-1/2), through the series engine.

For each isotypic component (see :mod:`symcrit.spectrum`) the pencil (A(s), G(s)), A = UᵀHU and
G = UᵀU, is evaluated on the family's series solution: the directional second derivatives of the
finer reduced loss are taken by dual numbers whose parts are Laurent series with ball
coefficients (:class:`~symcrit.dual.DualOver`).  The characteristic polynomial
p(λ) = det(A(s) - λ G(s)) is obtained by exact Vandermonde interpolation at λ = 0, 1, …, m, and each
root λ(s) by Newton's method on truncated Laurent series, started from a three-term fit of the
eigenvalues computed at k = 10^40, 10^50, 10^60.

Newton on series needs a root that is simple at leading order.  Eigenvalues of one component that
share their leading behaviour (e.g. two that both tend to 1/4 - 1/(2π) and separate only at order
s) need a Newton–Puiseux step that is not implemented: they are returned with ``expanded=False``
and no coefficients, never with guessed ones.

>>> from symcrit.families import family
>>> ev = eigenvalue_series(family("sk"), order=4, dps=30, components=["[p-2,2]_1"])
>>> e = ev["[p-2,2]_1"][0]
>>> e["expanded"], e["leading_power"], e["coefficients"][0][:10]
(True, 0, '0.40915494')
"""
from __future__ import annotations

import mpmath
import sympy
from flint import arb, fmpq

from .dual import Dual, DualOver
from .errors import PrecisionError
from .fixedpoint import K
from .lseries import LSeries, SeriesContext, _S, _mid, series_precision
from .series import _ball_str, _pivot_row, series
from .spectrum import _fine_space, _types, spectrum

__all__ = ["eigenvalue_series"]


def _ldet(M):
    M = [row[:] for row in M]
    n = len(M)
    det = LSeries.const(1)
    sign = 1
    for c in range(n):
        r = _pivot_row(M, c)
        if r is None:
            raise PrecisionError("the pencil is singular to the working precision")
        if r != c:
            M[c], M[r] = M[r], M[c]
            sign = -sign
        p = M[c][c]
        det = det * p
        for r in range(c + 1, n):
            if M[r][c].is_zero():
                continue
            f = M[r][c] / p
            for cc in range(c, n):
                M[r][cc] = M[r][cc] - f * M[c][cc]
    return det * sign


def _poly_in_k(expr, k):
    poly = sympy.Poly(sympy.expand(expr), K)
    acc = LSeries.const(0)
    for (deg,), c in poly.terms():
        acc = acc + (k ** int(deg)) * int(c)
    return acc


def _pencil(fam, S, name, length):
    """(A, G) of component ``name`` as matrices of Laurent series (inside series_precision)."""
    coarse = fam.space
    s = LSeries.var()
    k = s ** -2
    x = [LSeries(0, _S([arb(c.mid()) for c in S.coefficients[n]], length), None) for n in S.names]
    ctx = DualOver(SeriesContext())
    if name == "trivial":
        n = coarse.dim
        orb = [_poly_in_k(o, k) for o in coarse.orbit_sizes]
        cols = []
        for b in range(n):
            vals = [Dual(x[i], LSeries.const(1 if i == b else 0)) for i in range(n)]
            g = coarse.entry_gradient_in(ctx, vals, Dual(k, LSeries.const(0)))
            cols.append([Dual.lift(v).du for v in g])
        A = [[orb[a] * cols[b][a] for b in range(n)] for a in range(n)]
        G = [[orb[a] if a == b else LSeries.const(0) for b in range(n)] for a in range(n)]
        return A, G
    types = {t[0]: t for t in _types(coarse, [10 ** 6] * len(coarse.sizes))}
    _, dim, labels, vecs = types[name]
    key = tuple(sorted((I, tuple(l)) for I, l in labels.items()))
    fine = _fine_space(tuple(coarse.sizes), key)
    y0 = fine.point(x)
    W = [fine.coords(f) for f in vecs]
    sp = fine.space
    orb = [_poly_in_k(o, k) for o in sp.orbit_sizes]
    support = {a for w in W for a, c in enumerate(w) if c != 0}
    HW = []
    for w in W:
        vals = [Dual(y, LSeries.const(c)) for y, c in zip(y0, w)]
        g = sp.entry_gradient_in(ctx, vals, Dual(k, LSeries.const(0)), only=support)
        HW.append([Dual.lift(v).du for v in g])
    m = len(W)
    zero = LSeries.const(0)
    A = [[sum((orb[t] * W[a][t] * HW[b][t] for t in support), zero) for b in range(m)] for a in range(m)]
    G = [[sum((orb[t] * (W[a][t] * W[b][t]) for t in support), zero) for b in range(m)] for a in range(m)]
    # drop dependent vectors (diag(v) for p = 2): keep those with a nonzero pivot in G
    keep = []
    for a in range(m):
        try:
            _ldet([[G[i][j] for j in keep + [a]] for i in keep + [a]])
            keep.append(a)
        except PrecisionError:
            pass
    return [[A[i][j] for j in keep] for i in keep], [[G[i][j] for j in keep] for i in keep]


def eigenvalue_series(fam, order=8, dps=40, components=None):
    """Series in s of the distinct Hessian eigenvalues of the family, per isotypic component.

    Returns {component: [{"leading_power", "coefficients" (strings, powers leading_power …
    leading_power + order), "expanded", "note"}]}, sorted by the eigenvalue at large k."""
    length = order + 30
    # the pencil's determinants cancel many digits: compute the point's series with twice the digits
    S = series(fam, order=length - 4, dps=2 * dps)
    # eigenvalues at huge k: the starting values and the clusters
    ss = [mpmath.mpf(10) ** -e for e in (20, 25, 30)]
    with mpmath.workdps(3 * dps + 60):
        big = [spectrum(fam.solve(int(mpmath.nint(x ** -2)), dps=2 * dps + 60, verify=False)) for x in ss]
    names = [c.name for c in big[-1].components if components is None or c.name in components]
    out = {}
    with series_precision(S.prec, length + 8):
        s = LSeries.var()
        for name in names:
            nums = [next(c for c in sp.components if c.name == name).eigenvalues for sp in big]
            A, G = _pencil(fam, S, name, length)
            m = len(A)
            vals = [_ldet([[A[a][b] - G[a][b] * lam for b in range(m)] for a in range(m)]) for lam in range(m + 1)]
            V = sympy.Matrix([[sympy.Integer(l) ** j for j in range(m + 1)] for l in range(m + 1)]).inv()
            coef = []
            for j in range(m + 1):
                acc = LSeries.const(0)
                for i in range(m + 1):
                    q = V[j, i]
                    if q != 0:
                        acc = acc + vals[i] * arb(fmpq(int(q.p), int(q.q)))
                coef.append(acc)
            dcoef = [coef[j] * j for j in range(1, m + 1)]
            rows = []
            with mpmath.workdps(3 * dps + 60):
                fits = []
                for idx in range(m):
                    v = -2 if abs(nums[-1][idx]) > 1e10 else 0
                    M = mpmath.matrix([[x ** v, x ** (v + 1), x ** (v + 2)] for x in ss])
                    fits.append((v, list(mpmath.lu_solve(M, mpmath.matrix([nums[i][idx] for i in range(3)])))))
            for idx, (v, c) in enumerate(fits):
                # a root is simple at leading order if no other root of the component shares its
                # leading coefficient
                clustered = any(j != idx and fits[j][0] == v and abs(fits[j][1][0] - c[0]) < 1e-8 * (1 + abs(c[0]))
                                for j in range(m))
                rec = {"leading_power": v, "limit_at_k_1e60": mpmath.nstr(nums[-1][idx], 15)}
                if clustered:
                    rec.update({"expanded": False, "coefficients": None,
                                "note": "shares its leading coefficient with another eigenvalue of this component "
                                        "(a Newton–Puiseux step is needed)"})
                    rows.append(rec)
                    continue
                lam = sum((LSeries.const(arb(mpmath.nstr(c[j], 3 * dps))) * s ** (v + j) for j in range(3)),
                          LSeries.const(0))
                ok, why = False, "Newton on series did not converge"
                try:
                    for _ in range(16):
                        num, den = _horner(coef, lam), _horner(dcoef, lam)
                        d = num / den
                        lam = lam - d
                        if d.normalized().r == 0:
                            ok = True
                            break
                except PrecisionError as exc:
                    why = f"not enough precision ({exc})"
                if not ok or lam.prec <= v + order:
                    rec.update({"expanded": False, "coefficients": None, "note": why})
                else:
                    # Newton's iterate is not recentred: values far below the working precision
                    # (e.g. 1e-345 for a coefficient that vanishes) are zero to the stated digits
                    tiny = mpmath.mpf(10) ** (-(dps + 10))
                    rec.update({"expanded": True, "note": "",
                                "coefficients": ["0" if abs(_mid(lam.coeff(v + j))) < tiny
                                                 else _ball_str(lam.coeff(v + j), dps) for j in range(order + 1)]})
                rows.append(rec)
            out[name] = rows
    return out


def _horner(cs, lam):
    acc = LSeries.const(0)
    for c in reversed(cs):
        acc = acc * lam + c
    return acc
