"""CLI commands — The main job: ``reproduce``."""
from __future__ import annotations

from symcrit.cli.registry import command, emit, table


def _reproduce_args(p):
    p.add_argument("--out", default="symcrit-report", help="output folder (default symcrit-report)")
    p.add_argument("--quick", action="store_true", help="a smoke test: coarse crossing scans of sk1 and s2, small campaigns (not the report's verdicts)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")


@command("reproduce", "regenerate the seed papers' claims with verdicts: report.md, report.json, plots", _reproduce_args)
def _reproduce(args):
    from symcrit.report.reproduce import reproduce

    doc = reproduce(args.out, progress=not args.json, quick=args.quick)
    if args.json:
        emit(doc)
        return 0
    print(f"symcrit reproduce: {len(doc['claims'])} claims in {doc['seconds']:.0f} s -> {args.out}/report.md")
    table(["verdict", "seed", "claim"], [[c["verdict"], c["seed"], c["claim"][:90]] for c in doc["claims"]])
    return 0
