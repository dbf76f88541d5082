"""The command line: output formats and one-line errors with exit code 2."""
import json
import subprocess
import sys

import pytest

from symcrit.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "symcrit.cli", *args], capture_output=True, text=True)


def test_help_lists_commands():
    r = run("--help")
    assert r.returncode == 0
    assert "loss" in r.stdout


def test_loss_latex_is_a_formula_in_k():
    r = run("loss", "--blocks", "1,k-1", "--latex")
    assert r.returncode == 0, r.stderr
    out = r.stdout.strip()
    assert out.startswith("F(a, b, c, d, e) = ")
    assert "k" in out and "\\pi" in out and "\\operatorname{atan2}" in out


def test_loss_json(capsys):
    assert main(["loss", "--blocks", "2,k-2", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["params"] == ["alpha", "beta", "gamma", "delta", "d", "e"]
    assert d["dim"] == 6 and d["k_min"] == 4
    assert d["blocks"] == ["2", "k - 2"]


def test_loss_plain(capsys):
    assert main(["loss", "--blocks", "k"]) == 0
    assert "p, q" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [
    ["loss", "--blocks", "1,k-2"],        # does not sum to k
    ["loss", "--blocks", "1,x"],          # not numeric / affine in k
    ["loss", "--blocks", "a,b"],
    ["loss"],                             # missing option
    ["loss", "--blocks", "k", "--nope"],  # unknown option
    ["nosuchcommand"],
    ["count", "--rstar", "5", "--m", "3"],           # m < r*
    ["count", "--rstar", "0", "--m", "3"],
    ["count", "--rstar", "1", "--m", "3", "--crossover"],
    ["bifurcation", "sk1", "--k", "5.5"],              # --component missing
    ["bifurcation", "nosuch", "--k", "5.5", "--component", "V_2"],
    ["bifurcation", "sk", "--k", "5.76", "--component", "[p-2,1,1]_1"],
    ["bifurcation", "s2", "--k", "7.5", "--component", "V_1"],       # p = 2: no quadratic equivariant
])
def test_bad_input_is_one_line_exit_2(argv):
    r = run(*argv)
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("symcrit: error:"), r.stderr
    assert "Traceback" not in r.stderr


def test_count_json_exact_integers(capsys, tmp_path):
    assert main(["count", "--rstar", "3", "--m", "5", "--crossover", "--json", "--plot", str(tmp_path / "c.png")]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d == {"rstar": 3, "m": 5, "h": 2, "T": 390, "G": {"1": 31, "2": 180}, "G_total": 211, "crossover_h": 2}
    assert (tmp_path / "c.png").stat().st_size > 1000
    # thousands of neurons: exact integers with thousands of digits
    assert main(["count", "--rstar", "12", "--m", "4000", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert len(str(d["T"])) > 4300 and d["T"] > d["G_total"]


def test_series_progress_bars_move_and_stay_off_with_json(capsys):
    """--progress: a bar per stage that moves during ONE series computation (Newton steps of the
    ball route, column-steps of the exact route); never with --json (stdout stays pure JSON)."""
    from symcrit.asymptotics.series import _series_cached_key

    _series_cached_key.cache_clear()
    assert main(["series", "sk1", "--order", "5", "--exact", "--progress"]) == 0
    cap = capsys.readouterr()
    frames = [f for f in cap.err.replace("\r", "\n").split("\n") if f.strip()]
    ball = [f for f in frames if f.startswith("series sk1")]
    exact = [f for f in frames if f.startswith("exact forms sk1")]
    assert len({f.split("|")[0] for f in ball}) >= 3, ball       # at least three different percentages
    assert len({f.split("|")[0] for f in exact}) >= 3, exact
    assert "proven" in cap.out
    _series_cached_key.cache_clear()
    assert main(["series", "sk1", "--order", "3", "--exact", "--progress", "--json"]) == 0
    cap = capsys.readouterr()
    assert cap.err == "" and json.loads(cap.out)["exact_info"]["status"] == "proven"


def test_eigseries_json_labels_every_coefficient(capsys):
    """`symcrit eigseries --json`: each coefficient with its evidence (proven balls here), the check
    against the eigenvalue at k = 10^16 and its tolerance; the text table shows the evidence counts."""
    assert main(["eigseries", "sk", "--order", "3", "--component", "[p-2,2]_1", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    (r,) = d["[p-2,2]_1"]
    assert r["expanded"] and r["evidence"] == "proven: 4 of 4" and r["proof"] == "ball enclosures"
    assert [t["power"] for t in r["terms"]] == [0, 1, 2, 3]
    assert all(t["evidence"] == "proven" and t["check"]["ok"] and float(t["radius"]) < 1e-40 for t in r["terms"])
    assert r["coefficients"][1].startswith("-0.3183098861837906715")     # −1/π
    assert main(["eigseries", "sk", "--order", "3", "--component", "[p-2,2]_1"]) == 0
    out = capsys.readouterr().out
    assert "proven: 4 of 4" in out and "(-0.31830988618)·s^1" in out
