"""Analysis across the maps of an atlas: who chose which sector, and every link in one frame.

Every result is a DataFrame or GeoDataFrame with ids as keys (``region``, ``sector``,
``map_id``, ``from_id``) and labels as display columns (``region_name``, ``sector_label``):

- :func:`sector_matrix`: region × sector in long form, one row per cell and *basis* — the
  report's inventory (``legends/inventory.csv``, Tables 5–9), the catalogue (the actors each
  map lists as having chosen its sector) or the drawn rows (the source actors of the points,
  zones and links of the sector's maps); :func:`matrix_table` shows it as a grid;
- :func:`atlas_links`: every link of every map, with the region each end lies in and the
  actor each link is credited to (``actor_basis`` says why);
- :func:`combine_atlases`: one atlas over several catalogues (the report's maps and the
  vision maps of ``legends/visions/``), so that periods can be compared;
- :func:`write_selection`: any of these, or a selection of them, to GeoPackage, CSV or XLSX.

Two regions are compared with :func:`speerpunt_map.comparison.compare_regions`; the links as
a graph are in :mod:`speerpunt_map.network`.

Periods: a map's period is its catalogue entry's ``period`` (``MapSpec.period``); an entry
without one is the report's, ``"2013"``. The inventory is the report's too. Periods are
matched by their years, so ``period=2013`` selects ``"2013"`` and ``"c. 2013"``, and
``period=2019`` selects ``"2016-2019"``.

>>> atlas = load_atlas()                                             # doctest: +SKIP
>>> sector_matrix(atlas, region="resoc-kempen", basis="inventory")    # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._drawn import (
    REPORT_PERIOD,
    drawn_frame,
    locate_ends,
    map_period,
    per_atlas,
    period_matches,
    period_year,
    region_name,
    resolve_actors,
    resolve_provinces,
    resolve_sectors,
)
from ._selection import write_selection
from ._types import Basis, Kind, Language, SectorLevel
from .atlas import Atlas
from .catalogue import Catalogue

__all__ = ["BASES", "REPORT_PERIOD", "atlas_links", "combine_atlases", "map_period",
           "matrix_table", "period_matches", "period_year", "sector_matrix", "write_selection"]

#: The bases of :func:`sector_matrix`, in the order it lists them.
BASES: tuple[Basis, ...] = ("inventory", "catalogue", "drawn")
_MATRIX_COLUMNS = ["region", "region_name", "region_kind", "province", "province_name", "sector",
                   "sector_label", "basis", "period", "maps", "points", "zones", "links",
                   "recent", "as_printed", "source"]
_KINDS: tuple[tuple[Kind, str], ...] = (("point", "points"), ("zone", "zones"), ("link", "links"))


def combine_atlases(first: Atlas, *others: Atlas) -> Atlas:
    """One atlas over the maps of several catalogues.

    The maps keep their catalogue entries (and so their periods); they are drawn with the
    first atlas's resources and boundaries, which is why every atlas must read the same
    vocabulary, geodata and boundary options.

    Parameters
    ----------
    first
        The atlas whose resources and boundaries are used (e.g. ``load_atlas()``).
    *others
        Atlases of further catalogues (e.g. ``load_atlas("legends/visions")``).

    Returns
    -------
    Atlas
        Its catalogue lists the maps of ``first`` and then those of each other atlas; its
        ``catalogue.path`` is the first one's.

    Raises
    ------
    ValueError
        When two atlases hold a map of the same id, or read other vocabulary, geodata or
        boundary options.

    Examples
    --------
    >>> both = combine_atlases(load_atlas(), load_atlas("legends/visions"))  # doctest: +SKIP
    >>> sorted({map_period(spec) for spec in both.maps.values()})          # doctest: +SKIP
    ['2013', '2019', 'c. 2013', 'c. 2016']
    """
    maps = dict(first.maps)
    problems = list(first.catalogue.problems)
    for other in others:
        mine, theirs = first.resources, other.resources
        if (mine.files, mine.geodata, mine.boundary_options) != \
                (theirs.files, theirs.geodata, theirs.boundary_options):
            raise ValueError(f"{other.catalogue.path} was read with other resources than "
                             f"{first.catalogue.path}: load both with the same vocabulary, "
                             "geodata and boundary options")
        twice = sorted(set(maps) & set(other.maps))
        if twice:
            raise ValueError(f"map id(s) {twice} are in both {first.catalogue.path} and "
                             f"{other.catalogue.path}")
        maps.update(other.maps)
        problems += other.catalogue.problems
    return Atlas(Catalogue(first.catalogue.path, maps, problems), first.resources,
                 first.boundaries)


def _cells(atlas: Atlas, bases: set[Basis]) -> pd.DataFrame:
    """One record per (region, sector, basis, period) source statement, before grouping."""
    records: list[dict[str, object]] = []
    if "inventory" in bases:
        for row in atlas.resources.inventory().itertuples(index=False):
            records.append({"region": row.region, "sector": row.sector, "basis": "inventory",
                            "period": REPORT_PERIOD, "maps": (), "recent": row.recent,
                            "as_printed": row.sector_as_printed, "source": row.source})
    if "catalogue" in bases:
        for spec in atlas.maps.values():
            for actor in spec.actors:
                records.append({"region": actor.id, "sector": spec.sector.id,
                                "basis": "catalogue", "period": map_period(spec),
                                "maps": (spec.id,), "as_printed": spec.sector_as_printed,
                                "source": spec.source})
    if "drawn" in bases:
        for kind, column in _KINDS:
            frame = drawn_frame(atlas, kind)
            for row in frame.itertuples(index=False):
                for actor in row.credited:
                    records.append({"region": actor, "sector": row.sector, "basis": "drawn",
                                    "period": row.period, "maps": (row.map_id,), column: 1})
    return pd.DataFrame(records, columns=["region", "sector", "basis", "period", "maps",
                                          "points", "zones", "links", "recent", "as_printed",
                                          "source"])


def _joined(values: Iterable[object], separator: str) -> str:
    seen = [str(v) for v in dict.fromkeys(values) if isinstance(v, str) and v]
    return separator.join(seen)


def sector_matrix(atlas: Atlas, *, basis: Basis | Iterable[Basis] | None = None,
                  province: str | Iterable[str] | None = None,
                  region: str | Iterable[str] | None = None,
                  sector: str | Iterable[str] | None = None,
                  period: str | int | None = None, by: SectorLevel = "sector",
                  language: Language = "nl") -> pd.DataFrame:
    """Which region chose which sector, on what basis: one row per cell and basis.

    Parameters
    ----------
    atlas
        The maps (for ``catalogue`` and ``drawn``) and the inventory
        (``atlas.resources.inventory()``).
    basis
        ``"inventory"`` (the report's Tables 5–9, ``legends/inventory.csv``), ``"catalogue"``
        (an actor that a map lists as having chosen its sector), ``"drawn"`` (an actor that
        is the source actor of a drawn point, zone or link of a map of that sector; a link
        that names no source counts for the map's first actor, where it is drawn from), or
        several; all three by default.
    province
        Keep the regions of these provinces (``"prov-limburg"``, ``"limburg"``).
    region
        Keep these actors (ids, names or aliases: ``"resoc-kempen"``, ``"RESOC Kempen"``).
    sector
        Keep these sectors (ids, labels or synonyms); with ``by="group"``, their groups.
    period
        Keep the periods that share a year with this one (``2013``, ``"2019"``); all by
        default.
    by
        ``"sector"`` (each sector id) or ``"group"`` (the overview groups of
        ``sectors.csv``: chemistry, life sciences and lifetech are one).
    language
        The language of ``region_name``, ``province_name`` and ``sector_label``.

    Returns
    -------
    pandas.DataFrame
        Columns ``region``, ``region_name``, ``region_kind`` (province, resoc, plan),
        ``province``, ``province_name``, ``sector``, ``sector_label``, ``basis``, ``period``,
        ``maps`` (a tuple of map ids), ``points``, ``zones``, ``links`` (rows drawn; only for
        ``drawn``), ``recent`` (the inventory's ``yes``/``unknown``), ``as_printed`` and
        ``source``; sorted by province, region and sector.

    Raises
    ------
    KeyError
        For an unknown province, region or sector.

    Examples
    --------
    >>> matrix = sector_matrix(load_atlas(), region="resoc-kempen")        # doctest: +SKIP
    >>> matrix.groupby("basis")["sector"].apply(sorted)                      # doctest: +SKIP
    """
    vocabulary = atlas.vocabulary
    bases: set[Basis] = {basis} if isinstance(basis, str) else set(basis or BASES)
    unknown = {str(b) for b in bases} - set(BASES)
    if unknown:
        raise KeyError(f"no basis {sorted(unknown)}; expected some of {list(BASES)}")
    provinces = resolve_provinces(vocabulary, province)
    regions = resolve_actors(vocabulary, region)
    sectors = resolve_sectors(vocabulary, sector, group=by == "group")
    cells = _cells(atlas, bases)
    if by == "group":
        cells["sector"] = [vocabulary.sectors[s].overview for s in cells["sector"]]
    keep = np.ones(len(cells), dtype=bool)
    if provinces is not None:
        keep &= np.array([vocabulary.actors[r].province in provinces for r in cells["region"]],
                         dtype=bool)
    if regions is not None:
        keep &= cells["region"].isin(regions).to_numpy()
    if sectors is not None:
        keep &= cells["sector"].isin(sectors).to_numpy()
    if period is not None:
        keep &= np.array([period_matches(p, period) for p in cells["period"]], dtype=bool)
    cells = cells[keep]
    grouped = cells.groupby(["region", "sector", "basis", "period"], sort=False).agg(
        maps=("maps", lambda m: tuple(sorted({i for t in m for i in t}))),
        points=("points", "sum"), zones=("zones", "sum"), links=("links", "sum"),
        recent=("recent", lambda r: "yes" if "yes" in set(r) else _joined(r, "|")),
        as_printed=("as_printed", lambda t: _joined(t, " / ")),
        source=("source", lambda t: _joined(t, "; "))).reset_index()
    for column in ("points", "zones", "links"):
        grouped[column] = grouped[column].astype("Int64").where(grouped["basis"] == "drawn")
    actors = vocabulary.actors
    grouped["region_name"] = [actors[r].name(language) for r in grouped["region"]]
    grouped["region_kind"] = [actors[r].kind for r in grouped["region"]]
    grouped["province"] = [actors[r].province for r in grouped["region"]]
    grouped["province_name"] = [region_name(p, vocabulary, language) for p in grouped["province"]]
    grouped["sector_label"] = [vocabulary.sectors[s].label(language) for s in grouped["sector"]]
    # Provinces in id order, the province first, then its RESOCs and plans by name.
    order = grouped.assign(_second=grouped["region_kind"] != "province",
                           _basis=grouped["basis"].map({b: n for n, b in enumerate(BASES)}))
    order = order.sort_values(["province", "_second", "region_name", "sector_label", "_basis"],
                              kind="stable")
    grouped = grouped.loc[order.index]
    return grouped.reindex(columns=_MATRIX_COLUMNS).reset_index(drop=True)


def matrix_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """A :func:`sector_matrix` as a grid: regions (rows) × sectors (columns).

    A cell holds the initials of its bases — ``I`` inventory, ``C`` catalogue, ``D`` drawn —
    and is empty where no basis says the region chose the sector. Where the matrix holds
    several periods, each row is a region in one period (``"RESOC Westhoek (c. 2016)"``).

    Parameters
    ----------
    matrix
        From :func:`sector_matrix` (its labels are the grid's labels).

    Returns
    -------
    pandas.DataFrame
        Indexed by region name, in the matrix's order; one column per sector label.

    Examples
    --------
    >>> matrix_table(sector_matrix(load_atlas(), province="limburg"))      # doctest: +SKIP
    """
    several = matrix["period"].nunique() > 1
    rows = [f"{name} ({period})" if several else str(name)
            for name, period in zip(matrix["region_name"], matrix["period"], strict=True)]
    initials = {"inventory": "I", "catalogue": "C", "drawn": "D"}
    frame = pd.DataFrame({"row": rows, "column": matrix["sector_label"],
                          "mark": [initials[b] for b in matrix["basis"]]})
    grid = frame.pivot_table(index="row", columns="column", values="mark",
                             aggfunc=lambda m: "".join(sorted(set(m), key="ICD".index)),
                             fill_value="", sort=False)
    grid = grid.reindex(index=list(dict.fromkeys(rows)),
                        columns=sorted(grid.columns, key=str.casefold)).fillna("")
    grid.index.name, grid.columns.name = "region", "sector"
    return grid


def atlas_links(atlas: Atlas, *, province: str | Iterable[str] | None = None,
                region: str | Iterable[str] | None = None,
                sector: str | Iterable[str] | None = None, period: str | int | None = None,
                language: Language = "nl") -> gpd.GeoDataFrame:
    """Every link of every map of the atlas in one GeoDataFrame (EPSG:4326).

    Each link has one ``actor``: the first of its source actors that chose the map's sector
    (the actor whose colour it is drawn in); a link whose row names no source and no start
    is credited to the map's first actor, from whose region the legend's convention draws it
    (``legends/README.md``, ``link_from``); any other link without a source has no actor.
    ``actor_basis`` says which case a row is.

    Parameters
    ----------
    atlas
        The maps.
    province, region
        Keep the links credited to actors of these provinces, or to these actors.
    sector
        Keep the links of maps of these sectors (ids, labels or synonyms).
    period
        Keep the links of maps of periods that share a year with this one.
    language
        The language of the names of actors, regions and sectors.

    Returns
    -------
    geopandas.GeoDataFrame
        ``map_id``, ``row``, ``name``, ``sector``, ``sector_label``, ``period``,
        ``link_type``, ``actor``, ``actor_name``, ``actor_basis``, ``source_actors`` (the
        row's actor ids, a tuple), ``years``; per end (``from_``, ``to_``): ``id``, ``name``,
        ``kind``, ``region`` (the RESOC it lies in, else its province; the actor's region for
        an end that is one; the country code abroad), ``region_name``, ``province``,
        ``country``, ``in_flanders``; ``leaves_flanders`` (one end in Flanders, the other
        not), ``length_km`` (EPSG:31370) and the line.

    Raises
    ------
    KeyError
        For an unknown province, region or sector.

    Examples
    --------
    >>> links = atlas_links(load_atlas())                                 # doctest: +SKIP
    >>> links.loc[links["leaves_flanders"], ["name", "to_name", "to_country"]]  # doctest: +SKIP
    """
    vocabulary = atlas.vocabulary
    provinces = resolve_provinces(vocabulary, province)
    regions = resolve_actors(vocabulary, region)
    sectors = resolve_sectors(vocabulary, sector)
    links = per_atlas(atlas, f"links:{language}", lambda: _all_links(atlas, language))
    keep = np.ones(len(links), dtype=bool)
    if provinces is not None:
        keep &= np.array([a in vocabulary.actors and vocabulary.actors[a].province in provinces
                          for a in links["actor"]], dtype=bool)
    if regions is not None:
        keep &= links["actor"].isin(regions).to_numpy()
    if sectors is not None:
        keep &= links["sector"].isin(sectors).to_numpy()
    if period is not None:
        keep &= np.array([period_matches(p, period) for p in links["period"]], dtype=bool)
    return links[keep].reset_index(drop=True)


def _all_links(atlas: Atlas, language: Language) -> gpd.GeoDataFrame:
    """Every link of the atlas with its actor and the regions of its ends (see atlas_links)."""
    vocabulary = atlas.vocabulary
    frame = drawn_frame(atlas, "link")
    starts = [shapely.Point(line.coords[0]) for line in frame.geometry]
    ends = [shapely.Point(line.coords[-1]) for line in frame.geometry]
    located = locate_ends(atlas, [*zip(frame["from_id"], frame["from_kind"], starts,
                                       strict=True),
                                  *zip(frame["to_id"], frame["to_kind"], ends, strict=True)])
    result = pd.DataFrame({
        "map_id": frame["map_id"], "row": frame["row"], "name": frame["name"],
        "sector": frame["sector"],
        "sector_label": [vocabulary.sectors[s].label(language) for s in frame["sector"]],
        "period": frame["period"], "link_type": frame["link_type"], "actor": frame["actor"],
        "actor_name": [region_name(a, vocabulary, language) if a else "" for a in frame["actor"]],
        "actor_basis": frame["actor_basis"], "source_actors": frame["actor_ids"],
        "years": frame["years"]})
    for end in ("from", "to"):
        where = located.loc[frame[f"{end}_id"]].reset_index(drop=True)
        result[f"{end}_id"] = frame[f"{end}_id"]
        result[f"{end}_name"] = frame[f"{end}_name"]
        result[f"{end}_kind"] = frame[f"{end}_kind"]
        result[f"{end}_region"] = where["region"]
        result[f"{end}_region_name"] = [region_name(r, vocabulary, language)
                                        for r in where["region"]]
        result[f"{end}_province"] = where["province"]
        result[f"{end}_country"] = where["country"]
        result[f"{end}_in_flanders"] = where["in_flanders"].astype(bool)
    result["leaves_flanders"] = result["from_in_flanders"] != result["to_in_flanders"]
    result["length_km"] = frame["length_km"]
    return gpd.GeoDataFrame(result, geometry=frame.geometry.values, crs="EPSG:4326")
