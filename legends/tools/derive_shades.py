"""Derive the RESOC shades of each province colour in ``legends/palette.csv`` (scheme ``shades``).

A Flanders overview colours an actor by its province: the province keeps the province colour
(scheme ``province``), its RESOCs and plans get shades 1-5 of it, in that order. The shades are
chosen here, once, and kept as data:

- candidates: the sRGB colours of a 16-level grid (0, 17, …, 255 per channel) whose CIELAB hue
  lies within 25° of the province colour, with CIELAB chroma 18-75 and lightness 28-86 (no
  near-white, near-black or grey shade);
- greedy, one shade per province in turn: the candidate whose smallest CIEDE2000 difference to
  every colour chosen so far is largest. Within one province the difference counts both in
  normal vision and under simulated deuteranopia (Machado, Oliveira & Fernandes 2009,
  severity 1); across provinces in normal vision; the "other" grey (scheme ``base``) counts as
  a colour already chosen; the distance to white counts with 5 less.

Run from the repository root::

    python legends/tools/derive_shades.py           # rewrite the shades rows of palette.csv
    python legends/tools/derive_shades.py --check   # exit 1 if palette.csv differs

Needs only this package (``speerpunt_map._colour_science``).
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import sys
from pathlib import Path

from speerpunt_map._colour_science import ciede2000, deuteranopia, srgb_to_lab

PALETTE = Path(__file__).resolve().parents[1] / "palette.csv"
SHADES = 5  # shades per province besides the province colour: the largest family is 6
HUE_WINDOW, CHROMA, LIGHTNESS = 25.0, (18.0, 75.0), (28.0, 86.0)
SOURCE = ("derived by legends/tools/derive_shades.py (greedy largest smallest CIEDE2000, "
          "see its docstring); checked by tests/test_palette.py")
Lab = tuple[float, float, float]


def _lch(lab: Lab) -> tuple[float, float, float]:
    return lab[0], math.hypot(lab[1], lab[2]), math.degrees(math.atan2(lab[2], lab[1])) % 360


def _apart(h1: float, h2: float) -> float:
    d = abs(h1 - h2) % 360
    return min(d, 360 - d)


def derive(provinces: dict[str, str], other: str) -> dict[str, list[str]]:
    """Province id → its shades 1…SHADES, from the province colours and the "other" grey."""
    levels = itertools.product(range(0, 256, 17), repeat=3)
    grid = ["#" + "".join(f"{v:02X}" for v in c) for c in levels]
    lab = {c: srgb_to_lab(c) for c in [*grid, *provinces.values(), other]}
    seen = {c: srgb_to_lab(deuteranopia(c)) for c in lab}
    families: dict[str, list[str]] = {p: [c] for p, c in provinces.items()}
    families[""] = [other]
    candidates = {}
    for province, colour in provinces.items():
        hue = _lch(lab[colour])[2]
        candidates[province] = [c for c in grid if _apart(_lch(lab[c])[2], hue) <= HUE_WINDOW
                                and CHROMA[0] <= _lch(lab[c])[1] <= CHROMA[1]
                                and LIGHTNESS[0] <= lab[c][0] <= LIGHTNESS[1]]

    def score(candidate: str, province: str) -> float:
        worst = ciede2000(lab[candidate], (100.0, 0.0, 0.0)) - 5
        for family, colours in families.items():
            for colour in colours:
                worst = min(worst, ciede2000(lab[candidate], lab[colour]))
                if family == province:
                    worst = min(worst, ciede2000(seen[candidate], seen[colour]))
        return worst

    for _ in range(SHADES):
        for province in provinces:
            families[province].append(max(candidates[province], key=lambda c: score(c, province)))
    return {p: families[p][1:] for p in provinces}


def _rewritten(text: str) -> str:
    rows = list(csv.DictReader(io.StringIO(text)))
    provinces = {r["key"]: r["colour"] for r in rows if r["scheme"] == "province"}
    other = next(r["colour"] for r in rows if r["scheme"] == "base" and r["key"] == "other")
    shades = derive(provinces, other)
    kept = [r for r in rows if r["scheme"] != "shades"]
    kept += [{"scheme": "shades", "key": f"{province}/{step}", "colour": colour,
              "name": f"shade {step} of {province}", "source": SOURCE}
             for province, colours in shades.items() for step, colour in enumerate(colours, 1)]
    out = io.StringIO()
    writer = csv.DictWriter(out, ["scheme", "key", "colour", "name", "source"],
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(kept)
    return out.getvalue()


def main(argv: list[str]) -> int:
    text = PALETTE.read_text(encoding="utf-8")
    new = _rewritten(text)
    if "--check" in argv:
        if new != text:
            print(f"{PALETTE}: the shades rows differ from a fresh derivation", file=sys.stderr)
            return 1
        return 0
    PALETTE.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
