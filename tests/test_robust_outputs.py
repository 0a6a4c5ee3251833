"""Partial outputs (issue 13.7): a map's page and figures are replaced together. A figure that
fails leaves every old file of the map (and the manifest) as it was and the map is reported; a
build killed (SIGKILL) between two renames of one map leaves a journal, and the next build
finishes the set: all new, never a new page beside an old figure.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from speerpunt_map import Atlas
from speerpunt_map._io import MANIFEST, OutputFolder, is_temporary
from speerpunt_map._output_set import JOURNAL
from speerpunt_map.build import build_atlas

from .conftest import subprocess_env

MAP = "antwerpen/zorg"
FORMATS = ["html", "svg"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _set(folder: Path) -> dict[str, str]:
    return {kind: _sha(folder / "antwerpen" / f"zorg.{kind}") for kind in FORMATS}


@pytest.fixture(scope="module")
def sets(atlas: Atlas, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The map built in Dutch (the old set) and in English (the new set)."""
    old, new = tmp_path_factory.mktemp("old"), tmp_path_factory.mktemp("new")
    build_atlas(atlas, old, ids=[MAP], formats=FORMATS)
    build_atlas(atlas, new, ids=[MAP], formats=FORMATS, language="en")
    assert all(a != b for a, b in zip(_set(old).values(), _set(new).values(), strict=True))
    return old, new


def _copy(source: Path, target: Path) -> Path:
    import shutil

    shutil.copytree(source, target)
    return target


def test_a_failing_figure_leaves_the_old_set(atlas: Atlas, sets: tuple[Path, Path],
                                             tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _copy(sets[0], tmp_path / "out")
    before = _set(folder)
    manifest = (folder / MANIFEST).read_text(encoding="utf-8")
    import speerpunt_map.static as static

    drawn = static.figure_bytes

    def failing(layers, kind, **options):  # type: ignore[no-untyped-def]
        if kind == "svg":
            raise RuntimeError("the SVG renderer failed")
        return drawn(layers, kind, **options)

    monkeypatch.setattr(static, "figure_bytes", failing)
    result = build_atlas(atlas, folder, ids=[MAP], formats=FORMATS, language="en")
    (only,) = result.maps
    assert "the SVG renderer failed" in only.error and only.files == []
    assert _set(folder) == before  # the old page too: not a new page beside an old figure
    files = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert {k: v for k, v in files.items() if k.startswith("antwerpen/")} == \
        {k: v for k, v in json.loads(manifest)["files"].items() if k.startswith("antwerpen/")}
    assert not [p for p in folder.rglob("*") if is_temporary(p)]
    assert "the SVG renderer failed" in (folder / "index.html").read_text(encoding="utf-8")


def test_an_output_that_may_not_be_replaced_stops_the_set_before_drawing(
        atlas: Atlas, sets: tuple[Path, Path], tmp_path: Path) -> None:
    folder = _copy(sets[0], tmp_path / "out")
    page = folder / "antwerpen" / "zorg.html"
    before = _set(folder)
    svg = folder / "antwerpen" / "zorg.svg"
    svg.write_text("<svg>edited by hand</svg>", encoding="utf-8")
    result = build_atlas(atlas, folder, ids=[MAP], formats=FORMATS, language="en")
    assert "was not written by speerpunt-map" in result.maps[0].error
    assert _sha(page) == before["html"]


KILLER = textwrap.dedent("""\
    import os, signal, sys
    from pathlib import Path
    from speerpunt_map import load_atlas
    from speerpunt_map.build import build_atlas

    folder, map_id = Path(sys.argv[1]), sys.argv[2]
    real = os.replace
    renamed = []

    def replace(a, b):
        if Path(b).parent.name == "antwerpen":
            renamed.append(b)
            if len(renamed) == 2:  # between the page's rename and the figure's
                os.kill(os.getpid(), signal.SIGKILL)
        return real(a, b)

    os.replace = replace
    build_atlas(load_atlas(), folder, ids=[map_id], formats=["html", "svg"], language="en")
""")


def test_a_kill_between_two_renames_is_finished_by_the_next_build(
        atlas: Atlas, sets: tuple[Path, Path], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    old, new = (_set(folder) for folder in sets)
    folder = _copy(sets[0], tmp_path / "out")
    run = subprocess.run([sys.executable, "-c", KILLER, str(folder), MAP], env=subprocess_env(),
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == -9, run.stderr
    # Killed between the renames: the page is new, the figure old, the journal says so.
    assert _set(folder) == {"html": new["html"], "svg": old["svg"]}
    journal = json.loads((folder / JOURNAL).read_text(encoding="utf-8"))["replace"]
    assert [e["target"] for e in journal] == ["antwerpen/zorg.html", "antwerpen/zorg.svg"]
    # The next build (any OutputFolder on the folder) finishes the set first.
    OutputFolder(folder)
    assert _set(folder) == new
    assert not (folder / JOURNAL).exists()
    assert not [p for p in folder.rglob("*") if is_temporary(p)]
    assert "finished replacing antwerpen/zorg.html, antwerpen/zorg.svg" in caplog.text
    result = build_atlas(atlas, folder, ids=[MAP], formats=FORMATS, language="en")
    assert result.failed == [] and _set(folder) == new
    files = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert files["antwerpen/zorg.svg"] == [new["svg"]]
