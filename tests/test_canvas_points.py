"""A map of many points (above the canvas threshold), as a reader uses it in headless Chromium.

The points are circles on a canvas of their own, above the zones' and links' canvas. Switching
them off with the legend panel's check box takes them off the screen (the pixel at a point no
longer has its colour, hovering it shows nothing); switching them on brings them back, with
their tooltips. With the points shown, a zone or a link where no point is still answers the
mouse through the points' canvas: its tooltip on hover, its popup on a click, a pointer
cursor. One actor's check box hides only that actor's points.

One page (2 500-odd points in a grid over Flanders with a hole, two zones and two links, two
actors), opened once for the module.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from typing import Any

import geopandas as gpd
import pytest
import shapely
from PIL import Image
from selenium import webdriver
from selenium.webdriver.common.by import By

from speerpunt_map import map_from_frames
from speerpunt_map._page_data import CANVAS_THRESHOLD
from speerpunt_map.interactive import save_html

ACTORS = ("Havenbedrijf Noord", "Kenniscentrum Zuid")
# No grid point inside this box (lon, lat): the zone and a link lie there, away from points.
HOLE = (3.8, 50.95, 4.6, 51.25)
ZONE = (3.95, 51.0, 4.35, 51.15)
INSIDE = (4.3, 51.02)  # one point inside the zone, near its corner
ZONE_CENTRE = (4.12, 51.085)
LINK = ((3.9, 51.21), (4.5, 51.21))
# Two neighbouring grid points away from the hole, one of each actor.
POINT_A = (3.4, 51.12)
POINT_B = (3.45, 51.12)
# The view of the tests: zoomed in (zoom 10) on the hole, where the circles stand apart.
VIEW = ((51.1, 3.85), 10)


def _frames() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    rows: list[dict[str, Any]] = []
    for i in range(61):
        for j in range(51):
            lon, lat = round(2.6 + 0.05 * i, 4), round(50.7 + 0.014 * j, 4)
            if HOLE[0] <= lon <= HOLE[2] and HOLE[1] <= lat <= HOLE[3]:
                continue
            rows.append({"name": f"Punt {i}-{j}", "actor": ACTORS[i % 2],
                         "geometry": shapely.Point(lon, lat)})
    rows.append({"name": "Punt binnen", "actor": ACTORS[0], "geometry": shapely.Point(INSIDE)})
    points = gpd.GeoDataFrame(rows, crs="EPSG:4326")
    zones = gpd.GeoDataFrame({
        "name": ["Zone Midden", "Zone Oost"], "actor": list(ACTORS),
        "geometry": [shapely.box(*ZONE), shapely.box(5.3, 50.8, 5.5, 50.9)]}, crs="EPSG:4326")
    links = gpd.GeoDataFrame({
        "name": ["Verbinding Noord", "Verbinding West"], "actor": list(ACTORS),
        "geometry": [shapely.LineString(LINK),
                     shapely.LineString([(2.7, 50.72), (3.2, 50.75)])]}, crs="EPSG:4326")
    return points, zones, links


@pytest.fixture(scope="module")
def page(browser: webdriver.Chrome, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    points, zones, links = _frames()
    assert len(points) > CANVAS_THRESHOLD
    path = save_html(map_from_frames(points, zones, links, title="Veel punten"),
                     tmp_path_factory.mktemp("canvas-points") / "veel-punten.html")
    browser.get(path.as_uri())
    browser.set_script_timeout(60)
    browser.execute_async_script("""
var done = arguments[arguments.length - 1];
(function wait() {
  var root = document.querySelector('.spm');
  if (root && root.spm && root.spm.map._loaded) {
    requestAnimationFrame(function () { requestAnimationFrame(function () { done(); }); });
  } else { setTimeout(wait, 20); }
})();
""")
    assert browser.execute_script("return document.querySelector('.spm').spm.data.canvas")
    browser.execute_async_script("""
var done = arguments[arguments.length - 1], map = document.querySelector('.spm').spm.map;
map.once('moveend', function () {
  requestAnimationFrame(function () { requestAnimationFrame(function () { done(); }); });
});
map.setView(arguments[0], arguments[1], {animate: false});
""", *VIEW)
    yield
    browser.execute_script("document.querySelector('.spm').spm.map.closePopup();")


def _at(browser: webdriver.Chrome, lonlat: tuple[float, float]) -> tuple[float, float]:
    """The viewport position (CSS pixels) of a place."""
    x, y = browser.execute_script("""
var map = document.querySelector('.spm').spm.map, box = map.getContainer().getBoundingClientRect();
var p = map.latLngToContainerPoint([arguments[1], arguments[0]]);
return [box.left + p.x, box.top + p.y];
""", *lonlat)
    return x, y


def _colours(browser: webdriver.Chrome) -> dict[str, tuple[int, int, int]]:
    """Each actor's point colour (the circles' fill), as RGB."""
    found = browser.execute_script("""
var out = {};
document.querySelector('.spm').spm.map.eachLayer(function (layer) {
  if (layer.spmGroup) { out[layer.spmGroup.actor] = layer.options.fillColor; }
});
return out;
""")
    keys = _actor_keys(browser)
    return {name: tuple(int(found[keys[name]][k:k + 2], 16) for k in (1, 3, 5))
            for name in ACTORS}


def _actor_keys(browser: webdriver.Chrome) -> dict[str, str]:
    """Each actor's check-box key, by its name in the legend."""
    return browser.execute_script("""
var out = {};
document.querySelectorAll('.spm-panel input[data-actor]').forEach(function (box) {
  out[box.parentNode.textContent.trim()] = box.getAttribute('data-actor');
});
return out;
""")


def _pixel(browser: webdriver.Chrome, at: tuple[float, float]) -> tuple[int, int, int]:
    shot = Image.open(io.BytesIO(browser.get_screenshot_as_png())).convert("RGB")
    ratio = shot.width / browser.execute_script("return window.innerWidth")
    return shot.getpixel((round(at[0] * ratio), round(at[1] * ratio)))


def _near(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return max(abs(p - q) for p, q in zip(a, b, strict=True)) <= 8


def _mouse(browser: webdriver.Chrome, at: tuple[float, float], kind: str = "mouseMoved",
           **extra: Any) -> None:
    browser.execute_cdp_cmd("Input.dispatchMouseEvent",
                            {"type": kind, "x": at[0], "y": at[1], **extra})


def _hover(browser: webdriver.Chrome, at: tuple[float, float]) -> None:
    """Move the mouse to ``at`` as a reader would (twice, past Leaflet's 32 ms throttle)."""
    for dx in (1, 0):
        _mouse(browser, (at[0] + dx, at[1]))
        time.sleep(0.1)


def _click(browser: webdriver.Chrome, at: tuple[float, float]) -> None:
    _hover(browser, at)
    for kind in ("mousePressed", "mouseReleased"):
        _mouse(browser, at, kind, button="left", clickCount=1)
    time.sleep(0.2)


def _away(browser: webdriver.Chrome) -> None:
    """The mouse over the legend panel, every popup closed."""
    _hover(browser, (1200, 300))
    browser.execute_script("document.querySelector('.spm').spm.map.closePopup();")


def _tooltips(browser: webdriver.Chrome) -> list[str]:
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('.spm .leaflet-tooltip'), "
        "function (t) { return t.textContent; });")


def _cursor(browser: webdriver.Chrome, at: tuple[float, float]) -> str:
    return browser.execute_script(
        "return getComputedStyle(document.elementFromPoint(arguments[0], arguments[1])).cursor;",
        *at)


def _box(browser: webdriver.Chrome, selector: str) -> Any:
    return browser.find_element(By.CSS_SELECTOR, f".spm-panel input{selector}")


def _set(browser: webdriver.Chrome, selector: str, checked: bool) -> None:
    box = _box(browser, selector)
    if box.is_selected() != checked:
        box.click()
    browser.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "requestAnimationFrame(function () { requestAnimationFrame(function () { done(); }); });")


POINTS = '[data-kind="point"]'


def test_the_points_switch_off_and_on(browser, page):
    colour = _colours(browser)[ACTORS[0]]
    at = _at(browser, POINT_A)
    try:
        assert _near(_pixel(browser, at), colour)
        _hover(browser, at)
        assert any("Punt 16-30" in tip for tip in _tooltips(browser)), _tooltips(browser)
        _away(browser)

        _set(browser, POINTS, False)
        assert not _near(_pixel(browser, at), colour)
        _hover(browser, at)
        assert _tooltips(browser) == []
        assert _cursor(browser, at) != "pointer"
        _away(browser)

        _set(browser, POINTS, True)
        assert _near(_pixel(browser, at), colour)
        _hover(browser, at)
        assert any("Punt 16-30" in tip for tip in _tooltips(browser)), _tooltips(browser)
        assert _cursor(browser, at) == "pointer"
    finally:
        _away(browser)
        _set(browser, POINTS, True)


def test_a_zone_and_a_link_answer_through_the_points_canvas(browser, page):
    zone = _at(browser, ZONE_CENTRE)
    link = _at(browser, ((LINK[0][0] + LINK[1][0]) / 2, LINK[0][1]))
    inside = _at(browser, INSIDE)
    try:
        # The points are shown, and their canvas lies on top.
        assert browser.execute_script(
            "return document.elementFromPoint(arguments[0], arguments[1]).closest('.leaflet-pane')"
            ".className", *zone).find("spmPoints") >= 0
        _hover(browser, zone)
        assert any("Zone Midden" in tip for tip in _tooltips(browser)), _tooltips(browser)
        assert _cursor(browser, zone) == "pointer"
        # A point inside the zone takes over: its tooltip, not the zone's.
        _hover(browser, inside)
        tips = _tooltips(browser)
        assert any("Punt binnen" in tip for tip in tips) and not any(
            "Zone Midden" in tip for tip in tips), tips
        _click(browser, zone)
        popup = browser.execute_script(
            "var p = document.querySelector('.spm .leaflet-popup-content');"
            "return p ? p.textContent : '';")
        assert "Zone Midden" in popup
        _away(browser)
        _hover(browser, link)
        assert any("Verbinding Noord" in tip for tip in _tooltips(browser)), _tooltips(browser)
        _away(browser)
        # With the points off, the zone is reached directly.
        _set(browser, POINTS, False)
        _hover(browser, zone)
        assert any("Zone Midden" in tip for tip in _tooltips(browser)), _tooltips(browser)
    finally:
        _away(browser)
        _set(browser, POINTS, True)


def test_one_actors_box_hides_only_its_points(browser, page):
    colours, keys = _colours(browser), _actor_keys(browser)
    a, b = _at(browser, POINT_A), _at(browser, POINT_B)
    assert colours[ACTORS[0]] != colours[ACTORS[1]]
    assert _near(_pixel(browser, a), colours[ACTORS[0]])
    assert _near(_pixel(browser, b), colours[ACTORS[1]])
    actor = f'[data-actor="{keys[ACTORS[0]]}"]'
    try:
        _set(browser, actor, False)
        assert not _near(_pixel(browser, a), colours[ACTORS[0]])
        assert _near(_pixel(browser, b), colours[ACTORS[1]])
        _hover(browser, a)
        assert _tooltips(browser) == []
        _hover(browser, b)
        assert any("Punt 17-30" in tip for tip in _tooltips(browser)), _tooltips(browser)
        _away(browser)
        # All points off and on again: still only the other actor's.
        _set(browser, POINTS, False)
        assert not _near(_pixel(browser, b), colours[ACTORS[1]])
        _set(browser, POINTS, True)
        assert not _near(_pixel(browser, a), colours[ACTORS[0]])
        assert _near(_pixel(browser, b), colours[ACTORS[1]])
        _set(browser, actor, True)
        assert _near(_pixel(browser, a), colours[ACTORS[0]])
        assert _near(_pixel(browser, b), colours[ACTORS[1]])
    finally:
        _away(browser)
        _set(browser, actor, True)
        _set(browser, POINTS, True)
