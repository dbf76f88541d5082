r"""Hidden minima: a search of the fixed-point spaces the campaigns revealed.

A campaign meets a minimum only through its basin; a minimum whose basin is tiny is never met.
Every minimum of the full loss F that lies in a fixed-point space V is a local minimum of the
reduced loss f = F|_V (the restriction of a minimum), so the minima of F in V are among the
minima of f, a function of dim V ≤ 6 parameters: they can be searched for directly.

:func:`search_space` runs a **multistart, vectorised, saddle-free Newton descent** of f at one
integer k: all starts at once (numpy arrays through the compiled reduced system), each step
x ← x − M^{-1/2} |Ĥ|^{-1} M^{-1/2} ∇f with Ĥ = M^{-1/2} H M^{-1/2} (H the Hessian of f, M the
diagonal of the orbit sizes, |Ĥ| its eigenvalues' absolute values floored at 1e-8), halved until f
decreases (so it is a descent and it is repelled by saddles), at most 50 steps (at k = 20 the
runs that converge do so within 30; the others stop on rows shrinking to 0).  A start ends at a local minimum of
f when the entry gradient is below 1e-9 and every eigenvalue of Ĥ is above −1e-8; those are
deduplicated (parameters to 1e-6).

*The starts* (:func:`start_points`): in each block of rows (one representative row of the space),
the row's parameters are drawn from N(0, 1) divided by the square root of their count in the row
(a direction uniform in the row's norm), scaled to a row norm r = B_k·u, u uniform on
[:data:`NORM_FLOOR`, 1], B_k = k/π + (1 − 1/π)√k the proven bound on every row norm at a critical
point (:func:`symcrit.critical.enclosure.critical_point_bounds`): the starts cover the proven domain
of the row norms, less the rows shorter than NORM_FLOOR·B_k.  Seeded (numpy's PCG64): the same
seed gives the same starts.

Each local minimum of f is then solved again at the working precision (Newton at ``dps`` digits,
:meth:`symcrit.critical.families.Family.solve` from that point), certified (Krawczyk) and indexed
by the caller's index function (the atlas passes :func:`symcrit.landscape.atlas.point_index`:
ball LDLᵀ inertia over the Krawczyk box, else float64 and *checked*).  A point that rounds to the
teacher (a permutation matrix) is the global minimum (proven by
:func:`symcrit.critical.teacher.teacher_certificate`) and is not a candidate.

*Completeness* of one search is **estimated** ("estimated complete (N starts)": a minimum whose
basin of f holds none of the N starts is missed).  In ΔS_k (the isotropy of the global minimum,
dim 2) the branch-and-bound :func:`symcrit.critical.enclosure.all_critical_points` proves the list
of all critical points complete at every k (about 1–2 s each): its proven zeros are added as
candidates, and where it finishes with no undecided box the search of ΔS_k at that k is
**proven complete**.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import mpmath
import numpy as np

from symcrit.core.contexts import get_context
from symcrit.core.errors import SymcritError
from symcrit.critical.families import Family
from symcrit.critical.teacher import teacher_certificate
from symcrit.symmetry.fixedpoint import K_SYMBOL, fixed_point_space

__all__ = ["HIDDEN_STARTS", "MAX_DIM", "NORM_FLOOR", "start_points", "reduced_minima", "search_space",
           "search_types"]

#: starts per fixed-point space and k (the default of ``symcrit atlas --hidden-starts``)
HIDDEN_STARTS = 400
#: the largest fixed-point space searched
MAX_DIM = 6
#: starts have row norms in [NORM_FLOOR·B_k, B_k]
NORM_FLOOR = 0.02
#: two local minima of f are one when their parameters agree to this (float64)
DEDUP = 1e-6


def _row_layout(space: Any, k: int) -> list[list[tuple[int, int]]]:
    """Per block of rows, the (parameter, count in the representative row) pairs."""
    S = np.asarray(space.slot_matrix(k))
    sizes = space.sizes_at(k)
    starts = np.concatenate([[0], np.cumsum(sizes)])[:-1]
    rows = []
    for i in starts:
        counts = np.bincount(S[int(i)][S[int(i)] >= 0], minlength=space.dim)
        rows.append([(n, int(c)) for n, c in enumerate(counts) if c])
    return rows


def start_points(space: Any, k: int, n: int, seed: int = 0) -> np.ndarray:
    """``n`` starts in ``space`` at width ``k`` as a (dim, n) float64 array (see the module doc:
    each block's row has a uniform direction and a norm uniform in [NORM_FLOOR·B_k, B_k])."""
    from symcrit.critical.enclosure import critical_point_bounds

    B = critical_point_bounds(k)["B"]
    rng = np.random.default_rng([seed, k, space.dim, *space.sizes_at(k)])
    X = np.zeros((space.dim, n))
    for row in _row_layout(space, k):
        idx = [p for p, _ in row]
        cnt = np.array([c for _, c in row], dtype=float)
        z = rng.standard_normal((len(idx), n))
        norm = np.sqrt(np.sum(z * z, axis=0))
        r = B * rng.uniform(NORM_FLOOR, 1.0, n)
        X[idx] = z / norm * r / np.sqrt(cnt)[:, None]
    return X


def reduced_minima(space: Any, k: int, starts: int = HIDDEN_STARTS, seed: int = 0, steps: int = 50,
                   extra: Sequence[Sequence[float]] = ()) -> dict[str, Any]:
    """The distinct local minima of the reduced loss f of ``space`` at integer ``k`` reached by the
    vectorised saddle-free Newton descent from :func:`start_points` (plus the points ``extra``).

    Returns ``{"starts", "converged", "minima": [{"values", "loss", "hits", "grad", "lam_min"}]}``
    (floats: a numerical search, evidence *estimated*)."""
    ctx = get_context("float")
    gj, L = space.compiled["grad_jac"], space.compiled["loss"]
    kk = np.float64(k)
    d = space.dim
    M = np.array([float(s.subs(K_SYMBOL, k)) if hasattr(s, "subs") else float(s) for s in space.orbit_sizes])
    Ms = np.sqrt(M)
    X = start_points(space, k, starts, seed)
    if len(extra):
        X = np.concatenate([X, np.asarray(extra, dtype=float).T], axis=1)
    n = X.shape[1]

    def loss(Y):
        with np.errstate(all="ignore"):
            return np.asarray(L(ctx, *Y, kk)[0], dtype=float) * np.ones(Y.shape[1])

    def gradjac(Y):
        with np.errstate(all="ignore"):
            g, j = gj(ctx, *Y, kk)
        G = np.array([np.asarray(v, dtype=float) * np.ones(Y.shape[1]) for v in g])          # (d, n)
        J = np.array([np.asarray(v, dtype=float) * np.ones(Y.shape[1]) for v in j]).reshape(d, d, -1)
        return G, np.moveaxis(J, -1, 0)                                                      # (n, d, d)

    alive = np.ones(n, dtype=bool)
    f = loss(X)
    for _ in range(steps):
        G, J = gradjac(X)
        ok = alive & np.all(np.isfinite(G), axis=0) & np.all(np.isfinite(J), axis=(1, 2)) & np.isfinite(f)
        alive &= ok
        if not alive.any():
            break
        done = np.max(np.abs(G), axis=0) < 1e-12
        act = alive & ~done
        if not act.any():
            break
        # Ĥ = M^{1/2} J M^{-1/2} (H = M J), symmetrised; ĝ = M^{1/2} G
        Hh = Ms[None, :, None] * J[act] / Ms[None, None, :]
        Hh = (Hh + np.swapaxes(Hh, 1, 2)) / 2
        lam, V = np.linalg.eigh(Hh)
        gh = (Ms[:, None] * G[:, act]).T                                                     # (m, d)
        y = np.einsum("mij,mj->mi", np.swapaxes(V, 1, 2), gh) / np.maximum(np.abs(lam), 1e-8)
        step = -(np.einsum("mij,mj->mi", V, y) / Ms[None, :]).T                              # (d, m)
        Xa, fa = X[:, act], f[act]
        t = np.ones(Xa.shape[1])
        accepted = np.zeros(Xa.shape[1], dtype=bool)
        Xn = Xa.copy()
        fn = fa.copy()
        for _h in range(30):
            trial = Xa + t * step
            ft = loss(trial)
            good = ~accepted & np.isfinite(ft) & (ft <= fa + 1e-15 * np.abs(fa))
            Xn[:, good], fn[good] = trial[:, good], ft[good]
            accepted |= good
            if accepted.all():
                break
            t = np.where(accepted, t, t / 2)
        idx = np.flatnonzero(act)
        X[:, idx], f[idx] = Xn, fn
        alive[idx[~accepted]] &= np.max(np.abs(G[:, idx[~accepted]]), axis=0) < 1e-9  # stuck: keep only if critical
    G, J = gradjac(X)
    res = np.max(np.abs(G), axis=0)
    Hh = Ms[None, :, None] * J / Ms[None, None, :]
    Hh = (Hh + np.swapaxes(Hh, 1, 2)) / 2
    good = alive & np.isfinite(res) & (res < 1e-9) & np.all(np.isfinite(Hh), axis=(1, 2))
    lam_min = np.full(n, np.nan)
    if good.any():
        lam_min[good] = np.linalg.eigvalsh(Hh[good])[:, 0]
    mins: list[dict[str, Any]] = []
    for j in np.flatnonzero(good & (lam_min > -1e-8)):
        x = X[:, j]
        hit = next((m for m in mins if np.max(np.abs(m["x"] - x)) < DEDUP), None)
        if hit is not None:
            hit["hits"] += 1
            continue
        mins.append({"x": x.copy(), "loss": float(f[j]), "hits": 1, "grad": float(res[j]), "lam_min": float(lam_min[j])})
    return {"starts": starts, "extra": len(extra), "converged": int(good.sum()),
            "minima": [{"values": [float(v) for v in m["x"]], "loss": m["loss"], "hits": m["hits"],
                        "grad": m["grad"], "lam_min": m["lam_min"]} for m in sorted(mins, key=lambda m: m["loss"])]}


def _enclosed_zeros(space: Any, k: int) -> tuple[list[list[float]], str | None]:
    """All critical points of ΔS_k at k by :func:`all_critical_points` (values, and the evidence
    'proven complete' or None when some box is undecided)."""
    from symcrit.critical.enclosure import all_critical_points

    enc = all_critical_points(space, k, compare=False)
    pts = [[float(v) for v in p.values] for p in enc.points if p.in_domain]
    if not enc.complete:
        return pts, None
    return pts, (f"proven complete (all_critical_points: {len(pts)} critical points proven by Krawczyk"
                 + (f" and {len(enc.aligned)} at aligned rows" if enc.aligned else "")
                 + f", no undecided box; row norms in [{enc.domain.get('rho')}, {enc.domain['bounds']['B']}], "
                 f"{enc.domain.get('rho_evidence')})")


def search_space(blocks: Sequence[str], k: int, starts: int = HIDDEN_STARTS, seed: int = 0, dps: int = 30,
                 index: Callable[[Any], dict[str, Any]] | None = None, enclose: bool | None = None,
                 known: Callable[[int, Any], dict[str, Any] | None] | None = None) -> dict[str, Any]:
    """Search the fixed-point space ``blocks`` at integer ``k`` for minima of F (see the module doc).

    ``index``: the index of a certified critical point (``{"index", "minimum", "index_evidence",
    "evidence_text"}``, e.g. :func:`symcrit.landscape.atlas.point_index`); by default the float64
    count of the dense Hessian (checked).  ``enclose``: add the proven zeros of
    :func:`all_critical_points` (default: in ΔS_k only).  ``known(k, cp)``: the branch a
    critical point (30 digits, not certified) lies on, ``{"branch", "match_evidence", "minimum",
    "index", "index_evidence"}``, or None; a known point is not certified nor indexed again (the
    branch's point carries both), an unknown one is certified and indexed by ``index``.

    Returns ``{"k", "blocks", "dim", "starts", "seed", "extra_starts", "converged", "completeness", "minima": [...],
    "points": [CriticalPoint, …]}`` (no timing: the same seed gives the same record): each minimum of F ``{"params", "loss", "hits",
    "index", "minimum", "index_evidence", "teacher", "branch", "match_evidence"}`` (``branch`` None:
    on no known branch) (parameters as 25-digit strings); ``points``
    holds the CriticalPoints of ``minima`` (not JSON)."""
    space = fixed_point_space(list(blocks))
    if enclose is None:
        enclose = len(space.sizes_at(k)) == 1
    extra: list[list[float]] = []
    proven = None
    if enclose:
        extra, proven = _enclosed_zeros(space, k)
    found = reduced_minima(space, k, starts, seed, extra=extra)
    out: list[dict[str, Any]] = []
    cps: list[Any] = []
    seen: list[tuple[float, np.ndarray]] = []
    for m in found["minima"]:
        # one critical point up to permutations (the normalizer of the group permutes the
        # parameters): the loss and the sorted entries of W agree (checked, float64)
        inv = np.sort(np.asarray(space.embed(m["values"], k), dtype=float).ravel())
        twin = next((j for j, (fl, w) in enumerate(seen) if abs(fl - m["loss"]) < 1e-10 and np.max(np.abs(w - inv)) < 1e-7),
                    None)
        seen.append((m["loss"], inv))
        if twin is not None:
            continue
        params = [repr(v) for v in m["values"]]
        fam = Family(f"search {list(blocks)} at k = {k}", list(blocks), start=(k, params))
        try:
            cp = fam.solve(k, dps=dps, verify=False)
        except SymcritError:
            continue
        if max(abs(a - mpmath.mpf(b)) for a, b in zip(cp.values, m["values"])) > 1e-6:
            continue  # Newton at dps went elsewhere: not this minimum
        rec = {"params": [mpmath.nstr(v, 25) for v in cp.values], "hits": m["hits"], "teacher": False,
               "branch": None, "match_evidence": None}
        tc = teacher_certificate(cp)
        if tc is not None and tc["teacher"]:
            rec.update(loss="0", index=0, minimum=True, index_evidence="proven", teacher=True, branch="global",
                       match_evidence="proven: the point is the teacher (a permutation matrix)")
            out.append(rec)
            cps.append(cp)
            continue
        hit = known(k, cp) if known is not None else None
        if hit is not None:  # a point of a known branch: its index is the branch's (not computed again)
            if not hit.get("minimum"):
                continue  # a minimum of f that is a saddle of F
            rec.update(loss=cp.loss_text(20), index=hit.get("index"), minimum=True,
                       index_evidence=hit.get("index_evidence"), branch=hit["branch"],
                       match_evidence=hit["match_evidence"])
            out.append(rec)
            cps.append(cp)
            continue
        cp = fam.solve(k, dps=dps)  # with the dense float64 Hessian (the index's fallback)
        cp.certify()
        idx = index(cp) if index is not None else {
            "index": cp.negative_count, "minimum": bool(cp.negative_count == 0 and cp.min_eigenvalue > 0),
            "index_evidence": "checked"}
        if not idx["minimum"]:
            continue  # a minimum of f that is a saddle of F
        rec.update(loss=cp.loss_text(20), index=idx["index"], minimum=True, index_evidence=idx["index_evidence"],
                   certified=bool(cp.certified))
        out.append(rec)
        cps.append(cp)
    return {"k": k, "blocks": [str(b) for b in blocks], "dim": space.dim, "starts": starts, "seed": seed,
            "extra_starts": found["extra"], "converged": found["converged"], "reduced_minima": len(found["minima"]),
            "completeness": proven or f"estimated complete ({starts} starts)",
            "minima": out, "points": cps}


def search_types(seen: dict[int, list[Sequence[str]]], max_dim: int = MAX_DIM) -> list[tuple[int, list[str]]]:
    """The (k, blocks) to search: at each k, every isotropy type in ``seen[k]`` (blocks affine in k)
    whose fixed-point space has dimension ≤ ``max_dim``, once per type (block sizes at k as a
    multiset: Δ(2,k-2) and Δ(6,k-6) are one type at k = 8), and ΔS_k at every k."""
    out = []
    for k in sorted(seen):
        types: dict[tuple[int, ...], list[str]] = {(k,): ["k"]}
        for blocks in seen[k]:
            sp = fixed_point_space([str(b).replace(" ", "") for b in blocks])
            if sp.extra or sp.dim > max_dim:
                continue
            types.setdefault(tuple(sorted(sp.sizes_at(k))), [str(b).replace(" ", "") for b in blocks])
        out += [(k, b) for _, b in sorted(types.items())]
    return out
