"""Families: SPEC checkpoints, precision, branch tracking, certification, errors."""
from fractions import Fraction

import mpmath
import pytest

from symcrit import StudentTeacher
from symcrit.core.errors import NotConverged, OutOfRange, UnknownFamily, BadInput
from symcrit.critical.families import families, family, register_family, unregister_family
from symcrit.spectra.hessian import spectrum

IDS = ["global", "sk1", "sk1b", "sk", "s2", "sk1x"]


def test_registry():
    assert [f.id for f in families()] == IDS
    with pytest.raises(UnknownFamily, match="unknown family 'nope'"):
        family("nope")


def test_sk1_checkpoints():
    """SPEC §3: F(k=6) = 0.0250805810025…, F(k=20) = 0.0112755819476…"""
    f = family("sk1")
    assert f.solve(6, dps=40).loss_str(12) == "0.0250805810025"
    assert f.solve(20, dps=40).loss_str(12) == "0.0112755819476"


def test_limits_at_huge_k():
    """k F -> 1/2 - 2/pi^2 for sk1 (twice that for s2: two independent flips), F -> 1/2 - 1/pi for
    sk and sk1b.  SPEC §4: kF = L - 32/(3 pi^4) s + O(s^2); at k = 1e20, s = 1e-10, so |kF - L| is
    about 1.1e-11: the tolerance 1e-9 is 100 times that and 1e8 times smaller than L."""
    k = 10**20
    with mpmath.workdps(30):
        L = mpmath.mpf(1) / 2 - 2 / mpmath.pi**2
        assert abs(family("sk1").solve(k, dps=30).loss * k - L) < 1e-9
        assert abs(family("s2").solve(k, dps=30).loss * k - 2 * L) < 1e-9  # stays on its branch
        for fid in ("sk", "sk1b"):
            # F = 1/2 - 1/pi + O(s): at s = 1e-10 the difference is ~1e-10
            assert abs(family(fid).solve(k, dps=30).loss - (mpmath.mpf(1) / 2 - 1 / mpmath.pi)) < 1e-8


def test_global_is_exactly_the_identity():
    cp = family("global").solve(9, dps=50)
    assert abs(cp.params["p"] - 1) < mpmath.mpf(10) ** -60 and abs(cp.params["q"]) < mpmath.mpf(10) ** -60
    assert abs(cp.loss) < mpmath.mpf(10) ** -50


def test_sk_asymptotics():
    """SPEC §3: p ≈ -1 + 2/k, q ≈ 2/k; the corrections are O(k^-3/2), so at k = 1e6 the
    differences are < 1e-8 (with a margin of 10 on an O(1) constant)."""
    k = 10**6
    cp = family("sk").solve(k, dps=30)
    assert abs(cp.params["p"] - (-1 + mpmath.mpf(2) / k)) < 1e-8
    assert abs(cp.params["q"] - mpmath.mpf(2) / k) < 1e-8


@pytest.mark.parametrize("fid", IDS)
def test_every_family_k6_to_20_residual_and_certificate(fid):
    f = family(fid)
    dps = 30
    for k in range(max(6, f.k_min), 21):
        cp = f.solve(k, dps=dps)
        assert cp.residual_method == "full"
        assert cp.gradient_residual < mpmath.mpf(10) ** (5 - dps)
        cp.certify()
        assert cp.certified, (k, cp.certificate)
        assert cp.radius >= mpmath.mpf(10) ** (-dps + 5)


def test_full_space_gradient_is_independent_of_the_reduced_route():
    cp = family("s2").solve(11, dps=40)
    with mpmath.workdps(50):
        G = StudentTeacher(11).gradient(cp.W)
    assert max(abs(v) for v in G.ravel()) < mpmath.mpf(10) ** -35


@pytest.mark.parametrize("fid,k", [("sk1", 6), ("s2", 13), ("sk", 9), ("sk1b", "10.5")])
def test_two_precisions_agree(fid, k):
    a = family(fid).solve(k, dps=30)
    b = family(fid).solve(k, dps=90)
    for n in a.params:
        assert abs(a.params[n] - b.params[n]) < mpmath.mpf(10) ** -30
    assert abs(a.loss - b.loss) < mpmath.mpf(10) ** -30


def test_high_precision_1000_digits():
    cp = family("sk1").solve(7, dps=1000)
    assert cp.gradient_residual < mpmath.mpf(10) ** -995
    assert len(cp.loss_str()) > 990


def test_real_k_is_continuous():
    f = family("sk1")
    a, m, b = f.solve(7, dps=30), f.solve("7.5", dps=30), f.solve(8, dps=30)
    for n in a.params:
        assert min(a.params[n], b.params[n]) - 1e-3 < m.params[n] < max(a.params[n], b.params[n]) + 1e-3
    assert m.residual_method == "orbits"
    with pytest.raises(ValueError):
        m.W  # no matrix at non-integer k


def test_out_of_range_and_bad_arguments():
    with pytest.raises(OutOfRange, match="k >= 4"):
        family("s2").solve(3)
    with pytest.raises(OutOfRange):
        family("sk1").solve(6, dps=5)
    with pytest.raises(OutOfRange):
        family("sk1").solve(-2)


def test_user_family_with_start_selector():
    try:
        f = register_family("test_sk1_start", ["1", "k-1"], start=(8, [-0.66, 0.16, 0.23, 1.0, -0.026]))
        a = f.solve(12, dps=30)
        b = family("sk1").solve(12, dps=30)
        assert abs(a.loss - b.loss) < mpmath.mpf(10) ** -28
        g = register_family("test_bad_start", ["1", "k-1"], start=(8, [5, 5, 5, 5, 5]))
        with pytest.raises(NotConverged):
            g.solve(8)
    finally:
        unregister_family("test_sk1_start")
        unregister_family("test_bad_start")


def test_continuation_upwards_without_a_limit_stays_on_its_branch():
    # a Δ(S_5 × S_{k-5}) minimum met at k = 11 (atlas); continuation to k = 15 once took one step of
    # s/1.25 and landed on another critical point of the same isotropy type (loss 0.1019, index 4)
    from symcrit.critical.families import Family
    f = Family("m5", ["5", "k-5"], start=(11, ["1.0475887532926142", "0.00067430812850909094", "0.01242178163222887",
                                              "-0.0086417081759928849", "-0.64488141668921339", "0.31542200651333868"]))
    losses = [f.solve(k, dps=20, verify=False).loss for k in (14, 15, 16)]
    assert losses[0] < losses[1] < losses[2] < losses[0] + 2 * (losses[2] - losses[0])
    assert abs(losses[1] - (losses[0] + losses[2]) / 2) < 1e-3


# -- exact k through the API and the CLI ------------------------------------------------------------
def test_solve_at_exactly_ten_to_the_thirty():
    for k in ("1e30", "10**30", 10**30):
        cp = family("sk1").solve(k, dps=30, verify=False)
        assert cp.k == 10**30 and isinstance(cp.k, int)
    with pytest.raises(BadInput):
        family("sk1").solve(1e30)  # the float 1e30 is not 10^30
    with pytest.raises(OutOfRange):
        family("sk1").solve(-2)


def test_family_selectors_stay_exact():
    f = register_family("test_exact", ["1", "k-1"], start=("8", ["-0.66", "0.16", "0.23", "1", "-0.026"]), replace=True)
    try:
        assert f.start[0] == 8 and f.start[1][0] == Fraction(-33, 50)
    finally:
        unregister_family("test_exact")
    assert all(isinstance(v, (int, Fraction)) for g in families() if g.limit for v in g.limit)


def test_solve_keeps_a_huge_integer_k_exact():
    """k = 10^40 must not pass through a float (int(float(10**40)) = 10^40 + 3e23): the eigenvalue
    k/4 + 0.847… of the global minimum's trivial component shows the O(1) term only if k is exact."""
    cp = family("global").solve(10**40, dps=30, verify=False)
    assert cp.k == 10**40
    with mpmath.workdps(cp.work_dps):
        top = max(spectrum(cp, components=["trivial"]).components[0].eigenvalues)
        assert abs(top - mpmath.mpf(10**40) / 4 - mpmath.mpf("0.84713954156292250106986")) < 1e-15


def test_sk1x_lower_loss_than_sk1():
    """The extra neuron lets the flipped role be taken over: a lower spurious value (k = 6..20)."""
    for k in (7, 12, 20):
        assert family("sk1x").solve(k, dps=20).loss < family("sk1").solve(k, dps=20).loss


def test_a_family_without_a_limit_stays_on_its_branch_at_huge_k():
    """sk1x (selected by a start at k = 10) continued up in s: row 1 shrinks like a ≈ −1.388·s and
    k·F → 0.26725.  With steps of 0.01 in s and the absolute jump test 0.02, at k = 10^8 solve
    returned the mirror point (a ≈ +1.393·s, k·F = 0.267195): geometric steps with a jump test
    relative to the branch's change stay on it, at any k."""
    f = family("sk1x")
    prev = None
    for k in (10**4, 10**8, 10**12):
        cp = f.solve(k, dps=20, verify=False)
        a_scaled = cp.params["a"] * mpmath.sqrt(k)
        assert -1.39 < a_scaled < -1.36
        kF = cp.loss * k
        assert abs(kF - mpmath.mpf("0.267255")) < 2e-4
        if prev is not None:  # k·F settles monotonically onto its limit, no jump
            assert abs(kF - prev) < 2e-4
        prev = kF
