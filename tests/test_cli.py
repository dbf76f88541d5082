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
])
def test_bad_input_is_one_line_exit_2(argv):
    r = run(*argv)
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("symcrit: error:"), r.stderr
    assert "Traceback" not in r.stderr
