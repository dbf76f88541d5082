r"""Exact coefficients of the series: rational functions of π.

Why rational functions of π.  In the series engine every π is either the kernel's 1/(2π) or a
branch constant of atan2 (0, π/2, π at s = 0); the expansions of atan (of a series without
constant term) and of square roots (after the leading power and a leading coefficient that is a
square in Q(π) are taken out) have rational coefficients; Newton's method then only adds,
multiplies and divides.  So if π is replaced by an indeterminate P, each coefficient is a
rational function of P with rational coefficients (the computation is a straight-line program
over Q(P)), and the true coefficient is its value at P = π.  The field is Q(π) -- not Q[1/π]:
denominators such as (π - 2) or (π² - 8) occur.  When the program leaves Q(P) -- the square root
of a leading coefficient that is not a square in Q(P), the arctangent of a series with a nonzero
constant term, a leading system that is not linear in the first coefficients (its solution is
then algebraic over Q(P)) -- :class:`~symcrit.core.laurent.NotExact` says which, and no form is
claimed.

How they are computed (:func:`attach_exact`).

1. **Modular Newton** (:mod:`symcrit.asymptotics.modular`): the engine's Newton iteration on
   truncated Laurent series runs once, vectorised over "columns" (p, P_j): P replaced by the
   residue P_j in Z/p for N points P_j at each of several primes p < 2^26.  Signs (atan2
   branches, abs) are read at P = π from a ball shadow of the same computation; zero tests are
   exact (a residue that vanishes at some columns only marks those columns bad).  The iteration
   stops when its correction is exactly zero at every good column through the order -- or, in
   :func:`attach_exact`, one step earlier, when quadratic convergence says that correction would
   be zero (optimistic: the forms are proven in step 5; runs that do not reconstruct are redone
   with the verifying step).
2. **Rational interpolation per prime** (:mod:`symcrit.asymptotics.reconstruct`): for each
   coefficient, the rational function n/d (d monic) of least total degree D through the N values
   at a prime, by the extended Euclidean algorithm; accepted only when D + 1 + 6 ≤ N (at least six
   points beyond the D + 1 that determine it).  The coefficients are taken in rounds
   (:func:`_reconstruct_rounds`): once lower orders of a series are known, the denominator of the
   next is guessed from theirs (sk1: π^a (π - 2)^b c with a ≈ 2n, b ≈ n/3, c a product of small
   primes; the exponents extrapolated) and the values times the guess are interpolated instead,
   which needs about deg n + 1 + 6 points rather than deg n + deg d + 1 + 6; a wrong guess costs
   points, never a wrong form.
3. **Lift to Q**: the coefficients of n and d by Chinese remaindering over all primes but one and
   rational reconstruction (one common denominator; after a denominator guess the values are
   nearly integers and maximal-quotient reconstruction needs primes for the numerators' size
   only); accepted only if the lift reduces to the values at the prime kept out.  Points or
   primes are added (new columns, a new run) until every coefficient lifts, up to a column budget.
4. **Check at π**: the closed form, evaluated at π in ball arithmetic, must lie inside the ball
   coefficient of the numerical series (:func:`~symcrit.asymptotics.engine.compute_series`).  A
   form outside the ball but within the S.dps digits the engine promises is kept and listed in
   ``exact_info["outside_ball"]`` (with the gap and the radius): that is a ball too narrow, not a
   wrong form -- before the engine's balls were made rigorous, sk1's a_10 at dps = 60 lay 2.1e-179
   from the ball's midpoint with radius 8.6e-196, and the form agrees exactly with the independent
   exact-over-Q route at P = 10/3; with the certified balls every form of sk1 through order 16
   lies inside its ball.
   A form farther off is dropped (``exact_info["failed"]``).

What is proven and what is checked.  Steps 1-4 alone only *check* the forms: there is no
a-priori bound on the degree in P of a coefficient (nor on the height of its rationals), so the
least-degree interpolant confirmed by extra points and an extra prime could in principle be wrong.
Step 5 makes them a **proof** (:func:`prove_forms`), independent of how the forms were found:

5. **Exact verification.**  The forms of the rescaled parameters ỹ_i (through s^Ny, the length of
   the certified system; reconstructed beyond the order asked for when Ny + m_i exceeds it) are
   substituted into the reduced gradient over Q(P)[[s]] -- exact rational-function arithmetic
   in C (:mod:`symcrit.core.ratfun`: fmpz_poly numerators over a common denominator, products
   by Kronecker substitution), branch decisions at P = π in ball arithmetic -- and the
   certificate's row transform T is applied: every coefficient of T·G(ỹ) through s^Ny must be
   the zero rational function.  So the forms are an exact zero of the truncated system F that
   the Krawczyk test (:func:`~symcrit.core.series_newton.krawczyk_series`) proved to have exactly
   one zero in its box (with an invertible leading block); their values at π lie in that box
   (checked in ball arithmetic): they *are* that zero, i.e. the coefficients the certified balls
   enclose.  The parameter forms below s^m_i and the loss forms are then compared exactly with
   x∞ + s^m ỹ and with the loss series computed over Q(P) from it.
   What is proven is exactly what the certificate's balls claim, with equality instead of
   enclosure.  The certificate's structural hypothesis is proven for sk, sk1, sk1b and s2 (exact
   row transform, :mod:`symcrit.asymptotics.structure`); where a ball certificate is still
   conditional on it (the exact route failed), so is the identification with the true series
   (``exact_info["proof"]["conditional_on_structure"]``), though the forms satisfy the dropped
   rows exactly.
   ``exact_info["status"]`` is "proven" when this succeeds; otherwise "checked" with the reason
   in ``exact_info["proof"]``.  A form changed by 10^-400 (inside every ball) fails the proof.

   *Forms in Q(√d)(π)* (s2, d = 2): the same proof over Q(√d)(P)[[s]]
   (:mod:`symcrit.core.quadratic`: u + v√d with u, v ∈ Q(P), signs at π in balls, exact square
   roots where the element is a square in the extension, NotExact otherwise).

   *A rounded row transform.*  If the certificate's T has an entry that is a rounded ball (an
   irrational-looking null vector found numerically -- the engine's former SVD route gave
   -0.4236… for sk1b and -0.8319… for s2, where the s^0 block's left null space has dimension 2),
   the combined rows keep an O(2^-prec) part below s^0 and the zero of the truncated system is not
   the series exactly.  Then :func:`exact_row_transform` builds T again over the forms' field from
   the Jacobian at the forms (exact valuations, exact left null vectors of the s^0 block by
   elimination), and the Krawczyk test is redone with balls enclosing T at π
   (:func:`symcrit.asymptotics.engine.recertify`; valid for every transform in the balls, so for
   the exact one; midpoints from the first certificate, not from the forms); steps 1-2 use that
   certificate.  How T was derived does not enter the proof: a T that is not exactly right fails
   the exact residual or the test.

Square roots.  A square root whose leading coefficient depends on π (sk1's √(c² + e²(k-2)) has
leading coefficient y_c², a square in Q(π)) takes its root inside the run: the leading coefficient
is reconstructed from the columns the same way (checked), its square root taken exactly in Q(P)
(even multiplicities of its factors over Q), the sign fixed at π by the ball.  A rational constant
c = q²·d with d > 1 squarefree (s2 meets √8) extends the field to Q(√d, π): the run restarts with
primes in which d is a square and every point twice, √d ↦ ±ρ (ρ² ≡ d); each coefficient
A + B√d is split into A and B (A, B ∈ Q(P)) from the column pairs and both are reconstructed.
A leading coefficient that is not of the form c·R(P)² (or a second, different d) raises
:class:`~symcrit.core.laurent.NotExact` with the coefficient named.

Sizes met (observations, not bounds): at order n, sk1's coefficients have total degree in π about
4.75 n (117 at n = 24, 190 at n = 40; numerator about 2.65 n, denominator π^(2n-3) (π - 2)^(≈n/3))
and numerators of about 8.3 n bits over an integer content of about 3 n bits; s2's are larger (201
points per prime at n = 24).  Order 40 of sk1 (forms through s^46 for the proof) took 237 points ×
26 primes with plain rational interpolation, 138 × 18 with the denominator guesses.

The former route (exact Newton over Q at up to 40 rational values of π, reconstruction without a
degree bound) is kept as :func:`attach_exact_sampling` for comparison; the tests check that the
closed forms evaluated at P = 10/3 equal its exact rationals there.

PSLQ is not used.
"""
from __future__ import annotations

import math
from fractions import Fraction

import sys

import numpy as np
import sympy
from flint import arb, ctx as flint_ctx, fmpq, fmpz, fmpz_mat, fmpz_poly

from symcrit.asymptotics.engine import compute_series, exact_limit, newton_series
from symcrit.asymptotics.modular import NeedExtension, NeedLongerSeries, NeedMoreColumns, columns, modular_series, primes_below, split_pairs
from symcrit.asymptotics.reconstruct import reconstruct_batch
from symcrit.core.errors import NotConverged, PrecisionError
from symcrit.core.laurent import NotExact, ball_mid
from symcrit.core.linalg import exact_left_null_vector

__all__ = ["attach_exact", "attach_exact_sampling", "prove_forms", "closed_form", "arb_value", "rational_reconstruct", "exact_samples",
           "exact_row_transform"]

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


def attach_exact_sampling(S, max_points=40, start_points=10, order=None):
    """The former route (kept as the benchmark's baseline): exact Newton over Q at up to
    ``max_points`` rational values of π, rational interpolation without a degree bound, check at π.
    Sets ``S.exact``, ``S.loss_exact`` and ``S.exact_info`` like :func:`attach_exact`."""
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


# ---------------------------------------------------------------------------------------------
# the modular route
def _int_poly(cs):
    """(fmpz_poly, denominator) of a coefficient list [(a, b), …]: poly / denominator."""
    L = 1
    for _, b in cs:
        L = L * b // math.gcd(L, b)
    return fmpz_poly([a * (L // b) for a, b in cs]), L


def _sym_poly(f, scale=1):
    """The integer polynomial f (fmpz_poly) times ``scale`` as a sympy expression in π: the terms
    built unevaluated (no assumption queries) in sympy's canonical order (``Basic.compare``), so
    the result is the expression ``sympy.Poly(…, π).as_expr()`` gives, several times faster."""
    import functools

    terms = []
    for i, c in enumerate(f.coeffs()):
        if c == 0:
            continue
        q = sympy.Integer(int(c)) * scale
        if i == 0:
            terms.append(q)
            continue
        pw = sympy.pi if i == 1 else sympy.Pow(sympy.pi, sympy.Integer(i))
        terms.append(pw if q == 1 else sympy.Mul(q, pw, evaluate=False))
    if not terms:
        return sympy.Integer(0)
    if len(terms) == 1:
        return terms[0]
    terms.sort(key=functools.cmp_to_key(sympy.Basic.compare))
    return sympy.Add(*terms, evaluate=False)


def closed_form(num, den):
    """sympy expression in π: the polynomial numerator (integer coefficients, expanded) over the
    factored denominator, from coefficient lists [(a, b), …] (ascending powers of P); the rational
    content stands in front.  Factoring by python-flint (sympy's factor is far slower)."""
    if all(a == 0 for a, _ in num):
        return sympy.Integer(0)
    fn, Ln = _int_poly(num)
    fd, Ld = _int_poly(den)
    cn, prim_n = fn.content(), None
    prim_n = fmpz_poly([c // cn for c in fn.coeffs()])
    cd, facs = fd.factor()
    scale = sympy.Rational(int(cn), Ln) * sympy.Rational(Ld, 1) / sympy.Integer(int(cd))
    dd = sympy.Mul(*[_sym_poly(f) ** int(e) for f, e in facs])
    if dd == 1:
        return _sym_poly(prim_n, scale)
    # unevaluated: sympy's Mul would otherwise query assumptions on a numerator of hundreds of
    # terms (seconds at order 40); the rational content goes into the numerator's coefficients
    if prim_n.degree() <= 0:  # a constant over the denominator: sympy's own Mul is cheap and prints cleanly
        return scale * sympy.Integer(int(prim_n.coeffs()[0])) / dd
    return sympy.Mul(_sym_poly(prim_n, scale), sympy.Pow(dd, -1, evaluate=False), evaluate=False)


def arb_value(num, den, prec: int):
    """num(π)/den(π) as a ball at ``prec`` bits (coefficient lists of (numerator, denominator) ints)."""
    with flint_ctx.workprec(prec):
        pi = arb.pi()

        def horner(cs):
            acc = arb(0)
            for a, b in reversed(cs):
                acc = acc * pi + arb(fmpq(a, b))
            return acc
        return horner(num) / horner(den)


def _y_start(S):
    """Rational starting values (small denominators) of the rescaled parameters' constant terms."""
    m = [S.leading_powers[n] for n in S.names]
    lo = max([mi for mi in m if mi is not None], default=0)
    if S.order < lo:
        S = compute_series(S.family, order=lo, dps=S.dps)
    return m, {i: _to_fmpq(ball_mid(S.coefficients[S.names[i]][mi])) for i, mi in enumerate(m) if mi is not None}


def attach_exact(S, order=None, max_columns=12000, extra=6, points=None, primes=None, chunk=4096, verbose=False,
                 prove=True, workers=None):
    """Derive closed forms in Q(π) for the coefficients of the series ``S`` through s^order (default:
    all), in place, by the modular route described in the module docstring.

    Sets ``S.exact[name][n]`` and ``S.loss_exact[n]`` (sympy expressions in π, or None) and
    ``S.exact_info``: field, status ("proven" by :func:`prove_forms`, else "checked"; ``proof``: its
    record with the reason when not proven), columns used (points × primes), runs, timings,
    ``failed`` (forms outside their ball at π: dropped) and ``missing`` ({(name, n): reason}).
    ``points``/``primes``: the starting numbers of points per prime and of primes (default: grown
    from estimates by the order); ``max_columns`` bounds points × primes.  ``prove``: run the
    exact proof (default); the parameter forms are then reconstructed through s^(Ny + m_i).
    ``workers``: processes for the modular runs (default: 2, or 1 on a single core)."""
    import time

    t_start = time.perf_counter()
    workers = _workers(workers)
    order = S.order if order is None else min(order, S.order)
    names = S.names + ["F"]
    # the proof (prove_forms) needs the rescaled parameters y_i through s^Ny, i.e. the parameter
    # forms through s^(Ny + m_i): reconstructed too (beyond ``order`` they are not reported)
    pd = getattr(S, "proof_data", None)
    lead = [S.leading_powers[nm] for nm in S.names]
    top = order
    if prove and pd is not None and order == S.order:
        top = max([order] + [pd["Ny"] + mi for mi in lead if mi is not None])
    info = {"field": "Q(pi)", "status": "checked", "route": "modular", "failed": [], "missing": {}, "outside_ball": [], "forms": {},
            "runs": [], "points": 0, "primes": 0}
    S.exact_info = info
    m, y0 = _y_start(S)
    # first guesses from sk1, whose coefficient of order n has a numerator of degree about 2.65 n in
    # π and of about 8.3 n bits over a denominator π^a (π - 2)^b c that the reconstruction guesses
    # from the lower orders (:func:`_reconstruct_rounds`); grown when a coefficient asks for more
    # (a top-up run costs more than a few spare columns)
    npts = points or (int(2.75 * top) + 12)
    npr = primes or (-(-(int(8.3 * top) + 60) // 26) + 1)
    all_primes = primes_below(1 << 26, 400)
    ext = {"d": None, "margin": 6, "verify": False}
    have_pts, have_pr = 0, 0
    store = {"p": [], "P": [], "good": [], "rho": [],
             "res": {(nm, n): [] for nm in names for n in range((order if nm == "F" else top) + 1)}}
    todo = set(store["res"])
    found = {}
    known: dict = {}  # {series: {n: form}}: the forms found so far, for the denominator guesses
    prec = S.prec

    from symcrit.asymptotics.engine import progress_bar

    # progress: column-steps (columns × Newton steps, about 7 steps per run), then the
    # reconstruction and the proof as stages
    bar = progress_bar(npts * npr * 7, f"exact forms {S.family.id}", "col-step")

    def progress_step(ncols, prs):
        def on_step(its, L):
            if bar.n + ncols > bar.total:
                bar.total = bar.n + 8 * ncols
            bar.update(ncols)
            bar.set_postfix_str(f"{len(prs)} primes, Newton step {its}, length {L}")
        return on_step

    def store_run(R, cols, seconds):
        info["runs"].append({"columns": len(cols[0]), "seconds": round(seconds, 3), "iterations": R.iterations,
                             "verified": R.info.get("verified", True)})
        store["p"].append(R.p)
        store["P"].append(R.P)
        store["good"].append(R.good)
        store["rho"].append(cols[2])
        for (nm, n), lst in store["res"].items():
            lst.append(R.residues[nm][n])

    def run(prs, start, count):
        # in chunks (all primes, a range of points; about ``chunk`` columns at most, the arrays stay
        # in cache, and each chunk has every prime for the reconstructions inside the run); with
        # ``workers`` > 1 the chunks run in forked processes (numpy residues come back; the ball
        # shadows stay in the workers)
        ncol = count * len(prs)
        nw = workers if ncol >= 1500 else 1
        nch = max(nw, -(-ncol // chunk))
        step = -(-count // nch)
        jobs = [(prs, s0, min(step, start + count - s0)) for s0 in range(start, start + count, step)]
        if nw > 1 and len(jobs) > 1:
            results = _run_parallel(S.family, top, m, y0, jobs, prec, ext, nw, bar)
        else:
            results = []
            for job in jobs:
                t0 = time.perf_counter()
                cols = columns(job[0], job[1], job[2], d=ext["d"])
                R, ext["margin"] = _run_chunk(S.family, top, m, y0, cols, prec, ext["d"], ext["margin"],
                                              progress_step(len(cols[0]), job[0]), verify=ext["verify"])
                results.append((R, cols, time.perf_counter() - t0))
        for R, cols, sec in results:
            store_run(R, cols, sec)

    try:
        while todo:
            want_pts, want_pr = npts, npr
            if want_pts * want_pr > max_columns:
                break
            try:
                if have_pr and want_pts > have_pts:  # more points at the primes we have
                    run(all_primes[:have_pr], have_pts, want_pts - have_pts)
                    have_pts = want_pts
                if want_pr > have_pr:  # more primes at all the points
                    run(all_primes[have_pr:want_pr], 0, want_pts)
                    have_pr, have_pts = want_pr, want_pts
            except NeedMoreColumns:
                npts, npr = int(npts * 1.5) + 1, npr + max(2, npr // 2)
                continue
            except NeedExtension as exc:
                if ext["d"] is not None:
                    raise
                # start again with columns for √d: primes where d is a square, points in pairs ±√d
                ext["d"] = exc.d
                info["field"] = f"Q(sqrt({exc.d}), pi)"
                all_primes = [q for q in primes_below(1 << 26, 800) if fmpz(exc.d).jacobi(q) == 1][:400]
                for key in store:
                    store[key] = {k: [] for k in store[key]} if key == "res" else []
                known.clear()
                have_pts, have_pr = 0, 0
                continue
            p = np.concatenate(store["p"])
            Pv = np.concatenate(store["P"])
            good = np.concatenate(store["good"])
            keys = sorted(todo, key=lambda t: (names.index(t[0]), t[1]))
            vals = [np.concatenate(store["res"][key]) for key in keys]
            t0 = time.perf_counter()
            bar.set_postfix_str(f"reconstructing {len(keys)} coefficients from {have_pts} points x {have_pr} primes")
            bar.refresh()
            if ext["d"] is None:
                out = _reconstruct_split(keys, vals, p, Pv, good, extra, known, workers)
            else:
                rho = np.concatenate(store["rho"])
                AB = [split_pairs(v, p, rho, good) for v in vals]
                gd = AB[0][2]
                both = _reconstruct_rounds([(nm + "|A", n) for nm, n in keys] + [(nm + "|B", n) for nm, n in keys],
                                           [a for a, _, _ in AB] + [b for _, b, _ in AB], p[0::2], Pv[0::2], gd,
                                           extra, known)
                n_vals = len(vals)
                out = []
                for j in range(n_vals):
                    ra, rb = both[j], both[n_vals + j]
                    out.append(ra if isinstance(ra, str) else rb if isinstance(rb, str) else (ra, rb))
            info.setdefault("reconstruct_seconds", 0.0)
            info["reconstruct_seconds"] += round(time.perf_counter() - t0, 3)
            need_pts = need_pr = False
            for key, res in zip(keys, out):
                if res == "points":
                    need_pts = True
                    info["missing"][key] = "more points needed (degree in π not reached)"
                elif res == "primes":
                    need_pr = True
                    info["missing"][key] = "more primes needed (rational coefficients did not lift)"
                else:
                    found[key] = res
                    todo.discard(key)
                    info["missing"].pop(key, None)
            if verbose:
                print(f"columns {have_pts} x {have_pr}: {len(todo)} left", flush=True)
            # a top-up run costs a fixed overhead (the shadow, Python): grow by a quarter at least
            if need_pts:
                npts = npts + max(8, npts // 4)
            if need_pr:
                npr = npr + max(2, npr // 4)
            if (need_pts or need_pr) and not ext["verify"] and not all(r["verified"] for r in info["runs"]):
                # the runs stopped one Newton step early (optimistic): if that was wrong, their
                # residues would never reconstruct -- start again with verified runs
                ext["verify"] = True
                for key in store:
                    store[key] = {k: [] for k in store[key]} if key == "res" else []
                have_pts, have_pr = 0, 0
    except NotExact as exc:
        info["field"] = f"larger than Q(pi): {exc}"
        info["missing"] = {key: str(exc) for key in todo}
        found = {}
    except (PrecisionError, NotConverged, NeedLongerSeries) as exc:
        info["status"] = f"failed: {exc}"
        info["missing"] = {key: str(exc) for key in todo}
        found = {}
    for key in todo:
        info["missing"].setdefault(key, f"column budget {max_columns} reached")
    info["points"], info["primes"] = have_pts, have_pr
    d = ext["d"]
    extra_forms = {key: form for key, form in found.items() if key[1] > order}
    info["forms_beyond"] = {f"{nm}[{n}]": form for (nm, n), form in extra_forms.items()}
    for (nm, n), form in found.items():
        if n > order:
            continue
        ball = S.coefficient(nm, n)
        if d is None:
            num, den = form
            val = arb_value(num, den, S.prec + 64)
        else:
            (num, den), (num2, den2) = form
            with flint_ctx.workprec(S.prec + 64):
                val = arb_value(num, den, S.prec + 64) + arb_value(num2, den2, S.prec + 64) * arb(d).sqrt()
        if not ball.contains(val):
            # the engine promises about S.dps correct digits; a form within them but outside the
            # ball's (smaller) radius means the ball is too narrow -- recorded, and the form kept
            gap = abs(val - ball)
            tol = arb(10) ** (-S.dps) * (1 + abs(ball))
            if gap < tol:
                info["outside_ball"].append({"coefficient": f"{nm}[{n}]", "gap": float(ball_mid(arb(gap.mid()))),
                                             "radius": float(ball_mid(arb(ball.rad())))})
            else:
                info["failed"].append((nm, n))
                continue
        if d is None:
            expr = closed_form(num, den)
        else:
            expr = closed_form(num, den) + closed_form(num2, den2) * sympy.sqrt(d)
        info["forms"][f"{nm}[{n}]"] = form
        if nm == "F":
            S.loss_exact[n] = expr
        else:
            S.exact[nm][n] = expr
    info["missing"] = {f"{k[0]}[{k[1]}]": v for k, v in sorted(info["missing"].items(), key=lambda t: (names.index(t[0][0]), t[0][1]))
                       if _reported(k, order)}
    # the proof: exact verification over Q(π) against the certificate (prove_forms)
    bar.n = bar.total
    bar.set_postfix_str("proof: exact residual over Q(pi)")
    bar.refresh()
    if not prove:
        info["proof"] = {"status": "checked", "reason": "proof not asked for"}
    elif info["missing"] or info["failed"] or info["outside_ball"]:
        info["proof"] = {"status": "checked", "reason": "not every coefficient has a form inside its ball"}
    elif top > order and any(key[1] > order and key not in found for key in store["res"]):
        info["proof"] = {"status": "checked", "reason": "the forms beyond the order (for y through s^Ny) did not lift"}
    else:
        allforms = {key: form for key, form in found.items()}
        allforms.update(extra_forms)
        try:
            info["proof"] = prove_forms(S, allforms, order, workers=workers, d=d)
        except (NotExact, PrecisionError, ZeroDivisionError) as exc:
            info["proof"] = {"status": "checked", "reason": f"{type(exc).__name__}: {exc}"}
    bar.close()
    info["status"] = info["proof"]["status"]
    info["seconds"] = round(time.perf_counter() - t_start, 3)
    return S


def _workers(workers: int | None) -> int:
    """Worker processes: as asked, else 2 on two cores or more; 1 where fork is not available."""
    import multiprocessing as mp
    import os

    if "fork" not in mp.get_all_start_methods():
        return 1
    if workers is not None:
        return max(1, int(workers))
    return min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def _run_chunk(fam, top, m, y0, cols, prec, d, margin, on_step=None, verify=True):
    """One modular run; a short margin first (the series cost ~ length²), a longer one if the series
    come out short or Newton does not settle (then a non-termination is genuine).  (run, margin)"""
    while True:
        try:
            return modular_series(fam, top, m, y0, cols, prec=prec, d_ext=d, margin=margin, on_step=on_step,
                                  verify=verify), margin
        except (NeedLongerSeries, NotExact) as exc:
            if isinstance(exc, NeedExtension) or margin >= 24:
                raise
            if isinstance(exc, NotExact) and "did not terminate" not in str(exc):
                raise
            margin += 6


_FORKED: dict = {}


def _chunk_job(job):
    """Worker of :func:`_run_parallel` (forked: the family, starting values live in _FORKED)."""
    import time

    st = _FORKED
    t0 = time.perf_counter()
    try:
        cols = columns(job[0], job[1], job[2], d=st["d"])
        R, margin = _run_chunk(st["fam"], st["top"], st["m"], st["y0"], cols, st["prec"], st["d"], st["margin"],
                               verify=st["verify"])
    except NeedExtension as exc:
        return ("NeedExtension", (exc.d, str(exc)))
    except (NeedLongerSeries, NeedMoreColumns, NotExact, PrecisionError, NotConverged) as exc:
        return (type(exc).__name__, str(exc))
    R.balls = {}
    return ("ok", (R, cols, time.perf_counter() - t0, margin))


def _run_parallel(fam, top, m, y0, jobs, prec, ext, nw, bar):
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    _FORKED.clear()
    _FORKED.update(fam=fam, top=top, m=m, y0=y0, prec=prec, d=ext["d"], margin=ext["margin"], verify=ext["verify"])
    out = []
    errors = {"NeedExtension": None, "NeedLongerSeries": NeedLongerSeries, "NeedMoreColumns": NeedMoreColumns,
              "NotExact": NotExact, "PrecisionError": PrecisionError, "NotConverged": NotConverged}
    try:
        with ProcessPoolExecutor(max_workers=nw, mp_context=mp.get_context("fork")) as pool:
            for kind, payload in pool.map(_chunk_job, jobs):
                if kind == "NeedExtension":
                    raise NeedExtension(*payload)
                if kind != "ok":
                    raise errors[kind](payload)
                R, cols, sec, margin = payload
                ext["margin"] = max(ext["margin"], margin)
                if bar.n + len(cols[0]) * R.iterations > bar.total:
                    bar.total = bar.n + 2 * len(cols[0]) * R.iterations
                bar.update(len(cols[0]) * R.iterations)
                bar.set_postfix_str(f"{len(jobs)} chunks in {nw} processes")
                out.append((R, cols, sec))
    finally:
        _FORKED.clear()
    return out


def _reconstruct_rounds(keys, vals, p, Pv, good, extra, known):
    """Reconstruct the coefficients ``keys`` = [(series, n)] from their residues ``vals``, in rounds:
    each coefficient is tried with a guess of its denominator extrapolated from the forms already
    found for lower orders of the same series (``known``, updated in place; none: plain rational
    interpolation), and a coefficient that failed is tried again once the forms found in a round
    change its guess.  With good guesses a coefficient needs about deg(numerator) points instead
    of deg(numerator) + deg(denominator), and primes for its numerator's size alone.  The guesses
    only decide what is tried: every form is confirmed by extra points and a check prime, and
    proven afterwards (:func:`prove_forms`).  Returns, per key, a form or "points" / "primes"."""
    from symcrit.asymptotics.reconstruct import denominator_guess

    res: dict = {}
    tried: dict = {}
    pending = list(range(len(keys)))
    while pending:
        batch = []
        for i in pending:
            sid, n = keys[i]
            g = denominator_guess(known.get(sid, {}), n)
            if i not in tried or tried[i] != g:
                batch.append((i, g))
        if not batch:
            break
        out = reconstruct_batch([vals[i] for i, _ in batch], p, Pv, good, extra=extra, premul=[g for _, g in batch])
        progress = False
        for (i, g), r in zip(batch, out):
            tried[i] = g
            res[i] = r
            if not isinstance(r, str):
                known.setdefault(keys[i][0], {})[keys[i][1]] = r
                progress = True
        pending = [i for i in pending if isinstance(res[i], str)]
        if not progress:
            break
    return [res[i] for i in range(len(keys))]


def _reconstruct_child(conn, keys, vals, p, Pv, good, extra, known):
    try:
        conn.send(("ok", _reconstruct_rounds(keys, vals, p, Pv, good, extra, known), known))
    except Exception as exc:  # reported to the parent, which raises it
        conn.send(("error", f"{type(exc).__name__}: {exc}", None))
    finally:
        conn.close()


def _reconstruct_split(keys, vals, p, Pv, good, extra, known, workers):
    """:func:`_reconstruct_rounds`, with the series split between this process and a forked one
    when ``workers`` > 1 and there is enough to do (the rounds of one series depend only on its own
    forms)."""
    sids = sorted({sid for sid, _ in keys})
    if workers < 2 or len(sids) < 2 or len(keys) * len(p) < 200_000:
        return _reconstruct_rounds(keys, vals, p, Pv, good, extra, known)
    import multiprocessing as mp

    count = {sid: sum(1 for k in keys if k[0] == sid) for sid in sids}
    child, acc_c, acc_h = set(), 0, 0
    for sid in sorted(sids, key=lambda t: -count[t]):  # about half the coefficients each
        if acc_c <= acc_h:
            child.add(sid)
            acc_c += count[sid]
        else:
            acc_h += count[sid]
    ic = [i for i, k in enumerate(keys) if k[0] in child]
    ih = [i for i, k in enumerate(keys) if k[0] not in child]
    kc = {sid: dict(known.get(sid, {})) for sid in child}
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_reconstruct_child,
                       args=(send, [keys[i] for i in ic], [vals[i] for i in ic], p, Pv, good, extra, kc))
    proc.start()
    send.close()
    try:
        out_h = _reconstruct_rounds([keys[i] for i in ih], [vals[i] for i in ih], p, Pv, good, extra, known)
        kind, out_c, known_c = recv.recv()
    finally:
        proc.join()
    if kind != "ok":
        raise NotConverged(f"the reconstruction's second process failed: {out_c}")
    known.update(known_c)
    out: list = [None] * len(keys)
    for i, r in zip(ic, out_c):
        out[i] = r
    for i, r in zip(ih, out_h):
        out[i] = r
    return out


def _reported(key, order) -> bool:
    """True for a coefficient (name, n) reported at ``order`` (n <= order)."""
    return key[1] <= order


# ---------------------------------------------------------------------------------------------
# the proof
def prove_forms(S, forms: dict, order: int | None = None, workers: int | None = None, d: int | None = None) -> dict:
    r"""Prove closed forms of the series ``S`` (certified) exactly, or say why not.

    ``forms``: {(name, n): (num, den)} coefficient lists in P (the reconstruction's format), for
    the parameters through s^(Ny + m_i) (Ny: the order of the certified y-system) and for "F"
    through s^order.  The proof (exact arithmetic in Q(P) ≅ Q(π), :mod:`symcrit.core.ratfun`):

    1. ỹ_i = Σ_{j≤Ny} x̃_i[j + m_i] s^j from the forms; each ỹ_i[j] at π (a ball) lies inside the
       Krawczyk box of the certificate (``S.proof_data``).
    2. The certified system F(c) (coefficients 0 … Ny of T·G(y(c)), T the certificate's exact row
       transform) vanishes *exactly* at c̃ = the forms: T·G(ỹ) is computed over Q(P)[[s]] and every
       coefficient through s^Ny -- including those below s^0 that the certificate drops under its
       structural hypothesis -- is the zero rational function.  Krawczyk proved that F has exactly
       one zero in the box and that its Jacobian's leading block is invertible there; c̃(π) is a
       zero in the box, so it *is* that zero: the forms equal the certified coefficients.
    3. x̃ = x∞ + s^m ỹ reproduces every parameter form through s^order (so the forms below s^m_i
       and of the fixed parameters are the limit's exact values), and the loss series computed
       exactly from x̃ equals the loss forms through s^order.

    ``workers`` > 1 (default: 2 on two cores or more): the loss check runs in a forked process;
    with one, the loss reuses the gradient's square roots and arctangents (:class:`_SharedContext`).
    ``d``: the forms are pairs (A, B) of coefficient-list pairs, the element A + B√d of Q(√d)(P)
    (:mod:`symcrit.core.quadratic`); the arithmetic is then over Q(√d)(P)[[s]].

    A certificate whose row transform has a rounded entry (an irrational null vector, found
    numerically: sk1b, s2) is redone first with an exact transform (:func:`exact_row_transform`,
    entries in the field of the forms, computed from the forms; the Krawczyk test on balls enclosing
    it, :func:`symcrit.asymptotics.engine.recertify`), and steps 1-2 use that certificate.
    Returns {"status": "proven" | "checked", "reason": …, "seconds": …, "residual_order": Ny}."""
    import time

    from symcrit.core.quadratic import quad_from_forms

    t0 = time.perf_counter()
    order = S.order if order is None else order
    workers = _workers(workers)

    def fail(reason):
        return {"status": "checked", "reason": reason, "seconds": round(time.perf_counter() - t0, 3)}

    pd = S.proof_data
    if not S.certificate.get("proven") or pd is None:
        return fail("the ball series has no Krawczyk certificate to compare with")
    fam = S.family
    sp = fam.space
    n = sp.dim
    m = [S.leading_powers[nm] for nm in S.names]
    free, Ny, T, boxes = pd["free"], pd["Ny"], pd["row_transform"], pd["boxes"]
    field = "Q(π)" if d is None else f"Q(√{d})(π)"
    try:
        R = {key: quad_from_forms(f, d) for key, f in forms.items()}
    except (TypeError, ValueError) as exc:
        return fail(f"a form is not in {field}: {exc}")
    transform = "the certificate's (rational)"
    conditional = bool(S.certificate.get("conditional_on_structure"))
    if any(isinstance(c, arb) for row in T for (c, _) in row.values()):
        # a rounded entry: the truncated system's zero is not exactly the series; an exact transform
        try:
            T, boxes, transform, conditional = _exact_certificate(S, R, m, free, Ny, d)
        except (NotExact, PrecisionError, ZeroDivisionError) as exc:
            return fail(f"no exact row transform: {type(exc).__name__}: {exc}")
    ycand = []
    for t, i in enumerate(free):
        nm = S.names[i]
        row = []
        for j in range(Ny + 1):
            f = R.get((nm, j + m[i]))
            if f is None:
                return fail(f"no closed form for {nm}[{j + m[i]}] (the proof needs y through s^{Ny})")
            box = boxes[t][j]
            if not _at_pi_inside(f, box, S.prec + 64):
                return fail(f"the form of {nm}[{j + m[i]}] at π lies outside its certified box")
            row.append(f)
        ycand.append(row)
    lim = exact_limit(fam)
    shift = max([0] + [-p for Ti in T for (_, p) in Ti.values()])
    # exact series cost about length² · degree: as short as the residual allows, longer on demand.
    # The loss carries the orbit sizes (degree dk in k = s^-2): its coefficients through s^order need
    # a relative precision of about order + 2 dk + 1; the gradient rows through s^Ny after the row
    # transform's shift, about Ny + shift + 3 (sk1 at order 20: 25 and 27 are the shortest that do)
    from symcrit.symmetry.blocks import K_SYMBOL

    dk = max([0] + [int(sympy.degree(sympy.sympify(o), K_SYMBOL)) for o in sp.orbit_sizes])
    args = (S, sp, n, m, free, Ny, T, lim, ycand, R, order)
    for extra in (3, 8, 16, 32):
        length, length_loss = Ny + shift + extra, order + 2 * dk + 1 + (extra - 3)
        if workers > 1:  # two processes, see _prove_parallel
            res = _prove_parallel(args, length, length_loss)
        else:  # one process: the loss reuses the gradient's square roots and arctangents
            res = _prove_part(args, max(length, length_loss), ("grad", "params", "loss"), ctx=_SharedContext())
        if res != "short":
            break
    if res is None:
        return {"status": "proven", "reason": None, "residual_order": Ny, "series_length": length,
                "series_length_loss": length_loss if workers > 1 and len(T) // 2 <= 1 else max(length, length_loss),
                "field": field, "row_transform": transform,
                "statement": "the forms are the unique zero of the certified truncated system in its Krawczyk box "
                             f"(the coefficients the balls enclose) and satisfy T·G = O(s^(Ny+1)) exactly in {field}[[s]]",
                # the ball certificate's own condition (if any) is not removed by this proof
                "conditional_on_structure": conditional,
                "seconds": round(time.perf_counter() - t0, 3)}
    if res != "short" and S.certificate.get("conditional_on_structure"):
        res += (" -- the certificate is conditional on the structural hypothesis (structure defect "
                f"{S.certificate.get('structure_defect')}, row transform {S.certificate.get('row_transform')}): "
                "the zero of its truncated system need not be the series' coefficients exactly")
    return fail("the exact residual is too short at every series length tried" if res == "short" else res)


def _at_pi_inside(f, box: arb, prec: int) -> bool:
    """True if the value of the exact element ``f`` at π lies in ``box`` (proven); False when it is
    outside.  A form of high degree evaluated at π loses many bits to cancellation (sk1b's a[43] at
    order 40: a ball of radius 1e-142 at 626 bits, wider than its box), so the precision is raised
    until the ball is inside, or narrow enough (1/16 of the box) that it is not."""
    for p in (prec, 2 * prec, 4 * prec, 8 * prec):
        v = f.at_pi(p)
        if box.contains(v):
            return True
        if v.rad() * 16 < box.rad():
            return False
    return False


def _bound_str(x: arb) -> str:
    """A short decimal upper bound of |x| (a ball), for the record."""
    import mpmath

    return mpmath.nstr(ball_mid(arb((abs(x) + x.rad()).upper())), 3)


def _field_ring(R):
    """The exact ring of the forms' field: Q(P), or Q(√d)(P) when a form has a √d part."""
    from symcrit.core.quadratic import QuadRatFun, QuadRing
    from symcrit.core.ratfun import QPRing

    for f in R.values():
        if isinstance(f, QuadRatFun):
            return QuadRing(f.d)
    return QPRing()


def _apply_rows(T, M):
    """T·M over the ring in force (T: rows {column: (c, p)}, M: rows of LSeries)."""
    from symcrit.asymptotics.structure import apply_transform
    from symcrit.core.laurent import ring_number
    return apply_transform(T, M, ring_number)


def exact_row_transform(M: list, max_steps: int = 12) -> list[dict]:
    """The row transform of the series certificate (:mod:`symcrit.asymptotics.engine`), exactly:
    ``M`` is the scaled Jacobian J·diag(s^m) as LSeries over an exact ring (in force); rows are
    scaled by s^(-valuation), then, while the s^0 block of T·M is singular, an exact left null
    vector v (normalised at its entry of largest magnitude at π, whose row it replaces) combines
    the rows and the combination is divided by its valuation -- the construction of
    :func:`symcrit.asymptotics.structure.build_row_transform`, here on the Jacobian at the forms.
    Returns rows {column: (c, p)} with c in the ring (exact); raises PrecisionError when the block
    stays singular."""
    from symcrit.asymptotics.structure import build_row_transform
    from symcrit.core.laurent import current_ring

    ring = current_ring()
    n = len(M)
    vals = []
    for row in M:
        vs = [e.normalized().v for e in row if e.normalized().r]
        vals.append(min(vs) if vs else 0)

    def block(T):
        TM = _apply_rows(T, M)
        return [[ring.convert(TM[i][j].coeff(0)) for j in range(n)] for i in range(n)]

    def combined_valuation(comb):
        w = [e.normalized() for e in _apply_rows([comb], M)[0]]
        return min((e.v for e in w if e.r), default=None)

    T, _ = build_row_transform(vals, block, combined_valuation, lambda c: abs(ring.mid(c)), ring.convert(0),
                               ring.convert(1), max_steps=max_steps, error=PrecisionError)
    return T


def _exact_certificate(S, R, m, free, Ny, d):
    """An exact row transform from the forms, and the Krawczyk certificate redone with it (balls
    enclosing its entries at π).  (T exact, boxes, a sentence for the record, whether the new
    certificate is conditional on the structural hypothesis)."""
    from symcrit.asymptotics.engine import recertify
    from symcrit.asymptotics.structure import branch_ansatz
    from symcrit.core.laurent import LSeries, SeriesContext, series_precision

    ring = _field_ring(R)
    fam = S.family
    sp = fam.space
    n = sp.dim
    lim = exact_limit(fam)
    try:
        ycand = [[R[(S.names[i], j + m[i])] for j in range(Ny + 1)] for i in free]
    except KeyError as exc:
        raise NotExact(f"no closed form for {exc.args[0]} (the exact transform needs y through s^{Ny})") from None
    T = None
    # the s^0 block and the valuations of the combined rows need only the first coefficients of y
    # (a transform from too few would fail the exact residual or the certificate, never prove)
    for length, ny in ((6, 3), (10, 5), (16, Ny + 1), (32, Ny + 1)):
        try:
            with series_precision(S.prec, length, ring=ring):
                s, x, k = branch_ansatz([lim[i] for i in range(n)], m[:n],
                                        [LSeries.polynomial(c[:ny]) for c in ycand])
                J = sp.compiled["jac"](SeriesContext(), *x, k)
                M = [[J[i * n + j] * (s ** m[j]) for j in free] for i in free]
                T = exact_row_transform(M)
            break
        except PrecisionError:
            if length == 32:
                raise
    prec = S.prec + 64
    Tb = []
    for row in T:
        out = {}
        for j, (c, p) in row.items():
            c = ring.convert(c)
            u = c.u if hasattr(c, "u") else c
            rational = (getattr(c, "v", None) is None and u.n.degree() <= 0 and u.d.degree() == 0)
            out[j] = (fmpq(int(u.n[0]) if u.n.degree() == 0 else 0, int(u.d[0])) if rational else c.at_pi(prec), p)
        Tb.append(out)
    # the midpoints of the first certificate (not the forms: the test stays independent of them)
    y_mid = [[arb(c.mid()) for c in row] for row in S.proof_data["boxes"]]
    cert = recertify(S, Tb, y_mid)
    names = [S.names[i] for i in free]
    shown = [{names[j]: f"{ring.convert(c)} s^{p}" for j, (c, p) in row.items()} for row in T]
    field = "Q(π)" if d is None else f"Q(√{d})(π)"
    text = (f"exact in {field} (from the forms: {shown}); the Krawczyk test redone on balls enclosing it at π "
            f"(contraction {cert['contraction']:.3g}, {cert['attempts']} attempt(s))")
    defect = cert["structure_defect"]
    conditional = not (defect.is_exact() and defect == 0) or any(
        not (isinstance(c, arb) and c.is_exact() and c == 0) for row in cert["dropped"] for c in row)
    text += f"; structure defect {_bound_str(defect)}"
    return T, cert["boxes"], text, conditional


def _prove_part(args, length, parts, rows=None, ctx=None):
    try:
        return _prove_at(*args, length, parts, rows=rows, ctx=ctx)
    except PrecisionError:  # a coefficient beyond a series' precision: longer series
        return "short"


def _prove_child(conn, args, length, rows):
    try:
        conn.send(_prove_part(args, length, ("grad", "loss"), rows=rows, ctx=_SharedContext()))
    except Exception as exc:  # reported to the parent, which records it as the reason
        conn.send(f"error in the loss check: {type(exc).__name__}: {exc}")
    finally:
        conn.close()


def _prove_parallel(args, length, length_loss):
    """The proof in two processes: a forked child checks the loss forms and the transformed
    gradient row(s) ``range(1, len(T) // 2)`` of T·G (sk1: row 1, whose square roots and
    arctangents the loss takes too: :class:`_SharedContext` computes them once), this process the
    other rows and the parameter forms.  For sk1 at order 40 that balances the two sides (about
    5.5 s and 6 s of CPU) where gradient against loss was 6.5 s against 4.2 s."""
    import multiprocessing as mp

    T = args[6]
    rows_child = tuple(range(1, len(T) // 2))
    rows_here = tuple(r for r in range(len(T)) if r not in rows_child)
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    child_length = max(length, length_loss) if rows_child else length_loss
    proc = ctx.Process(target=_prove_child, args=(send, args, child_length, rows_child))
    proc.start()
    send.close()
    try:
        res_g = _prove_part(args, length, ("grad", "params"), rows=rows_here)
        res_l = recv.recv()
    except EOFError:
        res_l = "the loss check's process ended without an answer"
    finally:
        proc.join()
    for res in (res_g, res_l):
        if res is not None and res != "short":
            return res
    return "short" if "short" in (res_g, res_l) else None


class _SharedContext:
    """The series context with its square roots and arctangents remembered by value: an argument
    equal (exactly, in Q(P)[[s]], same valuation and precision) to one met before gets the same
    result.  The loss and the gradient of a fixed-point space evaluate the same pair kernels
    through different expressions, so one process checking both pays for each root once.  Lookup
    by a fingerprint (the coefficients at P = 3 modulo a prime), confirmed by exact comparison."""

    name = "series"
    exact = False

    def __init__(self):
        from symcrit.core.laurent import SeriesContext

        self._base = SeriesContext()
        self._memo: dict = {}

    def __getattr__(self, name):
        return getattr(self._base, name)

    @staticmethod
    def _normal(x):
        from symcrit.core.laurent import LSeries

        x = x if isinstance(x, LSeries) else LSeries.const(x)
        return x.normalized()

    @staticmethod
    def _fingerprint(x):
        q = (1 << 61) - 1
        A = x.A
        if not hasattr(A, "N"):
            return None
        d = int(A.D(3)) % q
        if d == 0:
            return None
        di = pow(d, -1, q)
        return (x.v, x.r, tuple(int(nj(3)) % q * di % q for nj in A.N))

    @staticmethod
    def _same(x, y):
        if x.v != y.v or x.r != y.r:
            return False
        A, B = x.A, y.A
        if len(A.N) != len(B.N):
            return False
        return all(a * B.D == b * A.D for a, b in zip(A.N, B.N))

    def _lookup(self, key, xs, compute):
        if key is None or any(k is None for k in key):
            return compute()
        hit = self._memo.get(key)
        if hit is not None and all(self._same(a, b) for a, b in zip(hit[0], xs)):
            return hit[1]
        out = compute()
        self._memo[key] = (xs, out)
        return out

    def sqrt(self, x):
        xn = self._normal(x)
        return self._lookup(("sqrt", self._fingerprint(xn)), (xn,), lambda: self._base.sqrt(x))

    def atan2(self, y, x):
        yn, xn = self._normal(y), self._normal(x)
        return self._lookup(("atan2", self._fingerprint(yn), self._fingerprint(xn)), (yn, xn),
                            lambda: self._base.atan2(y, x))


_ROWS: dict = {}


def _rows_function(fn, rows):
    """The compiled function ``fn`` returning only the outputs ``rows`` (in that order), with the
    assignments they do not need removed (its source parsed and pruned)."""
    import ast

    from symcrit.core.compile import ipow

    key = (id(fn), tuple(rows))
    hit = _ROWS.get(key)
    if hit is not None and hit[0] is fn:
        return hit[1]
    tree = ast.parse(fn.source)
    f = tree.body[0]
    ret = f.body[-1]
    ret.value.elts = [ret.value.elts[i] for i in rows]
    need = {nd.id for nd in ast.walk(ret) if isinstance(nd, ast.Name)}
    body = []
    for st in reversed(f.body[:-1]):
        if st.targets[0].id in need:
            body.append(st)
            need |= {nd.id for nd in ast.walk(st.value) if isinstance(nd, ast.Name)}
    f.body = list(reversed(body)) + [ret]
    ns = {"_ipow": ipow}
    exec(compile(tree, f"<symcrit:{f.name}:rows>", "exec"), ns)
    _ROWS[key] = (fn, ns[f.name])
    return ns[f.name]


def _prove_at(S, sp, n, m, free, Ny, T, lim, ycand, R, order, length, parts=("grad", "params", "loss"), rows=None,
              ctx=None):
    """Steps 2-3 of :func:`prove_forms` with series of relative precision ``length`` (``parts``:
    "grad" the transformed gradient rows ``rows`` of T·G (default: all), "params" the parameter
    forms, "loss" the loss forms; ``ctx`` the series context, default a fresh
    :class:`_SharedContext`): None (proven), "short" (a series came out too short: try longer) or
    the reason of a failure."""
    from symcrit.asymptotics.structure import branch_ansatz
    from symcrit.core.laurent import LSeries, series_precision

    def fail(reason):
        return reason

    ctx = _SharedContext() if ctx is None else ctx
    rows = tuple(range(len(T))) if rows is None else tuple(rows)
    ring = _field_ring(R)
    with series_precision(S.prec, length, ring=ring):
        s, x, k = branch_ansatz([lim[i] for i in range(n)], m[:n], [LSeries.polynomial(c) for c in ycand])
        if "grad" in parts and rows:
            need = sorted({free[j] for r in rows for j in T[r]})  # the gradient entries these rows use
            gval = dict(zip(need, _rows_function(sp.compiled["grad"], need)(ctx, *x, k)))
            for row_t in rows:
                acc = None
                for j, (c, p) in T[row_t].items():
                    term = gval[free[j]] * (s ** p) * ring.convert(c)
                    acc = term if acc is None else acc + term
                if acc.prec <= Ny:
                    return "short"
                nz = acc.normalized()
                if nz.r and nz.v <= Ny:
                    return fail(f"row {row_t} of the transformed residual T·G at the forms has a nonzero "
                                f"coefficient at s^{nz.v} (exactly, in Q(π))")
        if "loss" in parts:
            F = sp.compiled["loss"](ctx, *x, k)[0]
            if F.prec <= order:
                return "short"
            for j in range(order + 1):
                f = R.get(("F", j))
                if f is None:
                    return fail(f"no closed form for F[{j}]")
                if not (F.coeff(j) == f):
                    return fail(f"the loss form F[{j}] differs from the loss of the forms (exactly)")
        if "params" in parts:
            for i in range(n):
                nm = S.names[i]
                if x[i].prec <= order:
                    return "short"
                for j in range(order + 1):
                    f = R.get((nm, j))
                    if f is None:
                        return fail(f"no closed form for {nm}[{j}]")
                    if not (x[i].coeff(j) == f):
                        return fail(f"the form of {nm}[{j}] differs from x∞ + s^m ỹ (exactly)")
    return None
