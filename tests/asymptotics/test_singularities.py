"""Singularities of the branches in the complex s-plane: the radius of convergence of the series,
proven folds (Krawczyk in acb), complex contexts and branch tracking, validate's verdicts and
rigorous error enclosures."""
import cmath
from decimal import Decimal

import mpmath
import pytest
from flint import acb, ctx as flint_ctx

from symcrit.asymptotics import singularities as sing_mod
from symcrit.asymptotics.series import series, validate
from symcrit.asymptotics.singularities import BranchSystem, certify_fold, refine_fold, singularities
from symcrit.critical.families import family

with mpmath.workdps(40):
    SC_SK1 = mpmath.mpc("-0.011369591039976171458", "0.30754810800475648622")


@pytest.fixture(scope="module")
def sk1_sing():
    return singularities(family("sk1"))


def test_sk1_singularity_found_and_certified(sk1_sing):
    s0 = sk1_sing["singularities"][0]
    assert s0["certified"] is True and s0["kind"].startswith("fold")
    with mpmath.workdps(40):
        s = mpmath.mpc(*s0["s"])
        assert abs(s - SC_SK1) < 1e-20
        k = mpmath.mpc(*s0["k"])
        assert abs(k - 1 / SC_SK1**2) < 1e-17
    conj = sk1_sing["singularities"][1]
    assert conj["s"][0] == s0["s"][0] and conj["s"][1] == "-" + s0["s"][1]
    assert sk1_sing["radius"].startswith("0.3077581945906910") and len(sk1_sing["radius"]) >= 17
    with mpmath.workdps(40):
        lo, hi = (mpmath.mpf(v) for v in sk1_sing["radius_enclosure"])
        assert lo - 1e-20 <= abs(SC_SK1) <= hi + 1e-20
        assert abs(mpmath.mpf(sk1_sing["k_convergence"]) - 1 / abs(SC_SK1) ** 2) < 1e-17
    assert sk1_sing["none_nearer_checked"] is True
    assert sk1_sing["nearer"].startswith("none found in |s| < R (checked, not proven")
    circ = sk1_sing["circle"]
    assert circ["closes"] < 1e-9 and circ["negative"] < 1e-8 and circ["series_mismatch"] < 1e-8
    # the fitted radius (an estimate) is not the singularity's modulus
    assert not (0.32 <= float(sk1_sing["radius"]) <= 0.33)


def test_krawczyk_refuses_a_point_that_is_not_a_fold():
    """The proof fails off the fold (s shifted by 1e-8), and succeeds at it: certified needs a proof."""
    fam = family("sk1")
    sysm = BranchSystem(fam.space)
    x, phi, s, c, refs, _ = sing_mod.locate_fold(fam, complex(SC_SK1), sysm)
    xm, phim, sm, refm = refine_fold(sysm, x, phi, s, c, refs)
    assert certify_fold(sysm, xm, phim, sm, c, refm).ok
    with mpmath.workdps(50):
        bad = certify_fold(sysm, xm, phim, sm + mpmath.mpf("1e-8"), c, refm)
    assert not bad.ok and "not inside" in bad.reason


def test_certified_is_false_without_a_proof(monkeypatch):
    """If the Krawczyk test fails, nothing is certified and validate's standing is an estimate."""
    def no_proof(*a, **kw):
        return sing_mod.FoldCertificate(False, "forced failure")
    monkeypatch.setattr(sing_mod, "certify_fold", no_proof)
    res = sing_mod.singularities(family("sk"), n_rays=6)
    assert res["singularities"] and not any(e["certified"] for e in res["singularities"])
    assert res["radius_enclosure"] is None and "nothing" in res["proven"]


def test_sk_singularity():
    res = singularities(family("sk"))
    s0 = res["singularities"][0]
    assert s0["certified"] and res["none_nearer_checked"]
    with mpmath.workdps(40):
        assert abs(mpmath.mpc(*s0["s"]) - mpmath.mpc("-0.2509105033653127549", "0.35180717259522989519")) < 1e-18


def test_global_branch_is_constant():
    res = singularities(family("global"))
    assert res["singularities"] == [] and res["radius"] == "inf"


def test_validate_verdict_follows_from_R_and_enclosures_contain_errors(sk1_sing):
    S = series(family("sk1"), order=12, dps=30)
    res = validate(family("sk1"), 12, [10, 11, 20], dps=30, S=S)
    R = mpmath.mpf(res["radius"])
    assert res["radius"] == sk1_sing["radius"] and res["singularities"][0]["certified"]
    for row in res["rows"]:
        s = mpmath.mpf(row["k"]) ** -0.5
        assert row["converges"] == (s < R)
        assert row["mode"] == ("converges" if s < R else "asymptotic")
        assert row["optimal_error"] == min(row["param_error"])
        for err, (lo, hi) in zip(row["param_error"], row["param_error_enclosure"]):
            assert Decimal(lo) <= Decimal(repr(err)) <= Decimal(hi)
            assert Decimal(hi) - Decimal(lo) <= Decimal("1e-5") * Decimal(hi)
    assert [r["mode"] for r in res["rows"]] == ["asymptotic", "converges", "converges"]
    # Cauchy's tail estimate (checked) is an upper bound of the measured error where it applies
    assert res["rows"][0]["tail_bound"] is None
    for row in res["rows"][1:]:
        tb = row["tail_bound"]
        assert tb is not None and row["param_error"][-1] <= tb["bound"]
    assert res["verdict"]["standing"] == "checked" and "proven at |s| = 0.307758" in res["verdict"]["text"]


def test_cauchy_tail_bound_holds_at_k_12_to_20(sk1_sing):
    """The Cauchy estimate (checked: M from the continued circle) bounds the true truncation error,
    parameter by parameter, at every k = 12..20 and order 6 and 10."""
    fam = family("sk1")
    S = series(fam, order=12, dps=30)
    for k in range(12, 21):
        cp = fam.solve(k, dps=30, verify=False)
        for N in (6, 10):
            tb = sing_mod.tail_bound(sk1_sing, k, N)
            with mpmath.workdps(40):
                ev = S.evaluate(k, order=N)
                for nm in S.names:
                    err = abs(ev[nm] - cp.params[nm])
                    assert err <= tb["by_parameter"][nm], (k, N, nm, err, tb["by_parameter"][nm])


# ---------------------------------------------------------------------------------------------
# proven analyticity on discs by Taylor models (disc_krawczyk, prove_disc)
@pytest.fixture(scope="module")
def sk_disc():
    fam = family("sk")
    sysm = BranchSystem(fam.space)
    s0 = 0.2 + 0.05j
    res = sing_mod.continue_path(sysm, sing_mod._start(fam, sysm), [s0])
    assert res["ok"]
    with flint_ctx.workprec(128):
        racb = sing_mod.convert_refs(res["refs"]["grad"], "acb")
    P, A = sing_mod.taylor_branch(sysm, racb, res["x"], s0, N=8)
    return sysm, s0, res, racb, P, A


def _branch_mp(sysm, res, s, dps=40):
    """x(s) independently: continuation in double precision from the disc centre, then Newton in
    mpc at 40 digits with the references continued there."""
    end = sing_mod.continue_path(sysm, (res["s"], res["x"], res["refs"]), [s])
    assert end["ok"]
    with mpmath.workdps(dps):
        refs = {w: sing_mod.convert_refs(v, "mpc") for w, v in end["refs"].items()}
        x = [mpmath.mpc(v) for v in end["x"]]
        n = sysm.n
        for _ in range(6):
            g, j, _ = sysm.gj("mpc", refs, x, mpmath.mpc(s))
            d = mpmath.lu_solve(mpmath.matrix([j[i * n:(i + 1) * n] for i in range(n)]), mpmath.matrix(g))
            x = [a - b for a, b in zip(x, d)]
        return x


def _poly_at(p, t):
    with mpmath.workdps(40):
        return sum(mpmath.mpc(float(c.real.mid()), float(c.imag.mid())) * mpmath.mpc(t) ** n for n, c in enumerate(p))


def test_disc_krawczyk_encloses_the_branch_and_needs_the_remainder(sk_disc):
    """On |s - s0| <= 0.02 the order-8 Taylor polynomial is proven within its enclosure of the
    branch; at the edge the true error (40-digit Newton, independent) is below the enclosure but
    far above rounding: a test that dropped the Taylor-model remainder would claim a smaller eps,
    which must fail."""
    sysm, s0, res, racb, P, A = sk_disc
    rho = 0.02
    kr = sing_mod.disc_krawczyk(sysm, racb, P, A, s0, rho)
    assert kr["ok"] and kr["E"] < 0.5
    worst = 0.0
    for k in range(4):
        t = rho * cmath.exp(2j * cmath.pi * (k + 0.5) / 4)
        x = _branch_mp(sysm, res, s0 + t)
        for i, p in enumerate(P):
            err = float(abs(x[i] - _poly_at(p, t)))
            assert err <= kr["enclosure"][i]
            worst = max(worst, err)
    assert worst > 1e-16                                  # the truncation error is real ...
    bad = sing_mod.disc_krawczyk(sysm, racb, P, A, s0, rho, eps=worst / 10)
    assert not bad["ok"]                                  # ... and an eps below it is refused


def test_disc_krawczyk_with_a_wrong_polynomial(sk_disc):
    """A wrong P (one coefficient off by 1e-3) is either refused or enclosed honestly: the proven
    enclosure is at least its true error at the edge, and a small eps is refused."""
    sysm, s0, res, racb, P, A = sk_disc
    rho = 0.02
    wrong = [list(p) for p in P]
    wrong[0][3] = wrong[0][3] + acb("1e-3")
    kr = sing_mod.disc_krawczyk(sysm, racb, wrong, A, s0, rho)
    t = rho * 1j
    x = _branch_mp(sysm, res, s0 + t)
    err = float(abs(x[0] - _poly_at(wrong[0], t)))
    assert err > 5e-9
    assert (not kr["ok"]) or kr["enclosure"][0] >= err
    assert not sing_mod.disc_krawczyk(sysm, racb, wrong, A, s0, rho, eps=1e-10)["ok"]


def test_same_branch_tells_the_sheets_apart(sk_disc):
    sysm, s0, res, racb, P, A = sk_disc
    with flint_ctx.workprec(128):
        xp = [acb(p[0].mid()) for p in P]
        sp = acb(s0.real, s0.imag)
        assert sing_mod._same_branch(sysm, racb, racb, xp, sp)
        i = next(t for t, r in enumerate(racb) if r[0] == "sqrt")
        other = list(racb)
        other[i] = ("sqrt", -racb[i][1])           # the other root at one square root
        assert not sing_mod._same_branch(sysm, racb, other, xp, sp)


def test_disc_krawczyk_refuses_a_disc_over_the_pole_at_0(sk_disc):
    sysm, s0, res, racb, P, A = sk_disc
    assert not sing_mod.disc_krawczyk(sysm, racb, P, A, s0, 0.25)["ok"]


@pytest.fixture(scope="module")
def sk_sector_disc():
    return sing_mod.prove_disc(family("sk"), r0=0.19, r=0.21, u_range=(0.0, 0.03), fraction=0.04)


def test_prove_disc_on_a_sector_and_a_missing_disc_breaks_it(sk_sector_disc):
    res = sk_sector_disc
    assert res["proven"] is True and res["failure"] is None
    assert res["discs"] >= 3 and res["mirrors"] >= 1 and res["glued_pairs"] >= res["discs"]
    assert "certified real critical point at k = 25" in res["real_identification"]
    assert res["seconds"] < 120
    cp = family("sk").solve(1 / mpmath.mpf(res["r"]) ** 2, dps=20, verify=False)
    for nm, lim in zip(cp.params, family("sk").limit):
        assert abs(cp.params[nm] - mpmath.mpf(lim)) <= mpmath.mpf(res["max_abs"][nm])
    broken = sing_mod.prove_disc(family("sk"), r0=0.19, r=0.21, u_range=(0.0, 0.03), fraction=0.04, drop=1)
    assert broken["proven"] is False and "do not cover" in broken["failure"]


def test_tail_bound_from_a_disc_proof_says_what_is_proven():
    disc = {"proven": True, "r": "0.3", "r0": "0.0375", "max_abs": {"a": "2.0"}}
    tb = sing_mod.tail_bound({}, 25, 4, disc=disc)
    q = 0.2 / 0.3
    assert tb["proven"] is False and "given analyticity in |s| < 0.0375" in tb["standing"]
    assert tb["bound"] == pytest.approx(2 * q ** 5 / (1 - q), rel=1e-12)
    assert sing_mod.tail_bound({}, 11, 4, disc=disc) is None          # s = 0.3015 > r


def test_with_analyticity_states_the_annulus_and_keeps_the_inner_disc_checked(sk_sector_disc):
    sing = {"proven": "a fold", "nearer": "none found (checked)", "singularities": []}
    out = sing_mod.with_analyticity(sing, sk_sector_disc)
    assert out["none_nearer_proven"] is False                      # r0 > 0: the inner disc is not proven
    assert out["analyticity"]["discs"] == sk_sector_disc["discs"]
    assert "proven" in out["nearer"] and "checked, not proven" in out["nearer"]
    failed = dict(sk_sector_disc, proven=False, statement="NOT proven: x")
    assert sing_mod.with_analyticity(sing, failed)["nearer"] == "none found (checked)"


# the inner disc |s| <= r0 (symcrit.asymptotics.innerdisc) glued to the annulus
def test_prove_disc_glues_the_inner_disc(sk_sector_disc):
    res = sk_sector_disc
    assert res["inner"]["proven"] is True and res["inner_glued"] is True
    assert res["glue"].count("disc at") == 3                     # u = 0, 0.015, 0.03 of the sector
    assert res["whole_disc"] is False                            # a sector, not the whole annulus
    assert "glued at the points of the sector (not the whole disc)" in res["statement"]


def test_the_glue_fails_for_another_branch(monkeypatch):
    """An inner polydisc moved off the branch (its polynomial shifted by 10^-3, eps ~1e-5) cannot be
    glued: the annulus' enclosures do not lie in it."""
    from symcrit.asymptotics import innerdisc

    real = innerdisc.prove_inner_disc

    def moved(fam, r0, **kw):
        res = real(fam, r0, **kw)
        br = res["branch"]
        br.yhat = [[p[0] + acb("1e-3")] + list(p[1:]) for p in br.yhat]
        return res
    monkeypatch.setattr(innerdisc, "prove_inner_disc", moved)
    res = sing_mod.prove_disc(family("sk"), r0=0.19, r=0.21, u_range=(0.0, 0.03), fraction=0.04)
    assert res["proven"] is False and res["inner_glued"] is False
    assert "the inner disc and the annulus" in res["failure"]


def test_a_glued_whole_disc_makes_nearer_and_the_tail_bound_proven():
    disc = {"proven": True, "r": "0.3", "r0": "0.0375", "max_abs": {"a": "2.0"}, "whole_disc": True,
            "statement": "the whole disc (test)"}
    sing = {"proven": "a fold", "nearer": "none found (checked)", "singularities": []}
    out = sing_mod.with_analyticity(sing, disc)
    assert out["none_nearer_proven"] is True and out["radius_lower_proven"] == "0.299999999999"   # r = 0.3 (a float), rounded down
    assert out["nearer"].startswith("none in the closed disc |s| <= 0.3 (proven")
    tb = sing_mod.tail_bound({}, 25, 4, disc=disc)
    assert tb["proven"] is True and tb["standing"].startswith("proven: x(s) is analytic on the closed disc")
    half = dict(disc, whole_disc=False)
    assert sing_mod.with_analyticity(sing, half)["none_nearer_proven"] is False
    assert sing_mod.tail_bound({}, 25, 4, disc=half)["proven"] is False


def test_the_inner_radius_is_the_largest_proven(monkeypatch):
    """Default r0: min(0.2, r/2), r/4, r/8, … until the inner disc is proven; an r0 given: halved at
    most 4 times; never proven: the annulus keeps the r0 first chosen (here stopped at once by the
    disc budget, max_discs=0)."""
    from symcrit.asymptotics import innerdisc

    seen = []

    def never(fam, r0, **kw):
        seen.append(r0)
        return {"proven": False, "failure": "test", "statement": "NOT proven: test", "branch": None}
    monkeypatch.setattr(innerdisc, "prove_inner_disc", never)
    res = sing_mod.prove_disc(family("sk"), r=0.3, max_discs=0)
    assert seen == pytest.approx([0.15, 0.075, 0.0375, 0.01875, 0.009375, 0.0046875], rel=1e-10)
    assert float(res["r0"]) == pytest.approx(0.0375) and res["inner"]["proven"] is False
    assert res["proven"] is False and "budget" in res["failure"] and res["whole_disc"] is False
    seen.clear()
    sing_mod.prove_disc(family("sk"), r=0.3, r0=0.1, max_discs=0)
    assert seen == pytest.approx([0.1, 0.05, 0.025, 0.0125, 0.00625], rel=1e-10)


# ---------------------------------------------------------------------------------------------
# the fold lies on the family's branch (_fold_link): R <= |s_c| proven
SC_SK = ["-0.2509105033653127549", "0.35180717259522989519"]           # singularities(sk): the certified fold
R_SK = ["0.4321161503444235997357288", "0.4321161503444235997357289"]   # and its |s_c| enclosure


@pytest.fixture(scope="module")
def sk_link():
    """A one-disc stand-in for the covering of sk (the full one takes 20 s): a proven disc on the
    ray to the fold at |s| = |s_c|(1 - 0.002), the 'covering' reaching r = its centre's modulus."""
    fam = family("sk")
    sing = {"singularities": [{"s": SC_SK}], "radius_enclosure": R_SK}   # singularities(sk) (certified)
    sysm = BranchSystem(fam.space)
    start = sing_mod._start(fam, sysm)
    sc = complex(float(SC_SK[0]), float(SC_SK[1]))
    c = sc * (1 - 0.002)
    anchors_s, anchors = [start[0]], [start]
    discs, err = sing_mod._chain_discs(sysm, anchors_s, anchors, [c], sc, sing_mod.TAYLOR_ORDER,
                                       sing_mod.DISC_FRACTION, 128)
    assert err is None and len(discs) == 1
    return fam, sing, sysm, start, anchors_s, anchors, discs, abs(c)


def _link(sk_link, discs=None, sheet=None):
    fam, sing, sysm, start, anchors_s, anchors, d, r = sk_link
    return sing_mod._fold_link(fam, sysm, start, list(anchors_s), list(anchors), d if discs is None else discs,
                               sing, r, sheet=sheet)


def test_the_fold_is_proven_on_the_branch_of_sk(sk_link):
    """The curve through the fold, glued to the proven disc: R <= |s_c| proven; its s_c = s(t_c)
    encloses the certified fold (independent: Krawczyk on the fold system), and the bound of |s_c|
    is the certified radius rounded up (to within 1e-11)."""
    from decimal import Decimal
    res = _link(sk_link)
    assert res["proven"] is True, res["failure"]
    assert res["sheet"] == 1 and res["chain_discs"] >= 1 and res["tau"] <= 0.1
    sing = sk_link[1]
    lo, hi = (Decimal(v) for v in sing["radius_enclosure"])
    up = Decimal(res["radius_upper"])
    assert hi <= up < hi + Decimal("1e-11")
    with mpmath.workdps(40):
        cert = mpmath.mpc(*sing["singularities"][0]["s"])
        for part, (mid_rad) in zip((cert.real, cert.imag), res["s_c"]):
            m, rad = mid_rad.split(" +/- ") if "+/-" in mid_rad else (mid_rad, "1e-14")
            assert abs(part - mpmath.mpf(m)) <= mpmath.mpf(rad)
    assert "R <= |s_c| <= " + res["radius_upper"] in res["statement"]


def test_the_link_fails_on_the_other_sheet(sk_link):
    """t* replaced by -t*: x(-t*) is the other sheet over (nearly) the same s, not the disc's zero."""
    res = _link(sk_link, sheet=-1)
    assert res["proven"] is False
    assert "x(t*) is not the zero of a proven disc's branch" in res["failure"]
    assert res["statement"].startswith("NOT proven that the fold is on the branch")


def test_the_link_fails_when_the_covering_is_another_branch(sk_link):
    """The covering's disc moved off the branch (its polynomial shifted by 10^-3): the discs that
    carry the branch to s(t*) cannot be glued to it."""
    d = sk_link[6][0]
    moved = d.conj().conj()
    moved.P = [[p[0] + acb("1e-3")] + list(p[1:]) for p in d.P]
    moved.refs = d.refs
    res = _link(sk_link, discs=[moved])
    assert res["proven"] is False and "no enclosure of one branch lies in the other polydisc" in res["failure"]


def test_with_analyticity_states_the_proven_interval_of_R():
    disc = {"proven": True, "r": "0.42", "r0": "0.2", "whole_disc": True, "statement": "the whole disc (test)",
            "fold_link": {"proven": True, "radius_upper": "0.432116150345", "statement": "the fold lies on (test)"}}
    sing = {"proven": "a fold", "nearer": "none found (checked)",
            "singularities": [{"s": ["-0.25", "0.35"], "evidence": {"reached_by_continuation": True}}]}
    out = sing_mod.with_analyticity(sing, disc)
    assert out["fold_on_branch_proven"] is True and out["radius_upper_proven"] == "0.432116150345"
    assert out["radius_proven"] == ["0.419999999999", "0.432116150345"]
    assert out["singularities"][0]["evidence"]["on_branch_proven"] is True
    assert "R lies in [0.419999999999, 0.432116150345] (proven)" in out["proven"]
    assert "on_branch_proven" not in sing["singularities"][0]["evidence"]        # the input is not changed
    failed = dict(disc, fold_link={"proven": False, "statement": "NOT proven that the fold is on the branch: x"})
    out = sing_mod.with_analyticity(sing, failed)
    assert out["fold_on_branch_proven"] is False and "radius_upper_proven" not in out
    assert "radius_proven" not in out and "R lies in" not in out["proven"]


# ---------------------------------------------------------------------------------------------
# R = |s_c| exactly: the covering reaches the fold except a small disc, which the curve covers
def _hole(rel):
    h = sing_mod._Disc()
    h.c = complex(float(SC_SK[0]), float(SC_SK[1]))
    h.rho = rel * abs(h.c)
    return h


def test_the_curve_covers_the_disc_left_out_around_the_fold(sk_link):
    """Rouché (two zeros of s(t) - s for |s - s_c| <= ρ') with the hole sized as prove_disc sizes it,
    ρ_c = EXACT_HOLE ρ', and the glue point at EXACT_GLUE ρ': ρ' > ρ_c, the glue point s(t*) lies
    between, and the proven |s_c| encloses the certified radius."""
    from decimal import Decimal
    fam, sing, sysm, start, anchors_s, anchors, d, r = sk_link
    curve = sing_mod._fold_curve(fam, sysm, start, sing)
    assert curve["ok"], curve["failure"]
    with flint_ctx.workprec(128):
        rho_p = float(sing_mod._rouche_cover(curve["a"], curve["es"], curve["ta"], curve["Sc"])[0].lower())
    assert 1e-3 < rho_p < 1.2e-3                      # sk: ρ' = 1.10e-3
    res = sing_mod._fold_link(fam, sysm, start, list(anchors_s), list(anchors), d, sing, r,
                              hole=_hole(sing_mod.EXACT_HOLE * rho_p / abs(_hole(1).c)), curve=curve,
                              glue_distance=sing_mod.EXACT_GLUE * rho_p)
    ex = res["exact_radius"]
    assert res["proven"] is True and ex["proven"] is True, ex
    assert ex["rho_prime"] == pytest.approx(rho_p, rel=1e-5)
    assert ex["glue_distance"] == pytest.approx(sing_mod.EXACT_GLUE * rho_p, rel=1e-3)   # placed by bisection
    assert ex["rho_hole"] < ex["glue_distance"] < ex["rho_prime"] and 0 < ex["tau2"] < res["tau"]
    lo, hi = (Decimal(v) for v in res["radius_exact"])
    clo, chi = (Decimal(v) for v in sing["radius_enclosure"])
    assert lo <= clo and chi <= hi and hi - lo < Decimal("1e-13")
    assert "x(s) is analytic on the open disc |s| < |s_c|" in ex["statement"]


def test_the_glue_point_is_placed_at_the_asked_distance():
    """s(t) = 1 + 2 t² + t³ along u = i: |s(mu) - 1| = target at the bisected m; beyond reach, m_max."""
    a = [acb(1), acb(0), acb(2), acb(1)]
    m = sing_mod._glue_magnitude(a, 1j, 0.02, 0.5)
    assert abs(2 * (m * 1j) ** 2 + (m * 1j) ** 3) == pytest.approx(0.02, rel=1e-12) and m != pytest.approx(0.1, rel=1e-6)
    assert sing_mod._glue_magnitude(a, 1j, 10.0, 0.5) == 0.5


@pytest.mark.parametrize("rel, why", [(2e-3, "the glue point s(t*)"), (4e-3, "the curve covers |s - s_c| <=")])
def test_exact_radius_fails_when_the_hole_is_too_large(sk_link, rel, why):
    """A hole wider than the glue point's distance, or than the curve's disc ρ' ≈ 1.1e-3: not proven."""
    fam, sing, sysm, start, anchors_s, anchors, d, r = sk_link
    res = sing_mod._fold_link(fam, sysm, start, list(anchors_s), list(anchors), d, sing, r, hole=_hole(rel))
    assert res["proven"] is True and res["exact_radius"]["proven"] is False
    assert res["exact_radius"]["failure"].startswith(why) and "radius_exact" not in res


def test_the_covering_reaches_beyond_the_fold_except_the_hole():
    """A sector around arg s_c, 0.431 <= |s| <= |s_c| + ρ_c/2, the hole |s - s_c| < ρ_c (ρ_c = EXACT_HOLE
    ρ', from the curve through the fold) left out (its cells proven inside the hole): proven; with a
    disc dropped, the covering check fails.  The sector is not the whole disc, so R = |s_c| is not
    proven, and the result says why."""
    fam = family("sk")
    sing = {"singularities": [{"s": SC_SK}], "radius_enclosure": R_SK}
    kw = dict(sing=sing, exact=True, u_range=(0.6975, 0.6985), r=0.4315, r0=0.431, inner=False, link=False)
    res = sing_mod.prove_disc(fam, **kw)
    assert res["proven"] is True, res["failure"]
    ex = res["exact_radius"]
    assert ex["rho_hole"] == pytest.approx(sing_mod.EXACT_HOLE * ex["rho_prime"]) and 1e-3 < ex["rho_prime"] < 1.2e-3
    assert res["discs"] >= 10 and res["min_radius"] < 2e-4
    assert f"except the disc |s - s_c| < {ex['rho_hole']:.3g}" in res["statement"]
    assert ex["proven"] is False and ex["failure"].startswith("the fold link was not run")
    assert ex["statement"] == "NOT proven that R = |s_c|: " + ex["failure"]
    bad = sing_mod.prove_disc(fam, drop=3, **kw)
    assert bad["proven"] is False and "do not cover" in bad["failure"]
    assert bad["exact_radius"]["failure"] == "the covering: " + bad["failure"]


def test_a_failed_curve_is_the_stated_reason_R_is_not_exact(monkeypatch):
    """An absurd curve disc (τ = 50: the Taylor-model Krawczyk test cannot pass): prove_disc(exact)
    records the curve's failure as the reason R = |s_c| is not proven, covers without a hole, and
    with_analyticity / radius_outcome carry that reason into the result and its R sentence."""
    fam = family("sk")
    sing = {"singularities": [{"s": SC_SK, "certified": True, "evidence": {}}], "radius_enclosure": R_SK,
            "radius": R_SK[0][:22], "none_nearer_checked": True,
            "k_convergence": "5.355", "proven": "a fold", "nearer": "none found (checked)"}
    real = sing_mod._fold_curve
    monkeypatch.setattr(sing_mod, "_fold_curve", lambda *a, **k: real(*a, **dict(k, taus=(50.0,))))
    res = sing_mod.prove_disc(fam, sing=sing, exact=True, u_range=(0.6975, 0.6985), r=0.4315, r0=0.431,
                              inner=False, link=False)
    ex = res["exact_radius"]
    assert ex["asked"] is True and ex["proven"] is False
    assert ex["failure"].startswith("the curve through the fold: ") and "(tau down to 50," in ex["failure"]
    assert "hole" not in res and res["proven"] is True        # the covering ran as for the interval
    out = sing_mod.with_analyticity(sing, res)
    assert out["radius_exact_proven"] is False and out["radius_exact_failure"] == ex["failure"]
    assert out["analyticity"]["exact_radius"]["failure"] == ex["failure"]
    assert out["radius_outcome"]["outcome"] == "checked"      # a sector: not even R >= r is proven
    assert ex["failure"] not in out["radius_outcome"]["text"]  # the sector's failure is the first one missing
    whole = dict(res, whole_disc=True, r0="0.2", statement="the whole disc (test)",
                 fold_link={"proven": True, "radius_upper": "0.432116150345", "statement": "on the branch (test)"})
    out = sing_mod.with_analyticity(sing, whole)
    assert out["radius_outcome"]["outcome"] == "interval"
    assert out["radius_outcome"]["text"].endswith("R = |s_c| is NOT proven: " + ex["failure"])


def test_with_analyticity_states_R_equals_the_modulus_of_the_fold():
    link = {"proven": True, "radius_upper": "0.432116150345", "statement": "the fold lies on (test)",
            "radius_exact": ["0.43211615034442", "0.43211615034443"],
            "exact_radius": {"proven": True, "statement": "x(s) is analytic on |s| < |s_c| (test)"}}
    disc = {"proven": True, "r": "0.42", "r0": "0.2", "whole_disc": True, "statement": "the whole disc (test)",
            "fold_link": link}
    sing = {"proven": "a fold", "nearer": "none found (checked)",
            "singularities": [{"s": ["-0.25", "0.35"], "evidence": {"reached_by_continuation": True}}]}
    out = sing_mod.with_analyticity(sing, disc)
    assert out["radius_exact_proven"] is True and out["radius_proven"] == ["0.43211615034442", "0.43211615034443"]
    assert "R = |s_c| lies in [0.43211615034442, 0.43211615034443] (proven)" in out["proven"]
    assert out["nearer"].endswith("none in the open disc |s| < |s_c|, |s_c| in [0.43211615034442, 0.43211615034443] (proven)")
    link.pop("radius_exact")
    out = sing_mod.with_analyticity(sing, disc)
    assert out["radius_exact_proven"] is False and out["radius_proven"] == ["0.419999999999", "0.432116150345"]
    assert "open disc" not in out["nearer"]


# ---------------------------------------------------------------------------------------------
# the sentence "R ..." of the CLI, rendered from what is proven (radius_outcome)
_SING = {"radius": "0.43211615034442359974", "k_convergence": "5.35548741701974", "none_nearer_checked": True,
         "singularities": [{"s": SC_SK, "certified": True, "evidence": {}}]}


def test_the_R_sentence_follows_the_outcome():
    ro = sing_mod.radius_outcome
    ex = dict(_SING, radius_exact_proven=True, radius_proven=["0.43211615034442", "0.43211615034443"])
    r = ro(ex)
    assert r["outcome"] == "exact" and r["missing"] is None
    klo, khi = sing_mod.k_interval(["0.43211615034442", "0.43211615034443"])
    assert Decimal(klo) < Decimal("5.35548741701974") < Decimal(khi) and Decimal(khi) - Decimal(klo) < Decimal("1e-12")
    assert r["text"] == (f"R = |s_c| in [0.43211615034442, 0.43211615034443] (proven: x(s) is analytic on the open "
                         f"disc |s| < |s_c| and singular at the fold s_c); the series converges exactly for real "
                         f"k > k_c = 1/R², k_c in [{klo}, {khi}] (proven)")
    iv = dict(_SING, radius_proven=["0.419999999999", "0.432116150345"], radius_exact_failure="the glue point (test)")
    r = ro(iv)
    assert r["outcome"] == "interval" and r["text"].startswith("0.419999999999 <= R <= 0.432116150345 (proven both sides")
    assert r["text"].endswith("; R = |s_c| is NOT proven: the glue point (test)")
    iv.pop("radius_exact_failure")
    assert ro(iv)["missing"] == "R = |s_c| is NOT proven: not attempted (the interval-only disc proof)"
    lower = dict(_SING, radius_lower_proven="0.419999999999",
                 analyticity={"fold_link": {"proven": False, "failure": "x(t*) is not the zero (test)"}})
    r = ro(lower)
    assert r["outcome"] == "lower" and r["text"].startswith("R >= 0.419999999999 (proven); R = |s_c| = "
                                                            "0.43211615034442359974 is checked only")
    assert "x(t*) is not the zero (test)" in r["text"]
    r = ro(_SING)
    assert r["outcome"] == "checked" and r["text"].startswith("R = |s_c| = 0.43211615034442359974, checked only")
    assert "no disc proof was run" in r["text"] and "k > 5.35548741701974 (checked)" in r["text"]
    r = ro(dict(_SING, none_nearer_checked=False, analyticity={"failure": "budget (test)"}))
    assert "NOT established" in r["text"] and "the disc proof failed: budget (test)" in r["text"]
    r = ro(dict(_SING, singularities=[{"s": SC_SK, "certified": False, "evidence": {}}]))
    assert r["outcome"] == "estimated" and r["text"].startswith("R = 0.43211615034442359974 (estimated")
    assert ro({"radius": "inf", "k_convergence": "0", "singularities": []})["outcome"] == "infinite"
    for case in (ex, iv, lower, _SING):                 # no other number than the facts' own
        import re
        facts = {str(v) for v in re.findall(r"[0-9][0-9.e+-]*", str({k: v for k, v in case.items()}))}
        facts |= set(sing_mod.k_interval(case["radius_proven"])) if case.get("radius_proven") else set()
        facts |= {"1", "2"}                               # k_c = 1/R²
        assert set(re.findall(r"[0-9][0-9.e+-]*", ro(case)["text"])) <= facts
