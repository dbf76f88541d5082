"""The command line: output formats and one-line errors with exit code 2."""
import json
import subprocess
import sys

import pytest

from symcrit.cli.registry import COMMANDS

from cli_helpers import assert_user_error, run_main


def run(*args):
    return subprocess.run([sys.executable, "-m", "symcrit.cli", *args], capture_output=True, text=True)


def test_help_lists_commands():
    r = run("--help")
    assert r.returncode == 0
    assert "loss" in r.stdout


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


# -- bad input: one line, exit 2, before any work ---------------------------------------------------
@pytest.mark.parametrize("argv", [
    ["solve", "sk1", "--k", "0"],
    ["solve", "sk1", "--k", "nan"],
    ["solve", "sk1", "--k", "inf"],
    ["solve", "sk1", "--k", "six"],
    ["solve", "sk1", "--k", "10**0.5"],
    ["solve", "sk1", "--k", "1:100000"],
    ["solve", "nosuch", "--k", "6"],
    ["spectrum", "sk1", "--k", "6,7"],
    ["crossings", "sk1", "--step", "0"],
    ["crossings", "sk1", "--to", "x"],
    ["eigseries", "sk1", "--component", "V_99"],
    ["bifurcation", "sk1", "--k", "7", "--component", "V_99"],
    ["folds", "sk1", "--from", "abc"],
    ["solve", "sk1", "--k", "6", "--dps", "100000"],              # beyond the cost limit without --force
    ["series", "sk1", "--order", "10000"],
    ["count", "--rstar", "3000", "--m", "100000"],
    ["equivariants", "--n", "30", "--degree", "6"],               # hours of exact rank: refused without --force
])
def test_bad_values_fail_fast(argv, capsys):
    rc, out, err, dt = run_main(argv, capsys)
    assert_user_error(rc, out, err)
    assert dt < 2.0, f"{argv}: {dt:.1f} s before the error"


# -- an internal error is a bug: traceback, exit 1 -------------------------------------------------
def _inject(monkeypatch, exc):
    """Make `symcrit families` raise ``exc`` (an internal error, not a user's)."""
    help_, add, _ = COMMANDS["families"]

    def boom(args):
        raise exc
    monkeypatch.setitem(COMMANDS, "families", (help_, add, boom))


def test_internal_error_keeps_traceback(capsys, monkeypatch):
    _inject(monkeypatch, RuntimeError("injected"))
    rc, out, err, _ = run_main(["families"], capsys)
    assert rc == 1
    assert "Traceback" in err and "RuntimeError: injected" in err
    assert "bug in symcrit" in err and "symcrit --version" in err and "symcrit families" in err


def test_a_plain_value_error_is_not_a_user_error(capsys, monkeypatch):
    _inject(monkeypatch, ValueError("an internal ValueError"))
    rc, out, err, _ = run_main(["families"], capsys)
    assert rc == 1 and "Traceback" in err


def test_python_dash_m_symcrit_is_the_command_line():
    r = subprocess.run([sys.executable, "-m", "symcrit", "families", "--json"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert any(f["id"] == "sk1" for f in json.loads(r.stdout))


def test_no_help_text_holds_a_rest_substitution():
    """The docs render every command's help as reST, where |x| is a substitution reference (the docs
    build failed twice on ``|s_c|``): help texts write abs(x) instead."""
    import argparse
    import re

    from symcrit.cli.main import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    bad = []
    for name, p in sub.choices.items():
        for a in p._actions:
            if a.help and re.search(r"\|[A-Za-z_][^|\s]*\|", a.help):
                bad.append((name, a.dest, a.help))
    assert bad == []
