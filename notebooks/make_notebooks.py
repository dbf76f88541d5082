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
        ("code", "import symcrit\nS = symcrit.family('sk1').series(order=20, dps=40)\nS.leading_powers, S.verify()['ok']"),
        ("code", "S   # LaTeX, first terms"),
        ("code", "Se = symcrit.family('sk1').series(order=3, dps=40, exact=True)\nSe.exact['a'][3]"),
        ("code", "res = symcrit.validate(symcrit.family('sk1'), 20, [6, 10, 20], dps=30, S=S)\nres['verdict']['text']"),
        ("code", "from symcrit.plots import plot_validation\nfrom IPython.display import Image\n"
                 "Image(plot_validation(res, 'validation.png'))"),
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
}


def main():
    for name, cells in NOTEBOOKS.items():
        nb = nbf.v4.new_notebook()
        nb.cells = [nbf.v4.new_markdown_cell(src) if kind == "md" else nbf.v4.new_code_cell(src) for kind, src in cells]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbf.write(nb, os.path.join(HERE, name))


if __name__ == "__main__":
    main()
