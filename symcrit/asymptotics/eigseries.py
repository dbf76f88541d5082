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

**Every printed coefficient is a ball, or says why not.**  The same computation is run on the ball ring
(:class:`~symcrit.core.rings.BallRing`) from the *certified* balls of the critical point's series
(:func:`symcrit.asymptotics.series.series`, known to O(s^N) and no further): the pencil on balls, its
characteristic polynomial division-free (Laplace expansion, so no valuation has to be decided), the
power s^w of its first coefficient ball that excludes 0 (those below contain 0 and are taken as zero:
hypothesis ``H_det``, proven when they are all the exact 0), then the leading coefficient by a Krawczyk
test on balls (a simple root of P(μ, 0); for a pair the quadratic factor (b, c) on Bairstow's
equations, which are regular because the factor is coprime to the rest) and every further coefficient
by the recursion u_n = −J0⁻¹ [s^n] F(u_0 + … + u_(n−1) s^(n−1)) in ball arithmetic: each coefficient is
an enclosure of the Taylor coefficient of the analytic root (implicit function theorem), conditional on
the series certificate, on ``H_det``, for a pair on ``H_disc`` (the discriminant's balls below s^(2j)
contain 0 and are taken as zero) and on the identification of the root with the eigenvalue computed
numerically (checked).  Independently, every coefficient is **checked** against the eigenvalue computed
directly at k = 10^16 (s = 10^-8, :func:`check_terms`): the remainder (λ − Σ_(j<n) c_j s^(v+j)) / s^(v+n)
must meet c_n within 2 Σ_(i≤3) |c_(n+i)| s^i + 2 s^4 (1 + max |c|) + the direct value's error / s^(v+n).
A ball that fails this check is reported ``estimated`` with the conflict, never ``proven``; without a
ball (``prove=False``, or the proof failed) a coefficient that passes is ``checked`` and printed with the
digits its tolerance supports ('±r' when it is within the tolerance of 0).  Each record has ``terms``:
per coefficient ``power``, ``value`` (the digits its evidence guarantees; '±r' means |c| ≤ r, '0' only
for the exact 0), ``evidence``, ``radius`` (proven) or ``tolerance`` (checked) and ``check``; and
``evidence`` (counts), ``proof``, ``conditional_on``.  No closed forms are given here (the exact route of
:mod:`symcrit.asymptotics.exact` is not carried through the eigenvalue computation).

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

from typing import Any, Sequence

import mpmath
import sympy
from flint import arb, ctx as flint_ctx, fmpq

from symcrit.core.dual import Dual, DualOver
from symcrit.core.errors import BadInput, PrecisionError
from symcrit.symmetry.fixedpoint import K_SYMBOL
from symcrit.core.laurent import LSeries, SeriesContext, ball_mid, ball_str, make_series, series_precision
from symcrit.asymptotics.series import series
from symcrit.critical.families import is_registered
from symcrit.core.linalg import ldet
from symcrit.spectra.hessian import fine_space, component_types, spectrum

__all__ = ["eigenvalue_series", "check_terms", "CHECK_K"]


def _ldet(M):
    return ldet(M, singular="the pencil is singular to the working precision")


def _poly_in_k(expr, k):
    poly = sympy.Poly(sympy.expand(expr), K_SYMBOL)
    acc = LSeries.const(0)
    for (deg,), c in poly.terms():
        acc = acc + (k ** int(deg)) * int(c)
    return acc


def _series_pencil(fam, S, name, length, balls=False):
    """(A, G) of component ``name`` as matrices of Laurent series (inside series_precision), on all the
    component's basis vectors (see :func:`_independent`).

    ``balls=False``: the point's series from the midpoints of its coefficients (for the numeric ring).
    ``balls=True``: from the certified balls themselves, known to O(s^N) only (N = the number of
    coefficients: nothing beyond is claimed), for the ball ring."""
    coarse = fam.space
    s = LSeries.var()
    k = s ** -2
    if balls:
        x = [LSeries(0, make_series(list(S.coefficients[n]), len(S.coefficients[n])), None) for n in S.names]
    else:
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
        gram = [[orb[a] if a == b else LSeries.const(0) for b in range(n)] for a in range(n)]
        return A, gram
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
    gram = [[sum((orb[t] * (W[a][t] * W[b][t]) for t in support), zero) for b in range(m)] for a in range(m)]
    return A, gram


def _independent(gram):
    """The basis vectors to keep: drop dependent ones (diag(v) for p = 2), keeping those with a nonzero
    pivot in G (decided by the ring in force)."""
    keep = []
    for a in range(len(gram)):
        try:
            _ldet([[gram[i][j] for j in keep + [a]] for i in keep + [a]])
            keep.append(a)
        except PrecisionError:
            pass
    return keep


def _sub(M, keep):
    return [[M[i][j] for j in keep] for i in keep]


def _mids(M):
    """The matrix of series with each coefficient ball replaced by its midpoint (in the ring in force)."""
    return [[LSeries(e.v, make_series([arb(c.mid()) for c in e.coeffs()], e.r), None) for e in row] for row in M]


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
        gram = [[p[I] if I == J else zero for J in range(r)] for I in range(r)]
        return A, gram
    I = int(name.split("_")[1]) - 1
    return [[D[I] - O[I]]], [[one]]


def eigenvalue_series(fam: Any, order: int = 8, dps: int = 40, components: Sequence[str] | None = None,
                      extra_columns: bool = False, prove: bool = True) -> dict[str, list[dict[str, Any]]]:
    """Series in s of the distinct Hessian eigenvalues of the family, per isotypic component.

    Returns {component: [{"leading_power", "coefficients" (strings, powers leading_power …
    leading_power + order, each with the digits its evidence guarantees), "terms" (per coefficient:
    power, value, evidence, radius or tolerance, check), "evidence", "proof", "conditional_on",
    "expanded", "note"}]}, sorted by the eigenvalue at large k (see the module doc).
    ``extra_columns``: also the components of the extra input columns for d > k ('extra:…';
    their eigenvalues do not depend on d).  ``prove``: also run the ball route (default)."""
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
        big = [_big_spectrum(fam, kk, 2 * dps + 60, extra_columns) for kk in ks]
    names = [c.name for c in big[-1].components if components is None or c.name in components]
    out = {}
    work: list[Any] = []
    pencils: dict[str, Any] = {}
    with series_precision(S.prec, length + 8, ring="numeric"):
        s = LSeries.var()
        for name in names:
            nums = [next(c for c in sp.components if c.name == name).eigenvalues for sp in big]
            # the pencil on the certified balls (for the proof); the numeric route works on its midpoints
            Ab = Gb = None
            if not prove:
                pencils[name] = "not attempted"
            elif not S.certificate.get("proven"):
                pencils[name] = "the series of the critical point is not certified"
            else:
                try:
                    with series_precision(S.prec, length + 8, ring="arb"):
                        Ab, Gb = _series_pencil(fam, S, name, length, balls=True)
                except PrecisionError as exc:
                    pencils[name] = f"the pencil on balls: {exc}"
            A, gram = (_mids(Ab), _mids(Gb)) if Ab is not None else _series_pencil(fam, S, name, length)
            keep = _independent(gram)
            A, gram = _sub(A, keep), _sub(gram, keep)
            if Ab is not None:
                pencils[name] = (_sub(Ab, keep), _sub(Gb, keep))
            m = len(A)
            charpolys = {}

            def charpoly(v):
                """Coefficients of det(s^(-v) A - μ G) in μ (μ = λ s^(-v)) and of its derivative: the
                roots of leading power v are O(1) there, the others cluster at 0 or are large."""
                if v not in charpolys:
                    B = [[a * s ** (-v) for a in row] for row in A] if v else A
                    vals = [_ldet([[B[a][b] - gram[a][b] * lam for b in range(m)] for a in range(m)])
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
                            lam, sep, bq, cq, sign = pair
                            rec["separation_power"] = sep
                            _record(rec, lam, v, order, dps, ss[0], nums[0][idx],
                                    f"clustered pair: separates at s^{sep} (quadratic factor of the characteristic "
                                    "polynomial by Newton, then the square root of its discriminant)")
                            if rec["expanded"]:
                                work.append((name, rec, {"kind": "pair", "v": v, "lam": lam, "b": bq, "c": cq,
                                                         "sep": sep, "sign": sign}))
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
                    if rec["expanded"]:
                        work.append((name, rec, {"kind": "simple", "v": v, "lam": lam}))
                rows.append(rec)
            out[name] = rows
    # every printed coefficient: proven by the ball route where it succeeds, and checked against the
    # eigenvalue computed directly at k = 10^16 (a second route) in any case
    proofs = _prove_records(S, length, order, dps, work, pencils)
    _check_and_label(fam, work, proofs, order, dps, extra_columns)
    return out


_BIG: dict = {}


def _big_spectrum(fam, k, dps, extra_columns):
    """The full spectrum at a huge k (10^40, 10^60): cached per registered family (each solve continues
    the branch up from k = 10^4)."""
    key = (fam.id, tuple(fam.space.sizes), fam.space.extra, tuple(fam.limit or ()), k, dps, bool(extra_columns))
    if not is_registered(fam) or key not in _BIG:
        with mpmath.workdps(dps):
            sp = spectrum(fam.solve(k, dps=dps, verify=False), d=k + 1 if extra_columns else None)
        if not is_registered(fam):
            return sp
        _BIG[key] = sp
    return _BIG[key]


def _record(rec, lam, v, order, dps, s0, value, note):
    """Check the truncated numeric series against the eigenvalue computed directly at s = s0
    (k = 10^40): that Newton converged to this eigenvalue's branch.  The coefficients, their evidence
    and tolerances are filled in later (:func:`_check_and_label`)."""
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
    rec.update({"expanded": True, "note": note, "check_at_k_1e40": mpmath.nstr(err, 3)})


# ---------------------------------------------------------------------------------------------
# The ball route: each coefficient an enclosure

def _charpoly_balls(B, gram):
    """det(B − μG) as its coefficients in μ (Laurent series), division-free: Laplace expansion along
    the rows with the minors memoised by their column sets, so that no valuation has to be decided
    (with balls, a pivot's leading coefficient may be a ball containing 0)."""
    m = len(B)
    memo = {}

    def padd(p, q):
        return [p[i] + q[i] if i < len(p) and i < len(q) else (p[i] if i < len(p) else q[i])
                for i in range(max(len(p), len(q)))]

    def minor(r, cols):
        if r == m:
            return [LSeries.const(1)]
        if cols in memo:
            return memo[cols]
        acc = None
        for idx, c in enumerate(cols):
            sub = minor(r + 1, cols[:idx] + cols[idx + 1:])
            term = [B[r][c] * sub[0]] + [B[r][c] * sub[i] - gram[r][c] * sub[i - 1] for i in range(1, len(sub))] \
                + [-(gram[r][c] * sub[-1])]
            if idx % 2:
                term = [-t for t in term]
            acc = term if acc is None else padd(acc, term)
        memo[cols] = acc
        return acc

    return minor(0, tuple(range(m)))


def _normalize(P):
    """s^(−w) P(μ, s) with w the least power at which some coefficient of P is a ball that excludes 0.

    Returns (the coefficients of s^(−w) P with the powers below s^w dropped, w, hypothesis): the dropped
    coefficients all contain 0; they are zero by the structure (the valuation of det(B − μG) is w) —
    proven when every dropped one is the exact 0, else the hypothesis ``H_det`` (checked: each ball
    contains 0)."""
    lo = min(e.v for e in P)
    w = None
    for p_ in range(lo, min(e.prec for e in P)):
        if any(not e.coeff(p_).contains(0) for e in P):
            w = p_
            break
    if w is None:
        raise PrecisionError("no coefficient of the characteristic polynomial is proven nonzero")
    dropped = [e.coeff(p_) for e in P for p_ in range(e.v, w)]
    exact = all(c.is_exact() and c == 0 for c in dropped)
    bound = max((abs(ball_mid(c)) + ball_mid(arb(c.rad())) for c in dropped), default=mpmath.mpf(0))
    out = []
    for e in P:
        r = e.prec - w
        if r <= 0:
            raise PrecisionError("the characteristic polynomial is known to too few powers")
        out.append(LSeries(0, make_series([e.coeff(w + i) for i in range(r)], r), None))
    hyp = None if exact else (f"H_det: the characteristic polynomial's coefficients below s^{w} vanish (each of "
                              f"the {len(dropped)} balls contains 0, |c| <= {mpmath.nstr(bound, 2)})")
    return out, w, hyp


def _poly_at(cs, x):
    acc = 0 * x
    for c in reversed(cs):
        acc = acc * x + c
    return acc


def _quad_rem(P, b, c):
    """P(μ) = q(μ)(μ² + bμ + c) + r1 μ + r0 for entries of any ring: (q, r1, r0)."""
    n = len(P) - 1
    rem = list(P)
    q = [0 * b] * max(n - 1, 1)
    for d in range(n, 1, -1):
        t = rem[d]
        q[d - 2] = t
        rem[d - 1] = rem[d - 1] - t * b
        rem[d - 2] = rem[d - 2] - t * c
    return q, rem[1], rem[0]


def _quad_jac(P, b, c):
    """The Jacobian of (r1, r0) with respect to (b, c) (Bairstow)."""
    q, _, _ = _quad_rem(P, b, c)
    if len(q) >= 3:
        _, s1, s0 = _quad_rem(q, b, c)
    elif len(q) == 2:
        s1, s0 = q[1], q[0]
    else:
        s1, s0 = 0 * b, q[0]
    return [[-(s0 - b * s1), -s1], [c * s1, -s0]]


def _to_arb(x):
    from symcrit.core.contexts import get_context
    return get_context("arb").convert(x)


def _krawczyk(F, J, y, scale):
    """Krawczyk test in ball arithmetic for a zero of F near the point y (mpmath numbers) of a system
    of 1 or 2 equations with ball coefficients: returns the enclosure K ⊂ int X (the unique zero in X, for
    every system inside the balls) or None.  ``scale``: radii tried, relative to 1 + |y|."""
    n = len(y)
    ym = [_to_arb(v) for v in y]
    Jm = J(ym)
    with mpmath.workprec(flint_ctx.prec):
        C = mpmath.inverse(mpmath.matrix([[ball_mid(Jm[i][j]) for j in range(n)] for i in range(n)]))
        Ca = [[_to_arb(C[i, j]) for j in range(n)] for i in range(n)]
    Fy = F(ym)
    for r in scale:
        X = [arb(ym[i].mid(), _to_arb(mpmath.mpf(r) * (1 + abs(y[i]))).mid()) for i in range(n)]
        JX = J(X)
        kraw = []
        for i in range(n):
            acc = ym[i] - sum((Ca[i][j] * Fy[j] for j in range(n)), arb(0))
            for j in range(n):
                M = (1 if i == j else 0) - sum((Ca[i][l] * JX[l][j] for l in range(n)), arb(0))
                acc = acc + M * (X[j] - ym[j])
            kraw.append(acc)
        if all(X[i].contains_interior(kraw[i]) for i in range(n)):
            return kraw
    return None


def _root_recursion(F, J0inv, u0, N):
    """Taylor coefficients u_0 … u_N of the analytic zero u(s) of F(u, s) (a vector of series, analytic
    in s) with u(0) in the balls u0 and ∂F/∂u(u(0), 0)^(−1) in the balls J0inv: coefficient n of
    F(u_0 + … + u_(n−1) s^(n−1)) + J0 u_n s^n vanishes, so u_n = −J0^(−1) [s^n] F(truncation).
    Every operation on balls: each u_n is an enclosure."""
    n = len(u0)
    us = [[u0[i]] for i in range(n)]
    for deg in range(1, N + 1):
        trunc = [LSeries.polynomial(us[i]) for i in range(n)]
        Fv = F(trunc)
        rhs = [Fv[i].coeff(deg) for i in range(n)]
        for i in range(n):
            us[i].append(-sum((J0inv[i][j] * rhs[j] for j in range(n)), arb(0)))
    return us


def _prove_simple(P, mu_mid, N, dps):
    """Ball coefficients μ_0 … μ_N of the root of s^(−w) P(μ, s) = 0 with μ(0) near ``mu_mid``."""
    P0 = [e.coeff(0) for e in P]
    dP0 = [P0[j] * j for j in range(1, len(P0))]
    scale = [mpmath.mpf(10) ** -e for e in (dps + 10, dps // 2, 12, 6)]
    kraw = _krawczyk(lambda u: [_poly_at(P0, u[0])], lambda u: [[_poly_at(dP0, u[0])]], [mu_mid], scale)
    if kraw is None:
        raise PrecisionError("the Krawczyk test for the leading coefficient failed")
    d = _poly_at(dP0, kraw[0])
    if d.contains(0):
        raise PrecisionError("the root is not simple at leading order (derivative ball contains 0)")
    us = _root_recursion(lambda u: [_poly_at(P, u[0])], [[1 / d]], kraw, N)
    return us[0], []


def _prove_pair(P, b_mid, c_mid, sep, sign, N, dps):
    """Ball coefficients of one eigenvalue of a clustered pair: the quadratic factor μ² + bμ + c of
    s^(−w) P (Krawczyk at s = 0 on Bairstow's equations, then the recursion), the discriminant
    b² − 4c = s^(2j) E(s) and μ = (−b ± s^j √E)/2."""
    P0 = [e.coeff(0) for e in P]
    scale = [mpmath.mpf(10) ** -e for e in (dps + 10, dps // 2, 12, 6)]
    kraw = _krawczyk(lambda u: list(_quad_rem(P0, u[0], u[1])[1:]), lambda u: _quad_jac(P0, u[0], u[1]),
                  [b_mid, c_mid], scale)
    if kraw is None:
        raise PrecisionError("the Krawczyk test for the pair's quadratic factor at s = 0 failed")
    J = _quad_jac(P0, kraw[0], kraw[1])
    det = J[0][0] * J[1][1] - J[0][1] * J[1][0]
    if det.contains(0):
        raise PrecisionError("the pair's quadratic factor is not regular at s = 0")
    Jinv = [[J[1][1] / det, -J[0][1] / det], [-J[1][0] / det, J[0][0] / det]]
    bs, cs = _root_recursion(lambda u: list(_quad_rem(P, u[0], u[1])[1:]), Jinv, kraw, N)
    b = LSeries(0, make_series(bs, N + 1), None)
    c = LSeries(0, make_series(cs, N + 1), None)
    D = b * b - c * 4
    low = [D.coeff(i) for i in range(2 * sep)]
    if any(not x.contains(0) for x in low):
        raise PrecisionError("the discriminant has a nonzero coefficient below s^(2j)")
    if D.prec <= 2 * sep:
        raise PrecisionError("the discriminant is known to too few powers")
    E = LSeries(0, make_series([D.coeff(2 * sep + i) for i in range(D.prec - 2 * sep)], D.prec - 2 * sep), None)
    root = E.sqrt() * LSeries.var() ** sep
    mu = (-b + root * sign) / 2
    hyp = []
    if not all(x.is_exact() and x == 0 for x in low):
        bound = max(abs(ball_mid(x)) + ball_mid(arb(x.rad())) for x in low)
        hyp.append(f"H_disc: the discriminant's coefficients below s^{2 * sep} vanish (each ball contains 0, |c| <= "
                   f"{mpmath.nstr(bound, 2)}; j = {sep} from the numeric route, its evenness from Rellich's theorem)")
    return [mu.coeff(i) for i in range(mu.prec)], hyp


def _prove_records(S, length, order, dps, work, pencils):
    """For each numerically expanded record, the coefficients as balls (or the reason why not), from
    the component's pencil on balls (``pencils[name]``: (A, G), or the reason it is missing).

    Returns {id(rec): (balls for powers v … v + order, hypotheses)} or {id(rec): message}."""
    proofs = {}
    by_comp = {}
    for name, rec, info in work:
        by_comp.setdefault(name, []).append((rec, info))
    with series_precision(S.prec, length + 8, ring="arb"):
        s = LSeries.var()
        for name, items in by_comp.items():
            if not isinstance(pencils.get(name), tuple):
                for rec, _ in items:
                    proofs[id(rec)] = pencils.get(name, "not attempted")
                continue
            A, gram = pencils[name]
            polys = {}
            for rec, info in items:
                v = info["v"]
                try:
                    if v not in polys:
                        B = [[a * s ** (-v) for a in row] for row in A] if v else A
                        polys[v] = _normalize(_charpoly_balls(B, gram))
                    P, w, hyp = polys[v]
                    lam = info["lam"]
                    if info["kind"] == "simple":
                        mus, hyps = _prove_simple(P, ball_mid(lam.coeff(v)), order, dps)
                    else:
                        j = info["sep"]
                        mus, hyps = _prove_pair(P, ball_mid(info["b"].coeff(0)), ball_mid(info["c"].coeff(0)), j,
                                                info["sign"], order + j, dps)
                    if len(mus) <= order:
                        raise PrecisionError(f"known to {len(mus)} coefficients only")
                    proofs[id(rec)] = (mus[:order + 1], ([hyp] if hyp else []) + hyps)
                except (PrecisionError, ZeroDivisionError, ValueError) as exc:
                    proofs[id(rec)] = f"{exc}"
    return proofs


# ---------------------------------------------------------------------------------------------
# The second route: the eigenvalue computed directly

#: the check's k = s^(-2): s = 10^-8
CHECK_K = 10 ** 16


def check_terms(value: tuple, s: Any, v: int, mids: Sequence[Any], printed: Sequence[str | None],
                halfs: Sequence[Any] | None = None) -> list[dict[str, Any] | None]:
    """Check every coefficient of a series λ(s) = Σ c_j s^(v+j) against one value λ(s) computed directly.

    ``value``: (λ(s), ε) — the direct value and a bound on its error; ``mids``: the coefficients at full
    precision (mpmath numbers; more than printed: the next terms give the tolerance); ``printed``: the
    printed coefficients (decimal strings, '±r' for a ball around 0, or None).  For each n the remainder
    R_n = (λ(s) − Σ_(j<n) c_j s^(v+j)) / s^(v+n) = c_n + c_(n+1) s + … must meet the printed c_n within
    tol_n = 2 Σ_(i=1..3) |c_(n+i)| s^i + 2 s^4 (1 + max |c|) + ε / s^(v+n) + h_n, where h_n bounds
    |printed c_n − c_n|: ``halfs[n]`` if given (for a ball: |printed − midpoint| + radius), else half a
    unit of the last printed digit.  Returns [{"power", "deviation", "tolerance", "ok"}] (numbers as mpmath)."""
    lam, eps = value
    out: list[dict[str, Any] | None] = []
    big = max((abs(c) for c in mids), default=mpmath.mpf(0))
    for n, txt in enumerate(printed):
        if txt is None:
            out.append(None)
            continue
        partial = sum((mids[j] * s ** (v + j) for j in range(n)), mpmath.mpf(0))
        R = (lam - partial) / s ** (v + n)
        tail = 2 * sum((abs(mids[n + i]) * s ** i for i in (1, 2, 3) if n + i < len(mids)), mpmath.mpf(0))
        tail += 2 * s ** 4 * (1 + big)
        pv, half = _printed_value(txt)
        if halfs is not None and halfs[n] is not None:
            half = halfs[n]
        tol = tail + eps / s ** (v + n) + half
        dev = abs(R - pv)
        out.append({"power": v + n, "deviation": dev, "tolerance": tol, "ok": bool(dev <= tol)})
    return out


def _printed_value(txt):
    """(value, half a unit of the last printed digit) of a printed coefficient; '±r' is 0 within r."""
    txt = txt.strip()
    if txt.startswith("±"):
        return mpmath.mpf(0), mpmath.mpf(txt[1:])
    val = mpmath.mpf(txt)
    if val == 0:
        return val, mpmath.mpf(0)
    mant = txt.lower().split("e")[0].lstrip("+-")
    exp = int(txt.lower().split("e")[1]) if "e" in txt.lower() else 0
    decimals = len(mant.split(".")[1]) if "." in mant else 0
    return val, mpmath.mpf(10) ** (exp - decimals) / 2


def _digits_for(c, tol, dps, dev=0):
    """c printed with the digits a tolerance tol supports (at most dps); '±r' (r >= |c| + dev + tol,
    a bound on the true coefficient) if |c| <= tol."""
    if abs(c) <= tol:
        # two digits, rounded up (×1.06 covers the rounding of the second digit)
        return "±" + mpmath.nstr((abs(c) + dev + tol) * mpmath.mpf("1.06"), 2)
    d = int(mpmath.floor(mpmath.log10(abs(c) / tol)))
    for dd in range(max(1, min(dps, d)), 0, -1):
        txt = mpmath.nstr(c, dd)
        if abs(mpmath.mpf(txt) - c) + tol <= _printed_value(txt)[1] * 2 or dd == 1:
            return txt
    return mpmath.nstr(c, 1)


def _check_and_label(fam, work, proofs, order, dps, extra_columns):
    """Fill each expanded record's ``coefficients`` (the digits each one's evidence guarantees), ``terms``
    (per coefficient: power, value, evidence, radius or tolerance, the direct check) and ``evidence``."""
    if not work:
        return
    from symcrit.spectra.hessian import spectrum as _spectrum
    # the remainder of order n divides the direct value's error by s^(v+n) = 10^(-8(v+n)), and the point's
    # error is amplified about k² = 10^32 in the eigenvalue: 8·order + 100 digits, and the error itself
    # estimated from a second solve with 40 more digits (checked, not a bound)
    check_dps = 8 * order + 100
    with mpmath.workdps(check_dps + 80):
        s_c = mpmath.mpf(10) ** -8
        names = sorted({name for name, _, _ in work})
        direct, second = ({c.name: list(c.eigenvalues) for c in
                           _spectrum(fam.solve(CHECK_K, dps=dd, verify=False), components=names,
                                     d=CHECK_K + 1 if extra_columns else None).components}
                          for dd in (check_dps, check_dps + 40))
        for name, rec, info in work:
            v, lam = info["v"], info["lam"]
            mids = [ball_mid(lam.coeff(v + j)) for j in range(min(order + 4, lam.prec - v))]
            proof = proofs.get(id(rec))
            balls = proof[0] if isinstance(proof, tuple) else None
            if balls is not None:
                mids[:order + 1] = [ball_mid(b) for b in balls]
            approx = sum(mids[j] * s_c ** (v + j) for j in range(len(mids)))
            lam_c = min(direct[name], key=lambda x: abs(x - approx))
            lam_2 = min(second[name], key=lambda x: abs(x - lam_c))
            # ten times the change from the second precision, and not below 10^-(check_dps - 20) relative
            eps = max(10 * abs(lam_c - lam_2), mpmath.mpf(10) ** (-(check_dps - 20)) * max(1, abs(lam_c)))
            # the tolerance of each coefficient without the printing term: the digits of an unproven one
            base = check_terms((lam_c, eps), s_c, v, mids, [mpmath.nstr(m, 3 * dps) for m in mids[:order + 1]])
            printed = []
            for j in range(order + 1):
                if balls is not None:
                    printed.append(ball_str(balls[j], dps))
                else:
                    # |c| <= |R_n| + tail <= |mid| + deviation + tolerance: the bound printed for a zero
                    printed.append(_digits_for(mids[j], base[j]["tolerance"], dps, base[j]["deviation"]))
            halfs = None
            if balls is not None:
                halfs = [abs(_printed_value(printed[j])[0] - mids[j]) + ball_mid(arb(balls[j].rad()))
                         for j in range(order + 1)]
            checks = check_terms((lam_c, eps), s_c, v, mids, printed, halfs)
            terms = []
            for j in range(order + 1):
                chk = checks[j]
                t = {"power": v + j, "value": printed[j],
                     "check": {"k": "1e16", "deviation": mpmath.nstr(chk["deviation"], 3),
                               "tolerance": mpmath.nstr(chk["tolerance"], 3), "ok": chk["ok"]}}
                if balls is not None and chk["ok"]:
                    t.update({"evidence": "proven", "radius": mpmath.nstr(ball_mid(arb(balls[j].rad())), 3)})
                elif balls is not None:
                    t.update({"evidence": "estimated", "radius": mpmath.nstr(ball_mid(arb(balls[j].rad())), 3),
                              "conflict": "the ball misses the direct check: a hypothesis of the proof fails"})
                elif chk["ok"]:
                    t.update({"evidence": "checked", "tolerance": mpmath.nstr(chk["tolerance"], 3)})
                else:
                    t.update({"evidence": "estimated", "value": mpmath.nstr(mids[j], 6)})
                terms.append(t)
            ev = [t["evidence"] for t in terms]
            hyps = proof[1] if isinstance(proof, tuple) else []
            rec["coefficients"] = [t["value"] for t in terms]
            rec["terms"] = terms
            rec["proof"] = ("ball enclosures" if isinstance(proof, tuple) else
                            "not attempted" if proof in (None, "not attempted") else f"not proven: {proof}")
            rec["conditional_on"] = (["the certificate of the critical point's series (symcrit.series)"] + hyps +
                                     ["the identification of this root with the eigenvalue computed at k = 10^60 "
                                      "and k = 10^16 (checked)"]) if isinstance(proof, tuple) else []
            counts = {e: ev.count(e) for e in ("proven", "checked", "estimated") if ev.count(e)}
            rec["evidence"] = ", ".join(f"{e}: {n} of {len(ev)}" for e, n in counts.items())


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
    return pick, sep, b, c, (1 if big1 > big2 else -1)


def _horner(cs, lam):
    acc = LSeries.const(0)
    for c in reversed(cs):
        acc = acc * lam + c
    return acc
