"""The package version (symcrit.core.version): one place, read by pyproject.toml and the package."""
import re
from pathlib import Path

import symcrit
from symcrit.core.version import __version__


def test_version_is_pep440_and_the_packages():
    assert re.fullmatch(r"\d+\.\d+\.\d+([ab]|rc|\.dev|\.post)?\d*", __version__)
    assert symcrit.__version__ == __version__


def test_pyproject_reads_the_version_from_this_module():
    text = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert 'version = {attr = "symcrit.core.version.__version__"}' in text
    assert re.search(r'^version\s*=\s*"', text, re.M) is None  # no second, literal version
