"""Names → places: every Flemish municipality of every vintage, aliases typed with accents,
curly quotes and non-breaking spaces, places abroad, and the coordinates themselves."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import Point

from speerpunt_map import Boundaries, Gazetteer
from speerpunt_map._text import normalise
from speerpunt_map.gazetteer import is_flemish_refnis
from speerpunt_map.geometry import to_metric

# Rough extents (lon min, lat min, lon max, lat max) of the countries the gazetteer uses.
COUNTRY_EXTENT = {
    "BE": (2.5, 49.45, 6.45, 51.55),
    "NL": (3.3, 50.7, 7.3, 53.6),
    "FR": (-5.2, 41.3, 9.6, 51.1),
    "DE": (5.8, 47.2, 15.1, 55.1),
    "LU": (5.7, 49.4, 6.6, 50.2),
}


def _flemish(gazetteer: Gazetteer, vintage: int):
    frame = gazetteer.municipalities
    return frame[(frame["vintage"] == str(vintage)) & frame["refnis"].map(is_flemish_refnis)]


@pytest.mark.parametrize(("vintage", "count"), [(2013, 308), (2019, 300), (2025, 285)])
def test_flemish_municipality_counts(gazetteer: Gazetteer, vintage: int, count: int) -> None:
    assert len(_flemish(gazetteer, vintage)) == count


def test_every_flemish_municipality_resolves_by_name(gazetteer: Gazetteer) -> None:
    """Each name of 2013, 2019 and 2025 resolves to a municipality of that name (the newest
    vintage holding the name), covering the territory of the one named."""
    wrong = []
    for vintage in (2013, 2019, 2025):
        for row in _flemish(gazetteer, vintage).itertuples():
            ref = gazetteer.resolve(row.name_nl)
            if ref is None or ref.kind != "municipality" or normalise(ref.name) != normalise(
                    row.name_nl):
                wrong.append(f"{row.name_nl} ({row.refnis}@{vintage}) → {ref}")
                continue
            assert gazetteer.to_vintage(row.refnis, vintage, 2025) == gazetteer.to_vintage(
                ref.refnis, ref.vintage, 2025)
    assert wrong == []


@pytest.mark.parametrize(("name", "refnis", "vintage"), [
    ("Nevele", "44049", 2013),                      # merged into Deinze in 2019
    ("Neerpelt", "72025", 2013),
    ("Pelt", "72043", 2025),                        # created in 2019, unchanged in 2025
    ("Pajottegem", "23106", 2025),                  # created in 2025
    ("Beveren-Kruibeke-Zwijndrecht", "46030", 2025),
    ("Zwijndrecht", "11056", 2019),                 # Antwerpen province until 2025
    ("Mesen", "33016", 2025),
    ("Lille", "13019", 2025),                       # the Kempen municipality, not Rijsel
])
def test_named_municipalities(gazetteer: Gazetteer, name: str, refnis: str,
                              vintage: int) -> None:
    ref = gazetteer.resolve(name)
    assert ref is not None
    assert (ref.kind, ref.id) == ("municipality", f"{refnis}@{vintage}")


def test_municipality_names_resolve_however_typed(gazetteer: Gazetteer) -> None:
    expected = gazetteer.resolve("Sint-Niklaas")
    assert expected is not None and expected.kind == "municipality"
    for typed in ("sint niklaas", "SINT-NIKLAAS", "Sint\u2011Niklaas", "Sint\u00a0Niklaas",
                  " Sint - Niklaas ", "Sint_Niklaas", "Sint-Niklaas\u200b"):
        assert gazetteer.resolve(typed) == expected, repr(typed)
    # French names too.
    assert gazetteer.resolve("Anvers").refnis == "11002"
    assert gazetteer.resolve("Courtrai").refnis == "34022"


def test_crosswalk_follows_the_mergers(gazetteer: Gazetteer) -> None:
    assert gazetteer.to_vintage("44049", 2013, 2019) == ["44083"]          # Nevele → Deinze
    assert gazetteer.to_vintage("23106", 2025, 2019) == ["23023", "23024", "23032"]
    assert gazetteer.to_vintage("11056", 2019, 2025) == ["46030"]          # Zwijndrecht
    assert gazetteer.to_vintage("12025", 2025, 2019) == ["12025"]


@pytest.mark.parametrize(("typed", "place_id"), [
    ("Metropole Europeenne de Lille", "lille-fr"),
    ("MÉTROPOLE EUROPÉENNE DE LILLE", "lille-fr"),
    ("Ile-de-France", "parijs"),
    ("Eurometropole Lille-Kortrijk-Tournai", "eurometropool"),
    ("Pole de competitivite Logistics in Wallonia", "logistics-in-wallonia"),
    ("Logistiek knooppunt \u2018Brabantse Poort\u2019", "brabantse-poort"),
    ("Logistiek knooppunt \u201bBrabantse Poort\u2032", "brabantse-poort"),
    ("Haven\u00a0van\u00a0Antwerpen", "haven-antwerpen"),
    ("Brainport\u202fEindhoven", "eindhoven"),
    ("haven van antwerpen", "haven-antwerpen"),
    ("Port of Antwerp\u2013Bruges", "haven-antwerpen"),
    ("Campina project", "campina-project"),
    ("Aix la Chapelle", "aachen"),
])
def test_aliases_match_however_typed(gazetteer: Gazetteer, typed: str, place_id: str) -> None:
    ref = gazetteer.resolve(typed)
    assert ref is not None, repr(typed)
    assert ref.id == place_id


@pytest.mark.parametrize(("name", "place_id", "country"), [
    ("Rijsel", "lille-fr", "FR"),
    ("Aken", "aachen", "DE"),
    ("Aachen", "aachen", "DE"),
    ("Eindhoven", "eindhoven", "NL"),
    ("Terneuzen", "terneuzen", "NL"),
    ("Noord-Brabant", "noord-brabant", "NL"),
    ("Zeeland", "zeeland", "NL"),
    ("Maastricht", "maastricht", "NL"),
    ("Dourges", "dourges", "FR"),
    ("Parijs", "parijs", "FR"),
])
def test_places_abroad_resolve(gazetteer: Gazetteer, name: str, place_id: str,
                               country: str) -> None:
    ref = gazetteer.resolve(name)
    assert ref is not None and (ref.kind, ref.id) == ("place", place_id)
    assert gazetteer.places.loc[place_id, "country"] == country
    lon, lat, method, _precision = gazetteer.point(ref)
    assert method


def test_unknown_names_get_suggestions(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("Geeel") is None
    assert gazetteer.suggest("Geeel")[0] == "Geel"
    assert gazetteer.suggest("Terneuze")[0] == "Terneuzen"


def test_every_coordinate_lies_in_its_country(gazetteer: Gazetteer) -> None:
    outside = []
    for row in gazetteer.places.itertuples():
        lon, lat = float(row.lon), float(row.lat)
        minx, miny, maxx, maxy = COUNTRY_EXTENT[row.country]
        if not (minx <= lon <= maxx and miny <= lat <= maxy):
            outside.append(f"{row.id} ({row.country}): {lon}, {lat}")
    assert outside == []


def test_every_place_has_a_method_a_precision_and_a_source(gazetteer: Gazetteer) -> None:
    places = gazetteer.places
    assert places["method"].str.strip().ne("").all()
    assert places["source"].str.strip().ne("").all()
    assert places["precision_m"].astype(float).gt(0).all()


def test_belgian_places_lie_in_belgium_and_near_their_municipality(
        gazetteer: Gazetteer, file_boundaries: Boundaries) -> None:
    belgium = file_boundaries.geometry("belgium")
    wrong = []
    for row in gazetteer.places.itertuples():
        point = Point(float(row.lon), float(row.lat))
        if row.country != "BE":
            if belgium.contains(point):
                wrong.append(f"{row.id}: abroad but inside Belgium")
            continue
        if not belgium.contains(point):
            wrong.append(f"{row.id}: in Belgium but outside it")
            continue
        ref = gazetteer.resolve(row.municipality) if row.municipality else None
        if ref is None or ref.kind != "municipality":
            continue
        polygon = shapely.union_all([file_boundaries.municipality(c) for c in
                                     gazetteer.to_vintage(ref.refnis, ref.vintage, 2019)])
        # The reference file's borders are generalised (up to a few hundred metres).
        distance = to_metric(polygon).distance(to_metric(point))
        if distance > float(row.precision_m) + 500:
            wrong.append(f"{row.id}: {distance:.0f} m from {row.municipality}")
    assert wrong == []


def test_every_municipality_point_lies_in_its_polygon(gazetteer: Gazetteer,
                                                      file_boundaries: Boundaries) -> None:
    """The 2019 points were derived from the reference file: each lies in its polygon."""
    municipalities = gazetteer.municipalities
    rows = municipalities[municipalities["vintage"] == "2019"]
    outside = [row.refnis for row in rows.itertuples()
               if not file_boundaries.municipality(row.refnis).contains(
                   Point(float(row.lon), float(row.lat)))]
    assert outside == []
