"""The atlas: every family of critical points that the campaigns meet, followed in real k.

:func:`atlas` runs (or resumes) one discovery campaign per k, identifies every end point, and
groups the points into **branches**: a point at k₂ belongs to the branch of a point at k₁ when the
family defined by the first point (its isotropy type and ``start``), followed by continuation in
real k, arrives at the second point (parameters equal to 1e-8 after Newton at 30 digits; checked, not
proven) — connected by following the branch, never by matching loss values.  Catalogued families
(``symcrit families``) are branches too, including those the campaigns never reach, and so are the
minima that the search of the fixed-point spaces of dimension ≤ 6 the campaigns revealed finds on
no branch (:func:`fixed_point_search`, ``found_by`` 'fixed-point search').  A branch is a **hidden
minimum** when it is a minimum at some k and, wherever it is, the 95 % Wilson upper bound of its
basin share is below 0.5 % (:func:`basin_verdict`; with too few runs: "not reached in N runs").
So are the branches the interval branch-and-bound
proved and the catalogue lacked (:func:`symcrit.critical.families.enclosure_families`, ``found_by``
'enclosure'): saddles, kept whether or not a run meets them (their basin share is the campaigns'
count, 0 when no run ends there).

For each branch and each k of the range: the critical value (25 digits), the Hessian index, the
basin share (runs ending there / converged runs) with a 95 % Wilson interval, and the evidence of
each.  For branches with a limit W∞, the series of the critical value gives the asymptotics of the
loss (F → c or k·F → c).

The default number of runs, :data:`DEFAULT_RUNS`, is computed, not chosen: the smallest n for which
a family whose basin share is at least :data:`DESIGN_SHARE` = 0.5 % is met at least once with
probability ≥ 1 − :data:`DESIGN_MISS` = 99 % at each k, i.e. (1 − 0.005)^n ≤ 0.01, decided in exact
rational arithmetic (:func:`runs_for`): n = 919 ((199/200)^918 = 0.01004 > 0.01 ≥ (199/200)^919 = 0.009986).

Campaign files (``DIR/campaign-kNNN.jsonl``) are the only state: an interrupted atlas resumes where
it stopped, and the same seed gives the same atlas on one machine, on a process pool or on a
dask.distributed cluster.
"""
from __future__ import annotations

import json
import math
import numbers
import os
import sys
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np

from symcrit.core.errors import SymcritError
from symcrit.core.rings import upper_str
from symcrit.critical.families import Family, enclosure_families, families, family
from symcrit.critical.teacher import teacher_certificate
from symcrit.landscape.discover import discover, run_tasks
from symcrit.symmetry.fixedpoint import fixed_point_space

__all__ = ["DEFAULT_RUNS", "DESIGN_SHARE", "DESIGN_MISS", "runs_for", "atlas", "group_sightings", "wilson_interval", "Branch", "render_markdown", "plot_atlas",
           "point_index", "teacher_index", "real_range", "fold_above", "minimum_ranges", "coincidences", "branch_limit",
           "fixed_point_search", "basin_verdict", "minimum_range_hull",
           "loss_constant_closed_form"]

#: the smallest basin share the default campaigns are sized to meet, and the chance they may miss it
DESIGN_SHARE = Fraction(1, 200)
DESIGN_MISS = Fraction(1, 100)


def runs_for(share: Fraction | int | str = DESIGN_SHARE, miss: Fraction | int | str = DESIGN_MISS) -> int:
    """The smallest number n of independent runs such that a basin of share ``share`` is met at
    least once with probability ≥ 1 − ``miss``: (1 − share)^n ≤ miss, decided in exact rational
    arithmetic (exact types: Fractions, ints or decimal strings, never floats).

    >>> runs_for(), runs_for("0.01", "0.05"), runs_for("1/2", "1/8")
    (919, 299, 3)
    """
    if isinstance(share, float) or isinstance(miss, float):
        raise TypeError("runs_for: give the share and the miss probability as exact numbers (Fraction, int, str)")
    p, q = Fraction(share), Fraction(miss)
    if not (0 < p < 1 and 0 < q < 1):
        raise ValueError(f"runs_for: need 0 < share < 1 and 0 < miss < 1 (got {p}, {q})")
    n = max(0, math.floor(math.log(q) / math.log(1 - p)) - 2)  # a float guess below the answer ...
    while (1 - p) ** n > q:                                    # ... then the exact test decides
        n += 1
    while n > 0 and (1 - p) ** (n - 1) <= q:
        n -= 1
    return n


#: runs per k, computed: the smallest n with (1 − DESIGN_SHARE)^n ≤ DESIGN_MISS (919)
DEFAULT_RUNS = runs_for(DESIGN_SHARE, DESIGN_MISS)

#: two refined points are the same critical point when their parameters agree to this
SAME_POINT = 1e-8


def wilson_interval(count: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The 95 % Wilson score interval for a proportion count / n (estimated: a statistical statement).

    >>> lo, hi = wilson_interval(0, 920)
    >>> lo, round(hi, 4)
    (0.0, 0.0042)
    """
    if n <= 0:
        return (0.0, 1.0)
    p = count / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    lo = 0.0 if count == 0 else max(0.0, centre - half)  # exact ends where the formula's are 0 and 1
    hi = 1.0 if count == n else min(1.0, centre + half)
    return (lo, hi)


@dataclass
class Branch:
    """One branch of critical points: a registered family plus what the atlas measured on it."""

    id: str
    family: Family
    found_by: str
    sightings: dict[int, int] = field(default_factory=dict)  # k -> runs that ended on it
    points: list[dict[str, Any]] = field(default_factory=list)

    @property
    def blocks(self) -> list[str]:
        return [str(b) for b in self.family.space.blocks]

    def definition(self) -> dict[str, Any]:
        f = self.family
        d: dict[str, Any] = {"blocks": self.blocks}
        if f.limit is not None:
            d["limit"] = [_dec(v) for v in f.limit]
        if f.start is not None:
            k0 = f.start[0]
            d["start"] = [k0 if isinstance(k0, int) else _dec(k0), [_dec(v) for v in f.start[1]]]
        return d


def _dec(v: Any, digits: int = 17) -> str:
    """A decimal string of an exact number (int, Fraction, mpf), ``digits`` significant digits."""
    from fractions import Fraction

    with mpmath.workdps(digits + 10):
        if isinstance(v, Fraction):
            return mpmath.nstr(mpmath.mpf(v.numerator) / v.denominator, digits)
        return mpmath.nstr(mpmath.mpf(v), digits)


def _on_branch(fam: Family, k: int, params: list[Any], dps: int) -> bool:
    """True if following ``fam`` in real k to ``k`` arrives at the point ``params``."""
    try:
        cp = fam.solve(k, dps=dps, verify=False)
    except SymcritError:
        return False
    return max(abs(a - mpmath.mpf(b)) for a, b in zip(cp.values, params)) < SAME_POINT


def group_sightings(sightings: list[dict[str, Any]], dps: int = 30,
                    catalogue: bool = True, progress: bool = False, enclosure: bool = True) -> list[Branch]:
    """Group identified end points into branches.

    ``sightings``: ``{k, count, family}`` for points matched to a catalogued family, or
    ``{k, count, blocks, params}`` for new ones (blocks affine in k, refined parameters as decimal
    strings).  A new point joins the first branch of the same isotropy type that, followed by
    continuation in real k, arrives at it; otherwise it starts a branch of its own (registered
    as a family with ``start`` = that point).  With ``catalogue``, every catalogued family is a
    branch too (so that hidden minima are seen), and with ``catalogue`` and ``enclosure`` every
    family of :func:`~symcrit.critical.families.enclosure_families` (``found_by`` 'enclosure')."""
    branches: list[Branch] = [Branch(f.id, f, "catalogue") for f in families() if not f.space.extra] \
        if catalogue else []
    if catalogue and enclosure:
        branches += [Branch(f.id, f, "enclosure") for f in enclosure_families() if not f.space.extra]
    by_id = {b.id: b for b in branches}
    new_count: dict[tuple[str, ...], int] = {}
    from tqdm import tqdm

    bar = tqdm(sorted(sightings, key=lambda t: t["k"]), desc="atlas: grouping into branches", unit="point",
               disable=not progress, file=sys.stderr)
    for sg in bar:
        k = sg["k"]
        bar.set_postfix_str(f"k={k}", refresh=False)
        if sg.get("family"):
            b = by_id.get(sg["family"])
            if b is not None:
                b.sightings[k] = b.sightings.get(k, 0) + sg["count"]
            continue
        blocks = tuple(str(x).replace(" ", "") for x in sg["blocks"])
        sizes = fixed_point_space(list(blocks)).sizes
        params = [str(v) for v in sg["params"]]
        home = None
        for b in branches:
            # same isotropy type (compared as polynomials in k, not as strings), and continuation
            # in real k from the branch's first point arrives at this one
            if b.found_by == "campaigns" and b.family.space.sizes == sizes and _on_branch(b.family, k, params, dps):
                home = b
                break
        if home is None:
            new_count[blocks] = new_count.get(blocks, 0) + 1
            bid = "Δ(" + ",".join(blocks) + ")" + ("" if new_count[blocks] == 1 else f"#{new_count[blocks]}")
            fam = Family(bid, list(blocks), start=(k, params))
            home = Branch(bid, fam, "campaigns")
            branches.append(home)
            by_id[bid] = home
        home.sightings[k] = home.sightings.get(k, 0) + sg["count"]
    return branches


def atlas(ks: list[int], runs: int = DEFAULT_RUNS, seed: int = 0, out: str | None = None, jobs: int = 1,
          scheduler: Any = None, dps: int = 30, progress: bool = False, register: bool = False,
          proofs: bool = True, enclosure: bool = True, hidden_starts: int | None = None) -> dict[str, Any]:
    """Build the atlas for the widths ``ks`` (see the module doc).  Returns the JSON-ready dict
    ``{"ks", "runs", "seed", "branches": [...], "campaigns": [...]}`` and, with ``out``, writes
    ``out/atlas.json`` beside the campaign files.  With ``register``, every new branch is
    registered as a family under its id (``symcrit.family("Δ(3,k-3)")``).

    With ``proofs`` (default): every index proven where :func:`point_index` succeeds, minimum
    ranges in real k from proven crossings (:func:`minimum_ranges`), coincident points
    (:func:`coincidences`) and the limits of the new branches (:func:`branch_limit`).  Without:
    float64 indices (checked), minimum ranges at the integer widths, no coincidences, the
    asymptotics of catalogued families only (a quick atlas, e.g. to compare campaigns).

    ``enclosure`` (default): the branches found by the interval branch-and-bound
    (:func:`~symcrit.critical.families.enclosure_families`) are branches of the atlas too, kept at
    every k where they exist (``found_by`` 'enclosure', basin share from the campaigns).

    ``jobs`` / ``scheduler`` (a process pool, a dask.distributed cluster): the campaigns' runs, the
    classification of their distinct end points and the branches (one task per branch: its point
    at every k with its index, its crossings, folds and limit) run there; the atlas is the same as
    in one process.  Grouping into branches and the coincidences stay in this process.

    ``hidden_starts`` (default :data:`symcrit.landscape.hidden.HIDDEN_STARTS`; 0: off; only with
    ``proofs``): the fixed-point spaces of dimension ≤ 6 the campaigns revealed are searched for
    minima (:func:`fixed_point_search`); a minimum on no branch becomes a branch found by
    "fixed-point search" (basin share 0)."""
    from tqdm import tqdm

    if any(isinstance(k, bool) or not isinstance(k, numbers.Integral) for k in ks):
        raise SymcritError(f"atlas: the widths must be integers k >= 3, got {list(ks)}")
    ks = sorted({int(k) for k in ks})
    if not ks or ks[0] < 3:
        raise SymcritError("atlas: the widths must be integers k >= 3")
    if isinstance(runs, bool) or not isinstance(runs, numbers.Integral) or runs < 1:
        raise SymcritError(f"atlas: --runs must be an integer >= 1, got {runs!r}")
    if seed < 0:
        raise SymcritError(f"atlas: the seed must be an integer >= 0, got {seed}")
    if out:
        os.makedirs(out, exist_ok=True)
    campaigns = {}
    for k in tqdm(ks, desc="atlas: campaigns", unit="k", disable=not progress, file=sys.stderr):
        path = os.path.join(out, f"campaign-k{k:03d}.jsonl") if out else None
        campaigns[k] = discover(k, runs, seed=seed, jobs=jobs, out=path, scheduler=scheduler, progress=progress)

    sightings = []
    for k in ks:
        for g in campaigns[k]["minima"]:
            if g.get("family") or g.get("definition"):
                sightings.append({"k": k, "count": g["count"], "family": g.get("family"),
                                  "blocks": g["definition"]["blocks"] if g.get("definition") else None,
                                  "params": g["definition"]["start"][1] if g.get("definition") else None})
    branches = group_sightings(sightings, dps=dps, progress=progress, enclosure=enclosure)
    # every identified run is on exactly one branch (a sighting lost or overwritten in the grouping
    # is a bug); the runs that are not identified are counted, with the reason, in the summary
    for k in ks:
        seen = sum(sg["count"] for sg in sightings if sg["k"] == k)
        grouped = sum(b.sightings.get(k, 0) for b in branches)
        if grouped != seen:
            raise RuntimeError(f"atlas: {seen} identified runs at k = {k} but {grouped} on the branches")

    # -- each branch at each k, its crossings and limit: one task per branch, on the same pool or
    # cluster as the campaigns (each task rebuilds its family from its definition, so a task's
    # result does not depend on where it runs) -------------------------------------------------
    info = {k: (campaigns[k]["converged"], campaigns[k]["runs"]) for k in ks}
    tasks = [(_family_spec(b.family), b.found_by, dict(b.sightings), ks, info, dps, proofs) for b in branches]
    results: dict[str, dict[str, Any]] = {}
    bar = tqdm(total=len(tasks), desc="atlas: branches (points, crossings, limits)", unit="branch",
               disable=not progress, file=sys.stderr)
    for res in run_tasks(_branch_task, tasks, jobs=jobs, scheduler=scheduler):
        results[res["id"]] = res
        bar.update(1)
    bar.close()
    search = None
    if proofs and (hidden_starts is None or hidden_starts > 0):
        from symcrit.landscape.hidden import HIDDEN_STARTS
        extra_b, search = fixed_point_search(branches, results, ks, HIDDEN_STARTS if hidden_starts is None
                                             else hidden_starts, seed, dps, progress)
        for res in run_tasks(_branch_task, [(_family_spec(b.family), b.found_by, {}, ks, info, dps, proofs)
                                            for b in extra_b], jobs=jobs, scheduler=scheduler):
            results[res["id"]] = res
        branches = branches + extra_b
    teachers: dict[tuple[str, int], dict[str, Any]] = {}  # (branch, k) -> proven teacher certificate
    for b in branches:
        b.points = results[b.id]["points"]
        teachers.update({(b.id, k): tc for k, tc in results[b.id]["teachers"]})
    kept = [b for b in branches if results[b.id]["kept"]]
    if register:
        from symcrit.critical.families import register_family
        for b in kept:
            if b.found_by in ("campaigns", "fixed-point search"):
                register_family(b.id, b.blocks, start=b.family.start, replace=True)
    coinc = _coincidences_of(kept, results, info, dps, teachers) if proofs else None
    records = []
    for b in kept:
        rec = results[b.id]["record"]
        rec["coincident_with"] = _coincident_with(b.id, coinc)
        if search is not None:
            rec["fixed_point_search"] = [{"k": sp["k"], "blocks": sp["blocks"], "completeness": sp["completeness"],
                                          "match": m["match_evidence"]}
                                         for sp in search["spaces"] for m in sp["minima"] if m["branch"] == b.id]
        records.append(rec)
    doc = {"ks": ks, "runs": runs, "seed": seed,
           "campaigns": [{"k": k, "runs": campaigns[k]["runs"], "converged": campaigns[k]["converged"],
                          "spurious_fraction": campaigns[k]["spurious_fraction"],
                          "on_branches": sum(b.sightings.get(k, 0) for b in branches),
                          "not_identified": [{"count": g["count"], "loss": g["loss"],
                                              "reason": g.get("unidentified", "no family and no definition")}
                                             for g in campaigns[k]["minima"]
                                             if not (g.get("family") or g.get("definition"))]} for k in ks],
           "branches": records, "coincidences": coinc}
    if search is not None:
        doc["fixed_point_search"] = search
    if out:
        with open(os.path.join(out, "atlas.json"), "w") as fh:
            json.dump(doc, fh, indent=1)
    return doc


def _family_spec(f: Family) -> dict[str, Any]:
    """What rebuilds the family ``f`` anywhere (picklable: strings and exact numbers)."""
    return {"id": f.id, "blocks": [str(b) for b in f.space.blocks], "limit": f.limit, "start": f.start,
            "description": f.description, "origin": f.origin}


def _branch_point(fam: Family, found_by: str, sightings: dict[int, int], k: int, conv: int, runs: int, dps: int,
                  proofs: bool, global_inertia: dict[int, dict[str, Any]]) -> tuple[Any, dict[str, Any], Any] | None:
    """(the critical point, the atlas's point record, its teacher certificate or None) of the
    branch at k, or None where the branch does not exist at k."""
    try:
        cp = fam.solve(k, dps=dps)
    except SymcritError:
        return None
    count = sightings.get(k, 0)
    lo, hi = wilson_interval(count, conv)
    tc = teacher_certificate(cp) if proofs else None
    if tc is not None and tc["teacher"]:
        idx = teacher_index(k, global_inertia, dps)
        loss, point_ev = tc["loss"], tc["evidence"]
    else:
        idx = point_index(cp) if proofs else _checked_index(cp)
        loss = cp.loss_text(25)  # certified: only the digits its ball over the proven enclosure guarantees
        point_ev = (("proven (Krawczyk: exactly one critical point in a box of radius "
                     f"{upper_str(cp.radius, 2)}); " if cp.certified else "checked (") +
                    "Newton at 30 digits; full k×k gradient residual "
                    f"{mpmath.nstr(cp.gradient_residual, 3)}" + ("" if cp.certified else ")"))
        if tc is not None:  # rounds to the teacher, not proven: say so beside the noise
            point_ev += f"; {tc['evidence']}"
    point = {
        "k": k, "loss": loss, "index": idx["index"], "index_evidence": idx["index_evidence"],
        "minimum": idx["minimum"],
        "min_eigenvalue": cp.min_eigenvalue,
        "basin_share": count / conv if conv else None, "basin_interval_95": [lo, hi],
        "runs": runs, "converged": conv, "count": count,
        "evidence": {"point": point_ev,
                     "index": idx["evidence_text"],
                     "basin_share": "estimated (campaign frequency; 95 % Wilson interval)",
                     "branch": ("the catalogued family followed in real k" if found_by == "catalogue" else
                                ENCLOSURE_BRANCH if found_by == "enclosure" else
                                "checked, not proven: continuation in real k from the branch's first point arrives "
                                f"at this point (parameters agree to {SAME_POINT:g} after Newton at {dps} digits)")},
    }
    return cp, point, (tc if tc is not None and tc["teacher"] else None)


def _branch_task(args: tuple[Any, ...]) -> dict[str, Any]:
    """One branch of the atlas: its point at each k (solve, certify, index), whether it is kept, and
    its record (crossings, folds, limit, series; the coincidences are added by the caller).
    Everything returned is picklable: it may run on a process pool or a dask worker."""
    spec, found_by, sightings, ks, info, dps, proofs = args
    fam = Family(spec["id"], spec["blocks"], limit=spec["limit"], start=spec["start"],
                 description=spec["description"], origin=spec.get("origin", ""))
    b = Branch(spec["id"], fam, found_by, dict(sightings))
    teachers: list = []
    losses: list = []
    cache: dict = {}
    for k in ks:
        got = _branch_point(fam, found_by, b.sightings, k, info[k][0], info[k][1], dps, proofs, cache)
        if got is None:
            continue
        cp, point, tc = got
        b.points.append(point)
        losses.append((k, float(cp.loss)))
        if tc is not None:
            teachers.append((k, tc))
    kept = bool(b.points and (b.sightings or found_by == "enclosure" or any(p["minimum"] for p in b.points)))
    rec = _branch_record(b, k_hi=ks[-1] if proofs else None) if kept else None
    return {"id": b.id, "points": b.points, "teachers": teachers, "losses": losses, "kept": kept, "record": rec}


def _coincidences_of(kept: list[Branch], results: dict[str, dict[str, Any]], info: dict[int, tuple[int, int]],
                     dps: int, teachers: dict[tuple[str, int], dict[str, Any]]) -> list[dict[str, Any]]:
    """:func:`coincidences` of the kept branches' points.  Only points whose loss agrees with a point
    of another branch at the same k (to :data:`LOSS_FILTER`, the filter :func:`coincidences` applies
    first) can coincide: those are solved again here exactly as their branch task did (same
    solve, certificate and index, so the same boxes), in the order of the full list."""
    items = [(b.id, k, loss) for b in kept for k, loss in results[b.id]["losses"]]
    need = set()
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            (ia, ka, la), (ib, kb, lb) = items[i], items[j]
            if ia != ib and ka == kb and not abs(la - lb) > LOSS_FILTER:
                need.update({i, j})
    by_id = {b.id: b for b in kept}
    cache: dict[int, dict[str, Any]] = {}
    cps = []
    for i in sorted(need):
        bid, k, _ = items[i]
        b = by_id[bid]
        got = _branch_point(b.family, b.found_by, b.sightings, k, info[k][0], info[k][1], dps, True, cache)
        if got is not None:
            cps.append((bid, got[0]))
    return coincidences(cps, teachers=teachers)


def _coincident_with(bid: str, coinc: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [{"k": c["k"], "branch": c["branches"][1 - c["branches"].index(bid)], "proven": c["proven"]}
            for c in (coinc or []) if bid in c["branches"]]


def _range(ks: list[int]) -> list[int] | None:
    return [min(ks), max(ks)] if ks else None


def _branch_record(b: Branch, k_hi: int | None = None, coinc: list[dict[str, Any]] | None = None,
                   status: Any = None) -> dict[str, Any]:
    """The atlas record of a branch.  ``minimum_ranges``: every interval of real k on which the
    branch is a minimum (from proven crossings), each with the evidence of its ends;
    ``minimum_range`` (kept for the interface): their **hull** [lo of the first, hi of the last]
    (a saddle gap between two intervals is inside it: ``minimum_range_evidence["hull_of"]`` says
    so); without proofs, the hull of the integer k where the branch is a minimum."""
    f = b.family
    exists = [p["k"] for p in b.points]
    minima = [p["k"] for p in b.points if p["minimum"]]
    hidden, reach = basin_verdict(b.points)
    try:
        k_low = f.k_low
        end = f.track.get("end")
    except SymcritError:
        k_low, end = None, None
    proven = all(p["index_evidence"] == "proven" for p in b.points)
    rec: dict[str, Any] = {
        "id": b.id, "blocks": b.blocks, "definition": b.definition(), "found_by": b.found_by,
        "found_by_evidence": FOUND_BY.get(b.found_by, b.found_by),
        "hidden_minimum": hidden, "basin_verdict": reach,
        "k_range": _range(exists),
        "k_low_continuous": None if k_low is None else mpmath.nstr(mpmath.mpf(k_low), 8),
        "ends_below_by": end,
        "minimum_ks": minima,
        "minimum_ks_evidence": ("proven (the proven Hessian index at every integer k of the atlas)" if proven else
                                "proven where the point's index_evidence says so, checked (float64) elsewhere"),
        "minimum_range": None, "minimum_ranges": None, "minimum_range_evidence": None,
        "crossings": [],
        "coincident_with": _coincident_with(b.id, coinc),
        "points": b.points,
        "limit": None, "limit_evidence": None, "loss_asymptotics": None, "series": None, "real_range": None,
    }
    if k_hi is None:  # no proofs asked for: integer widths, the catalogued asymptotics
        rec["minimum_range"] = _range(minima)
        rec["minimum_range_evidence"] = "integer k only (an atlas without proofs)"
        if f.limit is not None:
            rec["limit"] = [_dec(v) for v in f.limit]
            rec["limit_evidence"] = "catalogued"
            rec.update(_asymptotics(f))
    elif b.points:
        if status:
            status("crossings in real k")
        # up to the last k where the branch exists (a branch that ends below k_hi, e.g. where a row
        # reaches 0, cannot be scanned beyond its end)
        mr = minimum_ranges(f, float(min(k_hi, max(p["k"] for p in b.points))), b.points,
                            k_lo=min(p["k"] for p in b.points) - 1)
        rec["crossings"] = mr["crossings"]
        rec["crossing_scan"] = {"scanned": mr["scanned"], "step": CROSSING_STEP, "consistent": mr["consistent"],
                                "note": mr["note"]}
        if mr["minimum_ranges"] is not None and mr["consistent"]:
            rec["minimum_ranges"] = mr["minimum_ranges"]
            if mr["minimum_ranges"]:
                rec["minimum_range"], rec["minimum_range_evidence"] = minimum_range_hull(rec)
            else:
                rec["minimum_range_evidence"] = (f"a saddle at every real k of the scan {mr['scanned'][0]}.."
                                                 f"{mr['scanned'][1]} (no crossing to a minimum)")
        else:
            rec["minimum_range"] = _range(minima)
            rec["minimum_range_evidence"] = ("integer k only (the crossing scan did not give the ranges: "
                                             f"{mr['note']})")
        if status:
            status("the limit k → ∞ and the series")
        # checked against (and a fold searched above) the branch's last width in the atlas, which is
        # the atlas's last one unless the branch ends inside it (a fold of an isola, Δ(1,6,k-7) at 23.6)
        lim = branch_limit(f, k_check=min(int(k_hi), max(p["k"] for p in b.points)))
        rec.update(lim)
        rec["real_range"] = real_range(f, rec["crossings"], lim)
        top = (rec["minimum_ranges"] or [None])[-1]
        if top is not None and top["hi"] is None and lim.get("fold_above"):
            # the scan stopped at the atlas's last k; the branch itself ends at a fold above it
            top["hi_evidence"] += (f"; the branch itself ends at the fold k* = {lim['fold_above']['k']} above "
                                   "(the scan does not reach it)")
    return rec


def real_range(fam: Family, crossings: list[dict[str, Any]], limit: dict[str, Any]) -> dict[str, Any]:
    """Where the branch exists in real k: ``{"lo", "hi", "lo_evidence", "hi_evidence"}``, with ends as
    decimal strings (``hi`` "inf" when the branch is followed to k = 10^12 and beyond, None when
    not determined).

    The lower end is a proven fold of ``crossings`` (the records of :func:`minimum_ranges`, kind
    'fold') when the branch ends at a fold, else the end of its isotropy type or where continuation
    stops (estimated); the upper end is the proven fold of ``limit`` (:func:`branch_limit`'s
    ``fold_above``), else k → ∞ when the branch was followed to k = 10^12."""
    try:
        t = fam.track
        k_low, end = t["k_low"], t.get("end")
    except SymcritError as exc:
        k_low, end = None, f"no track ({str(exc).splitlines()[0]})"
    fold_lo = next((c for c in crossings if c.get("kind") == "fold" and c.get("certified") and c.get("k")), None)
    if end == "fold" and fold_lo is not None:
        lo, lo_ev = fold_lo["k"], f"proven: a fold, k* = {fold_lo['k']} ({fold_lo['evidence']})"
    elif end == "space" and k_low is not None:
        lo = mpmath.nstr(mpmath.mpf(k_low), 8)
        lo_ev = f"the end of the isotropy type: its blocks need k >= {lo}"
    elif k_low is not None:
        lo = mpmath.nstr(mpmath.mpf(k_low), 8)
        lo_ev = (f"estimated: continuation stops near k = {lo} ({end}"
                 + ("; the fold is not proven" if end == "fold" else "") + ")")
    else:
        lo, lo_ev = None, f"not determined: {end}"
    fold_hi = limit.get("fold_above")
    if fold_hi:
        hi, hi_ev = fold_hi["k"], f"proven: a fold, k* = {fold_hi['k']} ({fold_hi['evidence']})"
    elif limit.get("limit") is not None or limit.get("limit_estimate") is not None:
        hi, hi_ev = "inf", ("the branch is followed in real k up to k = 10^12 and tends to a limit "
                            f"({limit.get('limit_evidence')})")
    else:
        hi, hi_ev = None, f"not determined: {limit.get('limit_evidence')}"
    out = {"lo": lo, "hi": hi, "lo_evidence": lo_ev, "hi_evidence": hi_ev}
    if hi is None and limit.get("end_estimate"):
        # no fold, no limit: where continuation stopped (e.g. a row shrinking to 0, where F is not smooth)
        out["hi_estimate"] = limit["end_estimate"]
        out["hi_evidence"] += f"; estimated: continuation stops near k = {limit['end_estimate']}"
    return out


def _asymptotics(f: Family, order: int = 10) -> dict[str, Any]:
    """The loss asymptotics and the series of a family with a limit (ball coefficients)."""
    from symcrit.asymptotics.series import series

    try:
        S = series(f, order=order, dps=30)
    except SymcritError as exc:
        return {"loss_asymptotics": {"error": str(exc).splitlines()[0]}}
    F = [S.coefficient("F", n) for n in range(order + 1)]
    lead = next((n for n, c in enumerate(F) if not c.contains(0)), None)
    asym: dict[str, Any]
    if lead is None:
        exact = all(c.is_exact() and c == 0 for c in F)
        asym = {"form": "F = O(s^%d)" % (order + 1),
                "evidence": ("proven: every coefficient through s^%d is exactly 0" % order) if exact else
                ("not decided: every ball through s^%d contains 0 (F may vanish to this order or its leading "
                 "coefficient may be too small for the balls)" % order)}
    else:
        what = "F" if lead == 0 else ("k·F" if lead == 2 else f"k^{lead / 2:g}·F")
        asym = {"form": f"{what} → c", "power_of_s": lead, "c": S.value("F", lead, 20),
                "evidence": "the ball of the leading coefficient excludes 0 (the leading powers are checked "
                            "at k = 10^40, 10^60)"}
        asym.update(loss_constant_closed_form(f, lead, S.coefficient("F", lead)))
    return {"loss_asymptotics": asym,
            "series": {"order": order, "leading_powers": S.leading_powers,
                       "params": {n: [S.value(n, j, 20) for j in range(order + 1)] for n in S.names},
                       "loss": [S.value("F", j, 20) for j in range(order + 1)]}}


# -- proven indices, minimum ranges from proven crossings, coincidences, limits -----------------
#: how each kind of branch was found (the record's ``found_by_evidence``)
ENCLOSURE_BRANCH = ("a branch the interval branch-and-bound found in Δ(S_1 × S_{k-1}) (whose list of critical "
                    "points it proves complete at every k = 6..20: bench/results/enclose_S1xSk-1.jsonl), "
                    "followed in real k from its point at k = 6")
FOUND_BY = {"catalogue": "a catalogued family (symcrit families), followed in real k",
            "campaigns": "an end point of the campaigns, followed in real k from its first sighting",
            "enclosure": ENCLOSURE_BRANCH + "; a saddle: a run ends there only by chance (basin share: the "
                                            "campaigns' count, 0 when no run ends there)",
            "fixed-point search": "a minimum the search of a fixed-point space found on no other branch "
                                  "(symcrit.landscape.hidden; see fixed_point_search), followed in real k from it"}

#: the crossings scan in real k: step (every eigenvalue crossing between grid points is found by
#: the sign count at the grid points; two crossings within one step of each other cancel)
CROSSING_STEP = 0.25

#: two points at one k are compared as matrices only when their losses agree to this (a filter)
LOSS_FILTER = 1e-10

#: a coincidence not proven by the Krawczyk boxes is reported as checked when the k×k matrices,
#: matched by permutations, agree to this at 30 digits
COINCIDENCE_TOL = 1e-20


def point_index(cp: Any) -> dict[str, Any]:
    """The Hessian index of a critical point, proven where :func:`symcrit.spectra.inertia.prove_inertia`
    decides every isotypic block over the Krawczyk box, else the float64 count (checked).

    Returns ``{"index", "minimum", "index_evidence", "critical_evidence", "evidence_text"}``;
    ``index_evidence`` is 'proven' or 'checked' and ``minimum`` is True only for index 0 with no
    zero eigenvalue (proven: every pivot ball positive)."""
    from symcrit.spectra.inertia import prove_inertia

    reason = None
    try:
        inr = prove_inertia(cp)
    except (SymcritError, ValueError, ArithmeticError) as exc:  # a ball that cannot be formed (e.g. NaN)
        inr, reason = None, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    crit = "proven" if cp.certified else "checked"
    if inr is not None and inr.decided and inr.evidence == "proven":
        rad = upper_str(cp.radius, 2)
        return {"index": inr.index, "minimum": bool(inr.is_minimum), "index_evidence": "proven",
                "critical_evidence": crit,
                "evidence_text": f"proven (ball LDLᵀ inertia of every isotypic block of the Hessian over the Krawczyk "
                                 f"box of radius {rad}, which holds exactly one critical point)"}
    if inr is not None and reason is None:
        reason = inr.reason or f"evidence {inr.evidence}"
    index = cp.negative_count
    return {"index": index, "minimum": None if index is None else bool(index == 0 and cp.min_eigenvalue > 0),
            "index_evidence": "checked", "critical_evidence": crit,
            "evidence_text": "checked (float64 eigenvalues of the dense Hessian at the 30-digit point); "
                             f"the proof failed: {reason}"}


def _checked_index(cp: Any) -> dict[str, Any]:
    index = cp.negative_count
    return {"index": index, "minimum": None if index is None else bool(index == 0 and cp.min_eigenvalue > 0),
            "index_evidence": "checked", "critical_evidence": "checked",
            "evidence_text": "checked (float64 eigenvalues of the dense Hessian at the 30-digit point)"}


def teacher_index(k: int, cache: dict[int, dict[str, Any]] | None = None, dps: int = 30) -> dict[str, Any]:
    """The index of a point proven to be the teacher (W = P·V·Qᵀ, :func:`symcrit.critical.teacher.teacher_certificate`):
    0 and a minimum, proven — the teacher is a global minimum (F ≥ 0 = F(V)), so its Hessian is positive
    semidefinite.  The Hessian at P·V·Qᵀ is the Hessian at V conjugated by the isometry W ↦ P W Qᵀ, so when
    the inertia of the ``global`` family's point W = I at k is proven (:func:`point_index`, cached per k in
    ``cache``), the evidence adds that it is positive definite (a strict minimum)."""
    cache = {} if cache is None else cache
    if k not in cache:
        cache[k] = point_index(family("global").solve(k, dps=dps))
    g = cache[k]
    text = ("proven: the point is the teacher, a global minimum (F ≥ 0 = F(V)), so the Hessian is positive "
            "semidefinite: index 0")
    if g["index_evidence"] == "proven" and g["index"] == 0 and g["minimum"]:
        text += ("; positive definite (a strict minimum): it is the Hessian at W = I conjugated by a permutation "
                 "of rows and columns, and at W = I " + g["evidence_text"])
    return {"index": 0, "minimum": True, "index_evidence": "proven", "critical_evidence": "proven",
            "evidence_text": text}


def _state_changes(rec: dict[str, Any]) -> str | None:
    d = rec.get("direction") or ""
    if d == "saddle → minimum":
        return "min"
    if d == "minimum → saddle":
        return "saddle"
    return None


def _k_text(rec: dict[str, Any]) -> str:
    if rec.get("k"):
        return f"k* = {rec['k']} ({rec['evidence']})"
    if rec.get("k_estimate"):
        return f"k* ≈ {rec['k_estimate']} (estimated: the proof failed)"
    return rec.get("evidence", "not located")


#: where the crossing scan of :func:`minimum_ranges` starts above the branch's end (tried in turn)
SCAN_START_OFFSETS = (1e-3, 1e-2, 0.05, 0.125)


def minimum_ranges(fam: Family, k_hi: float, points: list[dict[str, Any]], digits: int = 30,
                   step: float = CROSSING_STEP, k_lo: float | None = None) -> dict[str, Any]:
    """Where the branch ``fam`` is a minimum, in real k up to ``k_hi``: from the proven crossings of
    its isotypic eigenvalues (:func:`symcrit.spectra.crossings.crossings`) and the end of the branch
    (a proven fold, or the end of the isotropy type).

    ``k_lo``: scan from there when the branch extends below it (the atlas passes one below its
    lowest width); by default from just above the branch's end.

    ``points``: the atlas's points of the branch (integer k, index, index_evidence), used to check
    the crossings (the state between crossings must agree with every integer point).  Returns
    ``{"minimum_ranges": [{"lo", "hi", "lo_evidence", "hi_evidence"}, …], "crossings": [...],
    "scanned": [a, b], "consistent": bool, "note": str | None}``; ``lo``/``hi`` are the proven decimal
    digits of k* (or the branch's end; ``hi`` None: a minimum up to ``k_hi``, the end of the scan)."""
    from symcrit.spectra.crossings import crossings

    t = fam.track
    k_low = float(t["k_low"])
    start = max(k_low, float(fam.space.k_min))
    note = None
    recs = None
    # the scan starts just above the branch's end (the end itself can be a degenerate point: the
    # teacher, a fold, the end of the isotropy type), further up where the spectrum cannot be had there
    cut = k_lo is not None and float(k_lo) > start + SCAN_START_OFFSETS[0]
    if k_lo is not None and cut:
        tries = [float(k_lo)] + [float(n) for n in range(math.floor(float(k_lo)) + 1, math.ceil(k_hi))]
    else:
        tries = [start + d for d in SCAN_START_OFFSETS] + [float(n) for n in range(math.floor(start) + 1,
                                                                                   math.ceil(k_hi))]
    a = start
    for a in tries:
        if a >= k_hi:
            break
        try:
            recs = crossings(fam, k_hi=k_hi, step=step, digits=digits, k_first=a, components=True)
            break
        except (SymcritError, ValueError, ArithmeticError, np.linalg.LinAlgError) as exc:
            note = (f"the crossing scan fails from k = {a:.6g} "
                    f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})")
    if recs is None:
        return {"minimum_ranges": None, "crossings": [], "scanned": None, "consistent": None, "note": note}
    lo_scan = a
    flips = [r for r in recs if r["kind"] in ("eigenvalue", "component") and _state_changes(r)]
    unlocated = [r for r in flips if not (r.get("k") or r.get("k_estimate") or r.get("k_enclosure"))]
    if unlocated:  # e.g. the trivial component changes sign: a fold or branch point inside the scan
        note = ((note + "; ") if note else "") + "; ".join(r["evidence"] for r in unlocated)
        keep = ("k", "k_enclosure", "certified", "evidence", "component", "kind", "direction", "k_estimate")
        return {"minimum_ranges": None, "crossings": [{key: r[key] for key in keep if key in r} for r in recs],
                "scanned": None, "consistent": False, "note": note}
    fold = next((r for r in recs if r["kind"] == "fold"), None)
    # the state at the bottom of the scan: from the first flip, else from the integer points
    above = [p for p in points if p["index"] is not None and p["k"] >= lo_scan - 1e-9 and p["k"] <= k_hi + 1e-9]
    if flips:
        state = "saddle" if _state_changes(flips[0]) == "min" else "min"
    elif above:
        state = "min" if above[0]["minimum"] else "saddle"
    else:
        state = "saddle"
    # the scan covers the branch from its end when it starts within 10^-2 of it, or within one step
    # of it with a point at the end itself whose (proven) state is the state at the bottom of the scan
    at_end = [p for p in points if p["index"] is not None and abs(p["k"] - start) < 1e-6]
    from_end = not cut and (lo_scan - start <= SCAN_START_OFFSETS[1] + 1e-12 or (
        lo_scan - start < step and bool(at_end) and (state == "min") == bool(at_end[0]["minimum"])))
    # the point at the branch's end can be degenerate and differ from the branch just above it (the
    # teacher at k = p + 2 is a minimum; the branch above it a saddle): then it is a range of its own
    end_point = at_end[0] if from_end and at_end and (state == "min") != bool(at_end[0]["minimum"]) else None
    pts = [p for p in points if p["index"] is not None and p["k"] >= (start if from_end else lo_scan) - 1e-9
           and p["k"] <= k_hi + 1e-9 and p is not end_point]

    def at(kk):  # the state the crossings imply at k = kk
        s = state
        for r in flips:
            kr = float(r["k"] or r.get("k_estimate") or r["k_enclosure"][0])
            # a component exists from its threshold on (inclusive); a crossing k* is irrational
            if kr < kk or (r["kind"] == "component" and kr <= kk):
                s = _state_changes(r)
        return s

    bad = [p["k"] for p in pts if (at(p["k"]) == "min") != bool(p["minimum"])]
    if bad:
        note = ((note + "; ") if note else "") + ("the crossings disagree with the indices at k = "
                                                  + ", ".join(map(str, bad)))
    if from_end:
        if t["end"] == "fold" and fold is not None:
            lo_ev = f"the branch ends at a fold, k* = {fold['k']} ({fold['evidence']})"
            lo0 = fold["k"]
        else:
            lo0 = mpmath.nstr(mpmath.mpf(start), 8)
            lo_ev = f"the branch ends at k = {lo0} ({t['end']}: " + (
                "the isotropy type ends)" if t["end"] == "space" else "continuation stops; no fold proven)")
    else:
        lo0, lo_ev = None, (f"a minimum at k = {lo_scan:.6g}, where the scan starts; not determined below"
                            + (f" ({note})" if note else " (not scanned)"))
    ranges = []
    if end_point is not None and end_point["minimum"]:
        kend = str(end_point["k"])
        ranges.append({"lo": kend, "hi": kend,
                       "lo_evidence": f"the branch's end point k = {kend} is a minimum (index 0, "
                                      f"{end_point.get('index_evidence', 'proven')}) while the branch just above it, "
                                      f"from k = {lo_scan:.6g}, is a saddle: an isolated minimum point",
                       "hi_evidence": f"the branch is a saddle from k = {lo_scan:.6g} up to the next crossing"})
    if end_point is not None and not end_point["minimum"]:  # a saddle at the end, a minimum just above it
        lo_ev += f"; the end point k = {end_point['k']} itself is a saddle (index {end_point['index']}): the range is open there"
    cur = {"lo": lo0, "lo_evidence": lo_ev} if state == "min" else None
    for r in flips:
        kstr = r["k"] or (r.get("k_estimate") and None)
        if _state_changes(r) == "min" and cur is None:
            cur = {"lo": kstr, "lo_evidence": _k_text(r) + f"; component {r['component']}"}
        elif _state_changes(r) == "saddle" and cur is not None:
            cur.update(hi=kstr, hi_evidence=_k_text(r) + f"; component {r['component']}")
            ranges.append(cur)
            cur = None
    if cur is not None:
        cur.update(hi=None, hi_evidence=f"a minimum up to k = {k_hi:g}, the end of the scan (no crossing before)")
        ranges.append(cur)
    keep = ("k", "k_enclosure", "certified", "evidence", "component", "kind", "direction", "k_estimate")
    return {"minimum_ranges": ranges, "crossings": [{key: r[key] for key in keep if key in r} for r in recs],
            "scanned": [mpmath.nstr(mpmath.mpf(lo_scan), 8), f"{k_hi:g}"], "consistent": not bad, "note": note,
            "from_end": from_end}


def _match_permutations(WA: np.ndarray, WB: np.ndarray, tol: float = 1e-7) -> tuple[list[int], list[int]] | None:
    """Row and column permutations (rows, cols) with WB[rows][:, cols] ≈ WA (entrywise to ``tol``),
    or None: columns matched by their sorted entries, then rows by their entries (greedy)."""
    k = WA.shape[1]
    if WA.shape != WB.shape:
        return None
    sa = [np.sort(WA[:, j]) for j in range(k)]
    sb = [np.sort(WB[:, j]) for j in range(k)]
    cols: list[int] = []
    free = set(range(k))
    for j in range(k):
        c = next((jj for jj in sorted(free) if np.max(np.abs(sb[jj] - sa[j])) < tol), None)
        if c is None:
            return None
        cols.append(c)
        free.discard(c)
    Wc = WB[:, cols]
    rows: list[int] = []
    free = set(range(WB.shape[0]))
    for i in range(WA.shape[0]):
        r = next((ii for ii in sorted(free) if np.max(np.abs(Wc[ii] - WA[i])) < tol), None)
        if r is None:
            return None
        rows.append(r)
        free.discard(r)
    return rows, cols


def _same_in_box(cpA: Any, cpB: Any, rows: list[int], cols: list[int]) -> bool:
    """True if it is proven that the two certified critical points are one: the permuted matrix of
    B lies in A's fixed-point space for every value of B's parameters (each parameter of A reads
    one parameter of B), and B's Krawczyk box (proven again with a radius 1000 times smaller than
    A's), read in A's parameters, lies inside A's box (which holds exactly one critical point of
    A's reduced loss; the permuted B is a critical point of the full loss in A's space, hence of
    A's reduced loss)."""
    if not (cpA.certified and cpB.certified):
        return False
    k = cpA.k
    SA = np.asarray(cpA.space.slot_matrix(k))
    SB = np.asarray(cpB.space.slot_matrix(k))[rows][:, cols]
    read = {}
    for s in range(cpA.space.dim):
        found = set(SB[SA == s].tolist())
        if len(found) != 1:
            return False
        read[s] = found.pop()
    from symcrit.critical.certify import krawczyk

    with mpmath.workdps(max(cpA.work_dps, cpB.work_dps) + 10):
        rA = mpmath.mpf(cpA.radius)
        worst = max(abs(cpB.values[read[s]] - cpA.values[s]) for s in range(cpA.space.dim))
        if worst > rA / 2:
            return False
        rB = rA / 1000
        cert = krawczyk(cpB.space, cpB.values, cpB.k, rB, int(cpB.work_dps * 3.33) + 32)
        return bool(cert.ok and worst + rB < rA * mpmath.mpf("0.99"))  # margin: the radius as the test rounds it


def coincidences(items: list[tuple[str, Any]], tol: float = COINCIDENCE_TOL,
                 teachers: dict[tuple[str, int], dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Pairs of points of different branches at one k that are the same critical point (up to the
    symmetry W ↦ P W Qᵀ, permutations of the student neurons and of the teacher neurons).

    ``items``: (branch id, CriticalPoint) at integer k.  A pair is compared when its losses agree
    to :data:`LOSS_FILTER`; the k×k matrices are matched by permutations and their distance computed
    at the working precision.  Evidence: 'proven' when the Krawczyk boxes show one critical point
    (see :func:`_same_in_box`, either way round) or when both points are proven to be the teacher
    (``teachers``: (branch id, k) -> a certificate of :func:`symcrit.critical.teacher.teacher_certificate`
    with ``teacher`` True: each is exactly a permutation matrix, so one is the other up to permutations),
    else 'checked' when the distance is below ``tol``."""
    teachers = teachers or {}
    out = []
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            (ia, A), (ib, B) = items[i], items[j]
            if ia == ib or A.k != B.k or abs(float(A.loss) - float(B.loss)) > LOSS_FILTER:
                continue
            WA, WB = A.W, B.W
            m = _match_permutations(np.array(WA, dtype=float), np.array(WB, dtype=float))
            if m is None:
                continue
            rows, cols = m
            with mpmath.workdps(min(A.work_dps, B.work_dps)):
                dist = max(abs(mpmath.mpf(WB[rows[r]][cols[c]]) - mpmath.mpf(WA[r][c]))
                           for r in range(len(rows)) for c in range(len(cols)))
            inv_r = [0] * len(rows)
            inv_c = [0] * len(cols)
            for a_, b_ in enumerate(rows):
                inv_r[b_] = a_
            for a_, b_ in enumerate(cols):
                inv_c[b_] = a_
            both_teacher = (ia, int(A.k)) in teachers and (ib, int(B.k)) in teachers
            proven = both_teacher or _same_in_box(A, B, rows, cols) or _same_in_box(B, A, inv_r, inv_c)
            if not proven and dist >= tol:
                continue
            out.append({"k": int(A.k), "branches": [ia, ib], "loss": "0" if both_teacher else A.loss_text(20),
                        "distance": mpmath.nstr(dist, 3),
                        "evidence": ("proven: both points are the teacher exactly (each a permutation matrix, "
                                     "each with its Krawczyk box: see their points' evidence)" if both_teacher else
                                     "proven: one Krawczyk box holds the other point, matched by permutations "
                                     "of neurons and inputs" if proven else
                                     f"checked: the k×k matrices agree to {mpmath.nstr(dist, 3)} after permutations "
                                     f"(tolerance {tol:g}; the Krawczyk boxes do not prove it)"),
                        "proven": bool(proven)})
    return out


def fold_above(fam: Family, k_from: int, k_to: float | None = None, digits: int = 30) -> dict[str, Any] | None:
    """The first proven fold of the branch in [k_from, k_to] (default 2 k_from; refined to ``digits``
    digits and proven by :func:`symcrit.critical.folds.folds`), or None."""
    from symcrit.critical.folds import folds

    try:
        x = [float(v) for v in fam.solve(k_from, dps=30, verify=False).values]
        found = [f for f in folds(fam.space, x, k_from, k_lo=float(k_from),
                                  k_hi=2.0 * k_from if k_to is None else float(k_to), digits=digits) if f.certified]
    except (SymcritError, ValueError, ArithmeticError, np.linalg.LinAlgError):
        return None
    if not found:
        return None
    d = found[0].to_dict()
    return {"k": d["k"], "k_enclosure": d["k_enclosure"], "evidence": d["evidence"], "side": d["side"]}


def branch_limit(fam: Family, k_check: int, order: int = 10, dps: int = 30) -> dict[str, Any]:
    """The limit W∞ of a branch as k → ∞ and, where W∞ is an exact point, the series of its
    parameters and critical value (:func:`_asymptotics`).

    The branch is followed up to k = 10^3, 10^6 and 10^12; when the parameters converge (changes
    shrinking like s = k^(-1/2)) and every value at k = 10^12 is within 10^-4 of an integer, that
    integer point is the candidate W∞: a family defined by it must arrive, followed down in real
    k, at the branch's own point at ``k_check`` (checked, to 10^-8).  Otherwise the reason
    there is none (the branch ends, or its limit is not an exact point)."""
    if fam.limit is not None:
        out = {"limit": [_dec(v) for v in fam.limit], "limit_evidence": "catalogued"}
        out.update(_asymptotics(fam, order))
        return out
    vals = {}
    for e in (3, 6, 12):
        try:
            vals[e] = fam.solve(10 ** e, dps=dps, verify=False).values
        except SymcritError as exc:
            why = "none: the branch cannot be followed to k = 10^%d (%s)" % (e, str(exc).splitlines()[0])
            fold = fold_above(fam, k_check)
            if fold is not None:
                why = (f"none: the branch ends at a fold above the atlas, k* = {fold['k']} ({fold['evidence']})")
            ended: dict[str, Any] = {"limit": None, "limit_evidence": why, "fold_above": fold}
            reached = getattr(exc, "k_reached", None)
            if fold is None and reached is not None:
                ended["end_estimate"] = mpmath.nstr(mpmath.mpf(reached), 6)
            return ended
    d1 = max(abs(a - b) for a, b in zip(vals[3], vals[6]))
    d2 = max(abs(a - b) for a, b in zip(vals[6], vals[12]))
    if not d2 < d1 / 100:
        return {"limit": None, "limit_evidence": f"none: the parameters do not converge (changes {mpmath.nstr(d1, 3)} "
                                                 f"then {mpmath.nstr(d2, 3)} from k = 10^3 to 10^6 to 10^12)"}
    x12 = vals[12]
    approx = [mpmath.nstr(v, 8) for v in x12]
    ints = [int(mpmath.nint(v)) for v in x12]
    if max(abs(v - n) for v, n in zip(x12, ints)) > mpmath.mpf(10) ** -4:
        return {"limit": None, "limit_estimate": approx,
                "limit_evidence": "a limit exists (estimated: the point at k = 10^12, the changes shrink like s) but "
                                  "W∞ is not an exact point (not all parameters tend to integers): the series engine "
                                  "needs an exact W∞, so no series",
                "loss_limit_estimate": mpmath.nstr(fam.solve(10 ** 12, dps=dps, verify=False).loss, 8)}
    lf = Family(fam.id + " (W∞)", list(fam.space.blocks), limit=ints)
    x_own: Any
    try:
        x_lim = lf.solve(k_check, dps=dps, verify=False).values
        x_own = fam.solve(k_check, dps=dps, verify=False).values
        same = max(abs(a - b) for a, b in zip(x_lim, x_own)) < SAME_POINT
    except SymcritError as exc:
        same, x_own = False, str(exc).splitlines()[0]
    if not same:
        zero_rows = _zero_rows(fam, ints)
        why = (f"; W∞ has {'a zero row' if len(zero_rows) == 1 else 'zero rows'} (row block "
               f"{', '.join(str(r + 1) for r in zero_rows)} → 0), where F is not differentiable, so the series "
               "engine cannot use it" if zero_rows else "")
        return {"limit": None, "limit_estimate": approx,
                "limit_evidence": f"the integer point {ints} near the k = 10^12 solution does not define this branch "
                                  f"(followed down to k = {k_check} it arrives elsewhere: "
                                  f"{x_own if isinstance(x_own, str) else 'another point'}){why}",
                "loss_limit_estimate": mpmath.nstr(fam.solve(10 ** 12, dps=dps, verify=False).loss, 8)}
    out = {"limit": [str(n) for n in ints],
           "limit_evidence": f"checked: the k = 10^12 point is within 1e-4 of this integer point, and the family "
                             f"defined by it, followed down in real k, arrives at the branch's point at k = {k_check}"}
    out.update(_asymptotics(lf, order))
    return out


def _zero_rows(fam: Family, values: list[int]) -> list[int]:
    """The row blocks of the space that are exactly 0 at the integer point ``values`` (a limit W∞)."""
    sp = fam.space
    k = max(sp.k_min, 4 * len(sp.sizes))
    W = np.array(sp.embed(values, k), dtype=float)
    sizes = sp.sizes_at(k)
    starts = np.cumsum([0] + sizes[:-1])
    return [I for I, (a, n) in enumerate(zip(starts, sizes)) if not np.any(W[a:a + n])]


# ---------------------------------------------------------------------------------------------
def render_markdown(doc: dict[str, Any], figures: dict[str, str] | None = None) -> str:
    """docs/atlas.md from an atlas document: every sentence and table filled from its numbers."""
    ks = doc["ks"]
    out = [f"# The atlas of the landscape, k = {ks[0]}..{ks[-1]}", "",
           f"Generated by `symcrit atlas --k {ks[0]}:{ks[-1]} --runs {doc['runs']} --seed {doc['seed']}` "
           f"({len(doc['branches'])} branches). Each branch is a family a user can register again from its "
           "definition (`symcrit.register_family(id, **definition)`). Losses are printed to the digits (at most "
           "25) that their ball over the proven enclosure of the 30-digit Newton solution guarantees, and as 0 "
           "where the point is proven to be the teacher; an index marked *proven* is the inertia of every isotypic block of the Hessian, "
           "in ball arithmetic over the Krawczyk box of the point (`prove_inertia`), one marked *checked* is from "
           "float64 eigenvalues of the dense Hessian; minimum ranges are in real k, their ends the proven crossings "
           "of an isotypic eigenvalue (`symcrit crossings`) or the end of the branch (a proven fold, or the end of "
           "the isotropy type); basin shares are *estimated* (campaign frequencies, 95 % Wilson intervals).", ""]
    if doc.get("patched"):
        out += [f"*Recomputed after the run:* {doc['patched']}.", ""]
    if figures:
        out += [f"![{name}]({path})" for name, path in figures.items()] + [""]
    out += ["| k | runs | converged | spurious share |", "|---|---|---|---|"]
    for c in doc["campaigns"]:
        sf = "—" if c["spurious_fraction"] is None else f"{100 * c['spurious_fraction']:.1f} %"
        out.append(f"| {c['k']} | {c['runs']} | {c['converged']} | {sf} |")
    out.append("")
    for b in doc["branches"]:
        out += [f"## {b['id']}", "",
                f"Isotropy Δ({' × '.join('S_{' + x + '}' for x in b['blocks'])}); found by {b['found_by']}"
                + (f"; **{b['basin_verdict']}**" if b.get("hidden_minimum") and b.get("basin_verdict") else
                   "; **a hidden minimum** (a minimum that no run reached)" if b["hidden_minimum"] else
                   f"; {b['basin_verdict']}" if b.get("basin_verdict") else "")
                + f". Exists at k = {b['k_range'][0]}..{b['k_range'][1]} of the atlas"
                + (f" (the branch ends below k ≈ {b['k_low_continuous']}, {b['ends_below_by']})"
                   if b["k_low_continuous"] else "")
                + (("; a minimum for k in " + _ranges_text(b)) if b.get("minimum_ranges")
                   else (f"; a minimum at k = {b['minimum_range'][0]}..{b['minimum_range'][1]} (integer k only: "
                         f"{b['minimum_range_evidence']})" if b["minimum_range"] else "; a saddle at every k of the atlas"))
                + ".", ""]
        rr = b.get("real_range")
        if rr:
            out += [f"In real k it exists on [{rr['lo'] or '?'}, {'∞' if rr['hi'] == 'inf' else rr['hi'] or '?'}]:",
                    f"- from k = {rr['lo'] or '?'}: {rr['lo_evidence']}", f"- to k = {'∞' if rr['hi'] == 'inf' else rr['hi'] or '?'}: {rr['hi_evidence']}",
                    ""]
        for r in b.get("minimum_ranges") or []:
            out += [f"- from k = {r['lo'] or '?'}: {r['lo_evidence']}", f"- to k = {r['hi'] or '—'}: {r['hi_evidence']}"]
        if b.get("minimum_ranges"):
            out.append("")
        for c in b.get("coincident_with") or []:
            out.append(f"- at k = {c['k']} the same critical point as {c['branch']} "
                       f"({'proven' if c['proven'] else 'checked'}; see the coincidences below)")
        if b.get("coincident_with"):
            out.append("")
        if b.get("fixed_point_search"):
            out += ["The fixed-point search finds it " + _found_text(b["fixed_point_search"]) + ".", ""]
        if b.get("loss_asymptotics") and "form" in b["loss_asymptotics"]:
            a = b["loss_asymptotics"]
            out += [f"As k → ∞: {a['form']}" + (f" with c = {a['c']}" if "c" in a else "")
                    + (f" = {a['c_exact']} ({a['c_exact_evidence']})" if a.get("c_exact") else
                       f" (closed form: {a['c_exact_evidence']})" if a.get("c_exact_evidence") else "")
                    + (f"; W∞ = {b['limit']} ({b['limit_evidence']})" if b.get("limit") else "") + ".", ""]
            if b.get("series"):
                out += ["Critical value as a series in s = k^(-1/2) (20 digits of each ball coefficient): F = "
                        + " + ".join(f"({c})·s^{j}" for j, c in enumerate(b["series"]["loss"])) + ".", ""]
        elif b.get("limit_evidence") and not b.get("limit"):
            out += [f"Limit as k → ∞: {b['limit_evidence']}"
                    + (f" (W∞ ≈ {b['limit_estimate']}, F → {b['loss_limit_estimate']}, estimated)"
                       if b.get("loss_limit_estimate") else "") + ".", ""]
        out += ["| k | loss | index | basin share (95 % interval) |", "|---|---|---|---|"]
        for p in b["points"]:
            share = "—" if p["basin_share"] is None else (
                f"{100 * p['basin_share']:.2f} % ({100 * p['basin_interval_95'][0]:.2f}–"
                f"{100 * p['basin_interval_95'][1]:.2f} %)")
            out.append(f"| {p['k']} | {p['loss']} | {p['index']} ({p.get('index_evidence', 'checked')}) | {share} |")
        out += ["", "Definition: `" + json.dumps(b["definition"]) + "`", ""]
    out += _search_markdown(doc.get("fixed_point_search"))
    co = doc.get("coincidences")
    if co is not None:
        out += ["## Coincident points", "",
                "Points of two branches at one k that are one critical point, up to permutations of the student "
                "neurons and of the teacher neurons (inputs): *proven* when one point's Krawczyk box, read in the "
                "other's parameters, lies in the other's box; *checked* when the matched k×k matrices agree to "
                f"{COINCIDENCE_TOL:g}.", ""]
        if co:
            out += ["| k | branches | loss | distance | evidence |", "|---|---|---|---|---|"]
            out += [f"| {c['k']} | {c['branches'][0]}, {c['branches'][1]} | {c['loss']} | {c['distance']} | "
                    f"{'proven' if c['proven'] else 'checked'} |" for c in co]
        else:
            out.append("None.")
        out.append("")
    return "\n".join(out)


def range_end_texts(b: dict[str, Any], r: dict[str, Any]) -> tuple[str, str]:
    """The ends of one minimum range of an atlas branch as text: a missing lower end is 'below X'
    (X the start of the crossing scan, where the branch is already a minimum), or '?'; a missing
    upper end 'beyond K' (K the atlas's last width)."""
    scanned = (b.get("crossing_scan") or {}).get("scanned")
    lo = r.get("lo") or (f"below {scanned[0]}" if scanned else "?")
    hi = r.get("hi") or f"beyond {b['k_range'][1]}"
    return lo, hi


def _ranges_text(b: dict[str, Any]) -> str:
    # a range that ends where a component is born with a negative eigenvalue is open there: at that
    # k the component exists (the branch is a saddle); a crossing k* is irrational, either bracket holds
    born = {c["k"] for c in b.get("crossings") or [] if c.get("kind") == "component"}
    return ", ".join("[%s, %s" % range_end_texts(b, r) + (")" if r.get("hi") in born else "]")
                     for r in b["minimum_ranges"])



def _plotted(loss: str) -> float:
    """A printed loss as a plot coordinate: a ball holding 0 (printed ``±r``) is drawn at 0."""
    return 0.0 if loss.startswith("±") else float(loss)

def plot_atlas(doc: dict[str, Any], folder: str) -> dict[str, str]:
    """Figures of an atlas: loss against k (solid where a minimum, dashed where a saddle), basin
    shares against k, and the k-ranges.  Returns {name: file name}."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(folder, exist_ok=True)
    files = {}
    cmap = plt.get_cmap("tab20")

    def colour(i: int) -> Any:
        return cmap(i % 20)

    def minimum_at(b: dict[str, Any], x: float) -> bool | None:  # from the real-k ranges; None: not known
        rs = b.get("minimum_ranges")
        if rs is None:
            return None
        for r in rs:
            lo = float(r["lo"]) if r.get("lo") else -math.inf
            hi = float(r["hi"]) if r.get("hi") else math.inf
            if lo <= x <= hi:
                return True
        return False

    fig, ax = plt.subplots(figsize=(9, 5.5))
    for i, b in enumerate(doc["branches"]):
        pts = b["points"]
        dash = (0, (4, 2)) if i < 20 else (0, (1, 1))
        for j in range(len(pts) - 1):
            p, q = pts[j], pts[j + 1]
            y0, y1 = _plotted(p["loss"]), _plotted(q["loss"])
            # solid where the branch is a minimum in real k (its proven ranges), dashed where a saddle;
            # the loss between integer widths is drawn as a straight line
            xs = [p["k"] + t / 20 * (q["k"] - p["k"]) for t in range(21)]
            states = [minimum_at(b, x) for x in xs]
            if states[0] is None:
                states = [bool(p["minimum"] and q["minimum"])] * len(xs)
            a = 0
            for t in range(1, len(xs) + 1):
                if t == len(xs) or states[t] != states[a]:
                    seg = xs[a:t + 1] if t < len(xs) else xs[a:t]
                    ys = [y0 + (x - p["k"]) / (q["k"] - p["k"]) * (y1 - y0) for x in seg]
                    ax.plot(seg, ys, linestyle="-" if states[a] else dash, color=colour(i),
                            label=b["id"] if (j == 0 and a == 0) else None)
                    a = t
        if len(pts) == 1:
            ax.plot([pts[0]["k"]], [_plotted(pts[0]["loss"])], "o", color=colour(i), label=b["id"])
    ax.set_yscale("symlog", linthresh=1e-3)
    ax.set_xlabel("k")
    ax.set_ylabel("loss")
    ax.set_title("critical values (solid: minimum, dashed: saddle, in real k)")
    ax.legend(fontsize=6, loc="upper left", bbox_to_anchor=(1.01, 1.0), ncol=2 if len(doc["branches"]) > 20 else 1)
    files["loss"] = "atlas_loss.png"
    fig.savefig(os.path.join(folder, files["loss"]), dpi=110, bbox_inches="tight")
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(8, 4))
    for i, b in enumerate(doc["branches"]):
        pts = [p for p in b["points"] if p["basin_share"]]
        if pts:
            ax.errorbar([p["k"] for p in pts], [p["basin_share"] for p in pts],
                        yerr=[[max(0.0, p["basin_share"] - p["basin_interval_95"][0]) for p in pts],
                              [max(0.0, p["basin_interval_95"][1] - p["basin_share"]) for p in pts]],
                        fmt="o-", color=colour(i), label=b["id"], capsize=2)
    ax.set_xlabel("k")
    ax.set_ylabel("basin share")
    ax.legend(fontsize=6, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    files["basins"] = "atlas_basins.png"
    fig.savefig(os.path.join(folder, files["basins"]), dpi=110, bbox_inches="tight")
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(doc["branches"]) + 1.5))
    for i, b in enumerate(doc["branches"]):
        ks = [p["k"] for p in b["points"]]
        rr = b.get("real_range") or {}
        lo_x = max(float(rr["lo"]), min(ks) - 1) if rr.get("lo") else min(ks)
        hi_x = max(ks) if rr.get("hi") in (None, "inf") else min(float(rr["hi"]), max(ks))
        ax.plot([lo_x, hi_x], [i, i], "--", color="gray")
        if b.get("minimum_ranges"):
            for r in b["minimum_ranges"]:
                lo = max(float(r["lo"]), lo_x) if r["lo"] else lo_x
                hi = min(float(r["hi"]), hi_x) if r["hi"] else hi_x
                if hi > lo:
                    ax.plot([lo, hi], [i, i], "-", color=colour(i), linewidth=5, solid_capstyle="butt")
                else:  # a single point (an isolated minimum at the branch's end)
                    ax.plot([lo], [i], "o", color=colour(i), markersize=5)
        else:
            mins = [p["k"] for p in b["points"] if p["minimum"]]
            if mins:
                ax.plot([min(mins), max(mins)], [i, i], "-", color=colour(i), linewidth=5)
    ax.set_yticks(range(len(doc["branches"])), [b["id"] for b in doc["branches"]], fontsize=7)
    ax.set_xlabel("k (thick: a minimum, in real k; dashed: the branch exists)")
    files["ranges"] = "atlas_ranges.png"
    fig.savefig(os.path.join(folder, files["ranges"]), dpi=110, bbox_inches="tight")
    plt.close(fig)
    return files


# -- hidden minima: the fixed-point search, and the basin verdict ------------------------------------
def basin_verdict(points: list[dict[str, Any]], share: Fraction = DESIGN_SHARE) -> tuple[bool, str | None]:
    """(hidden_minimum, the sentence) of a branch from its points (``minimum``, ``count``,
    ``converged``, ``basin_interval_95``).  A branch is a **hidden minimum** when it is a minimum at
    some k of the atlas and, at every such k, the upper end of the 95 % Wilson interval of its basin
    share is below ``share`` (0.5 %, the share the default campaigns are sized to meet): the
    campaigns show that its basin is smaller than that (estimated).  A minimum no run reached whose
    upper ends are not all below ``share`` is "not reached in N runs" (too few runs to say more);
    a branch some run reached, or no minimum, gets no sentence."""
    mins = [p for p in points if p.get("minimum")]
    if not mins or any(p.get("count") for p in mins):
        return False, None
    his = [p["basin_interval_95"][1] for p in mins]
    runs = sorted({int(p.get("converged") or 0) for p in mins})
    n = "/".join(str(r) for r in runs)
    if max(his) < float(share):
        return True, (f"a hidden minimum: no run reached it where it is a minimum, and the 95 % Wilson upper bound "
                      f"of its basin share there is at most {100 * max(his):.2f} % < {100 * float(share):g} % "
                      f"({n} converged runs per k; estimated)")
    return False, (f"not reached in {n} converged runs per k where it is a minimum (the 95 % Wilson upper bound "
                   f"of its share, up to {100 * max(his):.2f} %, does not exclude {100 * float(share):g} %)")


def fixed_point_search(branches: list[Branch], results: dict[str, dict[str, Any]], ks: list[int], starts: int,
                       seed: int = 0, dps: int = 30, progress: bool = False) -> tuple[list[Branch], dict[str, Any]]:
    """Search every fixed-point space of dimension ≤ 6 that the campaigns revealed for minima
    (:mod:`symcrit.landscape.hidden`): at each k, the isotropy types of the branches some run
    reached at k, and ΔS_k (proven complete by :func:`symcrit.critical.enclosure.all_critical_points`).

    Each local minimum of the reduced loss (30 digits) is matched with the branches' points at that
    k (``results``: the branch tasks' ``points`` and ``losses``): same loss to :data:`LOSS_FILTER`,
    then one critical point up to permutations (:func:`coincidences` on uncertified points: checked,
    the k×k matrices agree to :data:`COINCIDENCE_TOL`); it is listed when the branch's point is a
    minimum.  An unmatched one is certified and indexed (:func:`point_index`) and kept if a minimum.  The minima on no branch are grouped into new branches
    (by continuation in real k, as in :func:`group_sightings`), found by "fixed-point search".
    Returns (the new branches, the search record ``{"starts", "seed", "distribution", "spaces"}``)."""
    from tqdm import tqdm

    from symcrit.landscape.hidden import NORM_FLOOR, search_space, search_types

    seen: dict[int, list[Any]] = {k: [] for k in ks}
    for b in branches:
        for k, c in b.sightings.items():
            if c and k in seen:
                seen[k].append(b.blocks)
    by_id = {b.id: b for b in branches}
    todo = search_types(seen)
    spaces: list[dict[str, Any]] = []
    new: list[dict[str, Any]] = []
    new_cps: list[tuple[str, Any]] = []

    def known(k: int, cp: Any) -> dict[str, Any] | None:
        # a branch point at k with the same loss (the filter), then one point up to permutations;
        # the points are not certified here, so a match is 'checked' (the k×k matrices agree to
        # COINCIDENCE_TOL at 30 digits), never proven
        loss = float(cp.loss)
        for bid, res in results.items():
            pts = [p for p in res["points"] if p["k"] == k]
            if not pts or not any(kk == k and not abs(lb - loss) > LOSS_FILTER for kk, lb in res["losses"]):
                continue
            try:
                other = by_id[bid].family.solve(k, dps=dps, verify=False)
            except SymcritError:
                continue
            c = coincidences([(bid, other), ("search", cp)])
            if c:
                return {"branch": bid, "match_evidence": c[0]["evidence"], "minimum": pts[0]["minimum"],
                        "index": pts[0]["index"], "index_evidence": pts[0]["index_evidence"]}
        for nid, ncp in new_cps:
            if ncp.k == k:
                c = coincidences([(nid, ncp), ("search", cp)])
                if c:
                    return {"branch": nid, "match_evidence": c[0]["evidence"], "minimum": True,
                            "index": 0, "index_evidence": "see the new branch's point"}
        return None

    for k, blocks in tqdm(todo, desc="atlas: fixed-point search", unit="space", disable=not progress,
                          file=sys.stderr):
        sp = search_space(blocks, k, starts=starts, seed=seed, dps=dps, index=point_index, known=known)
        for m, cp in zip(sp["minima"], sp.pop("points")):
            if m["branch"] is None:
                nid = f"new {len(new_cps)}"
                new_cps.append((nid, cp))
                new.append({"k": k, "count": 0, "blocks": blocks, "params": m["params"], "tag": nid,
                            "completeness": sp["completeness"]})
                m["branch"], m["match_evidence"] = nid, "a new branch (no branch of the atlas holds this point)"
        spaces.append(sp)
    extra: list[Branch] = []
    if new:
        grouped = group_sightings(new, dps=dps, catalogue=False)
        taken = set(by_id)
        rename = {}
        for g in grouped:
            base = g.id.split("#")[0]
            n, bid = 1, base
            while bid in taken:
                n += 1
                bid = f"{base}#{n}"
            taken.add(bid)
            fam = Family(bid, g.blocks, start=g.family.start)
            extra.append(Branch(bid, fam, "fixed-point search"))
            for sg in new:
                if sg["tag"] not in rename and sg["k"] in g.sightings and _on_branch(fam, sg["k"], sg["params"], dps):
                    rename[sg["tag"]] = bid
        for sp in spaces:
            for m in sp["minima"]:
                m["branch"] = rename.get(m["branch"], m["branch"])
    record = {"starts": starts, "seed": seed, "max_dim": 6,
              "distribution": ("per block of rows: a direction uniform in the row's norm (N(0, 1) parameters over "
                               f"the root of their count), a norm uniform in [{NORM_FLOOR:g}·B_k, B_k], B_k = "
                               "k/π + (1 − 1/π)√k the proven bound on every row norm at a critical point"),
              "method": ("vectorised saddle-free Newton descent of the reduced loss from every start; each local "
                         "minimum solved again at 30 digits and matched with the branches (checked); the others certified "
                         "(Krawczyk) and indexed (point_index); in ΔS_k "
                         "the proven zeros of all_critical_points are added"),
              "spaces": spaces}
    return extra, record


def minimum_range_hull(rec: dict[str, Any]) -> tuple[list[Any], dict[str, str]]:
    """``minimum_range`` of a branch record from its ``minimum_ranges`` (each interval of real k on
    which it is a minimum): their **hull**, [lo of the first, hi of the last] (hi None: a minimum
    up to the end of the scan), and the evidence of those two ends; when there are several
    intervals, ``hull_of`` says so and lists them (the branch is a saddle between them)."""
    rs = rec["minimum_ranges"]
    first, last = rs[0], rs[-1]
    ev = {"lo": first["lo_evidence"], "hi": last["hi_evidence"]}
    if len(rs) > 1:
        ev["hull_of"] = f"the hull of {len(rs)} separate intervals (a saddle between them): " + _ranges_text(rec)
    return [first["lo"], last["hi"]], ev


def _search_markdown(search: dict[str, Any] | None) -> list[str]:
    """The section of atlas.md on the fixed-point search (none without one)."""
    if not search:
        return []
    sp = search["spaces"]
    new = sorted({m["branch"] for s in sp for m in s["minima"] if "new branch" in (m["match_evidence"] or "")})
    out = ["## The fixed-point search for hidden minima", "",
           f"Each fixed-point space of dimension ≤ {search['max_dim']} that the campaigns revealed at k, and ΔS_k, "
           f"searched from {search['starts']} starts (seed {search['seed']}; {search['distribution']}): "
           f"{search['method']}. {len(sp)} searches; "
           + (f"new branches: {', '.join(new)}." if new else "every minimum found lies on a branch of the atlas."), "",
           "| k | space | dim | minima of F (branch) | completeness |", "|---|---|---|---|---|"]
    for s in sp:
        mins = ", ".join(f"{m['branch']}" for m in s["minima"])
        out.append(f"| {s['k']} | Δ({', '.join(s['blocks'])}) | {s['dim']} | {mins} | "
                   f"{s['completeness'].split(' (all_')[0]} |")
    return out + [""]


def loss_constant_closed_form(f: Family, lead: int, ball: Any = None) -> dict[str, Any]:
    """The constant c of the loss asymptotics (the coefficient of s^lead in the series of the critical
    value) in closed form, from the exact series engine (:func:`symcrit.asymptotics.exact.attach_exact`
    on the series of order ``max(lead, 2)``, in one process): ``{"c_exact": sympy string (partial fractions in
    π, e.g. '1/2 - 2/pi**2'), "c_latex", "c_exact_evidence"}``.  The evidence is 'exact' only when
    the engine proves its forms (``exact_info['proof']['status'] == 'proven'``: derived by exact
    arithmetic in Q(π), and the unique zero of the certified truncated system in its Krawczyk box);
    the form is also checked against ``ball`` (the coefficient's ball from the numerical series, an
    independent route).  Where the engine derives no form: only ``c_exact_evidence``, saying why."""
    key = (tuple(str(b) for b in f.space.blocks), tuple(str(v) for v in (f.limit or ())), lead,
           None if ball is None else str(ball))
    if f.limit is not None and key in _CLOSED_FORMS:
        return dict(_CLOSED_FORMS[key])
    out = _loss_constant_closed_form(f, lead, ball)
    if f.limit is not None:
        _CLOSED_FORMS[key] = dict(out)
    return out


#: closed forms already derived in this process, by (blocks, W∞, power, ball): a family defined by
#: its limit W∞ is rebuilt by every branch task, and its exact series costs seconds
_CLOSED_FORMS: dict[tuple[Any, ...], dict[str, Any]] = {}


def _loss_constant_closed_form(f: Family, lead: int, ball: Any) -> dict[str, Any]:
    import sympy

    from symcrit.asymptotics.exact import attach_exact
    from symcrit.asymptotics.series import series

    try:
        S = series(f, order=max(lead, 2), dps=30)
        if S.exact_info is None or S.exact_info.get("route") != "modular":
            # one process: the branch tasks run in parallel already, some on daemonic pool workers
            attach_exact(S, workers=1)
        e = S.exact_form("F", lead, partial=True)
    except (SymcritError, ValueError, ArithmeticError) as exc:
        return {"c_exact_evidence": f"not derived ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})"}
    info = S.exact_info or {}
    proof = info.get("proof") or {}
    if e is None:
        return {"c_exact_evidence": "not derived: " + str((info.get("missing") or {}).get(f"F[{lead}]", info.get("status")))}
    out = {"c_exact": str(e), "c_latex": sympy.latex(e)}
    if ball is not None:
        from flint import arb, ctx as flint_ctx

        with flint_ctx.workprec(200):
            # the form to 45 digits, as a ball with a radius covering the rounding of the decimal
            form = arb(str(sympy.N(e, 50))[:47].rstrip("."), "1e-40")
            if not form.overlaps(ball):
                return {"c_exact_evidence": f"rejected: the form {e} lies outside the ball of the coefficient {ball}"}
    if proof.get("status") == "proven":
        out["c_exact_evidence"] = ("exact (derived in Q(π) by the exact series engine and proven: "
                                   f"{proof.get('statement', '')}; it lies in the ball of the numerical series)")
    else:
        out["c_exact_evidence"] = (f"identified in Q(π), not proven ({proof.get('reason') or info.get('status')}); "
                                   "it lies in the ball of the numerical series")
    return out


def _found_text(found: list[dict[str, Any]]) -> str:
    """'in Δ(k) at k = 6..9, 11 (proven complete); in Δ(1, k-1) at k = 7..20 (estimated complete)'."""
    by: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for f in found:
        by.setdefault(tuple(f["blocks"]), []).append(f)
    parts = []
    for blocks, fs in by.items():
        ks = sorted({f["k"] for f in fs})
        runs: list[list[int]] = []
        for k in ks:
            if runs and k == runs[-1][-1] + 1:
                runs[-1].append(k)
            else:
                runs.append([k])
        kt = ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}..{r[-1]}" for r in runs)
        kinds = sorted({f["completeness"].split(" (")[0] for f in fs})
        match = sorted({(f["match"] or "").split(":")[0] for f in fs})
        parts.append(f"in Δ({', '.join(blocks)}) at k = {kt} ({' / '.join(kinds)}; match {' / '.join(match)})")
    return "; ".join(parts)
