"""The search of fixed-point spaces for hidden minima (symcrit.landscape.hidden): sk and sk1b are
found by the search itself, every minimum found is a proven minimum of a catalogued family (nothing
spurious), ΔS_k is proven complete, the starts cover the proven domain of the row norms."""
import mpmath
import numpy as np

from symcrit.critical.enclosure import critical_point_bounds
from symcrit.critical.families import family
from symcrit.landscape.atlas import point_index
from symcrit.landscape.hidden import NORM_FLOOR, search_space, search_types, start_points
from symcrit.symmetry.fixedpoint import fixed_point_space


def _losses(fids, k):
    with mpmath.workdps(30):
        return {f: +family(f).solve(k, dps=30).loss for f in fids}


def test_the_search_finds_sk_and_sk1b_and_nothing_else():
    # k = 6, 7 in Δ(S_1 × S_{k-1}) (5 parameters) and ΔS_k (2): the minima of F there are the teacher,
    # sk1, sk (and sk1b from k = 7, where it becomes a minimum: index 6 at k = 6); each found minimum
    # is matched with a family by an independent route (Newton from the family's own definition)
    for k in (6, 7):
        want = ["sk1", "sk"] + (["sk1b"] if k >= 7 else [])
        ref = _losses(want, k)
        res = search_space(["1", "k-1"], k, starts=150, seed=1, index=point_index)
        assert res["dim"] == 5 and res["completeness"] == "estimated complete (150 starts)"
        teacher = [m for m in res["minima"] if m["teacher"]]
        others = [m for m in res["minima"] if not m["teacher"]]
        assert len(teacher) == 1 and teacher[0]["loss"] == "0"
        assert all(m["index_evidence"] == "proven" and m["index"] == 0 for m in others)
        with mpmath.workdps(30):  # 20 printed digits of the proven ball against Newton from the definition
            got = sorted(next(f for f, v in ref.items() if abs(v - mpmath.mpf(m["loss"])) < 1e-18) for m in others)
        assert got == sorted(want)  # each family once, and no other minimum
    sk = search_space(["k"], 8, starts=50, seed=1, index=point_index)
    assert sk["completeness"].startswith("proven complete (all_critical_points: 4 critical points")
    assert [m["teacher"] for m in sk["minima"]] == [True, False]
    with mpmath.workdps(30):
        assert abs(mpmath.mpf(sk["minima"][1]["loss"]) - _losses(["sk"], 8)["sk"]) < 1e-18


def test_starts_cover_the_proven_domain_of_the_row_norms():
    k = 9
    sp = fixed_point_space(["2", "k-2"])
    X = start_points(sp, k, 2000, seed=0)
    W = np.array([np.asarray(sp.embed(list(X[:, j]), k), dtype=float) for j in range(0, 2000, 50)])
    norms = np.linalg.norm(W, axis=2)
    B = critical_point_bounds(k)["B"]
    assert norms.max() <= B * (1 + 1e-12) and norms.min() >= NORM_FLOOR * B * (1 - 1e-12)
    # the two row blocks' norms are spread over the whole interval
    X2 = np.array([np.asarray(sp.embed(list(X[:, j]), k), dtype=float)[[0, 2]] for j in range(2000)])
    n2 = np.linalg.norm(X2, axis=2)
    assert (n2 < 0.1 * B).any() and (n2 > 0.9 * B).any()
    assert np.array_equal(X, start_points(sp, k, 2000, seed=0))  # seeded


def test_search_types_once_per_type_and_only_small_spaces():
    seen = {8: [["2", "k-2"], ["6", "k-6"], ["1", "6", "k-7"], ["1", "k-1"]], 9: []}
    got = search_types(seen)
    # Δ(2,k-2) and Δ(6,k-6) are one type at k = 8; Δ(1,6,k-7) has 11 parameters; ΔS_k always
    assert got == [(8, ["1", "k-1"]), (8, ["2", "k-2"]), (8, ["k"]), (9, ["k"])]
