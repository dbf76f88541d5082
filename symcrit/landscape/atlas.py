"""The atlas: every family of critical points that the campaigns meet, followed in real k.

:func:`atlas` runs (or resumes) one discovery campaign per k, identifies every end point, and
groups the points into **branches**: a point at k₂ belongs to the branch of a point at k₁ when the
family defined by the first point (its isotropy type and ``start``), followed by continuation in
real k, arrives at the second point (parameters equal to 1e-8 after Newton at 30 digits) —
connected by following the branch, never by matching loss values.  Catalogued families
(``symcrit families``) are branches too, including those the campaigns never reach: a catalogued
family that is a minimum at some k with no run ending there is a **hidden minimum** (basin share 0,
found by continuation from its definition).

For each branch and each k of the range: the critical value (25 digits), the Hessian index, the
basin share (runs ending there / converged runs) with a 95 % Wilson interval, and the evidence of
each.  For branches with a limit W∞, the series of the critical value gives the asymptotics of the
loss (F → c or k·F → c).

The default number of runs, :data:`DEFAULT_RUNS` = 920, finds every family whose basin share is at
least 0.5 % with probability ≥ 99 % at each k: (1 − 0.005)^920 < 0.01.

Campaign files (``DIR/campaign-kNNN.jsonl``) are the only state: an interrupted atlas resumes where
it stopped, and the same seed gives the same atlas on one machine, on a process pool or on a
dask.distributed cluster.
"""
from __future__ import annotations

import json
import math
import os
import sys
from dataclasses import dataclass, field
from typing import Any

import mpmath

from symcrit.core.errors import SymcritError
from symcrit.critical.families import Family, families
from symcrit.landscape.discover import discover
from symcrit.symmetry.fixedpoint import fixed_point_space

__all__ = ["DEFAULT_RUNS", "atlas", "group_sightings", "wilson_interval", "Branch", "render_markdown", "plot_atlas"]

#: runs per k: a basin share of 0.5 % is met at least once with probability 1 − 0.995^920 > 99 %
DEFAULT_RUNS = 920

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
            d["limit"] = [mpmath.nstr(mpmath.mpf(v), 17) for v in f.limit]
        if f.start is not None:
            d["start"] = [f.start[0], [mpmath.nstr(mpmath.mpf(v), 17) for v in f.start[1]]]
        return d


def _on_branch(fam: Family, k: int, params: list[Any], dps: int) -> bool:
    """True if following ``fam`` in real k to ``k`` arrives at the point ``params``."""
    try:
        cp = fam.solve(k, dps=dps, verify=False)
    except SymcritError:
        return False
    return max(abs(a - mpmath.mpf(b)) for a, b in zip(cp.values, params)) < SAME_POINT


def group_sightings(sightings: list[dict[str, Any]], dps: int = 30,
                    catalogue: bool = True) -> list[Branch]:
    """Group identified end points into branches.

    ``sightings``: ``{k, count, family}`` for points matched to a catalogued family, or
    ``{k, count, blocks, params}`` for new ones (blocks affine in k, refined parameters as decimal
    strings).  A new point joins the first branch of the same isotropy type that, followed by
    continuation in real k, arrives at it; otherwise it starts a branch of its own (registered
    as a family with ``start`` = that point).  With ``catalogue``, every catalogued family is a
    branch too (so that hidden minima are seen)."""
    branches: list[Branch] = [Branch(f.id, f, "catalogue") for f in families() if not f.space.extra] \
        if catalogue else []
    by_id = {b.id: b for b in branches}
    new_count: dict[tuple[str, ...], int] = {}
    for sg in sorted(sightings, key=lambda t: t["k"]):
        k = sg["k"]
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
          scheduler: Any = None, dps: int = 30, progress: bool = False, register: bool = False) -> dict[str, Any]:
    """Build the atlas for the widths ``ks`` (see the module doc).  Returns the JSON-ready dict
    ``{"ks", "runs", "seed", "branches": [...], "campaigns": [...]}`` and, with ``out``, writes
    ``out/atlas.json`` beside the campaign files.  With ``register``, every new branch is
    registered as a family under its id (``symcrit.family("Δ(3,k-3)")``)."""
    from tqdm import tqdm

    ks = sorted({int(k) for k in ks})
    if not ks or ks[0] < 3:
        raise SymcritError("atlas: the widths must be integers k >= 3")
    if runs < 1:
        raise SymcritError("atlas: --runs must be at least 1")
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
    branches = group_sightings(sightings, dps=dps)

    # -- each branch at each k ------------------------------------------------------------------
    for b in tqdm(branches, desc="atlas: branches", unit="branch", disable=not progress, file=sys.stderr):
        for k in ks:
            try:
                cp = b.family.solve(k, dps=dps)
            except SymcritError:
                continue
            conv = campaigns[k]["converged"]
            count = b.sightings.get(k, 0)
            lo, hi = wilson_interval(count, conv)
            index = cp.negative_count
            b.points.append({
                "k": k, "loss": cp.loss_str(25), "index": index,
                "minimum": None if index is None else bool(index == 0 and cp.min_eigenvalue > 0),
                "min_eigenvalue": cp.min_eigenvalue,
                "basin_share": count / conv if conv else None, "basin_interval_95": [lo, hi],
                "runs": campaigns[k]["runs"], "converged": conv, "count": count,
                "evidence": {"point": "checked (Newton at 30 digits; full k×k gradient residual "
                                      f"{mpmath.nstr(cp.gradient_residual, 3)})",
                             "index": "checked (float64 eigenvalues of the dense Hessian at the 30-digit point)",
                             "basin_share": "estimated (campaign frequency; 95 % Wilson interval)",
                             "branch": ("the catalogued family followed in real k" if b.found_by == "catalogue" else
                                        "continuation in real k from the branch's first point arrives at this point")},
            })
    kept = [b for b in branches if b.points and (b.sightings or any(p["minimum"] for p in b.points))]
    if register:
        from symcrit.critical.families import register_family
        for b in kept:
            if b.found_by == "campaigns":
                register_family(b.id, b.blocks, start=b.family.start, replace=True)
    doc = {"ks": ks, "runs": runs, "seed": seed,
           "campaigns": [{"k": k, "runs": campaigns[k]["runs"], "converged": campaigns[k]["converged"],
                          "spurious_fraction": campaigns[k]["spurious_fraction"]} for k in ks],
           "branches": [_branch_record(b) for b in kept]}
    if out:
        with open(os.path.join(out, "atlas.json"), "w") as fh:
            json.dump(doc, fh, indent=1)
    return doc


def _range(ks: list[int]) -> list[int] | None:
    return [min(ks), max(ks)] if ks else None


def _branch_record(b: Branch) -> dict[str, Any]:
    f = b.family
    exists = [p["k"] for p in b.points]
    minima = [p["k"] for p in b.points if p["minimum"]]
    hidden = bool(minima) and not b.sightings
    try:
        k_low = f.k_low
        end = f.track.get("end")
    except SymcritError:
        k_low, end = None, None
    rec: dict[str, Any] = {
        "id": b.id, "blocks": b.blocks, "definition": b.definition(), "found_by": b.found_by,
        "hidden_minimum": hidden,
        "k_range": _range(exists),
        "k_low_continuous": None if k_low is None else mpmath.nstr(mpmath.mpf(k_low), 8),
        "ends_below_by": end,
        "minimum_range": _range(minima),
        "minimum_range_evidence": "checked at the integer widths of the atlas (dense float64 Hessian)",
        "points": b.points,
        "limit": None if f.limit is None else [mpmath.nstr(mpmath.mpf(v), 17) for v in f.limit],
        "loss_asymptotics": None, "series": None,
    }
    if f.limit is not None:
        rec.update(_asymptotics(f))
    return rec


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
        asym = {"form": "F = O(s^%d)" % (order + 1), "evidence": "proven (every ball contains 0)"}
    else:
        what = "F" if lead == 0 else ("k·F" if lead == 2 else f"k^{lead / 2:g}·F")
        asym = {"form": f"{what} → c", "power_of_s": lead, "c": S.value("F", lead, 20),
                "evidence": "the ball of the leading coefficient excludes 0 (the leading powers are checked "
                            "at k = 10^40, 10^60)"}
    return {"loss_asymptotics": asym,
            "series": {"order": order, "leading_powers": S.leading_powers,
                       "params": {n: [S.value(n, j, 20) for j in range(order + 1)] for n in S.names},
                       "loss": [S.value("F", j, 20) for j in range(order + 1)]}}


# ---------------------------------------------------------------------------------------------
def render_markdown(doc: dict[str, Any], figures: dict[str, str] | None = None) -> str:
    """docs/atlas.md from an atlas document: every sentence and table filled from its numbers."""
    ks = doc["ks"]
    out = ["# The atlas of the landscape", "",
           f"Generated by `symcrit atlas --k {ks[0]}:{ks[-1]} --runs {doc['runs']} --seed {doc['seed']}` "
           f"({len(doc['branches'])} branches). Each branch is a family a user can register again from its "
           "definition (`symcrit.register_family(id, **definition)`). Losses are 25-digit values of 30-digit "
           "Newton solutions; indices are *checked* (float64 eigenvalues of the dense Hessian at that point); "
           "basin shares are *estimated* (campaign frequencies, 95 % Wilson intervals).", ""]
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
                + ("; **a hidden minimum** (a minimum that no run reached)" if b["hidden_minimum"] else "")
                + f". Exists at k = {b['k_range'][0]}..{b['k_range'][1]} of the atlas"
                + (f" (the branch ends below k ≈ {b['k_low_continuous']}, {b['ends_below_by']})"
                   if b["k_low_continuous"] else "")
                + (f"; a minimum at k = {b['minimum_range'][0]}..{b['minimum_range'][1]}" if b["minimum_range"]
                   else "; a saddle at every k of the atlas") + ".", ""]
        if b.get("loss_asymptotics") and "form" in b["loss_asymptotics"]:
            a = b["loss_asymptotics"]
            out += [f"As k → ∞: {a['form']}" + (f" with c = {a['c']}" if "c" in a else "") + ".", ""]
        out += ["| k | loss | index | basin share (95 % interval) |", "|---|---|---|---|"]
        for p in b["points"]:
            share = "—" if p["basin_share"] is None else (
                f"{100 * p['basin_share']:.2f} % ({100 * p['basin_interval_95'][0]:.2f}–"
                f"{100 * p['basin_interval_95'][1]:.2f} %)")
            out.append(f"| {p['k']} | {p['loss']} | {p['index']} | {share} |")
        out += ["", "Definition: `" + json.dumps(b["definition"]) + "`", ""]
    return "\n".join(out)


def plot_atlas(doc: dict[str, Any], folder: str) -> dict[str, str]:
    """Figures of an atlas: loss against k (solid where a minimum, dashed where a saddle), basin
    shares against k, and the k-ranges.  Returns {name: file name}."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(folder, exist_ok=True)
    files = {}
    fig, ax = plt.subplots(figsize=(8, 5))
    for b in doc["branches"]:
        pts = b["points"]
        for i in range(len(pts) - 1):
            p, q = pts[i], pts[i + 1]
            style = "-" if p["minimum"] and q["minimum"] else "--"
            ax.plot([p["k"], q["k"]], [float(p["loss"]), float(q["loss"])], style,
                    color=f"C{doc['branches'].index(b) % 10}", label=b["id"] if i == 0 else None)
        if len(pts) == 1:
            ax.plot([pts[0]["k"]], [float(pts[0]["loss"])], "o", color=f"C{doc['branches'].index(b) % 10}",
                    label=b["id"])
    ax.set_yscale("symlog", linthresh=1e-3)
    ax.set_xlabel("k")
    ax.set_ylabel("loss")
    ax.set_title("critical values (solid: minimum, dashed: saddle)")
    ax.legend(fontsize=7)
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
                        fmt="o-", color=f"C{i % 10}", label=b["id"], capsize=2)
    ax.set_xlabel("k")
    ax.set_ylabel("basin share")
    ax.legend(fontsize=7)
    files["basins"] = "atlas_basins.png"
    fig.savefig(os.path.join(folder, files["basins"]), dpi=110, bbox_inches="tight")
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(doc["branches"]) + 1.5))
    for i, b in enumerate(doc["branches"]):
        ks = [p["k"] for p in b["points"]]
        ax.plot([min(ks), max(ks)], [i, i], "--", color="gray")
        mins = [p["k"] for p in b["points"] if p["minimum"]]
        if mins:
            ax.plot([min(mins), max(mins)], [i, i], "-", color=f"C{i % 10}", linewidth=5)
    ax.set_yticks(range(len(doc["branches"])), [b["id"] for b in doc["branches"]], fontsize=7)
    ax.set_xlabel("k (thick: minimum; dashed: exists)")
    files["ranges"] = "atlas_ranges.png"
    fig.savefig(os.path.join(folder, files["ranges"]), dpi=110, bbox_inches="tight")
    plt.close(fig)
    return files
