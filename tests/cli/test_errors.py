"""One error policy (issue 18): a user's mistake is one line on stderr and exit code 2, found before
the work starts; an internal error keeps its traceback, says it is a bug and exits with code 1.
Exact k: 10**30, 1e30 and 15/2 are the numbers they say, never a float."""
import json
import socket
import time
from fractions import Fraction

import mpmath
import pytest

from symcrit import family, families, latex, register_family, unregister_family
from symcrit.cli import main
from symcrit.cli.registry import COMMANDS
from symcrit.core.errors import BadFile, BadInput, OutOfRange, SymcritError
from symcrit.core.numbers import format_exact, parse_k, parse_number, to_mpf
from symcrit.landscape.discover import read_campaign


def run_main(argv, capsys):
    """main() in this process: (exit code, stdout, stderr, seconds)."""
    t = time.perf_counter()
    rc = main(argv)
    dt = time.perf_counter() - t
    out = capsys.readouterr()
    return rc, out.out, out.err, dt


def assert_user_error(rc, out, err):
    assert rc == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("symcrit: error:"), err
    assert "Traceback" not in err


# -- the k parser ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text, value", [
    ("7", 7), ("7.5", Fraction(15, 2)), ("15/2", Fraction(15, 2)), ("1e30", 10**30), ("10**30", 10**30),
    ("10^30", 10**30), ("1000000000000000000000000000000", 10**30), ("2.5e-3", Fraction(1, 400)),
    (" 6 ", 6), ("(1+2)*3", 9), (7, 7), (Fraction(14, 2), 7), (7.5, Fraction(15, 2)), (6.0, 6),
])
def test_parse_k_is_exact(text, value):
    k = parse_k(text)
    assert k == value and type(k) is type(value)


@pytest.mark.parametrize("bad", ["0", "-3", "nan", "inf", "-inf", "abc", "10**0.5", "1/0", "", "10**10**10",
                                 "__import__('os')", 1e30, 0.1, float("nan"), True, None, [6]])
def test_parse_k_refuses(bad):
    with pytest.raises(BadInput):
        parse_k(bad)


def test_parse_k_floats_only_when_allowed():
    assert parse_k(1e30, allow_float=True) == 1000000000000000019884624838656  # the float's own value
    assert parse_number("-0.25", name="x") == Fraction(-1, 4)
    with mpmath.workdps(40):
        assert to_mpf(Fraction(1, 3)) == mpmath.mpf(1) / 3
    assert format_exact(Fraction(29, 4)) == "7.25" and format_exact(Fraction(1, 3)) == "1/3"


# -- exact k through the API and the CLI ------------------------------------------------------------
def test_solve_at_exactly_ten_to_the_thirty():
    for k in ("1e30", "10**30", 10**30):
        cp = family("sk1").solve(k, dps=30, verify=False)
        assert cp.k == 10**30 and isinstance(cp.k, int)
    with pytest.raises(BadInput):
        family("sk1").solve(1e30)  # the float 1e30 is not 10^30
    with pytest.raises(OutOfRange):
        family("sk1").solve(-2)


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


def test_spectrum_multiplicity_exact_at_ten_to_the_hundred(capsys):
    rc, out, err, _ = run_main(["spectrum", "sk1", "--k", "1e100", "--json"], capsys)
    assert rc == 0, err
    d = json.loads(out)
    assert d["k"] == 10**100
    mult = {e["component"]: e["multiplicity"] for e in d["eigenvalues"]}
    # exact integers, written as decimal strings in JSON when they exceed 2^53
    assert mult["V_2"] == str(10**100 - 2)
    assert mult["[p-2,1,1]_2"] == str((10**100 - 3) * (10**100 - 2) // 2)


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
])
def test_bad_values_fail_fast(argv, capsys):
    rc, out, err, dt = run_main(argv, capsys)
    assert_user_error(rc, out, err)
    assert dt < 2.0, f"{argv}: {dt:.1f} s before the error"


def test_cost_limit_names_force(capsys):
    rc, out, err, _ = run_main(["solve", "sk1", "--k", "6", "--dps", "100000"], capsys)
    assert rc == 2 and "--force" in err and "estimate" in err


@pytest.mark.parametrize("cmd", [
    ["crossings", "sk1", "--plot"], ["validate", "sk1", "--plot"], ["spectrum", "sk1", "--k", "6", "--plot"],
    ["count", "--rstar", "3", "--m", "5", "--plot"], ["discover", "--k", "4", "--runs", "2", "--out"],
])
def test_unwritable_paths_fail_fast(cmd, capsys, tmp_path):
    rc, out, err, dt = run_main(cmd + [str(tmp_path / "no" / "such" / "folder" / "x.png")], capsys)
    assert_user_error(rc, out, err)
    assert "does not exist" in err and dt < 2.0
    rc, out, err, dt = run_main(cmd + [str(tmp_path)], capsys)  # a folder where a file is needed
    assert_user_error(rc, out, err)
    assert "is a folder" in err and dt < 2.0


def test_reproduce_out_that_is_a_file(capsys, tmp_path):
    f = tmp_path / "report"
    f.write_text("x")
    rc, out, err, dt = run_main(["reproduce", "--out", str(f)], capsys)
    assert_user_error(rc, out, err)
    assert "not a folder" in err and dt < 2.0


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


def test_campaign_file_with_a_cut_last_line_resumes(tmp_path):
    f = tmp_path / "camp.jsonl"
    good = {"run": 0, "seed": 0, "k": 4, "n": 4, "converged": True, "loss": 0.0}
    f.write_text(json.dumps(good) + "\n" + '{"run": 1, "seed": 0, "k"')
    assert list(read_campaign(str(f))) == [0]


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


# -- an internal error is a bug: traceback, exit 1 -------------------------------------------------
def test_internal_error_keeps_traceback(capsys, monkeypatch):
    help_, add, _ = COMMANDS["families"]

    def boom(args):
        raise RuntimeError("injected")
    monkeypatch.setitem(COMMANDS, "families", (help_, add, boom))
    rc, out, err, _ = run_main(["families"], capsys)
    assert rc == 1
    assert "Traceback" in err and "RuntimeError: injected" in err
    assert "bug in symcrit" in err and "symcrit --version" in err and "symcrit families" in err


def test_a_plain_value_error_is_not_a_user_error(capsys, monkeypatch):
    help_, add, _ = COMMANDS["families"]

    def boom(args):
        raise ValueError("an internal ValueError")
    monkeypatch.setitem(COMMANDS, "families", (help_, add, boom))
    rc, out, err, _ = run_main(["families"], capsys)
    assert rc == 1 and "Traceback" in err


def test_user_errors_are_symcrit_errors():
    from symcrit.cli.registry import UsageError
    from symcrit.symmetry.fixedpoint import BlocksError
    assert issubclass(UsageError, SymcritError) and issubclass(BlocksError, SymcritError)
    assert issubclass(BadInput, ValueError)  # callers that caught ValueError still do


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


def test_family_selectors_stay_exact():
    f = register_family("test_exact", ["1", "k-1"], start=("8", ["-0.66", "0.16", "0.23", "1", "-0.026"]), replace=True)
    try:
        assert f.start[0] == 8 and f.start[1][0] == Fraction(-33, 50)
    finally:
        unregister_family("test_exact")
    assert all(isinstance(v, (int, Fraction)) for g in families() if g.limit for v in g.limit)


def test_latex_of_results():
    from symcrit.spectra.hessian import spectrum
    cp = family("sk1").solve("15/2", dps=20, verify=False)
    s = latex(cp)
    assert "k = 7.5" in s and "a &=" in s and cp._repr_latex_().startswith("$$")
    sp = spectrum(family("sk1").solve(7, dps=20, verify=False))
    t = latex(sp)
    assert "k - 2 = 5" in t and "V_{2}" in t and sp._repr_latex_().startswith("$$")
    with pytest.raises(BadInput):
        latex(object())
