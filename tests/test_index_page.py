"""The index of a build: a card per map with its thumbnail, grouped by province, a search box
that filters the maps by actor, place or sector as one types (in headless Chromium with the
network blocked), text from the tables shown as text, and one language per page (the index and
the matrix)."""

from __future__ import annotations

import csv
import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from speerpunt_map import Atlas, load_atlas
from speerpunt_map._thumbnails import thumbnail_svg
from speerpunt_map.atlas import MapLayers
from speerpunt_map.build import BuildResult, build_atlas
from speerpunt_map.cli import main

from .conftest import LEGENDS, map_entry

# Maps of four provinces and an overview: ports, an airport, Leuven's sites, two sectors.
SELECTION = ["antwerpen/logistiek", "antwerpen/chemie-life-sciences", "vlaams-brabant/logistiek",
             "vlaams-brabant/life-sciences", "limburg/cleantech", "oost-vlaanderen/logistiek",
             "vlaanderen/logistiek"]
HOSTILE_NAME = "Zoë's <script>document.title = 'pwned'</script> atelier"


@pytest.fixture(scope="module")
def built(atlas: Atlas, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_atlas(atlas, tmp_path_factory.mktemp("index"), ids=SELECTION,
                       formats=["html", "svg"])


class _Page(HTMLParser):
    """What a reader gets of a page: its cards (map id → attributes, thumbnails, text), the
    words shown (text and the attributes a browser shows), the ``lang`` of ``<html>``."""

    SHOWN = ("placeholder", "aria-label", "title", "alt", "data-template")

    def __init__(self, text: str, *, cell_titles: bool = True) -> None:
        super().__init__()
        self.cards: dict[str, dict[str, object]] = {}
        self.words: list[str] = []
        self.lang = ""
        self._card: dict[str, object] | None = None
        self._skip = 0
        self._cell_titles = cell_titles
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = values.get("lang", "")
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "li" and "spm-card" in values.get("class", "").split():
            self._card = {"attrs": values, "svg": 0, "circles": 0, "paths": 0, "text": []}
            self.cards[values["data-map"]] = self._card
        elif self._card is not None and tag in ("svg", "circle", "path"):
            key = {"svg": "svg", "circle": "circles", "path": "paths"}[tag]
            self._card[key] = int(str(self._card[key])) + 1
        if tag == "td" and not self._cell_titles:
            values.pop("title", None)  # the inventory's own words (documents, as printed)
        self.words += [values[a] for a in self.SHOWN if values.get(a)]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "li":
            self._card = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.words.append(data)
        if self._card is not None:
            text = self._card["text"]
            assert isinstance(text, list)
            text.append(data)

    def text(self) -> str:
        return " ".join(" ".join(self.words).split())


def _layers(atlas: Atlas, map_id: str) -> MapLayers:
    if map_id in atlas.maps:
        return atlas.map(map_id, strict=False)
    return atlas.overview(map_id, strict=False)


# -- cards and thumbnails ------------------------------------------------------------------------
def test_the_index_lists_every_map_with_its_thumbnail(atlas: Atlas, built: BuildResult) -> None:
    page = _Page((built.output / "index.html").read_text(encoding="utf-8"))
    assert list(page.cards) != [] and set(page.cards) == set(SELECTION)
    for map_id, card in page.cards.items():
        layers = _layers(atlas, map_id)
        assert card["svg"] == 1, map_id
        # The province (or Flanders) and every region, zone and point of the map are drawn.
        assert card["circles"] == len(layers.points), map_id
        assert card["paths"] >= 1 + len(layers.regions) + len(layers.zones), map_id
        text = " ".join(" ".join(card["text"]).split())  # type: ignore[arg-type]
        assert layers.spec.sector.label("nl") in text
    sections = re.findall(r"<h2>([^<]+)</h2>", (built.output / "index.html").read_text("utf-8"))
    assert sections == ["Provincie Antwerpen", "Provincie Oost-Vlaanderen",
                        "Provincie Vlaams-Brabant", "Provincie Limburg",
                        "Overzichtskaarten Vlaanderen"]


def test_thumbnails_are_small_whole_pixel_and_the_same_for_the_same_input(atlas: Atlas) -> None:
    again = load_atlas(boundaries=atlas.boundaries)
    for map_id in SELECTION:
        first, second = thumbnail_svg(_layers(atlas, map_id)), thumbnail_svg(_layers(again, map_id))
        assert first == second, map_id
        assert len(first.encode()) < 16_000, map_id
        numbers = re.findall(r' (?:d|cx|cy)="([^"]*)"', first)
        assert numbers and not any("." in n for n in numbers), map_id  # whole pixels


def test_a_rebuild_writes_the_same_index(atlas: Atlas, tmp_path: Path) -> None:
    ids = ["antwerpen/logistiek", "vlaanderen/logistiek"]
    first = build_atlas(atlas, tmp_path / "a", ids=ids)
    again = build_atlas(load_atlas(boundaries=atlas.boundaries), tmp_path / "b", ids=ids)
    assert first.index is not None and again.index is not None
    assert again.index.read_bytes() == first.index.read_bytes()


def test_without_javascript_every_card_is_shown_and_no_dead_search_box(
        built: BuildResult) -> None:
    html = (built.output / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r'<li class="spm-card[^"]*"[^>]*>', html)
    assert len(cards) == len(SELECTION) and not any(" hidden" in c for c in cards)
    assert re.search(r'<div class="spm-search" id="spm-search" role="search" hidden>', html)


# -- text from the tables ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_atlas(atlas: Atlas, tmp_path_factory: pytest.TempPathFactory) -> Atlas:
    """A map whose point is named with a script tag (and an accented letter)."""
    folder = tmp_path_factory.mktemp("hostile-legends")
    header = (LEGENDS / "antwerpen" / "zorg.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    row = {"kind": "point", "number": "1", "name": HOSTILE_NAME, "name_as_printed": HOSTILE_NAME,
           "place": "Geel", "source_actor": "RESOC Kempen", "year": "2009"}
    columns = header.split(";")
    with (folder / "test.csv").open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerow([row.get(c, "") for c in columns])
    (folder / "catalogue.toml").write_text(map_entry("test.csv") + textwrap.dedent("""\
        figure = 13
        source = "test: a point named with a script tag"
        """), encoding="utf-8")
    return load_atlas(folder, boundaries=atlas.boundaries)


def test_a_name_with_a_script_tag_is_shown_as_text(hostile_atlas: Atlas, tmp_path: Path,
                                                   browser: webdriver.Chrome) -> None:
    result = build_atlas(hostile_atlas, tmp_path, ids=["antwerpen/test"])
    assert result.failed == []
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<script>document.title" not in html
    browser.get((tmp_path / "index.html").as_uri())
    assert browser.title != "pwned"
    assert browser.execute_script("return document.scripts.length") == 1  # the search's own
    _type(browser, "ZOE'S <SCRIPT>")  # upper case, no diaeresis: still found
    assert _visible(browser) == ["antwerpen/test"]
    _type(browser, "zoë's <script>document.title")
    assert _visible(browser) == ["antwerpen/test"]
    assert browser.title != "pwned"


# -- the search box --------------------------------------------------------------------------
def _type(browser: webdriver.Chrome, text: str) -> None:
    """Replace the search box's text as a reader does: select all, delete, type."""
    box = browser.find_element(By.ID, "spm-query")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    if text:
        box.send_keys(text)


def _visible(browser: webdriver.Chrome) -> list[str]:
    return list(browser.execute_script("""
        return Array.from(document.querySelectorAll('.spm-card'))
            .filter(card => card.offsetParent !== null).map(card => card.dataset.map);"""))


def _names(atlas: Atlas, map_id: str) -> str:
    """Every name a reader sees on a map: its actors, points, zones, links, their ends, and
    the municipality of each site (folded to lower case)."""
    layers = _layers(atlas, map_id)
    places = atlas.gazetteer.places
    names = [a.name_nl for a in layers.spec.actors]
    names += [*layers.points["name"], *layers.zones["name"], *layers.links["name"],
             *layers.links["from_name"], *layers.links["to_name"], *layers.points["place"]]
    names += [places.loc[p, "municipality"] for p in layers.points["place_id"]
              if p in places.index]
    return " | ".join(str(n) for n in names).casefold()


@pytest.mark.parametrize("query", ["Haven van Antwerpen", "haven van antw", "Leuven",
                                   "LUCHTHAVEN"])
def test_typing_a_name_keeps_the_maps_that_have_it(browser: webdriver.Chrome, atlas: Atlas,
                                                    built: BuildResult, query: str) -> None:
    expected = [m for m in SELECTION if query.casefold() in _names(atlas, m)]
    assert 0 < len(expected) < len(SELECTION), expected
    browser.get((built.output / "index.html").as_uri())
    assert sorted(_visible(browser)) == sorted(SELECTION)
    _type(browser, query)
    assert sorted(_visible(browser)) == sorted(expected)
    shown = browser.find_element(By.ID, "spm-shown").text
    assert shown == f"{len(expected)} van {len(SELECTION)} kaarten"
    assert not browser.find_element(By.ID, "spm-none").is_displayed()
    # A province none of whose maps has it is hidden with its heading.
    headings = [h.text for h in browser.find_elements(By.TAG_NAME, "h2") if h.is_displayed()]
    assert len(headings) == len({m.split("/")[0] for m in expected})


def test_an_actor_and_a_sector_by_name(browser: webdriver.Chrome, built: BuildResult) -> None:
    browser.get((built.output / "index.html").as_uri())
    _type(browser, "RESOC Leuven")
    assert sorted(_visible(browser)) == ["vlaams-brabant/life-sciences",
                                         "vlaams-brabant/logistiek", "vlaanderen/logistiek"]
    _type(browser, "life sciences")
    assert sorted(_visible(browser)) == ["antwerpen/chemie-life-sciences",
                                         "vlaams-brabant/life-sciences"]


def test_nothing_found_says_so_and_clearing_shows_every_map(browser: webdriver.Chrome,
                                                           built: BuildResult) -> None:
    browser.get((built.output / "index.html").as_uri())
    _type(browser, "Nergensdorp aan Zee")
    assert _visible(browser) == []
    message = browser.find_element(By.ID, "spm-none")
    assert message.is_displayed() and "Geen enkele kaart" in message.text
    _type(browser, "")
    assert sorted(_visible(browser)) == sorted(SELECTION)
    assert not message.is_displayed()
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


# -- one language per page ---------------------------------------------------------------------
def _other_words(language: str) -> list[str]:
    """The other language's wording: the parts of its labels (around the placeholders) that
    differ from this language's label and appear in none of this language's labels."""
    other = "nl" if language == "en" else "en"
    with (LEGENDS / "labels.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    own = " ".join(r[language] for r in rows).casefold()
    words = set()
    for row in rows:
        if row[other] == row[language]:
            continue
        for part in re.split(r"\{[^}]*\}", row[other]):
            part = part.strip(" .,:;()–-'")
            if len(re.sub(r"\W", "", part)) >= 4 and part.casefold() not in own:
                words.add(part)
    return sorted(words)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_index_and_matrix_speak_one_language(tmp_path: Path, language: str) -> None:
    maps = ["antwerpen/logistiek", "vlaams-brabant/logistiek", "vlaanderen/logistiek"]
    assert main(["build", "--language", language, *[f"--map={m}" for m in maps],
                 "-o", str(tmp_path)]) == 0
    words = _other_words(language)
    assert len(words) > 40  # the table's words were read
    for name in ("index.html", "matrix.html"):
        page = _Page((tmp_path / name).read_text(encoding="utf-8"),
                     cell_titles=False)
        assert page.lang == language
        text = page.text()
        found = [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]
        assert found == [], f"{name} ({language}) shows the other language's {found}"
    source = "Report 004, annex table 1 (Figure 13)" if language == "en" else \
        "Rapport 004, bijlage, tabel 1 (figuur 13)"
    assert source in _Page((tmp_path / "index.html").read_text(encoding="utf-8")).text()
    matrix = (tmp_path / "matrix.html").read_text(encoding="utf-8")
    basis = "based on: table, text, annex" if language == "en" else \
        "gebaseerd op: tabel, tekst, bijlage"
    assert basis in matrix
    assert ("(recent)" in matrix) is False
