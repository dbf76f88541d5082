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

import mpmath
import numpy as np

from symcrit.core.numbers import parse_k, to_mpf
from symcrit.asymptotics.engine import Series, compute_series, leading_powers, series_progress
from symcrit.asymptotics.exact import attach_exact
from symcrit.critical.families import family, is_registered

__all__ = ["series", "Series", "leading_powers", "validate"]


# ---------------------------------------------------------------------------------------------
def series(fam, order=20, dps=50, exact=False, progress=False):
    """Expand the family ``fam`` in s = k^(-1/2) through s^order (ball coefficients with about
    ``dps`` correct digits).  ``exact=True`` also derives closed forms (:mod:`symcrit.asymptotics.exact`).
    ``progress``: progress bars on stderr (the order reached; the exact forms identified)."""
    with series_progress(progress):
        S = _series_cached(fam, order, dps)
        if exact:
            attach_exact(S)
    return S


@functools.lru_cache(maxsize=64)
def _series_cached_key(fam_id, order, dps):
    return compute_series(family(fam_id), order, dps)


def _series_cached(fam, order, dps):
    if is_registered(fam):
        return _series_cached_key(fam.id, order, dps)
    return compute_series(fam, order, dps)


def validate(fam, order, ks, dps=40, S=None, progress=False):
    """Compare the truncated series with the exact critical points.

    Returns a dict with, for each k, the errors (max over parameters, and of F) of the truncations
    through s^0 … s^order, the radius estimate, and a verdict on convergence at the smallest k.
    """
    ks = [parse_k(k) for k in ks]  # exact: int, Fraction (never through a float)
    S = S or series(fam, order=order, dps=dps, progress=progress)
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
        rows.append({"k": k, "s": float(to_mpf(k) ** -0.5), "param_error": errs, "loss_error": ferrs})
    radius = S.radius_estimate()
    rho = min(radius.values())
    k_lo = min(ks, key=float)
    s_lo = float(k_lo) ** -0.5
    row = next(r for r in rows if r["k"] == k_lo)
    e = row["param_error"]
    best = int(np.argmin(e))
    converges = s_lo < rho
    verdict = {
        "k": k_lo, "s": s_lo, "radius_estimate": rho,
        "converges": converges,
        "optimal_order": best, "optimal_error": e[best], "error_at_max_order": e[-1],
        "text": (f"at k = {k_lo} (s = {s_lo:.4f}) the series {'converges' if converges else 'is only asymptotic'}: "
                 f"estimated radius of convergence in s is {rho:.4f}; the error is smallest at order {best} "
                 f"({e[best]:.2e}) and {e[-1]:.2e} at order {order}"),
    }
    return {"family": fam.id, "order": order, "rows": rows, "radius": radius, "verdict": verdict}
