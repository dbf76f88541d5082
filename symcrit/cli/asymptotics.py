"""CLI commands — Series in s = k^(-1/2): ``series``, ``validate``, ``eigseries``."""
from __future__ import annotations

from symcrit.cli.registry import UsageError, command, emit, table, parse_k


def _series_args(p):
    p.add_argument("family", help="family id")
    p.add_argument("--order", type=int, default=10, help="highest power of s (default 10)")
    p.add_argument("--dps", type=int, default=30, help="digits of the coefficients (default 30)")
    p.add_argument("--exact", action="store_true", help="also derive exact closed forms (slower)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--latex", action="store_true", help="print LaTeX (one aligned equation per parameter and F)")
    g.add_argument("--json", action="store_true", help="print JSON")


@command("series", "expansions of a family in s = k^(-1/2)", _series_args)
def _series(args):
    from symcrit.asymptotics.series import series
    from symcrit.critical.families import family

    fam = family(args.family)
    if args.order < 0:
        raise UsageError("--order must be >= 0")
    if args.dps < 15:
        raise UsageError(f"--dps must be at least 15, got {args.dps}")
    S = series(fam, order=args.order, dps=args.dps, exact=args.exact)
    if args.json:
        emit(S.to_dict())
    elif args.latex:
        print(S.to_latex(digits=min(args.dps, 20)))
    else:
        v = S.verify()
        c = S.certificate
        if not c.get("proven"):
            status = f"balls NOT proven: {c.get('method')}"
        elif c.get("method") == "no free parameter":
            status = "every parameter at its limit (checked); F in ball arithmetic"
        else:
            status = "balls proven (Krawczyk)" + (", given the structural hypothesis (checked)"
                                                  if c.get("conditional_on_structure") else "")
        print(f"family {fam.id}: series in s = k^(-1/2) through s^{args.order}; "
              f"leading powers {S.leading_powers} (checked); verified: {v['ok']}; {status}")
        names = S.names + ["F"]
        rows = []
        for n in range(args.order + 1):
            rows.append([str(n)] + [S.value(nm, n, 14) for nm in names])
        table(["power"] + names, rows)
    return 0


def _validate_args(p):
    p.add_argument("family", help="family id")
    p.add_argument("--order", type=int, default=10, help="highest truncation order")
    p.add_argument("--k", default="6:20", help="k values (default 6:20)")
    p.add_argument("--dps", type=int, default=40, help="digits (default 40)")
    p.add_argument("--plot", metavar="FILE", help="write a PNG with error-vs-order and error-vs-k plots")
    p.add_argument("--json", action="store_true", help="print JSON (with singularities, radius, k_convergence and "
                   "per-row param_error_enclosure)")


@command("validate", "truncated series against the exact critical points, with a convergence verdict", _validate_args)
def _validate(args):
    from symcrit.critical.families import family
    from symcrit.asymptotics.series import validate

    fam = family(args.family)
    ks = parse_k(args.k)
    if args.order < 0:
        raise UsageError("--order must be >= 0")
    for k in ks:
        if float(k) < fam.k_low:
            raise UsageError(f"family {fam.id} exists for k >= {fam.k_low:.6g} only; k = {k} is below")
    res = validate(fam, args.order, ks, dps=args.dps, progress=not args.json)
    if args.plot:
        from symcrit.report.plots import plot_validation
        plot_validation(res, args.plot)
    if args.json:
        emit(res)
        return 0
    print(f"family {fam.id}: max parameter error of the series truncated at s^N, against the exact point")
    shown = sorted({0, 1, 2, 4, args.order // 2, args.order})
    table(["k", "s", "series"] + [f"N={N}" for N in shown] + ["best N", "|F err| N=" + str(args.order)],
          [[str(r["k"]), f"{r['s']:.4f}", r["mode"]] + [f"{r['param_error'][N]:.2e}" for N in shown]
           + [str(r["optimal_order"]), f"{r['loss_error'][-1]:.2e}"] for r in res["rows"]])
    for e in res["singularities"]:
        print(f"singularity: s = {e['s'][0]} {'-' if e['s'][1].startswith('-') else '+'} {e['s'][1].lstrip('-')}i, "
              f"k = {e['k'][0]} {'-' if e['k'][1].startswith('-') else '+'} {e['k'][1].lstrip('-')}i, "
              f"{e['kind']}, {'proven' if e['certified'] else 'not proven'}")
    print(f"radius of convergence in s: R = {res['radius']}; the series converges for real k > "
          f"{res['k_convergence']}")
    print("verdict: " + res["verdict"]["text"])
    if args.plot:
        print(f"plot written to {args.plot}")
    return 0


def _eigseries_args(p):
    p.add_argument("family", help="family id")
    p.add_argument("--order", type=int, default=6, help="terms after the leading one (default 6)")
    p.add_argument("--dps", type=int, default=30, help="digits (default 30)")
    p.add_argument("--component", action="append", help="only this isotypic component (repeatable)")
    p.add_argument("--extra-columns", action="store_true",
                   help="also the extra input columns' components for d > k (independent of d)")
    p.add_argument("--json", action="store_true", help="print JSON")


@command("eigseries", "Hessian eigenvalues of a family as series in s = k^(-1/2), per isotypic component",
         _eigseries_args)
def _eigseries(args):
    from symcrit.asymptotics.eigseries import eigenvalue_series
    from symcrit.critical.families import family

    fam = family(args.family)
    if args.order < 0 or args.dps < 15:
        raise UsageError("--order must be >= 0 and --dps at least 15")
    ev = eigenvalue_series(fam, order=args.order, dps=args.dps, components=args.component,
                           extra_columns=args.extra_columns)
    if args.json:
        emit(ev)
        return 0
    rows = []
    for name, rs in ev.items():
        for r in rs:
            if r["expanded"]:
                terms = " + ".join(f"({c[:14]})·s^{r['leading_power'] + j}" for j, c in enumerate(r["coefficients"])
                                   if c != "0")
            else:
                terms = "not expanded: " + r["note"]
            rows.append([name, r["limit_at_k_1e60"][:12], terms[:150]])
    table(["component", "λ at k = 1e60", "series in s"], rows)
    return 0
