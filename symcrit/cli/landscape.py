"""CLI commands — The landscape: ``discover``, ``count``, ``atlas``."""
from __future__ import annotations

import sys

from symcrit.cli.registry import (UsageError, add_campaign, add_k, add_output, add_plot, check_cost,
                                  check_output_dir, check_output_file, command, emit, parse_k, progress_enabled, table)


#: the largest width a campaign accepts, even with --force (a batch of n×k float64 matrices)
MAX_DENSE = 10_000


def _discover_args(p):
    add_k(p, "teacher width k (a number, list or range: 6:20)")
    p.add_argument("--runs", type=int, required=True, help="random starts per k")
    p.add_argument("--n", type=int, default=None, help="student width n >= k (default k; n > k: no identification)")
    p.add_argument("--out", metavar="FILE", help="JSON-lines file of finished runs: resumes an interrupted campaign")
    add_campaign(p, "batches")
    add_output(p)


@command("discover", "gradient-based campaigns from random starts; every minimum identified", _discover_args)
def _discover(args):
    from symcrit.landscape.discover import discover

    ks = parse_k(args.k)
    if not all(isinstance(k, int) and k >= 2 for k in ks):
        raise UsageError("--k must be integers >= 2")
    if args.runs < 1 or args.jobs < 1:
        raise UsageError("--runs and --jobs must be positive")
    if args.seed < 0:
        raise UsageError(f"--seed must be an integer >= 0 (got {args.seed})")
    if args.n is not None and args.n < max(ks):
        raise UsageError(f"--n must be >= k (got n = {args.n})")
    if max(args.n or 0, max(ks)) > MAX_DENSE:  # even with --force: the runs hold n×k float64 matrices
        raise UsageError(f"--k/--n: the campaigns run dense gradient descent on n×k matrices: up to {MAX_DENSE}")
    # everything a user can get wrong is checked before the first run: files, old records, scheduler
    from symcrit.landscape.discover import check_scheduler, read_campaign
    paths = {k: (args.out if len(ks) == 1 else f"{args.out}.k{k}") if args.out else None for k in ks}
    for k, path in paths.items():
        check_output_file(path, "--out")
        read_campaign(path)
    if args.scheduler:
        check_scheduler(args.scheduler)
    check_cost(args, sum(discover_seconds(k, args.n or k, args.runs) for k in ks) / (1 if args.scheduler else args.jobs),
               f"discover: {args.runs} runs at {len(ks)} k")
    out = []
    for k in ks:
        out.append(discover(k, args.runs, seed=args.seed, n=args.n, jobs=args.jobs, out=paths[k],
                            progress=progress_enabled(args), scheduler=args.scheduler))
    if args.json:
        emit(out[0] if len(out) == 1 else out)
        return 0
    for s in out:
        frac = "-" if s["spurious_fraction"] is None else f"{100 * s['spurious_fraction']:.1f}%"
        print(f"k = {s['k']}, n = {s['n']}: {s['converged']}/{s['runs']} runs converged, spurious {frac}")
        table(["loss", "isotropy", "family", "count", "λ_min", "what is known"],
               [[f"{m['loss']:.9f}", "-" if m["isotropy"] is None else "(" + ", ".join(map(str, m["isotropy"])) + ")",
                 m["family"] or ("new" if "definition" in m else "-"), m["count"],
                 "-" if m["min_eigenvalue"] is None else f"{m['min_eigenvalue']:.5f}",
                 f"{m['kind']}: {m['evidence']}"] for m in s["minima"]])
    return 0


def _count_args(p):
    p.add_argument("--rstar", type=int, required=True, help="width r* the target needs (>= 1)")
    p.add_argument("--m", type=int, required=True, help="width m = r* + h of the network (>= r*)")
    p.add_argument("--crossover", action="store_true", help="also the smallest h at which T exceeds the sum of G")
    add_plot(p, "plot log10(sum_r G(r, r*+h) / T(r*, r*+h)) against h")
    add_output(p, "print JSON (exact integers)")


@command("count", "T(r*, m) and G(r, m): affine subspaces of global minima and of symmetry-induced critical "
         "points (Şimşek et al.)", _count_args)
def _count(args):
    from symcrit.landscape.counting import count, crossover

    if args.rstar < 1 or args.m < args.rstar:
        raise UsageError("need --rstar >= 1 and --m >= --rstar")
    if args.crossover and args.rstar < 2:
        raise UsageError("--crossover needs --rstar >= 2 (there is no width r < r* = 1)")
    check_output_file(args.plot, "--plot")
    est = count_seconds(args.rstar, args.m)
    if args.crossover:
        # the crossover scans h = 0, 1, … up to at most 10 r* + 10
        est += sum(count_seconds(args.rstar, args.rstar + h) for h in range(10 * args.rstar + 11))
    check_cost(args, est, f"count with r* = {args.rstar}, m = {args.m}")
    sys.set_int_max_str_digits(0)
    c = count(args.rstar, args.m)
    if args.crossover:
        c["crossover_h"] = crossover(args.rstar)
    if args.plot:
        from symcrit.report.plots import plot_counts
        plot_counts(args.plot, sorted({2, 3, 5, 10, args.rstar}) if args.rstar >= 2 else [2, 3, 5, 10])
    if args.json:
        emit({"rstar": c["rstar"], "m": c["m"], "h": c["h"], "T": c["T"], "G": {str(r): v for r, v in c["G"].items()},
              "G_total": c["G_total"], **({"crossover_h": c["crossover_h"]} if args.crossover else {})})
        return 0

    def short(x):
        s = str(x)
        return s if len(s) <= 40 else f"{s[:12]}...{s[-6:]} ({len(s)} digits)"
    print(f"r* = {c['rstar']}, m = {c['m']} (h = {c['h']}): T = r*! S(m+1, r*+1), G(r) = r! S(m+1, r+1)")
    table(["r", "G(r, m)"], [[r, short(v)] for r, v in c["G"].items()] + [["sum", short(c["G_total"])],
                                                                          ["T", short(c["T"])]])
    if args.crossover:
        print(f"T exceeds the sum of G from h = {c['crossover_h']} on")
    return 0


def _atlas_args(p):
    add_k(p, "the widths: a range 6:20 or a list (integers >= 3)")
    from symcrit.landscape.atlas import DEFAULT_RUNS, DESIGN_MISS, DESIGN_SHARE

    p.add_argument("--runs", type=int, default=None,
                   help=f"random starts per k (default {DEFAULT_RUNS}, computed: the fewest runs that meet a basin "
                        f"share of {float(DESIGN_SHARE) * 100:g} %% at least once with probability >= "
                        f"{float(1 - DESIGN_MISS) * 100:g} %%)")
    p.add_argument("--out", metavar="DIR", default="symcrit-atlas",
                   help="folder for the campaign files, atlas.json, atlas.md and figures (default symcrit-atlas); "
                        "an interrupted atlas resumes from it")
    p.add_argument("--no-enclosure", action="store_true",
                   help="leave out the branches found by the interval branch-and-bound (symcrit families: "
                        "kind 'enclosure'; saddles no run reaches, included by default)")
    from symcrit.landscape.hidden import HIDDEN_STARTS

    p.add_argument("--hidden-starts", type=int, default=HIDDEN_STARTS, metavar="N",
                   help=f"starts of the search for hidden minima in each fixed-point space of dimension <= 6 the "
                        f"campaigns revealed, at each k (default {HIDDEN_STARTS}; 0: no search)")
    add_campaign(p, "campaigns")
    add_output(p, "print the atlas as JSON", force=False)


@command("atlas", "the map of the landscape: every family the campaigns meet, followed in real k, with its "
         "minimum range, basin shares and asymptotics", _atlas_args)
def _atlas(args):
    import os

    from symcrit.landscape.atlas import DEFAULT_RUNS, atlas, plot_atlas, range_end_texts, render_markdown

    ks = parse_k(args.k)
    if not all(isinstance(k, int) and k >= 3 for k in ks):
        raise UsageError("--k must be integers >= 3")
    if max(ks) > MAX_ATLAS_K:
        raise UsageError(f"--k: the atlas goes up to k = {MAX_ATLAS_K} (got {max(ks)}): an end point whose "
                         "isotypic blocks fail is classified by the dense k²×k² Hessian, k⁴·8 bytes (0.8 GB at k = 100)")
    runs = DEFAULT_RUNS if args.runs is None else args.runs
    if runs < 1 or args.jobs < 1:
        raise UsageError("--runs and --jobs must be positive")
    if args.hidden_starts < 0:
        raise UsageError(f"--hidden-starts must be >= 0 (got {args.hidden_starts})")
    if args.seed < 0:
        raise UsageError(f"--seed must be an integer >= 0 (got {args.seed})")
    if args.scheduler:
        from symcrit.landscape.discover import check_scheduler
        check_scheduler(args.scheduler)
    check_output_dir(args.out, "--out")
    try:
        probe = os.path.join(args.out, ".symcrit-write-test")
        with open(probe, "w"):
            pass
        os.remove(probe)
    except OSError as exc:
        raise UsageError(f"--out {args.out}: cannot write there ({exc.strerror})") from None
    # the campaign files already there (an interrupted atlas) are read now, not after hours of work
    from symcrit.landscape.discover import read_campaign
    for k in ks:
        read_campaign(os.path.join(args.out, f"campaign-k{k:03d}.jsonl"))
    check_cost(args, sum(discover_seconds(k, k, runs) for k in ks) / (1 if args.scheduler else args.jobs),
               f"atlas: the campaigns alone ({runs} runs at each of {len(ks)} widths; resumable: interrupt and run "
               "the same command again; the analysis of the branches comes after them)", limit=float("inf"))
    try:
        doc = atlas(ks, runs=runs, seed=args.seed, out=args.out, jobs=args.jobs, scheduler=args.scheduler,
                    progress=progress_enabled(args), enclosure=not args.no_enclosure,
                    hidden_starts=args.hidden_starts)
    except KeyboardInterrupt:
        print(f"symcrit atlas: the finished runs are kept in {args.out}/campaign-k*.jsonl: "
              "run the same command again to resume", file=sys.stderr)
        raise
    figures = plot_atlas(doc, args.out)
    with open(os.path.join(args.out, "atlas.md"), "w") as fh:
        fh.write(render_markdown(doc, figures))
    if args.json:
        emit(doc)
        return 0
    print(f"symcrit atlas: {len(doc['branches'])} branches for k = {ks[0]}..{ks[-1]} ({runs} runs per k) "
          f"-> {args.out}/atlas.json, atlas.md")
    table(["branch", "isotropy", "exists", "minimum", "found by"],
          [[b["id"], "(" + ", ".join(b["blocks"]) + ")", f"{b['k_range'][0]}..{b['k_range'][1]}",
            "-" if b["minimum_range"] is None else ", ".join(
                "%s..%s" % range_end_texts(b, r) for r in (b.get("minimum_ranges") or
                                                           [{"lo": b["minimum_range"][0], "hi": b["minimum_range"][1]}])),
            b["found_by"] + (" (hidden minimum)" if b["hidden_minimum"] else
                             " (not reached)" if b.get("basin_verdict") else "")] for b in doc["branches"]])
    return 0


#: the widest atlas: campaign end points are classified by the isotypic blocks of the Hessian, and by
#: the dense k²×k² Hessian (k⁴·8 bytes) only where the blocks fail
MAX_ATLAS_K = 64


def discover_seconds(k: int, n: int, runs: int) -> float:
    """A gradient run at width k costs about 0.05 (k/10)^3 (n/k) s (batched float64 descent)."""
    kk = min(k, 10**9)  # the estimate is astronomical long before (and k / 10 of 10**400 overflows a float)
    return runs * 0.05 * max(1.0, (kk / 10) ** 3) * (min(n / k, 10.0) if k < 10**300 else 1.0) + 2.0


def count_seconds(rstar: int, m: int) -> float:
    """One Stirling row S(m + 1, 0 .. r* + 1), a product of integer polynomials: measured 0.3 s at
    r* = 100, m = 10^4 and 19 s at r* = 1000, m = 10^4: about 19 (r*/1000)^1.8 (m/10^4)^1.5 s."""
    return 0.05 + 19.0 * (rstar / 1000) ** 1.8 * (m / 1e4) ** 1.5
