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


def _coef(c):
    """A printed series coefficient as a number: a ball around 0 ('±r') counts as 0."""
    return mpmath.mpf(0) if c.startswith("±") else mpmath.mpf(c)


def _tiny(c, r=1e-60):
    """The coefficient is the exact 0 or a ball around 0 of radius below r."""
    return c == "0" or (c.startswith("±") and float(c[1:]) < r)


def test_eigenvalue_series_of_the_bulk():
    """sk1's bulk eigenvalues: 1/4 ∓ 1/(2π) - (1/π) s² + …, i.e. the -1/(πk) gap to the global
    minimum; the truncated series agrees with the spectrum by symmetry at k = 1e4 to order s^7."""
    from symcrit.asymptotics.eigseries import eigenvalue_series
    ev = eigenvalue_series(family("sk1"), order=6, dps=30, components=["[p-2,1,1]_2", "[p-2,2]_2"])
    lo, hi = ev["[p-2,1,1]_2"][0], ev["[p-2,2]_2"][0]
    with mpmath.workdps(30):
        assert lo["expanded"] and hi["expanded"]
        assert abs(mpmath.mpf(lo["coefficients"][0]) - (mpmath.mpf(1) / 4 - 1 / (2 * mpmath.pi))) < 1e-25
        assert abs(mpmath.mpf(hi["coefficients"][0]) - (mpmath.mpf(1) / 4 + 1 / (2 * mpmath.pi))) < 1e-25
        for e in (lo, hi):
            assert e["coefficients"][1] == "0"
            assert abs(mpmath.mpf(e["coefficients"][2]) + 1 / mpmath.pi) < 1e-25
        k = 10**4
        sv = mpmath.mpf(k) ** -0.5
        sp = spectrum(family("sk1").solve(k, dps=30, verify=False), components=["[p-2,1,1]_2"])
        val = sum(_coef(c) * sv**j for j, c in enumerate(lo["coefficients"]))
        assert abs(val - sp.components[0].eigenvalues[0]) < 1e-13  # |c7| s^7 with |c7| < 1e1


def test_eigenvalue_series_of_a_clustered_pair():
    """sk1's V_2 has two eigenvalues → 1/4 − 1/(2π) that separate at order s: they are expanded by a
    quadratic factor of the characteristic polynomial (Newton on series) and the square root of its
    discriminant.  One starts −(1/π²) s, the other has no s, s², s³ terms.  Checked against the
    spectrum by symmetry at k = 10^4 and 10^6: the truncation error is c7 s^7 with |c7| < 40 (observed
    33), so 1e-12 and 1e-19 hold with margin, and the tenfold-in-s drop shows the order."""
    from symcrit.asymptotics.eigseries import eigenvalue_series
    ev = eigenvalue_series(family("sk1"), order=6, dps=30, components=["V_2"])["V_2"]
    pair = [e for e in ev if e.get("separation_power") == 1]
    assert len(pair) == 2 and all(e["expanded"] for e in pair)
    with mpmath.workdps(30):
        lam0 = mpmath.mpf(1) / 4 - 1 / (2 * mpmath.pi)
        for e in pair:
            assert abs(mpmath.mpf(e["coefficients"][0]) - lam0) < 1e-25
        a, b = sorted(pair, key=lambda e: _tiny(e["coefficients"][1]))
        assert abs(mpmath.mpf(a["coefficients"][1]) + 1 / mpmath.pi ** 2) < 1e-25
        # no s, s², s³ terms: balls around 0 of radius < 1e-60 (proven bounds, not proven zeros)
        assert all(_tiny(c) for c in b["coefficients"][1:4]) and not _tiny(b["coefficients"][4])
    with mpmath.workdps(40):
        for k, tol in ((10**4, 1e-12), (10**6, 1e-19)):
            nums = spectrum(family("sk1").solve(k, dps=40, verify=False), components=["V_2"]).components[0].eigenvalues
            sv = mpmath.mpf(k) ** -0.5
            for e in pair:
                val = sum(_coef(c) * sv**j for j, c in enumerate(e["coefficients"]))
                assert min(abs(val - x) for x in nums) < tol


def test_eigenvalue_series_of_the_growing_eigenvalues():
    """The eigenvalues growing like k are expanded on the scaled pencil (μ = λ s²): at the global
    minimum the trivial component has k/(2π) + … and k/4 + …, V_1 has k/4 + 1/4 + ….  Leading
    coefficients to 25 digits; the truncated series (powers s^-2 … s^2, error O(s^3) with coefficients
    < 10, observed 1e-15 since odd powers vanish) within 1e-8 of the spectrum by symmetry at k = 10^6."""
    from symcrit.asymptotics.eigseries import eigenvalue_series
    ev = eigenvalue_series(family("global"), order=4, dps=30)
    grow = {name: [e for e in rows if e["leading_power"] == -2] for name, rows in ev.items()}
    assert [len(grow[n]) for n in ("trivial", "V_1")] == [2, 1]
    assert all(e["expanded"] for rows in ev.values() for e in rows)
    with mpmath.workdps(40):
        lead = sorted(mpmath.mpf(e["coefficients"][0]) for e in grow["trivial"])
        assert abs(lead[0] - 1 / (2 * mpmath.pi)) < 1e-25 and abs(lead[1] - mpmath.mpf(1) / 4) < 1e-25
        assert all(e["coefficients"][1] == "0" for e in grow["trivial"] + grow["V_1"])
        k = 10**6
        sv = mpmath.mpf(k) ** -0.5
        sp = spectrum(family("global").solve(k, dps=40, verify=False))
        for name, rows in ev.items():
            nums = next(c for c in sp.components if c.name == name).eigenvalues
            for e in rows:
                val = sum(_coef(c) * sv ** (e["leading_power"] + j) for j, c in enumerate(e["coefficients"]))
                assert min(abs(val - x) for x in nums) < 1e-8


def test_eigenvalue_series_of_the_extra_columns():
    """d > k: the extra input columns' eigenvalues as series.  At the global minimum they are
    known in closed form (D = 1/2, O = 1/4 on each extra column, so 1/4 and k/4 + 1/4); for sk the
    truncated series (order 6: powers v … v + 6, error O(s^(v+7)) with coefficients < 10) meets the
    spectrum by symmetry with d = k + 1 at k = 10^4 within 10 s^(v+7) (observed 4e-14 for v = 0,
    7.5e-11 for the growing one, v = -2)."""
    from symcrit.asymptotics.eigseries import eigenvalue_series
    ev = eigenvalue_series(family("global"), order=3, dps=30, components=["extra:trivial", "extra:V_1"],
                           extra_columns=True)
    assert ev["extra:V_1"][0]["coefficients"] == ["0.25", "0", "0", "0"]
    assert ev["extra:trivial"][0]["leading_power"] == -2
    assert ev["extra:trivial"][0]["coefficients"] == ["0.25", "0", "0.25", "0"]
    names = ["extra:trivial", "extra:V_1"]
    ev = eigenvalue_series(family("sk"), order=6, dps=30, components=names, extra_columns=True)
    k = 10**4
    with mpmath.workdps(40):
        sp = spectrum(family("sk").solve(k, dps=40, verify=False), d=k + 1)
        sv = mpmath.mpf(k) ** -0.5
        for name in names:
            nums = next(c for c in sp.components if c.name == name).eigenvalues
            for e in ev[name]:
                assert e["expanded"]
                val = sum(_coef(c) * sv ** (e["leading_power"] + j) for j, c in enumerate(e["coefficients"]))
                assert min(abs(val - x) for x in nums) < 10 * sv ** (e["leading_power"] + 7)
