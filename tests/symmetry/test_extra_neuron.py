"""One extra student neuron (n = k + 1): the fixed-point space with an extra row against the full
model, the spectrum by symmetry against the dense Hessian, and the sk1x family's turn to a minimum."""
import json

import mpmath
import numpy as np
import pytest

from symcrit.cli import main
from symcrit.critical.families import Family, family
from symcrit.symmetry.fixedpoint import K, FixedPointSpace, fixed_point_space
from symcrit.model.network import StudentTeacher
from symcrit.spectra.hessian import spectrum
from symcrit.spectra.crossings import crossings


@pytest.mark.parametrize("blocks", [["k"], ["1", "k-1"], ["2", "k-2"], [1, 1, "k-2"]])
def test_reduced_loss_and_gradient_match_the_full_model(blocks):
    sp = FixedPointSpace(blocks, extra=1)
    assert sp.params[-1].name == f"u{len(sp.sizes)}"
    rng = np.random.default_rng(len(blocks))
    k = 7
    with mpmath.workdps(40):
        x = [mpmath.mpf(float(v)) for v in rng.normal(0, 0.5, sp.dim)]
        W = sp.embed(x, k)
        assert W.shape == (k + 1, k)
        m = StudentTeacher(k, n=k + 1)
        # 40 digits; the loss is a sum of O(k^2) terms of size O(1): 1e-35 leaves 10^3 for rounding
        assert abs(sp.loss_function("mpmath")(x, k) - m.loss(W)) < mpmath.mpf(10) ** -35
        G = m.gradient(W)
        S = sp.slot_matrix(k)
        g = sp.gradient_function("mpmath")(x, k)
        for i in range(sp.dim):
            assert max(abs(v - g[i]) for v in G[S == i]) < mpmath.mpf(10) ** -35
        # the orbit sizes count the entries of each orbit, and project inverts embed
        assert [int(o.subs(K, k)) if not o.is_number else int(o) for o in sp.orbit_sizes] == \
            [int((S == i).sum()) for i in range(sp.dim)]
        assert max(abs(a - b) for a, b in zip(sp.project(W), x)) < mpmath.mpf(10) ** -35


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


def test_sk1x_turns_into_a_minimum_between_6_and_7():
    f = family("sk1x")
    assert f.solve(6, dps=30).negative_count > 0 and f.solve(7, dps=30).negative_count == 0  # dense, float64
    res = crossings(f, k_lo=6.5, k_hi=7.0, step=0.25, digits=20)
    assert len(res) == 1
    c = res[0]
    assert c["component"] == "V_2" and c["direction"] == "saddle → minimum" and c["sign_change_confirmed"]
    assert c["k"].startswith("6.66536335422509")


def test_sk1x_lower_loss_than_sk1():
    """The extra neuron lets the flipped role be taken over: a lower spurious value (k = 6..20)."""
    for k in (7, 12, 20):
        assert family("sk1x").solve(k, dps=20).loss < family("sk1").solve(k, dps=20).loss


def test_cli_spectrum_sk1x(capsys):
    assert main(["spectrum", "sk1x", "--k", "7", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["negative_count"] == 0 and sum(e["multiplicity"] for e in out["eigenvalues"]) == 56
    assert main(["spectrum", "sk1x", "--k", "7", "--d", "9"]) == 2
    assert "not implemented" in capsys.readouterr().err
    assert main(["loss", "--blocks", "1,k-1", "--extra", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["n"] == "k+1"
