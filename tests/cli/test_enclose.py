"""`symcrit enclose`: all critical points of a fixed-point space, proven complete."""
import json

from symcrit.cli import main


def test_enclose_delta_sk_json(capsys):
    rc = main(["enclose", "k", "--k", "6", "--json"])
    out = capsys.readouterr()
    assert rc == 0, out.err
    rec = json.loads(out.out)[0]
    assert rec["evidence"] == "proven" and rec["critical_points"] == 4 and rec["undecided_count"] == 0
    assert set(rec["catalogue"]["matched"]) == {"global", "sk", "rank1p", "rank1m"} and rec["catalogue"]["missing"] == []
    assert rec["catalogue"]["new"] == []  # W = t±·11ᵀ are named by their closed-form families


def test_enclose_bad_input_is_one_line(capsys):
    for argv in (["enclose", "nofamily", "--k", "6"], ["enclose", "k", "--k", "6.5"],
                 ["enclose", "k", "--k", "6", "--box", "p=1"], ["enclose", "k", "--k", "6", "--box", "z=0:1"],
                 ["enclose", "k", "--k", "6", "--box", "p=2:1"], ["enclose", "1,k-1", "--k", "1"],
                 ["enclose", "k", "--k", "6", "--rho", "-1"], ["enclose", "k", "--k", "6", "--min-width", "2"]):
        rc = main(argv)
        err = capsys.readouterr().err
        assert rc == 2, (argv, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("symcrit: error:") and "Traceback" not in err, (argv, err)


def test_enclose_huge_k_is_a_user_error(capsys):
    from cli_helpers import assert_user_error, run_main
    rc, out, err, dt = run_main(["enclose", "sk", "--k", "10**30"], capsys)
    assert_user_error(rc, out, err)
    assert dt < 5


def test_enclose_incomplete_run_says_why(capsys):
    """A run cut by its box budget is reported incomplete, with the undecided boxes counted by reason
    (text and JSON), and the continua of Δ(S_1 × S_{k−1}) with their tubes."""
    rc = main(["enclose", "1,k-1", "--k", "6", "--rho", "0", "--max-boxes", "60", "--json"])
    out = capsys.readouterr()
    assert rc == 0, out.err
    rec = json.loads(out.out)[0]
    assert rec["evidence"] == "incomplete" and not rec["complete"] and rec["undecided_count"] > 0
    assert sum(rec["undecided_reasons"].values()) == rec["undecided_count"]
    assert "not examined: the box budget (max_boxes) ran out" in rec["undecided_reasons"]
    assert len(rec["continua"]) == 2 and all(c["tube_boxes"] > 0 for c in rec["continua"])
    rc = main(["enclose", "1,k-1", "--k", "6", "--rho", "0", "--max-boxes", "60"])
    text = capsys.readouterr().out
    assert "evidence: incomplete" in text and "x not examined: the box budget (max_boxes) ran out" in text
    assert "tubes (proven)" in text
