"""Writes the notebooks in this folder from the cell lists below (run: python notebooks/make_notebooks.py).

Keeping the sources here keeps the notebooks reviewable as code; the .ipynb files are committed
without outputs and are executed top to bottom by tests/test_notebooks.py.
"""
import os

import nbformat as nbf

HERE = os.path.dirname(os.path.abspath(__file__))

NOTEBOOKS = {
    "01_tour.ipynb": [
        ("md", "# A tour of symcrit\n\nThe model, a fixed-point space, the reduced loss with k symbolic, "
               "and a check against the full k×k loss."),
        ("code", "import numpy as np, mpmath, sympy\nimport symcrit\nsymcrit.__version__"),
        ("md", "## The model\nF(W) = ½ E[(Σ relu(w_i·x) − Σ relu(v_j·x))²] in closed form. Flipping one neuron "
               "of the teacher costs exactly 1/2."),
        ("code", "m = symcrit.StudentTeacher(4)\nW = np.diag([-1.0, 1, 1, 1])\nm.loss(W), np.abs(m.gradient(np.eye(4))).max()"),
        ("md", "## The Safran–Shamir isotropy type Δ(S₁ × S_{k−1})"),
        ("code", "V = symcrit.FixedPointSpace(['1', 'k-1'])\nV.params, V.orbit_sizes"),
        ("code", "V   # renders the reduced loss as LaTeX"),
        ("code", "print(symcrit.latex(V)[:300], '...')"),
        ("md", "The reduced loss equals the full loss of the embedded matrix, at 50 digits:"),
        ("code", "with mpmath.workdps(50):\n"
                 "    x = [mpmath.mpf(v) for v in ('-0.9', '0.1', '0.3', '1', '-0.02')]\n"
                 "    reduced = V.loss_function('mpmath')(x, 7)\n"
                 "    full = symcrit.StudentTeacher(7).loss(V.embed(x, 7))\n"
                 "    print(mpmath.nstr(reduced, 40)); print(mpmath.nstr(full, 40))\n"
                 "    assert abs(reduced - full) < mpmath.mpf(10)**-45"),
        ("md", "## Identifying the isotropy of a numerical point"),
        ("code", "rng = np.random.default_rng(0)\nWk = V.embed([-0.6, 0.2, 0.3, 0.99, -0.05], 7)\n"
                 "r, c = rng.permutation(7), rng.permutation(7)\nsymcrit.isotropy(Wk[r][:, c]).sizes"),
    ],
    "02_safran_shamir_minima.ipynb": [
        ("md", "# The Safran–Shamir spurious minima, k = 6..20\n\nSolved on the reduced equations, checked "
               "in full space, certified by the Krawczyk test."),
        ("code", "import mpmath, symcrit\nf = symcrit.family('sk1')\ncp = f.solve(6, dps=60).certify()\ncp"),
        ("code", "rows = []\nfor k in range(6, 21):\n    p = f.solve(k, dps=40).certify()\n"
                 "    rows.append((k, p.loss_str(16), mpmath.nstr(p.gradient_residual, 3), p.negative_count, p.certified))\n"
                 "for r in rows: print(*r)\nassert all(r[3] == 0 and r[4] for r in rows)"),
        ("md", "k·F(k) tends to 1/2 − 2/π² (seed: 'decay like a/k, a ≈ 0.3'):"),
        ("code", "[(k, float(f.solve(k, dps=20, verify=False).loss) * k) for k in (10, 10**3, 10**6, 10**20)], float(0.5 - 2 / mpmath.pi**2)"),
    ],
    "03_series.ipynb": [
        ("md", "# Series in s = k^(−1/2)\n\nCoefficients as balls, exact forms in Q(π), validation against "
               "the exact points."),
        ("code", "import symcrit\nS = symcrit.series(symcrit.family('sk1'), order=20, dps=40)\nS.leading_powers, S.verify()['ok']"),
        ("code", "S   # LaTeX, first terms"),
        ("md", "The balls are proven enclosures, unconditionally: the structural hypothesis of the row "
               "transform is proven exactly over Q(π, y)."),
        ("code", "S.certificate['proven'], S.certificate['conditional_on_structure']"),
        ("md", "Exact forms: every coefficient is a rational function of π, reconstructed from modular "
               "images and **proven** by exact substitution into the certified truncated system (its "
               "residual vanishes in Q(π)[[s]], and the forms lie in its Krawczyk box)."),
        ("code", "Se = symcrit.series(symcrit.family('sk1'), order=8, dps=60, exact=True)\n"
                 "Se.exact_form('a', 3), Se.exact_form('a', 3, partial=True)"),
        ("code", "{k: Se.exact_info[k] for k in ('field', 'status', 'points', 'primes', 'seconds')}, Se.exact_info['proof']['statement']"),
        ("code", "from IPython.display import Math\nMath(Se.to_latex(terms=5))"),
        ("md", "s2 needs √2: its coefficients lie in Q(√2, π), and the same proof runs over Q(√2)(π)[[s]]."),
        ("code", "S2 = symcrit.series(symcrit.family('s2'), order=4, dps=40, exact=True)\n"
                 "S2.exact_info['field'], S2.exact_info['status'], S2.exact_form('alpha', 4)"),
        ("md", "Where the series converges is decided by the nearest singularity of the branch x(s): a fold in "
               "the complex s-plane, proven by Krawczyk in complex ball arithmetic. The repr says what is proven; "
               "`radius_outcome` renders the R sentence from the facts (here: the fold proven, that none is "
               "nearer checked; `S.singularities(prove_disc=True)` proves R = |s_c| exactly, in minutes)."),
        ("code", "d = S.singularities()\nS, d['singularities'][0]['s'], d['radius'], d['k_convergence'], d['radius_outcome']['text']"),
        ("code", "res = symcrit.validate(symcrit.family('sk1'), 20, [6, 10, 20], dps=30, S=S)\nres['verdict']['text']"),
        ("md", "Around s = 0 (k = ∞) the branch is proven analytic on a disc, in the series coordinates "
               "x = x∞ + s^m y: valuation-form Taylor models of T·G (k = s^−2 exact), its negative powers "
               "dropped by the structure proof, and a parametric Krawczyk test. `prove_disc` (minutes) glues "
               "this inner disc to its annulus of Taylor-model discs out to R(1 − ε): then R ≥ r and the Cauchy "
               "tail bound are proven."),
        ("code", "from symcrit.asymptotics.innerdisc import prove_inner_disc\n"
                 "inner = prove_inner_disc(symcrit.family('sk1'), 0.05, S=S)\n"
                 "inner['proven'], inner['eps'], inner['contraction'], inner['statement']"),
        ("code", "import os, tempfile\nfrom symcrit.report.plots import plot_validation\nfrom IPython.display import Image\n"
                 "out = tempfile.mkdtemp(prefix='symcrit-nb03-')   # pictures go here, not into the working folder\n"
                 "Image(plot_validation(res, os.path.join(out, 'validation.png')))"),
    ],
    "04_spectra_and_crossings.ipynb": [
        ("md", "# Hessian spectra by symmetry, and where s2 becomes a minimum"),
        ("code", "import symcrit\nsp = symcrit.spectrum(symcrit.family('s2').solve(20))\n"
                 "[(float(e), m, n) for e, m, n in sp.eigenvalues()][:6], sp.total_multiplicity"),
        ("code", "symcrit.spectrum(symcrit.family('sk1').solve(10**6)).eigenvalues()[-2:]"),
        ("code", "c = symcrit.crossings(symcrit.family('s2'), k_lo=7, k_hi=8, step=0.5, digits=25)\nc"),
    ],
    "05_discovery.ipynb": [
        ("md", "# Discovery: the landscape from random starts\n\nA small Safran–Shamir campaign: accelerated "
               "gradient from N(0, 1/k) starts, every end point identified by its isotropy."),
        ("code", "import symcrit\ns = symcrit.discover(14, runs=30, seed=2018)\n"
                 "print(f\"spurious share {100 * s['spurious_fraction']:.0f}%\")\n"
                 "[(m['loss'], m['isotropy'], m['family'], m['count']) for m in s['minima']]"),
        ("md", "A minimum outside the catalogue comes with a family definition that `register_family` accepts:"),
        ("code", "new = [m for m in s['minima'] if 'definition' in m]\n"
                 "if new:\n"
                 "    d = new[0]['definition']\n"
                 "    f = symcrit.register_family('found', d['blocks'], start=(d['start'][0], [float(v) for v in d['start'][1]]), replace=True)\n"
                 "    print(d['blocks'], f.solve(16, dps=30).loss_str(15))\n"
                 "    symcrit.unregister_family('found')"),
    ],
    "06_wider_networks_and_bifurcation.ipynb": [
        ("md", "# Wider networks and the normal form at a crossing\n\nŞimşek et al.'s counts (definitions and "
               "derivation in `docs/counting.md`), embedded critical points and their Hessian index, and seed 002's "
               "question: do spurious minima arise by symmetry breaking?"),
        ("code", "from symcrit.landscape.counting import count, crossover, brute_force\n"
                 "c = count(5, 8)\n"
                 "c['T'], c['G'], [crossover(r) for r in (2, 3, 5, 10, 20)]"),
        ("md", "The closed forms T = r*! S(m+1, r*+1), G(r, m) = r! S(m+1, r+1) against brute-force enumeration "
               "of the subspaces (distinct and maximal):"),
        ("code", "[(kind, r, m) + brute_force(kind, r, m) for kind in ('T', 'G') for r, m in ((2, 3), (2, 4), (3, 4))]"),
        ("code", "import os, tempfile\nfrom symcrit.report.plots import plot_counts\n"
                 "from IPython.display import Image\n"
                 "out = tempfile.mkdtemp(prefix='symcrit-nb06-')   # pictures go here, not into the working folder\n"
                 "Image(plot_counts(os.path.join(out, 'crossover.png'), (2, 3, 5, 10)))"),
        ("md", "Splitting a neuron of a width-2 critical point (teacher I_3): a line of critical points, saddles of "
               "index d − 1 for t in (0, 1), positive semidefinite outside."),
        ("code", "import mpmath, numpy as np\n"
                 "from symcrit import StudentTeacher, mpmath_matrix\n"
                 "from symcrit.landscape.embed import narrow_critical_point, split_neuron, full_hessian, hessian_index\n"
                 "Wr = narrow_critical_point(2, 3, dps=30)\n"
                 "with mpmath.workdps(30):\n"
                 "    one = mpmath_matrix(np.ones(2))\n"
                 "    for t in ('-1', '0.5', '1.5'):\n"
                 "        W2, a2 = split_neuron(Wr, one, 0, mpmath.mpf(t))\n"
                 "        print(t, hessian_index(full_hessian(StudentTeacher(3, n=3), W2, a2), mpmath.mpf(10) ** -12)[0])"),
        ("md", "The normal form where sk1 turns into a minimum: ∇f = μ(k) x + q P(x∘x) + O(|x|³) on V_2; the axial "
               "branch found by Newton where the normal form puts it, and its index on both sides."),
        ("code", "from symcrit.spectra.bifurcation import normal_form\n"
                 "from symcrit import family, crossings\n"
                 "c = [c for c in crossings(family('sk1'), k_lo=5.25, k_hi=6, step=0.25) if c['component'] == 'V_2'][0]\n"
                 "nf = normal_form(family('sk1'), c['k'], c['component'], dps=30, deltas=('1e-3',))\n"
                 "print(nf['kstar'], 'q =', nf['q'], \"mu'(k*) =\", nf['dmu_dk'])\n"
                 "[(b['k'], b['ratio'], b['negative_count_family'], b['negative_count_branch']) for b in nf['branches']]"),
    ],
    "07_atlas.ipynb": [
        ("md", "# The atlas of the landscape\n\nOne campaign per width k, every end point identified and grouped into "
               "branches by continuation in real k; per branch and k: the loss, the index, the basin share with its 95 % "
               "interval. Catalogued families that no run reaches but that are minima show up as *hidden minima*. "
               "(A small atlas here; `symcrit atlas --k 6:20` uses 920 runs per k.)"),
        ("code", "import tempfile, symcrit\n"
                 "from symcrit.landscape.atlas import atlas, plot_atlas\n"
                 "out = tempfile.mkdtemp(prefix='symcrit-atlas-')\n"
                 "doc = atlas([6, 7, 8], runs=40, seed=1, out=out)\n"
                 "[(b['id'], b['k_range'], b['minimum_range'], b['hidden_minimum'], [p['count'] for p in b['points']])\n"
                 " for b in doc['branches']]"),
        ("md", "Figures: critical values against k (solid where the branch is a minimum, dashed where it is a saddle), "
               "basin shares, and the k-ranges."),
        ("code", "from IPython.display import Image, display\n"
                 "files = plot_atlas(doc, out)\n"
                 "for f in files.values():\n"
                 "    display(Image(filename=f'{out}/{f}'))"),
        ("md", "Every branch carries a definition that registers it again as a family:"),
        ("code", "b = next(b for b in doc['branches'] if b['id'] == 'sk')\n"
                 "b['definition'], b['loss_asymptotics']"),
        ("md", "Each point's Hessian index is *proven* where the inertia of every isotypic block is decided in ball "
               "arithmetic over the point's Krawczyk box; the minimum range is in real k, its ends the proven "
               "crossings k* of an isotypic eigenvalue (or the end of the branch: a proven fold, the end of the "
               "isotropy type). Points of two branches that are one critical point (up to permutations of neurons "
               "and inputs) are listed as coincidences."),
        ("code", "[(p['k'], p['index'], p['index_evidence']) for p in b['points']], b['minimum_range'], "
                 "b['minimum_range_evidence']"),
        ("code", "doc['coincidences']"),
        ("md", "## The committed map\n\nThe atlas of `docs/atlas.md` (`symcrit atlas --k 6:20`, 920 runs per k), read "
               "from its `atlas.json`. Its hidden minima: minima that no run reaches (0 of 920 at every k where they are "
               "minima), which the catalogue or the search of the fixed-point spaces found. `minimum_ks` are the "
               "integer widths where the index is 0 (proven), `minimum_ranges` the intervals in real k."),
        ("code", "import json, pathlib\n"
                 "path = pathlib.Path(symcrit.__file__).resolve().parents[1] / 'docs' / 'atlas' / 'atlas.json'\n"
                 "committed = json.loads(path.read_text())  # in a clone of the repository\n"
                 "[(b['id'], b['found_by'], b['minimum_ks'], [(r['lo'], r['hi']) for r in b['minimum_ranges'] or []])\n"
                 " for b in committed['branches'] if b['hidden_minimum']]"),
        ("md", "Any branch is a family again from its definition; solved afresh at one of its widths, its loss "
               "agrees with the map's to every digit the map prints:"),
        ("code", "b = next(b for b in committed['branches'] if b['id'] == 'Δ(8,k-8)#3')\n"
                 "fam = symcrit.register_family(b['id'], **b['definition'], replace=True)\n"
                 "p = next(p for p in b['points'] if p['k'] == 19)\n"
                 "digits = len(p['loss'].split('.')[1].lstrip('0'))  # significant digits the map prints\n"
                 "fresh = fam.solve(19, dps=40).loss_str(digits)\n"
                 "print(p['loss'], p['index'], p['index_evidence'])\n"
                 "print(fresh)\n"
                 "assert fresh == p['loss']"),
    ],
}


def main():
    for name, cells in NOTEBOOKS.items():
        nb = nbf.v4.new_notebook()
        nb.cells = [nbf.v4.new_markdown_cell(src) if kind == "md" else nbf.v4.new_code_cell(src) for kind, src in cells]
        for i, cell in enumerate(nb.cells):  # deterministic ids: regenerating gives the same files
            cell["id"] = f"{name.split('_')[0]}-{i:02d}"
        nb.nbformat, nb.nbformat_minor = 4, 5
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbf.write(nb, os.path.join(HERE, name))


if __name__ == "__main__":
    main()
