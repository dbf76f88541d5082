"""Series of a family in s = k^(-1/2): the public entry point, and validation.

:func:`series` expands a family (cached per registered family, order and precision; closed forms
on request), :func:`validate` compares truncations with the exact critical points.  The engine
itself is :mod:`symcrit.asymptotics.engine`.

>>> from symcrit.critical.families import family
>>> S = series(family("sk1"), order=4, dps=30)
>>> S.leading_powers
{'a': 2, 'b': 2, 'c': 2, 'd': 4, 'e': 4}
"""
from __future__ import annotations

import functools
from typing import Any, Iterable

import mpmath
import numpy as np

from symcrit.core.numbers import Exact, parse_k, to_mpf
from symcrit.asymptotics.engine import Series as EngineSeries, compute_series, leading_powers, series_progress
from symcrit.asymptotics.exact import attach_exact
from symcrit.critical.families import Family, family, is_registered

__all__ = ["series", "Series", "leading_powers", "validate"]


# ---------------------------------------------------------------------------------------------
class Series(EngineSeries):
    """A family's series as :func:`series` returns it: the engine's :class:`~symcrit.asymptotics.engine.Series`
    (coefficients, certificate, exact forms) with the analyses built on it."""

    @classmethod
    def of(cls, S: EngineSeries) -> "Series":
        """The same series (its attributes shared, nothing recomputed) with these methods."""
        if isinstance(S, cls):
            return S
        new = cls.__new__(cls)
        new.__dict__.update(vars(S))
        return new

    def singularities(self, prove_disc: bool = False, exact_radius: bool = False, **disc_options: Any) -> dict:
        """The nearest singularities of the family's branch x(s) and the radius of convergence
        (:func:`symcrit.asymptotics.singularities.singularities`, with this series' Padé poles as the
        cross-check).  ``prove_disc=True`` also proves the branch analytic on the disc |s| < R
        (:func:`~symcrit.asymptotics.singularities.prove_disc`, minutes), ``exact_radius=True`` R = |s_c|
        exactly; other keyword arguments go to ``prove_disc``.  Each statement says whether it is
        proven, checked or estimated."""
        from symcrit.asymptotics import singularities as sing_mod

        sing = sing_mod.singularities(self.family, S=self)
        if prove_disc or exact_radius:
            if exact_radius:
                disc_options["exact"] = True
            sing = sing_mod.with_analyticity(sing, sing_mod.prove_disc(self.family, sing=sing, **disc_options))
        return sing


def series(fam: Family, order: int = 20, dps: int = 50, exact: bool = False, progress: bool = False) -> Series:
    """Expand the family ``fam`` in s = k^(-1/2) through s^order (ball coefficients with about
    ``dps`` correct digits).  ``exact=True`` also derives closed forms (:mod:`symcrit.asymptotics.exact`).
    ``progress``: progress bars on stderr (the order reached; the exact forms identified)."""
    with series_progress(progress):
        S = _series_cached(fam, order, dps)
        if exact and (S.exact_info is None or S.exact_info.get("route") != "modular"):
            attach_exact(S)  # once per cached series
    return S


@functools.lru_cache(maxsize=64)
def _series_cached_key(fam_id, order, dps):
    return Series.of(compute_series(family(fam_id), order, dps))


def _series_cached(fam, order, dps):
    if is_registered(fam):
        return _series_cached_key(fam.id, order, dps)
    return Series.of(compute_series(fam, order, dps))


def validate(fam: Family, order: int, ks: Iterable[Exact | str], dps: int = 40, S: Series | None = None,
             progress: bool = False, enclosures: bool = True, analyticity: bool | dict = False) -> dict[str, Any]:
    """Compare the truncated series with the exact critical points.

    With ``analyticity`` (True, or a dict of keyword arguments such as ``eps_R``, ``r0``), also
    :func:`symcrit.asymptotics.singularities.prove_disc` (minutes): the branch proven analytic on
    an annulus r0 <= |s| <= R(1 - eps_R) and on the inner disc |s| <= r0, glued, result in
    ``analyticity``, and the tail bounds from its proven enclosures (proven when the whole disc
    is); with ``analyticity`` asking ``exact`` (the CLI's default), also R = |s_c|: then
    ``radius_proven`` is the proven enclosure of R = |s_c| and ``k_convergence_proven`` that of
    k_c = 1/R², else why not (``singularity_evidence['radius_exact_failure']``).  ``radius_outcome``
    (:func:`symcrit.asymptotics.singularities.radius_outcome`) and ``radius_standing`` say what is
    proven about R.

    Returns a dict with, for each k, the errors (max over parameters, and of F) of the truncations
    through s^0 … s^order (``param_error``, measured at the working precision) and, with
    ``enclosures``, ``param_error_enclosure``: for each order N a rigorous enclosure [lo, hi]
    (decimal strings, rounded outwards) of max_i |S_N,i(k) - x_i(k)|, from the Krawczyk box of
    the critical point and the ball value of the truncated series.  Each row says whether the
    series converges at that k (s < R, R the proven radius of convergence from
    :func:`symcrit.asymptotics.singularities.singularities`) or is only asymptotic, with the
    optimal truncation order and its error, and ``tail_bound`` (where s < 0.99 R): Cauchy's estimate
    of the error of the order-``order`` truncation for every k' >= k (checked, not proven; see
    :func:`symcrit.asymptotics.singularities.tail_bound`).  Also: ``singularities``, ``radius`` (R),
    ``k_convergence`` (1/R²), ``radius_fit`` (the old least-squares estimate, per parameter),
    ``cross_check`` (Padé poles and the ratio radius |c_n|^(-1/n) of the coefficients, estimates
    shown beside the proven singularity, never the verdict) and a verdict at the smallest k.
    """
    from symcrit.asymptotics.singularities import singularities, tail_bound, prove_disc, with_analyticity, radius_outcome
    ks = [parse_k(k) for k in ks]  # exact: int, Fraction (never through a float)
    S = S or series(fam, order=order, dps=dps, progress=progress)
    sing = singularities(fam, S=S)
    disc = (prove_disc(fam, sing=sing, progress=progress, **(analyticity if isinstance(analyticity, dict) else {}))
            if analyticity is not False else None)
    if disc is not None:
        sing = with_analyticity(sing, disc)
    R_lo, R_hi = _radius_bounds(sing)
    rows = []
    from tqdm import tqdm
    import sys
    for k in tqdm(ks, desc=f"validate {fam.id}", unit="k", disable=not progress, leave=False, file=sys.stderr):
        cp = fam.solve(k, dps=dps, verify=False)
        errs, ferrs = [], []
        with mpmath.workdps(dps + 10):  # compare at the working precision, not at mpmath's default
            for N in range(order + 1):
                ev = S.evaluate(k, order=N)
                errs.append(float(max(abs(ev[nm] - cp.params[nm]) for nm in S.names)))
                ferrs.append(float(abs(ev["F"] - cp.loss)))
            s_k = to_mpf(k) ** -0.5
        best = int(np.argmin(errs))
        mode = _mode(s_k, R_lo, R_hi)
        row = {"k": k, "s": float(s_k), "param_error": errs, "loss_error": ferrs,
               "converges": None if mode == "undecided" else mode == "converges", "mode": mode,
               "optimal_order": best, "optimal_error": errs[best],
               "tail_bound": tail_bound(sing, k, order, disc=disc)}
        if enclosures:
            row["param_error_enclosure"] = _error_enclosures(S, cp, k, order, dps)
            row["optimal_error_enclosure"] = None if row["param_error_enclosure"] is None else \
                row["param_error_enclosure"][best]
        rows.append(row)
    fit = S.radius_estimate()
    rho = min(fit.values())
    k_lo = min(ks, key=float)
    row = next(r for r in rows if r["k"] == k_lo)
    e = row["param_error"]
    best = row["optimal_order"]
    mode = row["mode"]
    how = {"converges": "converges", "asymptotic": "is only asymptotic",
           "undecided": "is at the radius of convergence (undecided)"}[mode]
    verdict = {
        "k": k_lo, "s": row["s"], "radius": sing["radius"], "k_convergence": sing["k_convergence"],
        "radius_estimate": rho,
        "converges": row["converges"], "mode": mode,
        "optimal_order": best, "optimal_error": e[best], "error_at_max_order": e[-1],
        "standing": _standing(sing),
        "text": (f"at k = {k_lo} (s = {row['s']:.4f}) the series {how}: " + _radius_sentence(sing)
                 + f"; the error is smallest at order {best} ({e[best]:.2e}) and {e[-1]:.2e} at order {order}"),
    }
    outcome = sing.get("radius_outcome") or radius_outcome(sing)
    return {"family": fam.id, "order": order, "rows": rows, "radius": sing["radius"],
            "k_convergence": sing["k_convergence"], "radius_outcome": outcome,
            "radius_standing": {"exact": "proven", "interval": "proven interval", "infinite": "proven"}.get(
                outcome["outcome"], outcome["outcome"]),
            "radius_proven": sing.get("radius_proven"), "k_convergence_proven": sing.get("k_convergence_proven"),
            "singularities": sing["singularities"],
            "singularity_evidence": {key: sing.get(key) for key in ("proven", "checked", "estimated", "radius_enclosure",
                                                                    "nearer", "none_nearer_proven", "radius_lower_proven",
                                                                    "radius_upper_proven", "radius_proven",
                                                                    "fold_on_branch_proven", "radius_exact_proven",
                                                                    "radius_exact_failure", "k_convergence_proven")},
            "error_standing": {
                "param_error": "measured at the working precision against the solved point (an estimate of the error)",
                "param_error_enclosure": "proven: the Krawczyk box of the critical point at that k and the ball "
                                         "value of the truncated series, at that k only",
                "tail_bound": ("proven: Cauchy's estimate for every k' >= k, with x(s) proven analytic on the closed "
                               "disc |s| <= r (the inner disc by valuation-form Taylor models, the annulus by "
                               "Taylor-model discs, glued: 'analyticity') and M proven on |s| = r"
                               if disc is not None and disc.get("proven") and disc.get("whole_disc") else
                               "checked, not proven: Cauchy's estimate for every k' >= k, with r and M proven on the "
                               "annulus of 'analyticity' (Taylor-model discs); analyticity inside its inner radius "
                               "is not proven" if disc is not None and disc.get("proven") else
                               "checked, not proven: Cauchy's estimate with M from the branch continued numerically "
                               "around |s| = 0.99R, for every k' >= k (proven only if x(s) were proven analytic in "
                               "|s| <= r: see singularity_evidence['nearer'] and validate(analyticity=True))")},
            "radius_fit": fit, "cross_check": sing.get("cross_check"), "verdict": verdict,
            "analyticity": sing.get("analyticity"),
            "tail_bounds": _tail_bounds(sing, rows, order, disc, tail_bound)}


def _tail_bounds(sing, rows, order, disc, tail_bound):
    """Cauchy's tail bound for every truncation order N = 0..order at the smallest k of the rows
    where it applies (s < r), for every k' >= k."""
    for row in sorted(rows, key=lambda r: r["s"], reverse=True):
        if row["tail_bound"] is not None:
            return [tail_bound(sing, row["k"], N, disc=disc) for N in range(order + 1)]
    return None


def _standing(sing):
    """How well the radius is established: 'proven' only if the singularity, 'none nearer' (the
    whole disc |s| <= r) and 'the fold is on the branch' are (then R lies in the proven interval
    ``radius_proven``); a proven singularity with the rest checked gives 'checked'."""
    if sing["radius"] == "inf":
        return "proven"
    if sing.get("none_nearer_proven") and sing.get("radius_upper_proven"):
        return "proven"
    ss = sing["singularities"]
    if ss and ss[0]["certified"] and sing.get("none_nearer_checked") and ss[0]["evidence"].get("reached_by_continuation"):
        return "checked"
    return "estimated"


def _radius_sentence(sing):
    if sing["radius"] == "inf":
        return "the branch is constant (proven), the series is exact"
    ss = sing["singularities"]
    first = (f"a singularity of the branch is proven at |s| = {_short(sing['radius'])} (k = "
             f"{_short(ss[0]['k'][0])} {'+' if not ss[0]['k'][1].startswith('-') else '-'} "
             f"{_short(ss[0]['k'][1].lstrip('-'))}i)" if ss and ss[0]["certified"] else
             f"a singularity of the branch is located (not proven) at |s| = {_short(sing['radius'])}")
    if sing.get("radius_exact_proven") and sing.get("radius_proven"):
        # the strongest fact settles it: no need to list the weaker statements it implies
        lo, hi = sing["radius_proven"]
        kc = sing.get("k_convergence_proven")
        return (first + f"; proven: R = |s_c| in [{lo}, {hi}] (the branch is analytic on the open disc |s| < |s_c|: "
                f"the covering reaches the fold and the curve through it covers the disc left out), so the series "
                f"converges exactly for real k > k_c = 1/R²"
                + (f", k_c in [{kc[0]}, {kc[1]}]" if kc else ""))
    nearer = ("checked (continuation around a circle and on a grid of rays)" if sing.get("none_nearer_checked")
              else "NOT established (a check failed)")
    out = (first + f"; that none is nearer is {nearer}"
           f", so R = {_short(sing['radius'])} and the series converges for real k > 1/R² "
           f"(k > {_short_up(sing['k_convergence'])})")
    if sing.get("none_nearer_proven") and sing.get("radius_lower_proven"):
        r = sing["radius_lower_proven"]
        out += (f"; proven: the branch is analytic on the closed disc |s| <= {_short_down(r)} (inner disc and annulus, "
                f"glued), so R >= {_short_down(r)} and the series converges for every real k >= "
                f"{_short_up(str(1 / mpmath.mpf(r) ** 2))}")
        if sing.get("radius_upper_proven"):
            up = sing["radius_upper_proven"]
            out += (f"; proven: the fold lies on the branch (the curve through it glued to a proven disc), so "
                    f"R <= {_short_up(up)}: R lies in [{_short_down(r)}, {_short_up(up)}]")
        if sing.get("radius_exact_failure"):
            out += f"; R = |s_c| is NOT proven: {sing['radius_exact_failure']}"
    return out


def _short_down(x):
    """A radius shortened to 6 digits rounded down (a lower bound stays one)."""
    from symcrit.core.numbers import round_decimal
    return round_decimal(x, "down", 6)


def _short(x):
    return x if x in ("inf", "0") else mpmath.nstr(mpmath.mpf(x), 6)


def _short_up(x):
    """A threshold k_c shortened to 6 digits rounded up: 'converges for k > X' never claims more."""
    from symcrit.core.numbers import round_decimal
    return x if x in ("inf", "0") else round_decimal(x, "up", 6)


def _radius_bounds(sing):
    """(lo, hi) of R as mpf: the proven enclosure when there is one, else the checked value twice."""
    if sing["radius"] == "inf":
        return mpmath.inf, mpmath.inf
    enc = sing.get("radius_enclosure")
    if enc:
        return mpmath.mpf(enc[0]), mpmath.mpf(enc[1])
    r = mpmath.mpf(sing["radius"])
    return r, r


def _mode(s, R_lo, R_hi):
    if s < R_lo:
        return "converges"
    if s > R_hi:
        return "asymptotic"
    return "undecided"


def _error_enclosures(S, cp, k, order, dps):
    """[lo, hi] per order N: a rigorous enclosure of max_i |S_N,i(k) - x_i(k)|."""
    from flint import arb, ctx as flint_ctx
    from symcrit.asymptotics.singularities import decimal_bound
    from symcrit.core.contexts import get_context
    with mpmath.workdps(cp.work_dps):
        cp.certify(radius=mpmath.mpf(10) ** (-(dps - 5)))
        if not cp.certified:
            cp.certify()
    if not cp.certified:
        return None
    A = get_context("arb")
    with flint_ctx.workprec(S.prec):
        kk = A.convert(cp.k)  # the k the point was solved at (an int, or an mpf)
        s = 1 / kk.sqrt()
        # the proven enclosure of the zero (per coordinate: far tighter than the uniqueness box)
        radii = cp.enclosure_radii if cp.enclosure_radii is not None else [cp.radius] * len(cp.values)
        boxes = {nm: arb(A.convert(v).mid(), A.convert(r).upper()) for nm, v, r in zip(S.names, cp.values, radii)}
        partial = {nm: arb(0) for nm in S.names}
        powers = arb(1)
        out = []
        for N in range(order + 1):
            for nm in S.names:
                partial[nm] = partial[nm] + S.coefficient(nm, N) * powers
            powers = powers * s
            lo, hi = None, None
            for nm in S.names:
                d = partial[nm] - boxes[nm]
                l, h = d.abs_lower(), d.abs_upper()
                lo = l if lo is None or l > lo else lo
                hi = h if hi is None or h > hi else hi
            out.append([decimal_bound(lo, False), decimal_bound(hi, True)])
    return out
