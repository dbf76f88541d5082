"""symcrit.asymptotics.eigseries: every printed coefficient of a Hessian eigenvalue series is a ball
(proven on the ball ring, conditional on the series certificate) and is checked against the eigenvalue
computed directly at k = 10^16; a wrong coefficient fails that check."""
import json

import mpmath
import pytest
from flint import arb

from symcrit.asymptotics import eigseries as E
from symcrit.critical.families import family
from symcrit.spectra.hessian import spectrum

ORDER, DPS = 6, 30


@pytest.fixture(scope="module")
def sk1_v2():
    """sk1's V_2: a clustered pair (separating at s^1), a simple root and a root growing like k."""
    return E.eigenvalue_series(family("sk1"), order=ORDER, dps=DPS, components=["V_2"])["V_2"]


def _value(txt):
    return mpmath.mpf(0) if txt.startswith("±") else mpmath.mpf(txt)


def test_every_printed_coefficient_is_proven_and_checked(sk1_v2):
    assert len(sk1_v2) == 5 and all(r["expanded"] for r in sk1_v2)
    for r in sk1_v2:
        assert [t["power"] for t in r["terms"]] == list(range(r["leading_power"], r["leading_power"] + ORDER + 1))
        assert r["coefficients"] == [t["value"] for t in r["terms"]]
        assert r["evidence"] == f"proven: {ORDER + 1} of {ORDER + 1}"
        assert r["conditional_on"][0].startswith("the certificate of the critical point's series")
        for t in r["terms"]:
            assert t["evidence"] == "proven" and t["check"]["ok"] is True
            assert float(t["check"]["deviation"]) <= float(t["check"]["tolerance"])
            assert float(t["radius"]) < 1e-60
            # a ball prints as '0' only when it is the exact zero, as '±r' when it contains 0
            if not t["value"].startswith("±") and t["value"] != "0":
                assert len(t["value"].lstrip("-0.").replace(".", "")) >= 2
    pair = [r for r in sk1_v2 if r.get("separation_power") == 1]
    assert len(pair) == 2 and all(any("H_disc" in h for h in r["conditional_on"]) for r in pair)
    json.dumps(sk1_v2)  # the records are JSON


def test_the_balls_hold_the_closed_forms_and_the_spectrum(sk1_v2):
    """Independent routes: the pair's limit 1/4 − 1/(2π) and its s-term −1/π² (derived by hand in the
    README) lie in the printed digits; at k = 10^4 the truncated series meets the spectrum by symmetry
    within 40 s^7 for the bounded eigenvalues."""
    with mpmath.workdps(40):
        lam0 = mpmath.mpf(1) / 4 - 1 / (2 * mpmath.pi)
        pair = sorted((r for r in sk1_v2 if r.get("separation_power") == 1), key=lambda r: _value(r["coefficients"][1]))
        assert all(abs(_value(r["coefficients"][0]) - lam0) < 1e-29 for r in pair)
        assert abs(_value(pair[0]["coefficients"][1]) + 1 / mpmath.pi ** 2) < 1e-29
        k = 10 ** 4
        sv = mpmath.mpf(k) ** -0.5
        nums = spectrum(family("sk1").solve(k, dps=40, verify=False), components=["V_2"]).components[0].eigenvalues
        for r in sk1_v2:
            val = sum(_value(c) * sv ** (r["leading_power"] + j) for j, c in enumerate(r["coefficients"]))
            assert min(abs(val - x) for x in nums) < 40 * sv ** (r["leading_power"] + ORDER + 1)


def test_check_terms_catches_a_perturbed_coefficient():
    """λ(s) = 1/(1 − s)² = Σ (j + 1) s^j at s = 10^-8: every coefficient passes; one printed coefficient
    moved by ten times its tolerance fails, alone; a wrong coefficient in the partial sums fails too."""
    with mpmath.workdps(120):
        s = mpmath.mpf(10) ** -8
        lam = 1 / (1 - s) ** 2
        mids = [mpmath.mpf(j + 1) for j in range(ORDER + 4)]
        printed = [str(j + 1) for j in range(ORDER + 1)]
        eps = mpmath.mpf(10) ** -100
        good = E.check_terms((lam, eps), s, 0, mids, printed)
        assert all(c["ok"] for c in good)
        bad = list(printed)
        tol = good[3]["tolerance"]
        bad[3] = mpmath.nstr(4 + 10 * tol, 20)
        res = E.check_terms((lam, eps), s, 0, mids, bad, halfs=[mpmath.mpf(0)] * len(bad))
        assert [c["ok"] for c in res] == [True, True, True, False, True, True, True]
        wrong = list(mids)
        wrong[2] += mpmath.mpf(10) ** -6
        res = E.check_terms((lam, eps), s, 0, wrong, printed)
        assert res[3]["ok"] is False          # the remainder after subtracting the wrong c2
        # the same series with leading power -2 (an eigenvalue growing like k)
        assert all(c["ok"] for c in E.check_terms((lam / s ** 2, eps / s ** 2), s, -2, mids, printed))


def test_a_wrong_ball_is_caught_and_not_reported_as_proven(monkeypatch):
    """Shift one ball of the proof by 1e-6: the direct check at k = 10^16 rejects that coefficient
    (and the later ones, whose remainders subtract it), labelled estimated with the conflict, never
    proven."""
    real = E._prove_records

    def shifted(*a, **kw):
        out = real(*a, **kw)
        for key, val in out.items():
            if isinstance(val, tuple):
                balls = list(val[0])
                balls[2] = balls[2] + arb("1e-6")
                out[key] = (balls, val[1])
        return out

    monkeypatch.setattr(E, "_prove_records", shifted)
    ev = E.eigenvalue_series(family("sk1"), order=ORDER, dps=DPS, components=["[p-2,2]_2"])["[p-2,2]_2"]
    (r,) = ev
    # the higher remainders subtract the wrong c2 as well: they fail with it
    assert [t["evidence"] for t in r["terms"]] == ["proven", "proven"] + ["estimated"] * 5
    assert "conflict" in r["terms"][2] and r["evidence"] == "proven: 2 of 7, estimated: 5 of 7"


def test_without_the_ball_route_each_coefficient_is_checked_to_its_tolerance():
    """prove=False: the numeric series, each coefficient checked against the direct eigenvalue and
    printed with only the digits its tolerance supports; the proven balls (other test) agree."""
    ev = E.eigenvalue_series(family("sk1"), order=ORDER, dps=DPS, components=["[p-2,2]_2"], prove=False)
    (r,) = ev["[p-2,2]_2"]
    assert r["proof"] == "not attempted" and r["conditional_on"] == []
    for t in r["terms"]:
        assert t["evidence"] == "checked" and t["check"]["ok"]
        tol = mpmath.mpf(t["tolerance"])
        if t["value"].startswith("±"):   # a bound |c| <= r no smaller than what the check measured
            assert mpmath.mpf(t["check"]["deviation"]) <= mpmath.mpf(t["value"][1:]) < 1e-6
        else:
            # no digit below the tolerance
            digits = len(t["value"].lstrip("-").replace(".", "").lstrip("0").split("e")[0])
            assert mpmath.mpf(10) ** (-digits) * abs(mpmath.mpf(t["value"])) >= tol / 100
    with mpmath.workdps(30):
        c2 = mpmath.mpf(r["coefficients"][2])
        assert abs(c2 + 1 / mpmath.pi) <= mpmath.mpf(r["terms"][2]["tolerance"])  # −1/π: the bulk's gap
