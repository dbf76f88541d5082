"""CLI commands — Critical points: ``solve``, ``families``, ``folds``."""
from __future__ import annotations

import sys

from symcrit.cli.registry import (UsageError, add_dps, add_family, add_k, add_output, add_range, check_cost, log10_size,
                                  check_dps, command, emit, parse_k, parse_value, progress_enabled, table)
from symcrit.core.numbers import format_exact


def _solve_args(p):
    add_family(p, "family id (see 'symcrit families')")
    add_k(p, "k, exact: 7, 7.5, 15/2, 1e30, 10**30; a list 6,8,10; a range 6:20 or 6:8:1/2")
    add_dps(p, 50, "decimal digits (15 to 1000+; default 50)")
    p.add_argument("--certify", action="store_true",
                   help="prove each point with ball arithmetic: critical (Krawczyk) and, at integer k, its "
                        "Hessian index (inertia of every isotypic block over the Krawczyk box)")
    add_output(p, "print JSON records")


@command("solve", "critical points of a family at given k, to any precision", _solve_args)
def _solve(args):
    from tqdm import tqdm

    from symcrit.critical.families import family

    fam = family(args.family)
    ks = parse_k(args.k)
    check_dps(args)
    check_cost(args, len(ks) * solve_seconds(args.dps, max(ks), args.certify), f"solve at {len(ks)} k to {args.dps} digits")
    points, evidence = [], []
    for k in tqdm(ks, desc=f"solve {fam.id}", unit="k", disable=not progress_enabled(args), leave=False,
                  file=sys.stderr):
        cp = fam.solve(k, dps=args.dps)
        if args.certify:
            from symcrit.spectra.inertia import evidence_record
            cp.certify()
            evidence.append(evidence_record(cp))
        points.append(cp)
    if args.json:
        recs = [cp.to_dict() for cp in points]
        for rec, ev in zip(recs, evidence):
            rec.update(ev)
        emit(recs)
        return 0
    names = [str(p) for p in fam.space.params]
    dig = min(args.dps, 22)
    head = ["k", "F", "residual", "λ_min", "neg"] + (["certified", "index"] if args.certify else []) + names
    rows = []
    for i, cp in enumerate(points):
        d = cp.to_dict()
        row = [format_exact(cp.k, dig), cp.loss_text(dig), d["gradient_residual"],
               "-" if cp.min_eigenvalue is None else f"{cp.min_eigenvalue:.4g}",
               "-" if cp.negative_count is None else str(cp.negative_count)]
        if args.certify:
            row.append(f"yes (r={d['radius']})" if cp.certified else "NO")
            ev = evidence[i]
            row.append("-" if ev["index"] is None else f"{ev['index']} ({ev['evidence'].get('index')})")
        row += [cp.param_texts(12)[n] for n in names]
        rows.append(row)
    print(f"family {fam.id}: isotropy Δ(" + " × ".join(f"S_{{{b}}}" for b in fam.space.blocks) + f"), {args.dps} digits")
    table(head, rows)
    if args.certify and not all(cp.certified for cp in points):
        for cp in points:
            if not cp.certified:
                print(f"k = {format_exact(cp.k)}: not certified: {cp.certificate.reason}")
    return 0


def _families_args(p):
    p.add_argument("--detail", action="store_true",
                   help="also follow each branch in k (a few seconds per family): where it ends and why")
    add_output(p, force=False)


@command("families", "list the registered families of critical points (instant; --detail follows the branches)",
         _families_args)
def _families(args):
    from tqdm import tqdm

    from symcrit.critical.families import closed_form_families, enclosure_families, families

    recs = []
    fams = families() + enclosure_families()
    for f in tqdm(fams, desc="families", unit="family", disable=not (args.detail and progress_enabled(args)),
                  leave=False, file=sys.stderr):
        sel = ({"limit": [format_exact(v) for v in f.limit]} if f.limit is not None
               else {"start": [format_exact(f.start[0]), [format_exact(v) for v in f.start[1]]]})
        rec = {"id": f.id, "kind": "enclosure" if f.origin == "enclosure" else "branch", "blocks": list(f.space.blocks),
               "n": "k+1" if f.space.extra else "k",
               "params": [str(p) for p in f.space.params], "description": f.description,
               "space_k_min": f.space.k_min, "selector": sel}
        if args.detail:
            t = f.track
            rec.update({"k_low": round(t["k_low"], 6), "k_min": f.k_min, "branch_end": t["end"]})
        recs.append(rec)
    # critical points given by a closed form in k (valid for every k the space allows: no branch to follow)
    for f in closed_form_families():
        rec = {"id": f.id, "kind": "closed form", "blocks": list(f.space.blocks), "n": "k+1" if f.space.extra else "k",
               "params": [str(p) for p in f.space.params], "description": f.description,
               "space_k_min": f.space.k_min, "selector": {"closed_form": [str(v) for v in f.exact_values()]},
               "derivation": f.derivation}
        if args.detail:
            rec.update({"k_low": float(f.space.k_min), "k_min": f.space.k_min, "branch_end": "closed form"})
        recs.append(rec)
    if args.json:
        emit(recs)
        return 0
    head = ["id", "isotropy", "params"] + (["k ≥ (branch)", "k_low", "ends at"] if args.detail else ["k ≥ (space)"])
    for kind in ("branch", "enclosure", "closed form"):
        rows = []
        for r in recs:
            if r["kind"] != kind:
                continue
            row = [r["id"], "(" + ", ".join(r["blocks"]) + ")" + (" + row" if r["n"] != "k" else ""), ", ".join(r["params"])]
            row += [str(r["k_min"]), f"{r['k_low']:.6g}", r["branch_end"]] if args.detail else [str(r["space_k_min"])]
            rows.append(row + [r["description"]])
        if not rows:
            continue
        if kind == "enclosure":
            print("\nbranches found by the interval branch-and-bound (`symcrit enclose`), not in the catalogue "
                  "(symcrit.enclosure_families()):")
        if kind == "closed form":
            print("\ncritical points in closed form (every k of the space; `symcrit solve ID --k K` evaluates them):")
        table(head + ["description"], rows)
    if not args.detail:
        print("(k ≥ (space): where the isotropy type exists; a branch may end above it: "
              "`symcrit families --detail` follows each branch)")
    return 0


def _folds_args(p):
    add_family(p, "family id (or give --blocks, --at and --x)", optional=True)
    p.add_argument("--blocks", help="isotropy type, e.g. 3,k-3 (with --at and --x)")
    p.add_argument("--at", help="k of the starting critical point (with --blocks)")
    p.add_argument("--x", help="its parameter values, comma-separated (a few digits suffice)")
    add_range(p, "2", "20", "lowest k (default 2)", "highest k (default 20)")
    p.add_argument("--digits", type=int, default=30, help="digits of k* (default 30, at least 10)")
    add_output(p)


def _steering(text, option):
    """A value that only steers the float64 continuation (a scan bound, a start): exact in, then a
    float; beyond the float range it is a user error."""
    v = parse_value(text, option)
    try:
        return float(v)
    except OverflowError:
        raise UsageError(f"{option}: {text!r} is beyond the float64 range of the branch tracker") from None


@command("folds", "folds of a branch in real k: follow it through its turns, prove each (Krawczyk) to --digits",
         _folds_args)
def _folds(args):
    from symcrit.critical.folds import folds

    # the scan range and the start only steer a float64 continuation (a predictor): the folds
    # themselves are refined to --digits from there
    args.k_lo, args.k_hi = _steering(args.k_lo, "--from"), _steering(args.k_hi, "--to")
    if args.at is not None:
        args.at = _steering(args.at, "--at")
    if args.k_lo >= args.k_hi:
        raise UsageError("--from must be below --to")
    if args.digits < 10:
        raise UsageError("--digits must be at least 10")
    check_cost(args, fold_seconds(args.digits, args.k_hi - args.k_lo), f"folds to {args.digits} digits")
    if args.family:
        if args.blocks or args.x or args.at is not None:
            raise UsageError("give a family id, or --blocks with --at and --x, not both")
        from symcrit.critical.families import family
        fam = family(args.family)
        k0 = args.k_hi if fam.k_low <= args.k_hi else fam.k_low
        space, x0 = fam.space, [float(v) for v in fam.solve(k0, dps=20, verify=False).values]
        label = fam.id
    else:
        if not (args.blocks and args.x and args.at is not None):
            raise UsageError("give a family id, or all of --blocks, --at and --x")
        from symcrit.symmetry.fixedpoint import FixedPointSpace
        space, k0 = FixedPointSpace(args.blocks), args.at
        x0 = [_steering(v, "--x") for v in args.x.split(",")]
        if len(x0) != space.dim:
            raise UsageError(f"--x needs {space.dim} values {tuple(map(str, space.params))}, got {len(x0)}")
        label = "[" + ", ".join(space.blocks) + "]"
    from symcrit.spectra.crossings import attach_arm_spectra

    res = [attach_arm_spectra(f).to_dict() for f in folds(space, x0, k0, args.k_lo, args.k_hi, args.digits)]
    if args.json:
        emit(res)
        return 0
    if not res:
        print(f"{label}: the branch has no fold for k in [{args.k_lo:g}, {args.k_hi:g}]")
        return 0
    table(["k* (proven digits)", "two points for", "certified", "negative (distinct) on the arms"],
           [[f["k"] or "not proven", f"k {'>' if f['side'] == 'above' else '<'} k*" if f["side"] else "not decided",
             f["certified"], " / ".join(str(a["negative_distinct"]) for a in f["arms"])] for f in res])
    return 0


# -- cost model (seconds on one core of a small 2-core machine; a rough guide, not a promise) ----
def solve_seconds(dps: int, k=6, certify: bool = False) -> float:
    """Newton at d digits (d = dps + guard digits that grow with log10 k) takes about
    1.3 (d/2000)^1.8 s (measured: 0.03 s at 50 digits, 0.24 s at 800, 1.3 s at 2000); certifying
    (ball arithmetic) about triples it."""
    d = dps + 15 + 3 * max(0.0, log10_size(k))
    return (0.05 + 1.3 * (d / 2000) ** 1.8) * (3 if certify else 1)


def fold_seconds(digits: int, k_range: float) -> float:
    """A branch trace (about 2 s per unit of k) plus the refinement at digits (Krawczyk, two precisions)."""
    return 5.0 + 2.0 * k_range + 2.0 * (digits / 30) ** 2
