"""Spectra that never lose a copy; proven inertia; one definition of the index (issue 16)."""
import json

import mpmath
import numpy as np
import pytest
import sympy

from symcrit import K, MultiplicityError, evidence_record, family, prove_inertia, spectrum
from symcrit.model.network import StudentTeacher
from symcrit.spectra import hessian


def _dense_counts(cp):
    """(negative, positive) of the dense full-space Hessian (mpmath entries, float64 eigenvalues)."""
    with mpmath.workdps(30):
        H = StudentTeacher(int(cp.k), n=int(cp.k) + cp.space.extra).hessian(cp.W)
    ev = np.linalg.eigvalsh(np.array(H.tolist(), dtype=float))
    assert np.abs(ev).min() > 1e-6  # the dense route decides every sign by a wide margin
    return int((ev < 0).sum()), int((ev > 0).sum())


# -- 1. every copy kept, at any k --------------------------------------------------------------
def test_sk1_at_k_1e100_keeps_every_copy_and_exact_multiplicities():
    k = 10 ** 100
    cp = family("sk1").solve(k, dps=25, verify=False)
    assert cp.k == k and isinstance(cp.k, int)
    sp = spectrum(cp)
    copies = {c.name: c.copies for c in sp.components}
    assert copies == {"trivial": 5, "V_2": 5, "[p-2,2]_2": 1, "[p-2,1,1]_2": 1}
    assert len(sp.eigenvalues()) == 12
    dims = {c.name: c.dim_at_k for c in sp.components}
    assert dims["V_2"] == k - 2 and dims["[p-2,2]_2"] == (k - 1) * (k - 4) // 2
    assert all(isinstance(m, int) for _, m, _ in sp.eigenvalues())
    assert sp.total_multiplicity == k * k
    d = json.loads(json.dumps(sp.to_dict()))
    assert d["total_multiplicity"] == str(k * k)
    assert sum(int(e["multiplicity"]) for e in d["eigenvalues"]) == k * k
    assert {e["multiplicity"] for e in d["eigenvalues"] if e["component"] == "V_2"} == {str(k - 2)}


@pytest.mark.parametrize("fid", ["global", "sk1", "sk1b", "sk", "s2", "sk1x"])
def test_multiplicities_at_k_1e6_are_the_polynomials(fid):
    k = 10 ** 6
    cp = family(fid).solve(k, dps=20, verify=False)
    sp = spectrum(cp)
    for c in sp.components:
        assert c.dim_at_k == int(sympy.sympify(c.dim).subs(K, k))
    assert sum(c.dim_at_k * c.copies for c in sp.components) == k * (k + cp.space.extra)
    assert sp.total_multiplicity == k * (k + cp.space.extra)


def test_a_lost_copy_raises(monkeypatch):
    real = hessian._exact_rank_select
    monkeypatch.setattr(hessian, "_exact_rank_select", lambda G: real(G)[:-1] if len(G) > 1 else real(G))
    with pytest.raises(MultiplicityError, match="lost or gained"):
        spectrum(family("sk1").solve(7, dps=20, verify=False))


def test_dependent_copy_dropped_exactly_for_a_block_of_two():
    # s2: the block of size 2 has diag(v) = (v ⊗ 1 - 1 ⊗ v)/2-type dependence: V_1 keeps 4 of 5 copies
    sp = spectrum(family("s2").solve(8, dps=20, verify=False))
    assert {c.name: c.copies for c in sp.components}["V_1"] == 4
    assert sp.total_multiplicity == 64


# -- 2. proven inertia ----------------------------------------------------------------------------
def test_sk1_k6_proven_minimum():
    cp = family("sk1").solve(6, dps=30).certify()
    inr = prove_inertia(cp)
    assert inr.evidence == "proven" and inr.decided and inr.index == 0 and inr.is_minimum is True
    assert (inr.negative, inr.zero, inr.positive) == (0, 0, 36)
    # the blocks are enclosed over the proven enclosure of the zero (inside the Krawczyk box)
    assert inr.radius == max(cp.enclosure_radii) < cp.radius * mpmath.mpf(10) ** -25 and not inr.exact_point
    # every pivot is a ball of positive radius
    assert all("+/-" in p for c in inr.components for p in c.pivots)
    assert [c.copies for c in inr.components] == [5, 5, 1, 1]


def test_a_box_too_large_is_undecided_not_a_minimum():
    cp = family("sk1").solve(6, dps=30).certify()
    cp.radius = mpmath.mpf("0.05")  # not a Krawczyk box: the enclosures must then fail to decide
    inr = prove_inertia(cp, attempts=1)
    assert not inr.decided and inr.index is None and inr.is_minimum is None and inr.evidence == "undecided"
    assert "raise the precision" in inr.reason


@pytest.mark.parametrize("fid,k", [("global", 6), ("sk1", 7), ("sk1b", 6), ("sk1b", 7), ("sk", 6),
                                   ("s2", 7), ("s2", 9), ("sk1x", 6), ("sk1x", 7)])
def test_proven_counts_agree_with_the_dense_hessian(fid, k):
    cp = family(fid).solve(k, dps=30, verify=False).certify()
    inr = prove_inertia(cp)
    assert inr.evidence == "proven" and inr.decided and inr.zero == 0
    assert (inr.negative, inr.positive) == _dense_counts(cp)
    assert inr.negative + inr.positive == k * (k + cp.space.extra)


def test_saddles_are_proven_saddles():
    inr = prove_inertia(family("sk1b").solve(6, dps=30).certify())
    assert inr.index == 6 and inr.is_minimum is False
    neg = {c.name: c.signs.negative for c in inr.components if c.signs.negative}
    assert sum(n * c.dim for c in inr.components for n in [c.signs.negative]) == 6 and neg


def test_global_minimum_evaluated_at_the_exact_teacher_point():
    inr = prove_inertia(family("global").solve(7, dps=30).certify())
    assert inr.exact_point and inr.evidence == "proven" and inr.index == 0 and inr.positive == 49


def test_prove_inertia_at_k_1e6():
    cp = family("sk1").solve(10 ** 6, dps=30, verify=False).certify()
    inr = prove_inertia(cp)
    assert inr.evidence == "proven" and inr.index == 0 and inr.positive == 10 ** 12


def test_dense_and_symmetric_counts_are_labelled_estimated():
    cp = family("sk1b").solve(6, dps=30)
    assert cp.dense_signs.evidence == "estimated" and cp.negative_count == 6
    assert cp.to_dict()["negative_count_evidence"] == "estimated"
    sp = spectrum(cp)
    assert sp.signs().evidence == "estimated" and sp.negative_count == 6


# -- 4. evidence of a record -------------------------------------------------------------------------
def test_evidence_record():
    rec = evidence_record(family("sk1").solve(6, dps=30))
    assert rec["evidence"] == {"critical": "proven", "index": "proven", "minimum": "proven"}
    assert rec["index"] == 0
    rec = evidence_record(family("sk1b").solve(6, dps=30))
    assert rec["evidence"]["index"] == "proven" and rec["evidence"]["minimum"] is None and rec["index"] == 6
