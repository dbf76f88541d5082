"""Families: SPEC checkpoints, precision, branch tracking, certification, errors."""
import json

import mpmath
import pytest

from symcrit import StudentTeacher
from symcrit.cli import main
from symcrit.core.errors import NotConverged, OutOfRange, UnknownFamily
from symcrit.critical.families import families, family, register_family, unregister_family

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


def test_perturbed_point_fails_certification():
    cp = family("sk1").solve(9, dps=40)
    cp.values = [v + mpmath.mpf("1e-12") for v in cp.values]
    cp.certify()
    assert cp.certified is False
    assert "Krawczyk" in cp.certificate.reason


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


def test_cli_solve_json(capsys):
    assert main(["solve", "sk1", "--k", "6,7", "--dps", "25", "--certify", "--json"]) == 0
    recs = json.loads(capsys.readouterr().out)
    assert [r["k"] for r in recs] == [6, 7]
    r = recs[0]
    assert set(r) >= {"family", "k", "dps", "params", "loss", "gradient_residual", "min_eigenvalue",
                      "negative_count", "certified", "radius"}
    assert r["certified"] is True and r["negative_count"] == 0
    assert r["loss"].startswith("0.02508058100246")


def test_cli_solve_table_and_errors(capsys):
    assert main(["solve", "sk", "--k", "6:7", "--dps", "20"]) == 0
    out = capsys.readouterr().out
    assert "family sk" in out and "p" in out
    assert main(["solve", "s2", "--k", "3"]) == 2
    assert main(["solve", "zzz", "--k", "6"]) == 2
    assert main(["solve", "sk1", "--k", "6:x"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 3 and "Traceback" not in err


def test_cli_families_json(capsys):
    assert main(["families", "--json"]) == 0
    recs = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in recs] == IDS
    assert recs[1]["params"] == ["a", "b", "c", "d", "e"]


def test_ipow_encloses_balls_around_zero():
    # python-flint 0.9.0: arb(0, r)**2 is NaN and arb(1, 0.5)**2 is [+/- 2.26]; compiled code uses ipow
    from flint import arb
    from symcrit.core.compile import ipow
    assert (arb(0, 1e-25) ** 2).is_finite() is False  # the trap itself: if flint fixes it, this tells us
    z = ipow(arb(0, 1e-25), 2)
    assert z.is_finite() and z.contains(0) and z.contains(arb("1e-50"))
    w = ipow(arb(1, 0.5), 2)
    assert w.contains(arb("0.25")) and w.contains(arb("2.25")) and not w.contains(arb(3))
    assert ipow(arb(0, 1e-3), 5).is_finite() and ipow(7, 0) == 1 and ipow(3, 5) == 243


def test_compiled_code_has_no_integer_power_operator():
    from symcrit.core.compile import compile_exprs
    from symcrit.core.contexts import get_context
    import sympy
    x = sympy.Symbol("x")
    f = compile_exprs([x], [x**2 + 1 / x**3 + sympy.sqrt(x) ** 3 + x ** sympy.Rational(-3, 2)])
    assert "**" not in f.source
    from flint import arb
    v = f(get_context("arb"), arb(1, 1e-30))[0]
    assert v.is_finite() and v.contains(4)


def test_global_minimum_certifies_at_every_k_2_to_100():
    # issue 19: Newton leaves q exactly 0 at some k (4, 28, 29), and arb(0, r)**2 was NaN there
    fam = family("global")
    failed = [k for k in range(2, 101) if not fam.solve(k, dps=20).certify().certified]
    assert failed == []


def test_continuation_upwards_without_a_limit_stays_on_its_branch():
    # a Δ(S_5 × S_{k-5}) minimum met at k = 11 (atlas); continuation to k = 15 once took one step of
    # s/1.25 and landed on another critical point of the same isotropy type (loss 0.1019, index 4)
    from symcrit.critical.families import Family
    f = Family("m5", ["5", "k-5"], start=(11, ["1.0475887532926142", "0.00067430812850909094", "0.01242178163222887",
                                              "-0.0086417081759928849", "-0.64488141668921339", "0.31542200651333868"]))
    losses = [f.solve(k, dps=20, verify=False).loss for k in (14, 15, 16)]
    assert losses[0] < losses[1] < losses[2] < losses[0] + 2 * (losses[2] - losses[0])
    assert abs(losses[1] - (losses[0] + losses[2]) / 2) < 1e-3
