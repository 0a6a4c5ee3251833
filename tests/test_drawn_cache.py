"""The build's cache of drawn maps (``speerpunt_map._drawn_cache``): a second ``speerpunt-map
build`` reuses what the first drew, gives the same files and messages, and never serves a map
drawn from files that have changed since."""

from __future__ import annotations

from pathlib import Path

import pytest

import speerpunt_map.build as build_module
from speerpunt_map import load_atlas
from speerpunt_map.build import build_atlas
from speerpunt_map.cli import main
from speerpunt_map.workspace import init_workspace

MAP_ID = "zuid-west-vlaanderen-2019/creatieve-maakindustrie"
TABLE = "legends/zuid-west-vlaanderen-2019-creatieve-maakindustrie.csv"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "mijn-atlas"
    init_workspace(folder)
    monkeypatch.setenv("SPEERPUNT_MAP_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(folder)
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _no_drawing(monkeypatch: pytest.MonkeyPatch, *, matrix: bool = True) -> None:
    """Drawing a map (and, with ``matrix``, making the matrix) fails from here on."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a map was drawn again")

    def refuse_matrix(*args: object, **kwargs: object) -> None:
        raise AssertionError("the matrix was made again")

    monkeypatch.setattr(build_module, "_draw_result", refuse)
    if matrix:
        monkeypatch.setattr(build_module, "write_matrix_into", refuse_matrix)


def _edit_table(workspace: Path, old: str, new: str) -> None:
    table = workspace / TABLE
    text = table.read_bytes().decode("cp1252")
    assert old in text
    table.write_bytes(text.replace(old, new, 1).encode("cp1252"))


def test_a_second_build_reuses_every_map_and_writes_the_same_files(
        workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "-o", str(tmp_path / "first")]) == 0
    first = capsys.readouterr()
    _no_drawing(monkeypatch)  # from here on, drawing a map fails the test
    assert main(["build", "-o", str(tmp_path / "second")]) == 0
    second = capsys.readouterr()
    assert _files(tmp_path / "second") == _files(tmp_path / "first")
    # The same report: rows read and drawn per map (the time aside).
    assert first.out.splitlines()[:-1] == second.out.splitlines()[:-1]
    assert "rows read 25, drawn 25" in second.out


def test_no_cache_draws_every_map_again(workspace: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "-o", str(tmp_path / "first")]) == 0
    _no_drawing(monkeypatch, matrix=False)
    assert main(["build", "-o", str(tmp_path / "second"), "--no-cache"]) == 1
    assert "a map was drawn again" in capsys.readouterr().out


def test_an_edited_table_is_drawn_again_and_its_warnings_are_said_on_every_build(
        workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    assert main(["build", "-o", str(tmp_path / "before")]) == 0
    _edit_table(workspace, "point;1;UNESCO Design Region Kortrijk;",
                "point;1;Ontwerpregio Kortrijk;")
    # and a row that cannot be drawn: one field too many
    _edit_table(workspace, "\r\n", "\r\npoint;;Nergensdorp;;;;;;;;;;;;;;;;;\r\n")
    capsys.readouterr()
    caplog.clear()
    assert main(["build", "-o", str(tmp_path / "after"), "--allow-rejected"]) == 0
    cold, cold_log = capsys.readouterr(), caplog.messages[:]
    caplog.clear()
    page = (tmp_path / "after" / f"{MAP_ID}.html").read_text(encoding="utf-8")
    assert "Ontwerpregio Kortrijk" in page
    assert "Ontwerpregio" not in (tmp_path / "before" / f"{MAP_ID}.html").read_text("utf-8")
    assert main(["build", "-o", str(tmp_path / "again"), "--allow-rejected"]) == 0
    warm, warm_log = capsys.readouterr(), caplog.messages[:]
    assert _files(tmp_path / "again") == _files(tmp_path / "after")
    assert "rij 2" in cold.err and "Nergensdorp" in cold.err
    assert warm.err == cold.err  # the rejected row is reported again, not only the first time
    left_out = [m for m in cold_log if m.startswith("left out:") and "row 2" in m]
    assert left_out and [m for m in warm_log if m.startswith("left out:")] == \
        [m for m in cold_log if m.startswith("left out:")]


def test_an_edited_place_file_of_the_workspace_is_drawn_again(
        workspace: Path, tmp_path: Path) -> None:
    assert main(["build", "-o", str(tmp_path / "before")]) == 0
    before = (tmp_path / "before" / f"{MAP_ID}.html").read_bytes()
    places = workspace / "places.csv"
    text = places.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    header = lines[0].split(",")
    row = dict.fromkeys(header, "")
    row.update(id="ws-proefplaats", name="Proefplaats", kind="place", lon="3.25", lat="50.83",
               country="BE", method="given", precision_m="100", source="test")
    places.write_text(text.rstrip("\n") + "\n" + ",".join(row[c] for c in header) + "\n",
                      encoding="utf-8-sig")
    _edit_table(workspace, "UNESCO Design region Kortrijk;Kortrijk;",
                "UNESCO Design region Kortrijk;Proefplaats;")
    assert main(["build", "-o", str(tmp_path / "after")]) == 0
    after = (tmp_path / "after" / f"{MAP_ID}.html").read_bytes()
    assert after != before  # the point moved to Proefplaats
    assert main(["build", "-o", str(tmp_path / "fresh"), "--no-cache"]) == 0
    assert _files(tmp_path / "after") == _files(tmp_path / "fresh")


def test_a_damaged_cache_file_is_drawn_again_not_an_error(workspace: Path,
                                                          tmp_path: Path) -> None:
    assert main(["build", "-o", str(tmp_path / "first")]) == 0
    entries = [p for p in (tmp_path / "cache" / "drawn").rglob("*") if p.is_file()]
    # one page per map (the map and its overview), and the matrix's two files
    assert len(entries) == 4
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:100])  # as a killed build might leave it
    assert main(["build", "-o", str(tmp_path / "second")]) == 0
    assert _files(tmp_path / "second") == _files(tmp_path / "first")


def test_other_formats_and_languages_are_kept_apart(workspace: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["build", "-o", str(tmp_path / "nl")]) == 0
    assert main(["build", "-o", str(tmp_path / "en"), "--language", "en",
                 "--format", "html,svg"]) == 0
    nl = (tmp_path / "nl" / f"{MAP_ID}.html").read_bytes()
    en = (tmp_path / "en" / f"{MAP_ID}.html").read_bytes()
    assert nl != en and (tmp_path / "en" / f"{MAP_ID}.svg").is_file()
    _no_drawing(monkeypatch)
    assert main(["build", "-o", str(tmp_path / "nl-again")]) == 0
    assert main(["build", "-o", str(tmp_path / "en-again"), "--language", "en",
                 "--format", "html,svg"]) == 0
    assert _files(tmp_path / "nl-again") == _files(tmp_path / "nl")
    assert _files(tmp_path / "en-again") == _files(tmp_path / "en")


def test_from_python_the_cache_is_used_only_when_asked(workspace: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    atlas = load_atlas(workspace=workspace)
    build_atlas(atlas, tmp_path / "first", cache=tmp_path / "own-cache")
    assert list((tmp_path / "own-cache" / "drawn").rglob("*"))
    _no_drawing(monkeypatch, matrix=False)
    result = build_atlas(atlas, tmp_path / "second", cache=tmp_path / "own-cache")
    assert not result.failed
    result = build_atlas(atlas, tmp_path / "third")  # no cache: drawn, so here it fails
    assert result.failed and "a map was drawn again" in result.failed[0].error


def test_an_edited_table_draws_only_its_map_and_the_overview_of_its_sector_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from speerpunt_map import Atlas
    from speerpunt_map._paths import shipped_legends

    legends = tmp_path / "legends"
    shutil.copytree(shipped_legends(), legends,
                    ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    cache = tmp_path / "cache"
    build_atlas(load_atlas(legends), tmp_path / "first", ids=["antwerpen/zorg",
                "west-vlaanderen/zorg", "antwerpen/logistiek", "vlaanderen/zorg",
                "vlaanderen/logistiek"], cache=cache)
    table = legends / "antwerpen" / "zorg.csv"
    table.write_text(table.read_text(encoding="utf-8-sig").replace(
        "open incubator in het wetenschapspark in Geel",
        "open incubator in het wetenschapspark van Geel", 1), encoding="utf-8-sig")
    drawn: list[str] = []
    draw = build_module._draw_result

    def noting(atlas: Atlas, map_id: str, *args: object, **kwargs: object) -> object:
        drawn.append(map_id)
        return draw(atlas, map_id, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "_draw_result", noting)
    atlas = load_atlas(legends)
    assert {s.id for s in atlas.overview_members("vlaanderen/zorg")} >= {"antwerpen/zorg",
                                                                         "west-vlaanderen/zorg"}
    result = build_atlas(atlas, tmp_path / "second", ids=["antwerpen/zorg", "west-vlaanderen/zorg",
                         "antwerpen/logistiek", "vlaanderen/zorg", "vlaanderen/logistiek"],
                         cache=cache)
    assert not result.failed
    assert drawn == ["antwerpen/zorg", "vlaanderen/zorg"]
    page = (tmp_path / "second" / "vlaanderen" / "zorg.html").read_text(encoding="utf-8")
    assert "wetenschapspark van Geel" in page
