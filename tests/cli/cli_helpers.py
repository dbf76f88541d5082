"""Helpers for the CLI tests: main() in this process, the one-line user error."""
import time

from symcrit.cli import main


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
