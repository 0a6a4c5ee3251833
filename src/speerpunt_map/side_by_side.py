"""Two maps side by side, synchronised, with the comparison beneath: :func:`side_by_side`.

The page is one offline file: Leaflet inlined once, the two maps as fragments of the map page
(:func:`~speerpunt_map.interactive.fragment_from_map`), a script that makes each map follow
the other (pan and zoom, both ways), and the numbers of
:func:`~speerpunt_map.comparison.compare_regions` as tables: the sectors in common and those
only one side has, per basis; per sector the points, zones and links of each side and the
overlap of their zones in km² (EPSG:31370); the links between the two. On a narrow screen the
maps are stacked.

>>> view = side_by_side("antwerpen/logistiek", "limburg/logistiek")    # doctest: +SKIP
>>> view.save("logistiek.html")                                        # doctest: +SKIP

The command line: ``speerpunt-map compare antwerpen/logistiek limburg/logistiek``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
from markupsafe import Markup

from ._compare_sides import check_sides, parse_side, side_layers, side_name, sides_sectors
from ._drawn import REPORT_PERIOD
from ._errors import LegendError
from ._io import write_text
from ._types import Language
from .analysis import BASES, combine_atlases
from .atlas import Atlas, MapLayers, load_atlas
from .catalogue import read_catalogue
from .comparison import Comparison, ComparisonBasis, compare_regions
from .interactive import fragment_from_map, map_from_layers
from .pages import _environment, assets_head
from .resources import shipped_legends

__all__ = ["SideBySide", "comparison_atlas", "side_by_side"]

#: The bases the page can list, in its order.
PAGE_BASES: tuple[ComparisonBasis, ...] = (*BASES, "any")

_WORDS: dict[str, dict[str, str]] = {
    "nl": {"title": "{a} naast {b}", "comparison": "Vergelijking", "basis": "Basis",
           "both": "Gemeenschappelijk", "only": "Enkel", "per_sector": "Per sector",
           "sector": "Sector", "status": "In", "points": "Punten", "zones": "Zones",
           "links": "Verbindingen", "overlap": "Overlap", "links_between": "Verbindingen "
           "tussen beide", "name": "Naam", "actor": "Actor", "from": "Van", "to": "Naar",
           "link_type": "Soort", "map": "Kaart", "nothing_drawn": "Geen van beide tekent "
           "rijen van deze sectoren.", "no_links": "Geen verbinding heeft een uiteinde in "
           "elk van beide regio's.",
           "synced": "De twee kaarten bewegen samen: verschuif of zoom de ene, de andere "
           "volgt.", "overlap_total": "Zones van een gemeenschappelijke sector overlappen "
           "over {km2} km² (Lambert 72, EPSG:31370); zones van om het even welke sector "
           "over {any} km².", "inventory": "inventaris van het rapport (tabellen 5–9)",
           "catalogue": "catalogus (actoren die de sector kozen)",
           "drawn": "getekende rijen (bronactoren)", "any": "om het even welke basis",
           "a": "A", "b": "B", "status_both": "beide",
           "note": "Telling per zijde: de rijen die aan de actoren van die zijde worden "
           "toegeschreven (speerpunt_map.comparison.compare_regions)."},
    "en": {"title": "{a} beside {b}", "comparison": "Comparison", "basis": "Basis",
           "both": "In common", "only": "Only", "per_sector": "Per sector",
           "sector": "Sector", "status": "In", "points": "Points", "zones": "Zones",
           "links": "Links", "overlap": "Overlap", "links_between": "Links between the two",
           "name": "Name", "actor": "Actor", "from": "From", "to": "To", "link_type": "Type",
           "map": "Map", "nothing_drawn": "Neither side draws rows of these sectors.",
           "no_links": "No link has one end in each of the two regions.",
           "synced": "The two maps move together: pan or zoom one, the other follows.",
           "overlap_total": "Zones of a common sector overlap over {km2} km² (Lambert 72, "
           "EPSG:31370); zones of any sector over {any} km².",
           "inventory": "the report's inventory (Tables 5–9)",
           "catalogue": "catalogue (actors that chose the sector)",
           "drawn": "drawn rows (source actors)", "any": "any basis", "a": "A", "b": "B",
           "status_both": "both",
           "note": "Counts per side: the rows credited to that side's actors "
           "(speerpunt_map.comparison.compare_regions)."},
}


def comparison_atlas(atlas: Atlas | None = None) -> Atlas:
    """An atlas with the vision maps beside the report's: the maps of a ``visions`` folder
    next to the catalogue (the shipped ``legends/visions``), so a region compares in two
    periods.

    Parameters
    ----------
    atlas
        The report's atlas (its boundaries are shared); the shipped one when ``None``. An
        atlas without a ``visions/catalogue.toml`` beside its catalogue, or one that holds
        maps of another period already, is returned as it is.

    Returns
    -------
    Atlas

    Raises
    ------
    LegendError
        When the vision catalogue has problems.
    ValueError
        When a vision map repeats a map id of the report's.
    """
    report = atlas if atlas is not None else load_atlas(shipped_legends())
    folder = Path(report.catalogue.path).parent / "visions"
    if _has_visions(report) or not (folder / "catalogue.toml").is_file():
        return report
    # Read with the report's vocabulary, words and geography: one's own copy of the legends
    # folder names its own actors in both periods.
    catalogue = read_catalogue(folder, vocabulary=report.vocabulary)
    if any(p.severity == "error" for p in catalogue.problems):
        raise LegendError(catalogue.problems)
    return combine_atlases(report, Atlas(catalogue, report.resources, report.boundaries))


@dataclass
class SideBySide:
    """Two synchronised maps and their comparison, as one page.

    Attributes
    ----------
    comparison
        The numbers (:class:`~speerpunt_map.comparison.Comparison`).
    maps
        The two maps (``folium.Map``), a and b.
    layers
        What each map draws (:class:`~speerpunt_map.MapLayers`: points, zones, links and the
        regions, as GeoDataFrames).
    sides
        The two sides as asked.
    names
        Their short names, as the page shows them.
    language
        The page's language.
    bases
        The bases the sector table lists.
    online
        Whether the maps link Leaflet from a CDN (the page then needs a network).
    """

    comparison: Comparison
    maps: tuple[folium.Map, folium.Map]
    layers: tuple[MapLayers, MapLayers]
    sides: tuple[str, str]
    names: tuple[str, str]
    language: Language
    bases: tuple[ComparisonBasis, ...] = PAGE_BASES
    online: bool = False

    def html(self) -> str:
        """The page: one self-contained file that opens offline.

        Returns
        -------
        str
        """
        return _page(self)

    def save(self, path: str | Path, *, overwrite: bool = True) -> Path:
        """Write :meth:`html` to ``path`` atomically; return the path."""
        return write_text(path, self.html(), overwrite=overwrite)

    def _repr_html_(self) -> str:
        """The page in an ``iframe``, so that a notebook shows it as it opens in a browser."""
        return (f'<iframe srcdoc="{html.escape(self.html(), quote=True)}" '
                'style="width:100%;height:1100px;border:0" '
                f'title="{html.escape(_title(self))}"></iframe>')

    def __repr__(self) -> str:
        return f"SideBySide({self.sides[0]!r}, {self.sides[1]!r})\n{self.comparison!r}"


def side_by_side(a: str, b: str, *, sector: str | Sequence[str] | None = None,
                 atlas: Atlas | None = None, language: Language = "nl",
                 basis: ComparisonBasis | Sequence[ComparisonBasis] | None = None,
                 online: bool = False) -> SideBySide:
    """Two maps side by side, synchronised, with their comparison beneath.

    Parameters
    ----------
    a, b
        Each a map id (``"antwerpen/logistiek"``: that map as it is, compared as its
        province in its period and sector) or ``REGION[:SECTOR][@PERIOD]``: an actor id or
        name or a province scope (``"resoc-kempen"``, ``"limburg"``), optionally one sector
        (``"resoc-kempen:cleantech"``) and a period (``"resoc-zuidwest@2019"``); a region's
        map shows the rows credited to it, from every map they are in.
    sector
        Compare (and draw) only these sectors, besides those the sides name.
    atlas
        The maps (default: the shipped ones); the vision maps beside its catalogue are added
        (see :func:`comparison_atlas`), so that a region can be shown in two periods.
    language
        ``"nl"`` or ``"en"``.
    basis
        The bases the sector table lists (default: ``inventory``, ``catalogue``, ``drawn``
        and ``any``).
    online
        Link Leaflet from a CDN and offer background tiles (the page then needs a network).

    Returns
    -------
    SideBySide
        Shows inline in a notebook; :meth:`SideBySide.save` writes the page.

    Raises
    ------
    KeyError
        For an unknown map, region or sector (the message names close matches).
    ValueError
        For a period without a year, or two sides that are one.

    Examples
    --------
    >>> view = side_by_side("resoc-kempen", "limburg", sector="cleantech")  # doctest: +SKIP
    >>> view.comparison.shared("drawn"), view.comparison.overlap_km2       # doctest: +SKIP
    >>> view.save("kempen-limburg.html")                                   # doctest: +SKIP
    >>> side_by_side("resoc-zuidwest@2013", "resoc-zuidwest@2019")         # doctest: +SKIP
    """
    atlas = comparison_atlas(atlas)
    requests = parse_side(atlas, a, language), parse_side(atlas, b, language)
    check_sides(*requests)
    sectors = sides_sectors(atlas, requests, sector)
    comparison = compare_regions(atlas, requests[0].key, requests[1].key, sector=sectors,
                                 language=language)
    layers = (side_layers(atlas, comparison, "a", requests[0], sectors, language),
              side_layers(atlas, comparison, "b", requests[1], sectors, language))
    maps = (map_from_layers(layers[0], language=language, online=online),
            map_from_layers(layers[1], language=language, online=online))
    bases = (basis,) if isinstance(basis, str) else tuple(basis or PAGE_BASES)
    unknown = [b for b in bases if b not in PAGE_BASES]
    if unknown:
        raise ValueError(f"basis {unknown}: expected {', '.join(PAGE_BASES)}")
    names = (side_name(atlas, requests[0], comparison.a.name, language),
             side_name(atlas, requests[1], comparison.b.name, language))
    return SideBySide(comparison, maps, layers, (a, b), names, language, bases, online)


def _has_visions(atlas: Atlas) -> bool:
    """Whether the atlas holds maps of another period than the report's."""
    return any(spec.period and spec.period != REPORT_PERIOD for spec in atlas.maps.values())


def _title(view: SideBySide) -> str:
    words = _WORDS[view.language]
    return words["title"].format(a=view.names[0], b=view.names[1])


def _fragment(m: folium.Map, online: bool) -> Markup:
    """The map's fragment without Leaflet and our style sheet (the page's head has them)."""
    text, head = fragment_from_map(m), str(assets_head(online))
    if head not in text:
        raise RuntimeError("the map's fragment does not hold the page assets it is expected "
                           "to; speerpunt_map.side_by_side needs updating")
    return Markup(text.replace(head, "", 1))


def _number(value: Any) -> str:
    return "–" if value is None or value != value else f"{float(value):.1f}"


def _tables(view: SideBySide) -> Markup:
    c, w = view.comparison, _WORDS[view.language]
    bases = []
    for basis in view.bases:
        rows = c.sectors[c.sectors["basis"] == basis]
        bases.append({"basis": basis, "label": w[basis], **{
            status: rows.loc[rows["status"] == status, "sector_label"].tolist()
            for status in ("both", "a", "b")}})
    overlap = {str(r["sector"]): r for r in c.overlap.to_dict("records")}
    anywhere = c.sectors[c.sectors["basis"] == "any"]
    status = dict(zip(anywhere["sector"].astype(str), anywhere["status"].astype(str),
                      strict=True))
    counts = []
    for row in c.counts.to_dict("records"):
        sector = str(row["sector"])
        km2 = [overlap[sector][k] if sector in overlap else None
               for k in ("zones_a_km2", "zones_b_km2", "overlap_km2")]
        values = [row[f"{kind}_{s}"] for s in "ab" for kind in ("points", "zones", "links")]
        where = status.get(sector, "")
        counts.append({"sector": sector, "label": row["sector_label"],
                       "status": w["status_both"] if where == "both" else w.get(where, ""),
                       "cells": [*values, *(_number(v) for v in km2)]})
    t = view.layers[0].resources.labels(view.language)
    kinds = {"infrastructure": t("link_infrastructure"), "organisation": t("link_organisation")}
    links = [{"name": r.name, "sector": r.sector_label, "actor": r.actor_name,
              "from_": r.from_name, "to": r.to_name,
              "type": kinds.get(str(r.link_type), str(r.link_type)),
              "km": _number(r.length_km), "map": r.map_id} for r in c.links.itertuples()]
    text = w["overlap_total"].format(km2=_number(c.overlap_km2), any=_number(c.overlap_any_km2))
    module = _environment().get_template("compare.html.j2").module
    return Markup(module.tables(w, {"name": view.names[0]}, {"name": view.names[1]}, bases, counts,  # type: ignore[attr-defined]
                                text, links))


def _page(view: SideBySide) -> str:
    online = view.online
    head = assets_head(online)
    sides = [{"label": f"{s} · {name}", "fragment": _fragment(m, online)}
             for s, name, m in zip("AB", view.names, view.maps, strict=True)]
    module = _environment().get_template("compare.html.j2").module
    return str(module.page(view.language, _title(view), head, sides[0], sides[1],  # type: ignore[attr-defined]
                           _WORDS[view.language], _tables(view)))
