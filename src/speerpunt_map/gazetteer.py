"""Names → places: the gazetteer, the municipalities of every vintage, and custom zones.

A legend names places as people write them ("Haven van Antwerpen", "Geel", "RESOC Kempen",
"Campina-project"). :class:`Gazetteer` turns such a name into a :class:`PlaceRef`: a gazetteer
place, a municipality (REFNIS code and vintage), a custom zone, or an actor's region. A
municipality's name means the municipality of the map's vintage (:meth:`Gazetteer.resolve`
with ``vintage``): "Antwerpen" in 2013 is the Antwerpen of 2013, without Borsbeek. It reads
only data files in ``geodata/``; it knows no geometry beyond the points those files give (town
centres from ``town_centres.csv``; the polygons come from :mod:`speerpunt_map.boundaries`).
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import cast

import pandas as pd

from ._coordinates import coordinate_problem
from ._errors import GeodataError
from ._geodata_files import (
    check_coordinates,
    check_precision,
    check_zone_members,
    check_zone_shapes,
    concat_tables,
    mistakes_message,
    read_csv_rows,
    read_table,
    require_columns,
)
from ._paths import shipped_geodata, shipped_legends
from ._place_choices import PlaceChoices
from ._place_names import PlaceIndex, qualified_names
from ._text import normalise
from ._workspace_merge import Merged, merge_frames, own_table, stamp
from .options import Vintage
from .vocab import Vocabulary, load_vocabulary

__all__ = ["Gazetteer", "PlaceRef", "TownPoint", "coordinate_problem", "is_flemish_refnis",
           "load_gazetteer", "read_csv_rows"]

log = logging.getLogger(__name__)

# Flanders' own regions, named in legends as zones or link ends.
_FLANDERS_NAMES = ("Vlaanderen", "Vlaams Gewest", "Flanders", "Flemish Region")
VINTAGES = (2025, 2019, 2013)
_TOWN_CENTRE_COLUMNS = ("refnis", "vintage", "name_nl", "lon", "lat", "centre", "method",
                        "precision_m", "source", "note")


def is_flemish_refnis(code: str | int) -> bool:
    """Whether a municipality REFNIS code is Flemish.

    Flemish codes start with 1, 3, 4 or 7, or with 23 or 24 (the arrondissements of
    Vlaams-Brabant). This decides by code, not by a file's region attribute: Mesen (33016), a
    Flemish exclave, is labelled Walloon in some files.
    """
    text = str(code).strip()
    return len(text) == 5 and text.isdigit() and (text[0] in "1347" or text[:2] in ("23", "24"))


@dataclass(frozen=True)
class PlaceRef:
    """What a name in a legend refers to.

    Attributes
    ----------
    kind
        ``"place"`` (gazetteer), ``"municipality"``, ``"zone"`` (custom zone) or ``"region"``
        (an actor's region, a province, Flanders).
    id
        The gazetteer id, ``"<refnis>@<vintage>"``, the zone id, or the region id.
    name
        The name to show.
    """

    kind: str
    id: str
    name: str

    @property
    def refnis(self) -> str:
        """The REFNIS code of a municipality reference."""
        return self.id.split("@")[0]

    @property
    def vintage(self) -> int:
        """The vintage of a municipality reference."""
        return int(self.id.split("@")[1])


def _is_municipality_place(item: pd.Series) -> bool:
    """A Belgian place inside the municipality it is named after (a town centre) may share
    that municipality's name."""
    return str(item.get("kind", "")) == "town" and str(item.get("country", "")) == "BE"


@dataclass(frozen=True)
class TownPoint:
    """Where a point "in a town" is drawn, and how that point was obtained.

    Attributes
    ----------
    lon, lat
        WGS84 degrees.
    method
        What the point is and how it was obtained, with its source (for ``geometry_method``).
    precision_m
        How far off it may be, in metres.
    """

    lon: float
    lat: float
    method: str
    precision_m: float


class Gazetteer(PlaceChoices):
    """Look up places by id, name or alias; suggest close names for unknown ones.

    Build it with :func:`load_gazetteer`. ``places``, ``zones``, ``municipalities``,
    ``crosswalk`` and ``town_centres`` are the data frames read from ``geodata/``.
    """

    def __init__(self, places: pd.DataFrame, zones: pd.DataFrame, municipalities: pd.DataFrame,
                 crosswalk: pd.DataFrame, vocabulary: Vocabulary,
                 town_centres: pd.DataFrame | None = None) -> None:
        self.places = places.set_index("id", drop=False)
        self.zones = zones.set_index("id", drop=False)
        self.municipalities = municipalities
        self.crosswalk = crosswalk
        self.vocabulary = vocabulary
        self.town_centres = town_centres if town_centres is not None else \
            pd.DataFrame(columns=list(_TOWN_CENTRE_COLUMNS))
        self._index = PlaceIndex()
        #: The workspace rows that replace shipped ones, as "file, row overrides …" lines.
        self.overrides: list[str] = []
        # municipalities.csv is read as text (no missing values): every cell is a str.
        self._names_of: dict[tuple[str, int], str] = {
            (str(row.refnis), int(str(row.vintage))): str(row.name_nl)
            for row in municipalities.itertuples()}
        self._build_index()

    # -- index -------------------------------------------------------------------------------
    def _add(self, name: str, ref: PlaceRef, *, exact_only: bool = False) -> None:
        # The order of _build_index is the order of priority (PlaceIndex.first).
        self._index.add(name, ref, exact_only=exact_only)

    def _build_index(self) -> None:
        # Ids first: an id always means itself.
        for actor in self.vocabulary.actors.values():
            self._index.add(actor.id, PlaceRef("region", actor.region, actor.name_nl), is_id=True)
        for zone_id, zone in self.zones.iterrows():
            self._index.add(str(zone_id), PlaceRef("zone", str(zone_id), zone["name"]),
                            is_id=True)
        for place_id, place in self.places.iterrows():
            self._index.add(str(place_id), PlaceRef("place", str(place_id), place["name"]),
                            is_id=True)
        # Then names: actors' regions, Flanders, custom zones, gazetteer places, municipalities.
        for actor in self.vocabulary.actors.values():
            ref = PlaceRef("region", actor.region, actor.name_nl)
            for name in (actor.name_nl, actor.name_en, *actor.aliases):
                self._add(name, ref)
        for name in _FLANDERS_NAMES:
            self._add(name, PlaceRef("region", "vlaanderen", "Vlaanderen"))
        # A shipped gazetteer name that is also a Flemish municipality's would hide the
        # municipality ("Lille" is a town in the Kempen as well as Rijsel): the data must say
        # which it means. A workspace's own place may share a name: the name is then ambiguous
        # in a legend (PlaceIndex), and the legend must say which it means.
        flemish_names = {normalise(n) for n, code in zip(self.municipalities["name_nl"],
                                                          self.municipalities["refnis"],
                                                          strict=True)
                         if is_flemish_refnis(code)}
        clashes = []
        for frame, kind in ((self.zones, "zone"), (self.places, "place")):
            for item_id, item in frame.iterrows():
                ref = PlaceRef(kind, str(item_id), item["name"])
                own = str(item.get("origin", "")) == "workspace"
                for name in [str(item_id), item["name"], *item["aliases"].split("|")]:
                    if normalise(name) in flemish_names and not own and \
                            not _is_municipality_place(item):
                        clashes.append(f"{item_id} ({item['file']}): {name.strip()!r}")
                    # An explicit override (a workspace row saying so) comes first.
                    self._index.add(name.strip(), ref, first=str(item.get("override", ""))
                                    .strip().lower() == "yes")
        if clashes:
            raise GeodataError("gazetteer names that are also Flemish municipalities (rename "
                               "them, e.g. 'Lille (FR)'): " + "; ".join(clashes))
        # Municipalities: the newest vintage a name exists in; Flemish before the others.
        ordered = self.municipalities.assign(
            _flemish=self.municipalities["refnis"].map(is_flemish_refnis),
            _vintage=self.municipalities["vintage"].astype(int),
        ).sort_values(["_flemish", "_vintage"], ascending=[False, False], kind="stable")
        for row in ordered.itertuples():
            refnis, name_nl, name_fr = str(row.refnis), str(row.name_nl), str(row.name_fr)
            ref = PlaceRef("municipality", f"{refnis}@{row.vintage}", name_nl)
            self._add(name_nl, ref)
            if name_fr and name_fr != name_nl:
                self._add(name_fr, ref)
            for name in {*qualified_names(name_nl), *qualified_names(name_fr or name_nl)}:
                self._add(name, ref, exact_only=True)
            self._add(refnis, ref, exact_only=True)

    # -- look-up -----------------------------------------------------------------------------
    def resolve(self, name: str, vintage: Vintage | None = None) -> PlaceRef | None:
        """The place a name refers to, or ``None`` when it is unknown.

        Parameters
        ----------
        name
            A name, alias, id or REFNIS code, however typed (case, accents, dashes).
        vintage
            The municipality vintage of the map (its period's, see
            :func:`speerpunt_map.catalogue.vintage_of_period`): a municipality's name then means
            the municipality of that name in that vintage (:meth:`in_vintage`). ``None`` gives
            the newest vintage holding the name, which is enough to know that a name is known.
        """
        ref = self._index.first(name)
        return ref if ref is None or vintage is None else self.in_vintage(ref, vintage)

    def in_vintage(self, ref: PlaceRef, vintage: Vintage) -> PlaceRef:
        """The municipality of the same name in ``vintage``, if its territory is related.

        The crosswalk gives the municipalities of ``vintage`` that cover ``ref``'s territory;
        the one that carries ``ref``'s name is meant ("Antwerpen" of 2025 is, in 2013, Antwerpen
        without Borsbeek; "Aalter" of 2019, in 2013, Aalter without Knesselare). When none
        carries it, ``ref`` is returned unchanged: a municipality that did not exist in that
        vintage ("Nevele" on a 2019 map, "Pajottegem" on a 2013 map) stands for its own
        territory. References other than municipalities are returned unchanged.
        """
        if ref.kind != "municipality" or ref.vintage == vintage:
            return ref
        for code in self.to_vintage(ref.refnis, ref.vintage, vintage):
            name = self._names_of.get((code, vintage), "")
            if normalise(name) == normalise(ref.name):
                return PlaceRef("municipality", f"{code}@{vintage}", name)
        return ref

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """The known names closest to ``name`` (for "did you mean …?")."""
        if len(name) > 100:  # no name is that long; difflib is quadratic in it
            return []
        candidates = sorted(set(self._index.names))
        by_key: dict[str, str] = {}
        for candidate in candidates:
            by_key.setdefault(normalise(candidate), candidate)
        matches = difflib.get_close_matches(normalise(name), list(by_key), n=n, cutoff=0.6)
        return [by_key[m] for m in matches]

    def municipality(self, ref: PlaceRef) -> pd.Series:
        """The municipalities.csv row of a municipality reference."""
        rows = self.municipalities[(self.municipalities["refnis"] == ref.refnis)
                                   & (self.municipalities["vintage"] == str(ref.vintage))]
        return rows.iloc[0]

    def name_of(self, refnis: str, vintage: int) -> str:
        """The Dutch name of a municipality of a vintage (the code itself when unknown)."""
        return self._names_of.get((refnis, vintage), refnis)

    def to_vintage(self, refnis: str, vintage: int, target: int) -> list[str]:
        """The REFNIS code(s) of a municipality in another vintage, through the crosswalk.

        Mergers make this many-to-one forwards and one-to-many backwards; a code of a vintage
        before 2013 or after 2025 is not known.
        """
        if vintage == target:
            return [refnis]
        source, dest = f"refnis_{vintage}", f"refnis_{target}"
        codes = self.crosswalk.loc[self.crosswalk[source] == refnis, dest]
        return sorted(set(codes))

    def point(self, ref: PlaceRef, *, vintage: Vintage) -> TownPoint | None:
        """Where to draw a point for a gazetteer place or a municipality, or ``None``.

        Parameters
        ----------
        ref
            A place or a municipality (for zones and regions, ``None``: their point follows
            from their outline).
        vintage
            The map's municipality vintage (:meth:`in_vintage`).

        Returns
        -------
        TownPoint or None
            A place's own coordinate; for a municipality its town centre
            (``town_centres.csv``: market square or town hall, with the row's method, source and
            precision). ``None`` also for a municipality without a town-centre row: it is then
            drawn inside its polygon, and says so (see :mod:`speerpunt_map.geometry`).
        """
        if ref.kind == "place":
            place = cast("pd.Series[str]", self.places.loc[ref.id])  # ids are unique
            return TownPoint(float(place["lon"]), float(place["lat"]), str(place["method"]),
                             float(place["precision_m"] or 0))
        if ref.kind == "municipality":
            return self.town_centre(self.in_vintage(ref, vintage))
        return None

    def town_centre(self, ref: PlaceRef) -> TownPoint | None:
        """The town centre of a municipality (``town_centres.csv``), or ``None``.

        A row of the same code and vintage; else a row of the same code and name from another
        vintage (a merger elsewhere does not move Antwerpen's Grote Markt, so the 2019 row
        serves Antwerpen 2013 and 2025).
        """
        centres = self.town_centres
        rows = centres[(centres["refnis"] == ref.refnis)
                       & (centres["vintage"] == str(ref.vintage))]
        if rows.empty:
            rows = centres[(centres["refnis"] == ref.refnis)
                           & (centres["name_nl"].map(normalise) == normalise(ref.name))]
        if rows.empty:
            return None
        row = rows.iloc[0]
        method = (f"town centre of {row['name_nl']}: {row['centre']}; {row['method']}; "
                  f"source: {row['source']}")
        return TownPoint(float(row["lon"]), float(row["lat"]), method,
                         float(row["precision_m"]))


def load_gazetteer(folder: str | Path | None = None, *,
                   vocabulary: Vocabulary | None = None,
                   places: str | Path | None = None,
                   zones: str | Path | None = None) -> Gazetteer:
    """Read the gazetteer, custom zones, municipalities and crosswalk from a geodata folder.

    Parameters
    ----------
    folder
        A folder laid out like the shipped ``geodata/`` (the default).
    vocabulary
        The sectors and actors (the shipped ones by default): actor names resolve to regions.
    places, zones
        A workspace's own ``places.csv`` and ``zones.csv`` (same columns as the shipped
        gazetteer and zones, plus an optional ``override`` column), added to the folder's:
        a row with a shipped id, or an alias naming another place, is an error unless it says
        ``override = yes`` (:mod:`speerpunt_map._workspace_merge`).

    Raises
    ------
    GeodataError
        When a file is malformed, or a workspace row clashes with a shipped one.
    """
    folder = Path(folder).resolve() if folder is not None else shipped_geodata()
    return _load(folder, vocabulary or load_vocabulary(shipped_legends()),
                 stamp(places), stamp(zones))


_PLACE_COLUMNS = ("id", "name", "aliases", "kind", "lon", "lat", "country", "method",
                  "precision_m", "source")
_ZONE_COLUMNS = ("id", "name", "aliases", "definition", "members", "buffer_m", "wkt",
                 "source", "approximation")


@cache
def _load(folder: Path, vocabulary: Vocabulary, own_places: tuple[Path, int] | None = None,
          own_zones: tuple[Path, int] | None = None) -> Gazetteer:
    place_columns, zone_columns = _PLACE_COLUMNS, _ZONE_COLUMNS
    places = concat_tables(sorted((folder / "gazetteer").glob("*.csv")), place_columns)
    zones = concat_tables(sorted((folder / "zones").glob("*.csv")), zone_columns)
    places = places.assign(path=[str(folder / "gazetteer" / f) for f in places["file"]],
                           origin="shipped")
    zones = zones.assign(path=[str(folder / "zones" / f) for f in zones["file"]],
                         origin="shipped")
    for frame, what in ((places, "gazetteer"), (zones, "zones")):
        dupes = frame[frame["id"].duplicated(keep=False)]
        if not dupes.empty:
            where = ", ".join(f"{r.id} ({r.file})" for r in dupes.itertuples())
            raise GeodataError(f"{folder / what}: ids used twice: {where}")
    merged = Merged()
    if own_places is not None or own_zones is not None:
        # The workspace's rows over the shipped ones, checked against the shipped names.
        shipped = _load(folder, vocabulary)
        if own_places is not None:
            places = merge_frames(places, own_table(own_places, place_columns), "place",
                                  merged, shipped)
        if own_zones is not None:
            zones = merge_frames(zones, own_table(own_zones, zone_columns), "zone", merged,
                                 shipped)
        merged.raise_mistakes()
        for frame, what in ((places, "places"), (zones, "zones")):
            dupes = frame[frame["id"].duplicated(keep=False)]
            if not dupes.empty:
                where = ", ".join(f"{r.id} ({r.path}, row {r.line})" for r in dupes.itertuples())
                raise GeodataError(f"{what}: ids used twice: {where}")
    municipalities = read_table(folder / "municipalities.csv")
    require_columns(municipalities, folder / "municipalities.csv",
                    ("vintage", "refnis", "name_nl", "name_fr", "lon", "lat", "method", "source"))
    # Town centres are optional: without the file, points in a town are drawn inside the
    # municipality's polygon, and say so.
    centres_file = folder / "town_centres.csv"
    centres = read_table(centres_file) if centres_file.is_file() else None
    if centres is not None:
        require_columns(centres, centres_file, _TOWN_CENTRE_COLUMNS)
    # Every coordinate and zone definition is checked, and all mistakes reported at once.
    mistakes = check_coordinates(places, folder / "gazetteer", "place")
    mistakes += check_coordinates(municipalities.assign(country="BE"), folder,
                                  "municipality", id_column="refnis")
    if centres is not None:
        mistakes += check_coordinates(centres.assign(country="BE"), folder, "town centre",
                                      id_column="refnis")
        mistakes += check_precision(centres, folder)
    mistakes += check_zone_shapes(zones, folder / "zones")
    if mistakes:
        raise GeodataError(mistakes_message(mistakes))
    crosswalk = read_table(folder / "crosswalk.csv")
    gazetteer = Gazetteer(places, zones, municipalities, crosswalk, vocabulary, centres)
    gazetteer.overrides = merged.overrides
    mistakes = check_zone_members(gazetteer, folder / "zones")
    if mistakes:
        raise GeodataError(mistakes_message(mistakes))
    return gazetteer


