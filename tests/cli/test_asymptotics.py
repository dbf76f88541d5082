"""The commands series, validate, eigseries (symcrit.cli.asymptotics)."""
import json

import mpmath
import sympy

from symcrit.cli import main

pi = sympy.pi


def test_cli_series_exact_json(capsys):
    import json

    from symcrit.cli import main

    assert main(["series", "sk1", "--order", "3", "--exact", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    a3 = sympy.sympify(d["params"]["a"][3]["exact"], locals={"pi": sympy.pi})
    assert sympy.simplify(a3 - 64 * (pi - 12) / (3 * pi**4 * (pi - 2))) == 0
    assert sympy.sympify(d["loss"][3]["exact"]) == -sympy.Rational(32, 3) / pi**4
    assert d["exact_info"]["field"] == "Q(pi)" and d["exact_info"]["status"] == "proven"
    assert d["params"]["a"][3]["exact_status"] == "proven"
    assert d["exact_info"]["missing"] == {}


def test_cli_series_exact_s2_in_q_sqrt2_pi(capsys):
    """s2's forms need √2: the JSON strings parse in sympy (sqrt(2), pi) and equal the balls; proven."""
    assert main(["series", "s2", "--order", "4", "--exact", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["exact_info"]["field"] == "Q(sqrt(2), pi)" and d["exact_info"]["status"] == "proven"
    with_root = 0
    for terms in list(d["params"].values()) + [d["loss"]]:
        for t in terms:
            e = sympy.sympify(t["exact"])
            assert e.free_symbols == set() and t["exact_status"] == "proven"
            with_root += e.has(sympy.sqrt(2))
            with mpmath.workdps(40):
                v = mpmath.mpf(sympy.N(e, 40))
                ball = mpmath.mpf(t["value"].lstrip("±"))  # '±r': |c| <= r (the form must be within it)
                assert abs(v - ball) <= mpmath.mpf(10) ** -25 * (1 + abs(v)) if not t["value"].startswith("±") \
                    else abs(v) <= ball, (t, e)
    assert with_root >= 2  # alpha[4] and F[4]
    assert main(["series", "s2", "--order", "4", "--exact", "--latex"]) == 0
    assert "\\sqrt{2}" in capsys.readouterr().out
    assert main(["series", "s2", "--order", "4", "--exact"]) == 0
    assert "exact residual over Q(√2)(π)" in capsys.readouterr().out


def test_cli_series_json_and_latex(capsys):
    assert main(["series", "sk1", "--order", "5", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["variable"] == "s" and d["definition"] == "k^(-1/2)"
    assert [t["power"] for t in d["params"]["a"]] == list(range(6))
    assert d["params"]["a"][3]["value"].startswith("-1.6994316812")
    assert d["params"]["a"][3]["exact"] is None
    assert main(["series", "sk1", "--order", "3", "--latex"]) == 0
    tex = capsys.readouterr().out
    assert tex.count("&=") == 6 and "\\begin{aligned}" in tex


def test_cli_validate(capsys, tmp_path):
    png = tmp_path / "v.png"
    assert main(["validate", "sk1", "--order", "8", "--k", "6,12,20", "--plot", str(png), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert [r["k"] for r in d["rows"]] == [6, 12, 20]
    assert png.stat().st_size > 10_000
    assert main(["validate", "s2", "--order", "4", "--k", "3"]) == 2


def test_printed_digits_are_right_whatever_mpmath_precision(capsys):
    """Regression: ball midpoints were once converted at mpmath's default 15 digits, so the JSON
    showed 40 digits of which the last 24 were wrong.  Every printed digit must be right."""
    mpmath.mp.dps = 15
    assert main(["series", "sk1", "--order", "2", "--dps", "40", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    with mpmath.workdps(60):
        exact = mpmath.nstr(2 + 8 / mpmath.pi + 8 / mpmath.pi**2, 40)
    assert d["params"]["a"][2]["value"] == exact


def test_series_progress_bars_move_and_stay_off_with_json(capsys):
    """--progress: a bar per stage that moves during ONE series computation (Newton steps of the
    ball route, column-steps of the exact route); never with --json (stdout stays pure JSON)."""
    from symcrit.asymptotics.series import _series_cached_key

    _series_cached_key.cache_clear()
    assert main(["series", "sk1", "--order", "5", "--exact", "--progress"]) == 0
    cap = capsys.readouterr()
    frames = [f for f in cap.err.replace("\r", "\n").split("\n") if f.strip()]
    ball = [f for f in frames if f.startswith("series sk1")]
    exact = [f for f in frames if f.startswith("exact forms sk1")]
    assert len({f.split("|")[0] for f in ball}) >= 3, ball       # at least three different percentages
    assert len({f.split("|")[0] for f in exact}) >= 3, exact
    assert "proven" in cap.out
    _series_cached_key.cache_clear()
    assert main(["series", "sk1", "--order", "3", "--exact", "--progress", "--json"]) == 0
    cap = capsys.readouterr()
    assert cap.err == "" and json.loads(cap.out)["exact_info"]["status"] == "proven"


def test_eigseries_json_labels_every_coefficient(capsys):
    """`symcrit eigseries --json`: each coefficient with its evidence (proven balls here), the check
    against the eigenvalue at k = 10^16 and its tolerance; the text table shows the evidence counts."""
    assert main(["eigseries", "sk", "--order", "3", "--component", "[p-2,2]_1", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    (r,) = d["[p-2,2]_1"]
    assert r["expanded"] and r["evidence"] == "proven: 4 of 4" and r["proof"] == "ball enclosures"
    assert [t["power"] for t in r["terms"]] == [0, 1, 2, 3]
    assert all(t["evidence"] == "proven" and t["check"]["ok"] and float(t["radius"]) < 1e-40 for t in r["terms"])
    assert r["coefficients"][1].startswith("-0.3183098861837906715")     # −1/π
    assert main(["eigseries", "sk", "--order", "3", "--component", "[p-2,2]_1"]) == 0
    out = capsys.readouterr().out
    assert "proven: 4 of 4" in out and "(-0.31830988618)·s^1" in out


def test_cli_singularities_json_and_the_disc_proof_options(capsys, monkeypatch):
    """``singularities sk --json``: the proven fold; ``--prove-disc`` runs prove_disc with the
    parsed --eps-r/--r0 (here on a small sector, substituted for the full annulus to keep the
    test short) and reports its statement; bad option values are one-line user errors."""
    from cli_helpers import assert_user_error, run_main

    from symcrit.asymptotics import singularities as sing_mod

    rc, out, err, _ = run_main(["singularities", "sk", "--json"], capsys)
    assert rc == 0
    d = json.loads(out)
    assert d["singularities"][0]["certified"] is True and d["radius"].startswith("0.432116150344")
    assert "analyticity" not in d
    seen = {}
    real = sing_mod.prove_disc

    def small(fam, **kw):
        seen.update(kw)
        return real(fam, r0=0.19, r=0.21, u_range=(0.0, 0.03), fraction=0.04)
    monkeypatch.setattr(sing_mod, "prove_disc", small)
    rc, out, err, _ = run_main(["singularities", "sk", "--prove-disc", "--eps-r", "1/20", "--r0", "0.1"], capsys)
    assert rc == 0, err
    assert seen["eps_R"] == 0.05 and seen["r0"] == 0.1
    assert "analyticity: the branch x(s) of sk, continued from the real axis, is analytic" in out
    assert "discs (radii" in out
    assert "inner disc |s| <= 0.19: proven (eps" in out               # the inner disc, glued (a sector here)
    assert "analytic on the whole disc" not in out
    rc, out, err, _ = run_main(["singularities", "sk", "--prove-disc", "--eps-r", "1/20", "--json"], capsys)
    d = json.loads(out)
    assert d["analyticity"]["inner"]["proven"] is True and d["analyticity"]["inner_glued"] is True
    assert d["none_nearer_proven"] is False                            # the sector is not the whole disc
    rc, out, err, _ = run_main(["singularities", "sk", "--prove-disc", "--eps-r", "2"], capsys)
    assert_user_error(rc, out, err)
    assert "--eps-r must lie in (0, 1)" in err


def test_exact_series_estimate_is_calibrated_per_family(capsys):
    """The time estimate of `series --exact` comes from each family's measured cost (s2, with forms in
    Q(√2, π), costs ten times sk1 at order 24); an unmeasured family gets the most expensive rate."""
    from symcrit.cli.asymptotics import EXACT_CPU_24, exact_seconds, series_seconds
    assert exact_seconds(24, 6, "s2") == EXACT_CPU_24["s2"] and exact_seconds(24, 5, "sk1") == EXACT_CPU_24["sk1"]
    assert exact_seconds(24, 6, "s2") > 10 * exact_seconds(24, 5, "sk1")
    assert exact_seconds(24, 6, "a-new-one") >= exact_seconds(24, 6, "s2")
    assert series_seconds(24, 30, 6, True, "s2") > series_seconds(24, 30, 6, False, "s2") + 60
    # s2 to order 80 with exact forms: refused before any work (estimated > 10 min), sk1 is not
    assert series_seconds(80, 30, 5, True, "sk1") < 600 < series_seconds(80, 30, 6, True, "s2")
    assert main(["series", "s2", "--order", "80", "--exact"]) == 2
    err = capsys.readouterr().err
    assert "would take about" in err and "--force" in err


def test_cli_singularities_and_validate_state_the_proven_interval_of_R(capsys, monkeypatch):
    """With the fold proven on the branch (the disc proof's result substituted: the full one takes a
    minute), ``singularities --prove-disc`` and ``validate --prove-disc`` say R in [r, |s_c|] proven, in
    text and JSON; a failed link is reported as NOT proven and no upper bound is claimed."""
    from cli_helpers import run_main

    from symcrit.asymptotics import singularities as sing_mod

    link = {"proven": True, "radius_upper": "0.432116150345", "seconds": 3.0,
            "statement": "the fold lies on the family's branch (proven): test"}
    whole = {"proven": True, "whole_disc": True, "r": "0.42", "r0": "0.2", "statement": "the whole disc (test)",
             "discs": 3, "min_radius": 0.01, "max_radius": 0.05, "glued_pairs": 2, "max_eps": 1e-20, "seconds": 1.0,
             "max_abs": {"p": "0.77", "q": "0.51"}, "fold_link": link}
    monkeypatch.setattr(sing_mod, "prove_disc", lambda fam, **kw: dict(whole))
    rc, out, err, _ = run_main(["singularities", "sk", "--prove-disc"], capsys)
    assert rc == 0, err
    assert "fold on the branch: the fold lies on the family's branch (proven): test (3.0 s)" in out
    assert "radius of convergence in s: 0.419999999999 <= R <= 0.432116150345 (proven both sides" in out
    rc, out, err, _ = run_main(["singularities", "sk", "--prove-disc", "--json"], capsys)
    d = json.loads(out)
    assert d["radius_proven"] == ["0.419999999999", "0.432116150345"] and d["fold_on_branch_proven"] is True
    assert d["analyticity"]["fold_link"]["proven"] is True
    rc, out, err, _ = run_main(["validate", "sk", "--order", "4", "--k", "100", "--prove-disc"], capsys)
    assert rc == 0, err
    assert "radius of convergence in s: 0.419999999999 <= R <= 0.432116150345 (proven both sides" in out
    assert "R lies in [0.419999, 0.432117]" in out
    rc, out, err, _ = run_main(["validate", "sk", "--order", "4", "--k", "100", "--prove-disc", "--json"], capsys)
    d = json.loads(out)
    assert d["singularity_evidence"]["radius_proven"] == ["0.419999999999", "0.432116150345"]
    assert d["verdict"]["standing"] == "proven"
    failed = dict(whole, fold_link={"proven": False, "seconds": 1.0,
                                    "statement": "NOT proven that the fold is on the branch: test"})
    monkeypatch.setattr(sing_mod, "prove_disc", lambda fam, **kw: dict(failed))
    rc, out, err, _ = run_main(["singularities", "sk", "--prove-disc"], capsys)
    assert "fold on the branch: NOT proven that the fold is on the branch: test" in out
    assert "proven both sides" not in out


def test_cli_singularities_exact_radius_states_R_equals_the_modulus_of_the_fold(capsys, monkeypatch):
    """``singularities --prove-disc --exact-radius`` asks prove_disc for the covering up to the fold
    (its result substituted: the full one takes 30 s) and says R = |s_c| proven, in text and JSON;
    without the option prove_disc is not asked for it."""
    from cli_helpers import run_main

    from symcrit.asymptotics import singularities as sing_mod

    link = {"proven": True, "radius_upper": "0.432116150345", "seconds": 3.0,
            "statement": "the fold lies on the family's branch (proven): test",
            "radius_exact": ["0.43211615034442", "0.43211615034443"],
            "exact_radius": {"proven": True, "statement": "x(s) is analytic on |s| < |s_c| (test)"}}
    whole = {"proven": True, "whole_disc": True, "r": "0.42", "r0": "0.2", "statement": "the whole disc (test)",
             "discs": 3, "min_radius": 0.01, "max_radius": 0.05, "glued_pairs": 2, "max_eps": 1e-20, "seconds": 1.0,
             "max_abs": {"p": "0.77", "q": "0.51"}, "fold_link": link}
    seen = {}

    def fake(fam, **kw):
        seen.clear()
        seen.update(kw)
        return dict(whole)
    monkeypatch.setattr(sing_mod, "prove_disc", fake)
    rc, out, err, _ = run_main(["singularities", "sk", "--prove-disc"], capsys)
    assert rc == 0, err
    assert seen["exact"] is True                                           # the default
    assert "radius of convergence in s: R = |s_c| in [0.43211615034442, 0.43211615034443] (proven" in out
    assert "proven both sides" not in out
    rc, out, err, _ = run_main(["singularities", "sk", "--prove-disc", "--exact-radius", "--json"], capsys)
    d = json.loads(out)
    assert d["radius_exact_proven"] is True and d["radius_proven"] == ["0.43211615034442", "0.43211615034443"]
    assert d["radius_outcome"]["outcome"] == "exact" and len(d["k_convergence_proven"]) == 2
    rc, out, err, _ = run_main(["singularities", "sk", "--prove-disc", "--interval-only"], capsys)
    assert seen["exact"] is False
    rc, out, err, _ = run_main(["validate", "sk", "--order", "4", "--k", "100", "--prove-disc", "--json"], capsys)
    d = json.loads(out)
    assert seen["exact"] is True and d["radius_standing"] == "proven"
    assert d["radius_proven"] == ["0.43211615034442", "0.43211615034443"] and d["singularity_evidence"]["radius_exact_proven"]
    assert d["k_convergence_proven"] == d["singularity_evidence"]["k_convergence_proven"]


def test_cli_states_why_R_equals_the_modulus_of_the_fold_is_not_proven(capsys, monkeypatch):
    """A disc proof whose exact step failed (substituted): the reason is on the R line and in the
    R = |s_c| line of the text, and in the JSON (radius_exact_failure, analyticity.exact_radius);
    the R line says what is proven (the interval) and what is not."""
    from cli_helpers import run_main

    from symcrit.asymptotics import singularities as sing_mod

    why = "the glue point s(t*) at distance 0.000279 from s_c is not between the hole (0.000282) and ρ' (0.000548)"
    link = {"proven": True, "radius_upper": "0.282226469910", "seconds": 3.0,
            "statement": "the fold lies on the family's branch (proven): test",
            "exact_radius": {"proven": False, "failure": why, "statement": "NOT proven that R = |s_c|: " + why}}
    whole = {"proven": True, "whole_disc": True, "r": "0.2765", "r0": "0.069", "statement": "the whole disc (test)",
             "discs": 3, "min_radius": 0.01, "max_radius": 0.05, "glued_pairs": 2, "max_eps": 1e-20, "seconds": 1.0,
             "max_abs": {"p": "0.77"}, "fold_link": link,
             "exact_radius": {"asked": True, "proven": False, "failure": why}}
    monkeypatch.setattr(sing_mod, "prove_disc", lambda fam, **kw: dict(whole))
    rc, out, err, _ = run_main(["singularities", "sk", "--prove-disc"], capsys)
    assert rc == 0, err
    line = next(ln for ln in out.splitlines() if ln.startswith("radius of convergence in s: "))
    assert line.startswith("radius of convergence in s: 0.276500000000 <= R <= 0.282226469910 (proven both sides")
    assert line.endswith("R = |s_c| is NOT proven: " + why)
    assert "R = |s_c|: NOT proven: " + why in out
    rc, out, err, _ = run_main(["singularities", "sk", "--prove-disc", "--json"], capsys)
    d = json.loads(out)
    assert d["radius_exact_proven"] is False and d["radius_exact_failure"] == why
    assert d["analyticity"]["exact_radius"]["failure"] == why and d["radius_outcome"]["outcome"] == "interval"
    rc, out, err, _ = run_main(["validate", "sk", "--order", "4", "--k", "100", "--prove-disc"], capsys)
    assert "R = |s_c| is NOT proven: " + why in out
    rc, out, err, _ = run_main(["validate", "sk", "--order", "4", "--k", "100", "--prove-disc", "--json"], capsys)
    d = json.loads(out)
    assert d["singularity_evidence"]["radius_exact_failure"] == why and d["radius_standing"] == "proven interval"


def test_the_disc_proof_estimate_counts_the_exact_step():
    """The time estimate before a disc proof is the family's measured one, larger for R = |s_c| (the
    exact step's extra discs), and twice the interval one for an unmeasured family."""
    from symcrit.cli.asymptotics import DISC_CPU, DISC_CPU_EXACT, disc_seconds
    from symcrit.cli.registry import DISC_SECONDS
    for fid in ("sk", "sk1", "sk1b", "s2"):
        assert disc_seconds(fid, 6, True) == DISC_CPU_EXACT[fid] > 1.4 * disc_seconds(fid, 6, False) == 1.4 * DISC_CPU[fid]
    assert disc_seconds("new", 4, True) == 2 * disc_seconds("new", 4, False) == 8 * DISC_SECONDS


def test_cli_singularities_of_a_family_without_a_branch_limit_is_a_user_error(capsys):
    """The closed-form families (rows exactly aligned) and families without a limit have no branch
    x(s) for the singularity analysis: a one-line error and exit 2, like ``series`` (it was a
    ZeroDivisionError traceback for rank1p)."""
    from cli_helpers import assert_user_error, run_main

    for fid, says in (("rank1p", "expansion(order)"), ("sk1x", "no limit")):
        rc, out, err, _ = run_main(["singularities", fid], capsys)
        assert_user_error(rc, out, err)
        assert says in err
