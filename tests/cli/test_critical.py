"""The commands solve, families, folds (symcrit.cli.critical)."""
import json
from fractions import Fraction

import pytest

from symcrit import family, register_family, unregister_family
from symcrit.cli import main

from cli_helpers import assert_user_error, run_main


def test_cli_solve_exact_large_k(capsys):
    for text in ("10**30", "1e30", "1000000000000000000000000000000"):
        rc, out, err, _ = run_main(["solve", "sk1", "--k", text, "--dps", "30", "--json"], capsys)
        assert rc == 0, err
        assert json.loads(out)[0]["k"] == 10**30
    rc, out, err, _ = run_main(["solve", "sk1", "--k", "10**30", "--dps", "30"], capsys)
    assert "1000000000000000000000000000000 " in out and "19884624838656" not in out


def test_cli_solve_fraction_k(capsys):
    cp = family("sk1").solve("15/2", dps=30, verify=False)
    assert cp.k == Fraction(15, 2)
    rc, out, err, _ = run_main(["solve", "sk1", "--k", "15/2,7.5", "--dps", "20", "--json"], capsys)
    assert rc == 0, err
    recs = json.loads(out)
    assert [r["k"] for r in recs] == ["7.5", "7.5"] and recs[0]["loss"] == recs[1]["loss"]


# -- families is instant; LaTeX of results --------------------------------------------------------
def test_families_does_not_track_branches(capsys):
    f = register_family("test_lazy", ["1", "k-1"], limit={"a": -1, "b": 0, "c": 0, "d": 1, "e": 0}, replace=True)
    try:
        rc, out, err, dt = run_main(["families", "--json"], capsys)
        assert rc == 0 and "track" not in f.__dict__
        assert "test_lazy" in [r["id"] for r in json.loads(out)]
        assert dt < 2.0
    finally:
        unregister_family("test_lazy")


IDS = ["global", "sk1", "sk1b", "sk", "s2", "sk1x"]


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
    enc = ["sk1g-m", "sk1g-p", "sksk1b-p", "sksk1b-m"]
    assert [r["id"] for r in recs] == IDS + enc + ["rank1p", "rank1m", "rank1mp", "rank1pm"]
    assert recs[1]["params"] == ["a", "b", "c", "d", "e"]
    assert [r["kind"] for r in recs] == ["branch"] * len(IDS) + ["enclosure"] * 4 + ["closed form"] * 4
    assert recs[len(IDS)]["selector"]["start"][0] == "6"
    assert recs[len(IDS) + 4]["selector"]["closed_form"][0] == "(sqrt(k - 1) - atan2(sqrt(k - 1), 1) + pi)/(pi*k)"


def test_cli_solve_closed_form(capsys):
    assert main(["solve", "rank1mp", "--k", "6", "--dps", "20", "--json"]) == 0
    r = json.loads(capsys.readouterr().out)[0]
    assert r["loss"].startswith("0.9920904891381199") and float(r["gradient_residual"]) < 1e-25


X10 = [-0.512, 0.544, 0.179, 0.058, -0.821, 0.21]  # a critical point at k = 10, to 3 digits


def test_cli_folds(capsys):
    rc = main(["folds", "--blocks", "3,k-3", "--at", "10", "--x=" + ",".join(map(str, X10)),
               "--from", "5", "--to", "6", "--digits", "15", "--json"])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert [f["k"] for f in out] == ["5.57235257694128"] and out[0]["certified"] is True
    lo, hi = out[0]["k_enclosure"]
    assert lo <= "5.572352576941281546032486371" <= hi and "Krawczyk" in out[0]["evidence"]


@pytest.mark.parametrize("argv, msg", [
    (["folds"], "give a family id"),
    (["folds", "sk1", "--blocks", "1,k-1"], "not both"),
    (["folds", "--blocks", "3,k-3", "--at", "10", "--x", "1,2"], "needs 6 values"),
    (["folds", "sk1", "--from", "9", "--to", "8"], "--from must be below"),
    (["folds", "sk1", "--digits", "5"], "at least 10"),
    (["folds", "nope"], "unknown family"),
])
def test_cli_folds_errors(argv, msg, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert msg in err and "Traceback" not in err and err.count("\n") == 1


# -- CLI ----------------------------------------------------------------------------------------------
def test_cli_solve_certify_json_carries_evidence_and_index(capsys):
    from symcrit.cli import main
    assert main(["solve", "sk1b", "--k", "6,7", "--dps", "30", "--certify", "--json"]) == 0
    recs = json.loads(capsys.readouterr().out)
    assert [r["index"] for r in recs] == [6, 0]
    assert recs[0]["evidence"] == {"critical": "proven", "index": "proven", "minimum": None}
    assert recs[1]["evidence"] == {"critical": "proven", "index": "proven", "minimum": "proven"}
    assert recs[1]["inertia"] == {"negative": 0, "zero": 0, "positive": 49}


@pytest.mark.parametrize("argv", [
    ["solve", "sk1", "--k", "10**400"],                 # an exact k beyond the float64 tracker: no OverflowError
    ["solve", "sk1", "--k", "1e400", "--json"],
    ["folds", "sk1", "--to", "1e400"],
    ["folds", "--blocks", "3,k-3", "--at", "1e400", "--x=1,2,3,4,5,6"],
    ["folds", "--blocks", "3,k-3", "--at", "10", "--x=nan,0,0,0,1,0"],
    ["folds", "--blocks", "3,k-3", "--at", "10", "--x=a,b,c,d,e,f"],
])
def test_huge_or_bad_values_are_user_errors(argv, capsys):
    """Each is one line on stderr and exit 2, in about the start-up time (before any work)."""
    rc, out, err, dt = run_main(argv, capsys)
    assert_user_error(rc, out, err)
    assert out == "" and dt < 5


def test_solve_beyond_the_tracker_says_how_big(capsys):
    rc, out, err, _ = run_main(["solve", "sk1", "--k", "10**400"], capsys)
    assert "1.0e+400" in err and "0000000000" not in err
