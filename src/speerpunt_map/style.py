"""Symbology and colours, shared by the interactive map and the printable figure.

Colours and labels are data (``legends/palette.csv``, ``legends/labels.csv``). In a province
map each actor of "Speerpuntsector in" gets its own colour of a colour-blind-safe palette; in a
Flanders overview each province gets one colour and its RESOCs shades of it, told apart by
their labels too.

What is guaranteed (``tests/test_palette.py`` measures it, with the CIEDE2000 and the simulated
deuteranopia of :mod:`speerpunt_map._colour_science`, on every map of the shipped catalogue
and on the shipped palette as a whole):

- a province map of up to 8 actors: any two actors' colours differ by CIEDE2000 ≥ 10, in
  normal vision and under simulated deuteranopia (Machado et al. 2009, severity 1) — every
  pair of the 8 colours of scheme ``actors`` (Okabe & Ito) does (the smallest: 11.5);
- a Flanders overview whose provinces have up to 6 actors each (the province and 5 RESOCs or
  plans; the shipped vocabulary has at most 6): colours of one province family differ by
  CIEDE2000 ≥ 10 in normal vision and under simulated deuteranopia; colours of two families,
  and any colour and the grey of "other" sources, by ≥ 10 in normal vision. The shades are data
  (scheme ``shades`` of ``palette.csv``, derived by ``legends/tools/derive_shades.py``);
- beyond these sizes (a ninth actor, a seventh member of a family, a palette without
  ``shades``) colours repeat or are computed lighter and darker variants (:func:`_shade`) and
  nothing is guaranteed.

Region and zone fills are opaque tints of an actor's colour (:func:`region_fill`,
:func:`zone_fill`): what is drawn is what the legend's swatch shows.
"""

from __future__ import annotations

import colorsys
import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ._errors import GeodataError
from ._paths import shipped_legends
from ._types import Language, is_language
from .vocab import Actor

__all__ = ["Labels", "Palette", "Style", "load_label_table", "load_labels", "load_palette",
           "region_fill", "style_for", "tint", "zone_fill"]

# Line and fill settings of Table 10's four symbols, in screen pixels / opacities.
POINT_RADIUS_PX = 11
ZONE_FILL_OPACITY = 0.25
REGION_FILL_OPACITY = 0.08
LINK_WEIGHT_PX = 3
ORGANISATION_DASH = "8 6"
#: How much of an actor's colour the opaque fill of a region / zone holds (the rest is white).
#: Fills are opaque, so that what a reader sees is the legend's swatch, never a mix of layers.
REGION_TINT = 0.16
ZONE_TINT = 0.42


def tint(colour: str, amount: float) -> str:
    """``colour`` mixed with white: ``amount`` 1 is the colour, 0 white; opaque ``#RRGGBB``.

    Examples
    --------
    >>> tint("#0072B2", 0.5)
    '#80B8D8'
    """
    channels = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * amount):02X}" for c in channels)


def region_fill(colour: str) -> str:
    """The opaque fill of an actor's region, as drawn on the page, the figure and the swatch."""
    return tint(colour, REGION_TINT)


def zone_fill(colour: str) -> str:
    """The opaque fill of a zone, as drawn on the page, the figure and the swatch."""
    return tint(colour, ZONE_TINT)


def _read(path: Path) -> list[dict[str, str]]:
    """A small project CSV; a row with more or fewer fields than the header is an error."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows, start=2):
        if None in row or None in row.values():
            raise GeodataError(f"{path}, row {number}: the number of fields differs from the "
                               "header (quote a value that holds a comma)")
    return rows


#: Colour schemes by name (``actors``, ``province``, ``base``): key → ``#RRGGBB``.
Palette = dict[str, dict[str, str]]


@cache
def load_palette(path: Path) -> Palette:
    """The colour schemes of a ``palette.csv``."""
    schemes: Palette = {}
    for row in _read(path):
        schemes.setdefault(row["scheme"], {})[row["key"]] = row["colour"]
    return schemes


class Labels:
    """The words of maps and figures, in Dutch (default) or English, from ``labels.csv``."""

    def __init__(self, table: dict[str, dict[str, str]], language: str) -> None:
        if not is_language(language):
            raise ValueError(f"language {language!r}: expected 'nl' or 'en'")
        self.language: Language = language
        self._table = table

    def __call__(self, key: str, **values: object) -> str:
        """The label ``key``, with ``{placeholders}`` filled in."""
        text = self._table[key][self.language]
        return text.format(**values) if values else text


@cache
def load_label_table(path: Path) -> dict[str, dict[str, str]]:
    """The rows of a ``labels.csv`` by key."""
    return {row["key"]: row for row in _read(path)}


def load_labels(language: str = "nl", path: str | Path | None = None) -> Labels:
    """The labels in ``"nl"`` or ``"en"``, from a ``labels.csv`` (the shipped one by default)."""
    if path is None:
        path = shipped_legends() / "labels.csv"
    return Labels(load_label_table(Path(path).resolve()), language)


def _shade(colour: str, step: int, steps: int) -> str:
    """A lighter or darker variant of ``colour``: step 0 is the colour itself."""
    if steps <= 1 or step == 0:
        return colour
    red, green, blue = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    # Alternate darker and lighter, spreading over ±0.22 lightness.
    offset = ((step + 1) // 2) * (0.22 / max(1, (steps) // 2)) * (-1 if step % 2 else 1)
    lightness = min(0.85, max(0.15, lightness + offset))
    red, green, blue = colorsys.hls_to_rgb(hue, lightness, saturation)
    return "#" + "".join(f"{round(c * 255):02X}" for c in (red, green, blue))


@dataclass(frozen=True)
class Style:
    """The colours of one map: per actor, plus the base layers."""

    actor_colours: dict[str, str]
    base: dict[str, str]

    def colour(self, actor_id: str) -> str:
        """The colour of an actor's features; the 'other' colour for actors not on the map."""
        return self.actor_colours.get(actor_id, self.base["other"])


def style_for(actors: tuple[Actor, ...], *, overview: bool, palette: Palette) -> Style:
    """Colours for the actors of a map.

    Parameters
    ----------
    actors
        The actors of "Speerpuntsector in", in the catalogue's order.
    overview
        A Flanders overview: colour by province, RESOCs as shades of their province's colour.
    palette
        The colour schemes (:attr:`speerpunt_map.Resources.palette`).

    Returns
    -------
    Style
    """
    if not overview:
        colours = list(palette["actors"].values())
        chosen = {a.id: colours[i % len(colours)] for i, a in enumerate(actors)}
        return Style(chosen, palette["base"])
    by_province: dict[str, list[Actor]] = {}
    for actor in actors:
        by_province.setdefault(actor.province, []).append(actor)
    chosen = {}
    shades = palette.get("shades", {})
    for province, members in by_province.items():
        base = palette["province"].get(province, palette["base"]["other"])
        # The province itself keeps the pure colour; its RESOCs get the shades, in name order.
        members = sorted(members, key=lambda a: (a.kind != "province", a.name_nl))
        for step, actor in enumerate(members):
            chosen[actor.id] = shades.get(f"{province}/{step}") or \
                _shade(base, step, len(members))
    return Style(chosen, palette["base"])
