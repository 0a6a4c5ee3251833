"""What ``speerpunt-map compare`` and :func:`~speerpunt_map.side_by_side.side_by_side` take as a
side, and the map each side draws.

A side is written one of two ways:

- a map id of the catalogue (``antwerpen/logistiek``,
  ``zuid-west-vlaanderen-2019/creatieve-maakindustrie``): that map, drawn as it is; it is
  compared as its province scope (or, for a map of a region of its own, its first actor) in
  the map's period and sector;
- ``REGION[:SECTOR][@PERIOD]``: an actor id or name (``resoc-kempen``) or a province scope
  (``limburg``), optionally one sector (``resoc-kempen:cleantech``) and one period
  (``resoc-zuidwest@2013``); the map shows the rows credited to the region (see
  :func:`speerpunt_map.comparison.compare_regions`), gathered from every map they are in.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from ._drawn import atlas_layers, map_period, period_range
from ._types import Language
from .atlas import Atlas, MapLayers
from .comparison import Comparison, _side_rows, resolve_side
from .geometry import GeometryResolver, regions_from_map

__all__ = ["SideRequest", "check_sides", "parse_side", "side_layers", "side_name",
           "sides_sectors"]


@dataclass(frozen=True)
class SideRequest:
    """One side as asked.

    Attributes
    ----------
    text
        As written (``antwerpen/logistiek``, ``resoc-kempen:cleantech@2013``).
    key
        The side as :func:`~speerpunt_map.comparison.compare_regions` takes it
        (``antwerpen@2013``, ``resoc-kempen``).
    sector
        The side's own sector id (a map's, or the one after ``:``), or ``None``.
    map_id
        The map drawn as it is, for a map id; ``None`` for a region.
    """

    text: str
    key: str
    sector: str | None
    map_id: str | None


def _unknown_map(atlas: Atlas, text: str) -> KeyError:
    close = difflib.get_close_matches(text, list(atlas.maps), n=3)
    hint = f"did you mean {', '.join(close)}?" if close else "see `speerpunt-map list`"
    return KeyError(f"{text!r}: no such map; {hint}")


def _sector_id(atlas: Atlas, name: str, text: str) -> str:
    found = atlas.vocabulary.sector(name)
    if found is None:
        close = difflib.get_close_matches(name, list(atlas.vocabulary.sectors), n=3)
        hint = f"did you mean {', '.join(close)}?" if close else \
            f"known: {', '.join(sorted(atlas.vocabulary.sectors))}"
        raise KeyError(f"{text!r}: no sector {name!r}; {hint}")
    return found.id


def _check_region(atlas: Atlas, region: str, text: str) -> None:
    """An unknown region is named with the actors and provinces closest to it."""
    vocabulary = atlas.vocabulary
    if vocabulary.actor(region) is not None or region in vocabulary.scopes:
        return
    known = [*vocabulary.actors, *(k for k, v in vocabulary.scopes.items()
                                   if v.region.startswith("prov-"))]
    close = difflib.get_close_matches(region, known, n=3, cutoff=0.5) or \
        vocabulary.suggest_actor(region)
    hint = f"did you mean {', '.join(close)}?" if close else f"known: {', '.join(known)}"
    raise KeyError(f"{text!r}: {region!r} is neither a map id, an actor of actors.csv nor a "
                   f"province; {hint}")


def parse_side(atlas: Atlas, text: str, language: Language = "nl") -> SideRequest:
    """Read one side: a map id, or ``REGION[:SECTOR][@PERIOD]``.

    Raises
    ------
    KeyError
        For an unknown map, region or sector (with close matches).
    ValueError
        For a period without a year.
    """
    text = text.strip()
    if text in atlas.maps:
        spec = atlas.maps[text]
        scope = atlas.vocabulary.scopes.get(spec.scope)
        if scope is not None and scope.region.startswith("prov-"):
            region = spec.scope
        elif spec.actors:
            region = spec.actors[0].id
        else:
            raise KeyError(f"{text!r}: the map names no actor to compare")
        return SideRequest(text, f"{region}@{map_period(spec)}", spec.sector.id, text)
    if "/" in text:
        raise _unknown_map(atlas, text)
    rest, _, period = text.partition("@")
    region, colon, sector = rest.partition(":")
    if colon and not sector.strip():
        raise KeyError(f"{text!r}: nothing after ':'; write REGION:SECTOR, e.g. "
                       "resoc-kempen:cleantech")
    if period:
        period_range(period)  # a clear error for a period without a year
    region = region.strip()
    _check_region(atlas, region, text)
    key = region + (f"@{period.strip()}" if period else "")
    resolve_side(atlas, key, language)
    return SideRequest(text, key, _sector_id(atlas, sector.strip(), text) if colon else None,
                       None)


def sides_sectors(atlas: Atlas, sides: Sequence[SideRequest],
                  sector: str | Sequence[str] | None) -> list[str] | None:
    """The sectors compared: those the sides name and ``sector``; ``None`` for every one."""
    names = [sector] if isinstance(sector, str) else list(sector or [])
    wanted = [_sector_id(atlas, name, f"--sector {name}") for name in names]
    wanted += [s.sector for s in sides if s.sector is not None]
    return sorted(set(wanted)) or None


def side_name(atlas: Atlas, request: SideRequest, full: str, language: Language = "nl") -> str:
    """A short name for a side: a province scope by its own name (not its actors'), with the
    period; an actor by its name (``full``, from :class:`~speerpunt_map.comparison.Side`)."""
    region, _, period = request.key.partition("@")
    scope = atlas.vocabulary.scopes.get(region)
    if scope is None:
        return full
    return scope.name(language) + (f" ({period})" if period else "")


def check_sides(a: SideRequest, b: SideRequest) -> None:
    """Two sides that are one are no comparison."""
    if (a.map_id or a.key, a.sector) == (b.map_id or b.key, b.sector):
        raise ValueError(f"{a.text!r} and {b.text!r} are the same side: compare two maps, "
                         "two regions, or one region in two periods (REGION@2013 REGION@2019)")


def side_layers(atlas: Atlas, comparison: Comparison, which: str, request: SideRequest,
                sectors: list[str] | None, language: Language = "nl") -> MapLayers:
    """The map of one side: a map id's map as it is, or a region's rows gathered from every
    map they are in (with the region's area)."""
    if request.map_id is not None:
        return atlas.map(request.map_id, strict=False, language=language)
    side = comparison.a if which == "a" else comparison.b
    keys = {kind: _side_rows(atlas, side, kind, set(sectors) if sectors else None, "sector")
            for kind in ("point", "zone", "link")}
    used = list(dict.fromkeys(m for frame in keys.values() for m in frame["map_id"]))
    maps = atlas_layers(atlas)
    template = maps[used[0]] if used else next(iter(maps.values()))
    vocabulary = atlas.vocabulary
    actors = tuple(a for a in (vocabulary.actors[i] for i in side.actors))

    def gathered(kind: str, attribute: str) -> gpd.GeoDataFrame:
        wanted = set(zip(keys[kind]["map_id"], keys[kind]["row"], strict=True))
        frames = []
        for number, map_id in enumerate(used, start=1):
            frame = getattr(maps[map_id], attribute)
            frame = frame[[(m, r) in wanted for m, r in zip(frame["map_id"], frame["row"],
                                                             strict=True)]].copy()
            if kind == "point" and len(used) > 1 and len(frame):
                frame["label"] = [f"{number}.{label}" for label in frame["label"]]
            frames.append(frame)
        empty = getattr(template, attribute).iloc[0:0]
        joined = pd.concat([f for f in frames if len(f)] or [empty], ignore_index=True)
        return gpd.GeoDataFrame(joined, geometry="geometry", crs="EPSG:4326")

    # The subtitle names the sector of each map the rows come from, numbered as the points'
    # labels are prefixed ("2.3": point 3 of the second); with no rows, the sectors asked for.
    drawn = [atlas.maps[m].sector for m in used] or \
        [vocabulary.sectors[s] for s in sectors or []]
    labels = [vocabulary.sectors[s].label(language) for s in sectors or []]

    def number(n: int) -> str:
        return f"{n} " if len(used) > 1 else ""

    sector = dataclasses.replace(
        template.spec.sector, id="+".join(dict.fromkeys(s.id for s in drawn)) or "none",
        label_nl=", ".join(f"{number(n)}{s.label_nl}" for n, s in enumerate(drawn, 1)) or "–",
        label_en=", ".join(f"{number(n)}{s.label_en}" for n, s in enumerate(drawn, 1)) or "–")
    scope = next((k for k, v in vocabulary.scopes.items()
                  if v.region in (side.region, *(a.province for a in actors))),
                 template.spec.scope)
    printed = template.spec.sector_as_printed if len(used) == 1 else ""
    name = side_name(atlas, request, side.name, language)
    spec = dataclasses.replace(
        template.spec, id=f"compare/{side.key}/{'+'.join(sectors or ['all'])}", scope=scope,
        actors=actors, sector=sector, sector_as_printed=printed,
        title=f"{name}: {', '.join(labels)}" if labels else name, focus="",
        period=side.period or template.spec.period, figure=None, annex=None,
        source=" · ".join(f"{n} = {m}" if len(used) > 1 else m
                          for n, m in enumerate(used, start=1)))
    resolver = GeometryResolver(atlas.gazetteer, atlas.boundaries)
    return dataclasses.replace(
        template, spec=spec, points=gathered("point", "points"),
        zones=gathered("zone", "zones"), links=gathered("link", "links"),
        regions=regions_from_map(actors, resolver, language), problems=[],
        rows_read=sum(len(f) for f in keys.values()), rows_rejected=0)
