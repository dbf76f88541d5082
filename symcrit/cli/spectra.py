"""CLI commands — Spectra: ``spectrum``, ``crossings``, ``bifurcation``."""
from __future__ import annotations

from symcrit.cli.registry import (UsageError, add_dps, add_family, add_k, add_output, add_plot, add_range,
                                  check_cost, check_dps, check_output_file, command, emit, log10_size, mpmath_str,
                                  parse_k, parse_value, progress_enabled, table)
from symcrit.core.numbers import clip_number, format_exact, round_decimal


def _spectrum_args(p):
    add_family(p)
    add_k(p, "k, exact (7, 7.5, 15/2, 1e30, 10**30)")
    p.add_argument("--d", type=int, default=None, help="input dimension d >= k (teacher [I_k | 0]; default d = k)")
    add_dps(p, 30)
    add_plot(p, "write the spectral density (histogram weighted by multiplicity)")
    add_output(p)


@command("spectrum", "Hessian spectrum by symmetry: distinct eigenvalues, multiplicities, components", _spectrum_args)
def _spectrum(args):
    from symcrit.critical.families import family
    from symcrit.spectra.hessian import spectrum

    fam = family(args.family)
    ks = parse_k(args.k)
    if len(ks) != 1:
        raise UsageError("--k takes one value for spectrum")
    check_dps(args)
    if args.d is not None and (not isinstance(ks[0], int) or args.d < ks[0]):
        raise UsageError(f"--d needs an integer k and d >= k (got k = {format_exact(ks[0])}, d = {args.d})")
    check_output_file(args.plot, "--plot")
    if args.plot and ks[0] > 10 ** 150:  # before the work: the plot's counts are floats
        raise UsageError("--plot: the spectral density weights eigenvalues by multiplicities ~k², beyond the "
                         "float range of a plot for k > 10^150")
    check_cost(args, spectrum_seconds(args.dps, ks[0], fam.space.dim), f"spectrum to {args.dps} digits")
    sp = spectrum(fam.solve(ks[0], dps=args.dps, verify=False), d=args.d)
    if args.plot:
        from symcrit.report.plots import plot_spectral_density
        plot_spectral_density(sp, args.plot)
    if args.json:
        emit(sp.to_dict(digits=min(args.dps, 30)))
        return 0
    sg = sp.signs()
    neg = f"{_mult(sg.negative)} negative ({sg.evidence})" if sg.decided else f"index undecided: {sg.reason}"
    print(f"family {fam.id} at k = {format_exact(ks[0])}: {len(sp.eigenvalues())} distinct eigenvalues, total "
          f"multiplicity {_mult(sp.total_multiplicity)}, {neg}")
    table(["eigenvalue (estimated)", "multiplicity", "component", "dimension"],
           [[mpmath_str(e, min(args.dps, 20)), _mult(m), n, str(next(c.dim for c in sp.components if c.name == n))]
            for e, m, n in sp.eigenvalues()])
    return 0


def _crossings_args(p):
    add_family(p)
    add_range(p, None, "20", "lowest k (default: where the branch starts)", "highest k (default 20)")
    p.add_argument("--step", default="1/4", help="scan step in k (default 1/4)")
    p.add_argument("--digits", type=int, default=30, help="digits of k* (default 30)")
    add_plot(p, "write the eigenvalue branches against k with the crossings")
    p.add_argument("--extra-columns", action="store_true",
                   help="also the extra input columns' components for d > k (independent of d)")
    p.add_argument("--complete", action="store_true",
                   help="also prove that no crossing between the scan points is missed (interval arithmetic over "
                        "every k-interval: about 10-30 s per unit of k; undecided sub-intervals are listed)")
    add_output(p, 'print JSON: {"crossings": [records], "completeness": {"range", "evidence", ...}}')


@command("crossings", "fractional k where a family's Hessian eigenvalues cross zero (and folds)", _crossings_args)
def _crossings(args):
    from symcrit.critical.families import family
    from symcrit.spectra.crossings import crossings

    fam = family(args.family)
    args.k_hi, args.step = parse_value(args.k_hi, "--to"), parse_value(args.step, "--step")
    if args.k_lo is not None:
        args.k_lo = parse_value(args.k_lo, "--from")
    if args.step <= 0 or args.digits < 5:
        raise UsageError("--step must be positive and --digits at least 5")
    if args.k_lo is not None and args.k_lo >= args.k_hi:
        raise UsageError("--from must be below --to")
    if args.extra_columns and fam.space.extra:
        raise UsageError("--extra-columns (d > k) with an extra student neuron (n = k + 1) is not implemented")
    check_output_file(args.plot, "--plot")
    lo = max(fam.space.k_min, 2) if args.k_lo is None else args.k_lo  # the branch's own start needs its track
    n_grid = max(0, int((args.k_hi - lo) / args.step)) + 1
    if n_grid > 10**7:  # a scan is a spectrum per grid point: beyond this it is a mistake, not a request
        raise UsageError(f"--from/--to/--step: a scan of about 10^{len(str(n_grid)) - 1} grid points; narrow the range or "
                         "raise --step")
    check_cost(args, n_grid * spectrum_seconds(20, args.k_hi, fam.space.dim) + 30 * (args.digits / 30) ** 2
               + (30 * float(args.k_hi - lo) if args.complete else 0),
               f"crossings: a scan of {n_grid} spectra" + (" and the completeness proof" if args.complete else ""))
    res = crossings(fam, k_lo=args.k_lo, k_hi=args.k_hi, step=args.step, digits=args.digits,
                    progress=progress_enabled(args), extra_columns=args.extra_columns, completeness=args.complete)
    comp = res.completeness or {"range": [float(g) for g in res.scanned_range] if res.scanned_range else None,
                                "evidence": "not computed (--complete proves it)"}
    if args.plot:
        import numpy as np
        from symcrit.report.plots import plot_branches
        lo = float(max(fam.k_low, fam.space.k_min) if args.k_lo is None else args.k_lo)
        # about 10 points per unit of k (12 to 40): each is a full spectrum (sample points of a picture)
        n = min(40, max(12, int(10 * (float(args.k_hi) - lo)) + 1))
        plot_branches(fam, args.plot, [float(x) for x in np.linspace(lo, float(args.k_hi), n)], res)
    if args.json:
        # the proven fields first: k (only the digits the enclosure guarantees), the enclosure, certified, evidence
        emit({"crossings": [{k: c.get(k) for k in ("k", "k_enclosure", "certified", "evidence", "component", "kind",
                                                    "direction")} | c for c in res],
              "completeness": comp})
        return 0
    if not res:
        print(f"family {fam.id}: no eigenvalue crosses zero for k in the scanned range")
    else:
        table(["k* (proven digits)", "component", "direction", "kind", "certified", "dλ/dk"],
              [[c["k"] or f"not proven (≈ {c.get('k_estimate', '?')})", c["component"], c["direction"], c["kind"],
                c["certified"], c.get("dlambda_dk") or "-"] for c in res])
    print(completeness_text(comp))
    return 0


def completeness_text(comp: dict) -> str:
    """One sentence on whether the crossing list is complete for the scanned range."""
    rng = comp.get("range")
    # a proven range is printed rounded inwards, an undecided interval outwards: rounding never
    # widens what is claimed proven
    where = f"k in [{round_decimal(rng[0], 'up')}, {round_decimal(rng[1], 'down')}]" if rng else "the scanned range"
    if comp.get("evidence") == "proven":
        return (f"complete (proven): no crossing or fold missed for {where} ({comp['intervals']} sub-intervals, "
                f"{comp['seconds']:g} s)")
    if comp.get("undecided"):
        spans = ", ".join(f"[{round_decimal(u[0], 'down', 10)}, {round_decimal(u[1], 'up', 10)}]" for u in comp["undecided"][:5])
        more = f" and {len(comp['undecided']) - 5} more" if len(comp["undecided"]) > 5 else ""
        return f"completeness for {where}: not proven on {spans}{more}"
    return f"completeness for {where}: {comp.get('evidence')}"


def _bifurcation_args(p):
    add_family(p, "family id (see `symcrit families`)")
    add_k(p, "the crossing k* (default: located by `crossings` in --from..--to)", dest="kstar")
    p.add_argument("--component", help="its component V_I (default: that of the located crossing)")
    add_range(p, None, "20", "scan start (default: the family's smallest k)", "scan end (default 20)")
    add_dps(p, 30, "digits (default 30, at least 20)")
    add_output(p, force=False)


@command("bifurcation", "reduce a family's equations at a crossing to the S_p normal form (x -> mu x + q P(x∘x))",
         _bifurcation_args)
def _bifurcation(args):
    from symcrit.core.errors import BadInput
    from symcrit.spectra.bifurcation import normal_form
    from symcrit.critical.families import family
    from symcrit.spectra.crossings import crossings

    from symcrit.spectra.hessian import component_names

    fam = family(args.family)
    check_dps(args, 20)
    if (args.kstar is None) != (args.component is None):
        raise UsageError("give both --k and --component, or neither")
    if fam.space.extra:
        raise UsageError(f"family {fam.id}: the normal form with an extra student neuron is not implemented")
    std = [c for c in component_names(fam.space) if c.startswith("V_") and "⊗" not in c]
    if args.component is not None and args.component not in std:
        raise UsageError(f"--component {args.component!r}: the normal form needs a standard-representation "
                         f"component of {fam.id}: one of {', '.join(std)}")
    if args.kstar is not None:
        ks = parse_k(args.kstar)
        if len(ks) != 1:
            raise UsageError("--k takes one value for bifurcation")
    args.k_hi = parse_value(args.k_hi, "--to")
    if args.k_lo is not None:
        args.k_lo = parse_value(args.k_lo, "--from")
    if args.kstar is None:
        found = [c for c in crossings(fam, k_lo=args.k_lo, k_hi=args.k_hi, progress=progress_enabled(args))
                 if c["kind"] == "eigenvalue" and c["component"] in std]
        # the normal form needs a quadratic equivariant: a block of size p > 2 at k*
        r, why = None, []
        for c in found:
            try:
                kc = c["k"] or c.get("k_estimate")
                if kc is None:
                    continue
                r = normal_form(fam, kc, c["component"], dps=args.dps)
                break
            except BadInput as exc:
                why.append(f"k* = {clip_number(kc, 12)} ({c['component']}): {exc}")
        if r is None:
            raise UsageError(f"no crossing of a standard-representation component V_I of {fam.id} in the range "
                             "admits the normal form" + ("; " + "; ".join(why) if why else ""))
    else:
        r = normal_form(fam, ks[0], args.component, dps=args.dps)
    if args.json:
        emit(r)
        return 0
    print(f"{r['family']} at k* = {r['kstar']}, component {r['component']} (standard rep of S_p, p = {r['p']})")
    print(f"  grad f = mu(k) x + q P(x∘x) + O(|x|^3),  mu(k*) = {r['mu']},  mu'(k*) = {r['dmu_dk']},  q = {r['q']}")
    print("  axial branches x = t·(e_a − 1/p) (Newton on the finer fixed-point space):")
    table(["k", "t predicted", "t Newton", "index branch", "index family"],
           [[b["k"], b["t_predicted"], b["t_newton"], b["negative_count_branch"], b["negative_count_family"]]
            for b in r["branches"]])
    return 0


def _mult(m):
    """A multiplicity: an exact integer in full at integer k, else a real (6 significant digits)."""
    return str(m) if isinstance(m, int) else f"{float(m):g}"


def spectrum_seconds(dps: int, k, dim: int) -> float:
    """A spectrum by symmetry: about 0.7 s at 30 digits for a 5-parameter space (sk1), growing
    like (digits/30)^1.5 and with the square of the number of parameters."""
    d = dps + 15 + 3 * max(0.0, log10_size(k))
    return 0.7 * (dim / 5) ** 2 * max(1.0, (d / 50) ** 1.5)
