"""The second time slice (``legends/visions/``): its own catalogue beside the shipped one, the
vocabulary rows it needs, and the comparison of Zuid-West-Vlaanderen in 2013 and 2019.

Expected values come from the transcriber's notes and proposals in ``legends/visions/``
(``NOTES.md``'s table of maps, ``catalogue-additions.md``'s entries) and from the inventory.
"""

from __future__ import annotations

import csv
import re
import tomllib

import pytest

from speerpunt_map import Atlas, combine_atlases, compare_regions, load_atlas, validate

from .conftest import LEGENDS

VISIONS = LEGENDS / "visions"


@pytest.fixture(scope="module")
def visions(atlas: Atlas) -> Atlas:
    return load_atlas(VISIONS, boundaries=atlas.boundaries)


def _notes_table() -> dict[str, tuple[str, int, int, int]]:
    """Map id → (period, points, zones, links), from the table at the top of NOTES.md."""
    rows = {}
    for line in (VISIONS / "NOTES.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 7 and "/" in cells[0] and not cells[0].startswith("-"):
            period = re.match(r"(c\. )?\d{4}", cells[3])
            assert period, line
            rows[cells[0]] = (period.group(), int(cells[4]), int(cells[5]), int(cells[6]))
    return rows


def test_the_vision_maps_are_the_entries_the_transcriber_proposed(visions: Atlas) -> None:
    text = (VISIONS / "catalogue-additions.md").read_text(encoding="utf-8")
    proposed = tomllib.loads(text.split("```toml", 1)[1].split("```", 1)[0])["map"]
    shipped = tomllib.loads((VISIONS / "catalogue.toml").read_text(encoding="utf-8"))["map"]
    # The same entries; the tables relative to this folder instead of legends/.
    assert [{**e, "table": e["table"].removeprefix("visions/")} for e in proposed] == shipped
    assert list(visions.maps) == [e["id"] for e in proposed]


def test_the_vision_maps_validate_and_draw_what_the_notes_count(visions: Atlas) -> None:
    problems = validate([VISIONS / "catalogue.toml"], vocabulary=visions.vocabulary,
                        gazetteer=visions.gazetteer)
    assert [p for p in problems if p.severity == "error"] == []
    for map_id, (period, points, zones, links) in _notes_table().items():
        spec = visions.maps[map_id]
        assert spec.period == period
        layers = visions.map(map_id)
        assert (len(layers.points), len(layers.zones), len(layers.links)) == \
            (points, zones, links), map_id


def test_the_shipped_atlas_holds_the_report_only(atlas: Atlas, visions: Atlas) -> None:
    assert not set(atlas.maps) & set(visions.maps)
    assert {spec.period or "2013" for spec in atlas.maps.values()} == {"2013"}
    both = combine_atlases(atlas, visions)
    assert len(both.maps) == len(atlas.maps) + len(visions.maps)


def test_zuid_west_vlaanderen_2013_against_2019(atlas: Atlas, visions: Atlas) -> None:
    both = combine_atlases(atlas, visions)
    change = compare_regions(both, "resoc-zuidwest@2013", "resoc-zuidwest@2019")
    with atlas.resources.inventory_path.open(encoding="utf-8-sig", newline="") as handle:
        inventory = {r["sector"] for r in csv.DictReader(handle) if r["region"] ==
                     "resoc-zuidwest"}
    listed_then = {s.sector.id for s in atlas.maps.values()
                   if "resoc-zuidwest" in {a.id for a in s.actors}}
    listed_now = {s.sector.id for s in visions.maps.values()
                  if s.period == "2019" and "resoc-zuidwest" in {a.id for a in s.actors}}
    assert listed_now == {"creatieve-maakindustrie"}
    assert set(change.only_a("inventory")) == inventory  # the inventory is of 2013 only
    assert set(change.only_a("catalogue")) == listed_then - listed_now
    assert set(change.only_b("catalogue")) == listed_now - listed_then
    assert set(change.shared("any")) == (inventory | listed_then) & listed_now
    assert change.links.empty  # one region: no links "between"
    layers = visions.map("zuid-west-vlaanderen-2019/creatieve-maakindustrie")
    counts = change.counts.set_index("sector").loc["creatieve-maakindustrie"]
    assert (counts["points_b"], counts["zones_b"], counts["links_b"]) == \
        (len(layers.points), len(layers.zones), len(layers.links))
    assert (counts["points_a"], counts["zones_a"], counts["links_a"]) == (0, 0, 0)
    assert change.overlap_any_km2 >= 0
