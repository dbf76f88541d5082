"""Every notebook runs top to bottom (nbclient, fresh kernel, in a temporary folder)."""
import glob
import os
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

NB = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "notebooks", "*.ipynb")))


@pytest.mark.parametrize("path", NB, ids=[os.path.basename(p) for p in NB])
def test_notebook_runs(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    shutil.copy(path, tmp_path)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
