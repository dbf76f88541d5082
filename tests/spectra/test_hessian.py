"""Hessian spectra by symmetry against dense eigenvalues; crossings in real k."""
import mpmath
import numpy as np
import pytest
import sympy

from symcrit import K, StudentTeacher
from symcrit.critical.families import family, Family
from symcrit.spectra.hessian import component_types, spectrum
from symcrit.symmetry.fixedpoint import fixed_point_space


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


def _dense_check(cp):
    k = int(cp.k)
    S = spectrum(cp)
    mine = np.sort(np.concatenate([[float(e)] * m for e, m, _ in S.eigenvalues()]))
    H = StudentTeacher(k, n=k + 1).hessian(np.array(cp.W, dtype=float))
    dense = np.linalg.eigvalsh(H)
    assert len(mine) == len(dense) == (k + 1) * k
    # float64 dense eigenvalues of a matrix with entries O(k): 1e-12 is ~1e4 ulps
    assert np.max(np.abs(mine - dense)) < 1e-12
    return S


@pytest.mark.parametrize("k", [6, 9])
def test_sk1x_spectrum_by_symmetry_matches_dense(k):
    S = _dense_check(family("sk1x").solve(k, dps=30))
    names = {c.name for c in S.components}
    assert "V_2" in names and "V_1" not in names  # a singleton block has no standard part


def test_sk_with_extra_row_spectrum_matches_dense():
    """A critical point of Δ(S_k) with the extra row (found by Newton at k = 10 from random starts)."""
    fam = Family("skx", fixed_point_space(["k"], extra=1), start=(10, [-0.7847, 0.1755, 0.175]))
    _dense_check(fam.solve(10, dps=30))
