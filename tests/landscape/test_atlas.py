"""The atlas: grouping into branches by continuation (never split, never merged wrongly, never
lost), hidden minima, basin intervals, and the command on small k."""
import json

import mpmath

from symcrit.cli import main
from symcrit.critical.families import family
from symcrit.landscape.atlas import group_sightings, wilson_interval


def _sighting(fid, k, count=1):
    cp = family(fid).solve(k, dps=30, verify=False)
    # blocks written as campaigns write them ("k-1"), not as sympy prints them ("k - 1")
    return {"k": k, "count": count, "blocks": [str(b).replace(" ", "") for b in family(fid).space.blocks],
            "params": [mpmath.nstr(v, 25) for v in cp.values]}


def test_two_branches_of_one_isotropy_type_are_kept_apart_and_whole():
    # sk1 and sk1b share the isotropy Δ(S_1 × S_{k-1}); seen as "new" points they must form exactly
    # two branches, each holding all of its own widths
    sightings = [_sighting("sk1", k, 2) for k in (7, 9, 10)] + [_sighting("sk1b", k) for k in (8, 10)]
    branches = group_sightings(sightings, catalogue=False)
    got = sorted(sorted(b.sightings) for b in branches)
    assert got == [[7, 9, 10], [8, 10]]
    assert sum(sum(b.sightings.values()) for b in branches) == 2 * 3 + 2  # no run lost
    # each branch is a family a user can follow: it reproduces the catalogued points
    for b in branches:
        ref = "sk1" if sorted(b.sightings) == [7, 9, 10] else "sk1b"
        x = b.family.solve(8, dps=30, verify=False).values
        y = family(ref).solve(8, dps=30, verify=False).values
        assert max(abs(a - c) for a, c in zip(x, y)) < 1e-20


def test_catalogued_sightings_join_their_family():
    branches = group_sightings([{"k": 8, "count": 5, "family": "sk1"}, {"k": 9, "count": 1, "family": "sk1"}])
    sk1 = next(b for b in branches if b.id == "sk1")
    assert sk1.sightings == {8: 5, 9: 1}
    assert next(b for b in branches if b.id == "sk").sightings == {}


def test_wilson_interval():
    lo, hi = wilson_interval(0, 920)
    assert lo == 0.0 and 0.004 < hi < 0.0045
    lo, hi = wilson_interval(46, 920)
    assert lo < 0.05 < hi and hi - lo < 0.03


def test_cli_atlas_small(tmp_path, capsys):
    out = tmp_path / "atlas"
    assert main(["atlas", "--k", "6:7", "--runs", "12", "--seed", "3", "--out", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    ids = [b["id"] for b in doc["branches"]]
    assert "global" in ids and "sk" in ids
    sk = next(b for b in doc["branches"] if b["id"] == "sk")
    # sk is a minimum that descent from random starts does not reach: a hidden minimum
    assert sk["hidden_minimum"] and sk["minimum_range"] == [6, 7]
    assert all(p["basin_share"] == 0 and p["basin_interval_95"][1] > 0 for p in sk["points"])
    assert all(len(p["loss"].replace(".", "").lstrip("0")) >= 20 for p in sk["points"])
    assert (out / "atlas.json").exists() and (out / "atlas.md").exists() and (out / "atlas_loss.png").exists()
    # resumable: the campaign files are the state, a second run gives the same atlas
    assert main(["atlas", "--k", "6:7", "--runs", "12", "--seed", "3", "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["branches"] == doc["branches"]


def test_cli_atlas_refuses_bad_input(tmp_path, capsys):
    assert main(["atlas", "--k", "2:4", "--runs", "5", "--out", str(tmp_path)]) == 2
    assert "integers >= 3" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["atlas", "--k", "6", "--runs", "5", "--out", str(blocker / "sub")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_atlas_on_a_local_dask_cluster_is_the_same_atlas(tmp_path):
    from distributed import Client, LocalCluster

    from symcrit.landscape.atlas import atlas
    local = atlas([6], runs=8, seed=5, out=str(tmp_path / "local"))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        remote = atlas([6], runs=8, seed=5, out=str(tmp_path / "remote"), scheduler=client)
    assert remote["branches"] == local["branches"] and remote["campaigns"] == local["campaigns"]


def test_reproduce_reads_the_campaigns_of_an_atlas(tmp_path, capsys):
    from symcrit.report.reproduce import reproduce
    out = tmp_path / "atlas"
    assert main(["atlas", "--k", "6", "--runs", "10", "--seed", "2", "--out", str(out), "--json"]) == 0
    capsys.readouterr()
    doc = reproduce(str(tmp_path / "rep"), progress=False, only=["safran-shamir"], atlas=str(out))
    facts = doc["claims"][0]["facts"]
    assert str(out) in facts["campaigns"]["method"]
    assert list(facts["campaigns"]["value"]) in ([6], ["6"])
    assert main(["reproduce", "--only", "safran-shamir", "--atlas", str(tmp_path / "nowhere"),
                 "--out", str(tmp_path / "rep2")]) == 2
    assert "no atlas.json" in capsys.readouterr().err
