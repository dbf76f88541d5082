"""Hessian spectra by symmetry against dense eigenvalues; crossings in real k."""
import json

import mpmath
import numpy as np
import pytest
import sympy

from symcrit import K, StudentTeacher
from symcrit.cli import main
from symcrit.critical.families import family
from symcrit.spectra.hessian import component_types, spectrum
from symcrit.spectra.crossings import crossings


@pytest.mark.parametrize("fid", ["global", "sk1", "sk1b", "sk", "s2"])
def test_spectrum_matches_dense_eigenvalues_k_up_to_20(fid):
    """Every distinct eigenvalue with its multiplicity, against numpy's eigvalsh of the dense
    k²×k² Hessian (float64: agreement to 1e-11 allows the condition ~k of the largest eigenvalues)."""
    f = family(fid)
    for k in range(max(4, f.k_min), 21):
        cp = f.solve(k, dps=20, verify=False)
        sp = spectrum(cp)
        flat = np.sort([float(e) for e, m, _ in sp.eigenvalues() for _ in range(m)])
        assert len(flat) == k * k
        dense = np.linalg.eigvalsh(StudentTeacher(k).hessian(np.array(cp.W, dtype=float)))
        assert np.abs(flat - dense).max() < 1e-11, (fid, k)


def test_multiplicities_are_polynomials_adding_up_to_k_squared():
    from symcrit import FixedPointSpace
    for blocks in (["k"], ["1", "k-1"], ["2", "k-2"], ["1", "1", "k-2"]):
        sp = FixedPointSpace(blocks)
        total = sympy.Integer(sp.dim)  # trivial: one copy per parameter, dimension 1
        for name, dim, labels, vecs in component_types(sp, [10] * len(blocks) if len(blocks) == 1 else
                                              [int(s.subs(K, 40)) for s in sp.sizes]):
            copies = len(vecs)
            if name.startswith("V_") and "⊗" not in name:
                I = int(name[2:]) - 1
                if sp.sizes[I] == 2:
                    copies -= 1  # diag(v) is dependent for S_2
            total += copies * dim
        assert sympy.expand(total - K**2) == 0, blocks


def test_global_minimum_closed_form():
    """SPEC §3: at W = I, 1/4 - 1/(2π) with multiplicity k(k-1)/2 and 1/4 + 1/(2π) with k(k-3)/2."""
    k = 9
    sp = spectrum(family("global").solve(k, dps=40))
    with mpmath.workdps(40):
        lo, hi = mpmath.mpf(1) / 4 - 1 / (2 * mpmath.pi), mpmath.mpf(1) / 4 + 1 / (2 * mpmath.pi)
        m_lo = sum(m for e, m, _ in sp.eigenvalues() if abs(e - lo) < 1e-35)
        m_hi = sum(m for e, m, _ in sp.eigenvalues() if abs(e - hi) < 1e-35)
    assert m_lo == k * (k - 1) // 2 and m_hi == k * (k - 3) // 2


def test_huge_k_and_real_k():
    sp = spectrum(family("sk1").solve(10**6, dps=25, verify=False))
    assert sp.total_multiplicity == 10**12 and sp.negative_count == 0
    # the largest eigenvalue grows like k/4 (seed 003: Θ(d) eigenvalues grow linearly)
    assert abs(float(sp.eigenvalues()[-1][0]) / 10**6 - 0.25) < 1e-5
    spr = spectrum(family("sk1").solve("7.5", dps=25, verify=False))
    assert abs(spr.total_multiplicity - 7.5**2) < 1e-9


def test_s2_turns_into_a_minimum_between_7_and_8():
    res = crossings(family("s2"), k_lo=7.0, k_hi=8.0, step=0.5, digits=25)
    assert len(res) == 1
    c = res[0]
    assert c["component"] == "V_2" and c["direction"] == "saddle → minimum" and c["sign_change_confirmed"]
    assert c["k"].startswith("7.5611904979454010674398")
    # a second precision gives the same digits
    res2 = crossings(family("s2"), k_lo=7.0, k_hi=8.0, step=0.5, digits=15)
    assert res2[0]["k"][:15] == c["k"][:15]


def test_cli_spectrum_and_crossings(capsys, tmp_path):
    assert main(["spectrum", "sk", "--k", "8", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["negative_count"] == 0 and sum(e["multiplicity"] for e in d["eigenvalues"]) == 64
    png = tmp_path / "b.png"
    assert main(["crossings", "sk1", "--from", "5", "--to", "6", "--step", "0.5", "--json", "--plot", str(png)]) == 0
    out = json.loads(capsys.readouterr().out)
    c = out["crossings"]
    assert len(c) == 1 and c[0]["k"].startswith("5.585505247") and png.stat().st_size > 10_000
    assert out["completeness"]["evidence"].startswith("not computed")
    assert main(["spectrum", "sk1", "--k", "6,7"]) == 2


@pytest.mark.parametrize("fid", ["sk1", "s2", "global"])
def test_spectrum_with_extra_input_dimensions(fid):
    """d > k with teacher [I_k | 0]: [W | 0] is critical, and the spectrum by symmetry (square part
    plus d - k copies of the extra-column block) matches the dense (k d)×(k d) Hessian."""
    k, d = 7, 10
    cp = family(fid).solve(k, dps=25, verify=False)
    sp = spectrum(cp, d=d)
    flat = np.sort([float(e) for e, m, _ in sp.eigenvalues() for _ in range(m)])
    W = np.hstack([np.array(cp.W, dtype=float), np.zeros((k, d - k))])
    m = StudentTeacher(k, d=d)
    assert np.abs(m.gradient(W)).max() < 1e-14
    dense = np.linalg.eigvalsh(m.hessian(W))
    assert len(flat) == k * d and np.abs(flat - dense).max() < 1e-11


def _coef(c):
    """A printed series coefficient as a number: a ball around 0 ('±r') counts as 0."""
    return mpmath.mpf(0) if c.startswith("±") else mpmath.mpf(c)


def _tiny(c, r=1e-60):
    """The coefficient is the exact 0 or a ball around 0 of radius below r."""
    return c == "0" or (c.startswith("±") and float(c[1:]) < r)


def test_eigenvalue_series_of_the_bulk():
    """sk1's bulk eigenvalues: 1/4 ∓ 1/(2π) - (1/π) s² + …, i.e. the -1/(πk) gap to the global
    minimum; the truncated series agrees with the spectrum by symmetry at k = 1e4 to order s^7."""
    from symcrit.asymptotics.eigseries import eigenvalue_series
    ev = eigenvalue_series(family("sk1"), order=6, dps=30, components=["[p-2,1,1]_2", "[p-2,2]_2"])
    lo, hi = ev["[p-2,1,1]_2"][0], ev["[p-2,2]_2"][0]
    with mpmath.workdps(30):
        assert lo["expanded"] and hi["expanded"]
        assert abs(mpmath.mpf(lo["coefficients"][0]) - (mpmath.mpf(1) / 4 - 1 / (2 * mpmath.pi))) < 1e-25
        assert abs(mpmath.mpf(hi["coefficients"][0]) - (mpmath.mpf(1) / 4 + 1 / (2 * mpmath.pi))) < 1e-25
        for e in (lo, hi):
            assert e["coefficients"][1] == "0"
            assert abs(mpmath.mpf(e["coefficients"][2]) + 1 / mpmath.pi) < 1e-25
        k = 10**4
        sv = mpmath.mpf(k) ** -0.5
        sp = spectrum(family("sk1").solve(k, dps=30, verify=False), components=["[p-2,1,1]_2"])
        val = sum(_coef(c) * sv**j for j, c in enumerate(lo["coefficients"]))
        assert abs(val - sp.components[0].eigenvalues[0]) < 1e-13  # |c7| s^7 with |c7| < 1e1


def test_eigenvalue_series_of_a_clustered_pair():
    """sk1's V_2 has two eigenvalues → 1/4 − 1/(2π) that separate at order s: they are expanded by a
    quadratic factor of the characteristic polynomial (Newton on series) and the square root of its
    discriminant.  One starts −(1/π²) s, the other has no s, s², s³ terms.  Checked against the
    spectrum by symmetry at k = 10^4 and 10^6: the truncation error is c7 s^7 with |c7| < 40 (observed
    33), so 1e-12 and 1e-19 hold with margin, and the tenfold-in-s drop shows the order."""
    from symcrit.asymptotics.eigseries import eigenvalue_series
    ev = eigenvalue_series(family("sk1"), order=6, dps=30, components=["V_2"])["V_2"]
    pair = [e for e in ev if e.get("separation_power") == 1]
    assert len(pair) == 2 and all(e["expanded"] for e in pair)
    with mpmath.workdps(30):
        lam0 = mpmath.mpf(1) / 4 - 1 / (2 * mpmath.pi)
        for e in pair:
            assert abs(mpmath.mpf(e["coefficients"][0]) - lam0) < 1e-25
        a, b = sorted(pair, key=lambda e: _tiny(e["coefficients"][1]))
        assert abs(mpmath.mpf(a["coefficients"][1]) + 1 / mpmath.pi ** 2) < 1e-25
        # no s, s², s³ terms: balls around 0 of radius < 1e-60 (proven bounds, not proven zeros)
        assert all(_tiny(c) for c in b["coefficients"][1:4]) and not _tiny(b["coefficients"][4])
    with mpmath.workdps(40):
        for k, tol in ((10**4, 1e-12), (10**6, 1e-19)):
            nums = spectrum(family("sk1").solve(k, dps=40, verify=False), components=["V_2"]).components[0].eigenvalues
            sv = mpmath.mpf(k) ** -0.5
            for e in pair:
                val = sum(_coef(c) * sv**j for j, c in enumerate(e["coefficients"]))
                assert min(abs(val - x) for x in nums) < tol


def test_eigenvalue_series_of_the_growing_eigenvalues():
    """The eigenvalues growing like k are expanded on the scaled pencil (μ = λ s²): at the global
    minimum the trivial component has k/(2π) + … and k/4 + …, V_1 has k/4 + 1/4 + ….  Leading
    coefficients to 25 digits; the truncated series (powers s^-2 … s^2, error O(s^3) with coefficients
    < 10, observed 1e-15 since odd powers vanish) within 1e-8 of the spectrum by symmetry at k = 10^6."""
    from symcrit.asymptotics.eigseries import eigenvalue_series
    ev = eigenvalue_series(family("global"), order=4, dps=30)
    grow = {name: [e for e in rows if e["leading_power"] == -2] for name, rows in ev.items()}
    assert [len(grow[n]) for n in ("trivial", "V_1")] == [2, 1]
    assert all(e["expanded"] for rows in ev.values() for e in rows)
    with mpmath.workdps(40):
        lead = sorted(mpmath.mpf(e["coefficients"][0]) for e in grow["trivial"])
        assert abs(lead[0] - 1 / (2 * mpmath.pi)) < 1e-25 and abs(lead[1] - mpmath.mpf(1) / 4) < 1e-25
        assert all(e["coefficients"][1] == "0" for e in grow["trivial"] + grow["V_1"])
        k = 10**6
        sv = mpmath.mpf(k) ** -0.5
        sp = spectrum(family("global").solve(k, dps=40, verify=False))
        for name, rows in ev.items():
            nums = next(c for c in sp.components if c.name == name).eigenvalues
            for e in rows:
                val = sum(_coef(c) * sv ** (e["leading_power"] + j) for j, c in enumerate(e["coefficients"]))
                assert min(abs(val - x) for x in nums) < 1e-8


def test_solve_keeps_a_huge_integer_k_exact():
    """k = 10^40 must not pass through a float (int(float(10**40)) = 10^40 + 3e23): the eigenvalue
    k/4 + 0.847… of the global minimum's trivial component shows the O(1) term only if k is exact."""
    cp = family("global").solve(10**40, dps=30, verify=False)
    assert cp.k == 10**40
    with mpmath.workdps(cp.work_dps):
        top = max(spectrum(cp, components=["trivial"]).components[0].eigenvalues)
        assert abs(top - mpmath.mpf(10**40) / 4 - mpmath.mpf("0.84713954156292250106986")) < 1e-15


def test_eigenvalue_series_of_the_extra_columns():
    """d > k: the extra input columns' eigenvalues as series.  At the global minimum they are
    known in closed form (D = 1/2, O = 1/4 on each extra column, so 1/4 and k/4 + 1/4); for sk the
    truncated series (order 6: powers v … v + 6, error O(s^(v+7)) with coefficients < 10) meets the
    spectrum by symmetry with d = k + 1 at k = 10^4 within 10 s^(v+7) (observed 4e-14 for v = 0,
    7.5e-11 for the growing one, v = -2)."""
    from symcrit.asymptotics.eigseries import eigenvalue_series
    ev = eigenvalue_series(family("global"), order=3, dps=30, components=["extra:trivial", "extra:V_1"],
                           extra_columns=True)
    assert ev["extra:V_1"][0]["coefficients"] == ["0.25", "0", "0", "0"]
    assert ev["extra:trivial"][0]["leading_power"] == -2
    assert ev["extra:trivial"][0]["coefficients"] == ["0.25", "0", "0.25", "0"]
    names = ["extra:trivial", "extra:V_1"]
    ev = eigenvalue_series(family("sk"), order=6, dps=30, components=names, extra_columns=True)
    k = 10**4
    with mpmath.workdps(40):
        sp = spectrum(family("sk").solve(k, dps=40, verify=False), d=k + 1)
        sv = mpmath.mpf(k) ** -0.5
        for name in names:
            nums = next(c for c in sp.components if c.name == name).eigenvalues
            for e in ev[name]:
                assert e["expanded"]
                val = sum(_coef(c) * sv ** (e["leading_power"] + j) for j, c in enumerate(e["coefficients"]))
                assert min(abs(val - x) for x in nums) < 10 * sv ** (e["leading_power"] + 7)


def test_extra_columns_at_real_k_and_no_crossing_for_sk():
    """The extra-column block at a real k continues the integer one (k = 7 given as a real number
    reproduces the integer k = 7 eigenvalues), and along sk the extra columns add no crossing:
    the only one up to k = 8 is still the [k-2,1,1] crossing at 5.7638…"""
    from symcrit.spectra.hessian import extra_column_components
    from symcrit.spectra.crossings import crossings
    fam = family("sk")
    a = extra_column_components(fam.solve(7, dps=30, verify=False), 1)
    b = extra_column_components(fam.solve(mpmath.mpf("7.0000000000000000000001"), dps=30, verify=False), 1)
    for ca, cb in zip(a, b):
        assert ca.name == cb.name
        assert max(abs(x - y) for x, y in zip(ca.eigenvalues, cb.eigenvalues)) < 1e-20
    res = crossings(fam, k_hi=8, digits=12, extra_columns=True)
    assert [(c["component"], c["k"][:8]) for c in res] == [("[p-2,1,1]_1", "5.763812")]
