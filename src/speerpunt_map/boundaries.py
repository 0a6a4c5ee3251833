"""Administrative boundaries: Belgium, Flanders, provinces, RESOC regions, municipalities.

Two sources, in the order a user wants them:

1. a municipality boundary file the user gives (Statbel's, or any file GDAL reads with a REFNIS
   code column), named by the call, the environment variable ``SPEERPUNT_MAP_BOUNDARIES`` or a
   config file;
2. with no file, the municipalities of 2019 the project derived from a CC0 base map
   (``geodata/boundaries/municipalities-2019.topojson``, see its README: lines within 22 m of
   that source, which is itself generalised).

Either way the municipalities are dissolved into Belgium, Flanders, the provinces, the
arrondissements and the RESOC regions (unions of whole municipalities,
``resoc_membership.csv``), as one GeoDataFrame in EPSG:4326 with a ``level`` column
(:mod:`speerpunt_map._boundary_areas`). The derived layers are cached in the user cache folder,
keyed by the input file's hash, so a second run does not redo the dissolves.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from ._boundary_areas import areas_from_municipalities
from ._boundary_file import (
    REPAIR_WARNING,
    Source,
    check_crs,
    feature_names,
    open_source,
    parse_crs,
    read_file,
    repair,
)
from ._errors import BoundaryError
from ._geodata_files import read_csv_rows
from ._paths import cache_dir, shipped_geodata
from .gazetteer import is_flemish_refnis

__all__ = ["BOUNDARY_FILE_ENV", "DEFAULT_FILE", "DEFAULT_SOURCE", "Boundaries",
           "default_boundary_file", "load_boundaries"]

log = logging.getLogger(__name__)

BOUNDARY_FILE_ENV = "SPEERPUNT_MAP_BOUNDARIES"
#: The built-in municipality layer, in the ``boundaries`` folder of a geodata folder.
DEFAULT_FILE = "municipalities-2019.topojson"
#: The source of the built-in boundaries, as the areas' ``basis`` and messages name it (maps and
#: figures credit it in their own words, ``labels.csv``).
DEFAULT_SOURCE = ("municipalities 2019 (Statbel REFNIS codes on the map of "
                  "bmesuere/belgium-topojson, CC0), derived by speerpunt_map")
_CACHE_VERSION = "5"
METRIC_CRS = "EPSG:31370"
# Known column-name sets of municipality files: our name → the file's.
KNOWN_COLUMNS: tuple[dict[str, str], ...] = (
    # the project's own layer (geodata/boundaries/municipalities-2019.topojson)
    {"refnis": "refnis", "name_nl": "name_nl", "name_fr": "name_fr"},
    # bmesuere/belgium-topojson (the source of the project's layer)
    {"refnis": "nis", "name_nl": "name_nl", "name_fr": "name_fr"},
    # Statbel's open-data municipality boundaries
    {"refnis": "CD_MUNTY_REFNIS", "name_nl": "TX_MUNTY_DESCR_NL",
     "name_fr": "TX_MUNTY_DESCR_FR"},
    {"refnis": "cd_munty_refnis", "name_nl": "tx_munty_descr_nl",
     "name_fr": "tx_munty_descr_fr"},
    # Informatie Vlaanderen's reference file of municipality borders (Flanders only)
    {"refnis": "NISCODE", "name_nl": "NAAM"},
)


@dataclass
class Boundaries:
    """Administrative areas as one GeoDataFrame in EPSG:4326.

    Attributes
    ----------
    areas
        Columns ``id`` (``belgium``, ``vlaanderen``, ``prov-…``, ``resoc-…``, ``arr-<refnis>``,
        ``mun-<refnis>``), ``level``, ``refnis``, ``name_nl``, ``parent`` (the province id),
        ``approximate`` (a RESOC region that rests on an uncertain membership — Wervik, the
        split of arrondissements Gent and Eeklo — on a municipality only partly its own, or
        that misses members in the file), ``basis`` (what it was built from, naming those
        parts), ``geometry``.
    source
        What the areas were built from, in words, with its licence.
    vintage
        The municipality vintage of the input (2019, 2025, …).
    default
        Whether these are the built-in boundaries (no file was given).
    """

    areas: gpd.GeoDataFrame
    source: str
    vintage: int
    default: bool = False

    def level(self, level: str) -> gpd.GeoDataFrame:
        """The areas of one level (``"province"``, ``"resoc"``, …), possibly empty."""
        return self.areas[self.areas["level"] == level]

    @property
    def approximate(self) -> bool:
        """Whether some RESOC regions rest on uncertain memberships (see ``areas``), so that
        their outline may differ from the real region's by whole municipalities."""
        return bool(self.level("resoc")["approximate"].any())

    def geometry(self, area_id: str) -> shapely.Geometry | None:
        """The geometry of an area by id, or ``None``."""
        rows = self.areas[self.areas["id"] == area_id]
        return None if rows.empty else rows.geometry.iloc[0]

    def municipality(self, refnis: str) -> shapely.Geometry | None:
        """The polygon of a municipality (in :attr:`vintage`), or ``None`` when the file lacks
        it (another vintage's code, or a file of Flanders only)."""
        return self.geometry(f"mun-{refnis}")

    @property
    def is_default(self) -> bool:
        """Whether these are the built-in boundaries (the project's 2019 municipalities)."""
        return self.default

    @property
    def has_municipalities(self) -> bool:
        """Whether municipality polygons are available (always, unless built by hand)."""
        return not self.level("municipality").empty

    @property
    def repairs(self) -> gpd.GeoDataFrame:
        """The municipalities whose invalid polygon was repaired (``make_valid``), with the
        relative area change in ``repair_change``."""
        if "repair_change" not in self.areas:
            return self.areas.iloc[0:0]
        return self.areas[self.areas["repair_change"] != 0]


def load_boundaries(path: str | os.PathLike[str] | None = None, *, layer: str | None = None,
                    columns: Mapping[str, str] | None = None, crs: str | None = None,
                    vintage: int | None = None, use_cache: bool = True,
                    allow_virtual: bool = False,
                    geodata: str | os.PathLike[str] | None = None) -> Boundaries:
    """Load the boundaries from a municipality file: the user's, or the built-in one.

    Parameters
    ----------
    path
        A local municipality boundary file (any vector format GDAL reads), or a ``.zip`` holding
        one (read in place, never extracted). Without one, the environment variable
        ``SPEERPUNT_MAP_BOUNDARIES`` is used, then the built-in 2019 municipalities
        (:func:`default_boundary_file`).
    layer
        The layer of a multi-layer file (default: ``municipalities`` if present, else the first);
        in a zip with several files, the name of the file to read (without its suffix).
    columns
        Explicit column names, e.g. ``{"refnis": "NIS_CODE", "name_nl": "NAAM"}``, for files
        whose columns are not of a known set.
    crs
        The file's CRS when the file does not state one (GeoJSON/TopoJSON are WGS84 by
        specification, unless their numbers are metres). A stated CRS that differs is an error.
    vintage
        The municipality vintage (2013, 2019, 2025); detected from the codes when not given.
    use_cache
        Read and write the derived layers in the user cache folder.
    allow_virtual
        Also open URLs, GDAL virtual paths (``/vsicurl/…``) and VRT files. Off by default: a
        boundary file is opened only from a local path.
    geodata
        The geodata folder whose provinces, RESOC regions, membership and crosswalk the areas
        are built with, and whose ``boundaries/`` holds the built-in layer (the shipped one by
        default).

    Returns
    -------
    Boundaries

    Raises
    ------
    BoundaryError
        When the file cannot be used; the message says why (a missing shapefile part, a CRS that
        does not fit the numbers, a polygon without geometry, …).
    """
    folder = Path(geodata).resolve() if geodata is not None else shipped_geodata()
    if path is None and os.environ.get(BOUNDARY_FILE_ENV):
        path = os.environ[BOUNDARY_FILE_ENV]
    default = path is None
    given = default_boundary_file(folder) if path is None else path
    if crs is not None:
        parse_crs(crs)
    source = open_source(os.fspath(given), layer, crs, allow_virtual=allow_virtual)
    options = {"layer": layer or "", "columns": sorted((columns or {}).items()), "crs": crs or "",
               "vintage": vintage or 0, "dataset": source.member}
    if source.file is None:  # a virtual source has no bytes to key a cache on
        use_cache, key = False, ""
    else:
        key = _cache_key(_file_digest(source.file), options, folder)
    boundaries = _cached(key, use_cache,
                         lambda: _from_municipality_file(source, layer, columns, crs, vintage,
                                                         folder, default=default),
                         DEFAULT_SOURCE if default else
                         f"{source.name} (municipality boundary file)", default=default)
    _report_repairs(source.label, boundaries)
    return boundaries


def default_boundary_file(geodata: str | os.PathLike[str] | None = None) -> Path:
    """The built-in municipality layer: ``boundaries/municipalities-2019.topojson`` of the
    geodata folder when it has one, else the shipped one."""
    if geodata is not None:
        own = Path(geodata) / "boundaries" / DEFAULT_FILE
        if own.is_file():
            return own.resolve()
    return shipped_geodata() / "boundaries" / DEFAULT_FILE


def _report_repairs(label: str, boundaries: Boundaries) -> None:
    """Log every repaired polygon; a warning when the repair changed its area noticeably."""
    for row in boundaries.repairs.itertuples():
        change = float(row.repair_change)
        level = logging.WARNING if abs(change) > REPAIR_WARNING else logging.INFO
        log.log(level, "%s: the invalid polygon of %s (%s) was repaired with make_valid; its "
                "area changed by %s", label, row.name_nl, row.refnis,
                "an unknown amount" if math.isinf(change) else f"{100 * change:.2f}%")


# -- caching ------------------------------------------------------------------------------------
def _file_digest(path: Path) -> bytes:
    """The SHA-256 of a file, read in chunks (a boundary file may be large)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as error:
        raise BoundaryError(f"{path}: cannot be read ({error.strerror or error})") from None
    return digest.digest()


def _cache_key(data: bytes, options: Mapping[str, object], geodata: Path) -> str:
    digest = hashlib.sha256(data)
    digest.update(repr(sorted(options.items())).encode())
    digest.update(_CACHE_VERSION.encode())
    for name in ("resoc_membership.csv", "crosswalk.csv", "arrondissements.csv",
                 "provinces.csv", "resoc_regions.csv"):
        digest.update((geodata / name).read_bytes())
    return digest.hexdigest()[:24]


def _cached(key: str, use_cache: bool, build: Callable[[], gpd.GeoDataFrame],
            source: str, *, default: bool) -> Boundaries:
    """Read the areas from the cache, or build and store them (atomically)."""
    target = cache_dir() / f"boundaries-{key}.gpkg"
    if use_cache and target.is_file():
        try:
            areas = gpd.read_file(target)
            areas["approximate"] = areas["approximate"].astype(bool)
            log.debug("boundaries read from cache %s", target)
            return Boundaries(areas, source, _vintage_of(areas), default)
        except Exception as error:  # a damaged cache file is rebuilt, never trusted
            log.warning("ignoring unreadable cache file %s: %s", target, error)
    areas = build()
    if use_cache:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(suffix=".gpkg", dir=target.parent)
            os.close(handle)
            os.unlink(temporary)
            areas.to_file(temporary, driver="GPKG")
            os.replace(temporary, target)
        except OSError as error:
            log.warning("could not write the boundary cache %s: %s", target, error)
    return Boundaries(areas, source, _vintage_of(areas), default)


def _vintage_of(areas: gpd.GeoDataFrame) -> int:
    values = areas.get("vintage")
    return int(values.iloc[0]) if values is not None and len(values) else 0


# -- a user's municipality file -----------------------------------------------------------------
def _column_set(path: str, frame: gpd.GeoDataFrame,
                columns: Mapping[str, str] | None) -> dict[str, str]:
    """Our column name → the file's, from the user's mapping or a known set."""
    if columns:
        missing = [c for c in columns.values() if c not in frame.columns]
        if missing or "refnis" not in columns:
            raise BoundaryError(f"{path}: column mapping {dict(columns)} does not fit: "
                                f"needs 'refnis', and the file has {list(frame.columns)}")
        return dict(columns)
    for known in KNOWN_COLUMNS:
        if known["refnis"] in frame.columns:
            return {ours: theirs for ours, theirs in known.items() if theirs in frame.columns}
    raise BoundaryError(
        f"{path}: no REFNIS code column of a known set; the file has "
        f"{[c for c in frame.columns if c != 'geometry']}. Name the columns explicitly, e.g. "
        "--columns refnis=NISCODE,name_nl=NAAM")


def _detect_vintage(path: str, codes: set[str], geodata: Path) -> int:
    sets: dict[int, set[str]] = defaultdict(set)
    for row in read_csv_rows(geodata / "municipalities.csv"):
        sets[int(row["vintage"])].add(row["refnis"])
    flemish = {c for c in codes if is_flemish_refnis(c)}
    scores = {v: len(flemish & {c for c in s if is_flemish_refnis(c)}) - len(flemish - s)
              for v, s in sets.items()}
    best = max(sorted(scores), key=lambda v: scores[v])
    if flemish - sets[best]:
        unknown = sorted(flemish - sets[best])[:5]
        raise BoundaryError(f"{path}: REFNIS codes {unknown} are not municipalities of any "
                            "known vintage (2013, 2019, 2025)")
    return best


def _from_municipality_file(source: Source, layer: str | None,
                            columns: Mapping[str, str] | None, crs: str | None,
                            vintage: int | None, geodata: Path, *,
                            default: bool) -> gpd.GeoDataFrame:
    """Municipalities, arrondissements, provinces and RESOCs from a municipality file."""
    path = source.label
    frame = read_file(source, layer)
    if frame.empty:
        raise BoundaryError(f"{path}: the layer holds no features")
    mapping = _column_set(path, frame, columns)
    frame = check_crs(source, frame, crs)
    codes = frame[mapping["refnis"]].astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    bad = codes[~codes.str.fullmatch(r"[0-9]{5}")]
    if not bad.empty:
        position = list(frame.index).index(bad.index[0])
        raise BoundaryError(f"{path}: column {mapping['refnis']!r} holds {bad.iloc[0]!r} "
                            f"(feature {position}); expected five-digit REFNIS codes")
    frame, changes = repair(path, frame, feature_names(frame, codes, mapping))
    # Several features with the same code (islands stored apart) are one municipality.
    names = frame[mapping["name_nl"]].astype(str) if "name_nl" in mapping else codes
    municipalities = gpd.GeoDataFrame(
        {"refnis": codes, "name_nl": names, "repair_change": changes,
         "geometry": frame.geometry}, crs="EPSG:4326"
    ).dissolve(by="refnis", aggfunc={"name_nl": "first", "repair_change": _largest},
               as_index=False)
    vintage = vintage or _detect_vintage(path, set(municipalities["refnis"]), geodata)
    name = "the built-in municipalities 2019" if default else source.name
    return areas_from_municipalities(municipalities, vintage, geodata, label=path, name=name)


def _largest(changes: pd.Series) -> float:
    """The largest repair of the features that make one municipality."""
    return float(max(changes, key=abs)) if len(changes) else 0.0
