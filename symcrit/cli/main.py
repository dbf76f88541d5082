"""The ``symcrit`` command line.

Every command takes ``--json``.  Bad input gives a one-line message on stderr and exit code 2,
with no traceback and nothing half-written.  Commands live in a registry (:data:`COMMANDS`):
each registers its arguments and a runner.
"""
from __future__ import annotations

import argparse
import json
import sys

__all__ = ["main", "COMMANDS", "command", "UsageError"]


class UsageError(Exception):
    """Bad input from the user: reported in one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(2, f"symcrit: error: {message}\n")


#: name -> (help, add_arguments(parser), run(args) -> int)
COMMANDS: dict = {}


def command(name, help, arguments):
    """Register a CLI command: decorate ``run(args)``; ``arguments(parser)`` adds its options."""
    def deco(fn):
        COMMANDS[name] = (help, arguments, fn)
        return fn
    return deco


def emit(obj):
    print(json.dumps(obj, indent=2, ensure_ascii=False))


# ---------------------------------------------------------------------------------------------
def _loss_args(p):
    p.add_argument("--blocks", required=True,
                   help="block sizes of the isotropy type, comma-separated, affine in k (e.g. 1,k-1)")
    p.add_argument("--extra", action="store_true",
                   help="one extra student neuron (n = k + 1): its row u1 … ur, constant on each block")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--latex", action="store_true", help="print LaTeX")
    g.add_argument("--json", action="store_true", help="print JSON")


@command("loss", "print the reduced loss of a fixed-point space (k symbolic)", _loss_args)
def _loss(args):
    from symcrit.symmetry.fixedpoint import FixedPointSpace
    from symcrit.report.latex import latex, tex

    sp = FixedPointSpace(args.blocks, extra=1 if args.extra else 0)
    F = sp.reduced_loss()
    if args.json:
        emit({
            "blocks": list(sp.blocks),
            "n": "k+1" if sp.extra else "k",
            "params": [str(p) for p in sp.params],
            "dim": sp.dim,
            "orbit_sizes": [str(o) for o in sp.orbit_sizes],
            "k_min": sp.k_min,
            "loss": str(F),
            "latex": latex(sp),
            "entry_gradient_latex": [tex(g) for g in sp.entry_gradient()],
        })
    elif args.latex:
        print(latex(sp))
    else:
        print(f"isotropy  Δ(" + " × ".join(f"S_{{{b}}}" for b in sp.blocks) + ")"
              + ("   (n = k + 1: the extra row u is fixed)" if sp.extra else ""))
        print(f"params    {', '.join(map(str, sp.params))}   (dim {sp.dim}, k >= {sp.k_min})")
        print(f"orbits    {', '.join(map(str, sp.orbit_sizes))}")
        print(f"F =       {F}")
    return 0


# ---------------------------------------------------------------------------------------------
def parse_k(text):
    """``--k`` values: a number ``7`` or ``7.5``, a list ``6,8,10``, a range ``6:20`` or ``6:20:2``
    (inclusive).  Integers stay int; other numbers are kept as decimal strings (exact for mpmath).

    >>> parse_k("6:9"), parse_k("6,8.5"), parse_k("1e6")
    ([6, 7, 8, 9], [6, '8.5'], [1000000])
    """
    def num(t):
        t = t.strip()
        try:
            v = float(t)
        except ValueError:
            raise UsageError(f"--k: {t!r} is not a number") from None
        if not (v > 0) or v == float("inf"):
            raise UsageError(f"--k: {t!r} must be a positive number")
        return int(v) if v == int(v) and abs(v) < 1e15 else t

    text = text.strip()
    if ":" in text:
        parts = text.split(":")
        if len(parts) not in (2, 3):
            raise UsageError(f"--k: range {text!r} must be START:STOP or START:STOP:STEP")
        a, b = num(parts[0]), num(parts[1])
        step = num(parts[2]) if len(parts) == 3 else 1
        if not all(isinstance(v, int) for v in (a, b, step)):
            raise UsageError(f"--k: range {text!r} needs integers")
        if b < a:
            raise UsageError(f"--k: empty range {text!r}")
        return list(range(a, b + 1, step))
    return [num(t) for t in text.split(",")]


def _solve_args(p):
    p.add_argument("family", help="family id (see 'symcrit families')")
    p.add_argument("--k", required=True, help="k: a number, a list 6,8,10 or a range 6:20")
    p.add_argument("--dps", type=int, default=50, help="decimal digits (15 to 1000+; default 50)")
    p.add_argument("--certify", action="store_true", help="prove each point with ball arithmetic (Krawczyk)")
    p.add_argument("--json", action="store_true", help="print JSON records")


@command("solve", "critical points of a family at given k, to any precision", _solve_args)
def _solve(args):
    from tqdm import tqdm

    from symcrit.critical.families import family

    fam = family(args.family)
    ks = parse_k(args.k)
    if args.dps < 15:
        raise UsageError(f"--dps must be at least 15, got {args.dps}")
    points = []
    for k in tqdm(ks, desc=f"solve {fam.id}", unit="k", disable=None, leave=False, file=sys.stderr):
        cp = fam.solve(k, dps=args.dps)
        if args.certify:
            cp.certify()
        points.append(cp)
    if args.json:
        emit([cp.to_dict() for cp in points])
        return 0
    names = [str(p) for p in fam.space.params]
    dig = min(args.dps, 22)
    head = ["k", "F", "residual", "λ_min", "neg"] + (["certified"] if args.certify else []) + names
    rows = []
    for cp in points:
        d = cp.to_dict()
        row = [str(d["k"]), cp.loss_str(dig), d["gradient_residual"],
               "-" if cp.min_eigenvalue is None else f"{cp.min_eigenvalue:.4g}",
               "-" if cp.negative_count is None else str(cp.negative_count)]
        if args.certify:
            row.append(f"yes (r={d['radius']})" if cp.certified else "NO")
        row += [cp.param_strs(12)[n] for n in names]
        rows.append(row)
    print(f"family {fam.id}: isotropy Δ(" + " × ".join(f"S_{{{b}}}" for b in fam.space.blocks) + f"), {args.dps} digits")
    _table(head, rows)
    if args.certify and not all(cp.certified for cp in points):
        for cp in points:
            if not cp.certified:
                print(f"k = {cp.k}: not certified: {cp.certificate.reason}")
    return 0


def _table(head, rows):
    w = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    print("  ".join(str(h).ljust(w[i]) for i, h in enumerate(head)))
    for r in rows:
        print("  ".join(str(c).ljust(w[i]) for i, c in enumerate(r)))


def _families_args(p):
    p.add_argument("--json", action="store_true", help="print JSON")


@command("families", "list the registered families of critical points", _families_args)
def _families(args):
    from symcrit.critical.families import families

    recs = []
    for f in families():
        t = f.track
        recs.append({"id": f.id, "blocks": list(f.space.blocks), "n": "k+1" if f.space.extra else "k",
                     "params": [str(p) for p in f.space.params],
                     "description": f.description, "k_low": round(t["k_low"], 6), "k_min": f.k_min,
                     "branch_end": t["end"],
                     "selector": {"limit": f.limit} if f.limit is not None else {"start": f.start}})
    if args.json:
        emit(recs)
        return 0
    _table(["id", "isotropy", "params", "k ≥", "description"],
           [[r["id"], "(" + ", ".join(r["blocks"]) + ")" + (" + row" if r["n"] != "k" else ""), ", ".join(r["params"]),
             str(r["k_min"]), r["description"]]
            for r in recs])
    return 0


# ---------------------------------------------------------------------------------------------
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
        print(f"family {fam.id}: series in s = k^(-1/2) through s^{args.order}; "
              f"leading powers {S.leading_powers}; verified: {v['ok']}")
        names = S.names + ["F"]
        rows = []
        for n in range(args.order + 1):
            rows.append([str(n)] + [S.value(nm, n, 14) for nm in names])
        _table(["power"] + names, rows)
    return 0


def _validate_args(p):
    p.add_argument("family", help="family id")
    p.add_argument("--order", type=int, default=10, help="highest truncation order")
    p.add_argument("--k", default="6:20", help="k values (default 6:20)")
    p.add_argument("--dps", type=int, default=40, help="digits (default 40)")
    p.add_argument("--plot", metavar="FILE", help="write a PNG with error-vs-order and error-vs-k plots")
    p.add_argument("--json", action="store_true", help="print JSON")


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
    _table(["k", "s"] + [f"N={N}" for N in shown] + ["|F err| N=" + str(args.order)],
           [[str(r["k"]), f"{r['s']:.4f}"] + [f"{r['param_error'][N]:.2e}" for N in shown]
            + [f"{r['loss_error'][-1]:.2e}"] for r in res["rows"]])
    print("radius of convergence in s (estimated per parameter): "
          + ", ".join(f"{n} {v:.4f}" for n, v in res["radius"].items()))
    print("verdict: " + res["verdict"]["text"])
    if args.plot:
        print(f"plot written to {args.plot}")
    return 0


# ---------------------------------------------------------------------------------------------
def _spectrum_args(p):
    p.add_argument("family", help="family id")
    p.add_argument("--k", required=True, help="k (a number; integer or real)")
    p.add_argument("--d", type=int, default=None, help="input dimension d >= k (teacher [I_k | 0]; default d = k)")
    p.add_argument("--dps", type=int, default=30, help="digits (default 30)")
    p.add_argument("--plot", metavar="FILE", help="write the spectral density (histogram weighted by multiplicity)")
    p.add_argument("--json", action="store_true", help="print JSON")


@command("spectrum", "Hessian spectrum by symmetry: distinct eigenvalues, multiplicities, components", _spectrum_args)
def _spectrum(args):
    from symcrit.critical.families import family
    from symcrit.spectra.hessian import spectrum

    fam = family(args.family)
    ks = parse_k(args.k)
    if len(ks) != 1:
        raise UsageError("--k takes one value for spectrum")
    if args.dps < 15:
        raise UsageError(f"--dps must be at least 15, got {args.dps}")
    if args.d is not None and (not isinstance(ks[0], int) or args.d < ks[0]):
        raise UsageError(f"--d needs an integer k and d >= k (got k = {ks[0]}, d = {args.d})")
    sp = spectrum(fam.solve(ks[0], dps=args.dps, verify=False), d=args.d)
    if args.plot:
        from symcrit.report.plots import plot_spectral_density
        plot_spectral_density(sp, args.plot)
    if args.json:
        emit(sp.to_dict(digits=min(args.dps, 30)))
        return 0
    print(f"family {fam.id} at k = {ks[0]}: {len(sp.eigenvalues())} distinct eigenvalues, total multiplicity "
          f"{sp.total_multiplicity:g}, {sp.negative_count:g} negative")
    _table(["eigenvalue", "multiplicity", "component", "dimension"],
           [[mpmath_str(e, min(args.dps, 20)), f"{m:g}", n, str(next(c.dim for c in sp.components if c.name == n))]
            for e, m, n in sp.eigenvalues()])
    return 0


def mpmath_str(x, d):
    import mpmath
    return mpmath.nstr(x, d)


def _crossings_args(p):
    p.add_argument("family", help="family id")
    p.add_argument("--from", dest="k_lo", type=float, default=None, help="lowest k (default: where the branch starts)")
    p.add_argument("--to", dest="k_hi", type=float, default=20.0, help="highest k (default 20)")
    p.add_argument("--step", type=float, default=0.25, help="scan step in k (default 0.25)")
    p.add_argument("--digits", type=int, default=30, help="digits of k* (default 30)")
    p.add_argument("--plot", metavar="FILE", help="write the eigenvalue branches against k with the crossings")
    p.add_argument("--extra-columns", action="store_true",
                   help="also the extra input columns' components for d > k (independent of d)")
    p.add_argument("--json", action="store_true", help="print JSON")


@command("crossings", "fractional k where a family's Hessian eigenvalues cross zero (and folds)", _crossings_args)
def _crossings(args):
    from symcrit.critical.families import family
    from symcrit.spectra.hessian import crossings

    fam = family(args.family)
    if args.step <= 0 or args.digits < 5:
        raise UsageError("--step must be positive and --digits at least 5")
    if args.k_lo is not None and args.k_lo >= args.k_hi:
        raise UsageError("--from must be below --to")
    res = crossings(fam, k_lo=args.k_lo, k_hi=args.k_hi, step=args.step, digits=args.digits, progress=not args.json,
                    extra_columns=args.extra_columns)
    if args.plot:
        import numpy as np
        from symcrit.report.plots import plot_branches
        lo = max(fam.k_low, fam.space.k_min) if args.k_lo is None else args.k_lo
        # about 10 points per unit of k (12 to 40): each is a full spectrum
        n = min(40, max(12, int(10 * (args.k_hi - lo)) + 1))
        plot_branches(fam, args.plot, [float(x) for x in np.linspace(lo, args.k_hi, n)], res)
    if args.json:
        emit([{k: c[k] for k in ("k", "component", "direction", "kind", "sign_change_confirmed")} | c for c in res])
        return 0
    if not res:
        print(f"family {fam.id}: no eigenvalue crosses zero for k in the scanned range")
        return 0
    _table(["k*", "component", "direction", "kind", "λ(k*-δ)", "λ(k*+δ)"],
           [[c["k"], c["component"], c["direction"], c["kind"], c.get("lambda_left", "-"), c.get("lambda_right", "-")]
            for c in res])
    return 0


# ---------------------------------------------------------------------------------------------
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
    _table(["component", "λ at k = 1e60", "series in s"], rows)
    return 0


# ---------------------------------------------------------------------------------------------
def _discover_args(p):
    p.add_argument("--k", required=True, help="teacher width k (a number, list or range: 6:20)")
    p.add_argument("--runs", type=int, required=True, help="random starts per k")
    p.add_argument("--seed", type=int, default=0, help="campaign seed (run i starts from default_rng([seed, i]))")
    p.add_argument("--n", type=int, default=None, help="student width n >= k (default k; n > k: no identification)")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--out", metavar="FILE", help="JSON-lines file of finished runs: resumes an interrupted campaign")
    p.add_argument("--scheduler", metavar="ADDRESS", help="run the batches on a dask.distributed cluster")
    p.add_argument("--json", action="store_true", help="print JSON")


@command("discover", "gradient-based campaigns from random starts; every minimum identified", _discover_args)
def _discover(args):
    from symcrit.landscape.discover import discover

    ks = parse_k(args.k)
    if not all(isinstance(k, int) and k >= 2 for k in ks):
        raise UsageError("--k must be integers >= 2")
    if args.runs < 1 or args.jobs < 1:
        raise UsageError("--runs and --jobs must be positive")
    if args.n is not None and args.n < max(ks):
        raise UsageError(f"--n must be >= k (got n = {args.n})")
    out = []
    for k in ks:
        path = None
        if args.out:
            path = args.out if len(ks) == 1 else f"{args.out}.k{k}"
        out.append(discover(k, args.runs, seed=args.seed, n=args.n, jobs=args.jobs, out=path,
                            progress=not args.json, scheduler=args.scheduler))
    if args.json:
        emit(out[0] if len(out) == 1 else out)
        return 0
    for s in out:
        frac = "-" if s["spurious_fraction"] is None else f"{100 * s['spurious_fraction']:.1f}%"
        print(f"k = {s['k']}, n = {s['n']}: {s['converged']}/{s['runs']} runs converged, spurious {frac}")
        _table(["loss", "isotropy", "family", "count", "λ_min"],
               [[f"{m['loss']:.9f}", "-" if m["isotropy"] is None else "(" + ", ".join(map(str, m["isotropy"])) + ")",
                 m["family"] or ("new" if "definition" in m else "-"), m["count"],
                 "-" if m["min_eigenvalue"] is None else f"{m['min_eigenvalue']:.5f}"] for m in s["minima"]])
    return 0


# ---------------------------------------------------------------------------------------------
def _equivariants_args(p):
    p.add_argument("--n", type=int, required=True, help="S_n acting on its standard representation (n >= 2)")
    p.add_argument("--degree", type=int, default=3, help="highest degree (default 3)")
    p.add_argument("--check", action="store_true", help="also the brute-force dimension (n! averaging; n <= 6)")
    p.add_argument("--json", action="store_true", help="print JSON")


@command("equivariants", "S_n-equivariant polynomial maps on the standard representation, by degree",
         _equivariants_args)
def _equivariants(args):
    import sympy

    from symcrit.symmetry.equivariants import brute_force_dimension, equivariant_basis

    if args.n < 2 or args.degree < 1:
        raise UsageError("--n must be >= 2 and --degree >= 1")
    if args.check and args.n > 6:
        raise UsageError("--check averages over n! permutations: n <= 6")
    out = []
    for d in range(1, args.degree + 1):
        basis = equivariant_basis(args.n, d)
        rec = {"degree": d, "dimension": len(basis),
               "maps": [{"name": lab, "component_1": str(comps[0]), "latex_component_1": sympy.latex(comps[0])}
                        for lab, comps in basis]}
        if args.check:
            rec["brute_force_dimension"] = brute_force_dimension(args.n, d)
        out.append(rec)
    if args.json:
        emit({"n": args.n, "degrees": out})
        return 0
    print(f"S_{args.n} on V = {{x in R^{args.n}: sum x = 0}}; P(y) = y - mean(y); p_m = sum x_i^m")
    _table(["degree", "dimension"] + (["brute force"] if args.check else []) + ["basis"],
           [[r["degree"], r["dimension"]] + ([r["brute_force_dimension"]] if args.check else [])
            + [", ".join(m["name"] for m in r["maps"]) or "-"] for r in out])
    return 0


# ---------------------------------------------------------------------------------------------
def _bifurcation_args(p):
    p.add_argument("family", help="family id (see `symcrit families`)")
    p.add_argument("--k", dest="kstar", help="the crossing k* (default: located by `crossings` in --from..--to)")
    p.add_argument("--component", help="its component V_I (default: that of the located crossing)")
    p.add_argument("--from", dest="k_lo", type=float, default=None, help="scan start (default: the family's smallest k)")
    p.add_argument("--to", dest="k_hi", type=float, default=20.0, help="scan end (default 20)")
    p.add_argument("--dps", type=int, default=30, help="digits (default 30, at least 20)")
    p.add_argument("--json", action="store_true", help="print JSON")


@command("bifurcation", "reduce a family's equations at a crossing to the S_p normal form (x -> mu x + q P(x∘x))",
         _bifurcation_args)
def _bifurcation(args):
    import mpmath

    from symcrit.spectra.bifurcation import normal_form
    from symcrit.critical.families import family
    from symcrit.spectra.hessian import crossings

    fam = family(args.family)
    if args.dps < 20:
        raise UsageError("--dps must be at least 20")
    if (args.kstar is None) != (args.component is None):
        raise UsageError("give both --k and --component, or neither")
    if args.kstar is None:
        found = [c for c in crossings(fam, k_lo=args.k_lo, k_hi=args.k_hi, progress=not args.json)
                 if c["kind"] == "eigenvalue" and c["component"].startswith("V_") and "⊗" not in c["component"]]
        if not found:
            raise UsageError(f"no crossing of a standard-representation component V_I for {fam.id} in the range")
        kstar, comp = found[0]["k"], found[0]["component"]
    else:
        try:
            kstar = str(mpmath.mpf(args.kstar))
        except (ValueError, TypeError):
            raise UsageError(f"--k: not a number: {args.kstar!r}") from None
        kstar, comp = args.kstar, args.component
    try:
        r = normal_form(fam, kstar, comp, dps=args.dps)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        emit(r)
        return 0
    print(f"{r['family']} at k* = {r['kstar']}, component {r['component']} (standard rep of S_p, p = {r['p']})")
    print(f"  grad f = mu(k) x + q P(x∘x) + O(|x|^3),  mu(k*) = {r['mu']},  mu'(k*) = {r['dmu_dk']},  q = {r['q']}")
    print("  axial branches x = t·(e_a − 1/p) (Newton on the finer fixed-point space):")
    _table(["k", "t predicted", "t Newton", "index branch", "index family"],
           [[b["k"], b["t_predicted"], b["t_newton"], b["negative_count_branch"], b["negative_count_family"]]
            for b in r["branches"]])
    return 0


# ---------------------------------------------------------------------------------------------
def _count_args(p):
    p.add_argument("--rstar", type=int, required=True, help="width r* the target needs (>= 1)")
    p.add_argument("--m", type=int, required=True, help="width m = r* + h of the network (>= r*)")
    p.add_argument("--crossover", action="store_true", help="also the smallest h at which T exceeds the sum of G")
    p.add_argument("--plot", metavar="FILE", help="plot log10(sum_r G(r, r*+h) / T(r*, r*+h)) against h")
    p.add_argument("--json", action="store_true", help="print JSON (exact integers)")


@command("count", "T(r*, m) and G(r, m): affine subspaces of global minima and of symmetry-induced critical "
         "points (Şimşek et al.)", _count_args)
def _count(args):
    from symcrit.landscape.counting import count, crossover

    if args.rstar < 1 or args.m < args.rstar:
        raise UsageError("need --rstar >= 1 and --m >= --rstar")
    if args.crossover and args.rstar < 2:
        raise UsageError("--crossover needs --rstar >= 2 (there is no width r < r* = 1)")
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
    _table(["r", "G(r, m)"], [[r, short(v)] for r, v in c["G"].items()] + [["sum", short(c["G_total"])],
                                                                          ["T", short(c["T"])]])
    if args.crossover:
        print(f"T exceeds the sum of G from h = {c['crossover_h']} on")
    return 0


# ---------------------------------------------------------------------------------------------
def _folds_args(p):
    p.add_argument("family", nargs="?", help="family id (or give --blocks, --at and --x)")
    p.add_argument("--blocks", help="isotropy type, e.g. 3,k-3 (with --at and --x)")
    p.add_argument("--at", type=float, help="k of the starting critical point (with --blocks)")
    p.add_argument("--x", help="its parameter values, comma-separated (a few digits suffice)")
    p.add_argument("--from", dest="k_lo", type=float, default=2.0, help="lowest k (default 2)")
    p.add_argument("--to", dest="k_hi", type=float, default=20.0, help="highest k (default 20)")
    p.add_argument("--digits", type=int, default=30, help="digits of k* (default 30, at least 10)")
    p.add_argument("--json", action="store_true", help="print JSON")


@command("folds", "folds of a branch in real k: follow it through its turns and refine each to --digits", _folds_args)
def _folds(args):
    from symcrit.critical.folds import folds

    if args.k_lo >= args.k_hi:
        raise UsageError("--from must be below --to")
    if args.digits < 10:
        raise UsageError("--digits must be at least 10")
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
        try:
            x0 = [float(v) for v in args.x.split(",")]
        except ValueError:
            raise UsageError(f"--x must be comma-separated numbers, got {args.x!r}") from None
        if len(x0) != space.dim:
            raise UsageError(f"--x needs {space.dim} values {tuple(map(str, space.params))}, got {len(x0)}")
        label = "[" + ", ".join(space.blocks) + "]"
    from symcrit.spectra.hessian import attach_arm_spectra

    res = [attach_arm_spectra(f).to_dict() for f in folds(space, x0, k0, args.k_lo, args.k_hi, args.digits)]
    if args.json:
        emit(res)
        return 0
    if not res:
        print(f"{label}: the branch has no fold for k in [{args.k_lo:g}, {args.k_hi:g}]")
        return 0
    _table(["k*", "two points for", "certified", "negative (distinct) on the arms"],
           [[f["k"], f"k {'>' if f['side'] == 'above' else '<'} k*", f["certified"],
             " / ".join(str(a["negative_distinct"]) for a in f["arms"])] for f in res])
    return 0


# ---------------------------------------------------------------------------------------------
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
    _table(["verdict", "seed", "claim"], [[c["verdict"], c["seed"], c["claim"][:90]] for c in doc["claims"]])
    return 0


# ---------------------------------------------------------------------------------------------
def build_parser():
    from symcrit.core.version import __version__

    parser = _Parser(prog="symcrit", description="Critical points of two-layer ReLU networks, by symmetry.")
    parser.add_argument("--version", action="version", version=f"symcrit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (help, add, _) in COMMANDS.items():
        sp = sub.add_parser(name, help=help, description=help)
        add(sp)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    from symcrit.core.errors import SymcritError
    from symcrit.symmetry.fixedpoint import BlocksError

    try:
        return COMMANDS[args.command][2](args) or 0
    except (UsageError, SymcritError, BlocksError, ValueError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"symcrit: error: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("symcrit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into a command that stopped reading (e.g. head)
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
