"""CLI command — ``enclose``: every critical point in a box of a fixed-point space, proven complete
by interval branch-and-bound (:mod:`symcrit.critical.enclosure`)."""
from __future__ import annotations

import sys

from symcrit.cli.registry import UsageError, add_force, check_cost, command, emit, parse_k, progress_enabled, table


#: the largest k enclose accepts (the domain is built on the k×k slot pattern; k = 1000 takes ~6 s)
MAX_K = 10_000


def _args(p):
    p.add_argument("target", help="a family id (its isotropy type) or block sizes: k | 1,k-1 | 2,k-2 …")
    p.add_argument("--k", required=True, help="integer k, a list 6,8,10 or a range 6:20")
    p.add_argument("--box", help="search box in the parameters, NAME=LO:HI,… (unnamed parameters keep the "
                                 "proven default range); searches in the parameters themselves")
    p.add_argument("--rho", help="smallest row norm searched (default: 7/8 of the proven bound for ΔS_k; "
                                 "assumed for the other spaces)")
    p.add_argument("--max-boxes", type=int, default=200_000, help="box budget per k (default 200000; the boxes left are reported undecided)")
    p.add_argument("--min-width", default="1e-9", help="smallest relative box width (default 1e-9)")
    add_force(p)
    p.add_argument("--json", action="store_true", help="print JSON records")


def _space(target):
    from symcrit.core.errors import UnknownFamily
    from symcrit.critical.families import family
    from symcrit.symmetry.fixedpoint import BlocksError, FixedPointSpace
    try:
        return family(target).space
    except UnknownFamily:
        pass
    try:
        return FixedPointSpace(target)
    except BlocksError as exc:
        raise UsageError(f"{target!r} is neither a family id (see 'symcrit families') nor block sizes: {exc}") from None


def _box(text, space):
    from symcrit.core.numbers import parse_number
    from symcrit.core.errors import BadInput
    names = [str(p) for p in space.params]
    given = {}
    for part in text.split(","):
        if "=" not in part or ":" not in part:
            raise UsageError(f"--box: {part!r} must be NAME=LO:HI (parameters {', '.join(names)})")
        name, rng = (t.strip() for t in part.split("=", 1))
        if name not in names:
            raise UsageError(f"--box: unknown parameter {name!r}; parameters are {', '.join(names)}")
        lo, hi = rng.split(":", 1)
        try:
            lo, hi = parse_number(lo, name=f"--box {name}"), parse_number(hi, name=f"--box {name}")
        except BadInput as exc:
            raise UsageError(str(exc)) from None
        if lo > hi:
            raise UsageError(f"--box: {name}: LO must not exceed HI")
        given[name] = (lo, hi)
    return given


@command("enclose", "all critical points in a box of a fixed-point space, proven complete (interval branch-and-bound)",
         _args)
def _enclose(args):
    from tqdm import tqdm

    from symcrit.core.numbers import parse_number
    from symcrit.core.errors import BadInput
    from symcrit.critical.enclosure import all_critical_points, default_box

    space = _space(args.target)
    ks = parse_k(args.k)
    if any(not isinstance(k, int) for k in ks):
        raise UsageError("--k: enclosures need integer k")
    for k in ks:
        if k > MAX_K:
            raise UsageError(f"--k: enclose builds the k×k slot pattern of the fixed-point space: k up to {MAX_K}, "
                             f"got {k if k < 10**12 else f'about 10^{len(str(k)) - 1}'}")
        if k < space.k_min:
            raise UsageError(f"--k: the isotropy type ({', '.join(space.blocks)}) needs k >= {space.k_min}, got {k}")
    if args.max_boxes < 1:
        raise UsageError("--max-boxes must be at least 1")
    try:
        min_width = float(parse_number(args.min_width, name="--min-width", positive=True))
        rho = None if args.rho is None else parse_number(args.rho, name="--rho")
    except BadInput as exc:
        raise UsageError(str(exc)) from None
    if not 0 < min_width < 1:
        raise UsageError("--min-width must be in (0, 1)")
    if rho is not None and rho < 0:
        raise UsageError("--rho must be >= 0")
    given = _box(args.box, space) if args.box else None
    # about 2 ms a box on this kind of machine; a 2-parameter space needs a few thousand boxes
    check_cost(args, len(ks) * args.max_boxes * 0.002 if space.dim > 2 else len(ks) * 5.0,
               f"enclose at {len(ks)} k (up to {args.max_boxes} boxes each)")
    recs = []
    for k in ks:
        box = None
        if given is not None:
            dbox, _ = default_box(space, k)
            box = [given.get(str(p), (lo, hi)) for p, (lo, hi) in zip(space.params, dbox)]
        bar = tqdm(desc=f"enclose k = {k}", unit="box", disable=not progress_enabled(args), leave=False,
                   file=sys.stderr)
        last = [0]

        def progress(n, bar=bar, last=last):
            bar.update(n - last[0])
            last[0] = n
        try:
            enc = all_critical_points(space, k, box, rho=None if rho is None else str(rho),
                                      max_boxes=args.max_boxes, min_width=min_width, progress=progress)
        except BadInput as exc:
            raise UsageError(str(exc)) from None
        finally:
            bar.close()
        recs.append(enc.to_dict())
    if args.json:
        emit(recs)
        return 0
    for r in recs:
        print(f"Δ({', '.join(r['blocks'])}) at k = {r['k']}: {r['critical_points']} critical points, "
              f"{r['boxes']['boxes']} boxes, {r['seconds']} s, evidence: {r['evidence']}")
        print(f"  domain: {r['domain']['statement']}")
        rows = []
        for p in r["points"]:
            rows.append([p["family"] or "new", p["loss"], "yes" if p["in_domain"] else "no (outside)"]
                        + [f"{float(p['values'][n]):.12g}" for n in r["params"]])
        if rows:
            table(["family", "F", "in domain"] + r["params"], rows)
        for a in r.get("aligned", []):
            vals = ", ".join(f"{n} = {float(v):.12g}" for n, v in a["values"].items())
            print(f"  critical point in an excluded box (proven in ΔS_k): {a['label']}: {vals}")
        for c in r.get("continua", []):
            fam = f" (through the point of {c['family']})" if c.get("family") else ""
            print(f"  continuum of critical points: {c['label']}{fam}, F = {c['loss']}: the only zeros in its "
                  f"{c['tube_boxes']} tubes (proven)")
        if r["undecided_count"]:
            print(f"  undecided boxes: {r['undecided_count']} (first: {r['undecided'][0]['reason']})")
            for reason, n in r["undecided_reasons"].items():
                print(f"    {n} x {reason}")
        else:
            print("  complete: no box undecided (every box decided by a proof)")
        cat = r["catalogue"]
        if cat is not None:
            print(f"  catalogue ({', '.join(cat['families']) or 'no family'}): matched "
                  f"{', '.join(cat['matched']) or 'none'}; new: {len(cat['new'])}; "
                  f"missing: {', '.join(cat['missing']) or 'none'}; full k×k gradient at the points: "
                  f"max |dF/dW| = {', '.join(cat['full_gradient_residual'].values()) or '-'} (checked)")
    return 0
