"""Bad boundary files, paths and coordinates: checked, not trusted.

The boundary files are real files written with geopandas from the shipped municipality layer
(in its source's column names, ``user_municipalities`` of conftest): shapefiles with and without
their parts, zipped shapefiles, GeoPackages and GeoJSON with wrong or missing CRSs, swapped
axes, null and broken geometries, and VRT files disguised as GeoJSON. The gazetteer tests edit
a copy of the project's ``geodata/`` folder in ``tmp_path``.
"""

from __future__ import annotations

import csv
import json
import logging
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.affinity import affine_transform, translate
from shapely.geometry import Polygon

from speerpunt_map import BoundaryError, GeodataError, load_boundaries, load_gazetteer
from speerpunt_map.boundaries import METRIC_CRS
from speerpunt_map.gazetteer import coordinate_problem

from .conftest import GEODATA, REPO, subprocess_env

PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


@pytest.fixture(scope="module")
def municipalities(user_municipalities: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return user_municipalities[["nis", "name_nl", "name_fr", "geometry"]]


@pytest.fixture(scope="module")
def shapefile(municipalities: gpd.GeoDataFrame, tmp_path_factory: pytest.TempPathFactory
              ) -> Path:
    """A complete shapefile (.shp, .shx, .dbf, .prj, .cpg) of the 581 municipalities."""
    path = tmp_path_factory.mktemp("shp") / "gemeenten.shp"
    municipalities.to_file(path)
    return path


def _zip(target: Path, shapefile: Path, parts: tuple[str, ...] = PARTS, folder: str = "",
         extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in parts:
            archive.write(shapefile.with_suffix(part), folder + shapefile.stem + part)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return target


def _copy_parts(shapefile: Path, folder: Path, parts: tuple[str, ...]) -> Path:
    folder.mkdir()
    for part in parts:
        shutil.copy(shapefile.with_suffix(part), folder / (shapefile.stem + part))
    return folder / shapefile.name


def _load(path: Path | str, **options: object):
    return load_boundaries(path, use_cache=False, **options)


# -- zipped shapefiles, read in place --------------------------------------------------------------


def test_a_zipped_shapefile_is_read_in_place(tmp_path: Path, shapefile: Path) -> None:
    archive = _zip(tmp_path / "gemeenten.zip", shapefile, folder="Apn_AdMu/")
    boundaries = _load(archive)
    assert len(boundaries.level("municipality")) == 581
    assert boundaries.source == "gemeenten.zip (Apn_AdMu/gemeenten.shp) (municipality boundary " \
        "file)"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gemeenten.zip"]  # nothing extracted


@pytest.mark.parametrize(("missing", "fragment"), [
    (".dbf", ".dbf part (gemeenten.dbf, the attribute table with the REFNIS codes) is missing"),
    (".shx", ".shx part (gemeenten.shx, the index of the shapes) is missing"),
    (".prj", "states no CRS (its .prj part, gemeenten.prj, is missing); give it with --crs"),
])
def test_a_missing_shapefile_part_is_named(tmp_path: Path, shapefile: Path, missing: str,
                                           fragment: str) -> None:
    parts = tuple(p for p in PARTS if p != missing)
    archive = _zip(tmp_path / "gemeenten.zip", shapefile, parts, folder="data/")
    loose = _copy_parts(shapefile, tmp_path / "loose", parts)
    for path in (archive, loose):
        with pytest.raises(BoundaryError) as raised:
            _load(path)
        assert fragment in str(raised.value)
        assert str(path) in str(raised.value)


def test_a_shapefile_without_prj_loads_with_crs(tmp_path: Path, shapefile: Path) -> None:
    archive = _zip(tmp_path / "gemeenten.zip", shapefile, (".shp", ".shx", ".dbf"))
    assert len(_load(archive, crs="EPSG:4326").level("municipality")) == 581


def test_a_zip_with_several_files_asks_which(tmp_path: Path, shapefile: Path,
                                             municipalities: gpd.GeoDataFrame) -> None:
    archive = _zip(tmp_path / "two.zip", shapefile)
    with zipfile.ZipFile(archive, "a") as handle:
        for part in PARTS:
            handle.write(shapefile.with_suffix(part), "kopie" + part)
    with pytest.raises(BoundaryError, match="several boundary files .*--layer gemeenten"):
        _load(archive)
    assert len(_load(archive, layer="kopie").level("municipality")) == 581


@pytest.mark.parametrize(("content", "fragment"), [
    ({"readme.txt": b"hello"}, "holds no boundary file"),
    ({"__MACOSX/gemeenten.shp": b"x"}, "holds no boundary file"),
    ({"gemeenten.geojson": b'<?xml version="1.0"?>\n<OGRVRTDataSource><OGRVRTLayer '
                           b'name="m"><SrcDataSource>/etc/passwd</SrcDataSource>'
                           b'</OGRVRTLayer></OGRVRTDataSource>'}, "a GDAL VRT file"),
    ({"gemeenten.geojson": b"{not json"}, "not a vector file GDAL can read"),
])
def test_bad_zip_contents(tmp_path: Path, content: dict[str, bytes], fragment: str) -> None:
    archive = tmp_path / "gemeenten.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for name, data in content.items():
            handle.writestr(name, data)
    with pytest.raises(BoundaryError, match=fragment):
        _load(archive)


def test_a_broken_zip_is_a_boundary_error(tmp_path: Path, shapefile: Path) -> None:
    good = _zip(tmp_path / "good.zip", shapefile)
    broken = tmp_path / "broken.zip"
    broken.write_bytes(good.read_bytes()[:2000])
    with pytest.raises(BoundaryError, match="not a readable zip archive"):
        _load(broken)


def test_a_zipped_geojson_is_read_in_place(tmp_path: Path,
                                           municipalities: gpd.GeoDataFrame) -> None:
    archive = tmp_path / "gemeenten.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("gemeenten.geojson", municipalities.to_json())
    assert len(_load(archive).level("municipality")) == 581


# -- paths: only local files -----------------------------------------------------------------------


@pytest.mark.parametrize("given", [
    "https://example.org/gemeenten.geojson", "http://localhost:8080/x.shp",
    "ftp://example.org/x.zip", "/vsicurl/https://example.org/x.geojson",
    "/vsizip/gemeenten.zip/gemeenten.shp", "/vsis3/bucket/gemeenten.gpkg",
    "/vsigs/bucket/x.gpkg", "/vsimem/x.geojson", "/vsizip//vsicurl/https://e.org/a.zip",
    "/VSICURL/https://example.org/x.geojson", "/vsistdin/",
])
def test_urls_and_virtual_paths_are_refused(given: str) -> None:
    with pytest.raises(BoundaryError) as raised:
        _load(given)
    assert "only a local boundary file" in str(raised.value)
    assert "--allow-virtual-paths" in str(raised.value)


def test_the_environment_variable_is_checked_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEERPUNT_MAP_BOUNDARIES", "/vsicurl/https://example.org/x.geojson")
    with pytest.raises(BoundaryError, match="virtual path"):
        load_boundaries(use_cache=False)


def _vrt(target: Path, source: Path, layer: str) -> Path:
    target.write_text(f'<OGRVRTDataSource><OGRVRTLayer name="municipalities"><SrcDataSource>'
                      f"{source}</SrcDataSource><SrcLayer>{layer}</SrcLayer></OGRVRTLayer>"
                      "</OGRVRTDataSource>", encoding="utf-8")
    return target


def test_vrt_files_are_refused_unless_allowed(tmp_path: Path,
                                              municipalities: gpd.GeoDataFrame) -> None:
    municipalities.to_file(tmp_path / "echt.gpkg", layer="m", driver="GPKG")
    disguised = _vrt(tmp_path / "gemeenten.geojson", tmp_path / "echt.gpkg", "m")
    plain = _vrt(tmp_path / "gemeenten.vrt", tmp_path / "echt.gpkg", "m")
    for path in (disguised, plain):
        with pytest.raises(BoundaryError, match="a GDAL VRT file"):
            _load(path)
    # Allowed explicitly, the VRT is opened (here it points at a local file).
    assert len(_load(plain, allow_virtual=True).level("municipality")) == 581


@pytest.mark.parametrize(("make", "fragment"), [
    (lambda p: p.mkdir(), "a folder, not a boundary file"),
    (lambda p: p.write_bytes(b""), "an empty file"),
    (lambda p: p.write_bytes(b"SQLite format 3\x00" + bytes(2000)), "not a vector file GDAL"),
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100)), "not a vector file GDAL"),
    (lambda p: None, "no such boundary file"),
])
def test_bad_paths(tmp_path: Path, make, fragment: str) -> None:
    path = tmp_path / "gemeenten.gpkg"
    make(path)
    with pytest.raises(BoundaryError, match=fragment):
        _load(path)


def test_a_folder_names_the_files_in_it(tmp_path: Path, shapefile: Path) -> None:
    with pytest.raises(BoundaryError, match=r"name a file in it, e\.g\. .*gemeenten"):
        _load(shapefile.parent)


# -- CRS: checked against the numbers --------------------------------------------------------------


def _geojson_without_crs(frame: gpd.GeoDataFrame, path: Path) -> Path:
    data = json.loads(frame.to_json())
    data.pop("crs", None)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(("crs", "named"), [
    ("EPSG:31370", "Belgian Lambert 72 metres (EPSG:31370); give --crs EPSG:31370"),
    ("EPSG:3812", "Belgian Lambert 2008 metres (EPSG:3812); give --crs EPSG:3812"),
    ("EPSG:32631", "UTM zone 31N metres (EPSG:32631); give --crs EPSG:32631"),
])
def test_a_crs_less_geojson_in_metres_names_the_likely_crs(
        tmp_path: Path, municipalities: gpd.GeoDataFrame, crs: str, named: str) -> None:
    path = _geojson_without_crs(municipalities.to_crs(crs), tmp_path / "m.geojson")
    with pytest.raises(BoundaryError) as raised:
        _load(path)
    assert named in str(raised.value) and "not degrees" in str(raised.value)
    assert len(_load(path, crs=crs).level("municipality")) == 581


def test_metres_of_another_crs_than_stated_are_named(tmp_path: Path,
                                                     municipalities: gpd.GeoDataFrame) -> None:
    lambert_2008 = municipalities.to_crs("EPSG:3812").set_crs(METRIC_CRS, allow_override=True)
    lambert_2008.to_file(tmp_path / "wrong.gpkg", driver="GPKG")
    with pytest.raises(BoundaryError) as raised:
        _load(tmp_path / "wrong.gpkg")
    assert "outside Belgium" in str(raised.value)
    assert "look like Belgian Lambert 2008 metres (EPSG:3812)" in str(raised.value)


def test_degrees_in_a_metric_file_are_named(tmp_path: Path,
                                            municipalities: gpd.GeoDataFrame) -> None:
    municipalities.set_crs(METRIC_CRS, allow_override=True).to_file(tmp_path / "d.gpkg")
    with pytest.raises(BoundaryError, match="look like degrees: the CRS is wrong"):
        _load(tmp_path / "d.gpkg")


def test_swapped_axes_are_named(tmp_path: Path, municipalities: gpd.GeoDataFrame) -> None:
    swapped = municipalities.copy()
    swapped["geometry"] = swapped.geometry.map(lambda g: affine_transform(g, [0, 1, 1, 0, 0, 0]))
    swapped.to_file(tmp_path / "swapped.gpkg")
    with pytest.raises(BoundaryError, match="latitude and longitude swapped"):
        _load(tmp_path / "swapped.gpkg")


def test_a_file_elsewhere_in_the_world_is_refused(tmp_path: Path,
                                                  municipalities: gpd.GeoDataFrame) -> None:
    moved = municipalities.copy()
    moved["geometry"] = moved.geometry.map(lambda g: translate(g, xoff=40))
    moved.to_file(tmp_path / "moved.gpkg")
    with pytest.raises(BoundaryError, match="is not in Belgium"):
        _load(tmp_path / "moved.gpkg")


@pytest.mark.parametrize("crs", ["EPSG:99999", "Lambert", ""])
def test_an_unknown_crs_is_a_boundary_error(shapefile: Path, crs: str) -> None:
    with pytest.raises(BoundaryError, match="not a CRS pyproj knows"):
        _load(shapefile, crs=crs)


# -- geometry: null, empty, not polygons, invalid --------------------------------------------------


def test_null_and_empty_geometries_name_the_feature(tmp_path: Path,
                                                    municipalities: gpd.GeoDataFrame) -> None:
    broken = municipalities.copy()
    gent = broken.index[broken["nis"] == "44021"][0]
    leuven = broken.index[broken["nis"] == "24062"][0]
    broken.loc[gent, "geometry"] = None
    broken.loc[leuven, "geometry"] = Polygon()
    broken.to_file(tmp_path / "holes.gpkg")
    with pytest.raises(BoundaryError) as raised:
        _load(tmp_path / "holes.gpkg")
    message = str(raised.value)
    assert "2 feature(s) without geometry" in message
    assert f"feature {list(broken.index).index(gent)} (REFNIS 44021, Gent)" in message
    assert "(REFNIS 24062, Leuven)" in message


def test_points_are_no_municipality_boundaries(tmp_path: Path,
                                               municipalities: gpd.GeoDataFrame) -> None:
    points = municipalities.copy()
    points["geometry"] = points.geometry.representative_point()
    points.to_file(tmp_path / "points.gpkg")
    with pytest.raises(BoundaryError, match=r"\(REFNIS \d{5}, .*\) is a Point"):
        _load(tmp_path / "points.gpkg")


def test_a_layer_without_features(tmp_path: Path, municipalities: gpd.GeoDataFrame) -> None:
    municipalities.iloc[0:0].to_file(tmp_path / "none.gpkg")
    with pytest.raises(BoundaryError, match="holds no features"):
        _load(tmp_path / "none.gpkg")


def _bowtie(geometry: shapely.Geometry) -> Polygon:
    """A self-intersecting ring over a polygon's bounds: two unequal triangles."""
    minx, miny, maxx, maxy = geometry.bounds
    return Polygon([(minx, miny), (maxx, maxy), (maxx, miny), (minx, miny + (maxy - miny) / 3)])


def _spike(geometry: shapely.Geometry) -> Polygon:
    """The polygon with a zero-width spike (~30 m, out and back): invalid, and repaired
    without changing the area, as the source of the shipped layer stores Stabroek and Asse."""
    part = max(getattr(geometry, "geoms", [geometry]), key=lambda p: p.area)
    ring = list(part.exterior.coords)
    return Polygon([ring[0], (ring[0][0] + 30 / 70_000, ring[0][1]), *ring])


# Stabroek, Asse, Koksijde: the three small repairs (as in the source of the shipped layer).
SPIKED = ("11044", "23002", "38014")


@pytest.fixture()
def bowtie_file(tmp_path: Path, municipalities: gpd.GeoDataFrame) -> Path:
    """Mechelen as a bow tie (a repair that changes its area), and three small spikes."""
    broken = municipalities.copy()
    mechelen = broken.index[broken["nis"] == "12025"][0]
    broken.loc[mechelen, "geometry"] = _bowtie(broken.loc[mechelen, "geometry"])
    for code in SPIKED:
        index = broken.index[broken["nis"] == code][0]
        broken.loc[index, "geometry"] = _spike(broken.loc[index, "geometry"])
    broken.to_file(tmp_path / "bowtie.gpkg")
    return tmp_path / "bowtie.gpkg"


def test_a_repair_that_changes_the_area_is_a_warning(bowtie_file: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("SPEERPUNT_MAP_CACHE", str(tmp_path / "cache"))
    for _ in range(2):  # built, then read from the cache: reported both times
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="speerpunt_map.boundaries"):
            boundaries = load_boundaries(bowtie_file)
        warned = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warned) == 1, caplog.text
        assert "Mechelen (12025) was repaired with make_valid" in warned[0].getMessage()
        assert "area changed by" in warned[0].getMessage()
        # The three small repairs are logged, not warned.
        infos = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
        assert sum("repaired with make_valid" in m for m in infos) == 3
    repaired = boundaries.repairs.set_index("refnis")
    assert repaired.loc["12025", "repair_change"] > 0.001
    assert boundaries.municipality("12025").is_valid
    assert "repaired with make_valid" in repaired.loc["12025", "basis"]


def test_a_large_repair_is_visible_on_the_command_line(bowtie_file: Path,
                                                       tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "speerpunt_map.cli", "export", "antwerpen/zorg",
         str(tmp_path / "zorg.gpkg"), "--boundaries", str(bowtie_file)],
        capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path,
        env=subprocess_env(SPEERPUNT_MAP_CACHE=str(tmp_path / "cache")))
    assert result.returncode == 0, result.stderr
    assert "WARNING: " in result.stderr and "Mechelen (12025)" in result.stderr
    assert "repaired with make_valid" in result.stderr


@pytest.mark.parametrize("args", [
    ["--boundaries", "https://example.org/x.geojson"],
    ["--boundaries", "."],
    ["--boundaries", "absent.gpkg"],
    ["--boundaries", "empty.geojson"],
])
def test_bad_boundary_files_on_the_command_line(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "empty.geojson").write_bytes(b"")
    result = subprocess.run([sys.executable, "-m", "speerpunt_map.cli", "export",
                             "antwerpen/zorg", "out.gpkg", *args], capture_output=True,
                            text=True, timeout=300, check=False, cwd=tmp_path,
                            env=subprocess_env(SPEERPUNT_MAP_CACHE=str(tmp_path / "cache")))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("speerpunt-map: error: ")
    assert not (tmp_path / "out.gpkg").exists()


# -- coordinates of the gazetteer, zones and municipalities ----------------------------------------


@pytest.mark.parametrize(("lon", "lat", "country", "fragment"), [
    (4.40, 51.22, None, None),
    (51.22, 4.40, None, "latitude and longitude swapped"),
    (152000, 212000, None, "Belgian Lambert 72 metres (EPSG:31370)"),
    (652000, 712000, None, "Belgian Lambert 2008 metres (EPSG:3812)"),
    (600000, 5650000, None, "UTM zone 31N metres (EPSG:32631)"),
    (490000, 6620000, None, "Web Mercator metres (EPSG:3857)"),
    (4400, 51220, None, "decimal point seems lost (did you mean 4.4, 51.22?)"),
    (4.40, -51.22, None, "minus sign"),
    (2.35, 48.86, "BE", "outside BE's extent (is the country right?)"),
    (20.0, 60.0, None, "outside Belgium and its neighbours"),
    (float("nan"), 51.0, None, "not finite"),
    (float("inf"), 51.0, None, "not finite"),
])
def test_the_likely_coordinate_mistake_is_named(lon: float, lat: float, country: str | None,
                                                fragment: str | None) -> None:
    problem = coordinate_problem(lon, lat, country)
    assert problem is None if fragment is None else fragment in problem


def test_metres_are_converted_in_the_message() -> None:
    # The thesis' Mol: Lambert 72 x≈202 km, y≈210 km.
    assert "(as such: lon 5.1" in coordinate_problem(202000, 210000)


@pytest.fixture()
def geodata(tmp_path: Path) -> Path:
    folder = tmp_path / "geodata"
    shutil.copytree(GEODATA, folder, ignore=shutil.ignore_patterns("tools", "*.md"))
    return folder


def _edit(path: Path, key: str, value: str, changes: dict[str, str]) -> None:
    """Change cells of the row whose ``key`` column is ``value`` in a project CSV."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    hits = [row for row in rows if row[key] == value]
    assert hits, value
    for row in hits:
        row.update(changes)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(("changes", "fragment"), [
    ({"lon": "203000", "lat": "210000"}, "Belgian Lambert 72 metres (EPSG:31370)"),
    ({"lon": "703000", "lat": "710000"}, "Belgian Lambert 2008 metres (EPSG:3812)"),
    ({"lon": "51.1870", "lat": "5.1120"}, "latitude and longitude swapped"),
    ({"lon": "5,112", "lat": "51,187"}, "a decimal comma: write 4.40, not 4,40"),
    ({"lon": "", "lat": "51.187"}, "are not numbers"),
    ({"lon": "2.35", "lat": "48.86"}, "outside BE's extent"),
])
def test_a_bad_gazetteer_coordinate_is_named(geodata: Path, changes: dict[str, str],
                                             fragment: str) -> None:
    _edit(geodata / "gazetteer" / "antwerpen.csv", "id", "vito-mol", changes)
    with pytest.raises(GeodataError) as raised:
        load_gazetteer(geodata)
    message = str(raised.value)
    assert "antwerpen.csv, line" in message and "place 'vito-mol'" in message
    assert fragment in message


@pytest.mark.parametrize(("zone", "changes", "fragment"), [
    ("havengebied-antwerpen", {"wkt": "POLYGON((150000 210000, 151000 210000, 151000 211000, "
                                      "150000 210000))"}, "Lambert 72"),
    ("havengebied-antwerpen", {"wkt": "POLYGON((51.2 4.3, 51.3 4.3, 51.3 4.4, 51.2 4.3))"},
     "swapped"),
    ("havengebied-antwerpen", {"wkt": "POLYGON((4.3 51.2, 4.4 51.2"}, "bad WKT"),
    ("havengebied-antwerpen", {"wkt": "POINT(4.3 51.2)"}, "expected a POLYGON"),
    ("havengebied-antwerpen", {"wkt": "POLYGON EMPTY"}, "(empty)"),
    ("havengebied-antwerpen", {"definition": "cirkel"}, "definition 'cirkel'"),
    ("glastuinbouw-hoogstraten", {"buffer_m": "4 km"}, "is not a number of metres"),
    ("glastuinbouw-hoogstraten", {"buffer_m": "0.05"}, None),
    ("glastuinbouw-hoogstraten", {"buffer_m": "400000"}, "km or degrees given?"),
    ("glastuinbouw-hoogstraten", {"buffer_m": "-5"}, "more than 0"),
    ("brabantse-poort", {"members": "Willebroek|Puurs-Sint-Amands|Nergenshuizen"},
     "unknown member 'Nergenshuizen'"),
    ("brabantse-poort", {"members": ""}, "no members"),
])
def test_a_bad_zone_definition_is_named(geodata: Path, zone: str, changes: dict[str, str],
                                        fragment: str | None) -> None:
    _edit(geodata / "zones" / "antwerpen.csv", "id", zone, changes)
    if fragment is None:  # a tiny buffer is odd, not wrong
        assert zone in load_gazetteer(geodata).zones.index
        return
    with pytest.raises(GeodataError) as raised:
        load_gazetteer(geodata)
    assert f"zone {zone!r}" in str(raised.value) and fragment in str(raised.value)


def test_an_invalid_zone_polygon_is_repaired_with_a_warning(
        geodata: Path, caplog: pytest.LogCaptureFixture) -> None:
    bowtie = "POLYGON((4.30 51.20, 4.40 51.30, 4.40 51.20, 4.30 51.233, 4.30 51.20))"
    _edit(geodata / "zones" / "antwerpen.csv", "id", "havengebied-antwerpen", {"wkt": bowtie})
    with caplog.at_level(logging.WARNING, logger="speerpunt_map.gazetteer"):
        load_gazetteer(geodata)
    assert "zone 'havengebied-antwerpen': invalid polygon, drawn repaired with make_valid" in \
        caplog.text


def test_municipality_coordinates_are_checked(geodata: Path) -> None:
    _edit(geodata / "municipalities.csv", "refnis", "13025", {"lon": "51.18", "lat": "5.12"})
    with pytest.raises(GeodataError, match=r"municipality '13025'.*swapped"):
        load_gazetteer(geodata)


def test_every_geodata_mistake_is_reported_at_once(geodata: Path) -> None:
    _edit(geodata / "gazetteer" / "antwerpen.csv", "id", "vito-mol",
          {"lon": "203000", "lat": "210000"})
    _edit(geodata / "gazetteer" / "common.csv", "id", "maastricht",
          {"lon": "50.85", "lat": "5.69"})
    _edit(geodata / "zones" / "antwerpen.csv", "id", "glastuinbouw-hoogstraten",
          {"buffer_m": "5 km"})
    with pytest.raises(GeodataError) as raised:
        load_gazetteer(geodata)
    message = str(raised.value)
    assert message.startswith("3 problem(s) in the geodata:")
    assert "'vito-mol'" in message and "'maastricht'" in message
    assert "'glastuinbouw-hoogstraten'" in message


def test_the_shipped_geodata_has_no_coordinate_mistake() -> None:
    assert load_gazetteer(REPO / "geodata") is not None
