"""Two regions side by side, or one region in two periods: :func:`compare_regions`.

A side is an actor (``"resoc-kempen"``, ``"RESOC Kempen"``: that actor alone) or a province
scope (``"limburg"``: every actor of the province — the province, its RESOC and plans such
as SALK), optionally in one period (``"resoc-zuidwest@2019"``, matched by year; see
:mod:`speerpunt_map.analysis`). The result, a :class:`Comparison`, holds:

- the sectors the two have in common and those only one has, per basis of
  :func:`~speerpunt_map.analysis.sector_matrix` and for any basis;
- the points, zones and links each side draws per sector;
- where their zones of a common sector overlap, in km² computed in Lambert 72 (EPSG:31370)
  with :func:`geopandas.overlay`;
- the links between the two (one end in each side's region, whoever drew them).

>>> comparison = compare_regions(load_atlas(), "resoc-kempen", "limburg")  # doctest: +SKIP
>>> comparison.shared("inventory")                                         # doctest: +SKIP
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd
import shapely

from ._drawn import drawn_frame, period_matches, period_range, resolve_sectors
from ._types import Kind, Language, SectorLevel
from .analysis import BASES, atlas_links, sector_matrix, write_selection
from .atlas import Atlas
from .boundaries import METRIC_CRS

__all__ = ["Comparison", "Side", "compare_regions", "resolve_side"]

#: The bases a comparison lists: those of the sector matrix, and any of them.
ComparisonBasis = Literal["inventory", "catalogue", "drawn", "any"]
_KINDS: tuple[tuple[Kind, str], ...] = (("point", "points"), ("zone", "zones"), ("link", "links"))


@dataclass(frozen=True)
class Side:
    """One side of a comparison.

    Attributes
    ----------
    key
        As asked: ``"resoc-kempen"``, ``"limburg"``, ``"resoc-zuidwest@2019"``.
    actors
        The actor ids the side stands for.
    region
        The area the side's region is (an actor's region id: ``resoc-kempen``,
        ``prov-limburg``).
    period
        The period asked for (the maps of periods that share a year with it), or ``None``
        for every period.
    name
        The side's name, for display.
    """

    key: str
    actors: tuple[str, ...]
    region: str
    period: str | None
    name: str


def resolve_side(atlas: Atlas, value: str, language: Language = "nl") -> Side:
    """A :class:`Side` for an actor or province scope, with an optional ``@period``.

    Raises
    ------
    KeyError
        When the name is neither an actor nor a province scope.
    ValueError
        When the period names no year.
    """
    vocabulary = atlas.vocabulary
    name, _, period = value.partition("@")
    if period:
        period_range(period)  # raises for a period without a year
    actor = vocabulary.actor(name)
    scope = vocabulary.scopes.get(name)
    when = f" ({period})" if period else ""
    if actor is not None:
        return Side(value, (actor.id,), actor.region, period or None, actor.name(language) + when)
    if scope is not None and scope.region.startswith("prov-"):
        found = [a for a in vocabulary.actors.values() if a.province == scope.region]
        names = ", ".join(a.name(language) for a in found)
        return Side(value, tuple(a.id for a in found), scope.region, period or None,
                    names + when)
    provinces = ", ".join(s for s, v in vocabulary.scopes.items() if v.region.startswith("prov-"))
    raise KeyError(f"{name!r} is neither an actor of actors.csv nor a province scope "
                   f"({provinces}); did you mean "
                   f"{', '.join(vocabulary.suggest_actor(name)) or '…'}?")


@dataclass
class Comparison:
    """What two sides have in common and what only one has.

    Attributes
    ----------
    a, b
        The two sides.
    sectors
        One row per basis (``inventory``, ``catalogue``, ``drawn``, ``any``) and sector either
        side has: ``basis``, ``sector``, ``sector_label``, ``in_a``, ``in_b``, ``status``
        (``both``, ``a``, ``b``).
    counts
        Per sector either side draws rows of: ``points_a``, ``zones_a``, ``links_a``,
        ``points_b``, ``zones_b``, ``links_b``.
    overlap
        Per sector both sides draw zones of: ``zones_a_km2``, ``zones_b_km2`` (the area each
        side's zones cover) and ``overlap_km2`` (where they overlap), EPSG:31370.
    zones
        Both sides' zones (``side`` is ``a`` or ``b``), EPSG:4326.
    overlaps
        The pieces where a zone of a meets a zone of b of the same sector, with both zones'
        names and ``area_km2``, EPSG:4326.
    links
        The links with one end in each side's region (see
        :func:`~speerpunt_map.analysis.atlas_links`); empty when both sides are one region.
    overlap_km2
        The ground covered by zones of both sides of a common sector (each km² once).
    overlap_any_km2
        The ground covered by zones of both sides, whatever their sectors: for two periods,
        how much of the ground the later documents name the earlier ones named too.
    """

    a: Side
    b: Side
    sectors: pd.DataFrame
    counts: pd.DataFrame
    overlap: pd.DataFrame
    zones: gpd.GeoDataFrame
    overlaps: gpd.GeoDataFrame
    links: gpd.GeoDataFrame
    overlap_km2: float
    overlap_any_km2: float

    def _status(self, basis: ComparisonBasis, status: str) -> list[str]:
        rows = self.sectors[(self.sectors["basis"] == basis) & (self.sectors["status"] == status)]
        return rows["sector"].tolist()

    def shared(self, basis: ComparisonBasis = "any") -> list[str]:
        """The sector ids both sides have on ``basis``."""
        return self._status(basis, "both")

    def only_a(self, basis: ComparisonBasis = "any") -> list[str]:
        """The sector ids only side a has on ``basis`` (for two periods: dropped)."""
        return self._status(basis, "a")

    def only_b(self, basis: ComparisonBasis = "any") -> list[str]:
        """The sector ids only side b has on ``basis`` (for two periods: new)."""
        return self._status(basis, "b")

    def summary(self) -> pd.DataFrame:
        """Per basis: how many sectors both sides, only a and only b have."""
        table = pd.crosstab(self.sectors["basis"], self.sectors["status"])
        table = table.reindex(index=[*BASES, "any"], columns=["both", "a", "b"], fill_value=0)
        table.columns = ["both", f"only {self.a.name}", f"only {self.b.name}"]
        return table

    def table(self) -> pd.DataFrame:
        """:attr:`sectors` with the counts and the overlap of each sector, for a spreadsheet."""
        table = self.sectors.merge(self.counts.drop(columns="sector_label"), on="sector",
                                   how="left")
        table = table.merge(self.overlap.drop(columns="sector_label"), on="sector", how="left")
        counted = [c for c in self.counts.columns if c not in ("sector", "sector_label")]
        return table.astype({c: "Int64" for c in counted}).assign(a=self.a.key, b=self.b.key)

    def to_gpkg(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Write the tables and the layers (``zones``, ``overlaps``, ``links``) to a
        GeoPackage."""
        return write_selection({"sectors": self.table(), "zones": self.zones,
                                "overlaps": self.overlaps, "links": self.links}, path,
                               overwrite=overwrite)

    def to_csv(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Write :meth:`table` to a CSV a spreadsheet opens safely (formulas neutralised)."""
        return write_selection(self.table(), path, overwrite=overwrite)

    def to_xlsx(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Write :meth:`table` to an Excel workbook (text never a formula)."""
        return write_selection({"comparison": self.table()}, path, overwrite=overwrite)

    def _lines(self) -> list[str]:
        shared = ", ".join(self.shared("any")) or "none"
        return [f"Comparison of {self.a.name} [{self.a.key}] and {self.b.name} [{self.b.key}]",
                f"sectors in common (any basis): {shared}",
                f"zone overlap: {self.overlap_km2:.1f} km² over {len(self.overlap)} sector(s) "
                f"both draw zones of ({self.overlap_any_km2:.1f} km² whatever the sector)",
                f"links between them: {len(self.links)}"
                + (" (one region: none)" if self.a.region == self.b.region else "")]

    def __repr__(self) -> str:
        lines = self._lines()
        return "\n".join([lines[0], self.summary().to_string(), *lines[1:]])

    def _repr_html_(self) -> str:
        first, *rest = self._lines()
        parts = [f"<h4>{html.escape(first)}</h4>", self.summary().to_html(),
                 "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in rest) + "</ul>"]
        if len(self.counts):
            parts.append(self.counts.to_html(index=False))
        return "\n".join(parts)


def _side_rows(atlas: Atlas, side: Side, kind: Kind,
               sectors: set[str] | None, column: str) -> gpd.GeoDataFrame:
    """The drawn rows of one kind credited to the side, in its period, keyed by ``column``."""
    frame = drawn_frame(atlas, kind)
    wanted = set(side.actors)
    keep = [bool(wanted & set(credited)) for credited in frame["credited"]]
    frame = frame[keep]
    if side.period is not None:
        period = side.period
        frame = frame[[period_matches(p, period) for p in frame["period"]]]
    if sectors is not None:
        frame = frame[frame[column].isin(sectors)]
    return frame.assign(key=frame[column])


def _area_km2(geometries: gpd.GeoSeries) -> float:
    return float(shapely.union_all(geometries.tolist()).area / 1e6) if len(geometries) else 0.0


def compare_regions(atlas: Atlas, a: str, b: str, *, sector: str | list[str] | None = None,
                    by: SectorLevel = "sector", language: Language = "nl") -> Comparison:
    """Compare two regions, or one region in two periods.

    Parameters
    ----------
    atlas
        The maps (for two periods: an atlas over both, see
        :func:`~speerpunt_map.analysis.combine_atlases`).
    a, b
        An actor id or name (``"resoc-kempen"``) or a province scope (``"limburg"``: every
        actor of the province), each optionally with ``@period`` (``"resoc-zuidwest@2013"``).
    sector
        Compare only these sectors (ids, labels or synonyms).
    by
        ``"sector"`` or ``"group"`` (overview groups: chemistry and life sciences are one).
    language
        The language of the labels.

    Returns
    -------
    Comparison

    Raises
    ------
    KeyError
        For an unknown actor, scope or sector.

    Examples
    --------
    >>> c = compare_regions(load_atlas(), "resoc-kempen", "limburg", sector="cleantech")
    ... # doctest: +SKIP
    >>> c.shared("inventory"), c.overlap_km2, len(c.links)               # doctest: +SKIP
    """
    sides = resolve_side(atlas, a, language), resolve_side(atlas, b, language)
    sectors = resolve_sectors(atlas.vocabulary, sector, group=by == "group")
    column = "sector_group" if by == "group" else "sector"
    sets: dict[str, list[set[str]]] = {basis: [] for basis in (*BASES, "any")}
    labels: dict[str, str] = {}
    for side in sides:
        matrix = sector_matrix(atlas, region=side.actors, period=side.period, by=by,
                               language=language)
        if sectors is not None:
            matrix = matrix[matrix["sector"].isin(sectors)]
        labels.update(zip(matrix["sector"], matrix["sector_label"], strict=True))
        for basis in BASES:
            sets[basis].append(set(matrix.loc[matrix["basis"] == basis, "sector"]))
        sets["any"].append(set(matrix["sector"]))
    records = []
    for which, (in_a, in_b) in sets.items():
        for key in sorted(in_a | in_b, key=lambda s: labels[s].casefold()):
            status = "both" if key in in_a and key in in_b else ("a" if key in in_a else "b")
            records.append({"basis": which, "sector": key, "sector_label": labels[key],
                            "in_a": key in in_a, "in_b": key in in_b, "status": status})
    table = pd.DataFrame(records, columns=["basis", "sector", "sector_label", "in_a", "in_b",
                                           "status"])
    # What each side draws, per sector.
    rows = {(s, kind): _side_rows(atlas, side, kind, sectors, column)
            for s, side in zip("ab", sides, strict=True) for kind, _ in _KINDS}
    keys = sorted({k for frame in rows.values() for k in frame["key"]},
                  key=lambda s: atlas.vocabulary.sectors[s].label(language).casefold())
    counts = pd.DataFrame({"sector": keys, "sector_label": [
        atlas.vocabulary.sectors[k].label(language) for k in keys]})
    for s in "ab":
        for kind, plural in _KINDS:
            tally = rows[s, kind]["key"].value_counts()
            counts[f"{plural}_{s}"] = [int(tally.get(k, 0)) for k in keys]
    # Zones: where a's and b's zones of one sector overlap, measured in Lambert 72.
    columns = ["side", "map_id", "row", "name", "sector", "period", "geometry"]
    zones = pd.concat([rows[s, "zone"].assign(side=s, sector=rows[s, "zone"]["key"])[columns]
                       for s in "ab"], ignore_index=True)
    zones = gpd.GeoDataFrame(zones, geometry="geometry", crs="EPSG:4326")
    metric = zones.to_crs(METRIC_CRS)
    pieces, overlap = [], []
    for key in keys:
        za = metric[(metric["side"] == "a") & (metric["sector"] == key)]
        zb = metric[(metric["side"] == "b") & (metric["sector"] == key)]
        if not len(za) or not len(zb):
            continue
        cut = gpd.overlay(za[["name", "map_id", "geometry"]], zb[["name", "map_id", "geometry"]],
                          how="intersection", keep_geom_type=True)
        cut = cut.rename(columns={"name_1": "zone_a", "name_2": "zone_b", "map_id_1": "map_a",
                                  "map_id_2": "map_b"}).assign(sector=key)
        cut["area_km2"] = (cut.area / 1e6).round(3)
        pieces.append(cut)
        overlap.append({"sector": key, "sector_label": atlas.vocabulary.sectors[key].label(
            language), "zones_a_km2": round(_area_km2(za.geometry), 3),
            "zones_b_km2": round(_area_km2(zb.geometry), 3),
            "overlap_km2": round(_area_km2(cut.geometry), 3)})
    piece_columns = ["sector", "zone_a", "map_a", "zone_b", "map_b", "area_km2", "geometry"]
    overlaps = (gpd.GeoDataFrame(pd.concat(pieces, ignore_index=True), geometry="geometry",
                                 crs=METRIC_CRS) if pieces else
                gpd.GeoDataFrame(columns=piece_columns, geometry="geometry", crs=METRIC_CRS))
    overlaps = overlaps[piece_columns].to_crs("EPSG:4326")
    total = _area_km2(gpd.GeoSeries(overlaps.geometry, crs="EPSG:4326").to_crs(METRIC_CRS))
    ground_a, ground_b = (shapely.union_all(metric.loc[metric["side"] == s, "geometry"].tolist())
                          for s in "ab")
    anywhere = shapely.intersection(ground_a, ground_b).area / 1e6 if len(metric) else 0.0
    overlap_table = pd.DataFrame(overlap, columns=["sector", "sector_label", "zones_a_km2",
                                                   "zones_b_km2", "overlap_km2"])
    return Comparison(a=sides[0], b=sides[1], sectors=table, counts=counts,
                      overlap=overlap_table, zones=zones, overlaps=overlaps,
                      links=_links_between(atlas, sides, sectors, by, language),
                      overlap_km2=round(total, 3), overlap_any_km2=round(float(anywhere), 3))


def _in_region(frame: pd.DataFrame, end: str, region: str) -> pd.Series:
    """Whether a link end lies in ``region`` (a RESOC, or a province and its RESOCs)."""
    return (frame[f"{end}_region"] == region) | (frame[f"{end}_province"] == region)


def _links_between(atlas: Atlas, sides: tuple[Side, Side], sectors: set[str] | None,
                   by: SectorLevel, language: Language) -> gpd.GeoDataFrame:
    """The links with one end in each side's region, in the sides' periods."""
    links = atlas_links(atlas, language=language)
    if sides[0].region == sides[1].region:
        return links.iloc[0:0]
    if all(side.period is not None for side in sides):
        links = links[[any(period_matches(p, str(side.period)) for side in sides)
                       for p in links["period"]]]
    if sectors is not None:
        groups = [atlas.vocabulary.sectors[s].overview if by == "group" else s
                  for s in links["sector"]]
        links = links[[g in sectors for g in groups]]
    a, b = sides[0].region, sides[1].region
    between = (_in_region(links, "from", a) & _in_region(links, "to", b)) | \
        (_in_region(links, "from", b) & _in_region(links, "to", a))
    return links[between].reset_index(drop=True)
