"""The side-by-side page in headless Chromium, with the network blocked (see
``conftest.start_chromium``): both maps draw, each follows the other when panned or zoomed (by
a script and by the mouse), the comparison table is there, the maps stack on a narrow screen,
and the page makes no request.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from speerpunt_map import Atlas
from speerpunt_map.side_by_side import SideBySide, comparison_atlas, side_by_side

# The view of each map: its centre in pixels at its zoom, and how often it has come to rest
# since counting began.
VIEWS = """
var c = document.querySelector('.spmc').spmc;
return [c.a, c.b].map(function (m) {
  var centre = m.project(m.getCenter(), m.getZoom());
  return {x: centre.x, y: centre.y, zoom: m.getZoom(), moves: m._spmcMoves || 0};
});
"""
COUNT_MOVES = """
var c = document.querySelector('.spmc').spmc;
[c.a, c.b].forEach(function (m) { m._spmcMoves = 0;
  m.on('moveend', function () { m._spmcMoves++; }); });
"""
# What each map draws: paths (zones, regions, links) and numbered pins, inside its own frame.
DRAWN = """
return Array.from(document.querySelectorAll('.spmc-side'), function (side) {
  var frame = side.querySelector('.spm-map');
  return {paths: frame.querySelectorAll('path.leaflet-interactive').length,
          pins: frame.querySelectorAll('.leaflet-marker-icon.spm-pin').length,
          box: frame.getBoundingClientRect().toJSON()};
});
"""


@pytest.fixture(scope="module")
def view(atlas: Atlas) -> SideBySide:
    return side_by_side("antwerpen/logistiek", "limburg/logistiek",
                        atlas=comparison_atlas(atlas))


@pytest.fixture
def page(browser: webdriver.Chrome, view: SideBySide, tmp_path: Path) -> webdriver.Chrome:
    path = view.save(tmp_path / "compare.html")
    browser.set_window_size(1280, 900)
    browser.get(path.as_uri())
    browser.get_log("browser")  # start with an empty log
    browser.refresh()
    return browser


def _errors(browser: webdriver.Chrome) -> list[str]:
    return [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def _same_view(views: list[dict[str, float]]) -> bool:
    # Leaflet pans by whole pixels: the centres agree to within one.
    a, b = views
    return abs(a["x"] - b["x"]) <= 1 and abs(a["y"] - b["y"]) <= 1 and a["zoom"] == b["zoom"]


def test_both_maps_draw_the_table_is_there_and_nothing_is_fetched(
        page: webdriver.Chrome, view: SideBySide) -> None:
    assert _errors(page) == []
    assert page.execute_script("return performance.getEntriesByType('resource').length") == 0
    drawn = page.execute_script(DRAWN)
    for side, layers in zip(drawn, view.layers, strict=True):
        assert side["pins"] >= len(layers.points)  # the points (and the zones' letters)
        assert side["paths"] >= len(layers.zones) + len(layers.links) + 1  # and its regions
    assert len(view.layers[0].points) and len(view.layers[1].zones)
    a, b = (side["box"] for side in drawn)
    assert a["right"] <= b["left"] and abs(a["top"] - b["top"]) < 1  # side by side
    assert _same_view(page.execute_script(VIEWS))  # they open on one view
    rows = page.find_elements(By.CSS_SELECTOR, ".spmc-counts tbody tr")
    assert [r.find_element(By.TAG_NAME, "th").text for r in rows] == ["Logistiek"]
    table = page.find_element(By.CSS_SELECTOR, ".spmc-compare")
    assert table.location["y"] >= a["bottom"]  # beneath the maps
    assert len(page.find_elements(By.CSS_SELECTOR, ".spmc-links tbody tr")) == \
        len(view.comparison.links)


def test_panning_or_zooming_one_map_moves_the_other_once(page: webdriver.Chrome) -> None:
    page.execute_script(COUNT_MOVES)
    page.execute_script("document.querySelector('.spmc').spmc.a.panBy([150, -80], "
                        "{animate: false});")
    views = page.execute_script(VIEWS)
    assert _same_view(views)
    # a moved once: b followed, and what b's following fired did not move a back.
    assert views[0]["moves"] == 1 and views[1]["moves"] >= 1
    followed = views[1]["moves"]
    before = views[0]["zoom"]
    page.execute_script("var b = document.querySelector('.spmc').spmc.b;"
                        "b.setZoom(b.getZoom() + 1, {animate: false});")
    views = page.execute_script(VIEWS)
    assert _same_view(views) and views[0]["zoom"] == before + 1
    assert views[1]["moves"] == followed + 1 and views[0]["moves"] >= 2


def test_the_mouse_and_the_zoom_buttons_move_both(page: webdriver.Chrome) -> None:
    start = page.execute_script(VIEWS)
    frame_b = page.find_elements(By.CSS_SELECTOR, ".spmc-side .spm-map")[1]
    ActionChains(page).move_to_element_with_offset(frame_b, -60, 40).click_and_hold() \
        .move_by_offset(-120, -60).move_by_offset(-40, -20).release().perform()
    WebDriverWait(page, 10).until(lambda d: _same_view(d.execute_script(VIEWS)))
    moved = page.execute_script(VIEWS)
    assert abs(moved[0]["x"] - start[0]["x"]) > 50  # a followed b's drag
    page.find_elements(By.CSS_SELECTOR, ".leaflet-control-zoom-in")[0].click()
    WebDriverWait(page, 10).until(lambda d: d.execute_script(VIEWS)[1]["zoom"]
                                  > moved[1]["zoom"] and _same_view(d.execute_script(VIEWS)))
    assert _errors(page) == []


def test_on_a_narrow_screen_the_maps_are_stacked(page: webdriver.Chrome) -> None:
    page.set_window_size(600, 900)
    WebDriverWait(page, 10).until(
        lambda d: d.execute_script(DRAWN)[1]["box"]["top"]
        >= d.execute_script(DRAWN)[0]["box"]["bottom"])
    a, b = (side["box"] for side in page.execute_script(DRAWN))
    assert abs(a["left"] - b["left"]) < 1 and a["width"] > 500
    table = page.find_element(By.CSS_SELECTOR, ".spmc-compare")
    assert table.location["y"] >= b["bottom"]  # the comparison after both maps
    page.execute_script("document.querySelector('.spmc').spmc.a.panBy([0, 90], "
                        "{animate: false});")
    assert _same_view(page.execute_script(VIEWS))

