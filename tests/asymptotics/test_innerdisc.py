"""The inner disc |s| <= r0: the series branch proven analytic around s = 0 (k = ∞)."""
import copy

import mpmath
import pytest
from flint import acb, arb, ctx as flint_ctx

from symcrit.asymptotics.engine import compute_series
from symcrit.asymptotics.innerdisc import prove_inner_disc
from symcrit.critical.families import family


@pytest.fixture(scope="module")
def sk_series():
    return compute_series(family("sk"), order=8, dps=30)


@pytest.fixture(scope="module")
def sk_inner(sk_series):
    return prove_inner_disc(family("sk"), 0.05, S=sk_series)


def test_sk_inner_disc_is_proven_and_encloses_the_real_critical_point(sk_inner):
    res = sk_inner
    assert res["proven"] is True and res["failure"] is None, res["failure"]
    assert res["contraction"] < 1 and res["eps"] < 1e-10 and res["seconds"] < 30
    br = res["branch"]
    # at k = 400 (s = 1/20 = r0 on the real axis) the certified real critical point lies in
    # x∞ + s^m (ŷ(s) + the proven enclosure): independent route (mpmath Newton + Krawczyk)
    fam = family("sk")
    cp = fam.solve(400, dps=50, verify=False)
    with flint_ctx.workprec(192):
        s = acb(arb(1) / 20)
        for i, (c, lim) in enumerate(zip(br.centre(s), fam.limit)):
            with mpmath.workdps(50):
                y = arb(mpmath.nstr((mpmath.mpf(cp.values[i]) - lim) * 400, 45))   # (x - x∞)/s², m = 2
            d = abs(c - y)
            assert d < br.enclosure[i] + arb("1e-40")
            assert d > br.enclosure[i] / 1e6        # the enclosure is not vacuous either
        # the polydisc is a uniqueness region: the branch's own point is inside, a far point is not
        X = br.x_box(s)
        assert br.inside([acb(x.mid()) for x in X], s)
        assert not br.inside([x + arb("1e-3") for x in X], s)


def test_refuses_without_the_structure_proof(sk_series):
    S = copy.copy(sk_series)
    S.certificate = dict(sk_series.certificate, structure_proof={"proven": False})
    res = prove_inner_disc(family("sk"), 0.05, S=S)
    assert res["proven"] is False and "structural hypothesis is not proven" in res["failure"]
    bypass = prove_inner_disc(family("sk"), 0.05, S=S, require_structure=False)
    assert bypass["proven"] is False and "bypassed" in bypass["failure"]


def test_fails_with_a_wrong_transform_or_a_wrong_polynomial(sk_series):
    fam = family("sk")
    T = [{0: (1, -1)}, {1: (1, 0)}]          # row 0 divided by s: its s^-1 Jacobian is not zero
    res = prove_inner_disc(fam, 0.05, S=sk_series, transform=T)
    assert res["proven"] is False and "NotAnalytic" in res["failure"]
    yhat = [[acb(b.mid()) + (acb("0.01") if n == 0 else 0) for n, b in enumerate(box)]
            for box in sk_series.proof_data["boxes"]]
    bad = prove_inner_disc(fam, 0.05, S=sk_series, yhat=yhat, newton_steps=0)
    assert bad["proven"] is False and "Krawczyk" in bad["failure"]
    # the same polynomial, corrected by Newton's method on series, is proven again
    assert prove_inner_disc(fam, 0.05, S=sk_series, yhat=yhat, newton_steps=3)["proven"] is True


def test_the_disc_must_not_reach_the_singularity(sk_series):
    """sk's nearest fold is at |s| = 0.432: a disc beyond it cannot be proven."""
    res = prove_inner_disc(family("sk"), 0.45, S=sk_series)
    assert res["proven"] is False
