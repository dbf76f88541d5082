"""CLI commands — The main job: ``reproduce``."""
from __future__ import annotations

from symcrit.cli.registry import add_output, check_output_dir, command, emit, progress_enabled, table


def _reproduce_args(p):
    p.add_argument("--out", default="symcrit-report", help="output folder (default symcrit-report)")
    p.add_argument("--quick", action="store_true", help="a smoke test: coarse crossing scans of sk1 and s2, small campaigns, no eigenvalue series (the report says so at the top; several verdicts are inconclusive)")
    p.add_argument("--only", default=None, help="comma-separated claim ids to run (default: all)")
    p.add_argument("--atlas", metavar="DIR", default=None,
                   help="the folder of a 'symcrit atlas' run: the Safran–Shamir claim reads its campaigns")
    p.add_argument("--complete", action="store_true",
                   help="claim 'fractional k': also prove that the crossing scans miss no crossing (minutes per family)")
    add_output(p, "print the report as JSON (verdict, facts, checks, provenance per claim)", force=False)


def _command_line(args):
    """The command line as typed when run from a shell, else as parsed."""
    import os
    import shlex
    import sys

    if "reproduce" in sys.argv[1:]:
        prog = os.path.basename(sys.argv[0])
        prog = "symcrit" if prog in ("", "__main__.py", "main.py") else prog   # python -m symcrit.cli
        return shlex.join([prog] + sys.argv[1:])
    parts = ["symcrit", "reproduce", "--out", args.out] + (["--quick"] if args.quick else []) \
        + (["--only", args.only] if args.only else []) + (["--atlas", args.atlas] if args.atlas else []) \
        + (["--complete"] if args.complete else []) + (["--json"] if args.json else [])
    return shlex.join(parts)


@command("reproduce", "regenerate the seed papers' claims with verdicts: report.md, report.json, plots", _reproduce_args)
def _reproduce(args):
    from symcrit.report.reproduce import reproduce

    from symcrit.cli.registry import UsageError
    from symcrit.report.reproduce import CLAIMS

    only = [x.strip() for x in args.only.split(",") if x.strip()] if args.only else None
    if args.only is not None and not only:
        raise UsageError("--only: give at least one claim id")
    unknown = sorted(set(only or ()) - {s.id for s in CLAIMS})
    if unknown:  # before the output folder is created
        raise UsageError(f"--only: unknown claim id(s) {', '.join(unknown)}; known: {', '.join(s.id for s in CLAIMS)}")
    check_output_dir(args.out, "--out")
    doc = reproduce(args.out, progress=progress_enabled(args), quick=args.quick, only=only, command=_command_line(args),
                    atlas=args.atlas, complete=args.complete)
    if args.json:
        emit(doc)
        return 0
    mode = "QUICK RUN (a smoke test, not the report)" if args.quick else "full run"
    print(f"symcrit reproduce: {len(doc['claims'])} claims in {doc['seconds']:.0f} s, {mode} -> {args.out}/report.md")
    table(["verdict", "checks", "seconds", "claim"],
          [[c["verdict"], f"{sum(1 for x in c['checks'] if x['passed'])}/{len(c['checks'])}", f"{c['seconds']:.0f}",
            c["title"]] for c in doc["claims"]])
    return 0
