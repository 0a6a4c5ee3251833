"""What a page draws, as data: the features of each layer with their text, geometry and group
(:class:`FeatureLayer`), and the one compact payload the page's script builds every marker,
tooltip, popup, legend entry and table row from (:func:`payload`).

Each feature travels once. Its text is a :class:`~speerpunt_map.description.FeatureText` (one's
own frames add further columns: :class:`FieldText`), stored column-wise: a column is one
string when every feature has the same value, else a list whose items are strings or numbers
— a number ``k`` stands for ``strings[k]``, a string the page shares because it repeats. Its
geometry is encoded by :mod:`speerpunt_map._leaflet`: points and link vertices as one delta
list per layer at 1e-5° (``xy``, with each link's vertex count in ``n``), areas as polygons of
delta-encoded rings — inline at 1e-5°, or the key of a shared boundary area of the page's
:class:`~speerpunt_map._elements.GeoStore` (1e-4°).

A layer names, for its popups, the fields to show (label, column, whether an empty value is
left out), for its tooltips the columns to join, and the page the columns of its table. The
script builds a tooltip or a popup only when it opens, from text nodes.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import shapely

from ._leaflet import FEATURE_SCALE, encode_area, encode_lines, encode_points
from .description import FeatureText
from .style import region_fill, zone_fill

__all__ = ["CANVAS_THRESHOLD", "PAGE_SIZE", "PAGE_THRESHOLD", "FeatureLayer", "FieldText",
           "Group", "LayerKind", "PageData", "drawing_order", "legend_order", "payload",
           "payload_json", "payload_script", "runs", "zone_letter"]

#: Above this many points, points are circles on a canvas (not DOM markers), and their
#: numbers are drawn only where they are legible. Numbered markers, spread apart where they
#: stand close, are for maps one reads marker by marker (the shipped maps have at most 17
#: points); at 1 000 points such a page opened in 2.8 s against 1.7 s for 10 000 points on a
#: canvas (benchmarks/run.py, medians of 5 runs at 17ec7ef).
CANVAS_THRESHOLD = 500
#: Above this many features, the legend's lists and the table show :data:`PAGE_SIZE` entries
#: at a time.
PAGE_THRESHOLD = 2000
PAGE_SIZE = 100

LayerKind = Literal["region", "zone", "link", "point"]

_TEXT: dict[str, Callable[[FeatureText], str]] = {
    "name": lambda t: t.name,
    "label": lambda t: t.label,
    "kind": lambda t: t.kind_label,
    "actors": lambda t: ", ".join(t.actors),
    "years": lambda t: t.years_text,
    "source": lambda t: t.source,
    "remark": lambda t: t.remark,
    "from": lambda t: t.link_from,
    "to": lambda t: t.link_to,
}


@dataclass(frozen=True)
class FieldText(FeatureText):
    """The text of a feature of one's own frames: a :class:`FeatureText` and the values of the
    further columns its popup shows (named by the layer's ``f0``, ``f1``, … fields)."""

    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    """One legend group: an actor's features of one kind, drawn in the actor's colour.

    Attributes
    ----------
    actor
        The key of the actor's check box (``""``: no check box).
    kind
        ``region``, ``zone``, ``link-infrastructure``, ``link-organisation`` or ``point``.
    name
        The group's layer name (``"RESOC Kempen – Zones"``).
    colour
        ``#RRGGBB``.
    """

    actor: str
    kind: str
    name: str
    colour: str

    @property
    def fill(self) -> str:
        """The opaque fill of the group's areas (its swatch), else its colour."""
        if self.kind == "region":
            return region_fill(self.colour)
        return zone_fill(self.colour) if self.kind == "zone" else self.colour


@dataclass
class FeatureLayer:
    """The features of one kind, in the order the page lists them.

    Attributes
    ----------
    kind
        What is drawn: ``region`` and ``zone`` as areas, ``link`` as lines, ``point``.
    texts
        What each feature says.
    geometry
        Each feature's geometry (EPSG:4326).
    groups
        Each feature's group (an index into :attr:`PageData.groups`).
    popup
        The popup's fields after its heading: (label, column, left out when empty).
    tooltip
        The columns the tooltip joins (after the number).
    directed
        For links: whether each one has an arrow (from its first vertex to its last).
    legend_order
        The order of the legend's list, when it is not the layer's (indices).
    in_table
        Whether the layer's features are rows of the table.
    shared
        For areas the page's store holds (boundaries), each one's key there.
    """

    kind: LayerKind
    texts: Sequence[FeatureText]
    geometry: Sequence[shapely.Geometry]
    groups: Sequence[int]
    popup: Sequence[tuple[str, str, bool]]
    tooltip: tuple[str, ...] = ("name",)
    directed: Sequence[bool] | None = None
    legend_order: Sequence[int] | None = None
    in_table: bool = True
    shared: Sequence[str] | None = None


@dataclass
class PageData:
    """Everything a page draws of its features.

    Attributes
    ----------
    layers
        Regions, zones, links and points, in drawing order.
    groups
        The legend groups the features belong to.
    table
        The table's columns: (header, column); ``title`` is the name with a link's ends.
    styles
        Leaflet path options per group kind (the colour is the group's).
    """

    layers: list[FeatureLayer]
    groups: list[Group]
    table: list[tuple[str, str]]
    styles: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def points(self) -> int:
        """How many points the page draws."""
        return sum(len(layer.texts) for layer in self.layers if layer.kind == "point")

    @property
    def features(self) -> int:
        """How many features the page lists (regions are not listed)."""
        return sum(len(layer.texts) for layer in self.layers if layer.in_table)


def drawing_order(layers: Sequence[FeatureLayer], groups: Sequence[Group],
                  kinds: Sequence[str]) -> list[Group]:
    """The groups in drawing order (by their kind's place in ``kinds``: regions below zones
    below links below points), the layers' group indices renumbered to match."""
    order = sorted(range(len(groups)), key=lambda i: kinds.index(groups[i].kind))
    renumber = {old: new for new, old in enumerate(order)}
    for layer in layers:
        layer.groups = [renumber[g] for g in layer.groups]
    return [groups[i] for i in order]


def legend_order(texts: Sequence[FeatureText]) -> list[int]:
    """The order of points in the legend: by number as people count (A2 before A10), then
    by name; unnumbered points last.

    Examples
    --------
    >>> from speerpunt_map.description import FeatureText
    >>> texts = [FeatureText("point", n, label, "", (), (), "", "")
    ...          for n, label in [("b", "A10"), ("c", ""), ("a", "A2")]]
    >>> legend_order(texts)
    [2, 0, 1]
    """
    def key(i: int) -> tuple[str, int, str]:
        label = texts[i].label
        if label.isascii() and label.isdigit():
            return ("", int(label), texts[i].name)
        match = _NUMBERED.fullmatch(label)
        if not match:
            return ("~", 0, texts[i].name)
        return (match.group(1), int(match.group(2)), texts[i].name)

    return sorted(range(len(texts)), key=key)


_NUMBERED = re.compile(r"([A-Z]*)(\d+)")


def runs(order: Sequence[int]) -> list[list[int]]:
    """An order of indices as runs ``[start, count]`` of consecutive ones.

    Examples
    --------
    >>> runs([0, 1, 2, 7, 8, 3])
    [[0, 3], [7, 2], [3, 1]]
    """
    out: list[list[int]] = []
    for index in order:
        if out and out[-1][0] + out[-1][1] == index:
            out[-1][1] += 1
        else:
            out.append([index, 1])
    return out


class _Strings:
    """The strings a page shares: those that repeat, most frequent first."""

    def __init__(self, columns: list[list[str]]) -> None:
        counts = Counter(value for column in columns for value in column)
        shared = [value for value, n in counts.most_common() if n > 1 and len(value) > 2]
        self.index = {value: i for i, value in enumerate(shared)}

    def column(self, values: list[str]) -> str | list[str | int]:
        if not values or all(v == values[0] for v in values):
            return values[0] if values else ""
        index = self.index
        return [index.get(v, v) for v in values]


def zone_letter(index: int) -> str:
    """The letter that marks the ``index``-th zone on the map and in the legend.

    Examples
    --------
    >>> [zone_letter(i) for i in (0, 1, 25, 26, 27)]
    ['A', 'B', 'Z', 'AA', 'AB']
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _columns(layer: FeatureLayer, keys: set[str]) -> dict[str, list[str]]:
    columns = {key: [get(t) for t in layer.texts] for key, get in _TEXT.items() if key in keys}
    if layer.kind == "zone" and "label" in columns and not any(columns["label"]):
        # Zones are lettered (A, B, …) in the legend's order, on the map and in the table.
        order = layer.legend_order if layer.legend_order is not None else range(len(layer.texts))
        for rank, i in enumerate(order):
            columns["label"][i] = zone_letter(rank)
    for key in sorted(keys - set(_TEXT)):
        k = int(key[1:])  # "f0", "f1", …: the further fields of one's own frames
        columns[key] = [t.fields[k] if isinstance(t, FieldText) else "" for t in layer.texts]
    return columns


def _ints(values: Sequence[int]) -> int | list[int]:
    values = list(values)
    return values[0] if values and all(v == values[0] for v in values) else values


def _geometry(layer: FeatureLayer) -> dict[str, Any]:
    if layer.kind == "point":
        return {"xy": encode_points(list(layer.geometry))}
    if layer.kind == "link":
        xy, counts = encode_lines(list(layer.geometry))
        directed = layer.directed if layer.directed is not None else [True] * len(counts)
        return {"xy": xy, "n": counts, "dir": _ints([int(d) for d in directed])}
    # Areas are drawn largest first, so that no opaque area hides a smaller one; a zone's
    # letter stands at a point inside it.
    areas = shapely.area(list(layer.geometry))
    order = sorted(range(len(layer.geometry)), key=lambda i: -float(areas[i]))
    drawn = {"draw": order} if order != list(range(len(order))) else {}
    if layer.shared is not None:
        return {"areas": list(layer.shared), **drawn}
    inside = {"at": encode_points([shapely.point_on_surface(g) for g in layer.geometry])}
    return {"areas": [encode_area(g) for g in layer.geometry], **drawn,
            **(inside if layer.kind == "zone" else {})}


def payload(data: PageData, extent: tuple[float, float, float, float]) -> dict[str, Any]:
    """The page's data: view, layers, shared strings, table and legend lists (see the module).

    Parameters
    ----------
    data
        What the page draws.
    extent
        West, south, east, north: what the map shows when it opens.

    Returns
    -------
    dict
        JSON-ready; :func:`payload_json` writes it into a script.
    """
    table_keys = {key for _, key in data.table} | {"name", "label"}
    if "title" in table_keys:  # the name, and a link's ends
        table_keys = (table_keys - {"title"}) | {"from", "to"}
    wanted = []
    for layer in data.layers:
        keys = {"name", "label"} | set(layer.tooltip) | {key for _, key, _ in layer.popup}
        if layer.in_table:
            keys |= table_keys
        if layer.kind != "link":
            keys -= {"from", "to"}
        wanted.append(_columns(layer, keys))
    strings = _Strings([c for columns in wanted for c in columns.values()])
    layers = []
    for layer, columns in zip(data.layers, wanted, strict=True):
        layers.append({
            "kind": layer.kind, "size": len(layer.texts), "g": _ints(layer.groups),
            **_geometry(layer), "cols": {k: strings.column(v) for k, v in columns.items()},
            "popup": [list(f) for f in layer.popup], "tooltip": list(layer.tooltip),
            "rowKind": layer.texts[0].kind if layer.texts else layer.kind})
    paged = data.features > PAGE_THRESHOLD
    west, south, east, north = (round(v, 5) for v in extent)
    return {
        "view": [[south, west], [north, east]], "scale": FEATURE_SCALE,
        "canvas": data.points > CANVAS_THRESHOLD,
        "page": PAGE_SIZE if paged else 0, "strings": list(strings.index),
        "styles": data.styles, "layers": layers,
        "table": {"columns": [key for _, key in data.table], "rows": _table_rows(data)},
        "lists": [{"layer": i, "order": runs(layer.legend_order if layer.legend_order
                                              is not None else range(len(layer.texts)))}
                  for i, layer in enumerate(data.layers)
                  if layer.kind in ("point", "zone") and layer.in_table and layer.texts],
    }


def _table_rows(data: PageData) -> list[list[int]]:
    """The table's rows, by file and row, as runs ``[layer, start, count]``."""
    rows = sorted(((t.file, t.row), i, n) for i, layer in enumerate(data.layers)
                  if layer.in_table for n, t in enumerate(layer.texts))
    out: list[list[int]] = []
    for _, layer, index in rows:
        if out and out[-1][0] == layer and out[-1][1] + out[-1][2] == index:
            out[-1][2] += 1
        else:
            out.append([layer, index, 1])
    return out


def payload_json(value: dict[str, Any]) -> str:
    """The payload as JSON that is safe inside a ``<script>``: ASCII, with ``<``, ``>``, ``&``
    and ``'`` as ``\\u`` escapes (so no ``</script>`` can end the script early)."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("'", "\\u0027"))


def payload_script(value: dict[str, Any]) -> str:
    """The payload as a JavaScript expression: ``JSON.parse('…')`` of :func:`payload_json`.

    A browser parses a large JSON string faster than the same object written as a literal;
    the JSON holds no ``'`` and no line break, so only its backslashes need doubling.
    """
    return "JSON.parse('" + payload_json(value).replace("\\", "\\\\") + "')"
