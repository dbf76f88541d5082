r"""Hessian eigenvalues as series in s = k^(-1/2), through the series engine.

For each isotypic component (see :mod:`symcrit.spectra.hessian`) the pencil (A(s), G(s)), A = UᵀHU and
G = UᵀU, is evaluated on the family's series solution: the directional second derivatives of the
finer reduced loss are taken by dual numbers whose parts are Laurent series with ball
coefficients (:class:`~symcrit.core.dual.DualOver`).  The characteristic polynomial
p(λ) = det(A(s) - λ G(s)) is obtained by exact Vandermonde interpolation at λ = 0, 1, …, m, and each
root λ(s) by Newton's method on truncated Laurent series, started from the leading term of the
eigenvalue computed at k = 10^60.  A root of leading power v (v = −2 for the eigenvalues
growing like k) is found as μ = λ s^(−v) of the scaled pencil det(s^(−v) A − μ G), where it is
O(1): in λ itself the terms of p(λ) are O(s^(v m)) and cancel far below the working precision.
Each series is checked against the eigenvalue computed directly at k = 10^40 before it is reported.

Newton on series needs a root that is simple at leading order.  A *pair* of eigenvalues of one
component that share their leading term (e.g. sk1's two V_2 eigenvalues → 1/4 − 1/(2π)) is expanded
through the pair's quadratic factor λ² + bλ + c of the characteristic polynomial, found by Newton's
method on (b, c) over series (Bairstow; the factor is coprime to the rest at leading order), and
λ = (−b ± √(b² − 4c))/2: the discriminant is (λ1 − λ2)², of even valuation 2j (the eigenvalues
of a real symmetric pencil analytic in s are analytic, by Rellich's theorem), and the record says
``separation_power`` j.  Clusters of three or more (none occurs in the catalogued families), and
roots whose Newton iteration fails or misses the direct check, are returned with ``expanded=False``
and no coefficients, never with guessed ones.

>>> from symcrit.critical.families import family
>>> ev = eigenvalue_series(family("sk"), order=4, dps=30, components=["[p-2,2]_1"])
>>> e = ev["[p-2,2]_1"][0]
>>> e["expanded"], e["leading_power"], e["coefficients"][0][:10]
(True, 0, '0.40915494')
"""
from __future__ import annotations

import mpmath
import sympy
from flint import arb, fmpq

from symcrit.core.dual import Dual, DualOver
from symcrit.core.errors import BadInput, PrecisionError
from symcrit.symmetry.fixedpoint import K
from symcrit.core.laurent import LSeries, SeriesContext, ball_mid, ball_str, make_series, series_precision
from symcrit.asymptotics.series import series
from symcrit.core.linalg import ldet
from symcrit.spectra.hessian import fine_space, component_types, spectrum

__all__ = ["eigenvalue_series"]


def _ldet(M):
    return ldet(M, singular="the pencil is singular to the working precision")


def _poly_in_k(expr, k):
    poly = sympy.Poly(sympy.expand(expr), K)
    acc = LSeries.const(0)
    for (deg,), c in poly.terms():
        acc = acc + (k ** int(deg)) * int(c)
    return acc


def _series_pencil(fam, S, name, length):
    """(A, G) of component ``name`` as matrices of Laurent series (inside series_precision)."""
    coarse = fam.space
    s = LSeries.var()
    k = s ** -2
    x = [LSeries(0, make_series([arb(c.mid()) for c in S.coefficients[n]], length), None) for n in S.names]
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
    if name.startswith("extra:"):
        return _extra_pencil(coarse, x, k, name)
    types = {t[0]: t for t in component_types(coarse, [10 ** 6] * len(coarse.sizes))}
    _, dim, labels, vecs = types[name]
    key = tuple(sorted((I, tuple(l)) for I, l in labels.items()))
    fine = fine_space(tuple(coarse.sizes), key, coarse.extra)
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


def _extra_pencil(coarse, x, k, name):
    """(A, G) of an extra-column component (d > k): the block (D, O, C) of
    :meth:`~symcrit.symmetry.fixedpoint.FixedPointSpace.extra_column_block` on the series point.  On
    block-constant vectors A = P M P with M_II = D_I + (p_I − 1) O_I, M_IJ = C_IJ and G = P = diag(p),
    so that G^(-1/2) A G^(-1/2) is the symmetric r×r matrix of :func:`symcrit.spectra.hessian.spectrum`; on
    V_I the eigenvalue is D_I − O_I."""
    D, O, C = coarse.extra_column_block(SeriesContext(), x, k)
    p = [_poly_in_k(sz, k) for sz in coarse.sizes]
    r = len(p)
    zero, one = LSeries.const(0), LSeries.const(1)
    if name == "extra:trivial":
        A = [[p[I] * (D[I] + (p[I] - 1) * O[I] if O[I] is not None else D[I]) if I == J else p[I] * p[J] * C[I][J]
              for J in range(r)] for I in range(r)]
        G = [[p[I] if I == J else zero for J in range(r)] for I in range(r)]
        return A, G
    I = int(name.split("_")[1]) - 1
    return [[D[I] - O[I]]], [[one]]


def eigenvalue_series(fam, order=8, dps=40, components=None, extra_columns=False):
    """Series in s of the distinct Hessian eigenvalues of the family, per isotypic component.

    Returns {component: [{"leading_power", "coefficients" (strings, powers leading_power …
    leading_power + order), "expanded", "note"}]}, sorted by the eigenvalue at large k.
    ``extra_columns``: also the components of the extra input columns for d > k ('extra:…';
    their eigenvalues do not depend on d)."""
    if extra_columns and fam.space.extra:
        raise BadInput("d > k with an extra student neuron (n = k + 1) is not implemented")
    length = order + 30
    # the pencil's determinants cancel many digits: compute the point's series with twice the digits
    S = series(fam, order=length - 4, dps=2 * dps)
    # eigenvalues at huge k: the starting values and the clusters
    with mpmath.workdps(3 * dps + 60):
        # s = 10^-20 (the check) and 10^-30 (the leading terms), exact at the working precision (at
        # mpmath's default 53 bits k = s^-2 came out as 10^40 (1 + 1e-16))
        ks = [10 ** 40, 10 ** 60]
        ss = [mpmath.mpf(10) ** -20, mpmath.mpf(10) ** -30]
        big = [spectrum(fam.solve(kk, dps=2 * dps + 60, verify=False), d=kk + 1 if extra_columns else None)
               for kk in ks]
    names = [c.name for c in big[-1].components if components is None or c.name in components]
    out = {}
    with series_precision(S.prec, length + 8, ring="numeric"):
        s = LSeries.var()
        for name in names:
            nums = [next(c for c in sp.components if c.name == name).eigenvalues for sp in big]
            A, G = _series_pencil(fam, S, name, length)
            m = len(A)
            charpolys = {}

            def charpoly(v):
                """Coefficients of det(s^(-v) A - μ G) in μ (μ = λ s^(-v)) and of its derivative: the
                roots of leading power v are O(1) there, the others cluster at 0 or are large."""
                if v not in charpolys:
                    B = [[a * s ** (-v) for a in row] for row in A] if v else A
                    vals = [_ldet([[B[a][b] - G[a][b] * lam for b in range(m)] for a in range(m)])
                            for lam in range(m + 1)]
                    coef = []
                    for j in range(m + 1):
                        acc = LSeries.const(0)
                        for i in range(m + 1):
                            q = V[j, i]
                            if q != 0:
                                acc = acc + vals[i] * arb(fmpq(int(q.p), int(q.q)))
                        coef.append(acc)
                    charpolys[v] = coef, [coef[j] * j for j in range(1, m + 1)]
                return charpolys[v]

            V = sympy.Matrix([[sympy.Integer(l) ** j for j in range(m + 1)] for l in range(m + 1)]).inv()
            rows = []
            with mpmath.workdps(3 * dps + 60):
                fits = []
                for idx in range(m):
                    v = -2 if abs(nums[-1][idx]) > 1e10 else 0
                    # Newton on series needs only the leading term (each step doubles the known terms):
                    # λ s^(-v) at k = 10^60 (error O(s) = 1e-30), to 25 digits
                    c0 = nums[-1][idx] * ss[-1] ** (-v)
                    fits.append((v, mpmath.mpf(mpmath.nstr(c0, 25))))
            for idx, (v, c) in enumerate(fits):
                # a root is simple at leading order if no other root of the component shares its
                # leading coefficient
                mates = [j for j in range(m) if j != idx and fits[j][0] == v and abs(fits[j][1] - c) < 1e-8 * (1 + abs(c))]
                rec = {"leading_power": v, "limit_at_k_1e60": mpmath.nstr(nums[-1][idx], 15)}
                if mates:
                    note = "shares its leading coefficient with two or more eigenvalues of this component"
                    if len(mates) == 1:
                        try:
                            pair = _pair_series(charpoly(v)[0], v, c, fits[mates[0]][1], nums[-1][idx],
                                                nums[-1][mates[0]], s, order)
                        except PrecisionError as exc:
                            pair, note = None, f"clustered pair: not enough precision ({exc})"
                        if pair is not None:
                            lam, sep = pair
                            rec["separation_power"] = sep
                            _record(rec, lam, v, order, dps, ss[0], nums[0][idx],
                                    f"clustered pair: separates at s^{sep} (quadratic factor of the characteristic "
                                    "polynomial by Newton, then the square root of its discriminant)")
                            rows.append(rec)
                            continue
                    rec.update({"expanded": False, "coefficients": None, "note": note})
                    rows.append(rec)
                    continue
                # Newton in μ = λ s^(-v) on the scaled pencil: with λ itself the terms of p(λ)
                # are O(s^(v m)) and cancel far below the working precision (the growing roots)
                mu = _fit_series([c], s, 0, 3 * dps)
                coef, dcoef = charpoly(v)
                ok, why = False, "Newton on series did not converge"
                try:
                    for _ in range(16):
                        num, den = _horner(coef, mu), _horner(dcoef, mu)
                        d = num / den
                        mu = mu - d
                        if d.normalized().r == 0:
                            ok = True
                            break
                except PrecisionError as exc:
                    why = f"not enough precision ({exc})"
                lam = mu * s ** v if v else mu
                if not ok or lam.prec <= v + order:
                    rec.update({"expanded": False, "coefficients": None, "note": why})
                else:
                    _record(rec, lam, v, order, dps, ss[0], nums[0][idx], "")
                rows.append(rec)
            out[name] = rows
    return out


def _record(rec, lam, v, order, dps, s0, value, note):
    """Fill ``rec`` with the coefficients of ``lam`` (powers v … v + order) after checking the
    truncated series against the eigenvalue computed directly at s = s0 (k = 10^40): an independent
    check that Newton converged to this eigenvalue's branch.  Newton's iterate is not recentred:
    values far below the working precision (e.g. 1e-345 for a coefficient that vanishes) are zero
    to the stated digits."""
    tiny = mpmath.mpf(10) ** (-(dps + 10))
    coeffs = [lam.coeff(v + j) for j in range(order + 1)]
    with mpmath.workdps(3 * dps + 60):
        approx = sum(ball_mid(c) * s0 ** (v + j) for j, c in enumerate(coeffs))
        # the direct eigenvalue has ~35 significant digits at k = 10^40; truncation is O(s0^(v+order+1))
        err = abs(approx - value)
        tol = mpmath.mpf(10) ** -25 * max(1, abs(value)) + 10 ** 6 * s0 ** (v + order + 1)
    if err > tol:
        rec.update({"expanded": False, "coefficients": None,
                    "note": f"the series misses the eigenvalue at k = 10^40 by {mpmath.nstr(err, 3)}: not reported"})
        return
    with mpmath.workdps(3 * dps + 60):
        # which coefficients the check at k = 10^40 actually tests: those whose term exceeds its tolerance
        tested = [j for j, c in enumerate(coeffs) if abs(ball_mid(c)) * s0 ** (v + j) > tol]
    rec.update({"expanded": True, "note": note, "check_at_k_1e40": mpmath.nstr(err, 3),
                "coefficients": ["0" if abs(ball_mid(c)) < tiny else ball_str(c, dps) for c in coeffs],
                # "0" above is a tolerance decision (|c| < 10^-(dps+10)), not a proof: listed here
                "zero_by_tolerance": [v + j for j, c in enumerate(coeffs) if abs(ball_mid(c)) < tiny],
                "evidence": ("checked: Newton on series over the numeric ring (tolerance zero tests, not an "
                             "enclosure); the truncated series agrees with the eigenvalue computed directly at "
                             f"k = 10^40 to {mpmath.nstr(err, 3)}, a check that covers the coefficients of powers "
                             f"{', '.join(str(v + j) for j in tested) or 'none'} only"),
                "tested_powers": [v + j for j in tested]})


def _divmod_quadratic(coef, b, c):
    """p(λ) = Σ coef[j] λ^j divided by λ² + bλ + c: (quotient coefficients, (r1, r0))."""
    n = len(coef) - 1
    q = [LSeries.const(0)] * max(n - 1, 1)
    rem = list(coef)
    for d in range(n, 1, -1):
        t = rem[d]
        q[d - 2] = t
        rem[d - 1] = rem[d - 1] - t * b
        rem[d - 2] = rem[d - 2] - t * c
    return q, (rem[1], rem[0])


def _fit_series(c, s, v, digits):
    """c[0] s^v + c[1] s^(v+1) + … as a series (mpmath numbers to ``digits`` digits)."""
    return sum((LSeries.const(arb(mpmath.nstr(x, digits))) * s ** (v + j) for j, x in enumerate(c)), LSeries.const(0))


def _pair_series(coef, v, mu1, mu2, big1, big2, s, order):
    """The two eigenvalues of a clustered pair (same leading term λ0 s^v) as series.

    The pair's quadratic factor f = λ² + bλ + c of the characteristic polynomial p is coprime to the
    cofactor at leading order, so Newton's method on (b, c) (Bairstow: the remainder of p mod f must
    vanish) converges on series; then λ = (−b ± √(b² − 4c))/2, where b² − 4c = (λ1 − λ2)² has even
    valuation 2j (the eigenvalues of a real symmetric pencil analytic in s are analytic: Rellich).
    ``coef`` are the coefficients of the scaled characteristic polynomial det(s^(-v) A − μ G), in which
    the pair μ = λ s^(-v) is O(1); ``mu1``, ``mu2`` are the leading terms, ``big1``, ``big2`` the two
    eigenvalues at k = 10^60.  Returns (series of the eigenvalue whose value there is big1, j) or None."""
    P = coef
    # starting factor from the leading terms: b = -(μ1 + μ2), c = μ1 μ2
    b = _fit_series([-(mu1 + mu2)], s, 0, 40)
    c = _fit_series([mu1 * mu2], s, 0, 40)
    for _ in range(20):
        q, (r1, r0) = _divmod_quadratic(P, b, c)
        if len(q) >= 3:
            _, (s1, s0) = _divmod_quadratic(q, b, c)
        elif len(q) == 2:
            s1, s0 = q[1], q[0]
        else:
            s1, s0 = LSeries.const(0), q[0]
        # ∂r/∂c = -(q mod f) = -(s1 λ + s0);  ∂r/∂b = -(λ q mod f) = -((s0 - b s1) λ - c s1)
        J11, J12 = -(s0 - b * s1), -s1
        J21, J22 = c * s1, -s0
        det = J11 * J22 - J12 * J21
        db = (-(r1) * J22 + r0 * J12) / det
        dc = (-(r0) * J11 + r1 * J21) / det
        b, c = b + db, c + dc
        if db.normalized().r == 0 and dc.normalized().r == 0:
            break
    else:
        return None
    D = (b * b - c * 4).normalized()
    if D.r == 0 or D.v % 2:
        return None
    sep = D.v // 2
    root = D.sqrt()
    lam_p, lam_m = (-b + root) / 2, (-b - root) / 2
    if v:
        lam_p, lam_m = lam_p * s ** v, lam_m * s ** v
    # λ+ − λ− = √D > 0 for small s > 0: λ+ is the larger of the pair (numbers at k = 10^60)
    pick = lam_p if big1 > big2 else lam_m
    if pick.prec <= v + order:
        raise PrecisionError(f"the pair is known to O(s^{pick.prec}) only")
    return pick, sep


def _horner(cs, lam):
    acc = LSeries.const(0)
    for c in reversed(cs):
        acc = acc * lam + c
    return acc
