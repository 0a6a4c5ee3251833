"""The atlas: every map of a catalogue, as layers of GeoDataFrames.

>>> atlas = load_atlas()                       # doctest: +SKIP
>>> layers = atlas.map("antwerpen/logistiek")  # doctest: +SKIP
>>> layers.points, layers.zones, layers.links, layers.regions  # doctest: +SKIP

A province map holds the rows of one legend table; a Flanders overview gathers the province
maps of one sector group (``sectors.csv`` column ``overview``): the report's "life sciences en
chemie" overview gathers chemistry, life sciences and lifetech.
"""

from __future__ import annotations

import csv
import io
import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._errors import LegendError, Problem
from ._io import atomic_path, write_bytes
from ._tables import FORMULA_START
from .boundaries import Boundaries, load_boundaries
from .gazetteer import Gazetteer, load_gazetteer
from .geometry import (
    GeometryResolver,
    links_from_legend,
    points_from_legend,
    regions_from_map,
    zones_from_legend,
)
from .legend import Catalogue, Legend, MapSpec, read_catalogue, read_legend
from .vocab import Actor, Vocabulary, load_vocabulary

__all__ = ["Atlas", "MapLayers", "load_atlas", "neutralise_formula"]

log = logging.getLogger(__name__)
KINDS = ("point", "zone", "link")


def neutralise_formula(text: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would run as a formula.

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    ``'``; so does one that starts with apostrophes followed by one of those (``'=x`` becomes
    ``''=x``), so that a reader that drops one ``'`` before such a start gets back what was
    typed, and ``'s-Hertogenbosch`` is left alone.
    """
    return "'" + text if text.lstrip("'").startswith(FORMULA_START) else text


# Characters XML (and so XLSX) cannot hold, or turns into another (a carriage return becomes a
# line feed); OOXML writes them as _xHHHH_, which Excel reads back as the character.
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
# An underscore that a reader could take for the start of such an escape is itself escaped.
_OOXML_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4})")


def _xlsx_text(text: str) -> str:
    """Text for an XLSX cell: formulas neutralised, control characters as OOXML escapes."""
    text = _OOXML_ESCAPE.sub("_x005F_", neutralise_formula(text))
    return _XML_UNSAFE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


@dataclass
class MapLayers:
    """The layers of one map.

    Attributes
    ----------
    spec
        The catalogue entry (for an overview: a generated one with scope ``vlaanderen``).
    points, zones, links
        One row per legend row of that kind, in EPSG:4326 (see :mod:`speerpunt_map.geometry`).
    regions
        The region of each actor that chose the sector.
    boundaries
        The administrative areas the map was drawn on.
    problems
        Problems of the legend rows (warnings, and the errors of rows left out).
    rows_read
        How many legend rows were read.
    """

    spec: MapSpec
    points: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame
    links: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    boundaries: Boundaries
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    rows_rejected: int = 0

    @property
    def counts(self) -> dict[str, int]:
        """Rows drawn per kind, rows read and rows rejected (left out for an error)."""
        drawn = len(self.points) + len(self.zones) + len(self.links)
        return {"points": len(self.points), "zones": len(self.zones), "links": len(self.links),
                "read": self.rows_read, "drawn": drawn, "rejected": self.rows_rejected}

    def rows(self) -> pd.DataFrame:
        """Every drawn row of the three kinds in one table, for spreadsheets.

        ``lon``/``lat`` give a point on the feature (the point itself, a point inside a zone,
        the middle of a link); ``wkt`` the geometry, simplified where needed so that a cell
        stays within a spreadsheet's 32,767 characters.
        """
        frames = []
        for frame in (self.points, self.zones, self.links):
            if len(frame):
                table = pd.DataFrame(frame.drop(columns="geometry"))
                anchors = [g if g.geom_type == "Point" else
                           (g.interpolate(0.5, normalized=True) if g.geom_type == "LineString"
                            else g.representative_point()) for g in frame.geometry]
                table["lon"] = [round(p.x, 6) for p in anchors]
                table["lat"] = [round(p.y, 6) for p in anchors]
                table["wkt"] = [_cell_wkt(g) for g in frame.geometry]
                frames.append(table)
        if not frames:
            return pd.DataFrame()
        table = pd.concat(frames, ignore_index=True)
        return table.sort_values(["file", "row"], kind="stable").reset_index(drop=True)

    def to_gpkg(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Write the layers to a GeoPackage (layers ``points``, ``zones``, ``links``,
        ``regions``) for QGIS; atomically, and never over an existing file unless asked."""
        with atomic_path(path, overwrite=overwrite) as temporary:
            for name in ("points", "zones", "links", "regions"):
                frame = getattr(self, name)
                frame.to_file(temporary, layer=name, driver="GPKG")
        return Path(path)

    def to_csv(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Write every row to a CSV a spreadsheet opens safely (UTF-8 with BOM, ``;``).

        Cells starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a
        leading ``'``, so a spreadsheet shows them as text instead of running a formula.
        """
        table = self.rows()
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(list(table.columns))
        for record in table.itertuples(index=False):
            writer.writerow([neutralise_formula("" if pd.isna(v) else str(v)) for v in record])
        return write_bytes(path, buffer.getvalue().encode("utf-8-sig"), overwrite=overwrite)

    def to_xlsx(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Write every row to an Excel workbook (sheet ``rows``), atomically.

        Text is written as text, never as a formula: cells that a spreadsheet would read as a
        formula get a leading ``'`` as in :meth:`to_csv`, and control characters, which XLSX
        cannot hold, are written as Excel's ``_xHHHH_`` escapes. Numbers stay numbers.
        """
        import openpyxl
        from openpyxl.cell.cell import TYPE_STRING

        table = self.rows()
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "rows"
        sheet.append([_xlsx_text(str(c)) for c in table.columns])
        for r, record in enumerate(table.itertuples(index=False), start=2):
            for c, value in enumerate(record, start=1):
                if _missing(value) or value == "":
                    continue
                cell = sheet.cell(row=r, column=c)
                if isinstance(value, (bool, np.bool_)) or not isinstance(
                        value, (int, float, np.integer, np.floating)):
                    cell.value = _xlsx_text(str(value))
                    cell.data_type = TYPE_STRING  # never a formula, whatever it starts with
                else:
                    cell.value = value.item() if isinstance(value, np.generic) else value
        sheet.freeze_panes = "A2"
        with atomic_path(path, overwrite=overwrite) as temporary:
            book.save(temporary)
        return Path(path)


_CELL_LIMIT = 32_767


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or \
        value is pd.NA or value is pd.NaT


def _cell_wkt(geometry: shapely.Geometry) -> str:
    """WKT that fits in a spreadsheet cell: simplified step by step until it does."""
    text = shapely.to_wkt(geometry, rounding_precision=6)
    tolerance = 0.0001
    while len(text) > _CELL_LIMIT:
        simpler = shapely.simplify(geometry, tolerance, preserve_topology=True)
        text = shapely.to_wkt(simpler, rounding_precision=5)
        tolerance *= 2
    return text


class Atlas:
    """Every map of a catalogue. Build it with :func:`load_atlas`."""

    def __init__(self, catalogue: Catalogue, vocabulary: Vocabulary, gazetteer: Gazetteer,
                 boundary_options: Mapping[str, object] | None = None,
                 boundaries: Boundaries | None = None) -> None:
        self.catalogue = catalogue
        self.vocabulary = vocabulary
        self.gazetteer = gazetteer
        self._boundary_options = dict(boundary_options or {})
        if boundaries is not None:
            self.__dict__["boundaries"] = boundaries

    @cached_property
    def boundaries(self) -> Boundaries:
        """The administrative areas (loaded on first use; cached on disk)."""
        return load_boundaries(**self._boundary_options)  # type: ignore[arg-type]

    @property
    def maps(self) -> dict[str, MapSpec]:
        """The catalogue's maps by id."""
        return self.catalogue.maps

    def legend(self, map_id: str) -> Legend:
        """The read legend table of a map (with its problems)."""
        spec = self._spec(map_id)
        return read_legend(spec.table, spec=spec, vocabulary=self.vocabulary,
                           gazetteer=self.gazetteer)

    def _spec(self, map_id: str) -> MapSpec:
        if map_id not in self.maps:
            import difflib

            close = difflib.get_close_matches(map_id, list(self.maps), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise KeyError(f"no map {map_id!r} in {self.catalogue.path}{hint}")
        return self.maps[map_id]

    def map(self, map_id: str, *, strict: bool = True, language: str = "nl") -> MapLayers:
        """The layers of one map of the catalogue.

        Parameters
        ----------
        map_id
            ``<scope>/<sector>``, e.g. ``"antwerpen/logistiek"``.
        strict
            Raise :class:`LegendError` when a row has an error; otherwise leave such rows out
            and list them in ``problems``.
        """
        legend = self.legend(map_id)
        if strict and legend.errors:
            raise LegendError(legend.problems)
        for problem in legend.errors:
            log.warning("left out: %s", problem)
        return self._layers(legend.spec or self._spec(map_id), [legend], language)

    def overview_ids(self) -> list[str]:
        """The Flanders overview maps: one per sector group with at least one province map."""
        groups = {spec.sector.overview for spec in self.maps.values()
                  if spec.scope != "vlaanderen"}
        return [f"vlaanderen/{group}" for group in sorted(groups)]

    def overview(self, sector: str, *, strict: bool = True, language: str = "nl") -> MapLayers:
        """A Flanders-wide map gathering every province map of a sector group.

        Parameters
        ----------
        sector
            A sector id, label or synonym, or an overview id ``vlaanderen/<group>``.
        """
        name = sector.removeprefix("vlaanderen/")
        found = self.vocabulary.sector(name)
        if found is None:
            raise KeyError(f"no sector {sector!r}; known: {sorted(self.vocabulary.sectors)}")
        group = found.overview
        specs = [s for s in self.maps.values() if s.sector.overview == group
                 and s.scope != "vlaanderen"]
        if not specs:
            raise KeyError(f"no province map of sector group {group!r}")
        legends = [read_legend(s.table, spec=s, vocabulary=self.vocabulary,
                               gazetteer=self.gazetteer) for s in specs]
        problems = [p for legend in legends for p in legend.problems]
        if strict and any(p.severity == "error" for p in problems):
            raise LegendError(problems)
        actors: list[Actor] = []
        for spec in specs:
            actors += [a for a in spec.actors if a not in actors]
        group_sector = self.vocabulary.sectors.get(group, found)
        printed = sorted({s.sector_as_printed or s.sector.label_nl for s in specs})
        spec = MapSpec(id=f"vlaanderen/{group}", scope="vlaanderen", sector=group_sector,
                       sector_as_printed=" / ".join(printed), actors=tuple(actors),
                       table=specs[0].table, source="overview of " + ", ".join(s.id for s in specs))
        return self._layers(spec, legends, language)

    def _layers(self, spec: MapSpec, legends: list[Legend], language: str) -> MapLayers:
        resolver = GeometryResolver(self.gazetteer, self.boundaries)
        frames: dict[str, list[gpd.GeoDataFrame]] = {"points": [], "zones": [], "links": []}
        for legend in legends:
            frames["points"].append(points_from_legend(legend, resolver))
            frames["zones"].append(zones_from_legend(legend, resolver))
            frames["links"].append(links_from_legend(legend, resolver))
        joined = {k: _concat(v) for k, v in frames.items()}
        # A point's label is its printed number; in an overview, prefixed by its province.
        short = {s.id: s.short for s in self.vocabulary.scopes.values()}
        points = joined["points"]
        if spec.scope == "vlaanderen":
            prefix = points["map_id"].str.split("/").str[0].map(short).fillna("")
            points["label"] = [p + (str(n) if pd.notna(n) else "") for p, n in
                               zip(prefix, points["number"], strict=True)]
        else:
            points["label"] = [str(n) if pd.notna(n) else "" for n in points["number"]]
        return MapLayers(
            spec=spec, points=points, zones=joined["zones"], links=joined["links"],
            regions=regions_from_map(spec.actors, resolver, language),
            boundaries=self.boundaries,
            problems=[p for legend in legends for p in legend.problems],
            rows_read=sum(legend.rows_read for legend in legends),
            rows_rejected=sum(len(legend.rejected) for legend in legends))


def _concat(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    frames = [f for f in frames if len(f)] or frames[:1]
    joined = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(joined, geometry="geometry", crs="EPSG:4326")


def load_atlas(legends: str | Path | None = None, *, boundary_file: str | Path | None = None,
               boundaries: Boundaries | None = None,
               boundary_options: Mapping[str, object] | None = None) -> Atlas:
    """Open the catalogue and the geography; read nothing heavy until a map is asked for.

    Parameters
    ----------
    legends
        A ``catalogue.toml`` or a folder with one (the shipped legends by default).
    boundary_file
        A municipality boundary file (see :func:`speerpunt_map.load_boundaries`); without one,
        the built-in approximate RESOC regions are used.
    boundaries
        Already loaded boundaries, to share them between atlases.
    boundary_options
        Further options for :func:`speerpunt_map.load_boundaries` (``layer``, ``columns``,
        ``crs``, ``vintage``).

    Raises
    ------
    LegendError
        When the catalogue itself has problems.
    """
    vocabulary = load_vocabulary()
    catalogue = read_catalogue(legends, vocabulary=vocabulary)
    if any(p.severity == "error" for p in catalogue.problems):
        raise LegendError(catalogue.problems)
    options = dict(boundary_options or {})
    if boundary_file is not None:
        options["path"] = boundary_file
    return Atlas(catalogue, vocabulary, load_gazetteer(vocabulary=vocabulary), options,
                 boundaries)
