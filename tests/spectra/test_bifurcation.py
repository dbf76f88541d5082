"""The reduction at a crossing to the S_p normal form: the predicted axial branch matches the one
Newton finds (error O(δ), so the ratio tends to 1 linearly), and the branch is a saddle on both
sides while the family turns from saddle into minimum (transcritical exchange, no symmetry breaking)."""
import mpmath
import pytest

from symcrit.spectra.bifurcation import normal_form
from symcrit.critical.families import family

SK1_KSTAR = "5.58550524742588000694117627762"   # symcrit crossings sk1 (30 digits, sign change certified)


@pytest.fixture(scope="module")
def nf():
    return normal_form(family("sk1"), SK1_KSTAR, "V_2", dps=30)


def test_normal_form_predicts_the_axial_branch(nf):
    assert abs(mpmath.mpf(nf["mu"])) < 1e-25
    assert mpmath.mpf(nf["q"]) > 0.01 and mpmath.mpf(nf["dmu_dk"]) > 0.001      # transcritical, transversal
    errs = {}
    for b in nf["branches"]:
        assert mpmath.mpf(b["residual"]) < 1e-40
        errs.setdefault(abs(float(b["k"]) - float(SK1_KSTAR)), []).append(abs(float(b["ratio"]) - 1))
        # the branch is a genuinely different critical point, on the predicted side
        assert mpmath.mpf(b["t_newton"]) * mpmath.mpf(b["t_predicted"]) > 0
    big, small = max(errs), min(errs)
    # the prediction is first order: the error of the ratio shrinks like δ (10x smaller δ -> ~10x smaller)
    assert max(errs[small]) < max(errs[big]) / 5 and max(errs[big]) < 1e-2


def test_exchange_of_stability(nf):
    for b in nf["branches"]:
        below = float(b["k"]) < float(SK1_KSTAR)
        fam_idx, br_idx = float(b["negative_count_family"]), float(b["negative_count_branch"])
        if below:
            assert fam_idx == pytest.approx(float(b["k"]) - 2)    # sk1 a saddle: all of V_2 negative
        else:
            assert fam_idx == 0                                   # sk1 a minimum
        assert br_idx >= 1                                        # the bifurcating branch: a saddle on both sides


def test_a_second_precision_agrees(nf):
    nf40 = normal_form(family("sk1"), SK1_KSTAR, "V_2", dps=40, deltas=("1e-3",))
    assert abs(mpmath.mpf(nf40["q"]) - mpmath.mpf(nf["q"])) < 1e-9
    assert abs(mpmath.mpf(nf40["dmu_dk"]) - mpmath.mpf(nf["dmu_dk"])) < 1e-9
    # every digit printed at 30 digits is right: within half a unit of its last digit of the
    # 40-digit value (at 30 digits the finite differences are good to ~1e-15: q used to print 15
    # digits, the last two wrong)
    for key in ("q", "gamma", "dmu_dk"):
        txt = nf[key]
        mant = txt.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
        unit = mpmath.mpf(10) ** (int(mpmath.floor(mpmath.log10(abs(mpmath.mpf(txt))))) - len(mant) + 1)
        assert abs(mpmath.mpf(txt) - mpmath.mpf(nf40[key])) <= unit / 2, (key, txt, nf40[key])
    assert set(nf["evidence"]) >= {"mu", "dmu_dk, gamma, q", "branches", "negative_count"}


def test_not_a_crossing():
    with pytest.raises(ValueError, match="not a crossing"):
        normal_form(family("sk1"), "5.7", "V_2", dps=30)
