"""The offline orienting base map in geodata/basemap/ (derived from GSHHG).

Reads only the files in the repository (nothing beside the clone): they parse, their
geometries are valid and inside the box, they stay small, the named rivers run where those
rivers run, and the labels cover the places the maps need.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import Point, box, shape

BASEMAP = Path(__file__).resolve().parents[1] / "geodata" / "basemap"
LAYERS = ["sea", "coastline", "rivers", "borders"]
BBOX = (2.3, 50.4, 6.5, 51.95)
GEOMETRY_BUDGET = 60_000  # bytes, all GeoJSON layers together (the page budget is 300 KB)
LABELS_BUDGET = 10_000
KINDS = {"city", "country", "region", "river", "sea"}
CENTRUMSTEDEN = ["Aalst", "Antwerpen", "Brugge", "Genk", "Gent", "Hasselt", "Kortrijk", "Leuven",
                 "Mechelen", "Oostende", "Roeselare", "Sint-Niklaas", "Turnhout"]
FOREIGN = ["Rijsel", "Duinkerke", "Terneuzen", "Vlissingen", "Rotterdam", "Breda", "Eindhoven",
           "Maastricht", "Aken", "Luik", "Namen", "Bergen", "Doornik", "Moeskroen"]
TO_METRIC = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)


def metric(geom):
    return shapely.transform(geom, lambda xy: np.column_stack(TO_METRIC.transform(*xy.T)))


def km(a, b) -> float:
    return metric(a).distance(metric(b)) / 1000.0


def layer(name: str) -> list[dict]:
    data = json.loads((BASEMAP / f"{name}.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    return data["features"]


@pytest.fixture(scope="module")
def labels() -> list[dict[str, str]]:
    with (BASEMAP / "labels.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ["id", "name_nl", "name_en", "kind", "lon", "lat", "source",
                                     "note"]
        return list(reader)


@pytest.fixture(scope="module")
def places(labels) -> dict[str, Point]:
    return {r["name_nl"]: Point(float(r["lon"]), float(r["lat"])) for r in labels}


@pytest.fixture(scope="module")
def rivers() -> dict[str, object]:
    return {f["properties"]["name_nl"]: shape(f["geometry"]) for f in layer("rivers")
            if f["properties"]["kind"] == "river"}


@pytest.fixture(scope="module")
def sea():
    (feature,) = layer("sea")
    return shape(feature["geometry"])


def coordinates(obj):
    if isinstance(obj[0], int | float):
        yield obj
    else:
        for item in obj:
            yield from coordinates(item)


@pytest.mark.parametrize("name", LAYERS)
def test_layer_parses_with_valid_geometry_in_the_box(name):
    features = layer(name)
    assert features
    bbox = box(*BBOX)
    for f in features:
        props = f["properties"]
        assert {"name_nl", "name_en", "kind", "source"} <= props.keys(), props
        assert "GSHHG" in props["source"] and "LGPL-3+" in props["source"]
        geom = shape(f["geometry"])
        assert geom.is_valid and not geom.is_empty, props
        assert bbox.buffer(1e-9).contains(geom), props
        for lon, lat in coordinates(f["geometry"]["coordinates"]):
            assert round(lon, 5) == lon and round(lat, 5) == lat, (props["kind"], lon, lat)


def test_sizes_within_budget():
    sizes = {name: (BASEMAP / f"{name}.geojson").stat().st_size for name in LAYERS}
    assert sum(sizes.values()) < GEOMETRY_BUDGET, sizes
    assert (BASEMAP / "labels.csv").stat().st_size < LABELS_BUDGET


def test_sea_is_the_sea(sea, places):
    assert sea.geom_type in {"Polygon", "MultiPolygon"}
    assert sea.contains(Point(2.85, 51.30)), "off Oostende"
    assert sea.contains(places["Noordzee"])
    for city in ("Brugge", "Gent", "Antwerpen", "Oostende", "Terneuzen", "Rotterdam"):
        assert not sea.contains(places[city]), city
    assert sea.bounds[0] == BBOX[0] and sea.bounds[3] == BBOX[3], "sea reaches the box edges"


def test_coastline_is_the_sea_edge(sea):
    (feature,) = layer("coastline")
    coast = shape(feature["geometry"])
    assert coast.geom_type in {"LineString", "MultiLineString"}
    edge = sea.boundary
    for lon, lat in coordinates(feature["geometry"]["coordinates"]):
        assert edge.distance(Point(lon, lat)) < 1e-6, (lon, lat)
    assert km(coast, Point(2.9196, 51.2301)) < 1.5, "the coast passes Oostende"


@pytest.mark.parametrize(("river", "cities", "max_km"), [
    # GSHHG's Schelde passes 2.1 km from Gent's town hall (its Leie confluence lies east of the
    # historic centre); it is ~0.3 km from Antwerpen's Grote Markt.
    ("Schelde", ["Gent", "Antwerpen", "Doornik"], 2.5),
    ("Leie", ["Kortrijk", "Gent"], 2.0),
    ("Maas", ["Maastricht", "Luik", "Namen", "Venlo"], 2.0),
    ("Rijn en Waal", ["Nijmegen"], 2.0),
    ("Lek en Nieuwe Maas", ["Rotterdam"], 2.5),
])
def test_named_river_runs_past_its_cities(rivers, places, river, cities, max_km):
    for city in cities:
        assert km(rivers[river], places[city]) <= max_km, (river, city)


def test_rivers_do_not_run_past_other_cities(rivers, places):
    assert km(rivers["Schelde"], places["Kortrijk"]) > 10
    assert km(rivers["Leie"], places["Antwerpen"]) > 30
    assert km(rivers["Maas"], places["Gent"]) > 100


def test_river_features_are_named_or_marked_minor():
    for f in layer("rivers"):
        props = f["properties"]
        assert props["kind"] in {"river", "river-minor", "canal"}
        if props["kind"] == "river":
            assert props["name_nl"] and props["name_en"] and props["identified_by"]
        else:
            assert props["name_nl"] == ""
        assert isinstance(props["gshhg_level"], int)


def test_borders_are_the_country_pairs(places):
    features = {f["properties"]["countries"]: shape(f["geometry"]) for f in layer("borders")}
    assert set(features) == {"BE-DE", "BE-FR", "BE-NL", "DE-NL"}
    assert km(features["BE-FR"], places["Moeskroen"]) < 5
    assert km(features["BE-NL"], places["Maastricht"]) < 5
    assert km(features["BE-DE"], places["Aken"]) < 10
    for pair, geom in features.items():
        assert km(geom, places["Brussel"]) > 40, pair


def test_labels(labels, places, rivers):
    ids = [r["id"] for r in labels]
    assert len(ids) == len(set(ids))
    assert len(places) == len(labels), "name_nl unique"
    bbox = box(*BBOX)
    for r in labels:
        assert r["kind"] in KINDS, r
        assert r["name_nl"] and r["name_en"] and r["source"], r
        assert bbox.contains(Point(float(r["lon"]), float(r["lat"]))), r
    cities = {r["name_nl"] for r in labels if r["kind"] == "city"}
    assert set(CENTRUMSTEDEN) | {"Brussel"} | set(FOREIGN) <= cities
    kinds = {r["name_nl"]: r["kind"] for r in labels}
    assert {kinds[n] for n in ("Nederland", "Frankrijk", "Duitsland")} == {"country"}
    assert {kinds[n] for n in ("Wallonië", "Brussels Hoofdstedelijk Gewest")} == {"region"}
    assert kinds["Noordzee"] == "sea"


def test_river_labels_lie_on_their_river(labels, rivers):
    river_labels = {r["name_nl"]: Point(float(r["lon"]), float(r["lat"])) for r in labels
                    if r["kind"] == "river"}
    assert set(river_labels) == set(rivers)
    for name, point in river_labels.items():
        assert rivers[name].distance(point) < 1e-9, name


def test_readme_and_licence_present():
    readme = (BASEMAP / "README.md").read_text(encoding="utf-8")
    assert "GSHHG (Wessel & Smith), LGPL-3+" in readme
    for name in LAYERS:
        assert f"{name}.geojson" in readme
    licence = (BASEMAP / "LICENSE-GSHHG.txt").read_text(encoding="utf-8")
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in licence
    assert "License: LGPL-3+" in licence
