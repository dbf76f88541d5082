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
