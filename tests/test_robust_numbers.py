"""Numbers (issue 13.3): a point number is an identifier, shown as typed; exports keep numbers
numeric and guard only text; a CSV and XLSX round trip of every export is lossless.

The legend is a CSV as a Belgian Excel saves it (``;``, Windows-1252); the exports are read back
with the toolkit's own reader (and the GeoPackage with geopandas), and compared cell by cell.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest

from speerpunt_map import Atlas, MapLayers, load_atlas, write_selection
from speerpunt_map._tables import read_table
from speerpunt_map.description import feature_texts
from speerpunt_map.interactive import html_from_layers

from .conftest import map_entry
from .test_hostile_input import HEADER, point
from .test_validate import write_excel_belgian_csv

LONG = "000123456789012345678901"  # more digits than a 64-bit integer holds
NUMERIC = ("row", "lon", "lat", "area_km2", "length_km", "precision_m")


@pytest.fixture(scope="module")
def numbered(atlas: Atlas, tmp_path_factory: pytest.TempPathFactory) -> MapLayers:
    folder = tmp_path_factory.mktemp("numbers")
    write_excel_belgian_csv(folder / "t.csv", [
        HEADER, point("007", "VITO", "vito-mol", remark="''=1+1"),
        point(LONG, "Kamp C", "kamp-c-westerlo", remark="-1.5536"),
        point("8", "Thomas More", "Geel", remark="=SUM(A1:A2)")])
    (folder / "catalogue.toml").write_text(map_entry("t.csv"), encoding="utf-8")
    layers = load_atlas(folder, boundaries=atlas.boundaries).map("antwerpen/test")
    assert layers.problems == []
    # (the reader drops the one ' a spreadsheet export puts before a formula start)
    assert list(layers.points["remark"]) == ["'=1+1", "-1.5536", "=SUM(A1:A2)"]
    return layers


def _typed(table: pd.DataFrame) -> list[dict[str, str]]:
    return [{c: "" if pd.isna(v) else str(v) for c, v in zip(table.columns, r, strict=True)}
            for r in table.itertuples(index=False)]


def test_a_point_number_is_shown_as_typed(numbered: MapLayers) -> None:
    assert list(numbered.points["number"]) == ["007", LONG, "8"]
    assert list(numbered.points["label"]) == ["007", LONG, "8"]
    labels = numbered.resources.labels("nl")
    texts = feature_texts(numbered.points, "point", labels, {})
    assert [t.label for t in texts] == ["007", LONG, "8"]
    page = html_from_layers(numbered)
    assert '"007"' in page and f'"{LONG}"' in page


def test_duplicate_numbers_are_found_however_they_are_typed(tmp_path: Path) -> None:
    from speerpunt_map import read_legend

    legend = read_legend(write_excel_belgian_csv(tmp_path / "t.csv", [
        HEADER, point("7", "VITO", "vito-mol"), point("007", "Kamp C", "kamp-c-westerlo")]))
    (problem,) = legend.errors
    assert (problem.row, problem.column, problem.found, problem.code) == \
        (3, "number", "007", "duplicate-number")


def test_csv_export_guards_text_and_leaves_numbers(numbered: MapLayers, tmp_path: Path) -> None:
    path = numbered.to_csv(tmp_path / "map.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        raw = list(csv.DictReader(handle, delimiter=";"))
    assert [r["number"] for r in raw] == ["007", LONG, "8"]
    assert [r["remark"] for r in raw] == ["''=1+1", "'-1.5536", "'=SUM(A1:A2)"]
    for row in raw:
        for column in ("row", "lon", "lat"):
            float(row[column])  # a number, not '-text
    # Read back with our reader: every cell as it was.
    table = read_table(path)
    assert table.problems == []
    assert table.rows == _typed(numbered.rows())


def _same(read: str, value: str, column: str) -> None:
    if column in NUMERIC and value:
        assert math.isclose(float(read), float(value), rel_tol=1e-14), column
    else:
        assert read == value, (column, value)


def test_xlsx_export_keeps_numbers_numeric(numbered: MapLayers, tmp_path: Path) -> None:
    path = numbered.to_xlsx(tmp_path / "map.xlsx")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[1]]
    for cells in sheet.iter_rows(min_row=2):
        by = dict(zip(header, cells, strict=True))
        assert by["number"].data_type == "s"
        for column in ("row", "lon", "lat"):
            assert by[column].data_type == "n" and isinstance(by[column].value, int | float)
    table = read_table(path)
    assert table.problems == []
    for read, original in zip(table.rows, _typed(numbered.rows()), strict=True):
        for column, value in original.items():
            _same(read[column], value, column)


def test_gpkg_export_keeps_the_number_as_typed(numbered: MapLayers, tmp_path: Path) -> None:
    path = numbered.to_gpkg(tmp_path / "map.gpkg")
    points = gpd.read_file(path, layer="points")
    assert list(points["number"]) == ["007", LONG, "8"]
    assert list(points["remark"]) == ["'=1+1", "-1.5536", "=SUM(A1:A2)"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_selection_round_trips_with_negative_numbers(suffix: str, tmp_path: Path) -> None:
    """An analysis result of one's own: a negative longitude stays a number; text that starts
    like a number or a formula, or with ``'=``, comes back as typed."""
    frame = pd.DataFrame({"name": ["'=1+1", "-1.5536", "=HYPERLINK(\"x\")", "007"],
                          "lon": [-1.5536, 4.25, -0.0001, 3.0],
                          "area_km2": [78.0, 97.4, 0.5, 1e-6],
                          "count": [1, -2, 0, 12]})
    path = write_selection(frame, tmp_path / f"sel{suffix}")
    if suffix == ".csv":
        raw = path.read_text(encoding="utf-8-sig").splitlines()
        assert raw[1] == "''=1+1;-1.5536;78.0;1"
        assert raw[2] == "'-1.5536;4.25;97.4;-2"
    else:
        sheet = openpyxl.load_workbook(path).worksheets[0]
        assert [c.value for c in sheet[2]] == ["''=1+1", -1.5536, 78, 1]
        assert sheet["A3"].data_type == "s" and sheet["B2"].data_type == "n"
    table = read_table(path)
    assert table.problems == []
    for read, original in zip(table.rows, _typed(frame), strict=True):
        assert read["name"] == original["name"]
        for column in ("lon", "area_km2", "count"):
            assert float(read[column]) == float(original[column]), column
