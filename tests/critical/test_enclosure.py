"""All critical points in a box, proven complete (symcrit.critical.enclosure)."""
import functools
import math

import mpmath
import numpy as np
import pytest
import sympy
from flint import arb, ctx as flint_ctx

from symcrit.core.compile import compile_exprs
from symcrit.core.contexts import HalfPlaneArb
from symcrit.critical.enclosure import (BallSystem, all_critical_points, critical_point_bounds,
                                        find_zeros, nonnegative_roots)
from symcrit.critical.families import family
from symcrit.symmetry.fixedpoint import fixed_point_space

x, y = sympy.symbols("x y")
BOX = ((-3.0, 3.0), (-3.0, 3.0))
TOY_ZEROS = [(1, 2), (1, -2), (-1, math.sqrt(2)), (-1, -math.sqrt(2))]


@pytest.fixture(scope="module")
def toy():
    return BallSystem.from_compiled(compile_exprs([x, y], [x * x - 1, y * y - x - 3]), 2)


@pytest.fixture(scope="module")
def toy_result(toy):
    with flint_ctx.workprec(64):
        return find_zeros(toy, BOX)


def _holds(Z, p):
    return all(lo <= v <= hi for (lo, hi), v in zip(Z, p))


def test_toy_count_is_exact(toy_result):
    assert toy_result["undecided"] == []
    zs = toy_result["zeros"]
    assert len(zs) == 4
    # each true zero is in exactly one enclosure, and each enclosure holds one true zero
    for p in TOY_ZEROS:
        assert sum(_holds(Z, p) for _, Z, _ in zs) == 1
    for _, Z, _ in zs:
        assert max(hi - lo for lo, hi in Z) < 1e-10


def test_toy_removed_zero_is_detected(toy, toy_result):
    known = [U for U, _, _ in toy_result["zeros"]]
    with flint_ctx.workprec(64):
        full = find_zeros(toy, BOX, known=known, search=False)
        assert full["undecided"] == [] and len(full["zeros"]) == 4
        for drop in range(4):
            res = find_zeros(toy, BOX, known=known[:drop] + known[drop + 1:], search=False, min_width=1e-6)
            assert res["undecided"], "a missing zero must leave undecided boxes"
            removed = toy_result["zeros"][drop][2]
            # every undecided box lies at the removed zero
            for u in res["undecided"]:
                assert all(lo - 1e-5 <= v <= hi + 1e-5 for (lo, hi), v in zip(u["box"], removed))


def test_non_isolated_zeros_are_reported(toy):
    circle = BallSystem.from_compiled(compile_exprs([x, y], [x * x + y * y - 1, (x * x + y * y - 1) * (1 + x)]), 2)
    with flint_ctx.workprec(64):
        res = find_zeros(circle, BOX, min_width=1e-3, max_boxes=4000)
    assert res["zeros"] == [] and res["undecided"]
    assert any("non-isolated" in u["reason"] for u in res["undecided"])


def test_bounds_hold_at_catalogued_points():
    for k in (6, 9):
        b = critical_point_bounds(k)
        assert b["evidence"] == "proven"
        for fid in ("sk1", "sk1b", "sk"):
            cp = family(fid).solve(k, dps=20, verify=False)
            W = np.array(cp.space.embed([float(v) for v in cp.values], k), dtype=float)
            r = np.linalg.norm(W, axis=1)
            assert r.max() <= b["B"] and r.sum() >= b["sum_lower"]
            if fid == "sk":
                assert r.min() >= b["rho_equal"]


def test_delta_sk_at_k6_is_complete():
    sp = fixed_point_space(["k"])
    assert nonnegative_roots(sp, 6)[0]
    enc = all_critical_points(sp, 6)
    assert enc.evidence == "proven" and enc.complete and not enc.undecided
    assert len(enc.points) == 4 and all(p.in_domain for p in enc.points)
    cat = enc.catalogue
    # the two points with all rows equal (p = q), W = t± 11^T, are named by their closed-form families
    assert set(cat["matched"]) == {"global", "sk", "rank1p", "rank1m"} and cat["missing"] == [] and cat["new"] == []
    assert [enc.points[n].family for n in (cat["matched"]["rank1p"], cat["matched"]["rank1m"])] == ["rank1p", "rank1m"]
    b = critical_point_bounds(6)
    ts = sorted(float(enc.points[cat["matched"][f]].values[0]) for f in ("rank1p", "rank1m"))
    for n in (cat["matched"]["rank1p"], cat["matched"]["rank1m"]):
        p, q = enc.points[n].values
        assert abs(p - q) < 1e-25
        assert mpmath.mpf(cat["full_gradient_residual"][n]) < 1e-25
    # t < 0 attains the lower bound on the row norm: |t| sqrt(k) = 2 phi(-1/sqrt(k))
    assert abs(-ts[0] * math.sqrt(6) - b["rho_equal"]) < 1e-12
    # each proven enclosure holds the catalogued point
    for fid, n in cat["matched"].items():
        vals = [float(v) for v in family(fid).solve(6, dps=30, verify=False).values]
        # (the catalogued point is a Newton iterate: within its own 1e-30 of the enclosure)
        assert all(lo - 1e-28 <= v <= hi + 1e-28 for (lo, hi), v in zip(enc.points[n].enclosure, vals))
        assert max(hi - lo for lo, hi in enc.points[n].enclosure) < 1e-15
    d = enc.to_dict()
    assert d["critical_points"] == 4 and d["evidence"] == "proven" and d["domain"]["rho_evidence"] == "proven"


def test_cartesian_and_norm_angle_agree_on_delta_sk():
    sp = fixed_point_space(["k"])
    a = all_critical_points(sp, 8, compare=False)
    b = all_critical_points(sp, 8, box=[(-3, 3), (-2, 2)], compare=False)
    assert a.complete and b.complete and len(a.points) == len(b.points) == 4
    for p in a.points:  # the same four points, each once
        assert sum(max(abs(u - v) for u, v in zip(p.values, q.values)) < 1e-20 for q in b.points) == 1
    assert a.counts["decided_volume_share"] == 1.0 and b.counts["decided_volume_share"] == 1.0


# ---------------------------------------------------------------------------------------------
# Δ(S_1 × S_{k−1}): the chart-native gradient, its affine structure, the bounded Jacobian, the
# continua W = u 1ᵀ

from symcrit.core.contexts import get_context  # noqa: E402
from symcrit.critical import enclosure as E  # noqa: E402
from symcrit.model.network import StudentTeacher  # noqa: E402

SK1 = fixed_point_space(["1", "k-1"])


@pytest.fixture(scope="module")
def chart6():
    ch = E._chart(SK1, 6)
    return ch, E.BallSystem.in_chart(SK1, 6, ch)


def _search_around(chart, y, half_width, max_boxes):
    """The chart's branch and bound (radial test, norm contractor, Krawczyk) on the box of half-width
    ``half_width`` around the chart point ``y``, at 64 bits."""
    ch, system = chart
    box = tuple((v - half_width, v + half_width) for v in y)
    with flint_ctx.workprec(64):
        return find_zeros(system, box, necessary=E._radial_test(SK1, 6, ch), contract=E._norm_contractor(SK1, 6, ch),
                          max_boxes=max_boxes)


def _t_pm(k):
    with mpmath.workdps(40):
        rk = mpmath.sqrt(k)
        phi = lambda c: (mpmath.sqrt(1 - c * c) + (mpmath.pi - mpmath.acos(c)) * c) / (2 * mpmath.pi)  # noqa: E731
        return 2 * phi(1 / rk) / rk, -2 * phi(-1 / rk) / rk


def test_chart_gradient_is_the_cartesian_gradient(chart6):
    ch, system = chart6
    f = get_context("float")
    g_cart = E._factored_system(SK1)[0]
    aff = E._affine_system(SK1, 6)
    rng = np.random.default_rng(0)
    for _ in range(5):
        y = [rng.uniform(0.2, 2), rng.uniform(-3, 3), rng.uniform(0.2, 2), rng.uniform(0.1, 3), rng.uniform(-3, 3)]
        G = np.array(system.fgrad_jac(np.array(y))[0])
        assert np.max(np.abs(G - np.array(g_cart(f, *ch.fn(f, *y), 6.0)))) < 1e-13
        v = aff(f, *y)  # G = A(φ) r − b(φ)
        A, b = np.array(v[:10]).reshape(5, 2), np.array(v[10:])
        assert np.max(np.abs(A @ np.array([y[0], y[2]]) - b - G)) < 1e-13


def test_cosine_jacobian_encloses_and_stays_bounded_at_aligned_rows(chart6):
    ch, system = chart6
    cj = E._cosine_jacobian(SK1, 6, ch)
    rng = np.random.default_rng(1)
    with flint_ctx.workprec(64):
        for _ in range(3):  # generic boxes: the enclosure holds the float Jacobian at sampled points
            y = np.array([rng.uniform(0.3, 2), rng.uniform(-3, 3), rng.uniform(0.3, 2), rng.uniform(0.3, 2.8),
                          rng.uniform(-3, 3)])
            X = [E._ball(v - 1e-3, v + 1e-3) for v in y]
            _, J = cj(X)
            for _ in range(5):
                Jf = system.fgrad_jac(y + rng.uniform(-1e-3, 1e-3, 5))[1].ravel()
                assert all(b.contains(arb(float(v))) or abs(float(b.mid()) - v) < 1e-12 for b, v in zip(J, Jf))
        tp, tm = _t_pm(6)
        for x in ([1, 0, 0, 1, 0], [float(tp)] * 5, [float(tm)] * 5):  # W = I, t± 11ᵀ: rows aligned
            y = ch.inverse(x)
            widths = []
            for h in (1e-4, 1e-6):
                _, J = cj([E._ball(v - h, v + h) for v in y])
                assert all(v.is_finite() for v in J)
                widths.append(max(float(v.rad()) for v in J))
            assert widths[1] < widths[0] / 30  # O(h): no loss of half the digits at alignment


def test_norm_contractor_keeps_the_zeros(chart6):
    ch, system = chart6
    con = E._norm_contractor(SK1, 6, ch)
    with flint_ctx.workprec(64):
        for fid in ("sk1", "sk1b"):
            y = ch.inverse([float(v) for v in family(fid).solve(6, dps=20, verify=False).values])
            box = tuple((v - 0.05, v + 0.05) for v in y)
            wide = list(box)
            wide[0], wide[2] = (0.13, 3.5), (0.13, 3.5)  # all norms: the contractor finds them
            out = con(tuple(wide))
            assert out is not None and all(lo <= v <= hi for v, (lo, hi) in zip(y, out))
            assert out[0][1] - out[0][0] < 3.0 and out[2][1] - out[2][0] < 3.0


def test_new_critical_point_u_1T_is_proven(chart6):
    """W = u 1ᵀ with u = (k t₋, k t₊/(k−1), …): a critical point the catalogue lacks (loss 0.99209 at
    k = 6), proven by Krawczyk in the chart and checked on the full-space gradient."""
    ch, system = chart6
    tp, tm = _t_pm(6)
    x = [float(6 * tm)] * 2 + [float(6 * tp / 5)] * 3
    y = ch.inverse(x)
    with flint_ctx.workprec(64):
        res, K = E.krawczyk_box(system, tuple((v - 1e-5, v + 1e-5) for v in y))
    assert res == "unique"
    with mpmath.workdps(30):
        W = SK1.embed([6 * tm] * 2 + [6 * tp / 5] * 3, 6)
        g = StudentTeacher(6).gradient(W)
        assert max(abs(v) for v in np.asarray(g).ravel()) < mpmath.mpf(10) ** -25


def test_segments_of_critical_points_and_their_tubes(chart6):
    ch, system = chart6
    tp, tm = _t_pm(6)
    with mpmath.workdps(30):  # every u ≥ 0 with Σu = 6 t₊ (and ≤ 0, Σu = 6 t₋) is critical: checked
        M = StudentTeacher(6)
        for S in (6 * tp, 6 * tm):
            for s in (S / 3, S * 2 / 3):
                W = SK1.embed([s, s] + [(S - s) / 5] * 3, 6)
                assert max(abs(v) for v in np.asarray(M.gradient(W)).ravel()) < mpmath.mpf(10) ** -25
    with flint_ctx.workprec(64):
        tubes = E._continuum_tubes(SK1, 6, ch, system, 0.5, 3.6)  # the part with both norms >= 0.5
    assert len(tubes) == 1  # the t₋ segment has no point with both norms >= 0.5
    T = tubes[0]
    lo, hi = T["r2_range"]
    assert lo == 0.5 and abs(hi - (6 * math.sqrt(6) * float(tp) - 0.5) / 5) < 1e-12
    # the tube boxes cover the segment, which they hold at every sampled norm
    for r2 in np.linspace(lo, hi, 7):
        y = ch.inverse([1.0] * 5)
        y[2], y[0] = r2, 6 * math.sqrt(6) * float(tp) - 5 * r2
        assert any(all(a <= v <= b for v, (a, b) in zip(y, B)) for B in T["boxes"])


def test_chart_search_near_u_1T_is_complete(chart6):
    """The branch and bound of the chart (radial test, norm contractor, Krawczyk with the bounded
    Jacobian) decides every box of a neighbourhood of the new point W = u 1ᵀ: one zero."""
    ch, system = chart6
    tp, tm = _t_pm(6)
    y = ch.inverse([float(6 * tm)] * 2 + [float(6 * tp / 5)] * 3)
    res = _search_around(chart6, y, 0.08, 20000)
    assert res["undecided"] == [] and len(res["zeros"]) == 1
    Z = res["zeros"][0][1]
    assert all(lo <= v <= hi for v, (lo, hi) in zip(ch.inverse([float(6 * tm)] * 2 + [float(6 * tp / 5)] * 3), Z))


def test_catalogue_names_the_segments_through_t_pm_11T():
    """In a two-block space t±·11ᵀ lie on segments of critical points: compare_with_catalogue names
    the segment by the closed-form family (rank1p, rank1m) instead of counting a point."""
    enc = E.Enclosure(SK1, 6, ((0.0, 1.0),) * 5, {"statement": "test"}, [], {}, [], 0.0, False)
    enc.aligned = []
    enc.in_domain = lambda x: False
    enc.continua = [{"label": "W = u·1ᵀ, all u_i > 0", "sign": "+", "family": None},
                    {"label": "W = u·1ᵀ, all u_i < 0", "sign": "-", "family": None}]
    cat = E.compare_with_catalogue(enc, 20)
    assert cat["continua"] == {"rank1p": "W = u·1ᵀ, all u_i > 0", "rank1m": "W = u·1ᵀ, all u_i < 0"}
    assert [c["family"] for c in enc.continua] == ["rank1p", "rank1m"]
    assert cat["missing"] == [] and {"rank1mp", "rank1pm", "sk1", "sk1b"} <= set(cat["absent"])


def _segment_point(ch, k, t, r2):
    """The chart coordinates of the point of the segment W = u 1ᵀ (Σu = k t) with second norm r2."""
    sg = 1.0 if t > 0 else -1.0
    y = ch.inverse([sg] * 5)
    L = k * math.sqrt(k) * abs(float(t))
    y[2], y[0] = r2, L - (k - 1) * r2
    return y, L


@pytest.fixture(scope="module")
def tubes6(chart6):
    ch, system = chart6
    with flint_ctx.workprec(64):
        return E._continuum_tubes(SK1, 6, ch, system, 0.0, E.critical_point_bounds(6)["B"])


def test_tilted_tubes_cover_the_segments_and_nothing_else(chart6, tubes6):
    """The tilted tubes hold the segment (sampled points, and the ends past r = 0 with rho = 0), and
    the parametric Krawczyk test fails on a tube moved off the segment (it proves existence: a tube
    holding no zero can never pass)."""
    ch, system = chart6
    tp, tm = _t_pm(6)
    tubes = tubes6
    with flint_ctx.workprec(64):
        assert len(tubes) == 2 and all(T["not_covered"] == [] for T in tubes)
        assert all(len(T["tubes"]) < 100 for T in tubes)  # long pieces: tens of tubes, not thousands
        test = E._tubes_test(tubes)
        for t, T in zip((tp, tm), tubes):
            L = 6 * math.sqrt(6) * abs(float(t))
            for r2 in list(np.linspace(0, L / 5, 9)):
                y, _ = _segment_point(ch, 6, t, r2)
                tiny = tuple((max(0.0, v - 1e-7) if i in (0, 2) else v - 1e-7, v + 1e-7) for i, v in enumerate(y))
                assert test(tiny), (r2, y)
            y, _ = _segment_point(ch, 6, t, L / 10)
            off = [(v - 1e-7, v + 1e-7) for v in y]
            off[1] = (y[1] + 0.2, y[1] + 0.2 + 1e-7)  # an angle 0.2 away from the segment
            assert not test(tuple(off))
            # the same tube moved off the segment in an angle: no zero inside, the test must fail
            T0 = T["tubes"][len(T["tubes"]) // 2]
            moved = dict(T0.angles)
            lo, hi = moved[3]
            moved[3] = (lo + 3 * (hi - lo), hi + 3 * (hi - lo))
            T1 = E._TiltedTube(T0.i1, T0.i2, T0.p1, T0.p2, T0.L, T0.r2, T0.sigma, moved)
            m2 = (T0.r2[0] + T0.r2[1]) / 2
            y, _ = _segment_point(ch, 6, t, m2)
            U = np.linalg.svd(system.fgrad_jac(np.array(y))[1])[0]
            P = U[:, :4].T
            assert E._tilted_krawczyk(SK1, 6, ch, T0, P) and not E._tilted_krawczyk(SK1, 6, ch, T1, P)


def test_search_around_a_segment_finds_a_continuum_not_a_point(chart6, tubes6):
    """A box around a piece of the t₊ segment, searched with the tubes: every box decided, no
    isolated zero reported (the continuum is covered by its tubes), and without the tubes the
    boxes on the segment stay undecided."""
    ch, system = chart6
    tp, _ = _t_pm(6)
    tubes = tubes6
    L = 6 * math.sqrt(6) * float(tp)
    y, _ = _segment_point(ch, 6, tp, L / 10)
    box = tuple((v - 0.004, v + 0.004) for v in y)
    with flint_ctx.workprec(64):
        kw = dict(necessary=E._radial_test(SK1, 6, ch), contract=E._norm_contractor(SK1, 6, ch))
        res = find_zeros(system, box, continuum_test=E._tubes_test(tubes), max_boxes=3000, **kw)
        assert res["undecided"] == [] and res["zeros"] == [] and res["counts"]["covered_continuum"] > 0
        bare = find_zeros(system, box, max_boxes=300, min_width=1e-3, **kw)
        assert bare["undecided"] and bare["zeros"] == []


#: a critical point of Δ(S_1 × S_5) at k = 6 the catalogue lacks, met by the complete search: a short
#: first row and an ill-conditioned Jacobian (smallest singular value about 0.017), F ≈ 0.0604630247
VALLEY6 = [0.093275, 0.116181, 0.17537, 1.102762, -0.050907]


def test_small_box_around_the_ill_conditioned_point_yields_it(chart6):
    ch, system = chart6
    y = ch.inverse(VALLEY6)
    res = _search_around(chart6, y, 0.01, 5000)
    assert res["undecided"] == [] and len(res["zeros"]) == 1
    Z = res["zeros"][0][1]
    x = ch.fn(get_context("float"), *[(lo + hi) / 2 for lo, hi in Z])
    assert max(abs(a - b) for a, b in zip(x, VALLEY6)) < 1e-5
    with mpmath.workdps(30):  # checked on the full k×k gradient at the float point: small, not 0
        g = StudentTeacher(6).gradient(SK1.embed([mpmath.mpf(v) for v in x], 6))
        assert max(abs(v) for v in np.asarray(g).ravel()) < 1e-9


def test_search_statistics_says_where_and_why():
    st = E.search_statistics(SK1, 6, rho=0, max_boxes=400, small=0.05)
    assert st["boxes"] == 401 and not st["complete"] and st["evidence"].startswith("estimated")
    assert sum(st["by_reason"].values()) == st["bisected_or_undecided"] > 0
    assert sum(st["by_place"].values()) == st["deep"]
    assert {"W = I", "segment t+", "segment t-", "mixed (u_1 ~ t-)", "mixed (u_1 ~ t+)"} <= set(st["landmarks"])
    for h in st["hotspots"]:
        assert h["visits"] >= 1 and len(h["params"]) == 5 and h["min_width"] < 0.05


def test_rows_two_to_k_equal_pairs_of_critical_points():
    """With rows 2..k equal (d = e) the student is relu(w_1·x) + relu((k−1) w_2·x), so the swap
    (w_1, w_2) ↦ ((k−1) w_2, w_1/(k−1)) maps critical points to critical points of the same loss: the
    two points with F ≈ 0.5601511162 found by the complete search at k = 6 are such a pair (checked:
    Newton at 40 digits, the full k×k gradient)."""
    from symcrit.core.newton import newton_system
    g, gj, _ = E._factored_system(SK1)
    m = get_context("mpmath")
    k = 6
    with mpmath.workdps(40):
        x = [mpmath.mpf(v) for v in ("-1.05814609774", "0.952212913413", "0.455114136559", "0.0429715392395",
                                     "0.0429715392395")]
        x, _, _ = newton_system(lambda v: g(m, *v, mpmath.mpf(k)), lambda v: gj(m, *v, mpmath.mpf(k))[1], x, "mpmath")
        assert abs(x[3] - x[4]) < mpmath.mpf(10) ** -35  # rows 2..k equal
        y = [(k - 1) * x[2], (k - 1) * x[3], x[0] / (k - 1), x[1] / (k - 1), x[1] / (k - 1)]
        M = StudentTeacher(k)
        for v in (x, y):
            gv = M.gradient(SK1.embed(v, k))
            assert max(abs(t) for t in np.asarray(gv).ravel()) < mpmath.mpf(10) ** -30
        assert abs(M.loss(SK1.embed(x, k)) - M.loss(SK1.embed(y, k))) < mpmath.mpf(10) ** -30
        assert abs(M.loss(SK1.embed(x, k)) - mpmath.mpf("0.560151116170535")) < 1e-12
        assert abs(y[0] - mpmath.mpf("2.27557068279")) < 1e-10  # the other point of the complete list


# ---------------------------------------------------------------------------------------------
# the faster search (angle cache, tube shapes): no known zero lost, no box wrongly excluded

#: isolated critical points of Δ(S_1 × S_5) at k = 6 from the complete search (parameters, 12
#: digits; each is refined by Newton in the test): the pair at F ≈ 0.5601511162 (rows 2..k equal)
PAIR6 = [["-1.05814609774", "0.952212913413", "0.455114136559", "0.0429715392395", "0.0429715392395"],
         ["2.27557068279", "0.214857696198", "-0.211628219548", "0.190442582683", "0.190442582683"]]


@functools.lru_cache(maxsize=1)
def _known_points6():
    """(label, parameters as floats) of known isolated critical points at k = 6."""
    from symcrit.core.newton import newton_system
    g, gj, _ = E._factored_system(SK1)
    m = get_context("mpmath")
    tp, tm = _t_pm(6)
    pts = [("W = I", [1.0, 0.0, 0.0, 1.0, 0.0]),
           ("u 1ᵀ mixed", [float(6 * tm)] * 2 + [float(6 * tp / 5)] * 3),
           ("valley", VALLEY6)]
    pts += [(fid, [float(v) for v in family(fid).solve(6, dps=20, verify=False).values]) for fid in ("sk1", "sk1b")]
    with mpmath.workdps(30):
        for n, p in enumerate(PAIR6):
            x, _, _ = newton_system(lambda v: g(m, *v, mpmath.mpf(6)), lambda v: gj(m, *v, mpmath.mpf(6))[1],
                                    [mpmath.mpf(v) for v in p], "mpmath")
            pts.append((f"pair {n}", [float(v) for v in x]))
    with mpmath.workdps(20):  # VALLEY6 is a 6-digit point: refine it too
        x, _, _ = newton_system(lambda v: g(m, *v, mpmath.mpf(6)), lambda v: gj(m, *v, mpmath.mpf(6))[1],
                                [mpmath.mpf(v) for v in VALLEY6], "mpmath")
        pts[2] = ("valley", [float(v) for v in x])
    return tuple(pts)


@pytest.mark.parametrize("label", ["W = I", "u 1ᵀ mixed", "valley", "sk1", "sk1b", "pair 0", "pair 1"])
def test_small_boxes_around_known_points_yield_them(chart6, label):
    """A small box around each known isolated critical point, searched with every test of the chart
    search (radial, norm contractor with the angle cache, Jacobian tests): exactly that zero, every
    box decided.  A test that wrongly excluded a box holding a zero would lose it here."""
    ch, system = chart6
    x = dict(_known_points6())[label]
    y = ch.inverse(x)
    res = _search_around(chart6, y, 0.02, 6000)
    assert res["undecided"] == [] and len(res["zeros"]) == 1, res["counts"]
    Z = res["zeros"][0][1]
    assert all(lo - 1e-9 <= v <= hi + 1e-9 for v, (lo, hi) in zip(y, Z))


def test_norm_contractor_cache_keeps_the_zeros_of_a_norm_bisected_box(chart6):
    """The contractor reuses A(φ), b(φ) of an angle box (_AngleCache): a box whose norms were just
    narrowed (a sibling with the same angles seen first, with other norms) keeps its zero, and the
    cached enclosure of G and J over the box holds the float values at sampled points."""
    ch, system = chart6
    con = E._norm_contractor(SK1, 6, ch)
    cache = E._angle_cache(SK1, 6)
    rng = np.random.default_rng(3)
    with flint_ctx.workprec(64):
        for fid in ("sk1", "sk1b"):
            y = ch.inverse([float(v) for v in family(fid).solve(6, dps=20, verify=False).values])
            box = [(v - 0.01, v + 0.01) for v in y]
            far = list(box)
            far[0] = (y[0] + 0.5, y[0] + 0.9)  # same angles, norms without the zero: seen first
            hits = cache.hits
            assert con(tuple(far)) is None
            out = con(tuple(box))
            assert cache.hits > hits  # the second box reused the first one's angle enclosures
            assert out is not None and all(lo <= v <= hi for v, (lo, hi) in zip(y, out))
            balls = [E._ball(lo, hi) for lo, hi in box]
            G, J = cache.gradient_jacobian(balls)
            for _ in range(5):
                p = np.array([rng.uniform(lo, hi) for lo, hi in box])
                Gf, Jf = system.fgrad_jac(p)
                assert all(b.contains(arb(float(v))) or abs(float(b.mid()) - v) < 1e-12 for b, v in zip(G, Gf))
                assert all(b.contains(arb(float(v))) or abs(float(b.mid()) - v) < 1e-12 for b, v in zip(J, Jf.ravel()))


def test_tubes_are_wide_in_s_and_cover_a_box_around_the_t_minus_segment(chart6, tubes6):
    """The tube shapes (σ in s = p_1 r_1 + p_2 r_2 − L separate from the angles' width): the middle of
    the t₋ segment is covered by a tube with σ ≥ 0.03 (it was 0.001 with one width for both), and a
    box around it is decided by the tubes: no zero, no undecided box."""
    ch, system = chart6
    _, tm = _t_pm(6)
    T = tubes6[1]
    assert T["label"].startswith("W = u·1ᵀ, all u_i < 0")
    L = 6 * math.sqrt(6) * abs(float(tm))
    y, _ = _segment_point(ch, 6, tm, L / 10)
    assert max(t.sigma for t in T["tubes"] if t.r2[0] <= y[2] <= t.r2[1]) >= 0.03
    box = tuple((v - 0.01, v + 0.01) for v in y)
    with flint_ctx.workprec(64):
        kw = dict(necessary=E._radial_test(SK1, 6, ch), contract=E._norm_contractor(SK1, 6, ch))
        res = find_zeros(system, box, continuum_test=E._tubes_test(tubes6), max_boxes=3000, **kw)
    assert res["undecided"] == [] and res["zeros"] == [] and res["counts"]["covered_continuum"] > 0
