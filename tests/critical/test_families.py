"""Families: SPEC checkpoints, precision, branch tracking, certification, errors."""
from fractions import Fraction

import mpmath
import pytest

from symcrit import StudentTeacher
from symcrit.core.errors import NotConverged, OutOfRange, UnknownFamily, BadInput
from symcrit.critical.families import Family, families, family, register_family, unregister_family
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


# ---------------------------------------------------------------------------------------------
# families in closed form: the rank-one critical points W = u·1ᵀ

CLOSED = ["rank1p", "rank1m", "rank1mp", "rank1pm"]


def test_closed_form_registry_is_apart_from_the_branches():
    from symcrit.critical.families import ClosedFormFamily, closed_form_families
    assert [f.id for f in closed_form_families()] == CLOSED
    assert [f.id for f in families()] == IDS  # the branch catalogue is unchanged
    assert all(isinstance(family(i), ClosedFormFamily) for i in CLOSED)
    assert family("rank1p").space.blocks == ("k",) and family("rank1mp").space.blocks == ("1", "k - 1")
    with pytest.raises(OutOfRange, match="needs k >= 3"):
        family("rank1mp").solve(2)


def _phi_acos(c):  # the enclosure's form of φ (arccos), an independent route to t±
    return (mpmath.sqrt(1 - c * c) + (mpmath.pi - mpmath.acos(c)) * c) / (2 * mpmath.pi)


@pytest.mark.parametrize("k", [6, 7])
@pytest.mark.parametrize("fid", CLOSED)
def test_rank_one_points_are_critical_in_the_full_space(fid, k):
    """Each closed form at k = 6, 7: the full k×k gradient vanishes to 40 digits, the full loss is
    the closed-form loss, and the rows are u_i·1ᵀ with Σ_(u>0) u = k t₊, Σ_(u<0) u = k t₋ (t± from
    arccos: a second route)."""
    f = family(fid)
    cp = f.solve(k, dps=40)
    assert cp.residual_method == "full" and cp.gradient_residual < mpmath.mpf(10) ** -40
    with mpmath.workdps(60):
        W = cp.W
        F_full = StudentTeacher(k).loss(W)
        assert abs(F_full - f.loss_at(mpmath.mpf(k))) < mpmath.mpf(10) ** -45
        rk = mpmath.sqrt(k)
        tp, tm = 2 * _phi_acos(1 / rk) / rk, -2 * _phi_acos(-1 / rk) / rk
        assert abs(tp + tm - mpmath.mpf(1) / k) < mpmath.mpf(10) ** -50
        u = [W[i, 0] for i in range(k)]
        assert all(abs(W[i, j] - u[i]) < mpmath.mpf(10) ** -50 for i in range(k) for j in range(k))
        P, N = sum(v for v in u if v > 0), sum(v for v in u if v < 0)
        want = {"rank1p": (k * tp, 0), "rank1m": (0, k * tm)}.get(fid, (k * tp, k * tm))
        assert abs(P - want[0]) < mpmath.mpf(10) ** -45 and abs(N - want[1]) < mpmath.mpf(10) ** -45


def _atan2_to_atan(e, pi):
    import sympy

    def f(a):
        y, x = a.args
        if x.is_positive:
            return sympy.atan(y / x)
        if x.is_negative and y.is_nonnegative:
            return pi + sympy.atan(y / x)
        return a
    return e.replace(lambda a: isinstance(a, sympy.atan2), f)


def test_rank_one_derivation_is_exact():
    """The derivation of the closed forms, checked symbolically (k symbolic): the reduced loss
    restricted to W = u·1ᵀ is kP²/4 − k^(3/2)φ₊P + kN²/4 − k^(3/2)φ₋N + C, whose critical point is
    P = k t₊, N = −k t₋, with the loss of rank_one_loss."""
    import sympy

    from symcrit.core.contexts import get_context
    from symcrit.critical.families import rank_one_angle, rank_one_loss, rank_one_t
    from symcrit.symmetry.fixedpoint import K_SYMBOL, fixed_point_space
    sy, pi = get_context("sympy"), sympy.pi
    m, A, B = sympy.symbols("m A B", positive=True)
    kk = m + 1  # k > 1
    r, al = sympy.sqrt(kk - 1), rank_one_angle(sy, kk)
    phip, phim = (r + pi - al) / (2 * pi * sympy.sqrt(kk)), (r - al) / (2 * pi * sympy.sqrt(kk))
    C = kk / 4 + kk * (kk - 1) / (4 * pi)

    def restricted(P, N):
        return kk * P ** 2 / 4 - kk ** sympy.Rational(3, 2) * phip * P + kk * N ** 2 / 4 \
            - kk ** sympy.Rational(3, 2) * phim * N + C
    V1 = fixed_point_space(["k"])
    p, q = V1.params
    F1 = V1.reduced_loss().subs(K_SYMBOL, kk)
    for sg in (1, -1):
        Fr = F1.subs({p: sg * A, q: sg * A})
        target = restricted(kk * A, 0) if sg > 0 else restricted(0, kk * A)
        assert sympy.simplify(_atan2_to_atan(Fr - target, pi)) == 0
    V2 = fixed_point_space(["1", "k-1"])
    a, b, c, d, e = V2.params
    F2 = V2.reduced_loss().subs(K_SYMBOL, kk)
    for sa in (1, -1):
        Fr = F2.subs({a: sa * A, b: sa * A, c: -sa * B, d: -sa * B, e: -sa * B})
        target = restricted(A, (kk - 1) * B) if sa > 0 else restricted((kk - 1) * B, A)
        assert sympy.simplify(_atan2_to_atan(Fr - target, pi)) == 0
    # the critical point of the restricted quadratic and its value
    P, N = sympy.symbols("P N", positive=True)
    G = restricted(P, N)
    sol = {P: kk * rank_one_t(sy, kk, 1), N: -kk * rank_one_t(sy, kk, -1)}
    assert all(sympy.simplify(sympy.diff(G, v).subs(sol)) == 0 for v in (P, N))
    assert sympy.simplify(G.subs(sol) - rank_one_loss(sy, kk, [1, -1])) == 0
    assert sympy.simplify(rank_one_t(sy, kk, 1) + rank_one_t(sy, kk, -1) - 1 / kk) == 0


def test_rank_one_loss_balls_match_the_enclosures_at_k6():
    """k = 6: the closed-form loss ball (proven by the derivation) meets the proven loss balls of the
    branch-and-bound: ΔS_6 (complete, four points) and, for the mixed-sign points, a Krawczyk box of
    the norm-angle chart of Δ(S_1 × S_5)."""
    from flint import arb, ctx as flint_ctx

    import symcrit.critical.enclosure as E
    from symcrit.core.contexts import HalfPlaneArb
    from symcrit.symmetry.fixedpoint import fixed_point_space
    enc = E.all_critical_points(fixed_point_space(["k"]), 6)
    assert enc.complete and set(enc.catalogue["matched"]) == {"global", "sk", "rank1p", "rank1m"}
    for fid in ("rank1p", "rank1m"):
        cp = family(fid).solve(6, dps=30).certify()
        assert cp.certified and cp.certificate.reason.startswith("closed form")
        z = enc.points[enc.catalogue["matched"][fid]]
        Fb = family(fid).closed_form_balls(cp)[1]
        assert Fb.rad() < 1e-40 and z.loss.overlaps(Fb)
        assert abs(float(z.loss.mid()) - float(Fb.mid())) <= float(z.loss.rad()) + 1e-15
    SK1 = fixed_point_space(["1", "k-1"])
    ch = E._chart(SK1, 6)
    system = E.BallSystem.in_chart(SK1, 6, ch)
    for fid in ("rank1mp", "rank1pm"):
        cp = family(fid).solve(6, dps=30).certify()
        y = ch.inverse([float(v) for v in cp.values])
        with flint_ctx.workprec(64):
            res, K = E.krawczyk_box(system, tuple((v - 1e-6, v + 1e-6) for v in y))
            assert res == "unique"  # exactly one zero in the box: the closed form's point lies in it
            xb = ch.fn(HalfPlaneArb(), *K)
            F_enc = SK1.compiled["loss"](HalfPlaneArb(), *xb, arb(6))[0]
        Fb = family(fid).closed_form_balls(cp)[1]
        assert F_enc.overlaps(Fb) and F_enc.rad() < 1e-4
        assert cp.loss_text(12) == "0.992090489138"


def test_rank_one_hessian_is_singular_along_the_continuum():
    """The full Hessian (float64, k = 6, 7; checked, not proven): nullity k−1 at t±·11ᵀ and k−2 at the
    mixed points — the dimension of the simplex of critical points u·1ᵀ with the same sums through
    them — and index (k−1)², k(k−1), (k−1)², (k−1)²."""
    import numpy as np
    for k in (6, 7):
        want = {"rank1p": ((k - 1) ** 2, k - 1), "rank1m": (k * (k - 1), k - 1),
                "rank1mp": ((k - 1) ** 2, k - 2), "rank1pm": ((k - 1) ** 2, k - 2)}
        for fid, (index, nullity) in want.items():
            cp = family(fid).solve(k, dps=20)
            ev = np.linalg.eigvalsh(StudentTeacher(k).hessian(np.array(cp.W, dtype=float)))
            assert (ev < -0.1).sum() == index and (abs(ev) < 1e-10).sum() == nullity
            assert ((ev > -0.1) & (ev < -1e-10)).sum() == 0 and ((ev > 1e-10) & (ev < 0.1)).sum() == 0
            assert cp.dense_signs.undecided == nullity and cp.negative_count is None


def test_rank_one_expansion_at_infinity():
    """t₊ = s/π + s²/2 + s³/(2π) + …: W∞ = 0; F ~ k²(π − 1)/(4π²) (rank1p); the mixed points' F is
    even in s with F/k² → (π − 2)/(4π²); exact (sympy series of the closed form), and against
    solve at k = 10^30."""
    import sympy
    s = sympy.Symbol("s", positive=True)
    pi = sympy.pi
    e = family("rank1p").expansion(4)
    assert sympy.simplify(e["p"].removeO() - (s / pi + s ** 2 / 2 + s ** 3 / (2 * pi))) == 0
    lead = sympy.expand(e["F"].removeO() * s ** 4).subs(s, 0)
    assert sympy.simplify(lead - (pi - 1) / (4 * pi ** 2)) == 0
    em = family("rank1mp").expansion(3)
    Fm = sympy.expand(em["F"].removeO() * s ** 4)
    assert sympy.simplify(Fm.subs(s, 0) - (pi - 2) / (4 * pi ** 2)) == 0
    assert all(Fm.coeff(s, j) == 0 for j in (1, 3, 5))  # even in s
    cp = family("rank1p").solve(10 ** 30, dps=30)
    with mpmath.workdps(40):
        assert abs(cp.loss / mpmath.mpf(10) ** 60 - (mpmath.pi - 1) / (4 * mpmath.pi ** 2)) < 1e-14


# -- the branches the interval branch-and-bound found beyond the catalogue ----------------------
#: the losses of the proven complete lists of Δ(S_1 × S_{k-1}) (bench/bench_enclose.py, README: the
#: enclosure at k = 6 to 12 digits, at k = 7 to 10): continuation from the family's point at k = 6
#: must arrive at the k = 7 points of that list
ENCLOSURE_LOSSES = {"sk1g-m": ("0.0603848833419", "0.0582669168"), "sk1g-p": ("0.0604630247269", "0.0583278110"),
                    "sksk1b-p": ("0.101157555942", "0.1068765126"), "sksk1b-m": ("0.108587613753", "0.1147259432")}
#: the Hessian index at k = 6 and 7 (the enclosure's dense-Hessian count at k = 6)
ENCLOSURE_INDEX = {"sk1g-m": (1, 1), "sk1g-p": (1, 1), "sksk1b-p": (5, 6), "sksk1b-m": (11, 6)}


def test_enclosure_families_are_kept_apart_from_the_catalogue():
    from symcrit.critical.families import enclosure_families
    assert [f.id for f in enclosure_families()] == list(ENCLOSURE_LOSSES)
    assert [f.id for f in families()] == IDS  # the catalogue is unchanged
    for f in enclosure_families():
        assert family(f.id) is f and f.origin == "enclosure" and f.start[0] == 6 and f.limit is None
        assert f.space.blocks == ("1", "k - 1")
    with pytest.raises(BadInput, match="origin"):
        register_family("nope", ["1", "k-1"], start=(6, [0, 0, 0, 1, 0]), origin="campaigns")


@pytest.mark.parametrize("fid", list(ENCLOSURE_LOSSES))
def test_enclosure_families_reach_the_enclosures_points_at_k6_and_k7(fid):
    """Each solves at k = 6 (its definition) and, followed in real k, at k = 7 to the losses of the
    proven complete lists; critical in the full k×k space (gradient < 1e-25 at 40 digits); the index at
    k = 6 proven by prove_inertia, at k = 7 from the dense float64 Hessian (checked)."""
    from symcrit.spectra.inertia import prove_inertia
    f = family(fid)
    for k, loss, index in zip((6, 7), ENCLOSURE_LOSSES[fid], ENCLOSURE_INDEX[fid]):
        cp = f.solve(k, dps=40)
        decimals = len(loss.split(".")[1])  # the enclosure's printed digits, rounded
        assert abs(cp.loss - mpmath.mpf(loss)) <= mpmath.mpf(10) ** -decimals / 2
        assert cp.residual_method == "full" and cp.gradient_residual < mpmath.mpf(10) ** -25
        with mpmath.workdps(40):  # an independent route: the full model at the embedded point
            W = cp.space.embed(cp.values, k)
            assert abs(StudentTeacher(k).loss(W) - cp.loss) < mpmath.mpf(10) ** -35
        assert cp.negative_count == index
        if k == 6:
            inr = prove_inertia(cp.certify())
            assert cp.certified and inr.evidence == "proven" and inr.index == index and not inr.is_minimum


def test_enclosure_saddles_connect_the_catalogued_points():
    """The ids say where each saddle's unstable direction inside the fixed-point space leads: the
    negative eigenvector of the reduced Jacobian, followed by the gradient flow dx/dt = −G(x) (the
    full-space flow restricted to the space) from x ± 1e-3 v, ends at sk1 and global (sk1g-*), at sk
    and sk1b (sksk1b-*); k = 6."""
    import numpy as np
    from scipy.integrate import solve_ivp

    from symcrit.core.newton import newton
    k = 6
    ends = {fid: family(fid).solve(k, dps=20, verify=False).values for fid in ("global", "sk1", "sk", "sk1b")}
    for fid, want in (("sk1g-m", {"sk1", "global"}), ("sk1g-p", {"sk1", "global"}),
                      ("sksk1b-p", {"sk", "sk1b"}), ("sksk1b-m", {"sk", "sk1b"})):
        f = family(fid)
        sp = f.space
        x = np.array([float(v) for v in f.solve(k, dps=20, verify=False).values])
        J = np.array(sp.jacobian_function("float")(list(x), k), dtype=float).reshape(sp.dim, sp.dim)
        ev, V = np.linalg.eig(J)
        assert sum(ev.real < 0) == 1  # one unstable direction in the trivial component
        v = V[:, int(np.argmin(ev.real))].real
        got = set()
        for sg in (1, -1):
            sol = solve_ivp(lambda t, y: -np.array(sp.gradient_function("float")(list(y), k), dtype=float),
                            (0, 2000), x + sg * 1e-3 * v / np.linalg.norm(v), rtol=1e-9, atol=1e-12, method="LSODA")
            y, _, _ = newton(sp, list(sol.y[:, -1]), k, backend="float")
            got |= {e for e, ref in ends.items() if max(abs(a - float(b)) for a, b in zip(y, ref)) < 1e-8}
        assert got == want


def test_enclosure_branches_in_real_k():
    """sksk1b-m ends where its short row 1 reaches 0 (k ≈ 15.1905: no point at k = 16, the others go
    on); sk1g-m and sk1g-p tend to one point with row 1 → 0 (a, b ~ ∓k^(-3/2)) and
    F = 1/8 − 1/(4π) + (1/4 − 1/(2π))/k + … (checked at k = 10^6: the remainder is below 1e-13)."""
    from symcrit.core.errors import BranchEnded
    assert family("sksk1b-m").solve(15, dps=20, verify=False).values[0] < 0
    with pytest.raises(BranchEnded):
        family("sksk1b-m").solve(16, dps=20, verify=False)
    limit = mpmath.mpf(1) / 8 - 1 / (4 * mpmath.pi)
    for fid, sign in (("sk1g-m", -1), ("sk1g-p", 1)):
        cp = family(fid).solve(10**6, dps=30, verify=False)
        assert abs(cp.loss - limit - (mpmath.mpf(1) / 4 - 1 / (2 * mpmath.pi)) / 10**6) < 1e-13
        assert 0.99 < sign * cp.values[0] * mpmath.mpf(10) ** 9 < 1.01


def test_the_enclosure_names_its_points_by_these_families():
    """compare_with_catalogue names the proven zero of a search around sksk1b-p's point at k = 6 (a box
    of half-width 0.003, proven complete there) by the family, not as a new point."""
    from symcrit.critical.enclosure import all_critical_points
    f = family("sksk1b-p")
    x = [float(v) for v in f.solve(6, dps=20, verify=False).values]
    E = all_critical_points(f.space, 6, box=[(v - 0.003, v + 0.003) for v in x], rho=0, max_boxes=3000)
    assert E.complete and len(E.points) == 1
    assert E.catalogue["matched"] == {"sksk1b-p": 0} and E.catalogue["new"] == [] and E.points[0].family == "sksk1b-p"


def test_anchor_at_a_limit_with_a_zero_row_warns_nothing():
    """W∞ with a zero row: the float gradient there is 0/0.  The anchor treats the non-finite
    value as "not critical" and moves off W∞, silently (no numpy RuntimeWarning reaches the user)."""
    import warnings

    f = Family("zero-row", ["1", "k-1"], limit=[0, 0, 0, 1, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            f._anchor()
        except NotConverged:
            pass
