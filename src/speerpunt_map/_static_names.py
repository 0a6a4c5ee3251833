"""The names on the printable figure's map, placed so that none covers another or a symbol.

Greedy, in a fixed order (cities, then link ends, then countries, regions and the sea, then
rivers): each name is tried at positions around its anchor (right, left, above, below, the
four diagonals; then the same farther out, with a thin leader line) and takes the first where its
rendered box (:meth:`matplotlib.text.Text.get_window_extent` with the figure's renderer) lies
inside the map frame and overlaps no name placed before, no marker, no city dot, no link end
and not the scale bar or north arrow. A city or a link end is never dropped: if no position is
free it takes the one that overlaps least (and a warning is logged). A country's, region's, sea's
or river's name is left out where it does not fit.

Each placed name is a :class:`~matplotlib.text.Text` of the map's axes whose artist label
(:meth:`~matplotlib.artist.Artist.get_label`, not drawn) is ``name-<kind>`` (``name-city``,
``name-end``, ``name-country``, …), so that a test can find them.

:func:`place_markers` spreads the points' and zones' markers first, so that none covers another
(the names then avoid them).
"""

from __future__ import annotations

import logging
import textwrap
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import offset_copy

from ._static_legend import FONT, plain

log = logging.getLogger(__name__)

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in display pixels
HA = Literal["left", "center", "right"]
VA = Literal["bottom", "center", "top"]
Candidate = tuple[float, float, float, float, HA, VA]  # x, y (data), dx, dy (points), ha, va
#: Kinds in placing order; the first two are never dropped.
ORDER = ("city", "end", "country", "region", "sea", "river")
_SIZE = {"city": 7.0, "end": 7.0, "country": 8.0, "region": 6.5, "sea": 8.0, "river": 6.5}
_STYLE: dict[str, dict[str, object]] = {
    "city": {"color": "#222222"},
    "end": {"color": "#111111", "fontweight": "bold"},
    "country": {"color": "#666666", "fontstyle": "italic"},
    "region": {"color": "#666666", "fontstyle": "italic"},
    "sea": {"color": "#3F6F99", "fontstyle": "italic"},
    "river": {"color": "#2F6F9F", "fontstyle": "italic"},
}
_HALO = [patheffects.withStroke(linewidth=2.2, foreground="#FFFFFF")]
_DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1), (0.75, 0.75), (-0.75, 0.75), (0.75, -0.75),
               (-0.75, -0.75))
_FAR = ((0.92, 0.38), (-0.92, 0.38), (0.92, -0.38), (-0.92, -0.38), (0.38, 0.92),
        (-0.38, 0.92), (0.38, -0.92), (-0.38, -0.92))
_GAPS = (3.5, 9.0, 16.0, 26.0, 38.0, 52.0, 70.0, 90.0, 115.0)  # points from anchor to name
_LEADER_FROM = 16.0  # a name this far from its anchor gets a thin leader line to it


@dataclass
class Name:
    """A name to place: its text, kind, anchor (data units) and, for an area, other spots."""

    text: str
    kind: str
    x: float
    y: float
    spots: list[tuple[float, float]] = field(default_factory=list)

    @property
    def required(self) -> bool:
        """Cities and link ends are never dropped."""
        return self.kind in ("city", "end")


def wrapped(text: str, width: int = 24) -> str:
    """A long name on two or more lines of about ``width`` characters."""
    lines = textwrap.wrap(" ".join(plain(text).split()), width, break_on_hyphens=False)
    return "\n".join(lines) or plain(text)


def _overlap(box: Box, others: np.ndarray) -> float:
    """The total area of ``box`` covered by the boxes ``others`` (n × 4)."""
    if not len(others):
        return 0.0
    w = np.clip(np.minimum(box[2], others[:, 2]) - np.maximum(box[0], others[:, 0]), 0, None)
    h = np.clip(np.minimum(box[3], others[:, 3]) - np.maximum(box[1], others[:, 1]), 0, None)
    return float(np.sum(w * h))


def _candidates(name: Name) -> list[Candidate]:
    """(x, y, dx, dy, ha, va) to try: around the anchor for a point, centred for an area."""
    if name.kind in ("country", "region", "sea"):
        spots = [(name.x, name.y), *name.spots]
        return [(x, y, dx, dy, "center", "center") for x, y in spots
                for dx, dy in ((0, 0), (0, 12), (0, -12), (24, 0), (-24, 0))]
    out: list[Candidate] = []
    for gap in _GAPS:
        for ux, uy in _DIRECTIONS + (_FAR if gap >= _LEADER_FROM else ()):
            ha: HA = "left" if ux > 0 else "right" if ux < 0 else "center"
            va: VA = "bottom" if uy > 0 else "top" if uy < 0 else "center"
            out.append((name.x, name.y, ux * gap, uy * gap, ha, va))
    return out


def place_names(ax: Axes, renderer: RendererBase, names: list[Name], obstacles: list[Box],
                *, scale: float = 1.0) -> list[Text]:
    """Place ``names`` on ``ax`` (see the module), their fonts ``scale`` times the usual size;
    returns the placed texts, in order."""
    frame = ax.get_window_extent(renderer)
    inner = (frame.x0 + 2, frame.y0 + 2, frame.x1 - 2, frame.y1 - 2)
    fixed = np.array(obstacles, dtype=float).reshape(-1, 4)
    placed: list[Box] = []
    texts = []
    for name in sorted(names, key=lambda n: ORDER.index(n.kind)):
        text = ax.text(name.x, name.y, wrapped(name.text), fontfamily=FONT, usetex=False,
                       zorder=7.5, clip_on=False, path_effects=_HALO, label=f"name-{name.kind}",
                       multialignment="center" if name.kind != "end" else "left",
                       **{**_STYLE[name.kind],  # type: ignore[arg-type]
                          "fontsize": _SIZE[name.kind] * scale})
        best: tuple[float, Box, Candidate] | None = None
        for candidate in _candidates(name):
            box = _try(ax, text, renderer, candidate)
            outside = not (inner[0] <= box[0] and inner[1] <= box[1] and box[2] <= inner[2]
                           and box[3] <= inner[3])
            if outside and not name.required:
                continue
            cost = 10 * _overlap(box, np.array(placed).reshape(-1, 4)) + _overlap(box, fixed)
            cost += 1e6 if outside else 0.0
            if best is None or cost < best[0]:
                best = (cost, box, candidate)
            if cost == 0:
                break
        if best is None or (best[0] > 0 and not name.required):
            text.remove()
            if name.required:
                log.warning("no room on the figure for the name %r", name.text)
            continue
        if best[0] > 0:
            log.warning("the name %r overlaps another name or symbol on the figure", name.text)
        _try(ax, text, renderer, best[2])
        x0, y0, x1, y1 = best[1]
        placed.append((x0 - 1, y0 - 1, x1 + 1, y1 + 1))
        texts.append(text)
        if max(abs(best[2][2]), abs(best[2][3])) >= _LEADER_FROM:
            _leader(ax, (name.x, name.y), best[1])
    return texts


def _leader(ax: Axes, anchor: tuple[float, float], box: Box) -> None:
    """A thin line from the anchor to the nearest point of the name's box."""
    ax_, ay = ax.transData.transform(anchor)
    near = (min(max(ax_, box[0]), box[2]), min(max(ay, box[1]), box[3]))
    x, y = ax.transData.inverted().transform(near)
    ax.add_artist(Line2D([anchor[0], x], [anchor[1], y], color="#555555", linewidth=0.5,
                         zorder=7.4, label="leader"))


def _try(ax: Axes, text: Text, renderer: RendererBase, candidate: Candidate) -> Box:
    x, y, dx, dy, ha, va = candidate
    text.set_position((x, y))
    text.set_transform(offset_copy(ax.transData, fig=ax.get_figure(root=True), x=dx, y=dy,
                                   units="points"))
    text.set_horizontalalignment(ha)
    text.set_verticalalignment(va)
    extent = text.get_window_extent(renderer)
    return float(extent.x0), float(extent.y0), float(extent.x1), float(extent.y1)


# -- markers ---------------------------------------------------------------------------------
def place_markers(xy: np.ndarray, diameter: float, size: tuple[float, float],
                  keep_out: list[Box]) -> np.ndarray:
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


def _keep_out(xy: np.ndarray, boxes: list[Box], radius: float) -> np.ndarray:
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
