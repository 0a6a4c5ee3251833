"""Printable figures of a map: one A4 landscape page as PNG, PDF or SVG.

The page shows the same base map, colours, symbols and names as the interactive map (Table 10
of the report): the North Sea, rivers, coast and national borders (GSHHG, credited in the
footnote), the actors' regions and the zones as opaque tints of their colour (what is drawn is
the swatch), points as numbered circles and zones as lettered squares (spread where they would
overlap, with a leader to their place), links as arrows from start to end (infrastructural
solid, organisational dashed) with a symbol and the place's name at each end, and the names of
the cities, neighbouring countries and regions, the sea and rivers, none covering another or a
symbol. A legend panel lists the symbols, the actors and the numbered points and lettered
zones: beside a province map, under the wide Flanders overviews. Above the map: a title, the
source years and the focus note; below it: the sources (the base map's credit among them) and
the report's warning that the map only indicates a geography.

>>> layers = load_atlas().map("antwerpen/logistiek")   # doctest: +SKIP
>>> save_figure(layers, "antwerpen-logistiek.pdf")     # doctest: +SKIP

The map is drawn in Belgian Lambert 72 (EPSG:31370), so the scale bar is true, with
matplotlib's object interface only (no pyplot, no display, no tiles). Strings from tables are
drawn as plain text (see :func:`speerpunt_map._static_legend.draw_text`), and a file built
twice is byte-identical.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ._errors import OutputError
from ._io import write_bytes
from ._static_legend import (
    FONT,
    Entry,
    Layout,
    draw_legend,
    draw_text,
    fit_line,
    layout_below,
    layout_right,
    legend_entries,
    plain_title,
    quiet_glyphs,
    shorten,
    wrap,
)
from ._static_map import Extent, draw_map, project
from ._types import FLANDERS, Language
from .atlas import MapLayers
from .description import MapDescription, describe
from .style import Labels, style_for

__all__ = ["PAGE_SIZE_IN", "PNG_DPI", "figure_bytes", "figure_from_layers", "save_figure"]

PAGE_SIZE_IN = (11.69, 8.27)  # A4 landscape
PNG_DPI = 150  # A4 → 1753 × 1240 px

_MARGIN, _GAP = 0.4, 0.2  # page margin, and the gap between map and legend, in inches
_RC: dict[Any, Any] = {"text.usetex": False, "font.family": "sans-serif",
                       "font.sans-serif": [FONT], "svg.fonttype": "none",
                       "svg.hashsalt": "speerpunt_map", "pdf.fonttype": 42,
                       "axes.unicode_minus": False}
_METADATA: dict[str, dict[str, Any]] = {
    "png": {}, "svg": {"Date": None, "Creator": "speerpunt_map"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "speerpunt_map",
            "Producer": "speerpunt_map (matplotlib)"}}


# -- the page ---------------------------------------------------------------------------------
def _subtitle(description: MapDescription) -> str:
    """The source years and the map's focus note."""
    return "   ·   ".join(part for part in (description.years_line, description.focus) if part)


def _subtitle_lines(subtitle: str, width: float) -> list[str]:
    """At most two lines; a longer subtitle (a long focus note) ends in "…"."""
    # Two lines hold a few hundred characters: wrap no more than that.
    lines = wrap(shorten(subtitle, 600), width, 9) if subtitle.strip() else []
    if len(lines) > 2:
        lines = [lines[0], fit_line(lines[1] + " " + lines[2] + "…", width, 9)]
    return lines


def _footer(description: MapDescription, labels: Labels) -> list[str]:
    """The sources (the base map's credit last); the report's warning and the map's notes."""
    return [f"{labels('sources')}: " + "; ".join((*description.sources,
                                                   labels("basemap_credit"))),
            " ".join(description.notes)]


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
    layout = layout_below(entries, width, ((height - min(needed, 0.66 * height) - _GAP) * 72,
                                           (height * 0.55 - _GAP) * 72))
    band = layout.height_pt / 72
    return ((left, bottom + band + _GAP, width, height - band - _GAP),
            (left, bottom, width, band), layout)


def figure_from_layers(layers: MapLayers, *, language: Language = "nl") -> Figure:
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
    labels = layers.resources.labels(language)
    description = describe(layers, language)
    overview = layers.spec.scope == FLANDERS
    style = style_for(layers.spec.actors, overview=overview, palette=layers.resources.palette)
    page_w, page_h = PAGE_SIZE_IN
    text_w = (page_w - 2 * _MARGIN) * 72

    def at(x: float, y: float) -> tuple[float, float]:  # inches → figure fraction
        return x / page_w, y / page_h

    with matplotlib.rc_context(_RC), quiet_glyphs():
        figure = Figure(figsize=PAGE_SIZE_IN, dpi=PNG_DPI)
        FigureCanvasAgg(figure)
        # Header from the top down: the title, then at most two lines of subtitle.
        top = page_h - _MARGIN
        title = fit_line(shorten(description.title, 110), text_w, 16, bold=True)
        draw_text(figure, *at(_MARGIN, top), title, fontsize=16, fontweight="bold", va="top")
        top -= 0.38
        for line in _subtitle_lines(_subtitle(description), text_w):
            draw_text(figure, *at(_MARGIN, top), line, fontsize=9, va="top", color="#333333")
            top -= 0.18
        top -= 0.1
        # Footer from the bottom up.
        footer = [w for part in _footer(description, labels) for w in wrap(part, text_w, 6.5)]
        for i, line in enumerate(reversed(footer)):
            draw_text(figure, *at(_MARGIN, _MARGIN * 0.75 + i * 0.12), line, fontsize=6.5,
                      va="bottom", color="#444444")
        bottom = _MARGIN * 0.75 + len(footer) * 0.12 + 0.14
        body = (_MARGIN, bottom, page_w - 2 * _MARGIN, top - bottom)
        entries = legend_entries(layers, style, labels, language)
        projected = project(layers)
        map_box, legend_box, layout = _boxes(projected.view, entries, body, overview)
        ax = figure.add_axes((*at(*map_box[:2]), *at(*map_box[2:])))
        draw_map(ax, projected, style, (map_box[2], map_box[3]), labels=labels)
        draw_legend(figure.add_axes((*at(*legend_box[:2]), *at(*legend_box[2:]))), layout)
    return figure


def figure_bytes(layers: MapLayers, kind: str, *, language: Language = "nl") -> bytes:
    """The printable figure of a map as the bytes of a ``png``, ``pdf`` or ``svg`` file.

    The same map gives the same bytes (no timestamps, SVG ids from a fixed salt).

    Parameters
    ----------
    layers
        The map to draw.
    kind
        ``"png"``, ``"pdf"`` or ``"svg"``.
    language
        ``"nl"`` (default) or ``"en"``.

    Returns
    -------
    bytes

    Raises
    ------
    OutputError
        For another kind.
    """
    if kind not in _METADATA:
        raise OutputError(f"cannot write a figure as {kind!r}; use png, pdf or svg")
    figure = figure_from_layers(layers, language=language)
    metadata = dict(_METADATA[kind])
    if kind != "png":
        metadata["Title"] = plain_title(describe(layers, language).title)
    buffer = io.BytesIO()
    with matplotlib.rc_context(_RC), quiet_glyphs():
        figure.savefig(buffer, format=kind, dpi=PNG_DPI, metadata=metadata)
    return buffer.getvalue()


def save_figure(layers: MapLayers, path: str | Path, *, language: Language = "nl",
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
    if not overwrite and path.exists():
        raise OutputError(f"{path} exists; not overwriting it (use --overwrite to replace it)")
    return write_bytes(path, figure_bytes(layers, kind, language=language), overwrite=overwrite)
