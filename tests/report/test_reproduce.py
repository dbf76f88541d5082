"""`symcrit reproduce`: verdicts are functions of the facts (altered facts change them), every
evidence sentence is rendered from the facts, the report carries its provenance."""
import json
import os


from symcrit.cli import main
from symcrit.report import reproduce as R
from symcrit.report.claims import Fact


def F(name, value, evidence="checked", **kw):
    return Fact(name, value, evidence, **kw)


def fd(*facts):
    return {f.name: f for f in facts}


def test_wilson_interval_and_integer_sets():
    lo, hi = R.wilson_interval(0, 400)
    assert lo == 0 and 0.009 < hi < 0.01
    lo, hi = R.wilson_interval(20, 400)
    assert lo > 0.03 and hi < 0.08
    assert R.integer_set_text([8, 9, 10, 12], 4, 20) == "k = 8..10, 12"
    assert R.integer_set_text([], 4, 20) == "no k in 4..20"


# -- s2: minima for k >= 9 ---------------------------------------------------------------------
def s2_facts(first_min, ks=range(4, 21), chol=None, kstar=None, undecided=()):
    lam = {k: ([0.01, 5.0] if k >= first_min else [-0.02, 5.0]) for k in ks}
    for k in undecided:
        lam[k] = [1e-12, 5.0]
    chol = chol if chol is not None else {first_min: True, first_min - 1: False}
    return fd(F("k_range", list(ks), "proven"), F("claimed_from", 9, "proven"), F("hessian_extremes", lam),
              F("loss", {k: 0.01 for k in ks}), F("cholesky_positive_definite", chol), F("k_star", kstar))


def test_s2_verdict_follows_the_minimum_set():
    assert R.decide_s2_minima(s2_facts(9))[0] == "confirmed"
    assert R.decide_s2_minima(s2_facts(8, kstar="7.56"))[0] == "refined"      # holds from 8: not sharp
    v, checks = R.decide_s2_minima(s2_facts(12))
    assert v == "refuted"                                                     # not a minimum at 9, 10, 11
    assert "k = 12..20" in next(c for c in checks if c.name.startswith("s2 is a minimum")).detail
    assert R.decide_s2_minima(s2_facts(21))[0] == "refuted"                  # never a minimum
    # the second route disagrees at the threshold: no verdict
    assert R.decide_s2_minima(s2_facts(9, chol={9: False, 8: False}))[0] == "inconclusive"
    # a float64 sign inside the margin: no verdict
    assert R.decide_s2_minima(s2_facts(9, undecided=(10,)))[0] == "inconclusive"


def test_s2_text_is_rendered_from_the_facts():
    f = s2_facts(12)
    v, checks = R.decide_s2_minima(f)
    text = R.render_s2_minima(f, checks, v)
    assert "k = 12..20" in text and "k = 4..11" in text and "k = 8..20" not in text


# -- fractional k ------------------------------------------------------------------------------
def frac_facts(crossings, digits=20):
    return fd(F("families", list(crossings), "proven"), F("scan", {"k_hi": 10.0, "step": 1.0, "digits": digits}, "proven"),
              F("crossings", crossings))


def crossing(k, direction="saddle → minimum", ok=True):
    import mpmath
    with mpmath.workdps(40):
        enc = [mpmath.nstr(mpmath.mpf(k) - mpmath.mpf("1e-25"), 35), mpmath.nstr(mpmath.mpf(k) + mpmath.mpf("1e-25"), 35)]
    return {"k": k, "k_enclosure": enc, "component": "V_2", "kind": "eigenvalue", "direction": direction,
            "certified": ok}


def test_fractional_k_never_confirmed_without_crossings():
    assert R.decide_fractional_k(frac_facts({"sk1": [], "s2": []}))[0] == "inconclusive"
    assert R.decide_fractional_k(frac_facts({}))[0] == "inconclusive"
    assert R.decide_fractional_k(frac_facts({"s2": [crossing("6.01", "2 → 1 distinct negative eigenvalues")]}))[0] \
        == "inconclusive"                                                     # no saddle → minimum among them
    assert R.decide_fractional_k(frac_facts({"sk1": [crossing("5.5855052474258800069")]}))[0] == "confirmed"
    assert R.decide_fractional_k(frac_facts({"sk1": [crossing("5.5855052474258800069", ok=False)]}))[0] \
        == "inconclusive"
    assert R.decide_fractional_k(frac_facts({"sk1": [crossing("6.0000000000000000000")]}))[0] == "refuted"


# -- Safran–Shamir -----------------------------------------------------------------------------
def ss_facts(spurious_low=0, runs_low=400, spurious_high=98, ks=range(6, 21), sk1_missing=()):
    camp = {}
    for k in ks:
        runs = runs_low if k == 6 else 100
        sp = spurious_low if k == 6 else (spurious_high if k == 20 else 50)
        groups = [{"family": "global", "isotropy": [k], "count": runs - sp, "kind": "minimum", "evidence": "checked",
                   "loss": 0.0, "new": False}]
        if k not in sk1_missing:
            groups.append({"family": "sk1", "isotropy": [1, k - 1], "count": max(sp, 1), "kind": "minimum",
                           "evidence": "checked", "loss": 0.01, "new": False})
        camp[k] = {"runs": runs, "converged": runs, "spurious": sp, "groups": groups}
    return fd(F("claimed_range", list(range(6, 21)), "proven"), F("campaigns", camp, "estimated"))


def test_safran_shamir_thresholds_are_decided_by_intervals():
    assert R.decide_safran_shamir(ss_facts())[0] == "confirmed"
    v, checks = R.decide_safran_shamir(ss_facts(spurious_low=20))              # 5 % against "< 1 %"
    assert v == "refuted" and checks[1].passed is False
    assert R.decide_safran_shamir(ss_facts(spurious_low=2))[0] == "inconclusive"   # 0.5 %: interval straddles 1 %
    assert R.decide_safran_shamir(ss_facts(spurious_high=80))[0] == "refuted"      # 80 % against "> 90 %"
    assert R.decide_safran_shamir(ss_facts(sk1_missing=(7,)))[0] == "refined"
    assert R.decide_safran_shamir(ss_facts(ks=(6, 10)))[0] == "inconclusive"       # k = 20 not run (quick)


def test_safran_shamir_counts_only_checked_minima_as_sk1():
    f = ss_facts()
    for g in f["campaigns"].value[9]["groups"]:
        if g["family"] == "sk1":
            g["kind"] = "end point"
    assert R.decide_safran_shamir(f)[0] == "refined"


# -- sk1 series --------------------------------------------------------------------------------
def series_facts(best_at_6=9, top_ok_from=10, ok=True, k_radius=9.6, k_c="10.557977905175359256"):
    errs = {}
    for k in range(6, 21):
        best = 30 if k >= top_ok_from else min(best_at_6 + (k - 6), 29)
        errs[k] = [10.0 ** -(n if n <= best else 2 * best - n) / k for n in range(31)]
    return fd(F("order", 30, "proven"), F("formal_solution", ok), F("correction_valuation", 31 if ok else 12),
              F("errors", errs), F("radius_estimate", k_radius ** -0.5, "estimated"),
              F("k_radius_estimate", k_radius, "estimated"),
              F("radius", "0.30775819459069106502" if k_c else "inf", "checked"),
              F("k_convergence", k_c, "checked"),
              F("singularities", [{"s": ["-0.011369591039976171458", "0.30754810800475648622"], "kind": "fold",
                                   "certified": True}] if k_c else [], "proven"))


def test_sk1_series_verdicts():
    v, checks = R.decide_sk1_series(series_facts())
    assert v == "refined" and "t = 10" in next(c for c in checks if c.name.startswith("the k where")).detail
    assert next(c for c in checks if c.name.startswith("the fitted radius")).passed is True
    assert R.decide_sk1_series(series_facts(top_ok_from=6))[0] == "confirmed"     # converges on the whole range
    assert R.decide_sk1_series(series_facts(ok=False))[0] == "inconclusive"
    assert R.decide_sk1_series(series_facts(top_ok_from=21))[0] == "inconclusive"  # not even at k = 20
    # the singularity decides the threshold: measured errors that disagree with it make the verdict inconclusive
    v, checks = R.decide_sk1_series(series_facts(k_c="15.2"))
    assert v == "inconclusive" and next(c for c in checks if c.name.startswith("the measured threshold")).passed is False
    assert R.decide_sk1_series(series_facts(k_c="10.9"))[0] == "refined"
    # the fitted radius is an estimate: changing it alone does not change the verdict
    v, checks = R.decide_sk1_series(series_facts(k_radius=3.0))
    assert v == "refined" and next(c for c in checks if c.name.startswith("the fitted radius")).passed is False
    text = R.render_sk1_series(series_facts(top_ok_from=12), *reversed(R.decide_sk1_series(series_facts(top_ok_from=12))))
    assert "k = 12..20" in text and "k ≥ 10" not in text


# -- decay -------------------------------------------------------------------------------------
def decay_facts(a=0.2973576, lead=("0", "0", "1/2 - 2/pi**2", "-32/(3*pi**4)")):
    big = {k: a + 1 / k ** 0.5 for k in (6, 60, 600, 6000)}
    return fd(F("loss_coefficients_exact", list(lead)), F("loss_coefficients", ["0", "0", str(a), "-0.1"], "proven"),
              F("a", a, "proven"), F("claimed_a", 0.3, "proven", tolerance=0.05),
              F("kF", {6: 0.15, 20: 0.22}), F("kF_large", big))


def test_decay_verdicts():
    assert R.decide_decay(decay_facts())[0] == "confirmed"
    assert R.decide_decay(decay_facts(a=0.5))[0] == "refined"                  # a/k with a different a
    assert R.decide_decay(decay_facts(lead=("0", "0.1", "1/2", "0")))[0] == "refuted"   # an s-term: k^(-1/2)
    assert R.decide_decay(decay_facts(lead=("0", "0", None, "0")))[0] == "inconclusive"
    text = R.render_decay(decay_facts(a=0.5), *reversed(R.decide_decay(decay_facts(a=0.5))))
    assert "0.500000000000" in text


# -- sk1 equations and other families ------------------------------------------------------------
def sk1_facts(n_eq=5, certified=range(6, 21), negative_at=()):
    ks = list(range(6, 21))
    lam = {k: ([-0.01, 4.0] if k in negative_at else [0.005, 4.0]) for k in ks}
    return fd(F("isotropy_blocks", ["1", "k - 1"], "proven"), F("n_equations", n_eq, "proven"),
              F("k_range", ks, "proven"), F("certified_k", list(certified), "proven"),
              F("max_full_gradient", 1e-50, tolerance=1e-35), F("hessian_extremes", lam),
              F("negative_count", {k: int(k in negative_at) for k in ks}), F("loss", {k: "0.02" for k in ks}))


def test_sk1_equations_verdicts():
    assert R.decide_sk1_equations(sk1_facts())[0] == "confirmed"
    assert R.decide_sk1_equations(sk1_facts(negative_at=(13,)))[0] == "refuted"
    assert R.decide_sk1_equations(sk1_facts(certified=range(6, 20)))[0] == "inconclusive"
    assert R.decide_sk1_equations(sk1_facts(n_eq=6))[0] == "refined"


def test_sk1_minima_are_decided_by_the_proven_index_when_it_is_there():
    ks = list(range(6, 21))
    f = sk1_facts()
    f["proven_index"] = F("proven_index", {k: 0 for k in ks}, "proven")
    v, checks = R.decide_sk1_equations(f)
    assert v == "confirmed" and any(c.name.endswith("(proven Hessian index 0)") and c.evidence == "proven"
                                    for c in checks)
    f["proven_index"] = F("proven_index", {k: (2 if k == 9 else 0) for k in ks}, "proven")
    assert R.decide_sk1_equations(f)[0] == "refuted"          # the float64 route says minimum; the proof does not
    f["proven_index"] = F("proven_index", {k: (None if k == 9 else 0) for k in ks}, "proven")
    assert R.decide_sk1_equations(f)[0] == "inconclusive"     # one width not proven


def test_other_families_verdicts():
    ks = list(range(6, 21))
    base = {"sk1b": ["1", "k - 1"], "sk": ["k"], "s2": ["2", "k - 2"]}

    def facts(iso=base, cert=None):
        cert = cert or {f: ks for f in base}
        return fd(F("claimed_isotropy", base, "proven"), F("isotropy_blocks", iso, "proven"), F("k_range", ks, "proven"),
                  F("certified_k", cert, "proven"), F("hessian_extremes", {f: {k: [0.01, 3.0] for k in ks} for f in base}))
    assert R.decide_other_families(facts())[0] == "confirmed"
    assert R.decide_other_families(facts(iso={**base, "s2": ["3", "k - 3"]}))[0] == "refuted"
    assert R.decide_other_families(facts(cert={"sk1b": ks, "sk": ks[1:], "s2": ks}))[0] == "inconclusive"


# -- spectrum, counts, deformation ---------------------------------------------------------------
def spectrum_facts(mult="k + 1", dense_extra=0, with_series=True, bulk_s_term=False, slow_power=1):
    import sympy
    dense = {k: {"n_above_1": int(sympy.sympify(mult).subs("k", k)) + dense_extra} for k in (8, 10, 14)}
    facts = [F("growing", {"V_2#4": {"lambda_over_k": 0.25, "dim": "k - 2"}}, "estimated"),
             F("growing_multiplicity", mult), F("dense", dense),
             F("limits", {"trivial#0": 0.0908, "V_2#0": 0.25}, "estimated"),
             F("rates", {"trivial#0": -0.5, "V_2#0": -1.0}, "estimated"),
             F("bulk_k_times_difference", {"[p-2,1,1]": [-0.3183, -0.3183, -0.3183]}, "estimated")]
    if with_series:
        def rec(c0, c1):
            return {"leading_power": 0, "coefficients": [c0, c1, "0.5"], "expanded": True}
        sk1 = {"trivial": [rec("0.0908450569081046", "0.2" if slow_power == 1 else "0")],
               "[p-2,1,1]_2": [rec("0.25", "0.1" if bulk_s_term else "0")]}
        glob = {"trivial": [rec("0.0908450569081046", "0")], "[p-2,1,1]_1": [rec("0.25", "0")]}
        facts.append(F("eigenvalue_series", {"sk1": sk1, "global": glob}))
    return fd(*facts)


def test_spectrum_verdicts():
    assert R.decide_spectrum(spectrum_facts())[0] == "refined"                # bulk one order better
    assert R.decide_spectrum(spectrum_facts(bulk_s_term=True))[0] == "confirmed"
    assert R.decide_spectrum(spectrum_facts(mult="3"))[0] == "refuted"        # O(1) growing, not Θ(d)
    assert R.decide_spectrum(spectrum_facts(dense_extra=1))[0] == "inconclusive"   # the two routes disagree
    assert R.decide_spectrum(spectrum_facts(with_series=False))[0] == "inconclusive"   # estimates only
    assert R.decide_spectrum(spectrum_facts(slow_power=2, bulk_s_term=True))[0] == "confirmed"


def simsek_facts(cross=None, bf_ok=True, grad=1e-31):
    cross = cross or {2: 1, 3: 2, 5: 3, 10: 6}
    bf = [{"kind": "T", "r": 2, "m": 4, "enumerated": 50, "closed_form": 50 if bf_ok else 51, "maximal": True}]
    return fd(F("brute_force", bf, "proven"), F("relu_G_subspaces", 50, "proven"),
              F("relu_G_max_gradient", grad, tolerance=1e-25), F("crossover_h", cross, "proven"),
              F("T_stays_ahead", {r: True for r in cross}, "proven"),
              F("G_over_T", {r: ["3/2", "3/10"] for r in cross}, "proven"))


def test_simsek_verdicts():
    assert R.decide_simsek(simsek_facts())[0] == "refined"                    # crossover before h = r*
    assert R.decide_simsek(simsek_facts(cross={2: 4, 3: 9, 5: 20}))[0] == "confirmed"
    assert R.decide_simsek(simsek_facts(bf_ok=False))[0] == "refuted"
    assert R.decide_simsek(simsek_facts(cross={2: None, 3: 9}))[0] == "refuted"
    text = R.render_simsek(simsek_facts(cross={2: 4, 3: 9, 5: 20}), [], "confirmed")
    assert "h*/r* between 2.00 and 4.00" in text


def deformation_facts(branch_index=(2, 1), family_index=("3.58", 0), ratio="1.0004", found=True):
    d = {"component": "V_2", "kstar": "5.5855", "p": "4.5855", "q": "0.0548", "dmu_dk": "0.012",
         "branches": [{"k": "5.5845", "ratio": ratio, "negative_count_family": family_index[0],
                       "negative_count_branch": branch_index[0]},
                      {"k": "5.5865", "ratio": "0.9995", "negative_count_family": family_index[1],
                       "negative_count_branch": branch_index[1]}]}
    return fd(F("normal_forms", {"sk1": d if found else None}))


def test_deformation_verdicts():
    assert R.decide_deformation(deformation_facts())[0] == "confirmed"
    assert R.decide_deformation(deformation_facts(branch_index=(2, 0)))[0] == "refuted"   # a minimum is born
    assert R.decide_deformation(deformation_facts(ratio="1.5"))[0] == "inconclusive"
    assert R.decide_deformation(deformation_facts(found=False))[0] == "inconclusive"


def test_deformation_index_checks_say_they_are_estimates():
    """The indices beside k* are sign counts of mpmath eigenvalues with a heuristic bound: the checks
    that read them are 'estimated', whatever the normal form's evidence; the others keep it."""
    _, checks = R.decide_deformation(deformation_facts())
    ev = {c.name: c.evidence for c in checks}
    assert [e for n, e in ev.items() if "stability" in n or "saddle on both" in n] == ["estimated", "estimated"]
    assert ev["generic: q ≠ 0 and μ'(k*) ≠ 0 (transcritical)"] == "checked"


def test_markdown_names_the_verdicts_that_rest_on_estimates():
    """The evidence legend is rendered from the checks: a verdict decided by estimated checks (the
    Safran–Shamir shares) is named; an inconclusive one is not."""
    def claim(spec_id, facts):
        c = R.evaluate(next(s for s in R.CLAIMS if s.id == spec_id), list(facts.values())).to_dict()
        c["seconds"] = 1.0
        return c
    camp = {k: {"runs": 2000, "converged": 2000, "spurious": 0 if k == 6 else 1980,
                "groups": [{"family": "sk1", "isotropy": [1, k - 1], "count": 1, "kind": "minimum",
                            "evidence": "checked", "loss": 0.02, "new": False}]} for k in range(6, 21)}
    ss = claim("safran-shamir", fd(F("claimed_range", list(range(6, 21)), "proven"), F("campaigns", camp, "estimated")))
    assert ss["verdict"] == "confirmed"
    doc = {"provenance": R.provenance(False, "symcrit reproduce"), "quick": False, "claims": [ss],
           "summary": {"confirmed": 1}, "seconds": 1.0}
    md = R.render_markdown(doc)
    assert "rest on estimated checks" in md and "Safran–Shamir experiment" in md.split("rest on estimated checks")[1]
    s2 = claim("s2-minima", s2_facts(8))
    doc["claims"] = [s2]
    assert "no verdict here rests on an estimated check" in R.render_markdown(doc)


# -- end to end (quick) ----------------------------------------------------------------------------
def test_reproduce_quick_report_with_provenance(tmp_path, capsys):
    from symcrit.cli import main
    out = tmp_path / "rep"
    assert main(["reproduce", "--out", str(out), "--quick"]) == 0
    doc = json.loads((out / "report.json").read_text())
    p = doc["provenance"]
    assert p["mode"] == "quick" and doc["quick"] is True
    assert "reproduce" in p["command"] and "--quick" in p["command"]
    assert set(p["libraries"]) == {"sympy", "mpmath", "python-flint", "numpy"} and all(p["libraries"].values())
    assert p["git_commit"] == _head_commit()
    assert set(p["seconds_per_claim"]) == {c["id"] for c in doc["claims"]}
    for c in doc["claims"]:
        assert c["verdict"] in ("confirmed", "refuted", "refined", "inconclusive")
        assert c["checks"] and all(set(x) == {"name", "passed", "evidence", "detail"} for x in c["checks"])
        assert all(f["evidence"] in ("proven", "checked", "estimated") for f in c["facts"].values())
        # the verdict is the decision function's on the stored facts
        spec = next(s for s in R.CLAIMS if s.id == c["id"])
        assert c["seconds"] is not None and spec.seed == c["seed"]
    s2 = next(c for c in doc["claims"] if c["id"] == "s2-minima")
    lam = s2["facts"]["hessian_extremes"]["value"]
    assert min(int(k) for k, v in lam.items() if v[0] > 0) == 8       # a fact, not a verdict literal
    # other families: the index proven by prove_inertia (a quick run: at k = 6 and 20 only)
    other = next(c for c in doc["claims"] if c["id"] == "other-families")
    pidx = other["facts"]["proven_index"]
    assert pidx["evidence"] == "proven"
    assert pidx["value"]["sk1b"]["6"] == 6 and pidx["value"]["s2"]["6"] == 4 and pidx["value"]["sk"]["20"] == 0
    assert pidx["value"]["sk"]["10"] is None
    assert "a saddle (index 6 proven) at k = 6" in other["evidence"]
    md = (out / "report.md").read_text()
    assert md.splitlines()[2].startswith("> **QUICK RUN")
    assert p["date_utc"] in md and "| claim | seed | verdict |" in md
    for c in doc["claims"]:
        for pl in c["plots"]:
            assert os.path.getsize(out / pl) > 10_000
    assert not any(name.endswith(".tmp") for name in os.listdir(out))
    assert "symcrit reproduce" in capsys.readouterr().out


def test_provenance_outside_a_git_checkout_has_no_commit(tmp_path):
    import shutil
    import subprocess
    import sys
    import symcrit
    shutil.copytree(os.path.dirname(symcrit.__file__), tmp_path / "symcrit")
    out = subprocess.run([sys.executable, "-c", "import json; from symcrit.report.reproduce import provenance; "
                          "print(json.dumps(provenance(False, 'cmd')))"], cwd=tmp_path, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(tmp_path)}, check=True)
    p = json.loads(out.stdout)
    assert p["git_commit"] is None and p["git_dirty"] is None and p["mode"] == "full" and p["command"] == "cmd"
    assert R.provenance(True)["git_commit"] == _head_commit()


def _head_commit():
    """The commit of the checkout symcrit is imported from (None outside a git checkout), found
    independently of symcrit's own provenance code."""
    import subprocess
    import symcrit
    pkg = os.path.dirname(os.path.abspath(symcrit.__file__))
    r = subprocess.run(["git", "rev-parse", "HEAD"], cwd=pkg, capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 and len(r.stdout.strip()) == 40 else None


def test_markdown_banner_only_for_quick_runs():
    def doc(quick):
        p = R.provenance(quick, "symcrit reproduce")
        claim = R.evaluate(R.CLAIMS[5], list(s2_facts(8).values())).to_dict()
        claim["seconds"] = 1.0
        return {"provenance": p, "quick": quick, "claims": [claim], "summary": {"refined": 1}, "seconds": 1.0}
    assert "QUICK RUN" in R.render_markdown(doc(True)).splitlines()[2]
    md = R.render_markdown(doc(False))
    assert "QUICK RUN" not in md and "(full run)" in md and "**refined**" in md and "k = 8..20" in md


def test_s2_proven_index_disagreeing_with_float64_makes_it_inconclusive():
    f = s2_facts(8)
    ks = list(range(4, 21))
    f["proven_index"] = F("proven_index", {k: (0 if k >= 8 else 4) for k in ks}, "proven")
    v, checks = R.decide_s2_minima(f)
    assert v == "refined" and any(c.name.startswith("the proven Hessian index") and c.passed for c in checks)
    f["proven_index"] = F("proven_index", {k: (0 if k >= 9 else 4) for k in ks}, "proven")  # proof: saddle at 8
    assert R.decide_s2_minima(f)[0] == "inconclusive"


def test_fractional_k_uses_the_completeness_proof():
    """The completeness proof, when run, is decisive: proven keeps 'confirmed', a sub-interval left
    undecided makes the claim inconclusive (a crossing may be missed); not run, it is reported as
    such and the verdict rests on the located crossings."""
    cr = {"sk1": [crossing("5.5855052474258800069")]}

    def facts(ev, undecided=()):
        c = {"range": [5.0, 6.0], "evidence": ev, "undecided": [list(u) for u in undecided], "intervals": 9}
        return fd(F("families", list(cr), "proven"), F("scan", {"k_hi": 6.0, "step": 0.5, "digits": 20}, "proven"),
                  F("crossings", cr), F("completeness", {"sk1": c}, "proven" if ev == "proven" else "estimated"))
    v, checks = R.decide_fractional_k(facts("proven"))
    assert v == "confirmed" and checks[-1].passed is True
    assert "No crossing is missed (proven over every k-interval) for sk1 on [5, 6]" in \
        R.render_fractional_k(facts("proven"), checks, v)
    v, checks = R.decide_fractional_k(facts("not proven", [(5.58, 5.59, "V_2: an eigenvalue is not proven nonzero")]))
    assert v == "inconclusive" and checks[-1].passed is None
    text = R.render_fractional_k(facts("not proven", [(5.58, 5.59, "x")]), checks, v)
    assert "Completeness not proven for sk1 (1 sub-interval(s) undecided)" in text
    v, checks = R.decide_fractional_k(facts("not computed"))
    assert v == "confirmed" and checks[-1].passed is None
    assert "was not run" in R.render_fractional_k(facts("not computed"), checks, v)


def other_families_facts(pidx=None, lam=None):
    ks = list(range(6, 21))
    base = {"sk1b": ["1", "k - 1"], "sk": ["k"], "s2": ["2", "k - 2"]}
    lam = lam or {f: {k: [0.01, 3.0] for k in ks} for f in base}
    facts = [F("claimed_isotropy", base, "proven"), F("isotropy_blocks", base, "proven"), F("k_range", ks, "proven"),
             F("certified_k", {f: ks for f in base}, "proven"), F("hessian_extremes", lam)]
    if pidx is not None:
        facts.append(F("proven_index", pidx, "proven"))
    return fd(*facts)


def test_other_families_index_is_proven_where_the_proof_succeeds():
    """The minimum/saddle facts come from prove_inertia where it succeeds and from the float64 sign
    (checked) only where it fails; a disagreement of the two routes makes the verdict inconclusive."""
    ks = list(range(6, 21))
    lam = {"sk1b": {k: ([-0.02, 3.0] if k == 6 else [0.01, 3.0]) for k in ks},
           "sk": {k: [0.01, 3.0] for k in ks}, "s2": {k: ([-0.01, 3.0] if k < 8 else [0.01, 3.0]) for k in ks}}
    pidx = {"sk1b": {k: (6 if k == 6 else 0) for k in ks}, "sk": {k: (None if k == 20 else 0) for k in ks},
            "s2": {k: (4 if k < 8 else 0) for k in ks}}
    f = other_families_facts(pidx, lam)
    v, checks = R.decide_other_families(f)
    assert v == "confirmed"
    agree = [c for c in checks if "proven Hessian index agrees" in c.name]
    assert len(agree) == 3 and all(c.passed and c.evidence == "proven" for c in agree)
    text = R.render_other_families(f, checks, v)
    assert "sk1b (blocks 1, k - 1): certified at k = 6..20; a local minimum (index 0 proven) at k = 7..20, " \
           "a saddle (index 6 proven) at k = 6" in text
    assert "sk (blocks k): certified at k = 6..20; a local minimum (index 0 proven) at k = 6..19, a local minimum " \
           "(float64 sign, checked; not proven) at k = 20" in text
    # the proof says saddle where float64 says minimum: the routes disagree
    bad = {**pidx, "sk": {k: (2 if k == 10 else 0) for k in ks}}
    v, checks = R.decide_other_families(other_families_facts(bad, lam))
    assert v == "inconclusive"
    assert [c.passed for c in checks if c.name.startswith("sk:")] == [False]
    # without any proof the float64 route is labelled checked, and the verdict rests on isotropy and certificates
    f = other_families_facts(None, lam)
    v, checks = R.decide_other_families(f)
    assert v == "confirmed" and "index 0 proven" not in R.render_other_families(f, checks, v)


def test_reproduce_reads_the_campaigns_of_an_atlas(tmp_path, capsys):
    from symcrit.landscape.atlas import atlas
    from symcrit.report.reproduce import reproduce
    out = tmp_path / "atlas"
    atlas([6], runs=10, seed=2, out=str(out), proofs=False)  # writes atlas.json beside the campaign
    doc = reproduce(str(tmp_path / "rep"), progress=False, only=["safran-shamir"], atlas=str(out))
    facts = doc["claims"][0]["facts"]
    assert str(out) in facts["campaigns"]["method"]
    assert list(facts["campaigns"]["value"]) in ([6], ["6"])
    assert main(["reproduce", "--only", "safran-shamir", "--atlas", str(tmp_path / "nowhere"),
                 "--out", str(tmp_path / "rep2")]) == 2
    assert "no atlas.json" in capsys.readouterr().err


def test_reproduce_reads_the_summary_of_an_atlas_without_campaign_files(tmp_path):
    """docs/atlas holds atlas.json and no campaign files: the Safran–Shamir claim reads the summary
    in atlas.json and never runs campaigns into the folder."""
    import os
    import shutil

    from symcrit.report.reproduce import atlas_campaign_summary, reproduce
    here = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "atlas", "atlas.json")
    folder = tmp_path / "atlas"
    folder.mkdir()
    shutil.copy(here, folder / "atlas.json")
    doc = reproduce(str(tmp_path / "rep"), progress=False, only=["safran-shamir"], atlas=str(folder))
    assert sorted(os.listdir(folder)) == ["atlas.json"]  # nothing run into the folder
    facts = doc["claims"][0]["facts"]
    assert "read from the summary in atlas.json" in facts["campaigns"]["method"]
    camp = {int(k): v for k, v in facts["campaigns"]["value"].items()}
    assert sorted(camp) == list(range(6, 21))
    adoc = json.loads((folder / "atlas.json").read_text())
    sk1 = next(b for b in adoc["branches"] if b["id"] == "sk1")
    for k in (6, 13, 20):
        c = next(c for c in adoc["campaigns"] if c["k"] == k)
        assert camp[k]["converged"] == c["converged"]
        assert camp[k]["spurious"] == round(c["spurious_fraction"] * c["converged"])
        got = sum(g["count"] for g in camp[k]["groups"] if g["family"] == "sk1" and g["kind"] == "minimum")
        assert got == next(p["count"] for p in sk1["points"] if p["k"] == k) > 0
    s = atlas_campaign_summary(adoc, 8)
    assert s["runs"] == 920 and any(g["family"] == "global" and g["isotropy"] == [8] for g in s["minima"])
    import pytest

    from symcrit.core.errors import BadInput
    with pytest.raises(BadInput):
        atlas_campaign_summary(adoc, 21)
