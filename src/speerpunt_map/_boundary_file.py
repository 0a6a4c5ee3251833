"""A user's boundary file: opened only from a local path, and checked rather than trusted.

:func:`open_source` decides how GDAL opens what the user named: a local file (a ``.zip`` read in
place through ``/vsizip/``, never extracted), and only with ``allow_virtual`` a URL, a GDAL
virtual path or a VRT file. A shapefile's missing parts are named. :func:`check_crs` sets the CRS
and checks it against the numbers (metres in a GeoJSON, a wrong ``.prj``, swapped axes);
:func:`repair` refuses null, empty and non-polygon geometries and repairs invalid polygons with
``make_valid``, measuring how much each repair changed the area.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from ._coordinates import COUNTRY_EXTENTS, coordinate_problem, metric_crs_of
from ._errors import BoundaryError
from ._geodata_files import encloses_no_area, polygon_as_meant

__all__ = ["Source", "check_crs", "feature_names", "open_source", "parse_crs", "read_file",
           "repair"]

_WGS84_FORMATS = (".geojson", ".json", ".topojson")
# Vector formats looked for in a zip archive or a folder.
_VECTOR_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".topojson", ".fgb", ".gml", ".kml")
# The parts of a shapefile besides the .shp, and what each holds.
_SHAPEFILE_PARTS = {".shx": "the index of the shapes",
                    ".dbf": "the attribute table with the REFNIS codes",
                    ".prj": "the CRS"}
# URLs and GDAL virtual file systems (/vsicurl/, /vsizip/, /vsis3/, …) in user input.
_VIRTUAL = re.compile(r"^\s*(/vsi[a-z0-9_]*[/?]|[a-z][a-z0-9+.-]*://)|://", re.IGNORECASE)
# A repair that changes a polygon's area by more than this is a warning.
REPAIR_WARNING = 0.001


@dataclass(frozen=True)
class Source:
    """A boundary dataset to open: what GDAL is given, and what the user is told.

    ``dataset`` is the string handed to GDAL (an absolute local path, or ``/vsizip/`` built here
    for a zip); ``file`` the local file whose bytes key the cache (``None`` for a virtual path
    the user allowed); ``label`` the name used in messages; ``suffix`` the format's suffix;
    ``member`` the file read inside a zip.
    """

    dataset: str
    file: Path | None
    label: str
    suffix: str
    member: str = ""
    virtual: bool = False

    @property
    def name(self) -> str:
        """The file's name (and the member read, for a zip), for captions."""
        name = self.file.name if self.file is not None else self.label
        return f"{name} ({self.member})" if self.member else name


def parse_crs(crs: str) -> object:
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        return CRS.from_user_input(crs)
    except CRSError:
        raise BoundaryError(f"--crs {crs!r}: not a CRS pyproj knows; give an EPSG code such as "
                            "EPSG:31370 (Lambert 72), EPSG:3812 (Lambert 2008) or EPSG:4326"
                            ) from None


def _is_virtual(text: str) -> bool:
    return bool(_VIRTUAL.search(text))


def _is_vrt(head: bytes) -> bool:
    """Whether the start of a file is GDAL VRT XML (which may point anywhere)."""
    return b"<ogrvrtdatasource" in head[:4096].lower()


def open_source(text: str, layer: str | None, crs: str | None, *,
                 allow_virtual: bool) -> Source:
    """Check a path the user gave and say how GDAL is to open it."""
    refused = "; only a local boundary file is opened (allow it with --allow-virtual-paths, " \
        "or allow_virtual=True)"
    if _is_virtual(text):
        if not allow_virtual:
            raise BoundaryError(f"{text}: a URL or GDAL virtual path{refused}")
        return Source(text, None, text, Path(text.split("?")[0]).suffix.lower(), virtual=True)
    path = Path(text).expanduser()
    absolute = path.resolve()
    if _is_virtual(str(absolute)) and not allow_virtual:
        raise BoundaryError(f"{text}: resolves to the GDAL virtual path {absolute}{refused}")
    if not path.exists():
        raise BoundaryError(f"{text}: no such boundary file")
    if path.is_dir():
        found = sorted(p.name for p in path.iterdir() if p.suffix.lower() in
                       (*_VECTOR_SUFFIXES, ".zip"))[:8]
        hint = (f"; name a file in it, e.g. {path / found[0]}" if found else
                "; it holds no boundary file")
        raise BoundaryError(f"{text}: a folder, not a boundary file{hint}")
    if not path.is_file():
        raise BoundaryError(f"{text}: not a regular file")
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as error:
        raise BoundaryError(f"{text}: cannot be read ({error.strerror or error})") from None
    if not head:
        raise BoundaryError(f"{text}: an empty file")
    suffix = path.suffix.lower()
    vrt = suffix == ".vrt" or _is_vrt(head)
    if vrt and not allow_virtual:
        raise BoundaryError(f"{text}: a GDAL VRT file (XML that may point at other files or "
                            f"URLs), not a boundary file{refused}")
    if suffix == ".zip" or (head.startswith(b"PK\x03\x04") and suffix not in (".gpkg",)):
        return _zip_source(text, absolute, layer, crs, allow_virtual=allow_virtual)
    if suffix == ".shp":
        siblings = {p.name.lower(): p.name for p in absolute.parent.iterdir()}
        _check_shapefile(text, absolute.name, list(siblings.values()), crs)
    return Source(str(absolute), absolute, text, suffix, virtual=vrt)


def _check_shapefile(label: str, shp: str, names: list[str], crs: str | None) -> None:
    """A shapefile needs its .shx and .dbf beside it, and a .prj unless the CRS is given."""
    stem = shp[: -len(".shp")]
    present = {n.lower() for n in names}
    folder = stem.rsplit("/", 1)[0] + "/" if "/" in stem else ""
    for part, holds in _SHAPEFILE_PARTS.items():
        if (stem + part).lower() in present:
            continue
        shown = (stem + part)[len(folder):]
        if part == ".prj":
            if crs is None:
                raise BoundaryError(f"{label}: the shapefile states no CRS (its .prj part, "
                                    f"{shown}, is missing); give it with --crs, e.g. "
                                    "EPSG:31370 for Lambert 72")
            continue
        raise BoundaryError(f"{label}: the shapefile's {part} part ({shown}, {holds}) is "
                            "missing: put it beside the .shp (in a zip: in the same folder)")


def _zip_source(text: str, absolute: Path, layer: str | None, crs: str | None, *,
                allow_virtual: bool) -> Source:
    """A boundary file inside a zip archive, read in place through GDAL's /vsizip/."""
    try:
        with zipfile.ZipFile(absolute) as archive:
            names = [i.filename for i in archive.infolist() if not i.is_dir()]
            candidates = [n for n in names if Path(n).suffix.lower() in _VECTOR_SUFFIXES
                          and not n.startswith("__MACOSX/")]
            if layer and len(candidates) > 1:
                candidates = [n for n in candidates if Path(n).stem == layer] or candidates
            if not candidates:
                listed = ", ".join(names[:8]) or "nothing"
                raise BoundaryError(f"{text}: the zip archive holds no boundary file (a .shp, "
                                    f".gpkg or .geojson); it holds {listed}")
            if len(candidates) > 1:
                raise BoundaryError(f"{text}: the zip archive holds several boundary files "
                                    f"({', '.join(candidates[:8])}); choose one with --layer "
                                    f"{Path(candidates[0]).stem}")
            member = candidates[0]
            with archive.open(member) as handle:
                head = handle.read(4096)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError,
            ValueError, NotImplementedError) as error:
        raise BoundaryError(f"{text}: not a readable zip archive ({error})") from None
    label = f"{text} ({member})"
    if _is_vrt(head) and not allow_virtual:
        raise BoundaryError(f"{label}: a GDAL VRT file (XML that may point at other files or "
                            "URLs), not a boundary file; only a local boundary file is opened")
    suffix = Path(member).suffix.lower()
    if suffix == ".shp":
        _check_shapefile(label, member, names, crs)
    return Source(f"/vsizip/{absolute}/{member}", absolute, label, suffix, member)


def read_file(source: Source, layer: str | None) -> gpd.GeoDataFrame:
    import fiona

    try:
        layers = fiona.listlayers(source.dataset)
    except Exception as error:  # fiona raises its own DriverError types
        raise BoundaryError(f"{source.label}: not a vector file GDAL can read ({error})") from None
    if layer is None or (source.member and Path(source.member).stem == layer
                         and layer not in layers):
        layer = _default_layer(source, layers)
    elif layer not in layers:
        raise BoundaryError(f"{source.label}: no layer {layer!r}; the file has {layers}")
    try:
        # fiona does not offer GDAL's VRT driver; a virtual source the user allowed is read
        # with pyogrio.
        engine = "pyogrio" if source.virtual else "fiona"
        return gpd.read_file(source.dataset, layer=layer, engine=engine)
    except Exception as error:
        raise BoundaryError(f"{source.label}: cannot read layer {layer!r} ({error})") from None


def _default_layer(source: Source, layers: list[str]) -> str:
    """The layer to read when none was named: the only one, or one called ``municipalities``.

    A file of several other layers is an error listing them: the first is not guessed (a
    GeoPackage of ``provinces`` and ``municipalities_2019`` would silently give provinces).
    """
    if len(layers) == 1 or "municipalities" in layers:
        return "municipalities" if "municipalities" in layers else layers[0]
    shown = ", ".join(repr(name) for name in layers[:12])
    more = f" and {len(layers) - 12} more" if len(layers) > 12 else ""
    raise BoundaryError(f"{source.label}: the file holds {len(layers)} layers ({shown}{more}) "
                        "and none is named 'municipalities'; say which layer holds the "
                        f"municipality polygons: --layer {layers[0]} (or layer = "
                        f"\"{layers[0]}\" under [boundaries] in speerpunt-map.toml, "
                        f"layer=\"{layers[0]}\" from Python)")


def check_crs(source: Source, frame: gpd.GeoDataFrame, crs: str | None) -> gpd.GeoDataFrame:
    """Give the frame its CRS — checked against its numbers, not trusted — in EPSG:4326."""
    label = source.label
    stated = frame.crs
    # GDAL reports WGS84 for every GeoJSON/TopoJSON (the specification's default): that is no
    # statement, so metres in such a file are not read as degrees.
    if source.suffix in _WGS84_FORMATS and stated is not None and \
            stated.equals("EPSG:4326", ignore_axis_order=True):
        stated = None
    if stated is None:
        if crs is None and source.suffix not in _WGS84_FORMATS:
            raise BoundaryError(f"{label}: the file states no CRS; give it (e.g. --crs "
                                "EPSG:31370)")
        frame = frame.set_crs(crs or "EPSG:4326", allow_override=True)
    elif crs is not None and not stated.equals(parse_crs(crs)):
        raise BoundaryError(f"{label}: the file states CRS {stated.to_string()} but {crs} was "
                            "given")
    geometries = frame.geometry[~(frame.geometry.isna() | frame.geometry.is_empty)]
    if geometries.empty:
        return frame.to_crs("EPSG:4326")
    minx, miny, maxx, maxy = geometries.total_bounds
    x, y = (minx + maxx) / 2, (miny + maxy) / 2
    how = "stated" if stated is not None else ("given" if crs else "assumed for GeoJSON")
    where = f"{label}: CRS {frame.crs.to_string()} ({how})"
    degrees = max(abs(minx), abs(maxx)) <= 180 and max(abs(miny), abs(maxy)) <= 90
    metric = metric_crs_of(x, y)
    if frame.crs.is_geographic:
        if not degrees:
            likely = (f"{metric[0]}; give --crs {metric[1]}" if metric else
                      "metres of some projected CRS; give it with --crs")
            raise BoundaryError(f"{where}, but coordinates up to {maxx:.0f}, {maxy:.0f} are "
                                f"not degrees: the numbers look like {likely}")
        problem = coordinate_problem(x, y, "BE")
        if problem:
            raise BoundaryError(f"{where}: the middle of the file, {x:.4f}, {y:.4f}, is not in "
                                f"Belgium: {problem}")
        return frame.to_crs("EPSG:4326")
    if degrees:
        raise BoundaryError(f"{where}, in metres, but its numbers ({minx:g} … {maxx:g}, "
                            f"{miny:g} … {maxy:g}) look like degrees: the CRS is wrong (a wrong "
                            ".prj? then delete it and give --crs EPSG:4326)")
    frame = frame.to_crs("EPSG:4326")
    lon_min, lat_min, lon_max, lat_max = frame.geometry[geometries.index].total_bounds
    lon, lat = (lon_min + lon_max) / 2, (lat_min + lat_max) / 2
    if not (math.isfinite(lon) and math.isfinite(lat)) or coordinate_problem(lon, lat, "BE"):
        likely = f": the numbers look like {metric[0]}" if metric and metric[1] != \
            frame.crs.to_string() else ""
        lo_x, lo_y, hi_x, hi_y = COUNTRY_EXTENTS["BE"]
        raise BoundaryError(f"{where} puts the file's middle at lon {lon:.2f}, lat {lat:.2f}, "
                            f"outside Belgium (lon {lo_x}…{hi_x}, lat {lo_y}…{hi_y}){likely}")
    return frame


def feature_names(frame: gpd.GeoDataFrame, codes: pd.Series,
                   mapping: Mapping[str, str]) -> pd.Series:
    """``feature 12 (REFNIS 11002, Antwerpen)`` for each feature, for messages."""
    names = frame[mapping["name_nl"]].astype(str) if "name_nl" in mapping else None
    return pd.Series([f"feature {position} (REFNIS {code}" + (f", {names[i]})" if names is not
                                                              None else ")")
                      for position, (i, code) in enumerate(codes.items())], index=frame.index)


def repair(label: str, frame: gpd.GeoDataFrame, names: pd.Series) -> tuple[gpd.GeoDataFrame,
                                                                           pd.Series]:
    """Null/empty/non-polygon geometries are errors; invalid polygons are repaired with
    ``make_valid`` (never ``buffer(0)``). Returns the frame and each feature's relative area
    change (0 when untouched)."""
    geometry = frame.geometry
    empty = geometry.isna() | geometry.is_empty
    if empty.any():
        shown = "; ".join(names[empty].head(5))
        more = f" and {int(empty.sum()) - 5} more" if empty.sum() > 5 else ""
        raise BoundaryError(f"{label}: {int(empty.sum())} feature(s) without geometry (null or "
                            f"empty): {shown}{more}")
    kinds = geometry.geom_type
    wrong = ~kinds.isin(("Polygon", "MultiPolygon", "GeometryCollection"))
    if wrong.any():
        first = wrong.idxmax()
        raise BoundaryError(f"{label}: {names[first]} is a {kinds[first]}; a municipality "
                            "boundary file holds polygons")
    changes = pd.Series(0.0, index=frame.index)
    invalid = ~geometry.is_valid | (kinds == "GeometryCollection")
    for index in frame.index[invalid]:
        before = geometry[index]
        # Each outline repaired with make_valid, then its holes cut out: a hole outside its
        # outline is no second polygon.
        repaired, _ = polygon_as_meant(before)
        if encloses_no_area(repaired):
            raise BoundaryError(f"{label}: {names[index]}: a polygon of zero area (its corners "
                                "lie on one line, or repeat one point), which no repair can "
                                "draw; fix the feature in QGIS")
        change = (repaired.area - abs(before.area)) / abs(before.area) if before.area else \
            math.inf
        # A zero change must still mark the feature as repaired.
        changes[index] = change if change else 1e-12
        frame.loc[index, "geometry"] = repaired
    _refuse_no_area(label, frame, names)
    return frame, changes


def _refuse_no_area(label: str, frame: gpd.GeoDataFrame, names: pd.Series) -> None:
    """A feature whose polygon encloses no area (corners on one line) is an error, never a
    municipality drawn as a line."""
    flat = [index for index in frame.index if encloses_no_area(frame.geometry[index])]
    if flat:
        shown = "; ".join(str(names[i]) for i in flat[:5])
        raise BoundaryError(f"{label}: {len(flat)} feature(s) with a polygon of zero area (its "
                            f"corners lie on one line, or repeat one point): {shown}; fix them "
                            "in QGIS")
