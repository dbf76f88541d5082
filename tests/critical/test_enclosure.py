"""All critical points in a box, proven complete (symcrit.critical.enclosure)."""
import math

import mpmath
import numpy as np
import pytest
import sympy
from flint import arb, ctx as flint_ctx

from symcrit.core.compile import compile_exprs
from symcrit.critical.enclosure import (BallSystem, HalfPlaneArb, all_critical_points, critical_point_bounds,
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


def test_halfplane_context_encloses_roots_and_angles():
    H = HalfPlaneArb()
    with flint_ctx.workprec(64):
        r = H.sqrt(arb(0.5, 0.5000001))          # exact value >= 0: enclose sqrt on [0, 1.0000001]
        assert r.is_finite() and r.contains(arb(0.5).sqrt()) and r.contains(0) and r.upper() < 1.001
        t = H.atan2(arb(0, 1e-9), arb(-1))      # y >= 0 near 0, x < 0: the angle is near pi, not +-pi
        assert t.contains(arb.pi()) and t.rad() < 1e-8
        assert H.atan2(arb(0, 1e-9), arb(0, 1e-9)).contains(arb.pi()) and H.sqrt(arb(-1e-20, 1e-21)) == 0


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
    assert set(cat["matched"]) == {"global", "sk"} and cat["missing"] == [] and len(cat["new"]) == 2
    # the two new points have all rows equal (p = q): W = t 11^T, critical in the full space (checked)
    b = critical_point_bounds(6)
    ts = sorted(float(enc.points[n].values[0]) for n in cat["new"])
    for n in cat["new"]:
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
