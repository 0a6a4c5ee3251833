"""A workspace end to end, as a policy officer works (issue 10.3, 10.7, 10.8): ``init``, edit the
example table in Excel (CSV saved as ``;``/Windows-1252, and the XLSX), add a place of one's
own and a zone over several municipalities, ``validate``, ``build``; the pages show the text
typed, and the matrix and the index cover the workspace's maps."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from selenium import webdriver

from speerpunt_map.cli import main

MAP_ID = "zuid-west-vlaanderen-2019/creatieve-maakindustrie"
TABLE = "legends/zuid-west-vlaanderen-2019-creatieve-maakindustrie"
PLACE = ("rijsel-euratechnologies,EuraTechnologies,EuraTech,organisation,3.0200,50.6330,FR,,"
         "site from the organisation's address on a map (Lille-Lomme),1000,my reading of a map,,")
# The user's own rows: a point at their own place, a zone over four municipalities.
POINT = ["point", "14", "EuraTechnologies – incubator in Rijsel", "EuraTechnologies"]
ZONE = ["zone", "", "Westhoekse steden: één zone", "Ieper|Poperinge|Diksmuide|Veurne"]
REMARK = "Toegevoegd door de beleidsmedewerker: café-overleg én opvolging"


def _row(header: list[str], start: list[str]) -> list[str]:
    cells = dict.fromkeys(header, "")
    cells.update(zip(("kind", "number", "name", "place"), start, strict=True))
    cells.update({"source_actor": "RESOC Zuid-West-Vlaanderen", "year": "2019",
                  "source_document": "eigen notities (2019)", "remark": REMARK})
    return [cells[c] for c in header]


def edit_csv_as_excel(path: Path) -> None:
    """Open the example CSV as Excel does (``;``, Windows-1252), add two rows, save."""
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("cp1252")), delimiter=";"))
    rows += [_row(rows[0], POINT), _row(rows[0], ZONE)]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("cp1252"))


def edit_workbook(path: Path) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = [str(c.value) for c in sheet[1]]
    sheet.append(_row(header, POINT))
    sheet.append(_row(header, ZONE))
    book.save(path)


def use_table(workspace: Path, suffix: str) -> None:
    catalogue = workspace / "catalogue.toml"
    text = catalogue.read_text(encoding="utf-8")
    text = text.replace(f'table = "{TABLE}.csv"', f'table = "{TABLE}{suffix}"')
    catalogue.write_text(text, encoding="utf-8")


def page_text(browser: webdriver.Chrome, path: Path) -> str:
    browser.get(path.as_uri())
    return str(browser.execute_script("return document.body.textContent"))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_init_edit_validate_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str], browser: webdriver.Chrome,
                                  suffix: str) -> None:
    workspace = tmp_path / "mijn-atlas"
    assert main(["init", str(workspace)]) == 0
    monkeypatch.chdir(workspace)
    if suffix == ".csv":
        edit_csv_as_excel(workspace / f"{TABLE}.csv")
    else:
        edit_workbook(workspace / f"{TABLE}.xlsx")
        use_table(workspace, suffix)
    capsys.readouterr()
    # The place is not known yet: validate says so, and where to add it.
    assert main(["validate"]) == 1
    assert "add it to places.csv in your workspace" in capsys.readouterr().err
    with (workspace / "places.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write(PLACE + "\r\n")
    assert main(["validate"]) == 0, capsys.readouterr().err
    assert main(["build", "-o", "output"]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert f"{MAP_ID}  rows read 27, drawn 27, rejected 0" in out

    page = workspace / "output" / f"{MAP_ID}.html"
    text = page_text(browser, page)
    for typed in ("Creatieve maakindustrie in Zuid-West-Vlaanderen (2019)", POINT[2], ZONE[2],
                  REMARK, "Hangar K", "RESOC Zuid-West-Vlaanderen, 'Just Make it!'"):
        assert typed in text, typed
    assert "Onderzoeksrapport" not in text

    # The index and the matrix are the workspace's, not the shipped inventory's.
    index = page_text(browser, workspace / "output" / "index.html")
    assert "Creatieve maakindustrie in Zuid-West-Vlaanderen (2019)" in index
    assert "Logistiek in provincie Antwerpen" not in index
    matrix = (workspace / "output" / "matrix.csv").read_text(encoding="utf-8-sig")
    lines = matrix.splitlines()
    assert lines[0].split(";")[:6] == ["region_name", "region", "sector_label", "sector",
                                       "basis", "period"]
    assert [line.split(";")[4] for line in lines[1:]] == ["catalogue", "drawn"]
    assert all(line.split(";")[1] == "resoc-zuidwest" for line in lines[1:])
    grid = page_text(browser, workspace / "output" / "matrix.html")
    assert "CD" in grid and "C = catalog" in grid


def test_the_zone_of_four_municipalities_and_the_own_place_are_drawn(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from speerpunt_map import load_atlas

    workspace = tmp_path / "atlas"
    assert main(["init", str(workspace)]) == 0
    edit_csv_as_excel(workspace / f"{TABLE}.csv")
    with (workspace / "places.csv").open("a", encoding="utf-8") as handle:
        handle.write(PLACE + "\n")
    layers = load_atlas(workspace=workspace).map(MAP_ID)
    point = layers.points[layers.points["name"] == POINT[2]].iloc[0]
    assert (round(point.geometry.x, 4), round(point.geometry.y, 4)) == (3.02, 50.633)
    assert point["place_id"] == "rijsel-euratechnologies"
    zone = layers.zones[layers.zones["name"] == ZONE[2]].iloc[0]
    assert "union of the municipality polygons of Ieper, Poperinge, Diksmuide, Veurne" in \
        zone["geometry_method"]
    # Ieper, Poperinge, Diksmuide and Veurne together: about 130 + 119 + 149 + 96 km².
    assert 450 < zone["area_km2"] < 550


def test_the_shipped_matrix_stays_the_reports_inventory(tmp_path: Path) -> None:
    assert main(["matrix", "-o", str(tmp_path)]) == 0
    header = (tmp_path / "matrix.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("region;") and "basis" not in header
