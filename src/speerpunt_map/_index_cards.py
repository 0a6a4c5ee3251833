"""The index of a build as cards: one per map, grouped by province, with a thumbnail and the
words a reader may search for.

:func:`index_card` is computed while the build has a map's layers (its thumbnail, from
:mod:`speerpunt_map._thumbnails`, and its search text); :func:`index_sections` groups the
build's maps into the sections of ``index.html`` (a province each, then the Flanders
overviews), in the page's language. The search text is folded as the page's script folds what
a reader types (lower case, accents dropped), so that "Luchthaven" finds "luchthaven" and
"Liège" finds "Liege".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from markupsafe import Markup

from ._thumbnails import failed_thumbnail, thumbnail_svg
from ._types import FLANDERS, Language
from .description import actor_names
from .style import Labels

if TYPE_CHECKING:
    from .atlas import Atlas, MapLayers
    from .build import MapResult

__all__ = ["IndexCard", "fold", "index_card", "index_sections"]

# The catalogue's source of a map of the report, rebuilt in the page's language.
_REPORT = re.compile(
    r"Report (?P<report>\d+), annex table (?P<annex>\d+) \(Figure (?P<figure>\d+)\)")
# The source of an overview (:meth:`speerpunt_map.Atlas.overview`): the maps it gathers.
_OVERVIEW = re.compile(r"overview of (?P<maps>.+)")


@dataclass(frozen=True)
class IndexCard:
    """What the index shows of a map besides its counts.

    Attributes
    ----------
    thumbnail
        The map's picture (inline SVG).
    search
        Every name on the map, folded (:func:`fold`): actors, places, points, zones, links,
        sector and scope.
    sector
        The sector's label in the page's language.
    """

    thumbnail: Markup
    search: str
    sector: str


def fold(text: str) -> str:
    """``text`` as the index's search compares it: accents dropped, lower case, white space
    made single spaces (the page's script folds a query the same way)."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.lower().split())


def _strings(values: Iterable[object]) -> Iterator[str]:
    for value in values:
        if isinstance(value, str) and value.strip():
            yield value


def _places(layers: MapLayers) -> Iterator[str]:
    """The places the rows are drawn at, by the gazetteer's names: a site and its
    municipality, a zone and its member municipalities, a municipality as written."""
    gazetteer = layers.resources.gazetteer
    wanted: dict[str, set[str]] = {"place": set(), "zone": set()}
    for frame in (layers.points, layers.zones):
        yield from _strings(frame["place"])
        for place_id, kind in zip(frame["place_id"], frame["place_kind"], strict=True):
            if kind in wanted and isinstance(place_id, str):
                wanted[kind].add(place_id)
    for kind, table, columns in (("place", gazetteer.places, ("name", "municipality")),
                                 ("zone", gazetteer.zones, ("name", "members"))):
        for column in columns:
            values = table[column]  # one column, looked up by id: no copy of the table
            for place_id in sorted(wanted[kind]):
                yield from _strings(str(values.get(place_id, "")).split("|"))


def _search_words(layers: MapLayers, language: Language, title: str) -> Iterator[str]:
    spec, vocabulary = layers.spec, layers.resources.vocabulary
    names = actor_names(layers, language)
    scope = vocabulary.scopes.get(spec.scope)
    yield from _strings([title, spec.sector.label(language), spec.sector_as_printed,
                         scope.name(language) if scope else spec.scope])
    yield from (a.name(language) for a in spec.actors)
    for frame in (layers.points, layers.zones, layers.links):
        for ids in frame["actor_ids"]:
            yield from (names.get(a, a) for a in ids)
        yield from _strings(frame["name"])
    yield from _strings(layers.links["from_name"])
    yield from _strings(layers.links["to_name"])
    yield from _places(layers)


def index_card(layers: MapLayers, language: Language, title: str) -> IndexCard:
    """The thumbnail and search text of a map, for the index.

    Parameters
    ----------
    layers
        The map's layers.
    language
        The page's language.
    title
        The map's title, as the index shows it.

    Returns
    -------
    IndexCard
    """
    words = dict.fromkeys(fold(w) for w in _search_words(layers, language, title))
    return IndexCard(thumbnail_svg(layers), " | ".join(w for w in words if w),
                     layers.spec.sector.label(language))


def _source(result: MapResult, atlas: Atlas, t: Labels) -> str:
    """Where the map comes from, in the page's language: the report's annex table and figure,
    the province maps an overview gathers, or the catalogue's source as written (after the
    map's figure, when the source does not name it)."""
    report = _REPORT.fullmatch(result.source)
    if report:
        return t("index_source_annex", **report.groupdict())
    source = result.source
    overview = _OVERVIEW.fullmatch(source)
    if overview and result.map_id.split("/")[0] == FLANDERS:
        members = [atlas.maps[m] for m in overview["maps"].split(", ") if m in atlas.maps]
        figures = [str(m.figure) for m in members if m.figure is not None]
        if figures:
            source = t("index_source_overview", figures=", ".join(figures))
    figure = f"{t('figure')} {result.figure}" if result.figure else ""
    return " · ".join(part for part in (figure, source) if part)


def _counts(result: MapResult, t: Labels) -> list[dict[str, Any]]:
    counts = result.counts
    return [{"label": t(key), "value": counts.get(kind, 0), "kind": kind,
             "alert": kind == "rejected" and counts.get(kind, 0) > 0}
            for kind, key in (("points", "index_points"), ("zones", "zones"), ("links", "links"),
                              ("read", "rows_read"), ("drawn", "rows_drawn"),
                              ("rejected", "rows_rejected"))]


def _card(result: MapResult, output: Path, atlas: Atlas, t: Labels) -> dict[str, Any]:
    # As URLs: a map id with "#", "?", "%" or ":" stays a relative link to its file.
    files = [quote(f.relative_to(output).as_posix()) for f in result.files]
    html = next((f for f in files if f.endswith(".html")), files[0] if files else "")
    card = result.index_card
    spec = atlas.maps.get(result.map_id)
    title = result.title or result.map_id
    sector = card.sector if card else (spec.sector.label(t.language) if spec else "")
    search = card.search if card else fold(f"{title} {sector} {result.map_id}")
    return {"id": result.map_id, "title": title, "href": html, "sector": sector,
            "source": _source(result, atlas, t), "error": result.error,
            "failed": bool(result.error), "counts": _counts(result, t),
            "thumbnail": card.thumbnail if card else failed_thumbnail(), "search": search,
            "extras": [{"href": f, "label": f.rsplit(".", 1)[-1].upper()} for f in files
                       if f != html]}


def _heading(scope_id: str, atlas: Atlas, t: Labels) -> str:
    if scope_id == FLANDERS:
        return t("overview_maps")
    scope = atlas.vocabulary.scopes.get(scope_id)
    name = scope.name(t.language) if scope else scope_id
    return name[:1].upper() + name[1:]


def index_sections(results: list[MapResult], output: Path, atlas: Atlas,
                   t: Labels) -> list[dict[str, Any]]:
    """The sections of the index: one per province (in catalogue order), then the Flanders
    overviews; in each the maps' cards, by sector.

    Each card holds its title, link, thumbnail, sector, figure, source, counts (points, zones,
    links, rows read, drawn and rejected), the other files of the map, whether it failed and
    why, and its search text.
    """
    grouped: dict[str, list[dict[str, Any]]] = {}
    for result in results:
        scope = result.map_id.split("/")[0]
        grouped.setdefault(scope, []).append(_card(result, output, atlas, t))
    order = [s for s in grouped if s != FLANDERS] + ([FLANDERS] if FLANDERS in grouped else [])
    return [{"id": f"spm-{scope}", "title": _heading(scope, atlas, t),
             "maps": sorted(grouped[scope], key=lambda c: (fold(c["sector"]), c["id"]))}
            for scope in order]

