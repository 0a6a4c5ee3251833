"""The quickstart notebook runs top to bottom in a fresh kernel, so it cannot rot.

It is stored as a jupytext percent script (``notebooks/quickstart.py``), converted with
jupytext and executed with nbclient in a kernel started from the running interpreter.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jupytext
import nbclient
import pytest

from .conftest import REPO, subprocess_env

NOTEBOOK = REPO / "notebooks" / "quickstart.py"
KERNEL = "speerpunt-map-tests"


def _kernel_for_this_interpreter(folder: Path) -> None:
    """A kernel spec whose kernel runs ``sys.executable`` — the venv running the tests —
    whatever "python3" kernels the user has installed elsewhere."""
    spec = folder / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (speerpunt_map tests)",
        "language": "python",
    }))


def test_the_notebook_is_a_percent_script() -> None:
    text = NOTEBOOK.read_text(encoding="utf-8")
    notebook = jupytext.reads(text, fmt="py:percent")
    kinds = [cell.cell_type for cell in notebook.cells]
    assert kinds[0] == "markdown" and kinds.count("code") >= 10
    assert "# %% [markdown]" in text


def test_the_quickstart_notebook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _kernel_for_this_interpreter(tmp_path / "jupyter")
    # The kernel inherits this environment: it imports this package, uses the session's
    # cache, and keeps Jupyter's runtime and IPython files out of the user's home.
    for name, value in subprocess_env(
            JUPYTER_PATH=str(tmp_path / "jupyter"),
            JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
            JUPYTER_PLATFORM_DIRS="1",
            IPYTHONDIR=str(tmp_path / "ipython")).items():
        monkeypatch.setenv(name, value)
    notebook = jupytext.read(NOTEBOOK)
    notebook.metadata["kernelspec"] = {"name": KERNEL, "display_name": KERNEL,
                                       "language": "python"}
    work = tmp_path / "work"
    work.mkdir()
    client = nbclient.NotebookClient(notebook, kernel_name=KERNEL, timeout=300,
                                     resources={"metadata": {"path": str(work)}})
    client.execute()  # raises CellExecutionError on the first failing cell

    outputs = [output for cell in notebook.cells if cell.cell_type == "code"
               for output in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "39 maps" in text
    assert "antwerpen/logistiek (figure 13): {'points': 5, 'zones': 8, 'links': 6" in text
    assert "wrote antwerpen-logistiek.gpkg" in text
    assert "points: 5 features" in text
    tables = [o for o in outputs if o.output_type == "execute_result"
              and "text/html" in o.get("data", {})]
    assert len(tables) >= 8
    # Nothing is left in the working folder: the export went to a temporary folder.
    assert list(work.iterdir()) == []
