"""Empty and degenerate input (issue 13.4): a table with only a header, a link from a place to
itself, a zone of zero area, a hole outside its outline, and no ``inf%`` in any warning.

Tables are written as a Belgian Excel saves them (``;``, Windows-1252) or with openpyxl; zones
as a workspace's ``zones.csv`` (WKT); municipality boundaries as GeoJSON and GeoPackage files.
"""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path

import geopandas as gpd
import openpyxl
import pytest
import shapely
from shapely.geometry import Polygon, box

from speerpunt_map import Atlas, GeodataError, PlaceRef, load_atlas, load_gazetteer, read_legend
from speerpunt_map.boundaries import load_boundaries
from speerpunt_map.build import build_atlas
from speerpunt_map.geometry import GeometryResolver

from .conftest import map_entry
from .test_hostile_input import HEADER, point
from .test_validate import write_excel_belgian_csv

LINK_HEADER = ["kind", "name", "link_from", "link_to", "link_type", "source_actor", "year"]
ZONE_COLUMNS = ["id", "name", "aliases", "definition", "members", "buffer_m", "wkt", "source",
                "approximation"]
LAMBERT = "EPSG:31370"


# -- a table with only a header ----------------------------------------------------------------
def test_a_header_only_csv_is_a_problem(tmp_path: Path) -> None:
    legend = read_legend(write_excel_belgian_csv(tmp_path / "t.csv", [HEADER]))
    (problem,) = legend.problems
    assert (problem.row, problem.code, problem.severity) == (1, "empty-table", "warning")
    assert "no data rows" in str(problem) and "empty = true" in str(problem)


def test_a_header_and_notes_rows_only_is_a_problem(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["# point, zone or link", "# the number on the map"])
    sheet.append([])
    book.save(tmp_path / "t.xlsx")
    legend = read_legend(tmp_path / "t.xlsx")
    assert [(p.row, p.code) for p in legend.problems] == [(1, "empty-table")]
    assert legend.notes == [2]


def _catalogue(folder: Path, grid: list[list[str]], extra: str = "") -> Path:
    write_excel_belgian_csv(folder / "t.csv", grid)
    (folder / "catalogue.toml").write_text(map_entry("t.csv") + extra, encoding="utf-8")
    return folder


def test_build_does_not_publish_an_empty_map(atlas: Atlas, tmp_path: Path) -> None:
    (tmp_path / "legends").mkdir()
    empty = load_atlas(_catalogue(tmp_path / "legends", [HEADER]), boundaries=atlas.boundaries)
    result = build_atlas(empty, tmp_path / "out", ids=["antwerpen/test"])
    (only,) = result.maps
    assert "nothing to draw" in only.error and "empty = true" in only.error
    assert not (tmp_path / "out" / "antwerpen" / "test.html").exists()


def test_the_catalogue_may_say_a_map_is_empty(atlas: Atlas, tmp_path: Path) -> None:
    (tmp_path / "legends").mkdir()
    legends = _catalogue(tmp_path / "legends", [HEADER], "empty = true\n")
    empty = load_atlas(legends, boundaries=atlas.boundaries)
    assert empty.maps["antwerpen/test"].empty
    assert read_legend(legends / "t.csv", spec=empty.maps["antwerpen/test"]).problems == []
    result = build_atlas(empty, tmp_path / "out", ids=["antwerpen/test"])
    assert [m.error for m in result.maps] == [""]
    assert (tmp_path / "out" / "antwerpen" / "test.html").is_file()


def test_the_empty_flag_is_true_or_false(atlas: Atlas, tmp_path: Path) -> None:
    _catalogue(tmp_path, [HEADER], 'empty = "yes"\n')
    from speerpunt_map import read_catalogue

    catalogue = read_catalogue(tmp_path)
    assert [(p.column, p.found) for p in catalogue.problems] == [("map #1 (antwerpen/test): "
                                                                  "empty", "yes")]


def test_a_map_whose_rows_all_have_errors_is_not_published(atlas: Atlas, tmp_path: Path) -> None:
    _catalogue(tmp_path, [HEADER, point("1", "Nergens", "nergens-te-vinden")])
    result = build_atlas(load_atlas(tmp_path, boundaries=atlas.boundaries), tmp_path / "out",
                         ids=["antwerpen/test"])
    assert "all 1 row(s) of its table have errors" in result.maps[0].error


# -- a link from a place to itself -------------------------------------------------------------
@pytest.mark.parametrize(("start", "end"), [("Gent", "Gent"), ("Gent", "gent"),
                                            ("", "RESOC Kempen"),
                                            ("kamp-c-westerlo", "Kamp C Westerlo")])
def test_a_link_whose_ends_are_one_place_is_an_error(tmp_path: Path, start: str,
                                                     end: str) -> None:
    grid = [LINK_HEADER, ["link", "Rondje", start, end, "organisation", "RESOC Kempen", "2009"],
            ["link", "Naar Gent", "Geel", "Gent", "organisation", "RESOC Kempen", "2009"]]
    legend = read_legend(write_excel_belgian_csv(tmp_path / "t.csv", grid))
    assert [(p.row, p.column, p.code) for p in legend.problems] == [(2, "link_to", "same-ends")]
    assert "too" in legend.problems[0].suggestion
    assert [r.row for r in legend.rows] == [3]


# -- zones of zero area, holes outside their outline -------------------------------------------
def _square_km2(x: float, y: float, km2: float) -> Polygon:
    side = (km2 * 1e6) ** 0.5
    return box(x, y, x + side, y + side)


def _wgs84(shape: shapely.Geometry) -> shapely.Geometry:
    return gpd.GeoSeries([shape], crs=LAMBERT).to_crs("EPSG:4326").iloc[0]


def _km2(shape: shapely.Geometry) -> float:
    return float(gpd.GeoSeries([shape], crs="EPSG:4326").to_crs(LAMBERT).area.iloc[0]) / 1e6


def hole_outside() -> Polygon:
    """78.0 km² near Geel, with a 19.4 km² "hole" 5 km east of it: make_valid alone makes it
    two polygons of 97.4 km²."""
    shell = _square_km2(195_000, 205_000, 78.0)
    hole = _square_km2(shell.bounds[2] + 5_000, 205_000, 19.4)
    return Polygon(shell.exterior.coords, [hole.exterior.coords])


def _zones(folder: Path, rows: list[tuple[str, str]]) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(ZONE_COLUMNS)
    for zone_id, wkt in rows:
        writer.writerow([zone_id, f"Zone {zone_id}", "", "polygon", "", "", wkt, "test",
                         "drawn for the test"])
    path = folder / "zones.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_make_valid_alone_would_add_the_hole() -> None:
    shape = _wgs84(hole_outside())
    assert round(_km2(shapely.make_valid(shape)), 1) == 97.4


def test_a_wkt_zone_with_a_hole_outside_is_drawn_as_meant(
        tmp_path: Path, atlas: Atlas, caplog: pytest.LogCaptureFixture) -> None:
    path = _zones(tmp_path, [("hole-outside", _wgs84(hole_outside()).wkt)])
    with caplog.at_level(logging.INFO):
        gazetteer = load_gazetteer(zones=path)
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "hole 1 lies outside its outline" in warning and "78.0 km²" in warning
    area = GeometryResolver(gazetteer, atlas.boundaries).area(
        PlaceRef("zone", "hole-outside", "Zone hole-outside"), vintage=2019)
    assert area.geometry.geom_type == "Polygon"
    assert round(_km2(area.geometry), 1) == 78.0
    assert "hole 1 lies outside its outline" in area.method


@pytest.mark.parametrize("wkt", [
    "POLYGON((4.9 51.1, 5.0 51.2, 5.1 51.3, 4.9 51.1))",     # corners on one line
    "POLYGON((4.9 51.1, 4.9 51.1, 4.9 51.1, 4.9 51.1))",     # one point
])
def test_a_zone_of_zero_area_is_an_error(tmp_path: Path, wkt: str) -> None:
    with pytest.raises(GeodataError, match="zone 'flat'.*zero area"):
        load_gazetteer(zones=_zones(tmp_path, [("flat", wkt)]))


def test_a_symmetric_bow_tie_warns_without_inf(tmp_path: Path,
                                               caplog: pytest.LogCaptureFixture) -> None:
    """Its two lobes cancel in the signed area (0): the change is no ``inf%``."""
    bowtie = "POLYGON((4.9 51.1, 5.1 51.3, 5.1 51.1, 4.9 51.3, 4.9 51.1))"
    assert shapely.from_wkt(bowtie).area == 0
    with caplog.at_level(logging.INFO):
        load_gazetteer(zones=_zones(tmp_path, [("bowtie", bowtie)]))
    assert "inf" not in caplog.text and "an unknown amount" in caplog.text


# -- the same in a municipality boundary file (GeoJSON, GeoPackage) ----------------------------
GEEL = "13008"


@pytest.fixture(scope="module")
def broken_geel(user_municipalities: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    frame = user_municipalities.copy()
    index = frame.index[frame["nis"] == GEEL][0]
    frame.loc[index, "geometry"] = _wgs84(hole_outside())
    return frame


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_a_boundary_with_a_hole_outside_keeps_its_area(
        broken_geel: gpd.GeoDataFrame, tmp_path: Path, suffix: str,
        caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / f"gemeenten{suffix}"
    broken_geel.to_file(path, driver="GeoJSON" if suffix == ".geojson" else "GPKG")
    with caplog.at_level(logging.INFO):
        boundaries = load_boundaries(path, use_cache=False)
    geel = boundaries.municipality(GEEL)
    assert geel is not None and geel.geom_type == "Polygon"
    assert round(_km2(geel), 1) == 78.0
    assert "inf%" not in caplog.text


def test_a_boundary_of_zero_area_is_an_error(user_municipalities: gpd.GeoDataFrame,
                                             tmp_path: Path) -> None:
    from speerpunt_map import BoundaryError

    frame = user_municipalities.copy()
    index = frame.index[frame["nis"] == GEEL][0]
    frame.loc[index, "geometry"] = Polygon([(4.9, 51.1), (5.0, 51.2), (5.1, 51.3)])
    frame.to_file(tmp_path / "flat.gpkg")
    with pytest.raises(BoundaryError, match="zero area.*13008, Geel"):
        load_boundaries(tmp_path / "flat.gpkg", use_cache=False)
