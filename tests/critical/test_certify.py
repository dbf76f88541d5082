"""Krawczyk certification (symcrit.critical.certify): boxes whose half-widths follow each
coordinate's size, so that criticality and the Hessian's inertia are proven at k = 10^20 … 10^100;
k enters the balls exactly (k = 10^30 + 1 is not 10^30)."""
from fractions import Fraction

import mpmath
import pytest
from flint import arb, ctx as flint_ctx

from symcrit.critical.certify import box_radii, k_ball, krawczyk
from symcrit.critical.families import family
from symcrit.spectra.inertia import evidence_record, prove_inertia

FAMILIES = ["sk1", "sk", "s2", "sk1b", "global"]


@pytest.mark.parametrize("fid, e", [(f, e) for f in FAMILIES for e in (20, 100)] + [("sk1b", 30), ("sk1b", 60)])
def test_criticality_and_inertia_proven_at_huge_k(fid, e):
    """`solve --certify` at k = 10^e: Krawczyk passes, and every isotypic block's inertia is proven
    over the box: a local minimum (index 0, no zero eigenvalue).  Before per-coordinate radii the
    proof failed from k ~ 10^20 on and the index fell back to 'estimated'."""
    cp = family(fid).solve(10**e, dps=50)
    cp.certify()
    assert cp.certified, cp.certificate.reason
    assert len(cp.radii) == cp.space.dim and cp.radius == max(cp.radii)
    rec = evidence_record(cp)
    assert rec["evidence"] == {"critical": "proven", "index": "proven", "minimum": "proven"}
    assert rec["index"] == 0 and rec["inertia"]["zero"] == 0
    # all n·d = k(k + extra) directions are counted, exactly
    assert int(rec["inertia"]["positive"]) == 10**e * (10**e + cp.space.extra)


@pytest.mark.parametrize("fid", ["sk1", "sk1b"])
def test_the_box_holds_the_point_solved_at_higher_precision(fid):
    """An independent route: the zero solved again at 40 more digits lies in the proven box,
    coordinate by coordinate (the coordinates range over 10^0 … 10^-60 at k = 10^30)."""
    k = 10**30
    cp = family(fid).solve(k, dps=50).certify()
    assert cp.certified
    fine = family(fid).solve(k, dps=90)
    with mpmath.workdps(fine.work_dps):
        for y, z, r in zip(cp.values, fine.values, cp.radii):
            assert abs(y - z) <= r
    # the box is relative: the smallest coordinate has a half-width far below the largest's
    assert cp.certificate.scale == "relative"
    assert min(cp.radii) < max(cp.radii) * mpmath.mpf(10) ** -20
    # the proven enclosure (iterated Krawczyk images) holds the finer zero too, and is far tighter
    with mpmath.workdps(fine.work_dps):
        for y, z, e, r in zip(cp.values, fine.values, cp.enclosure_radii, cp.radii):
            assert abs(y - z) <= e <= r
    assert max(cp.enclosure_radii) < max(cp.radii) * mpmath.mpf(10) ** -40


def test_a_box_off_the_zero_is_rejected():
    """The same relative box, centred 10^-20 (relatively) off in one coordinate: not proven."""
    cp = family("sk1").solve(10**30, dps=50).certify()
    assert cp.certified and cp.certificate.scale == "relative"
    prec = cp.certificate.prec
    with mpmath.workprec(prec):
        y = list(cp.values)
        y[-1] = y[-1] * (1 + mpmath.mpf(10) ** -20)
        radii = box_radii(y, cp.certificate.rho, "relative")
    bad = krawczyk(cp.space, y, cp.k, radii, prec)
    assert not bad.ok and "not inside" in bad.reason


def test_k_enters_exactly_an_mpf_made_at_high_precision():
    """k = 10^30 + 1 given as an mpf built at 60 digits and certified outside that precision: the
    test must use 10^30 + 1, not its 15-digit rounding 10^30.  The box (relative half-widths
    10^-40) around the zero at 10^30 + 1 does not hold the zero at 10^30 (c ≈ 2/k moves by
    2·10^-60, relatively 10^-30), so rounding k would make the proof fail."""
    k1 = 10**30 + 1
    cp = family("sk1").solve(k1, dps=60)
    prec = int(cp.work_dps * 3.33) + 32
    with mpmath.workprec(prec):
        radii = box_radii(cp.values, mpmath.mpf(10) ** -40, "relative")
    with mpmath.workdps(60):
        k_mpf = mpmath.mpf(k1)
    rounded = mpmath.mpf(k_mpf)  # the trap: mpf(k) at the ambient 53 bits is not 10^30 + 1
    assert rounded != k1 and abs(rounded - 10**30) < 10**15
    for k in (k1, k_mpf, Fraction(2 * k1, 2), str(k1)):
        assert krawczyk(cp.space, cp.values, k, radii, prec).ok, k
    # the rounded k is a different system: the same box is rejected
    assert not krawczyk(cp.space, cp.values, 10**30, radii, prec).ok
    assert not krawczyk(cp.space, cp.values, rounded, radii, prec).ok
    assert not krawczyk(cp.space, cp.values, Fraction(2 * 10**30 + 1, 2), radii, prec).ok


def test_k_ball_is_exact():
    with mpmath.workdps(60):
        k = mpmath.mpf(10**30 + 1)
    with flint_ctx.workprec(128):
        assert k_ball(k) == arb(10**30 + 1) and k_ball("10**30+1") == arb(10**30 + 1)
        assert (k_ball(Fraction(1, 3)) * 3).contains(1) and not k_ball(Fraction(1, 3)).is_exact()
    with pytest.raises(TypeError):
        k_ball(1e30)


def test_inertia_at_k_1e30_plus_1_is_proven():
    cp = family("s2").solve(10**30 + 1, dps=50).certify()
    inr = prove_inertia(cp)
    assert inr.evidence == "proven" and inr.index == 0 and inr.is_minimum


def test_perturbed_point_fails_certification():
    cp = family("sk1").solve(9, dps=40)
    cp.values = [v + mpmath.mpf("1e-12") for v in cp.values]
    cp.certify()
    assert cp.certified is False
    assert "Krawczyk" in cp.certificate.reason


def test_global_minimum_certifies_at_every_k_2_to_32_and_at_50_75_100():
    # issue 19: Newton leaves q exactly 0 at some k (4, 28, 29), and arb(0, r)**2 was NaN there
    # (every k to 100 took 46 s of the suite's 5 minutes; the failing widths were all below 30)
    fam = family("global")
    failed = [k for k in [*range(2, 33), 50, 75, 100] if not fam.solve(k, dps=20).certify().certified]
    assert failed == []


def test_printed_digits_are_the_enclosure_s():
    """A certified point prints only the digits its proven enclosure guarantees: each printed
    parameter and F lie within the enclosure (exact rational check) of the zero solved at 40 more
    digits; the box (radius ~1e-25 at 50 digits) alone would guarantee half of them."""
    from fractions import Fraction

    from symcrit.core.numbers import mpf_fraction
    cp = family("sk1").solve(6, dps=50).certify()
    fine = family("sk1").solve(6, dps=90)
    texts = cp.param_texts()
    assert max(cp.enclosure_radii) < mpmath.mpf(10) ** -55 < cp.radius
    for name, z in fine.params.items():
        t = texts[name]
        digits = len(t.lstrip("-").replace(".", "").lstrip("0"))
        assert 45 <= digits <= 50
        e = len(str(abs(int(Fraction(t))))) - 1 if abs(Fraction(t)) >= 1 else -len(str(int(1 / abs(Fraction(t)))))
        assert abs(Fraction(t) - mpf_fraction(z)) <= Fraction(10) ** (e - digits + 1) / 2
    F = cp.loss_text()
    assert F.startswith("0.0250805810024630104194797023530199") and abs(Fraction(F) - mpf_fraction(fine.loss)) < Fraction(10) ** -50
    d = cp.to_dict()
    assert d["params"] == texts and d["loss"] == F and float(d["enclosure_radius"]) >= max(cp.enclosure_radii)
    assert float(d["radius"]) >= cp.radius  # rounded up: the box of the statement is not shrunk by printing


def test_a_ball_around_zero_prints_as_a_bound_not_as_zero():
    """The global minimum's q = 0 is not decided by its ball (the Jacobian is enclosed with sign t in
    [-1, 1]): q and F print as ±r, never as a 0 the ball does not prove; uncertified, the computed
    value prints as computed."""
    cp = family("global").solve(6, dps=30)
    assert cp.param_texts()["q"] == cp.param_strs()["q"]
    cp.certify()
    assert cp.certified
    assert cp.param_texts()["q"].startswith("±") and cp.loss_text().startswith("±")
    assert cp.param_texts()["p"] == "1.0"
