"""The series engine: SPEC §4 coefficients, verification, precision, validation, exact forms."""
import mpmath
import pytest
import sympy
from flint import arb

from symcrit.asymptotics.series import series, validate
from symcrit.critical.families import family

pi = mpmath.pi


@pytest.fixture(scope="module")
def sk1():
    return series(family("sk1"), order=12, dps=40)


def _close(ball, value, tol):
    from symcrit.core.laurent import ball_mid
    return abs(ball_mid(ball) - value) < tol


def test_spec_leading_terms(sk1):
    """SPEC §4: a = -1 + (2 + 8/π + 8/π²)s² + c₃ s³, b = (4/π)s² + (32/π³)s³, c = 2s² - (2 + 8/π)s⁴,
    d = 1 + (8/π)s⁴, e = -(4/π)s⁴ - (32/π³)s⁵, kF = (1/2 - 2/π²) - 32/(3π⁴) s.  Tolerance 1e-30:
    the balls guarantee about 40 digits."""
    with mpmath.workdps(50):
        t = mpmath.mpf(10) ** -30
        C = sk1.coefficients
        assert sk1.leading_powers == {"a": 2, "b": 2, "c": 2, "d": 4, "e": 4}
        assert _close(C["a"][0], -1, t) and _close(C["a"][2], 2 + 8 / pi + 8 / pi**2, t)
        assert _close(C["a"][3], mpmath.mpf("-1.69943168127759"), 1e-13)
        assert _close(C["b"][2], 4 / pi, t) and _close(C["b"][3], 32 / pi**3, t)
        assert _close(C["c"][2], 2, t) and _close(C["c"][3], 0, t) and _close(C["c"][4], -(2 + 8 / pi), t)
        assert _close(C["d"][4], 8 / pi, t)
        assert _close(C["e"][4], -4 / pi, t) and _close(C["e"][5], -32 / pi**3, t)
        F = sk1.loss_coefficients
        assert _close(F[2], mpmath.mpf(1) / 2 - 2 / pi**2, t) and _close(F[3], -32 / (3 * pi**4), t)


def test_verify_residual_starts_beyond_the_order(sk1):
    v = sk1.verify()
    assert v["ok"]
    assert all(val == 13 for val in v["correction_valuation"].values())
    assert sk1.certificate["proven"]


@pytest.mark.parametrize("fid", ["sk1", "sk1b", "sk", "s2", "global"])
def test_balls_at_two_precisions_overlap(fid):
    """Certified balls at 40 and 60 digits must overlap (no tolerance): both enclose the same
    true coefficients."""
    a_s = series(family(fid), order=12, dps=40)
    b_s = series(family(fid), order=12, dps=60)
    assert a_s.certificate["proven"] and b_s.certificate["proven"]
    for nm in a_s.names + ["F"]:
        for n in range(13):
            a, b = a_s.coefficient(nm, n), b_s.coefficient(nm, n)
            assert a.rad() < arb("1e-35")
            assert a.overlaps(b), (fid, nm, n)


def test_balls_contain_the_exact_closed_form():
    """sk1 a_3 = 40/(3π) + 80/(3π²) + 160/(3π³) + 128/π⁴ − 40/(3(π − 2)) lies in the ball."""
    from flint import ctx
    S = series(family("sk1"), order=3, dps=40)
    with ctx.workprec(600):
        p = arb.pi()
        a3 = 40 / (3 * p) + 80 / (3 * p**2) + 160 / (3 * p**3) + 128 / p**4 - 40 / (3 * (p - 2))
        a2 = 2 + 8 / p + 8 / (p * p)
        assert S.coefficient("a", 3).contains(a3) and S.coefficient("a", 2).contains(a2)
        assert S.coefficient("F", 3).contains(-arb(32) / (3 * p**4))


def test_printed_digits_are_guaranteed():
    """Every digit Series.value prints at 40 digits agrees with a 120-digit run (half a unit of the
    last printed digit)."""
    lo = series(family("sk1"), order=12, dps=40)
    hi = series(family("sk1"), order=12, dps=120)
    for nm in lo.names + ["F"]:
        for n in range(13):
            txt = lo.value(nm, n, 150)
            if txt.startswith("±"):
                assert lo.coefficient(nm, n).contains(0)
                continue
            with mpmath.workdps(200):
                v = mpmath.mpf(txt)
                d = len(txt.lstrip("-").replace(".", "").lstrip("0").split("e")[0])
                unit = mpmath.mpf(10) ** (int(mpmath.floor(mpmath.log10(abs(v)))) - d + 1) if v != 0 else 0
                from symcrit.core.laurent import ball_mid
                assert abs(v - ball_mid(hi.coefficient(nm, n))) <= unit / 2 + ball_mid(arb(hi.coefficient(nm, n).rad()))


def test_global_order_2_exact_and_verify():
    S = series(family("global"), order=2, exact=True)
    v = S.verify()
    assert v["ok"] and v["fixed"] == ["p", "q"]
    assert [str(e) for e in S.exact["p"]] == ["1", "0", "0"]


def test_display_shows_every_order():
    S = series(family("sk1"), order=8, dps=30)
    tex = S._repr_latex_()
    assert "s^{8}" in tex and "O(s^{9})" in tex and "O(s^{8})" not in tex


def test_truncation_error_decays_like_the_next_power():
    """At k = 1e6 (s = 1e-3) the error of the order-N truncation is about |c_(N+1)| s^(N+1); the
    coefficients grow at most like 4^n here, so errors fall by at least 1e-3*4 per order."""
    S = series(family("sk1"), order=12, dps=40)
    cp = family("sk1").solve(10**6, dps=60, verify=False)
    errs = []
    with mpmath.workdps(60):
        for N in (4, 8, 12):
            ev = S.evaluate(10**6, order=N)
            errs.append(max(abs(ev[n] - cp.params[n]) for n in S.names))
    assert errs[1] < errs[0] * 1e-8 and errs[2] < errs[1] * 1e-8


@pytest.mark.parametrize("fid,limitF", [("sk", 0.5 - 1 / 3.141592653589793), ("sk1b", 0.5 - 1 / 3.141592653589793),
                                        ("s2", 0.0)])
def test_other_families_verify(fid, limitF):
    S = series(family(fid), order=8, dps=30)
    assert S.verify()["ok"]
    from symcrit.core.laurent import ball_mid
    assert abs(ball_mid(S.coefficient("F", 0)) - limitF) < 1e-14


def test_s2_is_two_sk1_flips_at_leading_order():
    S = series(family("s2"), order=4, dps=30)
    F2 = float(S.value("F", 2, 20))
    assert abs(F2 - 2 * (0.5 - 2 / 3.141592653589793**2)) < 1e-14


def test_global_is_trivial():
    S = series(family("global"), order=5, dps=30)
    assert [float(S.value("p", n)) for n in range(6)] == [1, 0, 0, 0, 0, 0]
    assert all(float(S.value("F", n)) == 0 for n in range(6))


def test_validation_verdict_sk1():
    """The sk1 series is only asymptotic at k = 6 (radius in s about 0.33 < s(6) = 0.408) and
    converges at k = 20, where s/ρ ≈ 0.68: fourteen more orders gain about 0.68^14 ≈ 5e-3."""
    res = validate(family("sk1"), 16, [6, 20], dps=30)
    v = res["verdict"]
    assert v["converges"] is False and 0.25 < v["radius_estimate"] < 0.4
    row20 = res["rows"][1]
    assert row20["param_error"][16] < 2e-2 * row20["param_error"][2]


def test_exact_coefficients_in_Q_pi():
    """c3 of a is not a polynomial in 1/π: it has a (π - 2) denominator.  The closed forms are
    checked against the 40-digit balls at π inside attach_exact; here against SPEC's number."""
    S = series(family("sk1"), order=3, dps=40, exact=True)
    assert S.exact_info["field"] == "Q(pi)" and not S.exact_info["failed"]
    a2, a3 = S.exact["a"][2], S.exact["a"][3]
    assert sympy.simplify(a2 - (2 + 8 / sympy.pi + 8 / sympy.pi**2)) == 0
    assert (sympy.pi - 2) in sympy.denom(sympy.factor(sympy.together(a3))).atoms(sympy.Add)
    assert abs(float(a3) - (-1.69943168127759)) < 1e-12
    assert sympy.simplify(S.loss_exact[3] + sympy.Rational(32, 3) / sympy.pi**4) == 0


def test_json_value_plus_minus_error_encloses_the_exact_coefficient():
    """to_dict prints each coefficient to the digits its ball guarantees (at most dps) and an error
    that bounds |true − value| — not the ball's radius alone, which is far smaller than the rounding
    to dps digits (the audit found [value ± radius] missing the coefficient for 228 of 243 sk1
    coefficients at order 40)."""
    from fractions import Fraction

    S = series(family("sk1"), order=6, dps=20, exact=True)
    d = S.to_dict()
    n_checked = 0
    with mpmath.workdps(80):
        for nm, terms in list(d["params"].items()) + [("F", d["loss"])]:
            for t in terms:
                assert t["exact"] is not None
                if t["value"].startswith("±"):
                    continue
                true = mpmath.mpf(sympy.N(sympy.sympify(t["exact"]), 80))
                gap = abs(true - mpmath.mpf(t["value"]))
                err = Fraction(t["error"])
                assert gap <= mpmath.mpf(err.numerator) / err.denominator
                n_checked += 1
                # and the error is not vacuous: at most one unit of the printed value's last digit
                assert t["error"] <= 10 * float(mpmath.mpf(10) ** (mpmath.floor(mpmath.log10(abs(mpmath.mpf(t["value"])))) - 19))
    assert n_checked > 20


def test_validate_with_a_whole_disc_proof_makes_the_tail_bound_proven(monkeypatch):
    """With analyticity proven on the whole disc |s| <= r (inner disc and annulus glued; here the
    disc proof's result is substituted to keep the test short), the tail bounds are proven and the
    verdict says R >= r; with the annulus only they stay checked."""
    from symcrit.asymptotics import singularities as sing_mod

    whole = {"proven": True, "whole_disc": True, "r": "0.42", "r0": "0.05", "statement": "the whole disc (test)",
             "max_abs": {"p": "0.77", "q": "0.51"}}
    monkeypatch.setattr(sing_mod, "prove_disc", lambda fam, **kw: dict(whole))
    res = validate(family("sk"), 6, [100], dps=30, enclosures=False, analyticity=True)
    tb = res["rows"][0]["tail_bound"]
    assert tb["proven"] is True and res["error_standing"]["tail_bound"].startswith("proven")
    assert res["singularity_evidence"]["none_nearer_proven"] is True
    # the coefficient growth is reported beside the proven singularity, as an estimate
    assert res["cross_check"]["estimated"].startswith("Padé") and set(res["cross_check"]["by_parameter"]) == {"p", "q"}
    # r = 0.42 (a float, 0.41999999999999998...) rounded down: "R >= 0.42" would claim more than is proven
    assert "proven: the branch is analytic on the closed disc |s| <= 0.419999" in res["verdict"]["text"]
    assert res["rows"][0]["param_error"][-1] <= tb["bound"]
    monkeypatch.setattr(sing_mod, "prove_disc", lambda fam, **kw: dict(whole, whole_disc=False))
    res = validate(family("sk"), 6, [100], dps=30, enclosures=False, analyticity=True)
    assert res["rows"][0]["tail_bound"]["proven"] is False
    assert res["error_standing"]["tail_bound"].startswith("checked")
    assert "proven: the branch is analytic" not in res["verdict"]["text"]


def test_series_api_has_singularities_and_its_repr_says_what_is_proven():
    """``Series.singularities()`` (the issue's API name) gives the proven fold and R; the repr renders
    the certificate and the exact forms' standing from the computed facts."""
    S = series(family("sk"), order=8, dps=30)
    assert "balls proven (Krawczyk)" in repr(S) and "exact forms" not in repr(S)
    d = S.singularities()
    assert d["singularities"][0]["certified"] is True and d["radius"].startswith("0.4321161503444")
    assert set(d["cross_check"]) >= {"estimated"}
    S.certificate = dict(S.certificate, proven=False)   # what an uncertified series would say
    try:
        assert "NOT proven" in repr(S)
    finally:
        S.certificate = dict(S.certificate, proven=True)
    E = series(family("sk1"), order=3, dps=40, exact=True)
    assert repr(E).endswith("exact forms: 24/24 in Q(pi), proven>")


def test_the_verdict_states_the_exact_radius_alone_when_it_is_proven():
    """With R = |s_c| proven the verdict says so (and k_c's proven interval), without first stating
    the weaker 'that none is nearer is checked' it supersedes; otherwise it keeps each standing."""
    from symcrit.asymptotics import series as series_mod

    sing = {"radius": "0.43211615034442359974", "k_convergence": "5.35548741701974", "none_nearer_checked": True,
            "singularities": [{"s": ["-0.2429", "0.3681"], "k": ["-1.74417", "5.06351"], "certified": True}],
            "none_nearer_proven": True, "radius_lower_proven": "0.423473827337",
            "radius_upper_proven": "0.432116150345", "radius_exact_proven": True,
            "radius_proven": ["0.43211615034442", "0.43211615034443"],
            "k_convergence_proven": ["5.3554874170195", "5.3554874170199"]}
    text = series_mod._radius_sentence(sing)
    assert "checked" not in text
    assert "proven: R = |s_c| in [0.43211615034442, 0.43211615034443]" in text
    assert text.endswith("k_c in [5.3554874170195, 5.3554874170199]")
    sing.update(radius_exact_proven=False, radius_exact_failure="the glue point (test)")
    text = series_mod._radius_sentence(sing)
    assert "that none is nearer is checked" in text and "R lies in [0.423473, 0.432117]" in text
    assert text.endswith("R = |s_c| is NOT proven: the glue point (test)")
