"""The command reproduce (symcrit.cli.report)."""

from cli_helpers import assert_user_error, run_main


def test_reproduce_out_that_is_a_file(capsys, tmp_path):
    f = tmp_path / "report"
    f.write_text("x")
    rc, out, err, dt = run_main(["reproduce", "--out", str(f)], capsys)
    assert_user_error(rc, out, err)
    assert "not a folder" in err and dt < 2.0


def test_reproduce_unknown_claim_id_is_a_user_error_before_any_output(capsys, tmp_path):
    out_dir = tmp_path / "rep"
    for only in ("nosuchclaim", "sk1-equations,nosuchclaim", ","):
        rc, out, err, dt = run_main(["reproduce", "--only", only, "--out", str(out_dir)], capsys)
        assert_user_error(rc, out, err)
        assert dt < 2.0 and not out_dir.exists()
    rc, out, err, _ = run_main(["reproduce", "--only", "nosuchclaim", "--out", str(out_dir)], capsys)
    assert "nosuchclaim" in err and "sk1-equations" in err
