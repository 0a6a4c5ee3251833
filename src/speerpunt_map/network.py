"""The links of an atlas as a network: places as nodes, links as edges (networkx).

:func:`link_graph` builds a :class:`networkx.MultiDiGraph` from
:func:`~speerpunt_map.analysis.atlas_links`: a node per link end (a place, municipality,
custom zone or actor's region, keyed by its id, with the region and country it lies in), an
edge per link (keyed ``<map id>:<row>``, with its map, sector, type and actor). The measures a
policy analyst asks for read the graph:

- :func:`degree_by_region`: how many links start and end in each region;
- :func:`leaving_flanders`: the links with one end outside Flanders, and where they go;
- :func:`strongest_pairs`: the places (or regions) most links join.

>>> graph = link_graph(load_atlas())                    # doctest: +SKIP
>>> leaving_flanders(graph)["destination_country"].value_counts()  # doctest: +SKIP
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import networkx as nx  # type: ignore[import-untyped]  # no stubs in the dev extra
import pandas as pd

from ._types import Language, NodeLevel
from .analysis import atlas_links
from .atlas import Atlas

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .boundaries import Boundaries

__all__ = ["degree_by_region", "graph_from_links", "leaving_flanders", "link_graph",
           "plot_link_graph", "strongest_pairs"]

_NODE = ("name", "kind", "region", "region_name", "province", "country", "in_flanders")
_EDGE = ("map_id", "row", "name", "sector", "sector_label", "link_type", "actor", "actor_name",
         "actor_basis", "period", "length_km")


def graph_from_links(links: gpd.GeoDataFrame) -> nx.MultiDiGraph:
    """A graph of links from :func:`~speerpunt_map.analysis.atlas_links` (or a selection).

    Parameters
    ----------
    links
        The links; their ``from_*`` and ``to_*`` columns describe the nodes.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by end id with ``name``, ``kind``, ``region``, ``region_name``,
        ``province``, ``country``, ``in_flanders``, ``lon``, ``lat``; one edge per link from
        its start to its end, keyed ``<map id>:<row>``, with ``map_id``, ``row``, ``name``,
        ``sector``, ``sector_label``, ``link_type``, ``actor``, ``actor_name``,
        ``actor_basis``, ``period``, ``length_km``.

    Examples
    --------
    >>> links = atlas_links(load_atlas(), sector="cleantech")   # doctest: +SKIP
    >>> graph_from_links(links).number_of_edges() == len(links)   # doctest: +SKIP
    True
    """
    graph = nx.MultiDiGraph()
    for record in links.to_dict("records"):
        line = record["geometry"]
        for end, (lon, lat) in (("from", line.coords[0]), ("to", line.coords[-1])):
            node = record[f"{end}_id"]
            if node not in graph:
                graph.add_node(node, **{a: record[f"{end}_{a}"] for a in _NODE},
                               lon=round(lon, 6), lat=round(lat, 6))
        graph.add_edge(record["from_id"], record["to_id"],
                       key=f"{record['map_id']}:{record['row']}",
                       **{a: record[a] for a in _EDGE})
    return graph


def link_graph(atlas: Atlas, *, province: str | Iterable[str] | None = None,
               region: str | Iterable[str] | None = None,
               sector: str | Iterable[str] | None = None, period: str | int | None = None,
               language: Language = "nl") -> nx.MultiDiGraph:
    """The links of the atlas as a graph: :func:`graph_from_links` of
    :func:`~speerpunt_map.analysis.atlas_links`.

    Parameters
    ----------
    atlas
        The maps.
    province, region, sector, period
        Filters, as :func:`~speerpunt_map.analysis.atlas_links` takes them.
    language
        The language of the names.

    Returns
    -------
    networkx.MultiDiGraph

    Raises
    ------
    KeyError
        For an unknown province, region or sector.

    Examples
    --------
    >>> graph = link_graph(load_atlas())                       # doctest: +SKIP
    >>> graph.nodes["eindhoven"]["country"]                       # doctest: +SKIP
    'NL'
    """
    return graph_from_links(atlas_links(atlas, province=province, region=region, sector=sector,
                                        period=period, language=language))


def degree_by_region(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """How many links start and end in each region.

    A region is where a node lies (its ``region``: a RESOC, a province, or a country abroad).
    A link within one region counts once out of it and once into it.

    Parameters
    ----------
    graph
        From :func:`link_graph`.

    Returns
    -------
    pandas.DataFrame
        ``region``, ``region_name``, ``country``, ``in_flanders``, ``places`` (nodes),
        ``links_out``, ``links_in``, ``degree``; the busiest region first.

    Examples
    --------
    >>> degree_by_region(link_graph(load_atlas())).head()         # doctest: +SKIP
    """
    records = [{"region": data["region"], "region_name": data["region_name"],
                "country": data["country"], "in_flanders": data["in_flanders"],
                "places": 1, "links_out": graph.out_degree(node),
                "links_in": graph.in_degree(node)} for node, data in graph.nodes(data=True)]
    frame = pd.DataFrame(records, columns=["region", "region_name", "country", "in_flanders",
                                           "places", "links_out", "links_in"])
    table = frame.groupby(["region", "region_name", "country", "in_flanders"],
                          as_index=False)[["places", "links_out", "links_in"]].sum()
    table["degree"] = table["links_out"] + table["links_in"]
    return table.sort_values(["degree", "region"], ascending=[False, True],
                             ignore_index=True)


def leaving_flanders(graph: nx.MultiDiGraph) -> pd.DataFrame:
    """The links with one end in Flanders and the other outside it, and where they go.

    Parameters
    ----------
    graph
        From :func:`link_graph`.

    Returns
    -------
    pandas.DataFrame
        One row per link: ``map_id``, ``row``, ``name``, ``sector``, ``link_type``,
        ``actor``, ``flemish_end`` and ``flemish_region`` (the end in Flanders),
        ``destination``, ``destination_name``, ``destination_region``,
        ``destination_region_name`` and ``destination_country`` (the end outside Flanders:
        Brussels and Wallonia are ``BE``), ``length_km``; sorted by destination.

    Examples
    --------
    >>> abroad = leaving_flanders(link_graph(load_atlas()))      # doctest: +SKIP
    >>> abroad.groupby("destination_country").size()               # doctest: +SKIP
    """
    nodes = graph.nodes
    records = []
    for start, end, data in graph.edges(data=True):
        if nodes[start]["in_flanders"] == nodes[end]["in_flanders"]:
            continue
        home, away = (start, end) if nodes[start]["in_flanders"] else (end, start)
        records.append({
            "map_id": data["map_id"], "row": data["row"], "name": data["name"],
            "sector": data["sector"], "link_type": data["link_type"], "actor": data["actor"],
            "flemish_end": home, "flemish_region": nodes[home]["region"],
            "destination": away, "destination_name": nodes[away]["name"],
            "destination_region": nodes[away]["region"],
            "destination_region_name": nodes[away]["region_name"],
            "destination_country": nodes[away]["country"], "length_km": data["length_km"]})
    columns = ["map_id", "row", "name", "sector", "link_type", "actor", "flemish_end",
               "flemish_region", "destination", "destination_name", "destination_region",
               "destination_region_name", "destination_country", "length_km"]
    frame = pd.DataFrame(records, columns=columns)
    return frame.sort_values(["destination_country", "destination", "map_id"],
                             ignore_index=True)


def strongest_pairs(graph: nx.MultiDiGraph, *, level: NodeLevel = "place",
                    top: int | None = None) -> pd.DataFrame:
    """The pairs of places (or regions) that the most links join, in either direction.

    Parameters
    ----------
    graph
        From :func:`link_graph`.
    level
        ``"place"`` (the link ends themselves) or ``"region"`` (the regions they lie in; links
        within one region are left out).
    top
        Keep the ``top`` strongest pairs (all by default).

    Returns
    -------
    pandas.DataFrame
        ``a``, ``a_name``, ``b``, ``b_name`` (ids in alphabetical order), ``links``,
        ``maps``, ``sectors`` and ``link_types`` (tuples); the strongest first.

    Examples
    --------
    >>> strongest_pairs(link_graph(load_atlas()), level="region", top=5)  # doctest: +SKIP
    """
    nodes = graph.nodes
    key = "region" if level == "region" else None
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    names: dict[str, str] = {}
    for start, end, data in graph.edges(data=True):
        ends = []
        for node in (start, end):
            ident = str(nodes[node][key]) if key else str(node)
            names[ident] = str(nodes[node]["region_name" if key else "name"])
            ends.append(ident)
        if ends[0] != ends[1]:
            pairs[(min(ends), max(ends))].append(data)
    records = [{"a": a, "a_name": names[a], "b": b, "b_name": names[b], "links": len(edges),
                "maps": tuple(sorted({e["map_id"] for e in edges})),
                "sectors": tuple(sorted({e["sector"] for e in edges})),
                "link_types": tuple(sorted({e["link_type"] for e in edges}))}
               for (a, b), edges in pairs.items()]
    frame = pd.DataFrame(records, columns=["a", "a_name", "b", "b_name", "links", "maps",
                                           "sectors", "link_types"])
    frame = frame.sort_values(["links", "a", "b"], ascending=[False, True, True],
                              ignore_index=True)
    return frame.head(top) if top is not None else frame


def plot_link_graph(graph: nx.MultiDiGraph, *, boundaries: Boundaries | None = None,
                    ax: Axes | None = None) -> Axes:
    """Draw the graph with matplotlib: each node where it lies, each link a straight line.

    Nodes in Flanders are drawn as dots, nodes outside as squares, sized by degree, and the
    names of the nodes with three links or more are written beside them; lines are solid for
    infrastructure and dashed for organisational links. With ``boundaries``, the view is
    Flanders and some 60 km around it: a line to a farther place (Paris) leaves the frame.

    Parameters
    ----------
    graph
        From :func:`link_graph`.
    boundaries
        Draw the provinces of Flanders underneath (``atlas.boundaries``).
    ax
        The axes to draw into (a new figure by default).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> atlas = load_atlas()                                      # doctest: +SKIP
    >>> plot_link_graph(link_graph(atlas), boundaries=atlas.boundaries)  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 7))
    if boundaries is not None:
        boundaries.level("province").plot(ax=ax, facecolor="#f2f2f2", edgecolor="#999999",
                                          linewidth=0.6)
    position = {n: (d["lon"], d["lat"]) for n, d in graph.nodes(data=True)}
    for style, kind in (("-", "infrastructure"), ("--", "organisation")):
        edges = [(u, v) for u, v, t in graph.edges(data="link_type") if t == kind]
        nx.draw_networkx_edges(graph, position, edgelist=edges, ax=ax, style=style,
                               edge_color="#555555", width=0.8, arrows=False)
    for shape, inside in (("o", True), ("s", False)):
        chosen = [n for n, flag in graph.nodes(data="in_flanders") if flag is inside]
        nx.draw_networkx_nodes(graph, position, nodelist=chosen, node_shape=shape, ax=ax,
                               node_size=[20 + 12 * graph.degree(n) for n in chosen],
                               node_color="#1f78b4" if inside else "#e66101")
    for node, data in graph.nodes(data=True):
        if graph.degree(node) >= 3:
            ax.annotate(str(data["name"]), position[node], xytext=(4, 4), fontsize=7,
                        textcoords="offset points", color="#333333")
    if boundaries is not None:
        west, south, east, north = boundaries.level("province").total_bounds
        ax.set_xlim(west - 0.85, east + 0.85)
        ax.set_ylim(south - 0.55, north + 0.55)
    ax.set_xlabel("lengtegraad / longitude")
    ax.set_ylabel("breedtegraad / latitude")
    ax.set_aspect(1.6)
    return ax
