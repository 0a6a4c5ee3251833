"""The atlas: every map of a catalogue, as layers of GeoDataFrames.

>>> atlas = load_atlas()                       # doctest: +SKIP
>>> layers = atlas.map("antwerpen/logistiek")  # doctest: +SKIP
>>> layers.points, layers.zones, layers.links, layers.regions  # doctest: +SKIP

A province map holds the rows of one legend table; a Flanders overview gathers the province
maps of one sector group (``sectors.csv`` column ``overview``): the report's "life sciences en
chemie" overview gathers chemistry, life sciences and lifetech.
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd

from ._errors import LegendError, Problem
from ._paths import shipped_legends
from ._types import FLANDERS, Language
from .boundaries import Boundaries, load_boundaries
from .catalogue import Catalogue, MapSpec, period_years, read_catalogue
from .exports import inputs_of, rows_table, write_csv, write_gpkg, write_xlsx
from .gazetteer import Gazetteer
from .geometry import (
    GeometryResolver,
    links_from_legend,
    points_from_legend,
    regions_from_map,
    zones_from_legend,
)
from .legend import Legend, read_legend
from .options import BoundaryOptions
from .resources import Resources
from .vocab import Actor, Vocabulary
from .workspace import Workspace

__all__ = ["Atlas", "MapLayers", "load_atlas"]

log = logging.getLogger(__name__)


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
    resources
        The vocabulary, words, colours and geography the map was made with (renderers read
        them from here).
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
    resources: Resources
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
        stays within a spreadsheet's 32,767 characters (see :mod:`speerpunt_map.exports`).
        """
        return rows_table(self)

    def to_gpkg(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Write the layers to a GeoPackage (layers ``points``, ``zones``, ``links``,
        ``regions``) for QGIS; atomically, and never over an existing file unless asked."""
        return write_gpkg(self, path, overwrite=overwrite)

    def to_csv(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Write every row to a CSV a spreadsheet opens safely (UTF-8 with BOM, ``;``).

        Cells starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a
        leading ``'``, so a spreadsheet shows them as text instead of running a formula.
        """
        return write_csv(self.rows(), path, overwrite=overwrite, inputs=inputs_of(self))

    def to_xlsx(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Write every row to an Excel workbook (sheet ``rows``), atomically.

        Text is written as text, never as a formula: cells that a spreadsheet would read as a
        formula get a leading ``'`` as in :meth:`to_csv`, and control characters, which XLSX
        cannot hold, are written as Excel's ``_xHHHH_`` escapes. Numbers stay numbers.
        """
        return write_xlsx(self.rows(), path, overwrite=overwrite, inputs=inputs_of(self))


class Atlas:
    """Every map of a catalogue, with the resources it is drawn with.

    Build it with :func:`load_atlas`.

    Parameters
    ----------
    catalogue
        The maps (:func:`speerpunt_map.read_catalogue`).
    resources
        The vocabulary, words, colours, geography and boundary options
        (:meth:`speerpunt_map.Resources.load`).
    boundaries
        Already loaded boundaries; loaded from ``resources.boundary_options`` on first use
        otherwise.
    """

    def __init__(self, catalogue: Catalogue, resources: Resources,
                 boundaries: Boundaries | None = None) -> None:
        self.catalogue = catalogue
        self.resources = resources
        if boundaries is not None:
            self.__dict__["boundaries"] = boundaries

    @property
    def vocabulary(self) -> Vocabulary:
        """The sectors, actors and scopes of the atlas."""
        return self.resources.vocabulary

    @property
    def gazetteer(self) -> Gazetteer:
        """The places, custom zones and municipalities names resolve to."""
        return self.resources.gazetteer

    @cached_property
    def boundaries(self) -> Boundaries:
        """The administrative areas (loaded on first use; cached on disk)."""
        options = self.resources.boundary_options
        return load_boundaries(options.path, layer=options.layer,
                               columns=dict(options.columns) or None, crs=options.crs,
                               vintage=options.vintage, allow_virtual=options.allow_virtual,
                               geodata=self.resources.geodata)

    @property
    def maps(self) -> dict[str, MapSpec]:
        """The catalogue's maps by id."""
        return self.catalogue.maps

    def legend(self, map_id: str) -> Legend:
        """The read legend table of a map (with its problems)."""
        spec = self._spec(map_id)
        return self._read(spec)

    def _read(self, spec: MapSpec) -> Legend:
        return read_legend(spec.table, spec=spec, vocabulary=self.vocabulary,
                           gazetteer=self.gazetteer)

    def _spec(self, map_id: str) -> MapSpec:
        if map_id not in self.maps:
            close = difflib.get_close_matches(map_id, list(self.maps), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise KeyError(f"no map {map_id!r} in {self.catalogue.path}{hint}")
        return self.maps[map_id]

    def map(self, map_id: str, *, strict: bool = True, language: Language = "nl") -> MapLayers:
        """The layers of one map of the catalogue.

        Parameters
        ----------
        map_id
            ``<scope>/<sector>``, e.g. ``"antwerpen/logistiek"``.
        strict
            Raise :class:`LegendError` when a row has an error; otherwise leave such rows out
            and list them in ``problems``.
        language
            The language of the regions' names (``"nl"`` or ``"en"``).

        Returns
        -------
        MapLayers

        Raises
        ------
        KeyError
            For an unknown map id (with close ids as a hint).
        LegendError
            With ``strict``, when a row of the table has an error.
        """
        legend = self.legend(map_id)
        if strict and legend.errors:
            raise LegendError(legend.problems)
        for problem in legend.errors:
            log.warning("left out: %s", problem)
        return self._layers(legend.spec or self._spec(map_id), [legend], language)

    def overview_ids(self) -> list[str]:
        """The Flanders overview maps: one per sector group with at least one province map,
        and per period when the group's maps are of several (``vlaanderen/<group>-<period>``)."""
        return list(self._overview_groups())

    def _overview_groups(self) -> dict[str, tuple[str, str]]:
        """Overview id → (sector group, period): an overview mixes maps of one period only.

        Periods are compared by their years ("c. 2013" and "2013" are one period; an entry
        without a period is of the report's, 2013).
        """
        periods: dict[str, set[str]] = {}
        for spec in self.maps.values():
            if spec.scope != FLANDERS:
                periods.setdefault(spec.sector.overview, set()).add(_period_key(spec))
        ids: dict[str, tuple[str, str]] = {}
        for group in sorted(periods):
            for period in sorted(periods[group]):
                suffix = f"-{period}" if len(periods[group]) > 1 else ""
                ids[f"{FLANDERS}/{group}{suffix}"] = (group, period)
        return ids

    def _members(self, group: str, period: str) -> list[MapSpec]:
        return [s for s in self.maps.values() if s.sector.overview == group
                and s.scope != FLANDERS and _period_key(s) == period]

    def overview_members(self, overview_id: str) -> list[MapSpec]:
        """The catalogue entries whose maps an overview gathers (:meth:`overview_ids`).

        Raises
        ------
        KeyError
            For an id that is not an overview of this atlas.
        """
        groups = self._overview_groups()
        if overview_id not in groups:
            raise KeyError(f"no overview {overview_id!r}; the overviews are "
                           f"{', '.join(groups)}")
        return self._members(*groups[overview_id])

    def overview(self, sector: str, *, strict: bool = True,
                 language: Language = "nl") -> MapLayers:
        """A Flanders-wide map gathering every province map of a sector group.

        Parameters
        ----------
        sector
            A sector id, label or synonym, or an overview id (:meth:`overview_ids`). A sector
            group whose maps are of several periods needs the id of one period.
        strict
            Raise :class:`LegendError` when a row of any of the tables has an error.
        language
            The language of the regions' names.

        Returns
        -------
        MapLayers
            With a generated catalogue entry of scope ``vlaanderen``.

        Raises
        ------
        KeyError
            For an unknown sector, one with no province map, or one whose maps are of several
            periods (the message names the overview of each).
        """
        name = sector.removeprefix(f"{FLANDERS}/")
        groups = self._overview_groups()
        if f"{FLANDERS}/{name}" in groups:
            group, period = groups[f"{FLANDERS}/{name}"]
            found = self.vocabulary.sector(group)
        else:
            found = self.vocabulary.sector(name)
            if found is None:
                raise KeyError(f"no sector {sector!r}; known: {sorted(self.vocabulary.sectors)}")
            group = found.overview
            choices = [i for i, (g, _) in groups.items() if g == group]
            if len(choices) > 1:
                raise KeyError(f"the maps of {group!r} are of several periods; an overview "
                               f"mixes one: choose {', '.join(choices)}")
            period = groups[choices[0]][1] if choices else ""
        specs = self._members(group, period)
        if not specs or found is None:
            raise KeyError(f"no province map of sector group {group!r}")
        legends = [self._read(s) for s in specs]
        problems = [p for legend in legends for p in legend.problems]
        if strict and any(p.severity == "error" for p in problems):
            raise LegendError(problems)
        actors: list[Actor] = []
        for spec in specs:
            actors += [a for a in spec.actors if a not in actors]
        group_sector = self.vocabulary.sectors.get(group, found)
        printed = sorted({s.sector_as_printed or s.sector.label_nl for s in specs})
        overview_id = next((i for i, g in groups.items() if g == (group, period)),
                           f"{FLANDERS}/{group}")
        spec = MapSpec(id=overview_id, scope=FLANDERS, sector=group_sector,
                       sector_as_printed=" / ".join(printed), actors=tuple(actors),
                       table=specs[0].table, source="overview of " + ", ".join(s.id for s in specs),
                       from_report=all(s.is_report for s in specs),
                       period=period)
        return self._layers(spec, legends, language)

    def _layers(self, spec: MapSpec, legends: list[Legend], language: Language) -> MapLayers:
        resolver = GeometryResolver(self.gazetteer, self.boundaries)
        points = _concat([points_from_legend(legend, resolver) for legend in legends])
        zones = _concat([zones_from_legend(legend, resolver) for legend in legends])
        links = _concat([links_from_legend(legend, resolver) for legend in legends])
        # A point's label is its printed number; in an overview, prefixed by its province.
        short = {s.id: s.short for s in self.vocabulary.scopes.values()}
        if spec.scope == FLANDERS:
            prefix = points["map_id"].str.split("/").str[0].map(short).fillna("")
            points["label"] = [p + (str(n) if pd.notna(n) else "") for p, n in
                               zip(prefix, points["number"], strict=True)]
        else:
            points["label"] = [str(n) if pd.notna(n) else "" for n in points["number"]]
        return MapLayers(
            spec=spec, points=points, zones=zones, links=links,
            regions=regions_from_map(spec.actors, resolver, language),
            boundaries=self.boundaries, resources=self.resources,
            problems=[p for legend in legends for p in legend.problems],
            rows_read=sum(legend.rows_read for legend in legends),
            rows_rejected=sum(len(legend.rejected) for legend in legends))


def _period_key(spec: MapSpec) -> str:
    """A map's period as its years, ``"2013"`` or ``"2016-2019"`` (the report's without one)."""
    first, last = period_years(spec.period) or (2013, 2013)
    return str(first) if first == last else f"{first}-{last}"


def _concat(frames: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    frames = [f for f in frames if len(f)] or frames[:1]
    joined = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(joined, geometry="geometry", crs="EPSG:4326")


def with_shipped_maps(catalogue: Catalogue, resources: Resources) -> Catalogue:
    """The shipped maps, then ``catalogue``'s (a workspace's with ``shipped_maps = true``).

    A map id both use is a problem of ``catalogue`` naming the two files.
    """
    shipped = read_catalogue(shipped_legends(), vocabulary=resources.vocabulary)
    problems = list(shipped.problems) + list(catalogue.problems)
    for map_id in catalogue.maps:
        if map_id in shipped.maps:
            problems.append(Problem(
                str(catalogue.path), None, "id", map_id,
                f"an id the shipped catalogue ({shipped.path}) does not use",
                suggestion="give the workspace's map another id, or set shipped_maps = false",
                code="duplicate-map"))
    maps = {**shipped.maps, **{k: v for k, v in catalogue.maps.items() if k not in shipped.maps}}
    return Catalogue(catalogue.path, maps, problems)


def load_atlas(legends: str | Path | None = None, *, boundary_file: str | Path | None = None,
               boundaries: Boundaries | None = None,
               boundary_options: BoundaryOptions | None = None,
               geodata: str | Path | None = None,
               workspace: str | Path | Workspace | None = None) -> Atlas:
    """Open the catalogue and the geography; read nothing heavy until a map is asked for.

    Parameters
    ----------
    legends
        A ``catalogue.toml`` or a folder with one (the shipped legends by default). The
        vocabulary, words, colours and inventory files the folder holds replace the shipped
        ones (see :class:`speerpunt_map.Resources`).
    boundary_file
        A municipality boundary file (see :func:`speerpunt_map.load_boundaries`); without one,
        the built-in boundaries are used.
    boundaries
        Already loaded boundaries, to share them between atlases.
    boundary_options
        Further options for the boundaries (layer, columns, CRS, vintage);
        ``boundary_file`` overrides their ``path``.
    geodata
        A geodata folder of one's own (the shipped one by default).
    workspace
        A workspace folder (see :mod:`speerpunt_map.workspace`): its catalogue is read (unless
        ``legends`` names another), and its places, zones, actors, sectors, words and colours
        are added to the shipped ones. Its config file's ``[boundaries]`` apply unless
        ``boundary_options`` is given.

    Returns
    -------
    Atlas

    Raises
    ------
    LegendError
        When the catalogue itself has problems.

    Examples
    --------
    >>> atlas = load_atlas()                               # doctest: +SKIP
    >>> atlas.map("antwerpen/logistiek").points[["number", "name"]]  # doctest: +SKIP
    """
    own = Workspace.open(workspace) if isinstance(workspace, (str, Path)) else workspace
    if boundary_options is None and own is not None:
        boundary_options = BoundaryOptions.from_config(own.config)
    options = (boundary_options or BoundaryOptions()).replace(path=boundary_file)
    if legends is None and own is not None:
        legends = own.catalogue
    resources = Resources.load(legends, geodata, boundary_options=options, workspace=own)
    catalogue = read_catalogue(legends, vocabulary=resources.vocabulary)
    if own is not None and own.shipped_maps and legends == own.catalogue:
        catalogue = with_shipped_maps(catalogue, resources)
    if any(p.severity == "error" for p in catalogue.problems):
        raise LegendError(catalogue.problems)
    return Atlas(catalogue, resources, boundaries)
