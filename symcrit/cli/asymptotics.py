"""CLI commands — Series in s = k^(-1/2): ``series``, ``validate``, ``singularities``, ``eigseries``."""
from __future__ import annotations

from symcrit.cli.registry import (DISC_SECONDS, UsageError, add_dps, add_family, add_k, add_output, add_plot,
                                  add_prove_disc, check_cost, check_dps, check_output_file, command, disc_options, emit,
                                  parse_k, progress_enabled, table)
from symcrit.core.numbers import clip_number, format_exact


def _series_args(p):
    add_family(p)
    p.add_argument("--order", type=int, default=10, help="highest power of s (default 10)")
    add_dps(p, 30, "digits of the coefficients (default 30)")
    p.add_argument("--exact", action="store_true",
                   help="also derive exact closed forms in Q(pi), or Q(sqrt(2), pi) for s2 (JSON: 'exact' is a sympy "
                        "string in pi and sqrt(2), or null)")
    p.add_argument("--progress", action="store_true",
                   help="progress bars on stderr even when it is not a terminal (never with --json)")
    add_output(p, latex="print LaTeX (one aligned equation per parameter and F)")


@command("series", "expansions of a family in s = k^(-1/2)", _series_args)
def _series(args):
    from symcrit.asymptotics.series import series
    from symcrit.critical.families import family

    fam = family(args.family)
    if args.order < 0:
        raise UsageError("--order must be >= 0")
    check_dps(args)
    check_cost(args, series_seconds(args.order, args.dps, fam.space.dim, args.exact, fam.id),
               f"series through s^{args.order} at {args.dps} digits" + (" with exact forms" if args.exact else ""))
    show = progress_enabled(args) or (args.progress and not args.json)
    S = series(fam, order=args.order, dps=args.dps, exact=args.exact, progress=show)
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
            exact_h = (c.get("structure_proof") or {}).get("proven") and not c.get("conditional_on_structure")
            status = "balls proven (Krawczyk" + ("; structural hypothesis proven exactly over Q(pi, y))" if exact_h
                                                 else ")") + (", given the structural hypothesis (checked)"
                                                              if c.get("conditional_on_structure") else "")
        print(f"family {fam.id}: series in s = k^(-1/2) through s^{args.order}; "
              f"leading powers {S.leading_powers} (checked); verified: "
              f"{v['ok'] if v['ok'] is not None else v['reason']}; {status}")
        names = S.names + ["F"]
        rows = []
        for n in range(args.order + 1):
            rows.append([str(n)] + [S.value(nm, n, 14) for nm in names])
        table(["power"] + names, rows)
        if args.exact:
            info = S.exact_info or {}
            proof = info.get("proof") or {}
            why = "" if proof.get("status") == "proven" else f" -- not proven: {proof.get('reason')}"
            how = (" (exact residual over %s at the forms is O(s^%s), and the forms lie in the Krawczyk box%s)"
                   % (proof.get("field", "Q(pi)"), proof.get("residual_order", 0) + 1,
                      "; as the balls, given the structural hypothesis" if proof.get("conditional_on_structure") else "")
                   ) if proof.get("status") == "proven" else ""
            print(f"exact forms (field {info.get('field')}, {info.get('status')}{how}{why}):")
            for nm in names:
                for n in range(args.order + 1):
                    e = S.exact_form(nm, n)
                    print(f"  {nm}[{n}] = {e if e is not None else 'not derived: ' + str(info.get('missing', {}).get(f'{nm}[{n}]'))}")
    return 0


def _validate_args(p):
    add_family(p)
    p.add_argument("--order", type=int, default=10, help="highest truncation order")
    add_k(p, "k values (default 6:20)", default="6:20")
    add_dps(p, 40)
    add_plot(p, "write a PNG with error-vs-order and error-vs-k plots")
    add_prove_disc(p)
    _add_interval_only(p)
    add_output(p, "print JSON (with singularities, radius, k_convergence, radius_outcome and per-row "
                  "param_error_enclosure; with --prove-disc radius_proven, k_convergence_proven)")


def _add_interval_only(p):
    p.add_argument("--interval-only", action="store_true",
                   help="with --prove-disc: prove only r <= R <= abs(s_c) (r = R(1 - EPS_R)), not R = abs(s_c) (the "
                        "default extends the covering up to the nearest fold s_c except a small disc around it, "
                        "covered by the curve through the fold: more discs)")


@command("validate", "truncated series against the exact critical points, with a convergence verdict", _validate_args)
def _validate(args):
    from symcrit.critical.families import family
    from symcrit.asymptotics.series import validate

    fam = family(args.family)
    ks = parse_k(args.k)
    if args.order < 0:
        raise UsageError("--order must be >= 0")
    check_dps(args)
    check_output_file(args.plot, "--plot")
    check_cost(args, series_seconds(args.order, args.dps, fam.space.dim, False)
               + len(ks) * solve_seconds(args.dps, max(ks)), f"validate: series through s^{args.order}, {len(ks)} k")
    for k in ks:
        if k < fam.k_low:
            raise UsageError(f"family {fam.id} exists for k >= {fam.k_low:.6g} only; k = {format_exact(k)} is below")
    opts = disc_options(args)
    if args.prove_disc:
        opts["exact"] = not args.interval_only
        check_cost(args, disc_seconds(fam.id, fam.space.dim, opts["exact"]),
                   f"validate --prove-disc: the Taylor-model disc proof for {fam.id}"
                   + ("" if opts["exact"] else " (interval only)"))
    res = validate(fam, args.order, ks, dps=args.dps, progress=progress_enabled(args),
                   analyticity=opts if args.prove_disc else False)
    if args.plot:
        from symcrit.report.plots import plot_validation
        plot_validation(res, args.plot)
    if args.json:
        emit(res)
        return 0
    print(f"family {fam.id}: max parameter error of the series truncated at s^N, against the exact point")
    shown = sorted({0, 1, 2, 4, args.order // 2, args.order})
    table(["k", "s", "series"] + [f"N={N}" for N in shown] + ["best N", "|F err| N=" + str(args.order)],
          [[format_exact(r["k"], 12), f"{r['s']:.4f}", r["mode"]] + [f"{r['param_error'][N]:.2e}" for N in shown]
           + [str(r["optimal_order"]), f"{r['loss_error'][-1]:.2e}"] for r in res["rows"]])
    for e in res["singularities"]:
        print(f"singularity: s = {e['s'][0]} {'-' if e['s'][1].startswith('-') else '+'} {e['s'][1].lstrip('-')}i, "
              f"k = {e['k'][0]} {'-' if e['k'][1].startswith('-') else '+'} {e['k'][1].lstrip('-')}i, "
              f"{e['kind']}, {'proven' if e['certified'] else 'not proven'}")
    print("radius of convergence in s: " + res["radius_outcome"]["text"])
    if res.get("analyticity"):
        print("analyticity: " + res["analyticity"]["statement"] + f" ({res['analyticity']['seconds']} s)")
        _print_fold_link(res["analyticity"], res["singularity_evidence"])
        tb = [r["tail_bound"] for r in res["rows"] if r["tail_bound"]]
        if tb:
            print(f"tail bound at k = {format_exact(tb[0]['k0'], 12)}, order {tb[0]['order']}: {tb[0]['bound']:.3e} "
                  f"({tb[0]['standing']})")
    print("verdict: " + res["verdict"]["text"])
    cc = (res.get("cross_check") or {}).get("by_parameter") or {}
    if cc:
        growth = "; ".join(f"{nm}: ratio radius {v['ratio_radius']:.4g}"
                           + (f", Padé pole {v['pade_poles'][0][0]:+.4g}{v['pade_poles'][0][1]:+.4g}i" if v["pade_poles"] else "")
                           for nm, v in cc.items())
        print("coefficient growth (estimated; a cross-check, not the verdict): " + growth)
    if args.plot:
        print(f"plot written to {args.plot}")
    return 0


def _singularities_args(p):
    add_family(p)
    add_prove_disc(p)
    p.add_argument("--exact-radius", action="store_true",
                   help="with --prove-disc: prove that R equals the modulus of the nearest fold s_c (the default; "
                        "kept for compatibility)")
    _add_interval_only(p)
    add_output(p, "print JSON (singularities with certified, radius, k_convergence, evidence, radius_outcome; with "
                  "--prove-disc also analyticity, radius_proven, k_convergence_proven, radius_exact_proven and, if "
                  "not proven, radius_exact_failure)")


@command("singularities", "the nearest singularities of the branch x(s) and the radius of convergence; with "
                          "--prove-disc the proof of analyticity on an annulus", _singularities_args)
def _singularities(args):
    from symcrit.critical.families import family
    from symcrit.asymptotics.singularities import prove_disc, singularities, with_analyticity

    fam = family(args.family)
    opts = disc_options(args)
    if args.exact_radius and args.interval_only:
        raise UsageError("--exact-radius and --interval-only exclude each other")
    if args.prove_disc:
        opts["exact"] = not args.interval_only
        check_cost(args, disc_seconds(fam.id, fam.space.dim, opts["exact"]),
                   f"singularities --prove-disc: the disc proof for {fam.id}" + ("" if opts["exact"] else " (interval only)"))
    sing = singularities(fam)
    if args.prove_disc:
        sing = with_analyticity(sing, prove_disc(fam, sing=sing, progress=progress_enabled(args), **opts))
    if args.json:
        emit(sing)
        return 0
    for e in sing["singularities"]:
        print(f"singularity: s = {e['s'][0]} {'-' if e['s'][1].startswith('-') else '+'} {e['s'][1].lstrip('-')}i, "
              f"{e['kind']}, {'proven' if e['certified'] else 'not proven'}")
    print("radius of convergence in s: " + sing["radius_outcome"]["text"])
    print(f"nearer singularities: {sing['nearer']}")
    a = sing.get("analyticity")
    if a:
        print(f"analyticity: {a['statement']}")
        if a.get("proven"):
            print(f"  {a['discs']} discs (radii {a['min_radius']:.2g} to {a['max_radius']:.2g}), {a['glued_pairs']} "
                  f"glued pairs, largest eps {a['max_eps']:.2g}, {a['seconds']} s; proven bounds of |x_i - x∞_i| on "
                  f"|s| = r: " + ", ".join(f"{k} <= {v}" for k, v in a["max_abs"].items()))
        inn = a.get("inner")
        if inn:
            print(f"  inner disc |s| <= {float(inn['r0']):.6g}: " + ("proven" if inn["proven"] else "NOT proven")
                  + (f" (eps {inn['eps']:.2g}, contraction {inn['contraction']:.2g}, {inn['seconds']} s)"
                     if inn["proven"] else f" ({inn['failure']})")
                  + ("; glued to the annulus: analytic on the whole disc, R >= r proven" if a.get("whole_disc") else ""))
        _print_fold_link(a, sing)
    return 0


def _print_fold_link(a, sing):
    """The proof that the fold lies on the branch (R <= |s_c|) and, when asked for, of R = |s_c| (or
    why it failed)."""
    link = a.get("fold_link")
    if link:
        print("fold on the branch: " + link["statement"]
              + f" ({link['seconds']} s)")
    ex = a.get("exact_radius")
    if ex:
        print("R = |s_c|: " + (ex.get("statement") or "") if ex.get("proven") else
              f"R = |s_c|: NOT proven: {sing.get('radius_exact_failure') or ex.get('failure')}")


#: CPU seconds of ``singularities FAM --prove-disc`` (the fold, the inner disc, the covering, the fold
#: link) per family on this project's 2-core machine, 26 Nov 2026 -- an estimate of the wall time on
#: an idle machine; under the other agents' load (load average 10-15) the wall time was 4-7 times larger.
#: Interval only (R in [r, |s_c|]): README's table (sk 141 discs 14 s, sk1 201 discs 87 s, sk1b 200
#: discs 82 s, s2 198 discs 105 s) plus the fold (3-9 s).  Exact (R = |s_c|, the covering extended to the
#: fold): sk 314 discs 23 s, sk1 372 discs 141 s, sk1b 379 discs 145 s, s2 384 discs 198 s, plus the fold.
DISC_CPU = {"sk": 20.0, "sk1": 95.0, "sk1b": 90.0, "s2": 115.0}
DISC_CPU_EXACT = {"sk": 30.0, "sk1": 150.0, "sk1b": 155.0, "s2": 210.0}


def disc_seconds(family_id: str, dim: int, exact: bool) -> float:
    """The estimated time of the disc proof of a family (:data:`DISC_CPU`, :data:`DISC_CPU_EXACT`;
    unmeasured families: :data:`DISC_SECONDS` per parameter, twice that with ``exact``: the exact
    step cost 1.6-1.9 times the interval-only proof for every measured family)."""
    table_ = DISC_CPU_EXACT if exact else DISC_CPU
    return table_.get(family_id, DISC_SECONDS * dim * (2 if exact else 1))


def _eigseries_args(p):
    add_family(p)
    p.add_argument("--order", type=int, default=6, help="terms after the leading one (default 6)")
    add_dps(p, 30)
    p.add_argument("--component", action="append", help="only this isotypic component (repeatable)")
    p.add_argument("--extra-columns", action="store_true",
                   help="also the extra input columns' components for d > k (independent of d)")
    add_output(p)


@command("eigseries", "Hessian eigenvalues of a family as series in s = k^(-1/2), per isotypic component",
         _eigseries_args)
def _eigseries(args):
    from symcrit.asymptotics.eigseries import eigenvalue_series
    from symcrit.critical.families import family

    fam = family(args.family)
    from symcrit.spectra.hessian import component_names

    if args.order < 0 or args.dps < 15:
        raise UsageError("--order must be >= 0 and --dps at least 15")
    if args.extra_columns and fam.space.extra:
        raise UsageError("--extra-columns (d > k) with an extra student neuron (n = k + 1) is not implemented")
    known = component_names(fam.space, extra_columns=args.extra_columns)
    bad = [c for c in args.component or [] if c not in known]
    if bad:
        raise UsageError(f"--component {bad[0]!r}: family {fam.id} has the components {', '.join(known)}")
    check_cost(args, eigseries_seconds(args.order, args.dps, fam.space.dim, len(args.component or known)),
               f"eigseries: {args.order} terms at {args.dps} digits")
    ev = eigenvalue_series(fam, order=args.order, dps=args.dps, components=args.component,
                           extra_columns=args.extra_columns)
    if args.json:
        emit(ev)
        return 0
    rows = []
    for name, rs in ev.items():
        for r in rs:
            if r["expanded"]:
                # a ball around 0 ('±r': |c| <= r) and the exact 0 are left out of the sum
                terms = " + ".join(f"({clip_number(t['value'], 14)})·s^{t['power']}" for t in r["terms"]
                                   if t["value"] != "0" and not t["value"].startswith("±"))
                evidence = r["evidence"]
            else:
                terms, evidence = "not expanded: " + r["note"], "-"
            rows.append([name, clip_number(r["limit_at_k_1e60"], 12), evidence, terms[:150]])
    table(["component", "λ at k = 1e60", "coefficients", "series in s"], rows)
    print("proven: ball enclosures (conditional on the series certificate and the hypotheses in the JSON "
          "'conditional_on'); checked: agrees with the eigenvalue computed at k = 1e16 within the stated tolerance; "
          "terms ±r (|c| <= r) are left out")
    return 0


#: CPU seconds (this process and its forked workers) of the exact closed forms and their proof at
#: order 24, beyond the ball series, per family: ``symcrit series FAM --order 24 --exact`` (30 digits),
#: measured with ``python bench/bench_series.py --exact-families`` on this project's 2-core machine
#: (26 Nov 2026; CPU, since the wall time under the other agents' load was 2-4x larger: s2 took 120 s
#: wall at load average 7-9).  At order 12 they took 1.7, 0.4, 2.1 and 12.2 s: the cost grows like
#: order^1.3 … order^2.3 (s2 fastest: its forms lie in Q(√2, π), two modular runs per point).
EXACT_CPU_24 = {"sk1": 5.4, "sk": 1.0, "sk1b": 6.0, "s2": 60.2}


def exact_seconds(order: int, dim: int, family_id: str | None = None) -> float:
    """The exact forms of a family to ``order``: its measured cost at order 24 (:data:`EXACT_CPU_24`),
    scaled by (order/24)^2.3 above 24 and (order/24)^1.5 below (the steepest and the flattest
    measured growth: an estimate on the safe side).  A family not measured gets the largest cost
    per (parameters/5)² of the measured ones (s2's), times its own (parameters/5)²: it may lie in a
    field like s2's.  CPU seconds, an upper estimate of the wall time on an idle 2-core machine (the
    proof forks a second process); under load the wall time is larger."""
    per_dim = max(c / max(1.0, (d / 5) ** 2) for c, d in ((EXACT_CPU_24["sk1"], 5), (EXACT_CPU_24["sk"], 2),
                                                           (EXACT_CPU_24["sk1b"], 5), (EXACT_CPU_24["s2"], 6)))
    c24 = EXACT_CPU_24.get(family_id or "", per_dim * max(1.0, (dim / 5) ** 2))
    n = max(order, 6)
    return c24 * (n / 24) ** (2.3 if n >= 24 else 1.5)


def series_seconds(order: int, dps: int, dim: int, exact: bool, family_id: str | None = None) -> float:
    """The series engine for sk1 (5 parameters) took 2.2 s at order 6, 6.5 s at 40, 17 s at 80 (30
    digits) and 14 s at order 20, 300 digits: about (2 + 0.0025 order^2) (digits/30)^0.7 s, times
    (parameters/5)^2.  With ``exact``, plus the exact forms and their proof, calibrated per family
    (:func:`exact_seconds`; the former single rule, 3 (order/12)^2.5 (parameters/5)^2 s, put s2 at
    order 24 at 29 s where it took 60 s CPU, and sk1 at 20 s where it took 5.4)."""
    t = (2.0 + 0.0025 * order ** 2) * max(1.0, (dps / 30) ** 0.7) * max(1.0, (dim / 5) ** 2)
    if exact:
        t += exact_seconds(order, dim, family_id)
    return t


def eigseries_seconds(order: int, dps: int, dim: int, n_components: int) -> float:
    """Two spectra at k = 10^40, 10^60 at 2 dps + 60 digits and one at k = 10^16 (the check of every
    coefficient, at 8 (order + 6) + 40 digits), then the series per component (numeric, then on balls)."""
    return 5.0 * max(1.0, ((2 * dps + 60) / 120) ** 1.5) * max(1.0, (dim / 5) ** 2) \
        + 1.0 * max(1.0, ((8 * (order + 6) + 40) / 136) ** 1.5) \
        + 0.5 * n_components * max(1, order) * max(1.0, (dps / 30) ** 1.5)


def solve_seconds(dps, k):
    from symcrit.cli.critical import solve_seconds as s
    return s(dps, k)
