"""Names → places: every Flemish municipality of every vintage, names resolved in a map's
vintage, aliases typed with accents, curly quotes and non-breaking spaces, places abroad, town
centres, and the coordinates themselves."""

from __future__ import annotations

import csv

import pytest
import shapely
from shapely.geometry import Point

from speerpunt_map import Boundaries, Gazetteer
from speerpunt_map._text import normalise
from speerpunt_map.gazetteer import is_flemish_refnis
from speerpunt_map.geometry import to_metric

from .conftest import GEODATA

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
    point = gazetteer.point(ref, vintage=2013)
    assert point is not None and point.method and point.precision_m > 0


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
        gazetteer: Gazetteer, default_boundaries: Boundaries) -> None:
    belgium = default_boundaries.geometry("belgium")
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
        polygon = shapely.union_all([default_boundaries.municipality(c) for c in
                                     gazetteer.to_vintage(ref.refnis, ref.vintage, 2019)])
        # The built-in borders are generalised (up to a few hundred metres).
        distance = to_metric(polygon).distance(to_metric(point))
        if distance > float(row.precision_m) + 500:
            wrong.append(f"{row.id}: {distance:.0f} m from {row.municipality}")
    assert wrong == []


def test_every_municipality_point_lies_in_its_polygon(gazetteer: Gazetteer,
                                                      default_boundaries: Boundaries) -> None:
    """The 2019 points were derived from the source of the built-in layer: each lies in its
    polygon."""
    municipalities = gazetteer.municipalities
    rows = municipalities[municipalities["vintage"] == "2019"]
    outside = [row.refnis for row in rows.itertuples()
               if not default_boundaries.municipality(row.refnis).contains(
                   Point(float(row.lon), float(row.lat)))]
    assert outside == []


# -- names in a map's vintage ----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "vintage", "expected"), [
    ("Antwerpen", 2013, "11002@2013"),   # the Antwerpen of 2013: Borsbeek is separate
    ("Antwerpen", 2019, "11002@2019"),
    ("Antwerpen", 2025, "11002@2025"),   # with Borsbeek
    ("Hasselt", 2013, "71022@2013"),     # without Kortessem
    ("Hasselt", 2025, "71072@2025"),     # with Kortessem (a new code)
    ("Aalter", 2013, "44001@2013"),      # before the merger with Knesselare
    ("Aalter", 2019, "44084@2019"),
    ("Nevele", 2019, "44049@2013"),      # no Nevele in 2019: its own territory
    ("Pajottegem", 2013, "23106@2025"),  # no Pajottegem in 2013: its territory
    ("Borsbeek", 2013, "11007@2013"),
    ("Anvers", 2013, "11002@2013"),      # French names too
])
def test_a_name_means_the_municipality_of_the_maps_vintage(
        gazetteer: Gazetteer, name: str, vintage: int, expected: str) -> None:
    ref = gazetteer.resolve(name, vintage)
    assert ref is not None and ref.kind == "municipality"
    assert ref.id == expected


def test_places_and_regions_do_not_depend_on_the_vintage(gazetteer: Gazetteer) -> None:
    for name in ("Haven van Antwerpen", "RESOC Kempen", "Campina-project", "Aken"):
        assert gazetteer.resolve(name, 2013) == gazetteer.resolve(name, 2025) == \
            gazetteer.resolve(name)


# -- town centres ----------------------------------------------------------------------------------


def test_a_town_is_drawn_at_its_town_centre(gazetteer: Gazetteer) -> None:
    """Gent's point is its Botermarkt/stadhuis (town_centres.csv), with the row's method,
    source and precision; not the middle of its polygon (municipalities.csv), ~2.5 km away."""
    ref = gazetteer.resolve("Gent", 2013)
    point = gazetteer.point(ref, vintage=2013)
    with (GEODATA / "town_centres.csv").open(encoding="utf-8", newline="") as handle:
        (row,) = [r for r in csv.DictReader(handle) if r["refnis"] == "44021"]
    assert (point.lon, point.lat) == (float(row["lon"]), float(row["lat"]))
    assert point.precision_m == float(row["precision_m"]) <= 500
    assert point.method.startswith("town centre of Gent: ")
    assert "developer's general knowledge" in point.method
    middle = gazetteer.municipality(ref)
    assert to_metric(Point(point.lon, point.lat)).distance(
        to_metric(Point(float(middle["lon"]), float(middle["lat"])))) > 1500


def test_town_centres_follow_the_vintage(gazetteer: Gazetteer) -> None:
    # A municipality of 2013 merged in 2019 has its own centre.
    nevele = gazetteer.point(gazetteer.resolve("Nevele", 2013), vintage=2013)
    deinze = gazetteer.point(gazetteer.resolve("Deinze", 2019), vintage=2019)
    assert nevele.method.startswith("town centre of Nevele")
    assert (nevele.lon, nevele.lat) != (deinze.lon, deinze.lat)
    # A merger elsewhere does not move a town's square: Antwerpen 2013, 2019 and 2025.
    points = {v: gazetteer.point(gazetteer.resolve("Antwerpen", v), vintage=v)
              for v in (2013, 2019, 2025)}
    assert len({(p.lon, p.lat) for p in points.values()}) == 1
    # A municipality created in 2025 has a row of its own, saying where it was taken.
    pajottegem = gazetteer.point(gazetteer.resolve("Pajottegem", 2025), vintage=2025)
    assert pajottegem is not None and "Gooik" in pajottegem.method
    assert pajottegem.precision_m == 5000


def test_no_town_centre_comes_from_a_source_of_unknown_licence(gazetteer: Gazetteer) -> None:
    centres = gazetteer.town_centres
    assert not centres["source"].str.contains("VannaDii|pub-dev|belgium_cities").any()
    assert not centres["method"].str.contains("public city list").any()
