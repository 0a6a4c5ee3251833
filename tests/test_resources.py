"""One resource set, passed explicitly: a legends folder of one's own brings its own sectors,
words and colours to the page and the figure; the shipped data is found as package data."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from speerpunt_map import Boundaries, Resources, describe, load_atlas
from speerpunt_map._folium_compat import check, deterministic_ids
from speerpunt_map._paths import shipped_geodata, shipped_legends
from speerpunt_map.interactive import html_from_layers
from speerpunt_map.static import figure_bytes

from .conftest import map_entry

REPOSITORY = Path(__file__).resolve().parents[1]


def _rewrite(path: Path, change: dict[tuple[str, str], dict[str, str]],
             extra: list[dict[str, str]] | None = None) -> None:
    """Rewrite a project CSV: ``change[(key column, key)]`` updates that row's cells."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for (column, key), values in change.items():
        matched = [row for row in rows if row[column] == key]
        assert matched, (path, key)
        for row in matched:
            row.update(values)
    rows += extra or []
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture()
def own_legends(tmp_path: Path) -> Path:
    """A legends folder with its own sector, title wording and first actor colour."""
    folder = tmp_path / "legends"
    folder.mkdir()
    for name in ("sectors.csv", "labels.csv", "palette.csv"):
        (folder / name).write_bytes((shipped_legends() / name).read_bytes())
    _rewrite(folder / "sectors.csv", {}, [{
        "id": "ruimtevaart", "label_nl": "Ruimtevaart", "label_en": "Space industry",
        "synonyms": "space", "overview": "ruimtevaart", "source": "a test's own sector"}])
    _rewrite(folder / "labels.csv", {("key", "title"): {
        "nl": "{sector}: eigen kaart van {scope}", "en": "{sector}: own map of {scope}"}})
    _rewrite(folder / "palette.csv", {("key", "1"): {"colour": "#123456"}})
    (folder / "t.csv").write_text(
        "kind;number;name;place;source_actor;year\n"
        "point;1;VITO;vito-mol;RESOC Kempen;2009\n", encoding="cp1252")
    (folder / "catalogue.toml").write_text(map_entry("t.csv", sector="ruimtevaart"),
                                           encoding="utf-8")
    return folder


def test_own_sector_words_and_colours_reach_page_and_figure(
        own_legends: Path, default_boundaries: Boundaries) -> None:
    atlas = load_atlas(own_legends, boundaries=default_boundaries)
    assert atlas.resources.files["sectors.csv"] == (own_legends / "sectors.csv").resolve()
    # What the folder does not hold comes from the shipped data.
    assert atlas.resources.files["actors.csv"] == shipped_legends() / "actors.csv"
    layers = atlas.map("antwerpen/test")
    title = "Ruimtevaart: eigen kaart van provincie Antwerpen"
    assert describe(layers).title == title
    page = html_from_layers(layers)
    assert f"<h1>{title}</h1>" in page and f"<title>{title}</title>" in page
    assert "background:#123456" in page  # the point's marker in the actor's own colour
    svg = figure_bytes(layers, "svg").decode("utf-8")
    assert title in svg  # SVG keeps text as text
    assert "#123456" in svg


def test_the_shipped_words_stay_for_the_shipped_atlas(atlas) -> None:
    layers = atlas.map("antwerpen/logistiek")
    assert describe(layers).title == "Logistiek in provincie Antwerpen"
    assert describe(layers, "en").title == "Logistics in Province of Antwerp"


def test_shipped_data_is_package_data_not_a_path_beside_the_source() -> None:
    # Found through importlib.resources (packages speerpunt_map.shipped_legends/_geodata),
    # which an installed wheel provides as well as this checkout.
    assert (shipped_legends() / "catalogue.toml").is_file()
    assert (shipped_geodata() / "municipalities.csv").is_file()
    assert shipped_legends().samefile(REPOSITORY / "legends")
    source = (REPOSITORY / "src" / "speerpunt_map").rglob("*.py")
    offenders = [p.name for p in source if "parents[" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_resources_load_reads_each_file_once_per_folder(own_legends: Path) -> None:
    first = Resources.load(own_legends)
    second = Resources.load(own_legends / "catalogue.toml")
    assert first.vocabulary is second.vocabulary  # cached by the files' paths
    assert first.vocabulary.sector("space") is not None
    assert Resources.load().vocabulary.sector("space") is None


def test_years_are_shown_one_way_on_page_and_figure(atlas) -> None:
    """The page once listed "2007, 2008, 2009" and the figure "2007–2009"."""
    layers = atlas.map("antwerpen/logistiek")
    description = describe(layers)
    assert description.years_text == "2007–2009"
    assert "Bronjaren: 2007–2009" in html_from_layers(layers)
    assert "Bronjaren: 2007–2009" in figure_bytes(layers, "svg").decode("utf-8")


def test_folium_internals_that_are_patched_are_still_there() -> None:
    """Fails loudly when a folium/branca upgrade removes what _folium_compat patches."""
    check()


def test_deterministic_ids_give_the_same_page_twice(atlas) -> None:
    layers = atlas.map("limburg/cleantech")
    first, second = html_from_layers(layers), html_from_layers(layers)
    assert first == second
    with deterministic_ids("x"):
        pass  # the patch is undone: ids outside a map are branca's random ones again
    names = set(re.findall(r"map_[0-9a-f]{16}", first))
    assert len(names) == 1
