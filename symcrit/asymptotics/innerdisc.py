r"""The family's branch proven analytic on the inner disc |s| <= r0 around s = 0 (k = s^-2 = ∞).

The annulus proof (:func:`symcrit.asymptotics.singularities.prove_disc`) covers r0 <= |s| <= r by
discs of radius ∝ |s|: they cannot reach s = 0, where k = s^-2 has its pole.  Here the inner disc
is done in the coordinates of the series certificate (:mod:`symcrit.asymptotics.engine`):
x = x∞ + s^m y (per parameter), and the transformed system

    H(s, y) = T(s)·G(x∞ + s^m y, s^-2),

T the exact row transform of :mod:`symcrit.asymptotics.structure` (entries c s^p, c in Q(π)).

**Method.**  On |s| <= r0, with ŷ(s) a polynomial (the certified series' midpoints, refined by two
Newton steps on power series) and the polydisc Y(s) = {y : |y_i - ŷ_i(s)| <= eps}:

1. H(s, ŷ(s)) and the y-Jacobian ∂H/∂y(s, ŷ(s) + Δ) (dual numbers: the derivative of the same
   evaluation; Δ a complex ball of half-width eps in every component) are evaluated as
   valuation-form Taylor models (:mod:`symcrit.core.vtaylor`): F(s) = s^v(p̃(s) + s^(N+1)E(s)),
   analytic on 0 < |s| <= r0 for every Δ in the box, every branch decision (a square root of
   s^(2w)u with Re u > 0, an inverse of s^w u with |u| bounded below, the dominant argument of an
   atan2 and its sign, a sign) proven on the whole disc and box, taken as the series context takes
   them;
2. **the negative powers are dropped.**  F is meromorphic at 0 (E is bounded, so analytic at 0).
   Its Laurent coefficients below s^0 vanish: the structure proof
   (:func:`symcrit.asymptotics.structure.prove_structure`, required here: ``proven`` and the
   certified y(0) inside its box) shows that every coefficient of T·G below s^0 is the zero
   rational function of (π, y), with the branch decisions of the series context; for y = y(s)
   analytic (ŷ(s) + Δ) the Laurent expansion of H(s, y(s)) at 0 is the formal composition of
   those expansions (every operation is one on convergent expansions whose leading coefficient
   was decided, here on the disc and box), so its part below s^0 is Σ_(j<0) h_j(y(s)) s^j with
   h_j = 0 identically, and the same for ∂H/∂y (the y-derivatives of zero functions).  So
   F - s^v s^(N+1) E = s^v p̃ is a Laurent polynomial whose negative part equals F's, i.e. 0:
   the balls of p̃ at negative powers contain the true coefficient 0 (checked: a ball that does not
   contain 0 refutes the structure, :class:`symcrit.core.vtaylor.NotAnalytic`) and replacing them
   by exact zeros keeps the enclosure (v + N + 1 >= 0 is required: the remainder is analytic);
3. **the parametric Krawczyk test**, as in :func:`symcrit.asymptotics.singularities.disc_krawczyk`:
   with A(s) a polynomial approximation of (∂H/∂y)^-1(s, ŷ(s)), beta_i >= sup |(A H(s, ŷ))_i|
   and E_ij >= sup |(I - A ∂H/∂y(s, ŷ + Δ))_ij| over the disc and the box, beta_i + Σ_j E_ij eps
   < eps proves, for every |s| <= r0: exactly one zero y(s) of H(s, ·) in Y(s), ∂H/∂y invertible
   there, so (implicit function theorem, uniqueness) y(s) is analytic on the disc, including
   s = 0; it lies within beta_i + Σ_j E_ij eps of ŷ(s).  (At s = 0 the implicit function theorem
   needs H̃(s, Δ) = H(s, ŷ(s) + Δ) analytic in (s, Δ) jointly: it is analytic on the punctured
   disc times the open box and bounded there, uniformly in Δ, by the models, so it extends
   analytically across s = 0 (Riemann's extension theorem).)

For s ≠ 0, T(s) is invertible (diagonal powers of s and row operations with pivot 1), so
x(s) = x∞ + s^m y(s) is a zero of the entry gradient G (with the series context's branches);
at s = 0 the certified series coefficients y(0) lie in Y(0), so the series certificate's branch
(the implicit-function-theorem branch through y(0)) is this y(s): **the series converges on
|s| < r0 at least** (its Taylor series is that of an analytic function on the disc).  That it is
the family's branch (the real critical points at finite k) follows from the gluing to the annulus
(:func:`symcrit.asymptotics.singularities.prove_disc` with ``inner``), which identifies the real
branch at k = 25.

Only the case where every parameter is free (no parameter fixed at its limit) is handled (sk,
sk1, sk1b, s2 are such); otherwise the proof refuses.

>>> from symcrit.critical.families import family
>>> res = prove_inner_disc(family("sk"), 0.02)                 # doctest: +SKIP
>>> res["proven"], res["r0"]                                   # doctest: +SKIP
(True, '0.02')
"""
from __future__ import annotations

import time
from typing import Any

from flint import acb, acb_mat, acb_series, arb, ctx as flint_ctx, fmpq

from symcrit.core.dual import Dual, DualOver
from symcrit.core.errors import BranchLost, PrecisionError
from symcrit.core.laurent import series_precision
from symcrit.core.vtaylor import NotAnalytic, VTaylorContext, VTaylorModel

__all__ = ["prove_inner_disc", "InnerBranch", "INNER_ORDER"]

INNER_ORDER = 24   # the relative degree N of the valuation-form Taylor models


def _exact_acb(v: Any) -> acb:
    if isinstance(v, acb):
        return v
    if isinstance(v, arb):
        return acb(v)
    if isinstance(v, fmpq):
        return acb(arb(v))
    if isinstance(v, int):
        return acb(v)
    from fractions import Fraction
    f = Fraction(v)
    return acb(arb(fmpq(f.numerator, f.denominator)))


class InnerBranch:
    """The proven inner branch y(s) on |s| <= r0, for gluing: the polydisc Y(s) of uniqueness
    (centre ŷ(s), radius ``eps``), the map to x, and the branch values of the formulas (the
    recorded sqrt/atan2/sign calls of the entry gradient at ŷ(s) + Δ, as valuation-form models)."""

    def __init__(self, r0: arb, eps: float, yhat: list, m: list, lim: list, values: list, prec: int,
                 enclosure: list) -> None:
        self.r0, self.eps, self.yhat, self.m, self.lim = r0, eps, yhat, m, lim
        self.branch_values_models = values
        self.prec = prec
        self.enclosure = enclosure

    def centre(self, s: acb) -> list:
        """ŷ(s) (acb balls)."""
        out = []
        for p in self.yhat:
            v = acb(0)
            for c in reversed(p):
                v = v * s + c
            out.append(v)
        return out

    def x_box(self, s: acb) -> list:
        """x∞ + s^m (ŷ(s) + Δ), Δ the complex square of half-width eps: a box of x holding the
        image of the polydisc Y(s)."""
        d = acb(arb(0, self.eps), arb(0, self.eps))
        return [L + s ** mi * (c + d) for L, mi, c in zip(self.lim, self.m, self.centre(s))]

    def inside(self, xs: list, s: acb) -> bool:
        """True if the box xs (of x) lies, mapped to y = (x - x∞)/s^m, strictly inside the polydisc
        Y(s) (proven)."""
        e = arb(self.eps)
        for x, L, mi, c in zip(xs, self.lim, self.m, self.centre(s)):
            if not abs((x - L) / s ** mi - c) < e:
                return False
        return True

    def values(self, s: acb) -> list:
        """(kind, value at s) of every sqrt/atan2/sign call: enclosures for every y in Y(s)."""
        out = []
        for kind, v in self.branch_values_models:
            out.append((kind, v if kind == "sigma" else v.at(s)))
        return out


def _series_data(fam, S, order):
    from symcrit.asymptotics.engine import compute_series
    if S is None:
        S = compute_series(fam, order=order, dps=30)
    return S


def _evaluate(fam, ctx, T, m, lim, ys, dual_col=None):
    """H(s, y) = T·G(x∞ + s^m y, s^-2) on models; with ``dual_col`` j, the derivative in y_j too
    (Dual numbers over the model context): returns the list of (value, derivative) then."""
    s = ctx.variable()
    k = ctx.power(-2)
    xs = []
    for i, (L, mi, y) in enumerate(zip(lim, m, ys)):
        x = ctx.constant(L) + ctx.power(mi) * y
        if dual_col is not None:
            x = Dual(x, ctx.power(mi) if i == dual_col else ctx.constant(0))
        xs.append(x)
    c = ctx if dual_col is None else DualOver(ctx)
    G = fam.space.compiled["grad"](c, *xs, Dual(k, ctx.constant(0)) if dual_col is not None else k)
    out = []
    for row in T:
        acc = None
        for j, (cf, p) in sorted(row.items()):
            g = G[j]
            if dual_col is None:
                term = ctx.convert(g) * ctx.power(p) * cf
            else:
                g = Dual.lift(g)
                term = Dual(ctx.convert(g.re) * ctx.power(p) * cf, ctx.convert(g.du) * ctx.power(p) * cf)
            acc = term if acc is None else acc + term
        out.append(acc)
    if dual_col is None:
        return out
    return [(o.re, o.du) for o in out]


def _poly_of(F: VTaylorModel, N: int) -> list:
    """The midpoint coefficients of s^0 … s^N of an analytic model (principal part dropped)."""
    return [acb(c.mid()) for c in F.coefficients(0, N)]


def _inverse_series(J: list, N: int) -> list:
    """A (n×n coefficient lists, midpoints) ≈ J^-1 mod s^(N+1) by Newton's method on series."""
    n = len(J)
    L = N + 1
    Js = [[acb_series(J[i][j], prec=L) for j in range(n)] for i in range(n)]
    J0 = acb_mat([[J[i][j][0] for j in range(n)] for i in range(n)]).inv()
    A = [[acb_series([acb(J0[i, j].mid())], prec=L) for j in range(n)] for i in range(n)]

    def mul(X, Y):
        return [[sum((X[i][l] * Y[l][j] for l in range(n)), acb_series([0], prec=L)) for j in range(n)]
                for i in range(n)]

    for _ in range(max(2, (N + 1).bit_length() + 1)):
        JA = mul(Js, A)
        R = [[(acb_series([1], prec=L) if i == j else acb_series([0], prec=L)) - JA[i][j] for j in range(n)]
             for i in range(n)]
        AR = mul(A, R)
        A = [[acb_series([acb(c.mid()) for c in (A[i][j] + AR[i][j]).coeffs()], prec=L) for j in range(n)]
             for i in range(n)]
    return [[(list(A[i][j].coeffs()) + [acb(0)] * L)[:L] for j in range(n)] for i in range(n)]


def prove_inner_disc(fam: Any, r0: float, order: int = INNER_ORDER, series_order: int = 8, prec: int = 192,
                     eps: float | None = None, S: Any = None, transform: list | None = None,
                     yhat: list | None = None, require_structure: bool = True, newton_steps: int = 2) -> dict:
    r"""Prove that the family's series branch y(s) (x = x∞ + s^m y) is analytic on the closed disc
    |s| <= r0 (see the module docstring).

    ``order``: the relative degree N of the models; ``series_order``: the order of the certified
    series used for ŷ (``S``: a Series to use instead); ``eps``: the radius of the polydisc
    (default 8 times the residual bound); ``transform`` / ``yhat``: replace the certified row
    transform / the polynomial ŷ (coefficient lists per free parameter), for tests: with another
    transform the result is never ``proven`` (the structure proof is of the certified one), with
    another ŷ it is proven only if the test passes; ``require_structure=False`` bypasses the refusal when the
    structure proof is missing (for tests: the dropping of negative powers is then unjustified and
    the result says ``proven`` False whatever the test gives).

    Returns a dict: ``proven``, ``statement``, ``failure``, ``r0`` (a decimal string: the exact
    binary radius used), ``eps``, ``enclosure`` (per free parameter, the bound of |y_i(s) -
    ŷ_i(s)|), ``beta``, ``contraction``, ``order``, ``seconds``, ``dropped`` (the largest radius of
    a dropped negative-power ball), and ``branch`` (an :class:`InnerBranch` for the gluing; not
    JSON: :func:`symcrit.asymptotics.singularities.prove_disc` consumes it)."""
    t0 = time.time()
    r0 = float(r0)
    r0 = float(int(r0 * 2 ** 40)) / 2 ** 40
    out: dict[str, Any] = {"family": fam.id, "r0": repr(r0), "order": order, "proven": False, "branch": None}

    def fail(reason):
        out["failure"] = reason
        out["statement"] = f"NOT proven: {reason}"
        out["seconds"] = round(time.time() - t0, 2)
        return out

    S = _series_data(fam, S, series_order)
    pd = S.proof_data
    if pd is None:
        return fail("the series has no certificate")
    sp = S.certificate.get("structure_proof", {})
    if not sp.get("proven") and require_structure:
        return fail("the structural hypothesis is not proven (structure_proof): the negative powers of s "
                    "cannot be dropped")
    free = list(pd["free"])
    n = fam.space.dim
    if free != list(range(n)):
        return fail("a parameter is fixed at its limit: the inner disc handles only families with every "
                    "parameter free")
    m = [S.leading_powers[nm] for nm in S.names]
    from symcrit.asymptotics.engine import exact_limit
    N = order
    with series_precision(prec, 2 * N + 9):
        lim = [_exact_acb(v) for v in exact_limit(fam)]
        T = transform if transform is not None else pd["row_transform"]
        Tb = [{j: (_exact_acb(c.at_pi(prec)) if hasattr(c, "at_pi") else _exact_acb(c), int(p))
               for j, (c, p) in row.items()} for row in T]
        if yhat is None:
            yhat = [[acb(b.mid()) for b in box] for box in pd["boxes"]]
        else:
            yhat = [[_exact_acb(c) for c in p] for p in yhat]
        boxes = pd["boxes"]
        rho = arb(r0)
        ctx = VTaylorContext(N, rho)
        try:
            # ŷ refined by Newton steps on series (midpoints): more correct coefficients
            for _ in range(newton_steps):
                f = [F.drop_principal() for F in _evaluate(fam, ctx, Tb, m, lim, [ctx.model(p) for p in yhat])]
                J: list[list[Any]] = [[None] * n for _ in range(n)]
                for j in range(n):
                    col = _evaluate(fam, ctx, Tb, m, lim, [ctx.model(p) for p in yhat], dual_col=j)
                    for i in range(n):
                        J[i][j] = _poly_of(col[i][1].drop_principal(), N)
                A = _inverse_series(J, N)
                fp = [_poly_of(F, N) for F in f]
                L = N + 1
                upd = []
                for i in range(n):
                    acc = acb_series([0], prec=L)
                    for j in range(n):
                        acc += acb_series(A[i][j], prec=L) * acb_series(fp[j], prec=L)
                    upd.append((list(acc.coeffs()) + [acb(0)] * L)[:L])
                yhat = [[acb((a - b).mid()) for a, b in zip((p + [acb(0)] * L)[:L], u)] for p, u in zip(yhat, upd)]
            # the proof
            Ym = [ctx.model(p) for p in yhat]
            f = _evaluate(fam, ctx, Tb, m, lim, Ym)
            dropped = max((float(c.rad()) for F in f for c in F.coefficients(F.v, -1)), default=0.0)
            f = [F.drop_principal() for F in f]
            Jc: list[list[Any]] = [[None] * n for _ in range(n)]
            for j in range(n):
                col = _evaluate(fam, ctx, Tb, m, lim, Ym, dual_col=j)
                for i in range(n):
                    Jc[i][j] = col[i][1].drop_principal()
            A = _inverse_series([[_poly_of(Jc[i][j], N) for j in range(n)] for i in range(n)], N)
            Am = [[ctx.model(A[i][j]) for j in range(n)] for i in range(n)]
            Af = [sum((Am[i][j] * f[j] for j in range(n)), ctx.constant(0)) for i in range(n)]
            beta = [F.sup() for F in Af]
            bmax = max(beta)
            # eps: 8 times the residual bound; once more with eps = 4 beta/(1 - E) if the contraction E
            # stays below 0.95 but the first eps was too small (the test itself decides, whatever eps)
            tries = [eps] if eps is not None else [float(arb(float((8 * bmax).upper()) + 2.0 ** (-prec + 64)).upper()), None]
            Emax: float = float("inf")
            for e_try in tries:
                if e_try is None:
                    if not (Emax < 0.95):
                        break
                    e_try = float((4 * bmax / (1 - arb(Emax))).upper())
                eps = e_try
                ea = arb(eps)
                dball = acb(arb(0, eps), arb(0, eps))
                Yd = [ctx.model([p[0] + dball] + list(p[1:])) for p in yhat]
                Jd: list[list[Any]] = [[None] * n for _ in range(n)]
                for j in range(n):
                    col = _evaluate(fam, ctx, Tb, m, lim, Yd, dual_col=j)
                    for i in range(n):
                        Jd[i][j] = col[i][1].drop_principal()
                        dropped = max([dropped] + [float(c.rad()) for c in col[i][1].coefficients(col[i][1].v, -1)])
                E = [[(ctx.constant(1 if i == j else 0)
                       - sum((Am[i][l] * Jd[l][j] for l in range(n)), ctx.constant(0))).sup() for j in range(n)]
                     for i in range(n)]
                rows = [sum(E[i], arb(0)) for i in range(n)]
                Emax = float(max(rows).upper())
                enc = [beta[i] + rows[i] * ea for i in range(n)]
                ok = all(e < ea for e in enc) and all(e.is_finite() for e in enc)
                if ok:
                    break
            # the branch values on the polydisc (for the gluing)
            rctx = VTaylorContext(N, rho, record=True)
            _evaluate(fam, rctx, Tb, m, lim, [rctx.model([p[0] + dball] + list(p[1:])) for p in yhat])
        except (NotAnalytic, PrecisionError, ZeroDivisionError, ValueError, BranchLost) as exc:
            return fail(f"H is not enclosed as an analytic function on the disc |s| <= {r0:.6g} "
                        f"({type(exc).__name__}: {exc})")
        # the certified series' y(0) must lie in the polydisc at s = 0 (then the branch is the series')
        y0_in = all(abs(acb(b[0]) - p[0]) < ea for b, p in zip(boxes, yhat))
    out.update({"eps": eps, "beta": float(bmax.upper()), "contraction": float(max(rows).upper()),
                "enclosure": {nm: float(e.upper()) for nm, e in zip(S.names, enc)}, "dropped": dropped,
                "structure_required": require_structure})
    if not ok:
        return fail(f"Krawczyk: not contracting on |s| <= {r0:.6g} (residual bound {out['beta']:.3g}, eps "
                    f"{eps:.3g}, contraction {out['contraction']:.3g})")
    if not y0_in:
        return fail("the certified series coefficient y(0) is not inside the polydisc at s = 0")
    if not require_structure:
        return fail("the structure proof was bypassed: the negative powers were dropped without proof")
    if transform is not None:
        return fail("the row transform was replaced: the structure proof covers the certified one only")
    assert eps is not None
    out["branch"] = InnerBranch(rho, eps, yhat, m, lim, rctx.values, prec, enc)
    out["proven"] = True
    out["failure"] = None
    out["statement"] = (f"the series branch x = x∞ + s^m y(s) of {fam.id} is analytic on the closed disc |s| <= "
                        f"{r0:.6g} (proven: valuation-form Taylor models of degree {N}, the negative powers of "
                        f"T·G dropped by the structure proof, a parametric Krawczyk test with eps = {eps:.3g}, "
                        f"contraction {out['contraction']:.3g}); its series converges there")
    out["seconds"] = round(time.time() - t0, 2)
    return out
