"""The series engine (symcrit.asymptotics.engine): leading powers, the certified series."""
import mpmath
import pytest

from symcrit.asymptotics.engine import compute_series, leading_powers, working_precision
from symcrit.core.errors import NotConverged
from symcrit.core.laurent import ball_mid
from symcrit.critical.families import Family, family


def test_sk1_leading_powers_and_second_coefficient():
    """sk1: a - (-1) starts at s^2 with a_2 = 2 + 8/π + 8/π² (SPEC); the ball is certified and
    contains that closed form."""
    ms, x, k = leading_powers(family("sk1"), dps=40)
    assert ms[0] == 2 and k == 10**60
    S = compute_series(family("sk1"), 3, 30)
    with mpmath.workdps(40):
        exact = 2 + 8 / mpmath.pi + 8 / mpmath.pi**2
        c = S.coefficient("a", 2)
        assert abs(ball_mid(c) - exact) < mpmath.mpf(10) ** -28 and float(c.rad()) < 1e-28
        assert S.coefficient("a", 0).contains(-1) and S.coefficient("a", 1).contains(0)


def test_a_family_without_a_limit_has_no_series():
    f = Family("nolimit", ["1", "k-1"], start=(8, ["-0.66", "0.16", "0.23", "1", "-0.026"]))
    with pytest.raises(NotConverged, match="no limit"):
        leading_powers(f)


def test_working_precision_grows_with_order_and_digits():
    assert working_precision(10, 50) > working_precision(10, 40) > 3.33 * 80
    assert working_precision(20, 40) > working_precision(10, 40)


@pytest.mark.parametrize("fid", ["sk1", "sk1b", "s2"])
def test_the_certificate_is_unconditional(fid):
    """The structural hypothesis is proven (exact row transform over Q(π, y), y symbolic), so the
    balls are enclosures without condition; the transform combines rows with rational weights."""
    S = compute_series(family(fid), 2, 20)
    c = S.certificate
    assert c["proven"] and c["conditional_on_structure"] is False
    sp = c["structure_proof"]
    assert sp["proven"] and sp["reason"] is None and sp["null_vectors"]
    assert any(len(row) > 1 for row in S.proof_data["row_transform"])
    # the certified y(0) lies in the box on which the exact proof took its branch decisions
    assert sp["box_contains_certified_y0"]


def test_recertify_with_the_same_transform_and_a_singular_one():
    """The certificate redone with the series' own row transform encloses the same coefficients;
    with the rows only scaled (no combination) the rescaled Jacobian is singular at s = 0: no proof."""
    from flint import arb

    from symcrit.asymptotics.engine import recertify
    from symcrit.core.errors import PrecisionError

    S = compute_series(family("sk1"), 3, 30)
    pd = S.proof_data
    mid = [[arb(c.mid()) for c in row] for row in pd["boxes"]]
    cert = recertify(S, pd["row_transform"], mid)
    for new_row, old_row in zip(cert["boxes"], pd["boxes"]):
        for new, old in zip(new_row, old_row):
            assert new.overlaps(old)
    scaled = [{i: (c, p)} for i, row in enumerate(pd["row_transform"]) for c, p in [row.get(i, (1, 0))]]
    assert scaled != pd["row_transform"]
    with pytest.raises(PrecisionError):
        recertify(S, scaled, mid)


def test_verify_below_the_leading_powers_says_why_not():
    """sk1 through s^1: every free parameter starts at s^2, so the truncated series make the reduced
    gradient singular; verify says so (ok None, a reason) instead of raising."""
    S = compute_series(family("sk1"), order=1, dps=30)
    v = S.verify()
    assert v["ok"] is None and "not possible at order 1" in v["reason"] and "start above s^1" in v["reason"]
    assert compute_series(family("sk1"), order=2, dps=30).verify()["ok"] is True


def test_evaluate_takes_k_exactly():
    """k = 7.5 (a float that is exactly what it prints as) is accepted; 0.1 as a float is refused."""
    from symcrit.core.errors import BadInput
    S = compute_series(family("sk"), order=3, dps=20)
    assert S.evaluate(7.5, name="F") == S.evaluate("15/2", name="F")
    with pytest.raises(BadInput):
        S.evaluate(0.1)


def test_a_closed_form_family_is_refused_with_a_pointer_to_its_expansion():
    """rank1p (W = t₊·11ᵀ): rows exactly aligned along the branch, W∞ = 0: the engine does not apply."""
    with pytest.raises(NotConverged, match=r"closed form.*expansion\(order\)"):
        leading_powers(family("rank1p"))
