"""Plots (symcrit.report.plots): files are written, are PNGs, and show the data they are given."""
import pytest

from symcrit.report.plots import plot_counts

PNG = b"\x89PNG\r\n\x1a\n"


def test_plot_counts_writes_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    assert plot_counts(str(a), rstars=(2, 3)) == str(a)
    plot_counts(str(b), rstars=(2, 3, 5))
    data_a, data_b = a.read_bytes(), b.read_bytes()
    assert data_a[:8] == PNG and len(data_a) > 10_000
    assert data_a != data_b          # one more curve: a different picture


def test_plot_to_a_missing_folder_fails(tmp_path):
    pytest.importorskip("matplotlib")
    with pytest.raises(OSError):
        plot_counts(str(tmp_path / "no" / "such" / "c.png"), rstars=(2,))
