"""Discovery campaigns: batched gradient, determinism, resumption, identification."""
import json

import numpy as np

from symcrit import StudentTeacher
from symcrit.cli import main
from symcrit.landscape.discover import batched_gradient, discover, identify
from symcrit.critical.families import family


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


def test_cli_discover_json(capsys):
    assert main(["discover", "--k", "8", "--runs", "8", "--seed", "1", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert set(d) >= {"k", "n", "runs", "spurious_fraction", "minima"}
    assert sum(m["count"] for m in d["minima"]) == d["converged"]
    assert main(["discover", "--k", "8", "--runs", "0"]) == 2


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
