"""Names → places: the gazetteer, the municipalities of every vintage, and custom zones.

A legend names places as people write them ("Haven van Antwerpen", "Geel", "RESOC Kempen",
"Campina-project"). :class:`Gazetteer` turns such a name into a :class:`PlaceRef`: a gazetteer
place, a municipality (REFNIS code and vintage), a custom zone, or an actor's region. It reads
only data files in ``geodata/``; it knows no geometry beyond the points those files give (the
polygons come from :mod:`speerpunt_map.boundaries`).
"""

from __future__ import annotations

import csv
import difflib
import logging
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from ._coordinates import coordinate_problem
from ._errors import GeodataError
from ._paths import shipped_geodata, shipped_legends
from ._text import normalise, split_multi
from .vocab import Vocabulary, load_vocabulary

__all__ = ["Gazetteer", "PlaceRef", "coordinate_problem", "is_flemish_refnis", "load_gazetteer"]

log = logging.getLogger(__name__)

# Flanders' own regions, named in legends as zones or link ends.
_FLANDERS_NAMES = ("Vlaanderen", "Vlaams Gewest", "Flanders", "Flemish Region")
VINTAGES = (2025, 2019, 2013)


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


def _read(path: Path) -> pd.DataFrame:
    """A project CSV as text columns (no type guessing), with its file name."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise GeodataError(f"{path}: cannot be read as CSV: {error}") from None
    frame["file"] = path.name
    frame["line"] = range(2, len(frame) + 2)
    return frame


def _require(frame: pd.DataFrame, path: Path, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise GeodataError(f"{path}: missing column(s) {missing}; expected {list(columns)}")


class Gazetteer:
    """Look up places by id, name or alias; suggest close names for unknown ones.

    Build it with :func:`load_gazetteer`. ``places``, ``zones``, ``municipalities`` and
    ``crosswalk`` are the data frames read from ``geodata/``.
    """

    def __init__(self, places: pd.DataFrame, zones: pd.DataFrame, municipalities: pd.DataFrame,
                 crosswalk: pd.DataFrame, vocabulary: Vocabulary) -> None:
        self.places = places.set_index("id", drop=False)
        self.zones = zones.set_index("id", drop=False)
        self.municipalities = municipalities
        self.crosswalk = crosswalk
        self.vocabulary = vocabulary
        self._index: dict[str, PlaceRef] = {}
        self._names: list[str] = []
        self._build_index()

    # -- index -------------------------------------------------------------------------------
    def _add(self, name: str, ref: PlaceRef, *, exact_only: bool = False) -> None:
        key = normalise(name)
        if not key:
            return
        # The first entry wins: the order of _build_index is the order of priority.
        self._index.setdefault(key, ref)
        if not exact_only:
            self._names.append(name)

    def _build_index(self) -> None:
        # Ids first: an id always means itself.
        for actor in self.vocabulary.actors.values():
            ref = PlaceRef("region", actor.region, actor.name_nl)
            self._add(actor.id, ref, exact_only=True)
        for zone_id, zone in self.zones.iterrows():
            self._add(str(zone_id), PlaceRef("zone", str(zone_id), zone["name"]), exact_only=True)
        for place_id, place in self.places.iterrows():
            self._add(str(place_id), PlaceRef("place", str(place_id), place["name"]),
                      exact_only=True)
        # Then names: actors' regions, Flanders, custom zones, gazetteer places, municipalities.
        for actor in self.vocabulary.actors.values():
            ref = PlaceRef("region", actor.region, actor.name_nl)
            for name in (actor.name_nl, actor.name_en, *actor.aliases):
                self._add(name, ref)
        for name in _FLANDERS_NAMES:
            self._add(name, PlaceRef("region", "vlaanderen", "Vlaanderen"))
        # A gazetteer name that is also a Flemish municipality's would hide the municipality
        # ("Lille" is a town in the Kempen as well as Rijsel): the data must say which it means.
        flemish_names = {normalise(n) for n, code in zip(self.municipalities["name_nl"],
                                                          self.municipalities["refnis"],
                                                          strict=True)
                         if is_flemish_refnis(code)}
        clashes = []
        for frame, kind in ((self.zones, "zone"), (self.places, "place")):
            for item_id, item in frame.iterrows():
                ref = PlaceRef(kind, str(item_id), item["name"])
                for name in [str(item_id), item["name"], *item["aliases"].split("|")]:
                    if normalise(name) in flemish_names and not _is_municipality_place(item):
                        clashes.append(f"{item_id} ({item['file']}): {name.strip()!r}")
                    self._add(name.strip(), ref)
        if clashes:
            raise GeodataError("gazetteer names that are also Flemish municipalities (rename "
                               "them, e.g. 'Lille (FR)'): " + "; ".join(clashes))
        # Municipalities: the newest vintage a name exists in; Flemish before the others.
        ordered = self.municipalities.assign(
            _flemish=self.municipalities["refnis"].map(is_flemish_refnis),
            _vintage=self.municipalities["vintage"].astype(int),
        ).sort_values(["_flemish", "_vintage"], ascending=[False, False], kind="stable")
        for row in ordered.itertuples():
            ref = PlaceRef("municipality", f"{row.refnis}@{row.vintage}", row.name_nl)
            self._add(row.name_nl, ref)
            if row.name_fr and row.name_fr != row.name_nl:
                self._add(row.name_fr, ref)
            self._add(row.refnis, ref, exact_only=True)

    # -- look-up -----------------------------------------------------------------------------
    def resolve(self, name: str) -> PlaceRef | None:
        """The place a name refers to, or ``None`` when it is unknown."""
        return self._index.get(normalise(name))

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """The known names closest to ``name`` (for "did you mean …?")."""
        if len(name) > 100:  # no name is that long; difflib is quadratic in it
            return []
        candidates = sorted(set(self._names))
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

    def point(self, ref: PlaceRef) -> tuple[float, float, str, float] | None:
        """``(lon, lat, method, precision_m)`` of a gazetteer place or municipality."""
        if ref.kind == "place":
            place = self.places.loc[ref.id]
            return (float(place["lon"]), float(place["lat"]), place["method"],
                    float(place["precision_m"] or 0))
        if ref.kind == "municipality":
            row = self.municipality(ref)
            return float(row["lon"]), float(row["lat"]), row["method"], 2000.0
        return None


def load_gazetteer(folder: str | Path | None = None, *,
                   vocabulary: Vocabulary | None = None) -> Gazetteer:
    """Read the gazetteer, custom zones, municipalities and crosswalk from a geodata folder.

    Parameters
    ----------
    folder
        A folder laid out like the shipped ``geodata/`` (the default).
    vocabulary
        The sectors and actors (the shipped ones by default): actor names resolve to regions.
    """
    folder = Path(folder).resolve() if folder is not None else shipped_geodata()
    return _load(folder, vocabulary or load_vocabulary(shipped_legends()))


@cache
def _load(folder: Path, vocabulary: Vocabulary) -> Gazetteer:
    place_columns = ("id", "name", "aliases", "kind", "lon", "lat", "country", "method",
                     "precision_m", "source")
    zone_columns = ("id", "name", "aliases", "definition", "members", "buffer_m", "wkt",
                    "source", "approximation")
    places = _concat(sorted((folder / "gazetteer").glob("*.csv")), place_columns)
    zones = _concat(sorted((folder / "zones").glob("*.csv")), zone_columns)
    for frame, what in ((places, "gazetteer"), (zones, "zones")):
        dupes = frame[frame["id"].duplicated(keep=False)]
        if not dupes.empty:
            where = ", ".join(f"{r.id} ({r.file})" for r in dupes.itertuples())
            raise GeodataError(f"{folder / what}: ids used twice: {where}")
    municipalities = _read(folder / "municipalities.csv")
    _require(municipalities, folder / "municipalities.csv",
             ("vintage", "refnis", "name_nl", "name_fr", "lon", "lat", "method", "source"))
    # Every coordinate and zone definition is checked, and all mistakes reported at once.
    mistakes = _check_coordinates(places, folder / "gazetteer", "place")
    mistakes += _check_coordinates(municipalities.assign(country="BE"), folder,
                                   "municipality", id_column="refnis")
    mistakes += _check_zone_shapes(zones, folder / "zones")
    if mistakes:
        raise GeodataError(_mistakes_message(mistakes))
    crosswalk = _read(folder / "crosswalk.csv")
    gazetteer = Gazetteer(places, zones, municipalities, crosswalk, vocabulary)
    mistakes = _check_zone_members(gazetteer, folder / "zones")
    if mistakes:
        raise GeodataError(_mistakes_message(mistakes))
    return gazetteer


def _concat(paths: list[Path], columns: tuple[str, ...]) -> pd.DataFrame:
    frames = []
    for path in paths:
        frame = _read(path)
        _require(frame, path, columns)
        frames.append(frame)
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=str) for c in (*columns, "file")})
    return pd.concat(frames, ignore_index=True)


def _mistakes_message(mistakes: list[str]) -> str:
    shown = "\n  ".join(mistakes[:30])
    more = f"\n  … and {len(mistakes) - 30} more" if len(mistakes) > 30 else ""
    return f"{len(mistakes)} problem(s) in the geodata:\n  {shown}{more}"


def _number(text: str) -> float:
    """A decimal number as written in a project CSV (a decimal point, not a comma)."""
    text = str(text).strip()
    if "," in text and "." not in text:
        raise ValueError("a decimal comma")
    return float(text)


def _check_coordinates(frame: pd.DataFrame, folder: Path, what: str, *,
                       id_column: str = "id") -> list[str]:
    """Every lon/lat is a number inside its country (lon first); the likely mistake named."""
    mistakes = []
    for row in frame.itertuples():
        label = f"{folder / row.file}, line {row.line}: {what} {getattr(row, id_column)!r}"
        try:
            lon, lat = _number(row.lon), _number(row.lat)
        except ValueError as error:
            hint = f" ({error}: write 4.40, not 4,40)" if "comma" in str(error) else ""
            mistakes.append(f"{label}: lon/lat {row.lon!r}, {row.lat!r} are not "
                            f"numbers{hint}")
            continue
        problem = coordinate_problem(lon, lat, getattr(row, "country", None) or None)
        if problem:
            mistakes.append(f"{label}: lon/lat {lon:g}, {lat:g}: {problem}")
    return mistakes


_ZONE_DEFINITIONS = ("municipalities", "corridor", "buffer", "polygon")
# A buffer or corridor wider than this is a unit mistake (km, or degrees), not a zone.
_MAX_BUFFER_M = 100_000.0


def _check_zone_shapes(zones: pd.DataFrame, folder: Path) -> list[str]:
    """Zone definitions that can be checked without the index: WKT polygons, buffer widths."""
    import shapely
    from shapely import wkt

    mistakes = []
    for zone in zones.itertuples():
        label = f"{folder / zone.file}, line {zone.line}: zone {zone.id!r}"
        if zone.definition not in _ZONE_DEFINITIONS:
            mistakes.append(f"{label}: definition {zone.definition!r}; expected one of "
                            f"{list(_ZONE_DEFINITIONS)}")
            continue
        if zone.definition == "polygon":
            try:
                shape = wkt.loads(zone.wkt)
            except (shapely.errors.GEOSException, ValueError, TypeError) as error:
                mistakes.append(f"{label}: bad WKT ({error})")
                continue
            if shape.is_empty or shape.geom_type not in ("Polygon", "MultiPolygon"):
                mistakes.append(f"{label}: WKT {shape.geom_type} {'(empty)' * shape.is_empty}; "
                                "expected a POLYGON or MULTIPOLYGON in lon/lat")
                continue
            minx, miny, maxx, maxy = shape.bounds
            for x, y in ((minx, miny), (maxx, maxy)):
                problem = coordinate_problem(x, y)
                if problem:
                    mistakes.append(f"{label}: polygon corner {x:g}, {y:g}: {problem}")
                    break
            else:
                _report_zone_repair(label, shape)
        elif zone.definition in ("corridor", "buffer"):
            try:
                width = _number(zone.buffer_m)
            except ValueError:
                mistakes.append(f"{label}: buffer_m {zone.buffer_m!r} is not a number of "
                                "metres")
                continue
            if not 0 < width <= _MAX_BUFFER_M:
                mistakes.append(f"{label}: buffer_m {width:g}: expected metres, more than 0 and "
                                f"at most {_MAX_BUFFER_M:,.0f} (km or degrees given?)")
    return mistakes


def _report_zone_repair(label: str, shape: object) -> None:
    """An invalid zone polygon is drawn repaired (``make_valid``); say so when that matters."""
    import shapely

    if shape.is_valid:
        return
    repaired = shapely.make_valid(shape)
    change = abs(repaired.area - shape.area) / shape.area if shape.area else math.inf
    level = logging.WARNING if change > 0.001 else logging.INFO
    log.log(level, "%s: invalid polygon, drawn repaired with make_valid (area change %.2f%%)",
            label, 100 * change)


def _check_zone_members(gazetteer: Gazetteer, folder: Path) -> list[str]:
    """The members of municipality, corridor and buffer zones resolve to places."""
    mistakes = []
    for zone in gazetteer.zones.itertuples(index=False):
        if zone.definition == "polygon":
            continue
        label = f"{folder / zone.file}, line {zone.line}: zone {zone.id!r}"
        members = split_multi(zone.members)
        if not members:
            mistakes.append(f"{label}: no members; expected municipalities or places, "
                            "|-separated")
        for member in members:
            if gazetteer.resolve(member) is None:
                close = gazetteer.suggest(member)
                hint = f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""
                mistakes.append(f"{label}: unknown member {member!r}{hint}")
    return mistakes


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a small project CSV as dicts of text."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))
