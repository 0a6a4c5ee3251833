"""What the printable figure's map names: cities, link ends, countries, regions, the sea, rivers.

:func:`link_ends` finds both ends of every link (its place's name, where it is, whether the
base map covers it); :func:`names_in_view` lists the names for a view, for
:func:`speerpunt_map._static_names.place_names` to place. A link end at a city of the base map
is named by the city's label; one beyond the base map is named where its link leaves the frame
("Parijs (buiten de kaart)"). A country is named at its own label anchor when that is in view,
else at the roomiest spot of its land in view (:func:`speerpunt_map._static_base.country_spots`);
the sea likewise, but only near its anchor, so that an estuary is not called the North Sea.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, box
from shapely.geometry.base import BaseGeometry

from ._static_base import Extent, MetricBase, country_spots, in_base_box, sea_spots
from ._static_names import Name
from ._types import Language
from .atlas import MapLayers
from .style import Labels

__all__ = ["End", "link_ends", "names_in_view"]


@dataclass(frozen=True)
class End:
    """One end of a link: its place's name, where it is (EPSG:31370), whether the base map
    covers it (else the view need not reach it), and the other end."""

    name: str
    x: float
    y: float
    covered: bool
    other: tuple[float, float]


def link_ends(layers: MapLayers, links: gpd.GeoDataFrame, basemap: MetricBase) -> list[End]:
    """Both ends of every drawn link, in the links' order (from, to); ``links`` are the
    links in EPSG:31370."""
    ends = []
    for (wgs, metric), row in zip(zip(layers.links.geometry, links.geometry, strict=True),
                                  layers.links.itertuples(), strict=True):
        if wgs is None or wgs.is_empty or metric.is_empty:
            continue
        lonlat, xy = shapely.get_coordinates(wgs), shapely.get_coordinates(metric)
        for column, i, j in (("from_name", 0, -1), ("to_name", -1, 0)):
            name = getattr(row, column, "")
            ends.append(End("" if pd.isna(name) else str(name), float(xy[i, 0]),
                            float(xy[i, 1]), in_base_box(basemap, *lonlat[i]),
                            (float(xy[j, 0]), float(xy[j, 1]))))
    return ends



def names_in_view(basemap: MetricBase, belgium: BaseGeometry | None, ends: list[End],
                  extent: Extent, scale: float,
                  labels: Labels) -> tuple[list[Name], list[tuple[float, float]]]:
    """The names to place in the view ``extent`` (``scale`` points per metre) and the cities'
    dots: every city of the base map in view, one name per link end place, the neighbouring
    countries in view, the regions, the sea (near its anchor) and the rivers."""
    language: Language = labels.language
    xmin, ymin, xmax, ymax = extent

    def visible(x: float, y: float) -> bool:
        return xmin <= x <= xmax and ymin <= y <= ymax

    names, dots = [], []
    cities: list[tuple[set[str], float, float]] = []
    for label, x, y in basemap.labels:
        if label.kind == "sea":
            spots = sea_spots(basemap, belgium, extent, (x, y))
            at = [*([(x, y)] if visible(x, y) else []),
                  *((sx, sy) for sx, sy, clear in spots if clear * scale >= 12)][:6]
            if at:
                names.append(Name(label.name(language), "sea", *at[0], spots=at[1:]))
            continue
        if not visible(x, y) or label.kind not in ("city", "region", "river"):
            continue
        names.append(Name(label.name(language), label.kind, x, y))
        if label.kind == "city":
            dots.append((x, y))
            cities.append(({label.name_nl.casefold(), label.name_en.casefold()}, x, y))
    names += _end_names(ends, extent, labels, cities)
    names += _country_names(basemap, belgium, extent, scale, language)
    return names, dots


def _end_names(ends: list[End], extent: Extent, labels: Labels,
               cities: list[tuple[set[str], float, float]]) -> list[Name]:
    """One name per link end place (a city's label names an end at that city)."""
    view = box(*extent)
    names: list[Name] = []
    seen: list[tuple[str, float, float]] = []
    for end in ends:
        key = end.name.casefold().strip()
        if not key:
            continue
        if any(key in keys and math.hypot(end.x - x, end.y - y) < 3000 for keys, x, y in cities):
            continue
        if any(key == k and math.hypot(end.x - x, end.y - y) < 1500 for k, x, y in seen):
            continue
        seen.append((key, end.x, end.y))
        if view.contains(shapely.Point(end.x, end.y)):
            names.append(Name(end.name, "end", end.x, end.y))
            continue
        cut = shapely.intersection(LineString([end.other, (end.x, end.y)]), view.boundary)
        if not cut.is_empty:  # where the link leaves the figure, pulled a little inside
            at = shapely.get_coordinates(cut)[-1]
            inward = np.array(end.other) - at
            at = at + inward / max(np.hypot(*inward), 1.0) * min(np.hypot(*inward), 2000.0)
            names.append(Name(labels("off_map", name=end.name), "end", float(at[0]),
                              float(at[1])))
    return names


def _country_names(basemap: MetricBase, belgium: BaseGeometry | None, extent: Extent,
                   scale: float, language: Language) -> list[Name]:
    """The neighbouring countries in view, each at its roomiest spot (its own anchor first)."""
    by_id = {label.id: (label, x, y) for label, x, y in basemap.labels}
    names = []
    spots = country_spots(basemap, belgium, extent)
    for country, found in spots.items():
        roomy = [(x, y) for x, y, clear in found if clear * scale >= 16][:6]
        if country not in by_id or not roomy:
            continue
        label, ax_, ay = by_id[country]
        xmin, ymin, xmax, ymax = extent
        first = [(ax_, ay)] if xmin <= ax_ <= xmax and ymin <= ay <= ymax else []
        at = [*first, *roomy]
        names.append(Name(label.name(language).upper(), "country", at[0][0], at[0][1],
                          spots=at[1:]))
    return names


