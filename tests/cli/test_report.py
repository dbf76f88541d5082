"""The command reproduce (symcrit.cli.report)."""

from cli_helpers import assert_user_error, run_main


def test_reproduce_out_that_is_a_file(capsys, tmp_path):
    f = tmp_path / "report"
    f.write_text("x")
    rc, out, err, dt = run_main(["reproduce", "--out", str(f)], capsys)
    assert_user_error(rc, out, err)
    assert "not a folder" in err and dt < 2.0
