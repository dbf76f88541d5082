"""CLI commands — The fixed-point spaces: ``loss`` and ``equivariants``."""
from __future__ import annotations

from symcrit.cli.registry import UsageError, add_output, check_cost, command, emit, table


def _loss_args(p):
    p.add_argument("--blocks", required=True,
                   help="block sizes of the isotropy type, comma-separated, affine in k (e.g. 1,k-1)")
    p.add_argument("--extra", action="store_true",
                   help="one extra student neuron (n = k + 1): its row u1 … ur, constant on each block")
    add_output(p, force=False, latex="print LaTeX")


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
        print("isotropy  Δ(" + " × ".join(f"S_{{{b}}}" for b in sp.blocks) + ")"
              + ("   (n = k + 1: the extra row u is fixed)" if sp.extra else ""))
        print(f"params    {', '.join(map(str, sp.params))}   (dim {sp.dim}, k >= {sp.k_min})")
        print(f"orbits    {', '.join(map(str, sp.orbit_sizes))}")
        print(f"F =       {F}")
    return 0


def _equivariants_args(p):
    p.add_argument("--n", type=int, required=True, help="S_n acting on its standard representation (n >= 2)")
    p.add_argument("--degree", type=int, default=3, help="highest degree (default 3)")
    p.add_argument("--check", action="store_true", help="also the brute-force dimension (n! averaging; n <= 6)")
    add_output(p)


@command("equivariants", "S_n-equivariant polynomial maps on the standard representation, by degree",
         _equivariants_args)
def _equivariants(args):
    import sympy

    from symcrit.symmetry.equivariants import brute_force_dimension, equivariant_basis

    if args.n < 2 or args.degree < 1:
        raise UsageError("--n must be >= 2 and --degree >= 1")
    if args.check and args.n > 6:
        raise UsageError("--check averages over n! permutations: n <= 6")
    check_cost(args, equivariants_seconds(args.n, args.degree), f"equivariants up to degree {args.degree} for n = {args.n}")
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
    table(["degree", "dimension"] + (["brute force"] if args.check else []) + ["basis"],
           [[r["degree"], r["dimension"]] + ([r["brute_force_dimension"]] if args.check else [])
            + [", ".join(m["name"] for m in r["maps"]) or "-"] for r in out])
    return 0


def equivariants_seconds(n: int, degree: int) -> float:
    """The exact rank of the candidate maps: measured (2-core machine under load) 20 s at n = 6,
    degree 4; 42 s at n = 8 and 100 s at n = 10 (degree 4); 62 s at n = 6, degree 5: about
    20 (n/6)^3.5 · 3^(degree-4) s."""
    return 20.0 * (max(n, 2) / 6) ** 3.5 * 3.0 ** (min(degree, 60) - 4)
