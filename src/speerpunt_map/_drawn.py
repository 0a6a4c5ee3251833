"""The drawn rows of every map of an atlas, read once, with what the analysis adds to them.

:mod:`speerpunt_map.analysis`, :mod:`speerpunt_map.comparison` and :mod:`speerpunt_map.network`
read the atlas through this module: every map's layers once per atlas (kept while the atlas
lives), each row with its map's sector, sector group and period, the actors it is credited
to, and — for links — where each end lies (RESOC, province, country).

Periods. A catalogue entry may name its time slice (``period``, e.g. ``"2019"`` or
``"c. 2016"``). An entry that names none — every map of the report's annex — is read as the
report's slice, :data:`REPORT_PERIOD` (the report dates from c. 2013). Periods are compared by
their years (:func:`period_matches`): ``"c. 2013"`` and ``"2013"`` are the same slice, and
``"2016-2019"`` is matched by any of its years.
"""

from __future__ import annotations

import math
import re
import weakref
from collections.abc import Callable, Iterable
from typing import Final

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Point

from ._text import split_multi
from ._types import FLANDERS, Kind, Language
from .atlas import Atlas, MapLayers
from .catalogue import MapSpec
from .vocab import Vocabulary

__all__ = ["ABROAD", "REPORT_PERIOD", "atlas_layers", "drawn_frame", "locate_ends", "map_period",
           "per_atlas", "period_matches", "period_range", "period_year", "region_name",
           "resolve_actors",
           "resolve_provinces", "resolve_sectors"]

#: The time slice of a map whose catalogue entry names no period: the report's (c. 2013).
REPORT_PERIOD: Final = "2013"

# Names of the countries link ends lie in (ISO 3166 codes, as geodata/gazetteer/*.csv has them).
_COUNTRIES: Final = {
    "BE": ("België (buiten Vlaanderen)", "Belgium (outside Flanders)"),
    "NL": ("Nederland", "Netherlands"), "FR": ("Frankrijk", "France"),
    "DE": ("Duitsland", "Germany"), "LU": ("Luxemburg", "Luxembourg"),
}
#: The region of a link end abroad whose country the geodata does not record (a drawn
#: polygon zone without members).
ABROAD: Final = "abroad"
_ABROAD_NAMES: Final = ("buitenland (land niet vastgelegd)", "abroad (country not recorded)")

# What is read or derived once per atlas, while the atlas lives.
_LAYERS: weakref.WeakKeyDictionary[Atlas, dict[str, MapLayers]] = weakref.WeakKeyDictionary()
_FRAMES: weakref.WeakKeyDictionary[Atlas, dict[str, gpd.GeoDataFrame]] = \
    weakref.WeakKeyDictionary()


def map_period(spec: MapSpec) -> str:
    """The time slice of a map: its catalogue ``period``, or :data:`REPORT_PERIOD`."""
    period = getattr(spec, "period", None)  # MapSpec.period, where the catalogue has one
    text = "" if period is None else str(period).strip()
    return text or REPORT_PERIOD


def period_range(period: str | int) -> tuple[int, int]:
    """The first and last year of a period: ``"c. 2016"`` → (2016, 2016), ``"2016-2019"`` →
    (2016, 2019), ``2019`` → (2019, 2019).

    Raises
    ------
    ValueError
        When the period names no four-digit year.
    """
    if isinstance(period, int):
        return period, period
    years = [int(y) for y in re.findall(r"(?<!\d)\d{4}(?!\d)", period)]
    if not years:
        raise ValueError(f"period {period!r} names no year (expected e.g. '2013' or 'c. 2016')")
    return min(years), max(years)


def period_year(period: str | int) -> int:
    """The first year of a period (:func:`period_range`), e.g. to sort periods by."""
    return period_range(period)[0]


def period_matches(period: str | int, wanted: str | int) -> bool:
    """Whether two periods share a year: ``"2016-2019"`` matches ``2019``, ``"c. 2013"``
    matches ``"2013"``."""
    first, last = period_range(period)
    start, end = period_range(wanted)
    return first <= end and start <= last


def atlas_layers(atlas: Atlas) -> dict[str, MapLayers]:
    """Every map of the atlas, read once while the atlas lives (rows with errors left out)."""
    layers = _LAYERS.get(atlas)
    if layers is None or set(layers) != set(atlas.maps):
        layers = {map_id: atlas.map(map_id, strict=False) for map_id in atlas.maps}
        _LAYERS[atlas] = layers
        _FRAMES.pop(atlas, None)
    return layers


def _credit(kind: Kind, row: pd.Series, spec: MapSpec) -> tuple[tuple[str, ...], str, str]:
    """The actors a row is credited to, its one actor, and why (the row's ``actor_basis``)."""
    sources = tuple(row["actor_ids"])
    chosen = {a.id for a in spec.actors}
    if sources:
        actor = str(row["actor_id"])
        if len(sources) == 1:
            why = "row's source actor" if actor in chosen else \
                "row's source actor (not among the map's actors)"
        else:
            why = (f"first of the row's {len(sources)} source actors that chose the sector"
                   if actor in chosen else f"first of the row's {len(sources)} source actors")
        return sources, actor, why
    # The legend's convention (legends/README.md, link_from): a link that names no start
    # starts in the region of the actor that named it, and one that names no source either
    # starts in the region of the map's first actor — the actor the drawing credits it to.
    if kind == "link" and not str(row["link_from"]).strip() and spec.actors:
        first = spec.actors[0].id
        return (first,), first, "map's first actor (row names no source; the link starts " \
            "in its region)"
    if kind == "link":
        return (), "", "none: the row names no source and starts at a named place"
    return (), "", "none: the row names no source"


def drawn_frame(atlas: Atlas, kind: Kind) -> gpd.GeoDataFrame:
    """Every drawn row of one kind across the atlas, in catalogue order.

    The layer's columns (:mod:`speerpunt_map.geometry`) plus ``sector`` (the map's sector
    id), ``sector_group`` (its overview group), ``period``, ``period_year``, ``credited``
    (the actor ids the row counts for), ``actor`` and ``actor_basis`` (its one actor, and
    why). A row that names no source counts for nobody, except a link whose start is left to
    the legend's convention: it counts for the map's first actor, as it is drawn.

    The frame is a copy: changing it changes nothing for the next caller.
    """
    layers = atlas_layers(atlas)
    return per_atlas(atlas, kind, lambda: _drawn_frame(atlas, layers, kind))


def per_atlas(atlas: Atlas, key: str,
              build: Callable[[], gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """A frame derived from the atlas's maps, built once while the atlas and its maps last;
    a copy each time."""
    atlas_layers(atlas)  # drops what was derived from maps the atlas no longer has
    frames = _FRAMES.setdefault(atlas, {})
    if key not in frames:
        frames[key] = build()
    return frames[key].copy()


def _drawn_frame(atlas: Atlas, layers_by_map: dict[str, MapLayers],
                 kind: Kind) -> gpd.GeoDataFrame:
    frames, empty = [], None
    for map_id, layers in layers_by_map.items():
        frame = {"point": layers.points, "zone": layers.zones, "link": layers.links}[kind]
        if not len(frame):
            empty = frame if empty is None else empty
            continue
        spec = atlas.maps[map_id]
        credit = [_credit(kind, row, spec) for _, row in frame.iterrows()]
        period = map_period(spec)
        frames.append(frame.assign(
            sector=spec.sector.id, sector_group=spec.sector.overview, period=period,
            period_year=period_year(period), credited=[c[0] for c in credit],
            actor=[c[1] for c in credit], actor_basis=[c[2] for c in credit]))
    if not frames and empty is not None:  # no row of this kind: the layer's columns, empty
        return gpd.GeoDataFrame(empty.assign(
            sector=[], sector_group=[], period=[], period_year=[], credited=[], actor=[],
            actor_basis=[]), geometry="geometry", crs="EPSG:4326")
    if not frames:
        return gpd.GeoDataFrame(
            columns=["map_id", "row", "sector", "sector_group", "period", "period_year",
                     "credited", "actor", "actor_basis", "geometry"],
            geometry="geometry", crs="EPSG:4326")
    joined = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(joined, geometry="geometry", crs="EPSG:4326")


def region_name(region: str, vocabulary: Vocabulary, language: Language = "nl") -> str:
    """The name of a region id: an actor's region, Flanders, or a country code."""
    if region in vocabulary.actors:
        return vocabulary.actors[region].name(language)
    if region == FLANDERS:
        return "Vlaanderen" if language == "nl" else "Flanders"
    if region in _COUNTRIES:
        return _COUNTRIES[region][0 if language == "nl" else 1]
    if region == ABROAD:
        return _ABROAD_NAMES[0 if language == "nl" else 1]
    return region


def _zone_country(atlas: Atlas, zone_id: str, point: Point) -> str:
    """The country a link end at a custom zone lies in: that of the member place the end is
    drawn at (within ~1 km), else that of all its members when they share one, else ``""``.

    A network of cities in several countries (ELAt: Eindhoven, Leuven, Aachen) is drawn at
    one of them; a drawn polygon without members records no country.
    """
    gazetteer = atlas.gazetteer
    countries: dict[str, float] = {}
    for member in split_multi(str(gazetteer.zones.loc[zone_id, "members"])):
        ref = gazetteer.resolve(member)
        if ref is None:
            continue
        if ref.kind != "place":
            countries.setdefault("BE", math.inf)  # a municipality or an actor's region
            continue
        places = gazetteer.places
        lon, lat = (float(str(places.at[ref.id, c])) for c in ("lon", "lat"))
        distance = math.hypot(lon - point.x, lat - point.y)
        country = str(places.at[ref.id, "country"])
        countries[country] = min(distance, countries.get(country, math.inf))
    if not countries:
        return ""
    nearest = min(countries, key=lambda c: countries[c])
    if countries[nearest] < 0.015:  # degrees: about 1 km
        return nearest
    return nearest if len(countries) == 1 else ""


def locate_ends(atlas: Atlas, ends: Iterable[tuple[str, str, Point]]) -> pd.DataFrame:
    """Where link ends lie: their RESOC or province, their country, and whether in Flanders.

    Parameters
    ----------
    atlas
        The atlas whose boundaries and gazetteer decide.
    ends
        ``(id, kind, point)`` of each end (``from_id``/``from_kind`` of a link and its first
        vertex, or the ``to_`` ones and its last vertex).

    Returns
    -------
    pandas.DataFrame
        Indexed by end id: ``region`` (a RESOC id, else a province id; an actor's region for
        an end that is one; the country code outside Flanders, :data:`ABROAD` where the
        geodata records none), ``province``, ``country`` and ``in_flanders``.
    """
    areas = atlas.boundaries.areas
    level = {str(i): str(v) for i, v in zip(areas["id"], areas["level"], strict=True)}
    parent = {str(i): str(p) for i, p in zip(areas["id"], areas["parent"], strict=True)}
    flanders = areas.loc[areas["level"] == "flanders", "geometry"].iloc[0]
    belgium = areas.loc[areas["level"] == "belgium", "geometry"].iloc[0]
    shapely.prepare(flanders)
    shapely.prepare(belgium)
    resocs = areas[areas["level"] == "resoc"]
    provinces = areas[areas["level"] == "province"]
    records: dict[str, dict[str, object]] = {}
    for end_id, kind, point in ends:
        if end_id in records:
            continue
        if kind == "region" and end_id in level:
            # An actor's region (or Flanders) as a whole: it is its own region.
            province = end_id if level[end_id] == "province" else parent[end_id]
            records[end_id] = {"region": end_id, "province": province, "country": "BE",
                               "in_flanders": True}
            continue
        resoc = resocs.loc[resocs.contains(point), "id"].tolist()
        province_ids = provinces.loc[provinces.contains(point), "id"].tolist()
        if flanders.contains(point):
            records[end_id] = {"region": (resoc or province_ids or [FLANDERS])[0],
                               "province": (province_ids or [""])[0], "country": "BE",
                               "in_flanders": True}
            continue
        if kind == "place":
            country = str(atlas.gazetteer.places.loc[end_id, "country"])
        elif kind == "zone":
            country = _zone_country(atlas, end_id, point)
        else:
            country = "BE"
        country = country or ("BE" if belgium.contains(point) else "")
        records[end_id] = {"region": country or ABROAD, "province": "", "country": country,
                           "in_flanders": False}
    frame = pd.DataFrame.from_dict(records, orient="index",
                                   columns=["region", "province", "country", "in_flanders"])
    return frame.astype({"in_flanders": bool})


def _ids(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def resolve_actors(vocabulary: Vocabulary, value: str | Iterable[str] | None) -> set[str] | None:
    """Actor ids for ids, names or aliases (``None`` for no filter).

    Raises
    ------
    KeyError
        For an unknown actor, with the closest names.
    """
    names = _ids(value)
    if names is None:
        return None
    found = set()
    for name in names:
        actor = vocabulary.actor(name)
        if actor is None:
            raise KeyError(f"no actor {name!r} in actors.csv; did you mean "
                           f"{', '.join(vocabulary.suggest_actor(name)) or '…'}?")
        found.add(actor.id)
    return found


def resolve_provinces(vocabulary: Vocabulary,
                      value: str | Iterable[str] | None) -> set[str] | None:
    """Province ids (``prov-…``) for province ids, scope ids (``limburg``) or province names.

    Raises
    ------
    KeyError
        For a name that is no province.
    """
    names = _ids(value)
    if names is None:
        return None
    found = set()
    for name in names:
        scope = vocabulary.scopes.get(name)
        actor = vocabulary.actor(name)
        if scope is not None and scope.region.startswith("prov-"):
            found.add(scope.region)
        elif actor is not None and actor.kind == "province":
            found.add(actor.id)
        else:
            provinces = sorted(a.id for a in vocabulary.actors.values() if a.kind == "province")
            raise KeyError(f"no province {name!r}; known: {', '.join(provinces)}")
    return found


def resolve_sectors(vocabulary: Vocabulary, value: str | Iterable[str] | None, *,
                    group: bool = False) -> set[str] | None:
    """Sector ids (or, with ``group``, overview group ids) for ids, labels or synonyms.

    Raises
    ------
    KeyError
        For an unknown sector, with the closest names.
    """
    names = _ids(value)
    if names is None:
        return None
    found = set()
    for name in names:
        sector = vocabulary.sector(name)
        if sector is None:
            raise KeyError(f"no sector {name!r} in sectors.csv; did you mean "
                           f"{', '.join(vocabulary.suggest_sector(name)) or '…'}?")
        found.add(sector.overview if group else sector.id)
    return found
