"""The commands discover, count, atlas (symcrit.cli.landscape)."""
import json
import socket

import mpmath
import pytest

from symcrit.cli import main
from symcrit.core.errors import BadFile
from symcrit.landscape.discover import read_campaign

from cli_helpers import assert_user_error, run_main


@pytest.mark.parametrize("content, what", [
    (b"42\n", "not a campaign record"),
    (b'{"run": 0, "seed": 0, "k": 4, "n": 4, "converged": true}\n', "no field 'loss'"),
    (b'{"run": 0, "seed": 0, "k": 4, "n": 4, "converged": true, "loss": 0.1}\n\xff\xfe\n', "not UTF-8"),
    (b"hello\n", "not JSON"),
    (b'[1, 2]\n', "not a campaign record"),
])
def test_broken_campaign_file(content, what, capsys, tmp_path):
    f = tmp_path / "camp.jsonl"
    f.write_bytes(content)
    rc, out, err, dt = run_main(["discover", "--k", "4", "--runs", "1", "--out", str(f)], capsys)
    assert_user_error(rc, out, err)
    assert str(f) in err and "line " in err and what in err and dt < 2.0
    with pytest.raises(BadFile, match=what):
        read_campaign(str(f))


def test_unreachable_scheduler(capsys):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    pytest.importorskip("distributed")
    rc, out, err, dt = run_main(["discover", "--k", "4", "--runs", "2", "--scheduler", f"tcp://127.0.0.1:{port}"],
                                capsys)
    assert_user_error(rc, out, err)
    assert "not reachable" in err and dt < 5.0
    rc, out, err, dt = run_main(["discover", "--k", "4", "--runs", "2", "--scheduler", "nonsense"], capsys)
    assert_user_error(rc, out, err)


def test_a_scheduler_address_that_is_not_a_dask_scheduler(capsys):
    """Something answers at the address but not dask (a web server): one line and exit 2, for
    `atlas` and `discover` (it was a traceback from deep inside distributed, exit 1)."""
    import threading

    pytest.importorskip("distributed")
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    port = srv.getsockname()[1]

    def serve():
        while True:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            c.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n")
            c.close()

    threading.Thread(target=serve, daemon=True).start()
    try:
        for cmd in (["discover", "--k", "4", "--runs", "2"], ["atlas", "--k", "6:7", "--runs", "2"]):
            rc, out, err, dt = run_main(cmd + ["--scheduler", f"tcp://127.0.0.1:{port}"], capsys)
            assert_user_error(rc, out, err)
            assert "did not answer as a dask scheduler" in err and dt < 10.0
    finally:
        srv.close()


def test_a_live_dask_scheduler_passes_the_check():
    from symcrit.landscape.discover import check_scheduler

    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=0, processes=False, protocol="tcp") as cluster:
        check_scheduler(cluster.scheduler_address)  # raises BadInput otherwise


def test_count_json_exact_integers(capsys, tmp_path):
    assert main(["count", "--rstar", "3", "--m", "5", "--crossover", "--json", "--plot", str(tmp_path / "c.png")]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d == {"rstar": 3, "m": 5, "h": 2, "T": 390, "G": {"1": 31, "2": 180}, "G_total": 211, "crossover_h": 2}
    assert (tmp_path / "c.png").stat().st_size > 1000
    # thousands of neurons: exact integers with thousands of digits
    assert main(["count", "--rstar", "12", "--m", "4000", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert len(str(d["T"])) > 4300 and d["T"] > d["G_total"]


def test_cli_atlas_small(tmp_path, capsys, monkeypatch):
    import symcrit.landscape.discover as disc

    out = tmp_path / "atlas"
    # (--no-enclosure: the enclosure's saddle branches are tested in tests/landscape/test_atlas.py)
    argv = ["atlas", "--k", "6:7", "--runs", "30", "--seed", "3", "--out", str(out), "--json", "--no-enclosure"]
    # interrupted in the k = 7 campaign, after its first batch of 25 runs was stored
    calls = []
    real = disc._run_batch

    def interrupted(chunk):
        calls.append(chunk[3])
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real(chunk)
    monkeypatch.setattr(disc, "_run_batch", interrupted)
    rc, o, err, _ = run_main(argv, capsys)
    assert rc == 130 and "run the same command again to resume" in err and o == ""
    assert len((out / "campaign-k006.jsonl").read_text().splitlines()) == 30
    assert len((out / "campaign-k007.jsonl").read_text().splitlines()) == 25
    # resumed: only the 5 runs left at k = 7 are run
    calls.clear()
    monkeypatch.setattr(disc, "_run_batch", lambda chunk: calls.append(chunk[3]) or real(chunk))
    assert main(argv) == 0
    assert calls == [[25, 26, 27, 28, 29]]
    doc = json.loads(capsys.readouterr().out)
    # the same campaign as one without interruption (run i starts from default_rng([seed, i]))
    camp = dict(doc["campaigns"][1])
    # every converged run is on a branch or listed as not identified (with its reason)
    assert camp.pop("on_branches") + sum(g["count"] for g in camp.pop("not_identified")) == camp["converged"]
    assert camp == {k: v for k, v in disc.discover(7, 30, seed=3).items()
                    if k in ("k", "runs", "converged", "spurious_fraction")}
    ids = [b["id"] for b in doc["branches"]]
    assert "global" in ids and "sk" in ids
    sk = next(b for b in doc["branches"] if b["id"] == "sk")
    # sk is a minimum that no run reaches; 30 runs cannot show its basin is below 0.5 % (the Wilson
    # upper bound of 0/30 is 11.4 %): not a hidden minimum, "not reached in 30 runs"
    assert not sk["hidden_minimum"] and sk["minimum_ks"] == [6, 7]
    assert sk["basin_verdict"].startswith("not reached in 30 converged runs per k")
    # the fixed-point search finds it in ΔS_k at k = 6 and 7, where all_critical_points proves the list
    # complete; it adds no branch (nothing spurious)
    assert [(f["k"], f["blocks"]) for f in sk["fixed_point_search"]] == [(6, ["k"]), (7, ["k"])]
    assert all(f["completeness"].startswith("proven complete") for f in sk["fixed_point_search"])
    assert not any(b["found_by"] == "fixed-point search" for b in doc["branches"])
    # in real k: a minimum from the proven crossing k* in (5, 6) on, to the end of the atlas
    lo, hi = sk["minimum_range"]
    assert 5 < mpmath.mpf(lo) < 6 and len(lo) > 25 and hi is None and "Krawczyk" in sk["minimum_range_evidence"]["lo"]
    assert all(p["index_evidence"] == "proven" for b in doc["branches"] for p in b["points"] if b["id"] != "global")
    # (was `== [] or all(c["k"] in (6, 7) ...)`: true of any atlas at k = 6:7, so it could not fail)
    assert doc["coincidences"] == []
    assert all(p["basin_share"] == 0 and p["basin_interval_95"][1] > 0 for p in sk["points"])
    assert all(len(p["loss"].replace(".", "").lstrip("0")) >= 20 for p in sk["points"])
    assert (out / "atlas.json").exists() and (out / "atlas.md").exists() and (out / "atlas_loss.png").exists()
    # resumable: the campaign files are the state, a second run gives the same atlas and runs nothing
    calls.clear()
    assert main(argv) == 0 and calls == []
    assert json.loads(capsys.readouterr().out)["branches"] == doc["branches"]


def test_cli_atlas_refuses_bad_input(tmp_path, capsys):
    assert main(["atlas", "--k", "2:4", "--runs", "5", "--out", str(tmp_path)]) == 2
    assert "integers >= 3" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["atlas", "--k", "6", "--runs", "5", "--out", str(blocker / "sub")]) == 2
    assert "cannot create" in capsys.readouterr().err
    rc, out, err, dt = run_main(["atlas", "--k", "6", "--runs", "5", "--out", str(blocker)], capsys)
    assert_user_error(rc, out, err)
    assert "not a folder" in err
    rc, out, err, dt = run_main(["atlas", "--k", "6", "--runs", "5", "--hidden-starts", "-1", "--out",
                                 str(tmp_path / "h")], capsys)
    assert_user_error(rc, out, err)
    assert "--hidden-starts must be >= 0" in err
    # every mistake is caught before the first run: a seed numpy refuses, a width too large for the
    # dense Hessian, a broken campaign file of the last width in the folder
    for argv, what in ((["--k", "6", "--seed", "-1"], "--seed must be an integer >= 0"),
                       (["--k", "1e30"], "the atlas goes up to k = 64"),
                       (["--k", "6:70"], "the atlas goes up to k = 64")):
        rc, out, err, dt = run_main(["atlas", *argv, "--runs", "5", "--out", str(tmp_path / "a")], capsys)
        assert_user_error(rc, out, err)
        assert what in err and dt < 2.0
    broken = tmp_path / "b"
    broken.mkdir()
    (broken / "campaign-k008.jsonl").write_text("hello\n")
    rc, out, err, dt = run_main(["atlas", "--k", "6:8", "--runs", "5", "--out", str(broken)], capsys)
    assert_user_error(rc, out, err)
    assert "campaign-k008.jsonl, line 1" in err and dt < 2.0
    assert sorted(p.name for p in broken.iterdir()) == ["campaign-k008.jsonl"]  # nothing run, nothing written


def test_cli_discover_json(capsys):
    assert main(["discover", "--k", "8", "--runs", "8", "--seed", "1", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert set(d) >= {"k", "n", "runs", "spurious_fraction", "minima"}
    assert sum(m["count"] for m in d["minima"]) == d["converged"]
    assert main(["discover", "--k", "8", "--runs", "0"]) == 2


@pytest.mark.parametrize("argv", [
    ["atlas", "--k", "10**30", "--runs", "2"],
    ["atlas", "--k", "6,1000", "--runs", "2"],
    ["discover", "--k", "10**30", "--runs", "1", "--force"],
    ["discover", "--k", "10**400", "--runs", "1"],
])
def test_campaigns_at_absurd_k_are_user_errors(argv, capsys, tmp_path):
    rc, out, err, dt = run_main(argv + (["--out", str(tmp_path / "a")] if argv[0] == "atlas" else []), capsys)
    assert_user_error(rc, out, err)
    assert out == "" and dt < 5
