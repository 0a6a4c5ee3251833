"""Control characters in free text (issue 13.2): BEL, ESC and the other C0 and C1 controls in a
remark or a source are shown as pictures (``␇``, ``␛``, ``⟨U+0085⟩``), once, where the row is
read, so the built page, the figure and the exports agree, and none holds a raw control
character. In the cells that identify a row they stay an error.

The tables are CSV as a Belgian Excel saves it (``;``, Windows-1252, which holds the C0
controls) and CSV UTF-8 (for the C1 controls, which Windows-1252 cannot hold).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from speerpunt_map import Atlas, load_atlas, read_legend
from speerpunt_map._characters import control_pictures
from speerpunt_map._tables import read_table
from speerpunt_map.build import build_atlas

from .conftest import map_entry, start_chromium
from .test_hostile_input import HEADER, point
from .test_validate import write_excel_belgian_csv, write_utf8_bom_csv

SOURCE_HEADER = [*HEADER, "source_document", "note"]
# Every control character but tab, line feed and carriage return (and NUL, which no CSV holds).
C0 = "".join(chr(c) for c in range(1, 0x20) if chr(c) not in "\t\n\r") + "\x7f"
C1 = "".join(chr(c) for c in range(0x80, 0xA0))
RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The same characters written as JSON or JavaScript escapes (a page's data is JSON).
ESCAPED = re.compile(r"\\u00(?:[01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])|\\x(?:[01][0-9a-fA-F])")


def _row(number: str, remark: str, source: str, note: str) -> list[str]:
    return [*point(number, f"Punt {number}", "vito-mol" if number == "1" else "Geel",
                   remark=remark), source, note]


@pytest.fixture(scope="module")
def built(atlas: Atlas, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("controls")
    write_excel_belgian_csv(folder / "t.csv", [
        SOURCE_HEADER,
        _row("1", "Bel\x07 en \x1b[31mrood\x1b[0m", "bron\x0c(2009)", "C0: " + C0),
        _row("2", "tab\there, line\nbreak", "RESOC Kempen (2009)", "")])
    write_utf8_bom_csv(folder / "u.csv", [
        SOURCE_HEADER, _row("3", "next line\x85, CSI\x9b", "bron\x9c", "C1: " + C1)])
    entries = map_entry("t.csv") + "\n" + map_entry("u.csv").replace("antwerpen/test",
                                                                       "antwerpen/test-c1")
    (folder / "catalogue.toml").write_text(entries, encoding="utf-8")
    output = folder / "out"
    result = build_atlas(load_atlas(folder, boundaries=atlas.boundaries), output,
                         ids=["antwerpen/test", "antwerpen/test-c1"], formats=["html", "svg"])
    assert [m.error for m in result.maps] == ["", ""]
    return output


def test_control_pictures_cover_every_control_character() -> None:
    shown = control_pictures(C0 + C1 + "\t\n\r")
    assert not RAW.search(shown)
    assert shown.endswith("\t\n\r")
    assert control_pictures("\x07\x1b\x85") == "␇␛⟨U+0085⟩"


def test_free_text_is_read_with_pictures(tmp_path: Path) -> None:
    legend = read_legend(write_excel_belgian_csv(tmp_path / "t.csv", [
        SOURCE_HEADER, _row("1", "Bel\x07", "bron\x1b", "x\x7f")]))
    assert legend.problems == []
    cells = legend.rows[0].cells
    assert (cells["remark"], cells["source_document"], cells["note"]) == ("Bel␇", "bron␛", "x␡")


def test_a_control_character_in_a_name_stays_an_error(tmp_path: Path) -> None:
    row = _row("1", "", "", "")
    row[2] = "VI\x07TO"
    legend = read_legend(write_excel_belgian_csv(tmp_path / "t.csv", [SOURCE_HEADER, row]))
    assert [(p.column, p.code) for p in legend.problems] == [("name", "invisible-character")]


@pytest.mark.parametrize("name", ["test.html", "test-c1.html", "test.svg", "test-c1.svg"])
def test_no_raw_control_character_in_the_built_files(built: Path, name: str) -> None:
    text = (built / "antwerpen" / name).read_text(encoding="utf-8")
    assert not RAW.search(text), repr(RAW.search(text))
    if name.endswith(".html"):
        assert not ESCAPED.search(text), ESCAPED.search(text)


@pytest.mark.parametrize(("name", "pictures"), [
    ("test.html", ("␇", "␛", "␌")), ("test-c1.html", ("⟨U+0085⟩", "⟨U+009B⟩", "⟨U+009C⟩"))])
def test_the_page_shows_the_pictures(built: Path, name: str, pictures: tuple[str, ...]) -> None:
    text = (built / "antwerpen" / name).read_text(encoding="utf-8")
    # The page's data is JSON in a script: a character may be written as its \\u escape.
    decoded = re.sub(r"\\{1,2}u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    for picture in pictures:
        assert picture in decoded, picture


def test_exports_show_the_same_pictures(atlas: Atlas, built: Path, tmp_path: Path) -> None:
    layers = load_atlas(built.parent, boundaries=atlas.boundaries).map("antwerpen/test")
    csv_rows = read_table(layers.to_csv(tmp_path / "t.csv")).rows
    xlsx_rows = read_table(layers.to_xlsx(tmp_path / "t.xlsx")).rows
    for rows in (csv_rows, xlsx_rows):
        first = next(r for r in rows if r["row"] == "2")
        assert first["remark"] == "Bel␇ en ␛[31mrood␛[0m"
        assert first["source_document"] == "bron␌(2009)"
        assert not RAW.search(first["note"])
        second = next(r for r in rows if r["row"] == "3")
        assert second["remark"] == "tab\there, line\nbreak"  # tab and line break kept


def test_the_browser_shows_pictures_not_controls(built: Path,
                                                 tmp_path: Path) -> None:
    """In Chromium, after the page's script has written the panel and the text table: the
    text holds the pictures and no control character."""
    driver = start_chromium(tmp_path / "chromium")
    try:
        driver.get((built / "antwerpen" / "test.html").as_uri())
        text = driver.execute_script("return document.documentElement.outerHTML + "
                                     "document.body.textContent")
    finally:
        driver.quit()
    assert not RAW.search(text), repr(RAW.search(text))
    assert "Bel␇ en ␛[31mrood␛[0m" in text
