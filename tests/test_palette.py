"""Actor colours a reader can tell apart: CIEDE2000 ≥ 10, also under simulated deuteranopia.

The colour science is checked against published data first (Sharma, Wu & Dalal 2005, in
``tests/data/ciede2000_sharma_2005.csv``), then used to measure the colours of every map of the
shipped catalogue, as :func:`speerpunt_map.style.style_for` gives them to the page and the
figure. The atlas comes from ``conftest.py``.
"""

from __future__ import annotations

import csv
import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from speerpunt_map import Atlas
from speerpunt_map._colour_science import (
    DEUTERANOPIA,
    ciede2000,
    deuteranopia,
    difference,
    srgb_to_lab,
)
from speerpunt_map._types import FLANDERS
from speerpunt_map.style import Style, style_for
from speerpunt_map.vocab import Actor

MINIMUM = 10.0
REFERENCE = Path(__file__).parent / "data" / "ciede2000_sharma_2005.csv"
ROOT = Path(__file__).resolve().parents[1]


def _reference_pairs() -> list[dict[str, str]]:
    with REFERENCE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("row", _reference_pairs(), ids=lambda r: f"pair{r['pair']}")
def test_ciede2000_matches_sharma_wu_dalal(row: dict[str, str]) -> None:
    first = (float(row["L1"]), float(row["a1"]), float(row["b1"]))
    second = (float(row["L2"]), float(row["a2"]), float(row["b2"]))
    assert ciede2000(first, second) == pytest.approx(float(row["delta_e00"]), abs=1e-4)
    assert ciede2000(second, first) == pytest.approx(float(row["delta_e00"]), abs=1e-4)


def test_reference_table_is_the_whole_published_table_with_its_source() -> None:
    rows = _reference_pairs()
    assert [int(r["pair"]) for r in rows] == list(range(1, 35))
    assert all("Sharma, Wu & Dalal (2005)" in r["source"] for r in rows)


def test_srgb_to_lab_anchors() -> None:
    assert srgb_to_lab("#FFFFFF") == pytest.approx((100.0, 0.0, 0.0), abs=0.01)
    assert srgb_to_lab("#000000") == pytest.approx((0.0, 0.0, 0.0), abs=0.01)
    # sRGB red, D65: L* 53.24, a* 80.09, b* 67.20 (the usual published value).
    assert srgb_to_lab("#FF0000") == pytest.approx((53.24, 80.09, 67.20), abs=0.05)


def test_deuteranopia_keeps_greys_and_confuses_red_with_green() -> None:
    assert all(sum(row) == pytest.approx(1.0, abs=1e-5) for row in DEUTERANOPIA)
    for grey in ("#000000", "#7F7F7F", "#FFFFFF"):
        assert difference(grey, deuteranopia(grey)) < 0.5
    # A red and a green of similar lightness: far apart normally, close for a deuteranope.
    assert difference("#CC4444", "#778800") > 30
    assert difference("#CC4444", "#778800", deuteranope=True) < 10
    # Blue and orange stay apart.
    assert difference("#0072B2", "#E69F00", deuteranope=True) > 40


def _pairs_too_close(style: Style, actors: tuple[Actor, ...], overview: bool) -> list[str]:
    """The pairs of a map's actors whose colours break the rule, with their differences."""
    bad = []
    for first, second in itertools.combinations(actors, 2):
        one, two = style.colour(first.id), style.colour(second.id)
        normal = difference(one, two)
        deut = difference(one, two, deuteranope=True)
        strict = not overview or first.province == second.province
        if normal < MINIMUM or (strict and deut < MINIMUM):
            bad.append(f"{first.id} {one} / {second.id} {two}: {normal:.1f}, "
                       f"deuteranopia {deut:.1f}")
    return bad


def test_every_province_map_has_distinguishable_actor_colours(atlas: Atlas) -> None:
    palette = atlas.resources.palette
    checked = 0
    for map_id, spec in atlas.maps.items():
        if spec.scope == FLANDERS:
            continue
        style = style_for(spec.actors, overview=False, palette=palette)
        assert not _pairs_too_close(style, spec.actors, False), map_id
        checked += 1
    assert checked >= 39


def test_every_overview_has_distinguishable_shades(atlas: Atlas) -> None:
    palette = atlas.resources.palette
    problems = {}
    for overview_id in atlas.overview_ids():
        actors = atlas.overview(overview_id).spec.actors
        style = style_for(actors, overview=True, palette=palette)
        assert len(set(style.actor_colours.values())) == len(actors), overview_id
        if bad := _pairs_too_close(style, actors, True):
            problems[overview_id] = bad
    assert not problems
    logistics = atlas.overview("logistiek").spec.actors
    assert len(logistics) == 17  # the crowded overview of the issue is among those checked


def test_the_whole_shipped_palette_keeps_the_guarantee(atlas: Atlas) -> None:
    """Not only the shipped maps: any 8 actors, any families of up to 6 (see style.py)."""
    palette = atlas.resources.palette
    actors = list(palette["actors"].values())
    assert len(actors) == 8
    for one, two in itertools.combinations(actors, 2):
        assert difference(one, two) >= MINIMUM, (one, two)
        assert difference(one, two, deuteranope=True) >= MINIMUM, (one, two)
    families = {p: [c, *(palette["shades"][f"{p}/{s}"] for s in range(1, 6))]
                for p, c in palette["province"].items()}
    members = [(p, c) for p, colours in families.items() for c in colours]
    members.append(("other", palette["base"]["other"]))
    for (p1, c1), (p2, c2) in itertools.combinations(members, 2):
        assert difference(c1, c2) >= MINIMUM, (p1, c1, p2, c2)
        if p1 == p2:
            assert difference(c1, c2, deuteranope=True) >= MINIMUM, (p1, c1, c2)


def test_palette_rows_have_a_source_and_the_shades_their_derivation() -> None:
    with (ROOT / "legends" / "palette.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert all(row["source"].strip() for row in rows)
    check = subprocess.run([sys.executable, "legends/tools/derive_shades.py", "--check"],
                           cwd=ROOT, capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
