"""Hostile text in every field a table can carry reaches every output as typed, running nothing.

The strings (``HOSTILE``) are markup and script (``<img onerror>``, ``</script>``), JavaScript
template literals and backticks, backslash sequences, Jinja syntax, matplotlib mathtext, a
10,000-character text, a right-to-left override, emoji, control characters and a lone ``&``.
They are put into a map two ways: ``all`` — every field holds every string, joined — and
``each`` — each field of each row holds one string, so that every string also stands alone (a
formula or mathtext start only counts at the start). The fields are the legend's text columns,
the names derived from places (link ends, actor regions, how a geometry was obtained), the
actors' names (a vocabulary of one's own) and the catalogue's title, focus, printed sector and
source.

The outputs: the page and the fragment in headless Chromium (nothing runs, no element is
injected, no JavaScript error, popups, tooltips, legend panel, table and title show the text as
typed), the index and the region × sector matrix, the printable figures (SVG text literal; PDF
and PNG render without a warning), and the spreadsheets (CSV and XLSX: never a formula; read
back with our own reader, what was typed).
"""

from __future__ import annotations

import csv
import dataclasses
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import openpyxl
import pandas as pd
import pytest
from pandas.api.types import is_numeric_dtype
from selenium import webdriver

from speerpunt_map import Atlas, MapLayers, Resources
from speerpunt_map._static_legend import printable, shorten
from speerpunt_map._tables import FORMULA_START, read_table
from speerpunt_map.build import build_atlas
from speerpunt_map.compare import load_inventory, write_matrix
from speerpunt_map.interactive import fragment_from_layers, html_from_layers
from speerpunt_map.static import figure_bytes

from .conftest import start_chromium

LONG = ("Zeer lange tekst " * 300)[:5000] + "X" * 5000  # 10,000 characters: words, then one
HOSTILE = (
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "</script>",
    '"><svg onload=alert(1)>',
    "${alert(1)}",
    "`alert(1)` `${alert(1)}`",
    "C:\\data\\2019\\01",
    "\\x3c",
    "\\u003c",
    "{{ 7*7 }}",
    "{% raw %}",
    "$x^2$",
    LONG,
    "\u202eevil\u202c",
    "🏭 Haven 🚢",
    "a\x01b\x07c\x1bd\x7fe\x9ff",  # control characters, no NUL
    "&",
)
JOINED = " | ".join(HOSTILE)
# Cells a spreadsheet would run as a formula, and text that merely starts with an apostrophe.
FORMULAS = ("=1+1", '=HYPERLINK("http://example.org")', "+32 14 33 55 11", "-1+1",
            "@SUM(A1:A2)", "\tinspringing", "\rterug", "'s-Hertogenbosch", "'=1+1", "''+2")

# The text fields, by frame. Shown on the map: name, remark, source (the document, else as
# printed), link ends, actor names, region names and how a region was drawn; the others reach
# the spreadsheets.
ROW_FIELDS = ("name", "name_as_printed", "remark", "source_document", "source_as_printed",
              "note", "source_actor", "link_type_reason", "geometry_method")
LINK_FIELDS = ("from_name", "to_name")
REGION_FIELDS = ("name", "geometry_method")
SPEC_FIELDS = ("title", "focus", "sector_as_printed", "source")
FIELDS = (*ROW_FIELDS, *LINK_FIELDS, "region name", "region geometry_method", "actor name",
          *SPEC_FIELDS)

Text = Callable[[str, int], str]


def _frame(frame: pd.DataFrame, fields: tuple[str, ...], text: Text,
           prefix: str = "") -> pd.DataFrame:
    frame = frame.copy()
    for field in fields:
        frame[field] = [text(prefix + field, i) for i in range(len(frame))]
    return frame


def hostile_layers(base: MapLayers, text: Text) -> MapLayers:
    """``base`` with ``text(field, i)`` in every text field of row ``i``.

    Links keep no source document, so their source shows as printed.
    """
    points, zones, links = (_frame(f, ROW_FIELDS, text) for f in (base.points, base.zones,
                                                                  base.links))
    links = _frame(links, LINK_FIELDS, text)
    links["source_document"] = ""
    regions = _frame(base.regions, REGION_FIELDS, text, "region ")
    actors = tuple(dataclasses.replace(a, name_nl=text("actor name", i),
                                       name_en=text("actor name", i))
                   for i, a in enumerate(base.spec.actors))
    spec = dataclasses.replace(base.spec, actors=actors,
                               **{f: text(f, 0) for f in SPEC_FIELDS})
    return dataclasses.replace(base, spec=spec, points=points, zones=zones, links=links,
                               regions=regions)


def each(field: str, i: int) -> str:
    """One string per field and row; each field starts elsewhere in the list."""
    return HOSTILE[(i + 5 * FIELDS.index(field)) % len(HOSTILE)]


def every(field: str, i: int) -> str:
    return f"{field}: {JOINED}"


def benign(field: str, i: int) -> str:
    return f"{field} x"


@pytest.fixture(scope="module")
def base(atlas: Atlas) -> MapLayers:
    # 5 points, 8 zones, 6 links: more rows than hostile strings, so "each" places every
    # string in every row field.
    layers = atlas.map("antwerpen/logistiek")
    assert len(layers.points) + len(layers.zones) + len(layers.links) >= len(HOSTILE)
    return layers


@pytest.fixture(scope="module", params=["each", "all"])
def hostile(request: pytest.FixtureRequest, base: MapLayers) -> MapLayers:
    return hostile_layers(base, {"each": each, "all": every}[request.param])


def shown(layers: MapLayers) -> dict[str, set[str]]:
    """Where each text should show: popups, legend panel, table, page header."""
    rows = [layers.points, layers.zones, layers.links]
    names = {n for f in rows for n in f["name"]}
    sources = {d or p for f in rows for d, p in zip(f["source_document"],
                                                     f["source_as_printed"], strict=True)}
    remarks = {r for f in rows for r in f["remark"]}
    ends = set(layers.links["from_name"]) | set(layers.links["to_name"])
    used = {a for f in rows for a in f["actor_id"]}
    actors = {a.name_nl for a in layers.spec.actors if a.id in used}
    regions = set(layers.regions["name"]) | set(layers.regions["geometry_method"])
    return {
        "popups": names | sources | remarks | ends | actors | regions,
        "tooltips": names | set(layers.regions["name"]),
        "panel": set(layers.points["name"]) | set(layers.zones["name"])
        | {a.name_nl for a in layers.spec.actors},
        "table": names | sources | remarks | ends | actors,
        "header": {layers.spec.title, layers.spec.focus, layers.spec.sector_as_printed},
    }


# -- the browser -------------------------------------------------------------------------------
# Installed before any page script runs: whatever calls one of these is recorded, not shown.
HOOK = """
window.__called = [];
["alert", "confirm", "prompt", "print", "open"].forEach(function (name) {
  window[name] = function () { window.__called.push(name + ":" + Array.from(arguments).join()); };
});
"""
STRUCTURE = """
return Array.from(document.querySelectorAll('*'), function (e) {
  var on = e.getAttributeNames().filter(function (n) { return n.indexOf('on') === 0; });
  return e.tagName + (on.length ? '[' + on.join() + ']' : '');
}).join(' ');
"""
# Open every popup and tooltip as a user would: hover and click each feature.
COLLECT = """
var popups = [], tooltips = [], html = [];
var targets = document.querySelectorAll(
  '.leaflet-marker-icon.spm-pin:not(.spm-zone-pin), path.leaflet-interactive');
targets.forEach(function (el) {
  var options = {bubbles: true, cancelable: true, clientX: 300, clientY: 300, view: window};
  el.dispatchEvent(new MouseEvent('mouseover', options));
  document.querySelectorAll('.leaflet-tooltip').forEach(function (t) {
    tooltips.push(t.textContent); html.push(t.innerHTML); });
  el.dispatchEvent(new MouseEvent('mouseout', options));
  el.dispatchEvent(new MouseEvent('click', options));
  var open = document.querySelectorAll('.leaflet-popup-content');
  var popup = open[open.length - 1];  // the one just opened
  if (popup) { popups.push(popup.textContent); html.push(popup.innerHTML); }
});
var inside = document.querySelectorAll(
  '.leaflet-popup-content *, .leaflet-tooltip *');
return {targets: targets.length, popups: popups, tooltips: tooltips,
        tags: Array.from(inside, function (e) { return e.tagName; }),
        panel: Array.from(document.querySelectorAll('.spm-panel'), e => e.textContent).join('\\n'),
        table: Array.from(document.querySelectorAll('.spm-table'), e => e.textContent).join('\\n'),
        header: Array.from(document.querySelectorAll('.spm-head'), e => e.textContent).join('\\n'),
        title: document.title, called: window.__called};
"""
POPUP_TAGS = {"DIV", "H3", "DL", "DT", "DD"}


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    driver = start_chromium(tmp_path_factory.mktemp("chromium"))
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": HOOK})
    try:
        yield driver
    finally:
        driver.quit()


def load(browser: webdriver.Chrome, path: Path) -> list[str]:
    """Open ``path``; return the JavaScript errors of loading it."""
    browser.get_log("browser")
    browser.get(path.as_uri())
    assert browser.execute_script("return Array.isArray(window.__called)"), "hook not installed"
    return [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def _contains(haystack: str, needles: set[str], where: str) -> None:
    # The HTML parser turns a carriage return into a line feed; no hostile string holds one.
    missing = [n[:60] for n in needles if n and n not in haystack]
    assert missing == [], f"not shown as typed in the {where}: {missing}"


def _page(layers: MapLayers, kind: str, folder: Path) -> Path:
    if kind == "page":
        text = html_from_layers(layers)
    else:  # a CMS page holding the fragment between its own content
        text = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Host</title></head>"
                f"<body><h1>Host</h1>{fragment_from_layers(layers)}<p>after</p></body></html>")
    folder.mkdir()
    path = folder / f"{kind}.html"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["page", "fragment"])
def test_hostile_text_in_the_browser(browser: webdriver.Chrome, base: MapLayers,
                                     hostile: MapLayers, kind: str, tmp_path: Path) -> None:
    # The same map with harmless text: the hostile one must have exactly its elements.
    harmless = _page(hostile_layers(base, benign), kind, tmp_path / "benign")
    assert load(browser, harmless) == []
    structure = browser.execute_script(STRUCTURE)
    assert load(browser, _page(hostile, kind, tmp_path / "hostile")) == []
    assert browser.execute_script(STRUCTURE) == structure, "an element or handler was injected"
    seen = browser.execute_script(COLLECT)
    assert seen["called"] == [], "a hostile string ran"
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    features = len(hostile.points) + len(hostile.zones) + len(hostile.links) + len(
        hostile.regions)
    assert seen["targets"] == features
    assert len(seen["popups"]) == features and len(seen["tooltips"]) >= features
    assert set(seen["tags"]) <= POPUP_TAGS
    expected = shown(hostile)
    _contains("\n".join(seen["popups"]), expected["popups"], "popups")
    _contains("\n".join(seen["tooltips"]), expected["tooltips"], "tooltips")
    _contains(seen["panel"], expected["panel"], "legend panel")
    _contains(seen["table"], expected["table"], "table")
    _contains(seen["header"], expected["header"] - {""}, "title and subtitle")
    if kind == "page":  # a browser shows a title's white space and control characters as spaces
        def spaced(text: str) -> str:
            return re.sub(r"[\x00-\x20\x7f]+", " ", text).strip()
        assert spaced(seen["title"]) == spaced(hostile.spec.title)


class _Atlas(Atlas):
    """An atlas of given layers (and maps that fail with a given message)."""

    def __init__(self, base: Atlas, layers: dict[str, MapLayers], failing: dict[str, str]):
        super().__init__(base.catalogue, base.resources, boundaries=base.boundaries)
        self._layers, self._failing = layers, failing
        spare = next(iter(base.maps.values()))
        self._maps = {i: m.spec for i, m in layers.items()} | {i: spare for i in failing}

    @property
    def maps(self) -> dict:  # type: ignore[override]
        return self._maps

    def overview_ids(self) -> list[str]:
        return []

    def map(self, map_id: str, *, strict: bool = True, language: str = "nl") -> MapLayers:
        if map_id in self._failing:
            raise ValueError(self._failing[map_id])
        return self._layers[map_id]


def test_hostile_index_and_matrix(browser: webdriver.Chrome, atlas: Atlas, base: MapLayers,
                                  tmp_path: Path) -> None:
    """Titles, sources, error messages and map ids on the index; inventory notes on the
    matrix; file names that would be a script URL or a fragment as a link."""
    ids = ["antwerpen/<img src=x onerror=alert(1)> #?%", "javascript:alert(1)/x"]
    layers = {}
    for n, map_id in enumerate(ids):
        hostile = hostile_layers(base, lambda f, i, n=n: HOSTILE[(i + n + FIELDS.index(f))
                                                                 % len(HOSTILE)])
        layers[map_id] = dataclasses.replace(hostile, spec=dataclasses.replace(
            hostile.spec, id=map_id))
    failing = {"antwerpen/failing": JOINED}
    result = build_atlas(_Atlas(atlas, layers, failing), tmp_path / "out")
    assert [m.map_id for m in result.failed] == ["antwerpen/failing"]

    inventory = load_inventory()
    for n, column in enumerate(("sector_as_printed", "document", "period", "basis")):
        inventory[column] = [HOSTILE[(i + n) % len(HOSTILE)] for i in range(len(inventory))]
    write_matrix(tmp_path / "out", inventory=inventory)

    assert load(browser, tmp_path / "out" / "index.html") == []
    index = browser.execute_script("""
        return {called: window.__called, text: document.body.textContent,
                links: Array.from(document.querySelectorAll('a'), a => [a.textContent, a.href]),
                bad: document.querySelectorAll(
                    'img, svg:not(.spm-thumb), iframe, object, embed, script:not([data-spm])'
                ).length};
    """)  # the index's own thumbnails and search script are ours, not the text's
    assert index["called"] == [] and index["bad"] == 0
    hrefs = {text: href for text, href in index["links"]}
    for map_id, layer in layers.items():
        href = hrefs[layer.spec.title]
        assert urlparse(href).scheme == "file", href  # never javascript:
        assert Path(unquote(urlparse(href).path)) == (tmp_path / "out" / map_id).with_suffix(
            ".html")
    _contains(index["text"], {JOINED} | {lay.spec.source for lay in layers.values()}, "index")

    assert load(browser, tmp_path / "out" / "matrix.html") == []
    matrix = browser.execute_script("""
        return {called: window.__called,
                titles: Array.from(document.querySelectorAll('td[title]'), td => td.title),
                bad: document.querySelectorAll('img, svg, iframe, object, embed').length};
    """)
    assert matrix["called"] == [] and matrix["bad"] == 0
    titles = "\n".join(matrix["titles"])
    _contains(titles, set(HOSTILE), "matrix cell titles")
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


# -- figures -----------------------------------------------------------------------------------
def _svg_text(data: bytes) -> str:
    root = ET.fromstring(data)
    texts = ("".join(e.itertext()) for e in root.iter("{http://www.w3.org/2000/svg}text"))
    return " ".join(" ".join(texts).split())


def _flat(text: str) -> str:
    return " ".join(printable(text).split())


def test_hostile_text_in_figures(hostile: MapLayers) -> None:
    svg = figure_bytes(hostile, "svg")
    text = _svg_text(svg)  # parses: no control character reached the XML
    legend = [shorten(n) for f in (hostile.points, hostile.zones) for n in f["name"]]
    legend += [shorten(a.name_nl) for a in hostile.spec.actors]
    for entry in legend:
        if not entry.endswith("…"):  # a cut entry is checked by its start below
            assert _flat(entry) in text, entry[:60]
        assert _flat(entry[:20]) in text
    assert _flat(shorten(hostile.spec.title, 110)[:40]) in text
    assert figure_bytes(hostile, "pdf").startswith(b"%PDF")
    assert figure_bytes(hostile, "png").startswith(b"\x89PNG")


# -- spreadsheets ------------------------------------------------------------------------------
def _typed(layers: MapLayers) -> list[dict[str, str]]:
    """Every cell of the export as typed: text; a missing value empty."""
    table = layers.rows()
    return [{c: "" if pd.isna(v) else str(v) for c, v in zip(table.columns, r, strict=True)}
            for r in table.itertuples(index=False)]


def _formulas(base: MapLayers, texts: list[str] | tuple[str, ...] = FORMULAS) -> MapLayers:
    return hostile_layers(base, lambda f, i: texts[(i + FIELDS.index(f)) % len(texts)])


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


@pytest.mark.parametrize("which", ["each", "all", "formulas"])
def test_csv_is_never_a_formula(base: MapLayers, which: str, tmp_path: Path) -> None:
    layers = _formulas(base) if which == "formulas" else hostile_layers(
        base, {"each": each, "all": every}[which])
    rows = _csv_rows(layers.to_csv(tmp_path / "map.csv"))
    typed = _typed(layers)
    assert len(rows) == len(typed)
    numeric = {c for c in layers.rows().columns if is_numeric_dtype(layers.rows()[c])}
    for row, original in zip(rows, typed, strict=True):
        for column, value in original.items():
            cell = row[column]
            if column in numeric:  # numbers stay numbers (-1.5 is no formula): issue 13.3
                assert cell == value, (column, cell)
                continue
            assert not cell.startswith(FORMULA_START), (column, cell)
            # A leading ' is added exactly where what follows the apostrophes would start a
            # formula.
            quoted = value.lstrip("'").startswith(FORMULA_START)
            assert cell == ("'" + value if quoted else value), (column, value)


def test_csv_round_trip_with_our_reader(hostile: MapLayers, tmp_path: Path) -> None:
    """Reading our CSV back with our own reader gives every cell as typed."""
    table = read_table(hostile.to_csv(tmp_path / "map.csv"))
    assert table.problems == []
    assert table.rows == _typed(hostile)


def test_csv_round_trip_of_formula_text(base: MapLayers, tmp_path: Path) -> None:
    """The contract between :func:`neutralise_formula` and :func:`read_table`: the reader drops
    the ``'`` our export put before a formula start, and only there — ``'s-Hertogenbosch``
    stays as typed."""
    layers = _formulas(base, [f for f in FORMULAS if not f.startswith("'=")
                              and not f.startswith("''")])
    table = read_table(layers.to_csv(tmp_path / "map.csv"))
    assert table.rows == _typed(layers)


def test_csv_round_trip_of_apostrophes_before_a_formula(base: MapLayers, tmp_path: Path) -> None:
    """Text typed as ``'=1+1`` (already quoted by its author) is written ``''=1+1``; the reader
    must drop one ``'`` wherever apostrophes are followed by a formula start.

    Needs ``_tables.restore_formula`` to treat ``'+`` before a formula start (today it only
    drops a single ``'``, so ``''=1+1`` is read back as typed in the file, not as typed).
    """
    layers = _formulas(base, ["'=1+1", "''+2", "'-3", "'s-Hertogenbosch"])
    table = read_table(layers.to_csv(tmp_path / "map.csv"))
    assert table.rows == _typed(layers)


def _unescape_ooxml(text: str) -> str:
    text = re.sub(r"_x(?!005F)([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)
    return text.replace("_x005F_x", "_x")


@pytest.mark.parametrize("which", ["each", "all", "formulas"])
def test_xlsx_cells_are_text_never_formulas(base: MapLayers, which: str, tmp_path: Path) -> None:
    layers = _formulas(base) if which == "formulas" else hostile_layers(
        base, {"each": each, "all": every}[which])
    path = layers.to_xlsx(tmp_path / "map.xlsx")
    assert [p.name for p in tmp_path.iterdir()] == ["map.xlsx"]  # no temporary left
    sheet = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[1]]
    typed = _typed(layers)
    numeric = {"row", "lon", "lat", "area_km2", "length_km", "precision_m"}
    for cells, original in zip(sheet.iter_rows(min_row=2), typed, strict=True):
        for column, cell in zip(header, cells, strict=True):
            value = original[column]
            assert cell.data_type != "f"
            if column in numeric:
                continue
            assert cell.data_type == "s" or (cell.value is None and value == ""), column
            text = cell.value or ""
            assert not text.startswith(FORMULA_START), (column, text)
            quoted = value.lstrip("'").startswith(FORMULA_START)
            assert _unescape_ooxml(text) == ("'" + value if quoted else value), column


def _xlsx_round_trip(layers: MapLayers, path: Path) -> None:
    rows = read_table(layers.to_xlsx(path)).rows
    for row, original in zip(rows, _typed(layers), strict=True):
        for column in (*ROW_FIELDS, "map_id", "kind"):
            assert row[column] == original[column], (column, original[column][:40])


def test_xlsx_round_trip_of_hostile_text(base: MapLayers, tmp_path: Path) -> None:
    """Reading our XLSX back with our own reader gives every text cell as typed, control
    characters too: XLSX cannot hold them, so they are written as Excel's ``_xHHHH_`` escapes
    (as Excel does), which openpyxl leaves encoded.

    Needs ``_tables`` to decode ``_xHHHH_`` in XLSX cells (``_x005F_`` escapes a literal one).
    """
    _xlsx_round_trip(hostile_layers(base, each), tmp_path / "map.xlsx")


def test_xlsx_round_trip_of_formula_text(base: MapLayers, tmp_path: Path) -> None:
    """As for CSV: the reader drops the ``'`` our export put before a formula start.

    Needs ``_tables`` to apply ``restore_formula`` (with apostrophe runs) to XLSX cells too.
    """
    _xlsx_round_trip(_formulas(base), tmp_path / "map.xlsx")


def test_exports_never_overwrite_unless_asked(base: MapLayers, tmp_path: Path) -> None:
    path = tmp_path / "map.xlsx"
    path.write_bytes(b"mine")
    with pytest.raises(OSError, match="exists"):
        base.to_xlsx(path)
    assert path.read_bytes() == b"mine"
    base.to_xlsx(path, overwrite=True)
    assert openpyxl.load_workbook(path).worksheets[0]["A1"].value == "map_id"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.xlsx"]


def test_matrix_csv_is_never_a_formula(tmp_path: Path) -> None:
    """Region names come from the vocabulary: one of one's own may hold anything."""
    home = tmp_path / "home"
    shutil.copytree(Path(__file__).parents[1] / "legends", home / "legends",
                    ignore=shutil.ignore_patterns("antwerpen", "limburg", "*-vlaanderen",
                                                  "vlaams-brabant"))
    (home / "geodata").symlink_to(Path(__file__).parents[1] / "geodata")
    actors = pd.read_csv(home / "legends" / "actors.csv", dtype=str, keep_default_na=False)
    regions = list(dict.fromkeys(load_inventory()["region"]))
    names = [*FORMULAS[:3], "'s-Hertogenbosch", *HOSTILE]
    assert len(regions) >= len(names)
    order = {region: i for i, region in enumerate(regions)}
    actors["name_nl"] = [names[order[a]] + f" #{order[a]}" if order.get(a, 99) < len(names)
                         else n for a, n in zip(actors["id"], actors["name_nl"], strict=True)]
    actors.to_csv(home / "legends" / "actors.csv", index=False)
    resources = Resources.load(home / "legends", home / "geodata")
    csv_path, html_path = write_matrix(tmp_path / "out", resources=resources)
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        written = [r[0] for r in list(csv.reader(handle, delimiter=";"))[1:]]
    assert not [r for r in written if r.startswith(FORMULA_START)]
    for name in names:
        typed = [r for r in written if r.endswith(f" #{names.index(name)}")]
        quoted = name.lstrip("'").startswith(FORMULA_START)
        assert typed == [("'" if quoted else "") + f"{name} #{names.index(name)}"]
    page = html_path.read_text(encoding="utf-8")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
