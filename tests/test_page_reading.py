"""What a reader sees on a map page, measured in headless Chromium (network blocked).

Four maps the issue named (antwerpen/logistiek, west-vlaanderen/materialen, limburg/cleantech
and the Flanders logistics overview), at the default view and zoomed in: names do not cover
each other or the markers, every city of the base map in view is named, markers at one place
are spread at least a marker's diameter apart, nothing lies under the legend panel, the scale
is metric only, and the colour sampled from a screenshot inside each zone, on each point and
along each link equals its legend swatch.
"""

from __future__ import annotations

import io
import statistics
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from selenium import webdriver

from speerpunt_map._colour_science import difference
from speerpunt_map.interactive import save_html

MAPS = ("antwerpen/logistiek", "west-vlaanderen/materialen", "limburg/cleantech",
        "vlaanderen/logistiek")

# Everything the tests measure, in CSS pixels of the viewport.
PROBE = """
var root = document.querySelector('.spm'), spm = root.spm, map = spm.map;
function rect(el) { var r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }
var frame = rect(root.querySelector('.spm-map')), panel = rect(root.querySelector('.spm-panel'));
var names = spm.names.filter(function (n) { return n.el.style.display !== 'none'; })
  .map(function (n) { return {text: n.el.textContent, kind: n.kind, box: rect(n.el)}; });
var swatches = {};
root.querySelectorAll('input[data-actor]').forEach(function (box) {
  swatches[box.getAttribute('data-actor')] =
    getComputedStyle(box.parentNode.querySelector('.spm-swatch')).backgroundColor;
});
var pins = spm.pins.filter(function (p) { return map.hasLayer(p.shape); })
  .map(function (p) { return {text: p.span.textContent, badge: p.badge, box: rect(p.span),
                              swatch: swatches[p.group.actor]}; });
var cities = (spm.data.names || []).filter(function (n) { return n[1] === 'city'; })
  .map(function (n) { var c = map.latLngToContainerPoint([n[2], n[3]]);
                      return {text: n[0], other: n[4], x: c.x + frame[0], y: c.y + frame[1]};
  });
var paths = Array.from(root.querySelectorAll('path.leaflet-interactive')).map(rect);
var scale = Array.from(root.querySelectorAll('.leaflet-control-scale-line'),
                       function (el) { return el.textContent; });
return {frame: frame, panel: panel, names: names, pins: pins, cities: cities, paths: paths,
        scale: scale, zoom: map.getZoom()};
"""

# Per zone and link: a pixel on it where it is the topmost feature, and its legend swatch.
SAMPLES = """
var root = document.querySelector('.spm'), spm = root.spm, map = spm.map, out = [];
var swatches = {};
root.querySelectorAll('input[data-actor]').forEach(function (box) {
  swatches[box.getAttribute('data-actor')] =
    getComputedStyle(box.parentNode.querySelector('.spm-swatch')).backgroundColor;
});
var letters = {};
root.querySelectorAll('li[data-kind="zone"]').forEach(function (li) {
  var mark = li.querySelector('.spm-letter');
  letters[mark.textContent] = getComputedStyle(mark).backgroundColor;
});
function mine(path, x, y) { return document.elementFromPoint(x, y) === path; }
map.eachLayer(function (shape) {
  if (!shape.spm || !shape._path) { return; }
  var layer = shape.spm.layer, i = shape.spm.i, path = shape._path;
  var r = path.getBoundingClientRect();
  if (layer.kind === 'zone') {
    var label = typeof layer.cols.label === 'string' ? layer.cols.label : layer.cols.label[i];
    if (typeof label === 'number') { label = spm.data.strings[label]; }
    for (var y = r.top + 4; y < r.bottom - 4; y += 5) {
      for (var x = r.left + 4; x < r.right - 4; x += 5) {
        if (mine(path, x, y) && mine(path, x - 4, y - 4) && mine(path, x + 4, y + 4) &&
            mine(path, x - 4, y + 4) && mine(path, x + 4, y - 4)) {
          out.push({kind: 'zone', name: label, x: x, y: y, swatch: letters[label]});
          return;
        }
      }
    }
  } else if (layer.kind === 'link') {
    var points = shape._parts[0], hits = [];
    for (var k = 0; k + 1 < points.length && hits.length < 40; k++) {
      for (var t = 0.1; t < 1; t += 0.1) {
        var px = points[k].x + (points[k + 1].x - points[k].x) * t;
        var py = points[k].y + (points[k + 1].y - points[k].y) * t;
        var c = map.layerPointToContainerPoint([px, py]), box = root.querySelector('.spm-map')
          .getBoundingClientRect(), sx = c.x + box.left, sy = c.y + box.top;
        if (mine(path, sx, sy)) { hits.push([sx, sy]); }
      }
    }
    var g = typeof layer.g === 'number' ? layer.g : layer.g[i];
    if (hits.length) {
      out.push({kind: 'link', name: String(i), hits: hits, swatch: swatches[spm.groups[g].actor]});
    }
  }
});
return out;
"""


@pytest.fixture(scope="module")
def pages(atlas, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reading")
    out = {}
    for map_id in MAPS:
        layers = (atlas.overview(map_id.split("/")[1]) if map_id.startswith("vlaanderen/")
                  else atlas.map(map_id))
        out[map_id] = save_html(layers, folder / (map_id.replace("/", "-") + ".html"))
    out["en"] = save_html(atlas.map("west-vlaanderen/materialen", language="en"),
                          folder / "materialen-en.html", language="en")
    return out


def _open(browser: webdriver.Chrome, path: Path, width: int) -> None:
    browser.set_window_size(width, 1000)
    browser.get(path.as_uri())
    for _ in range(100):
        if browser.execute_script("var r = document.querySelector('.spm');"
                                  "return !!(r && r.spm && r.spm.names);"):
            break
        time.sleep(0.1)
    time.sleep(0.3)
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def _overlap(a: list[float], b: list[float]) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _inside(box: list[float], frame: list[float]) -> bool:
    return box[0] >= frame[0] and box[1] >= frame[1] and box[2] <= frame[2] and box[3] <= frame[3]


def _check_reading(seen: dict[str, Any], where: str) -> None:
    names, pins = seen["names"], seen["pins"]
    # No two names overlap, and no name covers a marker.
    for n, first in enumerate(names):
        for second in names[n + 1:]:
            assert _overlap(first["box"], second["box"]) == 0, (where, first, second)
        for pin in pins:
            assert _overlap(first["box"], pin["box"]) < 1, (where, first, pin)
    # Every city of the base map whose place is in view is named (or named as a link end).
    shown = {name["text"].removeprefix("→ ") for name in names}
    frame = seen["frame"]
    for city in seen["cities"]:
        if frame[0] < city["x"] < frame[2] and frame[1] < city["y"] < frame[3]:
            assert city["text"] in shown or city["other"] in shown, (where, city)
    # Markers (numbers and zone letters) at least a marker's diameter apart.
    centres = [((p["box"][0] + p["box"][2]) / 2, (p["box"][1] + p["box"][3]) / 2) for p in pins]
    for n, (x1, y1) in enumerate(centres):
        for x2, y2 in centres[n + 1:]:
            assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= 24 - 0.5, (where, pins)


@pytest.mark.parametrize("map_id", MAPS)
def test_names_and_markers_are_legible_at_the_default_view_and_zoomed_in(browser, pages,
                                                                        map_id):
    _open(browser, pages[map_id], 1400)
    seen = browser.execute_script(PROBE)
    assert len(seen["names"]) >= 5
    _check_reading(seen, f"{map_id} default view")
    browser.execute_script("var m = document.querySelector('.spm').spm.map;"
                           "m.setZoom(m.getZoom() + 2, {animate: false});")
    time.sleep(0.5)
    _check_reading(browser.execute_script(PROBE), f"{map_id} zoomed in")


def test_the_overview_names_the_centre_cities_and_brussels(browser, pages):
    _open(browser, pages["vlaanderen/logistiek"], 1400)
    shown = {name["text"] for name in browser.execute_script(PROBE)["names"]}
    for city in ("Aalst", "Antwerpen", "Brugge", "Genk", "Gent", "Hasselt", "Kortrijk",
                 "Leuven", "Mechelen", "Oostende", "Roeselare", "Sint-Niklaas", "Turnhout",
                 "Brussel", "Nederland", "Frankrijk", "Wallonië", "Noordzee"):
        assert city in shown or any(city in name for name in shown), city


def test_an_english_page_names_places_in_english_once(browser, pages):
    _open(browser, pages["en"], 1400)
    seen = browser.execute_script(PROBE)
    _check_reading(seen, "west-vlaanderen/materialen in English")
    shown = [name["text"] for name in seen["names"]]
    assert {"Bruges", "Ostend", "Dunkirk"} <= set(shown)
    # Gent is a link end as typed in the table: the base map's "Ghent" does not repeat it.
    assert "Gent" in shown and "Ghent" not in shown
    assert len(shown) == len(set(shown))


@pytest.mark.parametrize("width", [1400, 800, 600])
@pytest.mark.parametrize("map_id", MAPS)
def test_nothing_lies_under_the_legend_panel_and_the_scale_is_metric(browser, pages, map_id,
                                                                    width):
    _open(browser, pages[map_id], width)
    seen = browser.execute_script(PROBE)
    panel, frame = seen["panel"], seen["frame"]
    assert _overlap(panel, frame) == 0
    for pin in seen["pins"]:
        assert _inside(pin["box"], frame) and _overlap(pin["box"], panel) == 0, pin
    for name in seen["names"]:
        assert _overlap(name["box"], panel) == 0, name
    for path in seen["paths"]:
        visible = [max(path[0], frame[0]), max(path[1], frame[1]), min(path[2], frame[2]),
                   min(path[3], frame[3])]
        assert _overlap(visible, panel) == 0
    assert len(seen["scale"]) == 1 and seen["scale"][0].split()[-1] in ("m", "km")


def _rgb(text: str) -> str:
    """``rgb(r, g, b)`` → ``#RRGGBB``."""
    parts = text[text.index("(") + 1:text.index(")")].split(",")
    return "#" + "".join(f"{round(float(p)):02X}" for p in parts[:3])


def _pixel(image: Image.Image, x: float, y: float, reach: int = 2) -> str:
    """The median colour of a small square of the screenshot around (x, y)."""
    values = [image.getpixel((int(x) + dx, int(y) + dy))
              for dx in range(-reach, reach + 1) for dy in range(-reach, reach + 1)]
    return "#" + "".join(f"{round(statistics.median(v[c] for v in values)):02X}"
                         for c in range(3))


@pytest.mark.parametrize("map_id", MAPS)
def test_the_colour_a_reader_sees_is_the_swatch(browser, pages, map_id):
    _open(browser, pages[map_id], 1400)
    samples = browser.execute_script(SAMPLES)
    seen = browser.execute_script(PROBE)
    image = Image.open(io.BytesIO(browser.get_screenshot_as_png())).convert("RGB")
    zones = [s for s in samples if s["kind"] == "zone"]
    assert zones, "no zone could be sampled"
    for sample in zones:
        drawn = _pixel(image, sample["x"], sample["y"])
        assert difference(drawn, _rgb(sample["swatch"])) < 3, (map_id, sample, drawn)
    # Points: the disc above the number (the number itself is white).
    for pin in seen["pins"]:
        if pin["badge"]:
            continue
        x, y = (pin["box"][0] + pin["box"][2]) / 2, pin["box"][1] + 5
        drawn = _pixel(image, x, y, reach=1)
        assert difference(drawn, _rgb(pin["swatch"])) < 3, (map_id, pin, drawn)
    # Links: along the line, where no other feature is on top, the swatch is what is drawn
    # (a link that shows in fewer than five places is not sampled; most links are).
    links = [s for s in samples if s["kind"] == "link"]
    sampled = [s for s in links if len(s["hits"]) >= 5]
    assert len(sampled) >= len(links) / 2
    for sample in sampled:
        best = min(difference(_pixel(image, x, y, reach=0), _rgb(sample["swatch"]))
                   for x, y in sample["hits"])
        assert best < 3, (map_id, sample)
