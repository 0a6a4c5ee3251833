"""The build as files: what it may replace, what it reports, what a full or read-only disk does,
and that unchanged input gives the same bytes.

Builds use a few small maps of the session ``atlas`` (conftest.py) to stay fast.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import subprocess
import textwrap
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from speerpunt_map import Atlas, OutputError, load_atlas
from speerpunt_map._io import LOCK, MANIFEST, is_temporary
from speerpunt_map.build import build_atlas
from speerpunt_map.cli import main
from speerpunt_map.compare import write_matrix

from .conftest import LEGENDS

SMALL = ["antwerpen/zorg", "oost-vlaanderen/ict"]


def _files(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (relative POSIX path → bytes), the lock file left out."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != LOCK}


def _manifest(folder: Path) -> dict[str, list[str]]:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_manifest_lists_every_file_written_with_its_hash(atlas: Atlas, tmp_path: Path) -> None:
    result = build_atlas(atlas, tmp_path, ids=SMALL, formats=["html", "svg"])
    files = _files(tmp_path)
    written = {name: data for name, data in files.items() if name != MANIFEST}
    assert sorted(written) == ["antwerpen/zorg.html", "antwerpen/zorg.svg", "index.html",
                               "matrix.csv", "matrix.html", "oost-vlaanderen/ict.html",
                               "oost-vlaanderen/ict.svg"]
    assert _manifest(tmp_path) == {name: [_sha(data)] for name, data in written.items()}
    assert not [p for p in tmp_path.rglob("*") if is_temporary(p)]
    assert result.index == tmp_path / "index.html"
    assert [f.relative_to(tmp_path).as_posix() for m in result.maps for f in m.files] == [
        "antwerpen/zorg.html", "antwerpen/zorg.svg", "oost-vlaanderen/ict.html",
        "oost-vlaanderen/ict.svg"]


def test_a_hand_written_index_is_never_replaced_without_overwrite(atlas: Atlas,
                                                                   tmp_path: Path) -> None:
    mine = b"<!DOCTYPE html><title>my own index</title>"
    (tmp_path / "index.html").write_bytes(mine)
    with pytest.raises(OutputError, match=r"index\.html exists and was not written.*--overwrite"):
        build_atlas(atlas, tmp_path, ids=SMALL)
    assert (tmp_path / "index.html").read_bytes() == mine
    # It stopped before drawing anything.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != LOCK) == ["index.html"]
    build_atlas(atlas, tmp_path, ids=SMALL, overwrite=True)
    assert (tmp_path / "index.html").read_bytes() != mine
    # Now it is the build's own: the next build replaces it without being asked.
    build_atlas(atlas, tmp_path, ids=SMALL[:1])
    assert b"oost-vlaanderen/ict.html" not in (tmp_path / "index.html").read_bytes()


def test_a_page_edited_by_hand_is_kept_and_its_map_fails(atlas: Atlas, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    build_atlas(atlas, tmp_path, ids=SMALL)
    page = tmp_path / "antwerpen" / "zorg.html"
    edited = page.read_bytes().replace(b"</h1>", b" (with my notes)</h1>")
    page.write_bytes(edited)
    result = build_atlas(atlas, tmp_path, ids=SMALL)
    assert [m.map_id for m in result.failed] == ["antwerpen/zorg"]
    assert "changed since" in result.failed[0].error
    assert page.read_bytes() == edited
    assert (tmp_path / "oost-vlaanderen" / "ict.html").is_file()
    # The command line names the map and exits 1; --overwrite is the one way to replace it.
    assert main(["build", *[f"--map={m}" for m in SMALL], "-o", str(tmp_path)]) == 1
    assert "map antwerpen/zorg failed" in capsys.readouterr().err
    assert page.read_bytes() == edited
    assert main(["build", *[f"--map={m}" for m in SMALL], "-o", str(tmp_path),
                 "--overwrite"]) == 0
    assert page.read_bytes() != edited


def test_a_hand_written_matrix_is_kept(tmp_path: Path) -> None:
    (tmp_path / "matrix.csv").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="not written by speerpunt-map"):
        write_matrix(tmp_path)
    assert (tmp_path / "matrix.csv").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "matrix.html").exists()
    write_matrix(tmp_path, overwrite=True)
    assert (tmp_path / "matrix.csv").read_text(encoding="utf-8-sig").startswith("region;")


def test_manifest_of_the_first_format_and_a_damaged_one(atlas: Atlas, tmp_path: Path) -> None:
    build_atlas(atlas, tmp_path, ids=SMALL[:1])
    names = sorted(_manifest(tmp_path))
    # A manifest of names only (written before hashes were kept) is still honoured.
    (tmp_path / MANIFEST).write_text(json.dumps({"files": names}), encoding="utf-8")
    build_atlas(atlas, tmp_path, ids=SMALL[:1])
    assert sorted(_manifest(tmp_path)) == names
    (tmp_path / MANIFEST).write_text('{"files": ', encoding="utf-8")
    before = _files(tmp_path)
    with pytest.raises(OutputError, match="damaged; remove it"):
        build_atlas(atlas, tmp_path, ids=SMALL[:1])
    assert _files(tmp_path) == before


def test_a_map_id_cannot_write_outside_the_folder(atlas: Atlas, tmp_path: Path) -> None:
    from speerpunt_map._io import OutputFolder

    folder = OutputFolder(tmp_path / "out")
    with pytest.raises(OutputError, match="not inside the output folder"):
        folder.write_text(tmp_path / "out" / ".." / "escaped.html", "x")
    assert not (tmp_path / "escaped.html").exists()


# -- counts ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def rejecting_atlas(atlas: Atlas, tmp_path_factory: pytest.TempPathFactory) -> Atlas:
    """Antwerpen's care map with one row that cannot be drawn (an unknown place)."""
    folder = tmp_path_factory.mktemp("legends")
    table = (LEGENDS / "antwerpen" / "zorg.csv").read_text(encoding="utf-8-sig")
    table += "point;9;Nergens;Nergens;nergens-te-vinden;;;;;RESOC Kempen;2009;" \
             "RESOC Kempen (2009);RESOC Kempen (2009);;;;\n"
    (folder / "zorg.csv").write_text(table, encoding="utf-8")
    (folder / "catalogue.toml").write_text(textwrap.dedent("""\
        [[map]]
        id = "antwerpen/zorg"
        scope = "antwerpen"
        sector = "zorg"
        figure = 16
        actors = ["RESOC Kempen", "RESOC Mechelen", "RESOC Antwerpen"]
        table = "zorg.csv"
        source = "test: one row more than annex table 4"
        """), encoding="utf-8")
    return load_atlas(folder, boundaries=atlas.boundaries)


class _Cards(HTMLParser):
    """The counts of each card of the index (label → number), by map id."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: dict[str, dict[str, str]] = {}
        self._card: dict[str, str] = {}
        self._tag = ""
        self._label = ""
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "li" and "spm-card" in (values.get("class") or "").split():
            self._card = self.cards.setdefault(values.get("data-map") or "", {})
        elif tag in ("dt", "dd"):
            self._tag, self._text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == self._tag:
            text = "".join(self._text).strip()
            if tag == "dt":
                self._label = text
            else:
                self._card[self._label] = text
            self._tag = ""

    def handle_data(self, data: str) -> None:
        if self._tag:
            self._text.append(data)


def test_counts_per_map_in_the_result_the_summary_and_the_index(rejecting_atlas: Atlas,
                                                                 tmp_path: Path) -> None:
    result = build_atlas(rejecting_atlas, tmp_path, ids=["antwerpen/zorg"])
    (care,) = [m for m in result.maps if m.map_id == "antwerpen/zorg"]
    assert (care.rows_read, care.rows_drawn, care.rows_rejected) == (8, 7, 1)
    assert result.rows == {"read": 8, "drawn": 7, "rejected": 1}
    assert "antwerpen/zorg  rows read 8, drawn 7, rejected 1" in result.summary().splitlines()
    parser = _Cards()
    parser.feed((tmp_path / "index.html").read_text(encoding="utf-8"))
    assert parser.cards["antwerpen/zorg"] == {
        "Punten": "4", "Zones": "3", "Verbindingen": "0",
        "Rijen gelezen": "8", "Getekend": "7", "Afgewezen": "1"}


def test_the_command_line_prints_the_counts_per_map(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", *[f"--map={m}" for m in SMALL], "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^antwerpen/zorg +rows read 7, drawn 7, rejected 0$", out, re.M)
    assert re.search(r"^oost-vlaanderen/ict +rows read \d+, drawn \d+, rejected 0$", out, re.M)
    assert re.search(r"^wrote 2 of 2 maps to .* rows read \d+, drawn \d+, rejected 0\)", out,
                     re.M)


# -- the same bytes ----------------------------------------------------------------------------
def test_rebuild_writes_byte_identical_files(atlas: Atlas, tmp_path: Path) -> None:
    """Pages, index, matrix, figures and manifest: the same input gives the same bytes, from
    another atlas object and into a folder that already holds the files."""
    options = {"ids": ["antwerpen/zorg"], "formats": ["html", "pdf", "svg"]}
    build_atlas(atlas, tmp_path / "a", **options)
    first = _files(tmp_path / "a")
    assert {Path(n).suffix for n in first} == {".html", ".pdf", ".svg", ".csv", ".json"}
    again = load_atlas(boundaries=atlas.boundaries)
    build_atlas(again, tmp_path / "b", **options)
    assert _files(tmp_path / "b") == first
    build_atlas(again, tmp_path / "a", **options)
    assert _files(tmp_path / "a") == first


# -- a disk that is full or read-only ----------------------------------------------------------
@contextlib.contextmanager
def _tmpfs(folder: Path, size: str) -> Iterator[bool]:
    """Mount a small tmpfs on ``folder`` if this machine lets us (root with mount rights)."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = shutil.which("mount") is not None and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True, check=False).returncode == 0
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], capture_output=True, check=False)


def _break_writes(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    """Make every file written to disk fail as a full (or read-only) disk does."""
    import speerpunt_map._io as io_module

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(io_module.tempfile, "mkstemp", refuse)


@pytest.mark.parametrize("problem", ["full", "read-only"])
def test_a_full_or_read_only_folder_is_a_clear_error_and_changes_nothing(
        atlas: Atlas, tmp_path: Path, problem: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old"
    build_atlas(atlas, old, ids=SMALL[:1])
    before = _files(old)
    folder = tmp_path / "disk"
    size = sum(len(b) for b in before.values()) + 32_000  # the old build and a little more
    with _tmpfs(folder, str(size)) as mounted:
        for name, data in before.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        if mounted and problem == "read-only":
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        elif not mounted:  # no tmpfs here: the disk fails the way a full one does
            _break_writes(monkeypatch, errno.ENOSPC if problem == "full" else errno.EROFS)
        # An English build differs from the old one in every file, and does not fit.
        with pytest.raises(OutputError) as caught:
            build_atlas(atlas, folder, ids=SMALL, language="en")
        message = str(caught.value)
        assert str(folder) in message
        assert ("full" if problem == "full" else "read-only") in message
        assert caught.value.errno in (errno.ENOSPC, errno.EROFS)
        # Every old file is still there, whole; nothing half-written is left.
        assert {n: d for n, d in _files(folder).items()} == before
        # The command line: exit 1, a message naming the folder, no traceback.
        assert main(["build", f"--map={SMALL[0]}", "-o", str(folder), "--language=en"]) == 1
        err = capsys.readouterr().err
        assert str(folder) in err and "Traceback" not in err
        assert _files(folder) == before


def test_a_row_that_cannot_be_drawn_is_never_silent(rejecting_atlas: Atlas, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """The page says which row was left out and why; the figure has it as a footnote; the
    build lists it and exits 1 unless --allow-rejected."""
    result = build_atlas(rejecting_atlas, tmp_path, ids=["antwerpen/zorg"], formats=["html", "svg"])
    (notice,) = [n for _, n in result.not_drawn]
    assert notice.startswith("Niet getekend: zorg.csv, rij 9: place: 'nergens-te-vinden'")
    page = (tmp_path / "antwerpen" / "zorg.html").read_text(encoding="utf-8")
    assert "Niet getekend: zorg.csv, rij 9" in page
    svg = (tmp_path / "antwerpen" / "zorg.svg").read_text(encoding="utf-8")
    assert "Niet getekend: zorg.csv, rij 9" in svg

    catalogue = str(rejecting_atlas.catalogue.path)
    out = tmp_path / "cli"
    assert main(["build", "--catalogue", catalogue, "--map=antwerpen/zorg", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "antwerpen/zorg: Niet getekend: zorg.csv, rij 9" in err
    assert "--allow-rejected" in err
    assert main(["build", "--catalogue", catalogue, "--map=antwerpen/zorg", "-o", str(out),
                 "--allow-rejected"]) == 0
    assert "Niet getekend: zorg.csv, rij 9" in (out / "antwerpen" / "zorg.html").read_text(
        encoding="utf-8")
