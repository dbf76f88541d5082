"""Discovery campaigns: batched gradient, determinism, resumption, identification."""
import json

import numpy as np

from symcrit import StudentTeacher
from symcrit.critical.families import family
from symcrit.landscape.discover import batched_gradient, discover, identify, read_campaign


def test_batched_gradient_matches_the_model():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(4, 5, 5))
    G = batched_gradient(W, np.eye(5))
    m = StudentTeacher(5)
    for r in range(4):
        assert np.abs(G[r] - m.gradient(W[r])).max() < 1e-14


def test_identify_a_perturbed_family_point():
    cp = family("sk1").solve(9, dps=30, verify=False)
    W = np.array(cp.W, dtype=float)
    rng = np.random.default_rng(3)
    r, c = rng.permutation(9), rng.permutation(9)
    rec = identify(W[r][:, c] + 1e-9 * rng.normal(size=(9, 9)), 9)
    assert rec["family"] == "sk1" and rec["isotropy"] == [1, 8]
    assert abs(rec["loss"] - float(cp.loss)) < 1e-15 and rec["residual"] < 1e-25


def test_campaign_is_deterministic_and_resumable(tmp_path):
    path = tmp_path / "c.jsonl"
    full = discover(8, 12, seed=5)
    part = discover(8, 6, seed=5, out=str(path))            # an interrupted campaign: 6 of 12 done
    assert part["runs"] == 6 and len(path.read_text().splitlines()) == 6
    with open(path, "a") as fh:                              # a line cut by the interruption
        fh.write('{"run": 7, "conv')
    resumed = discover(8, 12, seed=5, out=str(path))
    assert resumed == full                                   # same result, nothing lost
    lines = [json.loads(l) for l in path.read_text().splitlines() if l.endswith("}")]
    assert sorted(r["run"] for r in lines) == list(range(12))


def test_every_run_converges_and_global_is_found_at_small_k():
    s = discover(6, 10, seed=0)
    assert s["converged"] == 10
    fams = {m["family"] for m in s["minima"]}
    assert "global" in fams


def test_dask_localcluster_gives_the_same_campaign():
    from distributed import Client, LocalCluster
    local = discover(7, 10, seed=4, batch=5)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        remote = discover(7, 10, seed=4, batch=5, scheduler=client)
    assert remote == local


def test_overparameterised_minima_reduce_by_merging_split_neurons():
    """n = k + 1: zero-loss end points are the global minimum with one neuron split in two parallel
    rows; merging them gives the n = k point with the same loss, identified as 'global'."""
    from symcrit.landscape.discover import merge_parallel
    s = discover(8, 8, seed=3, n=9)
    assert s["converged"] == 8
    zero = [m for m in s["minima"] if m["loss"] == 0.0]
    assert zero and zero[0]["family"] == "global"
    W = np.vstack([np.eye(4)[:3], 0.3 * np.eye(4)[3], 0.7 * np.eye(4)[3]])
    M, groups = merge_parallel(W)
    assert np.allclose(M, np.eye(4)) and [3, 4] in groups
    assert abs(StudentTeacher(4, n=5).loss(W)) < 1e-15


def test_identify_rejects_a_newton_point_far_from_the_end_point():
    """An end point that is not near a critical point: Newton may converge somewhere else; the
    refined point is then rejected, with the reason, and the group is not called a minimum."""
    from symcrit.landscape.discover import classify_end_point
    cp = family("sk1").solve(9, dps=30, verify=False)
    W = np.array(cp.W, dtype=float)
    rec = identify(W + 1e-2 * np.eye(9)[0][:, None] * np.ones(9), 9)     # keep the isotropy, move 1e-2
    assert rec["refined"] is False and rec["family"] is None
    assert "moved" in rec["unidentified"] and rec["refinement"]["distance"] > 1e-4
    st = classify_end_point(rec, 9, 9)
    assert st["kind"] == "end point" and st["evidence"] == "estimated" and st["min_eigenvalue"] is None
    # the same point accepted when the allowed distance is larger: then it is sk1 again
    rec2 = identify(W + 1e-2 * np.eye(9)[0][:, None] * np.ones(9), 9, max_distance=1.0)
    assert rec2["refined"] is True and rec2["family"] == "sk1"


def test_identify_rejects_a_large_residual():
    cp = family("sk1").solve(9, dps=30, verify=False)
    W = np.array(cp.W, dtype=float)
    rec = identify(W, 9, max_residual=0.0)          # no residual is <= 0 at 30 digits: rejected
    assert rec["refined"] is False and rec["unidentified"].startswith("reduced gradient")


def test_groups_say_what_is_known_about_a_minimum():
    from symcrit.landscape.discover import classify_end_point, summarise
    s = discover(6, 6, seed=0)
    for m in s["minima"]:
        assert m["kind"] in ("minimum", "saddle", "undecided", "end point")
        assert m["label"].startswith(m["kind"] + ":") and m["evidence"] in m["label"]
        if m["kind"] == "minimum":
            assert m["evidence"] == "checked" and m["min_eigenvalue"] > 0
    # a saddle refined on its family is labelled a saddle, never a minimum (sk1 at k = 5 has
    # negative directions)
    st = classify_end_point({"refined": True, "family": "s2", "loss": 0.1}, 7, 7)
    assert st["kind"] == "saddle" and st["min_eigenvalue"] < 0
    # an unrefined end point is not a minimum
    rec = {"run": 0, "converged": True, "loss": 0.05, "isotropy": [1] * 6, "family": None, "refined": False,
           "unidentified": "trivial isotropy: no fixed-point space to refine on"}
    g = summarise(6, 6, 1, [rec])["minima"][0]
    assert g["kind"] == "end point" and g["evidence"] == "estimated" and "trivial isotropy" in g["unidentified"]


def test_campaign_file_with_a_cut_last_line_resumes(tmp_path):
    f = tmp_path / "camp.jsonl"
    good = {"run": 0, "seed": 0, "k": 4, "n": 4, "converged": True, "loss": 0.0}
    f.write_text(json.dumps(good) + "\n" + '{"run": 1, "seed": 0, "k"')
    assert list(read_campaign(str(f))) == [0]


# -- classification: by symmetry blocks, stored in the campaign records, in parallel -----------

def _end_points(k, runs, seed):
    """The identified end points of a campaign's runs (the records before classification)."""
    from symcrit.landscape.discover import optimise
    W0 = np.stack([np.random.default_rng([seed, i]).normal(scale=k ** -0.5, size=(k, k)) for i in range(runs)])
    X, _, conv = optimise(W0, np.eye(k))
    return [{"run": i, "converged": True, **identify(X[i], k)} for i in range(runs) if conv[i]]


def test_symmetry_block_classification_equals_the_dense_one_at_small_k():
    """For every end point type a campaign meets at k = 6..8, and every catalogued family there
    (saddles included): the isotypic-block route and the dense k²×k² route give the same extreme
    eigenvalues (to 1e-9), the same index and the same kind."""
    import mpmath
    import sympy

    from symcrit.critical.families import families
    from symcrit.symmetry.fixedpoint import K_SYMBOL
    from symcrit.landscape.discover import classify_end_point, hessian_extremes
    seen, kinds = set(), set()
    for k in (6, 7, 8):
        points = [r for r in _end_points(k, 30, 2) if r.get("refined")]
        assert points
        for f in families():
            if f.space.extra or k < f.k_min:
                continue
            cp = f.solve(k, dps=30, verify=False)
            points.append({"refined": True, "family": f.id, "loss": float(cp.loss),
                           "isotropy": [int(sympy.sympify(s).subs(K_SYMBOL, k)) for s in f.space.sizes],
                           "params": {str(p): mpmath.nstr(v, 20) for p, v in zip(f.space.params, cp.values)}})
        for rec in points:
            key = (k, rec.get("family"), tuple(rec["isotropy"]), round(rec["loss"], 6))
            if key in seen:
                continue
            seen.add(key)
            b, d = hessian_extremes(rec, k, "blocks"), hessian_extremes(rec, k, "dense")
            assert b["route"] == "blocks" and d["route"] == "dense"
            assert abs(b["min_eigenvalue"] - d["min_eigenvalue"]) < 1e-9
            assert abs(b["max_eigenvalue"] - d["max_eigenvalue"]) < 1e-9 * max(1, abs(d["max_eigenvalue"]))
            assert b["index"] == d["index"] is not None
            kb, kd = classify_end_point(rec, k, k)["kind"], classify_end_point(rec, k, k, hessian="dense")["kind"]
            assert kb == kd
            kinds.add(kb)
    assert kinds == {"saddle", "minimum"} and len(seen) >= 12


def test_a_reopened_campaign_does_not_classify_again(tmp_path, monkeypatch):
    from symcrit.landscape import discover as D
    calls = []
    real = D.hessian_extremes
    monkeypatch.setattr(D, "hessian_extremes",
                        lambda rec, k, route="blocks": calls.append(rec["run"]) or real(rec, k, route))
    path = tmp_path / "c.jsonl"  # seed 0 at k = 8: run 7 ends at sk1, the others at the global minimum
    first = discover(8, 10, seed=0, out=str(path))
    groups = [m for m in first["minima"] if m["hessian"]]
    assert len(calls) == len(groups) >= 2
    stored = {r["run"]: r["classification"] for r in read_campaign(str(path)).values() if "classification" in r}
    assert sorted(stored) == sorted(calls)
    assert all(c["route"] == "blocks" and c["index_evidence"] == "estimated" for c in stored.values())
    assert len(path.read_text().splitlines()) == 10  # one line per run, still
    calls.clear()
    again = discover(8, 10, seed=0, out=str(path))
    assert calls == [] and again == first
    # a campaign file written before the field existed: classified once, then stored
    lines = [json.loads(l) for l in path.read_text().splitlines()]
    for r in lines:
        r.pop("classification", None)
    path.write_text("".join(json.dumps(r) + "\n" for r in lines))
    assert discover(8, 10, seed=0, out=str(path)) == first and len(calls) == len(groups)
    calls.clear()
    assert discover(8, 10, seed=0, out=str(path)) == first and calls == []
    # asking for the other route computes it (and stores it in place of the first)
    dense = discover(8, 10, seed=0, out=str(path), hessian="dense")
    assert len(calls) == len(groups) and all(m["hessian"] in ("dense", None) for m in dense["minima"])
    assert [m["kind"] for m in dense["minima"]] == [m["kind"] for m in first["minima"]]
    assert [m["index"] for m in dense["minima"]] == [m["index"] for m in first["minima"]]


def test_parallel_classification_equals_serial():
    from symcrit.landscape.discover import summarise
    recs = _end_points(8, 10, 0)  # seed 0 at k = 8: run 7 ends at sk1, the others at the global minimum
    serial = summarise(8, 8, 10, json.loads(json.dumps(recs)))
    parallel = summarise(8, 8, 10, json.loads(json.dumps(recs)), jobs=2)
    assert parallel == serial and len([m for m in serial["minima"] if m["hessian"]]) >= 2
