"""The map of the printable figure: drawn in Belgian Lambert 72 (EPSG:31370), so the scale
bar is true.

The layers are converted once and thinned for print (:func:`project`); :func:`draw_map` draws
the base layers, the actors' regions and zones, the links as arrows and the points as numbered
circles (moved apart on the page where they would overlap, with a leader to their place), a
scale bar and a north arrow, on matplotlib's object interface only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, PathPatch, Polygon, Rectangle
from matplotlib.path import Path as MplPath
from shapely.geometry import LineString, box
from shapely.ops import orient

from ._static_legend import DASH, LINK_WIDTH_PT, RESOC_DASH, draw_text, ink, mark_of, widest
from ._types import FLANDERS
from .atlas import MapLayers
from .boundaries import METRIC_CRS
from .style import REGION_FILL_OPACITY, ZONE_FILL_OPACITY, Style

SIMPLIFY_M = 50.0  # boundary detail kept in print, in metres
Extent = tuple[float, float, float, float]  # xmin, ymin, xmax, ymax
# Features outside the scope (links abroad) may widen the view by at most this share of the
# scope's larger side: a province map reaches Lille or Eindhoven, an overview stays on Flanders.
_REACH = {"province": 0.35, "overview": 0.04}


def _metric(frame: gpd.GeoDataFrame, tolerance_deg: float = 0.0) -> gpd.GeoDataFrame:
    """A layer in EPSG:31370, thinned first by ``tolerance_deg`` (an empty one stays empty)."""
    if not len(frame):
        return frame.set_crs(METRIC_CRS, allow_override=True)
    if tolerance_deg:
        frame = frame.set_geometry(frame.geometry.simplify(tolerance_deg,
                                                           preserve_topology=False))
    return frame.to_crs(METRIC_CRS)


@dataclass(frozen=True)
class Projected:
    """A map's layers in EPSG:31370, simplified for print, and the area the map must show."""

    base: gpd.GeoDataFrame
    regions: list[tuple[str, shapely.Geometry]]  # (actor id, outline)
    zones: gpd.GeoDataFrame
    links: gpd.GeoDataFrame
    points: gpd.GeoDataFrame
    view: Extent


def project(layers: MapLayers) -> Projected:
    """Convert once to EPSG:31370; thin the outlines first (about 20 m), most of the work."""
    areas = layers.boundaries.areas
    base = _metric(areas.loc[areas["level"].isin(("belgium", "flanders", "province", "resoc")),
                             ["id", "level", "geometry"]], 0.0002)
    base = base.set_geometry(base.simplify(SIMPLIFY_M, preserve_topology=False))
    outlines = dict(zip(base["id"], base.geometry, strict=True))
    regions = [(r.actor_id, outlines[r.region]) for r in layers.regions.itertuples()
               if r.region in outlines]
    rest = layers.regions[~layers.regions["region"].isin(outlines)]
    regions += list(zip(rest["actor_id"], _metric(rest, 0.0002).geometry, strict=True))
    zones, links, points = (_metric(layers.zones, 0.0001), _metric(layers.links),
                            _metric(layers.points))
    return Projected(base, regions, zones, links, points,
                      _view(layers, base, [points, zones, links]))


def _view(layers: MapLayers, base: gpd.GeoDataFrame,
          frames: list[gpd.GeoDataFrame]) -> Extent:
    """The scope's area plus the map's features within reach, with a little air around."""
    overview = layers.spec.scope == FLANDERS
    scope = layers.resources.vocabulary.scopes.get(layers.spec.scope)
    region = "vlaanderen" if overview or scope is None else scope.region
    core = base.loc[base["id"] == region, "geometry"]
    if core.empty:
        core = base.loc[base["id"] == "vlaanderen", "geometry"]
    xmin, ymin, xmax, ymax = core.total_bounds
    reach = _REACH["overview" if overview else "province"] * max(xmax - xmin, ymax - ymin)
    for frame in frames:
        if len(frame):
            fx0, fy0, fx1, fy1 = frame.total_bounds
            xmin, ymin = max(min(xmin, fx0), xmin - reach), max(min(ymin, fy0), ymin - reach)
            xmax, ymax = min(max(xmax, fx1), xmax + reach), min(max(ymax, fy1), ymax + reach)
    pad = 0.03 * max(xmax - xmin, ymax - ymin)
    return float(xmin - pad), float(ymin - pad), float(xmax + pad), float(ymax + pad)


def fit(view: Extent, aspect: float) -> Extent:
    """Widen the short side of ``view`` so that it has the frame's ``aspect`` (width/height)."""
    xmin, ymin, xmax, ymax = view
    width, height = xmax - xmin, ymax - ymin
    if width / height < aspect:
        grow = (height * aspect - width) / 2
        return xmin - grow, ymin, xmax + grow, ymax
    grow = (width / aspect - height) / 2
    return xmin, ymin - grow, xmax, ymax + grow


def _place_markers(xy: np.ndarray, diameter: float, size: tuple[float, float],
                   keep_out: list[Extent]) -> np.ndarray:
    """Marker centres (points on the page) moved apart until none overlap, kept in the frame.

    A place outside the frame gets its marker a little inside the edge (room for the arrow
    towards it); close markers are pushed apart a little at a time and gently pulled back,
    and out of the ``keep_out`` boxes (scale bar, north arrow: x0, y0, x1, y1 in points).
    """
    radius = diameter / 2 + 1
    low, high = np.array([radius, radius]), np.array(size) - radius
    inside = np.all((xy >= low) & (xy <= high), axis=1, keepdims=True)
    anchor = np.where(inside, xy, np.clip(xy, low + 12, high - 12))
    # Markers at the very same place start a hair apart, deterministically (golden angle).
    angles = np.arange(len(xy)) * 2.39996
    placed = anchor + np.c_[np.cos(angles), np.sin(angles)] * 0.01
    for _ in range(300):
        delta = placed[:, None, :] - placed[None, :, :]
        distance = np.hypot(delta[..., 0], delta[..., 1])
        np.fill_diagonal(distance, np.inf)
        overlap = np.clip(2 * radius - distance, 0, None)
        if overlap.max(initial=0) < 0.05:
            break
        push = (delta / distance[..., None] * overlap[..., None] / 2).sum(axis=1)
        placed = np.clip(placed + 0.6 * push + 0.02 * (anchor - placed), low, high)
        placed = _keep_out(placed, keep_out, radius)
    return _keep_out(placed, keep_out, radius)


def _keep_out(xy: np.ndarray, boxes: list[Extent], radius: float) -> np.ndarray:
    """Move each centre within ``radius`` of a box to the box's nearest side (up or right)."""
    xy = xy.copy()
    for x0, y0, x1, y1 in boxes:
        inside = ((xy[:, 0] > x0 - radius) & (xy[:, 0] < x1 + radius)
                  & (xy[:, 1] > y0 - radius) & (xy[:, 1] < y1 + radius))
        # The boxes sit in corners: leave them towards the map's middle, the shorter way.
        to_side = np.where(x0 > 0, x0 - radius, x1 + radius)
        to_edge = np.where(y0 > 0, y0 - radius, y1 + radius)
        sideways = np.abs(to_side - xy[:, 0]) < np.abs(to_edge - xy[:, 1])
        xy[inside & sideways, 0] = to_side
        xy[inside & ~sideways, 1] = to_edge
    return xy


# -- the map ----------------------------------------------------------------------------------
def _add(ax: Axes, artist: Artist) -> None:
    """Add an artist to the map without autoscaling (the view is set once, by hand)."""
    ax.add_artist(artist)


def _area(ax: Axes, geometry: shapely.Geometry, **options: Any) -> None:
    """Draw the polygons of a geometry (holes kept) as one patch."""
    rings = []
    for polygon in shapely.get_parts(geometry):
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue  # a line or point left over by a repair has no area to draw
        polygon = orient(polygon)
        rings.append(MplPath(np.asarray(polygon.exterior.coords)[:, :2], closed=True))
        rings += [MplPath(np.asarray(r.coords)[:, :2], closed=True) for r in polygon.interiors]
    if rings:
        _add(ax, PathPatch(MplPath.make_compound_path(*rings), **options))


def _arrow(ax: Axes, line: shapely.Geometry, extent: Extent, colour: str, *, width: float,
           dash: Any = "-", head_at: float = 2 / 3, zorder: float = 4) -> None:
    """A line clipped to the view, with an arrowhead pointing from start to end.

    The head sits ``head_at`` along the visible part: two thirds, as on the interactive map,
    clear of the markers at the ends; 1 puts it at the end (where a line leaves the map).
    """
    visible = shapely.get_parts(shapely.intersection(line, box(*extent)))
    parts = [p for p in visible if p.geom_type == "LineString" and p.length > 0]
    for part in parts:
        xy = np.asarray(part.coords)
        _add(ax, Line2D(xy[:, 0], xy[:, 1], color=colour, linewidth=width, linestyle=dash,
                        solid_capstyle="round", zorder=zorder))
    if parts:
        longest = max(parts, key=lambda p: p.length)
        at = longest.interpolate(head_at * longest.length)
        before = longest.interpolate(max(0.0, head_at * longest.length - 1.0))
        _add(ax, FancyArrowPatch((before.x, before.y), (at.x, at.y), arrowstyle="-|>",
                                 mutation_scale=13 * min(1.0, width / LINK_WIDTH_PT),
                                 shrinkA=0, shrinkB=0, color=colour, linewidth=0,
                                 zorder=zorder + 0.5))


def draw_map(ax: Axes, projected: Projected, style: Style, frame_in: tuple[float, float], *,
             north: str = "N") -> None:
    """Draw the map in ``ax``, a frame of ``frame_in`` (width, height) inches on the page.

    Base layers, the actors' regions and zones, links, points, a scale bar and a north arrow
    (labelled ``north``).
    """
    extent = fit(projected.view, frame_in[0] / frame_in[1])
    scale = frame_in[0] * 72 / (extent[2] - extent[0])  # points on the page per metre
    ax.set(xlim=(extent[0], extent[2]), ylim=(extent[1], extent[3]), xticks=[], yticks=[],
           facecolor="#F3F3F3")
    ax.set_aspect("equal", adjustable="datalim")
    for spine in ax.spines.values():
        spine.set(color="#666666", linewidth=0.6)
    # Flanders white on a grey neighbourhood; the actors' regions and zones; then borders.
    base = projected.base
    for geometry in base.loc[base["level"] == "flanders", "geometry"]:
        _area(ax, geometry, facecolor="#FFFFFF", edgecolor="none", zorder=0.5)
    for actor_id, geometry in projected.regions:
        _area(ax, geometry, facecolor=style.colour(actor_id), alpha=REGION_FILL_OPACITY,
              edgecolor="none", zorder=1)
    for row in projected.zones.itertuples():
        colour = style.colour(row.actor_id)
        _area(ax, row.geometry, facecolor=colour, alpha=ZONE_FILL_OPACITY, edgecolor="none",
              zorder=2)
        _area(ax, row.geometry, facecolor="none", edgecolor=colour, linewidth=0.8, zorder=2.1)
    borders = (("belgium", "#999999", 0.6, (0, (1.5, 1.5))),
               ("resoc", style.base["resoc"], 0.5, RESOC_DASH),
               ("province", style.base["province"], 0.8, "-"),
               ("flanders", style.base["flanders"], 1.2, "-"))
    for level, colour, width, dash in borders:
        for geometry in base.loc[base["level"] == level, "geometry"]:
            _area(ax, geometry, facecolor="none", edgecolor=colour, linewidth=width,
                  linestyle=dash, zorder=3)
    # Markers are placed on the page, in points, so that no two numbers overlap.
    points = projected.points
    marks = [mark_of(p) for p in points.itertuples()]
    mark_size = 7.0 if max(map(len, marks), default=0) <= 2 else 5.5
    diameter = max(1.8 * mark_size, widest(marks, mark_size, bold=True) + 0.45 * mark_size)
    origin = np.array([extent[0], extent[1]])
    true_xy = np.array([(g.x, g.y) for g in points.geometry]).reshape(-1, 2)
    frame_pt = (frame_in[0] * 72, frame_in[1] * 72)
    length = _scale_length(extent)
    keep_out = [(0.0, 0.0, 36 + length * scale, 34.0),  # the scale bar and the north arrow
                (frame_pt[0] - 28, frame_pt[1] - 46, frame_pt[0], frame_pt[1])]
    placed = _place_markers((true_xy - origin) * scale, diameter, frame_pt,
                            keep_out) / scale + origin
    moved = np.hypot(*(placed - true_xy).T) * scale > 1.0
    for row in projected.links.itertuples():
        _arrow(ax, row.geometry, extent, style.colour(row.actor_id), width=LINK_WIDTH_PT,
               dash=DASH if row.link_type == "organisation" else "-")
    for row, mark, (x, y), (tx, ty), shifted in zip(points.itertuples(), marks, placed, true_xy,
                                                    moved, strict=True):
        colour = style.colour(row.actor_id)
        if shifted:  # a thin leader from the marker to its place (an arrow if off the map)
            _arrow(ax, LineString([(x, y), (tx, ty)]), extent, "#333333", width=0.7,
                   head_at=1.0, zorder=5.5)
        _add(ax, Line2D([x], [y], marker="o", markersize=diameter, markerfacecolor=colour,
                        markeredgecolor="#FFFFFF", markeredgewidth=0.9, linestyle="none",
                        zorder=6))
        if mark:
            draw_text(ax, x, y, mark, fontsize=mark_size, fontweight="bold",
                      color=ink(colour), ha="center", va="center_baseline", zorder=7)
    _scale_bar(ax, extent, scale, length)
    _north_arrow(ax, extent, scale, north)


def _scale_length(extent: Extent) -> float:
    """A round length (1, 2 or 5 × 10ⁿ m) of about a fifth of the view's width."""
    target = (extent[2] - extent[0]) / 5
    unit = 10 ** math.floor(math.log10(target))
    return float(max(m * unit for m in (1, 2, 5) if m * unit <= target))


def _scale_bar(ax: Axes, extent: Extent, scale: float, length: float) -> None:
    """A true scale bar of four blocks at the lower left; ``scale`` in points per metre."""
    xmin, ymin = extent[:2]
    pt = 1 / scale  # one point on the page, in metres
    x0, y0, bar = xmin + 14 * pt, ymin + 12 * pt, 4 * pt
    _add(ax, Rectangle((x0 - 8 * pt, y0 - 6 * pt), length + 30 * pt, 26 * pt,
                       facecolor="#FFFFFF", alpha=0.85, edgecolor="none", zorder=8))
    for i in range(4):
        _add(ax, Rectangle((x0 + i * length / 4, y0), length / 4, bar, linewidth=0.6,
                           facecolor="#222222" if i % 2 == 0 else "#FFFFFF",
                           edgecolor="#222222", zorder=9))
    for value in (0, length / 2, length):
        draw_text(ax, x0 + value, y0 + bar + 2 * pt, f"{value / 1000:g}", fontsize=7,
                  ha="center", va="bottom", zorder=9)
    draw_text(ax, x0 + length + 5 * pt, y0 - 1 * pt, "km", fontsize=7, va="bottom", zorder=9)


def _north_arrow(ax: Axes, extent: Extent, scale: float, label: str) -> None:
    """A north arrow at the upper right: grid north of Lambert 72, within 1.2° of true north."""
    _, _, xmax, ymax = extent
    pt = 1 / scale
    x, y, size, half = xmax - 16 * pt, ymax - 40 * pt, 22 * pt, 7 * pt
    tip, left, right, notch = (x, y + size), (x - half, y), (x + half, y), (x, y + size * 0.3)
    _add(ax, Polygon([tip, left, notch], closed=True, facecolor="#222222",
                     edgecolor="#222222", linewidth=0.6, zorder=9))
    _add(ax, Polygon([tip, notch, right], closed=True, facecolor="#FFFFFF",
                     edgecolor="#222222", linewidth=0.6, zorder=9))
    draw_text(ax, x, y + size + 2 * pt, label, fontsize=9, fontweight="bold", ha="center",
              va="bottom", zorder=9)
