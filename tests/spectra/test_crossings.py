"""Proven crossings: the Krawczyk test on the extended system (x, v, k) against the known 30-digit
values (found before by a secant on the eigenvalue at two precisions), and proofs that fail when
the box or the block is wrong."""
import mpmath
import pytest

from symcrit.critical.families import Family, family
from symcrit.spectra.crossings import component_blocks, crossings, prove_crossing

X10 = [-0.512, 0.544, 0.179, 0.058, -0.821, 0.21]  # Δ(S_3 × S_{k−3}) at k = 10, to 3 digits
KNOWN = {  # family: (component, k* to 30 digits, from the previous numerical route)
    "sk1": ("V_2", "5.58550524742588000694117627762"),
    "sk1x": ("V_2", "6.66536335422509496490015974175"),
    "s2": ("V_2", "7.56119049794540106743983308001"),
}


def _inside(known, enclosure):
    """The known value (30 significant digits, k* in [1, 10)) is the rounding of every point of the
    proven enclosure: both ends lie within half a unit of its last digit."""
    with mpmath.workdps(60):
        lo, hi = (mpmath.mpf(t) for t in enclosure)
        half_ulp = mpmath.mpf(5) * mpmath.mpf(10) ** -30
        return abs(lo - mpmath.mpf(known)) <= half_ulp and abs(hi - mpmath.mpf(known)) <= half_ulp and lo <= hi


@pytest.mark.parametrize("fid, window", [("sk1", (5.5, 6.0)), ("sk1x", (6.5, 7.0)), ("s2", (7.5, 8.0))])
def test_known_crossings_inside_proven_enclosures(fid, window):
    comp, known = KNOWN[fid]
    res = crossings(family(fid), k_lo=window[0], k_hi=window[1], step=0.5, digits=30)
    assert len(res) == 1
    c = res[0]
    assert c["component"] == comp and c["certified"] is True and c["sign_change_confirmed"]
    assert c["direction"] == "saddle → minimum"
    assert _inside(known, c["k_enclosure"])
    # the printed digits are those of the enclosure: here all 30 (it is ~1e-35 wide)
    assert c["k"] == known
    # dλ/dk > 0: the eigenvalue goes from negative to positive (saddle → minimum)
    assert c["dlambda_dk"].startswith("[") and not c["dlambda_dk"].startswith("[-")
    assert "Krawczyk" in c["evidence"] and "positive definite" in c["evidence"]


def test_s3_branch_crossings():
    """Δ(S_3 × S_{k−3}) with three neurons flipped (W∞ like s2's): a V_1 crossing at 6.28598768738…
    and saddle → minimum in V_2 at 9.32317221768978… (README), both proven."""
    fam = Family("s3-flipped", ["3", "k-3"], limit=[-1, 0, 0, 0, 1, 0])
    res = crossings(fam, k_lo=6.0, k_hi=10.0, step=0.5, digits=30)
    assert [(c["kind"], c["component"], c["certified"]) for c in res] == \
        [("eigenvalue", "V_1", True), ("eigenvalue", "V_2", True)]
    assert res[0]["k"].startswith("6.28598768738") and res[1]["k"].startswith("9.32317221768978")
    assert res[1]["direction"] == "saddle → minimum"
    assert all(len(c["k"].replace(".", "")) == 30 for c in res)


def _crossing_point(fid="sk1", k=5.5855052474258800069):
    fam = family(fid)
    blk = component_blocks(fam.space, k)["V_2"]
    import numpy as np
    from symcrit.spectra.crossings import float_pencil_eigs
    x = np.array([float(t) for t in fam.solve(mpmath.mpf(k), dps=20, verify=False).values])
    ev, V, keep = float_pencil_eigs(blk, x, k)
    blk.set_keep(keep)
    return fam, blk, x, V[:, 0]


def test_proof_fails_on_a_wrong_box():
    """Without Newton (polish=False) the centre is the float64 point: off by ~1e-12 from the
    solution, so the boxes of radius 1e-40 … 1e-45 cannot contain it: not certified, no digits."""
    fam, blk, x, v = _crossing_point()
    res = prove_crossing(fam.space, blk, x, v, 5.5855052474258800069, digits=30, polish=False)
    assert res["certified"] is False and res["k"] is None and res["k_enclosure"] is None
    assert res["evidence"].startswith("not proven")
    # the same start with Newton is proven
    res = prove_crossing(fam.space, blk, x, v, 5.5855052474258800069, digits=30)
    assert res["certified"] is True and res["k"] == KNOWN["sk1"][1]


def test_proof_fails_on_a_wrong_centre_in_k():
    """A centre moved by 1e-25 in k from the Newton solution, box radius 1e-40: rejected."""
    fam, blk, x, v = _crossing_point()
    res = prove_crossing(fam.space, blk, x, v, 5.5855052474258800069, digits=30)
    with mpmath.workdps(60):
        k_bad = res["k_mid"] + mpmath.mpf(10) ** -25
        bad = res["proof"]
        from symcrit.spectra.crossings import CrossingSystem
        with mpmath.workdps(60):
            nrm = sum(t * t for t in res["v"])
            system = CrossingSystem(fam.space, blk, [t / nrm for t in res["v"]])
            ok = system.krawczyk(res["x"], res["v"], res["k_mid"], mpmath.mpf(10) ** -40, bad.prec)
            no = system.krawczyk(res["x"], res["v"], k_bad, mpmath.mpf(10) ** -40, bad.prec)
    assert ok.ok and not no.ok


def test_fewer_digits_when_the_enclosure_is_wider():
    """Digits follow the enclosure: at digits = 12 the record has at most 12 significant digits,
    and they are the leading digits of the 30-digit value (correctly rounded)."""
    res = crossings(family("sk1"), k_lo=5.5, k_hi=6.0, step=0.5, digits=12)
    assert res[0]["k"] == "5.58550524743" and res[0]["certified"]


def _branch_points(fid, ks):
    import numpy as np
    fam = family(fid)
    return fam, [(k, np.array([float(t) for t in fam.solve(mpmath.mpf(k), dps=20, verify=False).values])) for k in ks]


def test_branch_box_holds_the_branch_for_every_k_of_the_interval():
    """Parametric Krawczyk over k in [12.45, 12.55]: the branch solved independently (Newton at 20
    digits) at k inside the interval lies in the proven box y + x'(k − k_m) + Z."""
    from flint import arb, ctx as flint_ctx
    from symcrit.core.contexts import get_context
    from symcrit.spectra.crossings import branch_box
    fam, pts = _branch_points("sk1", [12.5])
    A = get_context("arb")
    with flint_ctx.workprec(128):
        K = A.convert(mpmath.mpf(12.5)) + arb(0, 0.05)
        bb, why = branch_box(fam.space, K, pts[0][1])
        assert bb is not None, why
        assert max(float(z.rad()) for z in bb.Z) < 1e-3
        for k in ("12.45", "12.4731", "12.5", "12.55"):
            x = fam.solve(k, dps=20, verify=False).values
            t = A.convert(mpmath.mpf(k)) - bb.km
            for i, xi in enumerate(x):
                assert (bb.y[i] + bb.xp[i] * t + bb.Z[i]).contains(A.convert(xi)), (k, i)


def test_a_too_coarse_interval_is_not_proven():
    """Over [10, 14] in one piece (no halving allowed) the branch box cannot be proven: the
    completeness is 'not proven' and the interval is listed with the reason."""
    from symcrit.spectra.crossings import prove_completeness
    fam, pts = _branch_points("sk1", [10, 14])
    res = prove_completeness(fam, pts, [], max_depth=0)
    assert res["evidence"] == "not proven" and res["intervals"] == 0
    assert [u[:2] for u in res["undecided"]] == [[10.0, 14.0]] and res["undecided"][0][2]


def test_a_crossing_missing_from_the_records_is_never_proven_complete():
    """The V_2 eigenvalue of sk1 crosses 0 at k* = 5.5855…: with the record withheld, the interval
    holding k* must stay undecided (the eigenvalue is 0 there, no ball LDLᵀ can fix its sign), while
    the intervals away from k* are proven."""
    from symcrit.spectra.crossings import prove_completeness
    fam, pts = _branch_points("sk1", [5.5, 6.0])
    res = prove_completeness(fam, pts, [], max_depth=3)
    assert res["evidence"] == "not proven"
    kstar = float(KNOWN["sk1"][1])
    assert any(u[0] <= kstar <= u[1] for u in res["undecided"])
    assert all("V_2" in u[2] for u in res["undecided"] if u[0] <= kstar <= u[1])
    assert res["intervals"] > 0


def test_complete_with_a_proven_crossing_inside_an_interval():
    """sk on [5.5, 6]: the [k−2,1,1] eigenvalue crosses 0 at k* = 5.76381273491957… inside the one
    scan interval; the crossing is found and proven, and the completeness proof covers the interval
    (one sub-interval holds k* with the crossing eigenvalue's Schur complement strictly monotone),
    so the record is the only crossing there."""
    res = crossings(family("sk"), k_lo=5.5, k_hi=6.0, step=0.5, digits=20, completeness=True)
    assert [(c["k"], c["component"], c["certified"]) for c in res] == [("5.7638127349195711669", "[p-2,1,1]_1", True)]
    c = res.completeness
    assert c["evidence"] == "proven" and c["crossing_intervals"] >= 1 and c["undecided"] == []
    assert c["range"] == [5.5, 6.0] and res[0]["complete"] == "proven"


def test_s2_turns_into_a_minimum_between_7_and_8():
    res = crossings(family("s2"), k_lo=7.0, k_hi=8.0, step=0.5, digits=25)
    assert len(res) == 1
    c = res[0]
    assert c["component"] == "V_2" and c["direction"] == "saddle → minimum" and c["sign_change_confirmed"]
    assert c["k"].startswith("7.5611904979454010674398")
    # a second precision gives the same digits
    res2 = crossings(family("s2"), k_lo=7.0, k_hi=8.0, step=0.5, digits=15)
    assert res2[0]["k"][:15] == c["k"][:15]


def test_sk1x_turns_into_a_minimum_between_6_and_7():
    f = family("sk1x")
    assert f.solve(6, dps=30).negative_count > 0 and f.solve(7, dps=30).negative_count == 0  # dense, float64
    res = crossings(f, k_lo=6.5, k_hi=7.0, step=0.25, digits=20)
    assert len(res) == 1
    c = res[0]
    assert c["component"] == "V_2" and c["direction"] == "saddle → minimum" and c["sign_change_confirmed"]
    assert c["k"].startswith("6.66536335422509")
