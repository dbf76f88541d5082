"""Exact closed forms of the series coefficients in Q(π) (issue 15): the modular route."""
import mpmath
import pytest
import sympy
from flint import arb, fmpq

from symcrit.asymptotics.engine import compute_series
from symcrit.asymptotics.exact import arb_value, attach_exact, exact_samples, prove_forms
from symcrit.core.laurent import ball_mid
from symcrit.critical.families import family

pi = sympy.pi


@pytest.fixture(scope="module")
def sk1_8():
    S = compute_series(family("sk1"), 8, 60)
    return attach_exact(S)


def _ball_agrees(S, nm, n, expr):
    """The closed form lies in the coefficient's ball (containment, up to the 10^-110 error of
    evaluating the form at 120 digits; the balls' radii are about 10^-60)."""
    with mpmath.workdps(120):
        v = mpmath.mpf(sympy.N(expr, 120))
        ball = S.coefficient(nm, n)
        c = ball_mid(ball)
        rad = ball_mid(arb(ball.rad())) if hasattr(ball, "rad") else mpmath.mpf(0)
        return abs(v - c) <= rad + mpmath.mpf(10) ** -110


def test_sk1_known_closed_forms(sk1_8):
    S = sk1_8
    a3_known = sympy.Rational(40, 3) / pi + sympy.Rational(80, 3) / pi**2 + sympy.Rational(160, 3) / pi**3 + \
        128 / pi**4 - sympy.Rational(40, 3) / (pi - 2)
    assert sympy.simplify(S.exact_form("a", 3) - a3_known) == 0
    assert sympy.simplify(S.exact_form("a", 2) - (2 + 8 / pi + 8 / pi**2)) == 0
    assert sympy.simplify(S.exact_form("F", 3) + sympy.Rational(32, 3) / pi**4) == 0
    # partial fractions on request: the same number, written as a sum over the denominator's factors
    part = S.exact_form("a", 3, partial=True)
    assert part.is_Add and sympy.simplify(part - a3_known) == 0
    assert S.exact_info["field"] == "Q(pi)" and S.exact_info["status"] == "proven"


def test_every_coefficient_found_and_agrees_with_the_ball_at_60_digits(sk1_8):
    S = sk1_8
    assert not S.exact_info["missing"] and not S.exact_info["failed"]
    for nm in S.names + ["F"]:
        for n in range(S.order + 1):
            e = S.exact_form(nm, n)
            assert e is not None
            assert _ball_agrees(S, nm, n, e), (nm, n)


def test_closed_form_equals_independent_exact_route_at_a_rational_point(sk1_8):
    """The exact Newton over Q at P = 10/3 (the former route, no modular arithmetic) gives the
    same rationals as the closed forms evaluated at P = 10/3."""
    S = sk1_8
    smp = exact_samples(S, [fmpq(10, 3)], order=6)[0]
    P = sympy.Symbol("P")
    for nm in S.names + ["F"]:
        for n in range(7):
            v = S.exact_form(nm, n).subs(pi, P).subs(P, sympy.Rational(10, 3))
            assert sympy.Rational(int(smp[nm][n].p), int(smp[nm][n].q)) == v, (nm, n)


def test_a_wrong_closed_form_fails_the_ball_check(sk1_8):
    S = sk1_8
    num, den = S.exact_info["forms"]["a[5]"]
    ball = S.coefficient("a", 5)
    assert ball.contains(arb_value(num, den, S.prec + 64))
    a, b = num[0]
    wrong = [(a * 10**30 + b, b * 10**30)] + num[1:]  # the constant term off by 1e-30
    assert not ball.contains(arb_value(wrong, den, S.prec + 64))


def test_other_families_agree_with_their_balls():
    for fid, order in [("sk1b", 6), ("sk", 8)]:
        S = attach_exact(compute_series(family(fid), order, 60))
        assert not S.exact_info["missing"] and not S.exact_info["failed"], fid
        # the certificate is unconditional (exact row transform, rational for sk1b): the forms are proven
        pr = S.exact_info["proof"]
        assert pr["status"] == "proven" and pr["conditional_on_structure"] is False, (fid, pr.get("reason"))
        for nm in S.names + ["F"]:
            for n in range(order + 1):
                assert _ball_agrees(S, nm, n, S.exact_form(nm, n)), (fid, nm, n)


def test_global_is_a_trivial_series():
    S = attach_exact(compute_series(family("global"), 6, 60))
    assert not S.exact_info["missing"]
    assert all(S.exact_form(nm, n) is not None for nm in S.names + ["F"] for n in range(7))
    assert S.exact_form("p", 0) == 1 and S.exact_form("F", 0) == 0


def _all_forms(S):
    out = {}
    for key, form in list(S.exact_info["forms"].items()) + list(S.exact_info["forms_beyond"].items()):
        nm, n = key[:-1].split("[")
        out[(nm, int(n))] = form
    return out


def test_sk1_forms_are_proven_exactly(sk1_8):
    """Exact residual over Q(π) at the forms + the Krawczyk box: every coefficient proven."""
    pr = sk1_8.exact_info["proof"]
    assert pr["status"] == "proven" and pr["reason"] is None
    assert pr["residual_order"] >= sk1_8.order
    assert prove_forms(sk1_8, _all_forms(sk1_8))["status"] == "proven"


def test_a_tampered_numerator_fails_the_proof(sk1_8):
    S = sk1_8
    forms = _all_forms(S)
    for key in [("a", 5), ("e", 7), ("F", 4)]:
        num, den = forms[key]
        i = next(j for j, (a, _) in enumerate(num) if a != 0)
        a, b = num[i]
        # off by 10^-400 relative: inside every ball at π, so only the exact residual can see it
        tiny = forms.copy()
        tiny[key] = (num[:i] + [(a * 10**400 + 1, b * 10**400)] + num[i + 1:], den)
        res = prove_forms(S, tiny)
        assert res["status"] == "checked", key
        assert "exactly" in res["reason"], (key, res["reason"])
        # a gross change is caught too (already by the certified box at π)
        gross = forms.copy()
        gross[key] = (num[:i] + [(a + b, b)] + num[i + 1:], den)
        assert prove_forms(S, gross)["status"] == "checked", key


def test_a_missing_form_leaves_the_forms_checked(sk1_8):
    forms = _all_forms(sk1_8)
    del forms[("d", sk1_8.exact_info["proof"]["residual_order"] + 4)]
    res = prove_forms(sk1_8, forms)
    assert res["status"] == "checked" and "no closed form" in res["reason"]


def test_forked_modular_runs_give_the_same_forms():
    """Chunks in two worker processes or one after the other: the same forms, proven."""
    S1 = attach_exact(compute_series(family("sk1"), 3, 60), points=80, primes=20, chunk=600, workers=1)
    S2 = attach_exact(compute_series(family("sk1"), 3, 60), points=80, primes=20, chunk=600, workers=2)
    assert len(S2.exact_info["runs"]) >= 2
    assert S1.exact_info["forms"] == S2.exact_info["forms"]
    assert S1.exact_info["status"] == S2.exact_info["status"] == "proven"


def test_the_proof_in_one_process_agrees(sk1_8):
    """workers=1: the loss reuses the gradient's roots and arctangents (remembered by value); the
    same verdicts, and a loss form off by 10^-400 is still caught exactly."""
    S = sk1_8
    forms = _all_forms(S)
    res = prove_forms(S, forms, workers=1)
    assert res["status"] == "proven" and res["reason"] is None
    num, den = forms[("F", 6)]
    i = next(j for j, (a, _) in enumerate(num) if a != 0)
    a, b = num[i]
    tiny = forms.copy()
    tiny[("F", 6)] = (num[:i] + [(a * 10**400 + 1, b * 10**400)] + num[i + 1:], den)
    res = prove_forms(S, tiny, workers=1)
    assert res["status"] == "checked" and "loss form F[6]" in res["reason"] and "exactly" in res["reason"]


# -- s2 (field Q(√2, π)) and sk1b (an irrational row transform): proven too ---------------------
@pytest.fixture(scope="module")
def s2_4():
    return attach_exact(compute_series(family("s2"), 4, 60))


@pytest.fixture(scope="module")
def sk1b_4():
    return attach_exact(compute_series(family("sk1b"), 4, 60))


def test_s2_forms_are_proven_in_q_sqrt2_pi(s2_4):
    S = s2_4
    info = S.exact_info
    assert info["field"] == "Q(sqrt(2), pi)" and info["status"] == "proven"
    assert not info["missing"] and not info["failed"] and not info["outside_ball"]
    pr = info["proof"]
    assert pr["field"] == "Q(√2)(π)" and "Q(√2)(π)[[s]]" in pr["statement"]
    assert pr["residual_order"] >= S.order
    for nm in S.names + ["F"]:
        for n in range(S.order + 1):
            assert _ball_agrees(S, nm, n, S.exact_form(nm, n)), (nm, n)


def test_s2_needs_the_sqrt2_part(s2_4):
    """alpha[4] = A + B√2 with B ≠ 0: printed with sqrt(2), and the proof fails without B."""
    S = s2_4
    (A, B) = S.exact_info["forms"]["alpha[4]"]
    assert any(a != 0 for a, _ in B[0])
    e = S.exact_form("alpha", 4)
    assert e.has(sympy.sqrt(2)) and "sqrt(2)" in str(e) and r"\sqrt{2}" in sympy.latex(e)
    assert sympy.sympify(str(e)).equals(e)  # the JSON string parses back
    forms = _all_forms(S)
    forms[("alpha", 4)] = (A, ([(0, 1)], [(1, 1)]))
    res = prove_forms(S, forms, d=2)
    assert res["status"] == "checked" and "outside its certified box" in res["reason"]


def test_s2_tampered_sqrt2_part_fails_the_proof(s2_4):
    S = s2_4
    forms = _all_forms(S)  # proven as they are (the fixture's status)
    key = ("alpha", 4)
    A, (num, den) = forms[key]
    i = next(j for j, (a, _) in enumerate(num) if a != 0)
    a, b = num[i]
    tiny = forms.copy()
    tiny[key] = (A, (num[:i] + [(a * 10**400 + 1, b * 10**400)] + num[i + 1:], den))  # inside every ball
    res = prove_forms(S, tiny, d=2)
    assert res["status"] == "checked" and "exactly" in res["reason"], res["reason"]


def test_sk1b_forms_are_proven_and_a_perturbed_form_fails(sk1b_4):
    S = sk1b_4
    info = S.exact_info
    assert info["field"] == "Q(pi)" and info["status"] == "proven", info["proof"]
    forms = _all_forms(S)
    key = ("a", 3)
    num, den = forms[key]
    i = next(j for j, (a, _) in enumerate(num) if a != 0)
    a, b = num[i]
    tiny = forms.copy()
    tiny[key] = (num[:i] + [(a * 10**400 + 1, b * 10**400)] + num[i + 1:], den)
    res = prove_forms(S, tiny)
    assert res["status"] == "checked" and "exactly" in res["reason"], res["reason"]


def test_a_rounded_row_transform_is_replaced_by_an_exact_one(sk1b_4):
    """A row transform with a weight off by 2^-200 (as the former SVD route rounded an irrational
    null vector): as a rational it defeats the proof (the truncated system's zero is not the series);
    as a rounded ball it is rebuilt exactly from the forms and the certificate redone: proven."""
    import copy

    from flint import ctx

    S = sk1b_4
    forms = _all_forms(S)
    T = S.proof_data["row_transform"]
    r = next(t for t, row in enumerate(T) if len(row) > 1)
    j = next(iter(T[r]))
    c, p = T[r][j]
    off = [dict(row) for row in T]
    off[r][j] = (c + fmpq(1, 2**200), p)
    S_off = copy.copy(S)
    S_off.proof_data = dict(S.proof_data, row_transform=off)
    res = prove_forms(S_off, forms)
    assert res["status"] == "checked" and "exactly" in res["reason"], res["reason"]
    with ctx.workprec(300):
        ball = c.at_pi(300) + arb(2) ** -200  # an exact dyadic number: the rounded weight
    rounded = [dict(row) for row in T]
    rounded[r][j] = (ball, p)
    S_rounded = copy.copy(S)
    S_rounded.proof_data = dict(S.proof_data, row_transform=rounded)
    res = prove_forms(S_rounded, forms)
    assert res["status"] == "proven", res["reason"]
    assert res["row_transform"].startswith("exact in Q(π)")
    # one construction (structure.build_row_transform): the transform rebuilt from the Jacobian at the
    # forms is the structure proof's, built over Q(π, y)
    names = [S.names[i] for i in S.proof_data["free"]]
    want = [{names[j]: f"{c} s^{p}" for j, (c, p) in row.items()} for row in T]
    assert f"(from the forms: {want})" in res["row_transform"], res["row_transform"]


def test_a_form_with_cancellation_at_pi_is_evaluated_precisely_enough():
    """(113π − 355)^30 ≈ 1e-135 from integer coefficients up to 1e76: at 100 bits its ball is far
    wider than a box of radius 1e-150 around it; the proof's check raises the precision."""
    from flint import ctx, fmpz_poly

    from symcrit.asymptotics.exact import _at_pi_inside
    from symcrit.core.ratfun import RatFun

    f = RatFun(fmpz_poly([-355, 113]) ** 30)
    with ctx.workprec(3000):
        true = (113 * arb.pi() - 355) ** 30
        box = arb(true.mid(), arb(10) ** -150)
        off = arb(true.mid() + arb(10) ** -148, arb(10) ** -150)
    assert not box.contains(f.at_pi(100))
    assert _at_pi_inside(f, box, 100)
    assert not _at_pi_inside(f, off, 100)
