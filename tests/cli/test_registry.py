"""What every command shares (symcrit.cli.registry): output paths checked first, the cost limit."""
import pytest

from cli_helpers import assert_user_error, run_main


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


def test_shared_option_helpers():
    import argparse

    from symcrit.cli.registry import Parser, UsageError, add_dps, add_family, add_k, add_output, check_dps
    p = Parser(prog="t")
    add_family(p)
    add_k(p, "k")
    add_dps(p, 30)
    add_output(p, latex="print LaTeX")
    a = p.parse_args(["sk1", "--k", "7", "--json"])
    assert (a.family, a.k, a.dps, a.json, a.latex, a.force) == ("sk1", "7", 30, True, False, False)
    with pytest.raises(SystemExit):
        p.parse_args(["sk1", "--k", "7", "--json", "--latex"])      # mutually exclusive
    with pytest.raises(SystemExit):
        p.parse_args(["sk1"])                                       # --k is required
    check_dps(argparse.Namespace(dps=15))
    with pytest.raises(UsageError, match="at least 20, got 19"):
        check_dps(argparse.Namespace(dps=19), 20)
