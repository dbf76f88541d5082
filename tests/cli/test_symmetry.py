"""The commands loss, equivariants (symcrit.cli.symmetry)."""
import json
import subprocess
import sys

from symcrit.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "symcrit.cli", *args], capture_output=True, text=True)


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


def test_cli_equivariants(capsys):
    assert main(["equivariants", "--n", "4", "--degree", "3", "--check", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert [r["dimension"] for r in d["degrees"]] == [1, 1, 2]
    assert all(r["dimension"] == r["brute_force_dimension"] for r in d["degrees"])
    assert main(["equivariants", "--n", "1"]) == 2
