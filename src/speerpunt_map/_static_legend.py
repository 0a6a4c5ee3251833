"""The legend panel of the printable figure, and the text helpers every printed string uses.

Every string from a table reaches the page through :func:`draw_text`, which escapes
matplotlib's mathtext (``$`` → ``\\$``), drops control characters (they have no printed form,
and an SVG cannot hold them) and keeps TeX off, so ``"$x^2$"`` or ``"50$"`` is printed as typed.
Text is measured with the font it is drawn in (DejaVu Sans), so long names wrap before they
reach the panel's edge. A character the font lacks (an emoji) is drawn as the font's empty box
in PNG and PDF and kept as text in SVG; it is logged once, not warned about
(:func:`quiet_glyphs`).
"""

from __future__ import annotations

import contextlib
import logging
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import matplotlib.colors
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle
from matplotlib.textpath import TextToPath

from ._page_data import zone_letter
from ._static_base import BORDER, BORDER_DASH, SEA, WATER_LINE
from ._types import Language
from .atlas import MapLayers
from .style import Labels, Style, region_fill, zone_fill

log = logging.getLogger(__name__)

FONT = "DejaVu Sans"  # ships with matplotlib: the same page on every machine
ENTRY_MAX_CHARS = 80  # a legend entry longer than this is cut with "…"
LINK_WIDTH_PT = 1.4
DASH: Any = (0.0, (4.0, 2.5))  # organisational links
RESOC_DASH: Any = (0.0, (3.0, 3.0))  # RESOC borders, dashed as on the interactive map
_MEASURE_DPI = 150
_GAP_PT = 12.0  # between legend columns


# -- text -------------------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"[\t\n\x0b\x0c\r]")
_MISSING_GLYPH = re.compile(r"Glyph \d+ .*missing from font")


def printable(text: object) -> str:
    """Text without control characters (line breaks and tabs become spaces)."""
    return _CONTROL.sub("", _SPACE.sub(" ", str(text)))


def plain(text: object) -> str:
    """Text as matplotlib must get it to draw it literally: ``$`` escaped, so no mathtext."""
    return printable(text).replace("$", r"\$")


def plain_title(text: object) -> str:
    """Text for a file's metadata (a PDF or SVG title): printable, one line."""
    return " ".join(printable(text).split())


def draw_text(target: Figure | Axes, x: float, y: float, text: str, **options: Any) -> None:
    """Draw a string as plain text in DejaVu Sans: the one way text reaches the page."""
    target.text(x, y, plain(text), fontfamily=FONT, usetex=False, **options)


@contextlib.contextmanager
def quiet_glyphs() -> Iterator[None]:
    """Turn matplotlib's warning about characters the font lacks into one log line.

    Other warnings are passed on unchanged.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    missing = sorted({str(w.message) for w in caught if _MISSING_GLYPH.search(str(w.message))})
    if missing:
        log.info("characters not in %s are drawn as boxes: %s", FONT, "; ".join(missing))
    for w in caught:
        if not _MISSING_GLYPH.search(str(w.message)):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def shorten(text: object, limit: int = ENTRY_MAX_CHARS) -> str:
    """One line of at most ``limit`` characters; longer text ends in "…"."""
    flat = " ".join(printable(text).split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def _longest_prefix(text: str, width: float, size: float, bold: bool, end: str = "") -> int:
    """The length of the longest start of ``text`` that fits in ``width`` with ``end`` after
    it (at least 1): a binary search, so a 10,000-character word costs ~14 measurements."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(text[:middle] + end, size, bold) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def fit_line(text: str, width: float, size: float, *, bold: bool = False) -> str:
    """``text`` on one line at most ``width`` points wide; cut with "…" when it is wider."""
    flat = " ".join(printable(text).split())
    if text_width(flat, size, bold) <= width:
        return flat
    return flat[:_longest_prefix(flat, width, size, bold, "…")].rstrip() + "…"


@cache
def _renderer() -> RendererAgg:
    return RendererAgg(8, 8, _MEASURE_DPI)


@lru_cache(maxsize=8192)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` in points: the wider of the hinted raster and the outline."""
    prop = FontProperties(family=FONT, size=size, weight="bold" if bold else "normal")
    raster = _renderer().get_text_width_height_descent(text, prop, ismath=False)[0]
    outline = TextToPath().get_text_width_height_descent(text, prop, ismath=False)[0]
    return max(float(raster) * 72 / _MEASURE_DPI, float(outline))


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """Break ``text`` into lines at most ``width`` points wide (a word is cut only if needed)."""
    lines: list[str] = []
    line = ""
    for word in printable(text).split():
        while len(word) > 1 and text_width(word, size, bold) > width:
            cut = _longest_prefix(word, width, size, bold)
            lines += [line, word[:cut]] if line else [word[:cut]]
            line, word = "", word[cut:]
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, size, bold) > width:
            lines.append(line)
            candidate = word
        line = candidate
    return [*lines, line] if line or not lines else lines


def mark_of(point: Any) -> str:
    """The number drawn on a point (its ``label``; empty for an unnumbered point)."""
    label = getattr(point, "label", "")
    return "" if pd.isna(label) else str(label)


def ink(colour: str) -> str:
    """Black or white, whichever reads better on ``colour``."""
    red, green, blue = matplotlib.colors.to_rgb(colour)
    return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 0.6 else "#FFFFFF"


# -- the rows ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """One legend row: a heading, or a symbol with its text."""

    text: str
    symbol: str = "heading"  # point, zone, swatch, infrastructure, organisation, line, resoc,
    # city, end, sea, river, border
    colour: str = "#222222"
    mark: str = ""  # the number on a point, the letter of a zone
    width: float = 1.0  # a border line's width


def legend_entries(layers: MapLayers, style: Style, labels: Labels,
                   language: Language) -> list[Entry]:
    """The rows of the legend panel, in reading order: symbols, actors, points, zones."""
    grey = "#444444"
    entries = [Entry(labels("symbology")), Entry(labels("point"), "point", grey),
               Entry(labels("zone"), "zone", grey),
               Entry(labels("link_infrastructure"), "infrastructure", grey),
               Entry(labels("link_organisation"), "organisation", grey),
               Entry(labels("flanders"), "line", style.base["flanders"], width=1.2),
               Entry(labels("provinces"), "line", style.base["province"], width=0.8),
               Entry(labels("resoc_regions"), "resoc", style.base["resoc"], width=0.5),
               Entry(labels("city"), "city", "#333333"),
               Entry(labels("link_end"), "end", grey),
               Entry(labels("base_sea"), "sea", WATER_LINE),
               Entry(labels("base_rivers"), "river", WATER_LINE, width=1.0),
               Entry(labels("base_borders"), "border", BORDER, width=0.8),
               Entry(labels("sector_in"))]
    entries += [Entry(shorten(a.name(language)), "swatch", style.colour(a.id))
                for a in layers.spec.actors]
    used: set[str] = set()
    for frame in (layers.points, layers.zones, layers.links):
        used |= set(frame["actor_id"]) if "actor_id" in frame else set()
    if used - {a.id for a in layers.spec.actors}:
        entries.append(Entry(labels("other_sources"), "swatch", style.base["other"]))
    if len(layers.points):
        entries.append(Entry(labels("points")))
        entries += [Entry(shorten(p.name), "point", style.colour(p.actor_id), mark_of(p))
                    for p in layers.points.itertuples()]
    if len(layers.zones):
        entries.append(Entry(labels("zones")))
        entries += [Entry(shorten(z.name), "zone", style.colour(z.actor_id), zone_letter(i))
                    for i, z in enumerate(layers.zones.itertuples())]
    return entries


# -- layout -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Layout:
    """Where each row goes: (entry, wrapped lines, x, y) in points from the panel's top left."""

    rows: list[tuple[Entry, list[str], float, float]]
    size: float
    width_in: float
    height_pt: float
    indent: float
    left_out: int


def _badge_width(mark: str, size: float) -> float:
    """The width of a point's number badge in a legend row of font ``size``."""
    height = 1.35 * size
    return max(height, text_width(mark, 0.85 * size, True) + 0.6 * size) if mark else height


def flow(entries: list[Entry], width_in: float, height_pt: float, columns: int,
         size: float) -> Layout:
    """Flow the rows down ``columns`` columns; a heading never ends a column."""
    column_width = (width_in * 72 - _GAP_PT * (columns - 1)) / columns
    marks = [e.mark for e in entries if e.symbol in ("point", "zone")]
    indent = max([2.6 * size, *(_badge_width(m, size) for m in marks)]) + 0.6 * size
    line, space = 1.28 * size, 0.3 * size
    wrapped = [wrap(e.text, column_width - (0 if e.symbol == "heading" else indent), size,
                    bold=e.symbol == "heading") for e in entries]
    heights = [len(w) * line + space for w in wrapped]
    rows: list[tuple[Entry, list[str], float, float]] = []
    column, y = 0, 0.0
    for i, (entry, lines) in enumerate(zip(entries, wrapped, strict=True)):
        heading = entry.symbol == "heading"
        lead = 0.7 * size if heading and y > 0 else 0.0
        need = lead + heights[i] + (heights[i + 1] if heading and i + 1 < len(entries) else 0)
        if y + need > height_pt and y > 0:
            column, y, lead = column + 1, 0.0, 0.0
        if column >= columns:
            return Layout(rows, size, width_in, height_pt, indent, len(entries) - i)
        rows.append((entry, lines, column * (column_width + _GAP_PT), y + lead))
        y += lead + heights[i]
    return Layout(rows, size, width_in, height_pt, indent, 0)


def layout_right(entries: list[Entry], height_pt: float) -> Layout:
    """A panel beside the map: the largest font with which every row fits, in 1 or 2 columns."""
    candidates = [(1, 3.3, s) for s in (8.0, 7.5, 7.0, 6.5)]
    candidates += [(2, 4.6, s) for s in (7.0, 6.5, 6.0, 5.5)]
    for columns, width_in, size in candidates:
        layout = flow(entries, width_in, height_pt, columns, size)
        if not layout.left_out:
            return layout
    return _warn(layout)


def layout_below(entries: list[Entry], width_in: float, heights_pt: tuple[float, ...]) -> Layout:
    """A band under the map: the largest font whose band is at most ``heights_pt[0]`` high;
    else at most the next height (a crowded overview gives the legend more room)."""
    layout = None
    for max_height in heights_pt:
        for size in (7.5, 7.0, 6.5, 6.0, 5.5):
            columns = max(3, int(width_in * 72 // (28 * size)))
            height = 3 * size
            while height <= max_height:
                layout = flow(entries, width_in, height, columns, size)
                if not layout.left_out:
                    return layout
                height += size
    assert layout is not None
    return _warn(layout)


def _warn(layout: Layout) -> Layout:
    log.warning("the legend panel is full: %d rows are left out of the figure", layout.left_out)
    return layout


# -- drawing ----------------------------------------------------------------------------------
def draw_legend(ax: Axes, layout: Layout) -> None:
    """Draw the laid-out rows; the axes' units are points, y downwards."""
    ax.set_xlim(0, layout.width_in * 72)
    ax.set_ylim(layout.height_pt, 0)
    ax.set_axis_off()
    size = layout.size
    line = 1.28 * size
    for entry, lines, x, y in layout.rows:
        heading = entry.symbol == "heading"
        offset = 0.0 if heading else layout.indent
        for i, text in enumerate(lines):
            draw_text(ax, x + offset, y + (i + 0.5) * line, text, fontsize=size + heading,
                      fontweight="bold" if heading else "normal", va="center_baseline",
                      color="#111111")
        if not heading:
            _symbol(ax, entry, x, y + 0.5 * line, layout.indent - 0.6 * size, size)


def _symbol(ax: Axes, entry: Entry, x: float, y: float, width: float, size: float) -> None:
    """The symbol of a row, ``width`` points wide, its middle at height ``y``."""
    if entry.symbol == "point":
        badge(ax, x + _badge_width(entry.mark, size) / 2, y, entry.mark, entry.colour, size)
    elif entry.symbol == "zone":  # the zone's badge: its fill, its colour's edge, its letter
        side = _badge_width(entry.mark, size)
        ax.add_patch(Rectangle((x, y - side / 2), side, side, facecolor=zone_fill(entry.colour),
                               edgecolor=entry.colour, linewidth=1.1))
        if entry.mark:
            draw_text(ax, x + side / 2, y, entry.mark, fontsize=0.85 * size, fontweight="bold",
                      color="#1B1B1B", ha="center", va="center_baseline")
    elif entry.symbol in ("swatch", "sea"):  # an actor: its region's fill and outline
        height, box = 1.05 * size, 2.0 * size
        face = region_fill(entry.colour) if entry.symbol == "swatch" else SEA
        ax.add_patch(Rectangle((x, y - height / 2), box, height, facecolor=face,
                               edgecolor=entry.colour, linewidth=1.6 if face != SEA else 0.9))
    elif entry.symbol in ("line", "resoc", "river", "border"):
        dash: Any = {"resoc": RESOC_DASH, "border": BORDER_DASH}.get(entry.symbol, "-")
        ax.add_line(Line2D([x, x + width], [y, y], color=entry.colour, linewidth=entry.width,
                           linestyle=dash))
    elif entry.symbol in ("city", "end"):
        city = entry.symbol == "city"
        ax.add_line(Line2D([x + width / 2], [y], marker="o", markersize=3.6 if city else 5.0,
                           markerfacecolor="#333333" if city else "#FFFFFF",
                           markeredgecolor="#FFFFFF" if city else entry.colour,
                           markeredgewidth=0.6 if city else 1.3, linestyle="none"))
    else:  # a link: the head two thirds along, as on the map
        dash = DASH if entry.symbol == "organisation" else "-"
        ax.add_line(Line2D([x, x + width], [y, y], color=entry.colour, linestyle=dash,
                           linewidth=LINK_WIDTH_PT))
        head = x + width * 2 / 3 + 3
        ax.add_patch(FancyArrowPatch((head - 1, y), (head, y), arrowstyle="-|>",
                                     mutation_scale=11, color=entry.colour, linewidth=0,
                                     shrinkA=0, shrinkB=0))


def badge(ax: Axes, x: float, y: float, mark: str, colour: str, size: float) -> None:
    """A point's number on its colour, centred on (x, y) in points: a circle, or a rounded
    box when the number is too long for one."""
    height, width = 1.35 * size, _badge_width(mark, size)
    if width <= height:
        ax.add_line(Line2D([x], [y], marker="o", markersize=height, markerfacecolor=colour,
                           markeredgecolor="#FFFFFF", markeredgewidth=0.5, linestyle="none"))
    else:
        ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                    boxstyle=f"round,pad=0,rounding_size={height / 2}",
                                    facecolor=colour, edgecolor="#FFFFFF", linewidth=0.5))
    if mark:
        draw_text(ax, x, y, mark, fontsize=0.85 * size, fontweight="bold", color=ink(colour),
                  ha="center", va="center_baseline")


def widest(texts: Iterable[str], size: float, *, bold: bool = False) -> float:
    """The width of the widest of ``texts`` in points (0 for none)."""
    return max([text_width(t, size, bold) for t in texts if t] or [0.0])
