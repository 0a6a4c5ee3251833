"""What only a browser shows: the offline map in headless Chromium, with the network blocked.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them). The browser
gets a proxy that does not exist, so any request to the network would fail — and the page is
checked to have made none.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By

from speerpunt_map import MapLayers
from speerpunt_map._page_data import zone_letter
from speerpunt_map.interactive import fragment_from_layers, save_html

HOSTILE_REMARK = "<img src=x onerror=alert(1)>"
HOSTILE_NAME = "Haven `${alert(2)}` C:\\data\\2019\\01 </script>"


def _open(browser: webdriver.Chrome, path: Path) -> None:
    browser.get(path.as_uri())
    browser.get_log("browser")  # start each page with an empty log
    browser.refresh()


def _errors(browser: webdriver.Chrome) -> list[str]:
    return [entry["message"] for entry in browser.get_log("browser")
            if entry["level"] == "SEVERE"]


def _count(browser: webdriver.Chrome, script: str) -> int:
    return int(browser.execute_script(script))


POLYGONS = ("return Array.from(document.querySelectorAll('path.leaflet-interactive'))"
            ".filter(p => p.getAttribute('fill') !== 'none').length;")
LINES = ("return Array.from(document.querySelectorAll('path.leaflet-interactive'))"
         ".filter(p => p.getAttribute('fill') === 'none').length;")
MARKERS = ("return document.querySelectorAll("
           "'.leaflet-marker-icon.spm-pin:not(.spm-zone-pin)').length;")


@pytest.fixture(scope="module")
def page(atlas, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, MapLayers]:
    layers = atlas.map("antwerpen/logistiek")
    return save_html(layers, tmp_path_factory.mktemp("page") / "map.html"), layers


def test_offline_map_loads_with_every_feature_and_no_request(browser, page):
    path, layers = page
    _open(browser, path)
    assert browser.execute_script("return typeof L !== 'undefined' && L.version") == "1.9.4"
    assert _errors(browser) == []
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert _count(browser, MARKERS) == len(layers.points)
    assert _count(browser, POLYGONS) == len(layers.zones) + len(layers.regions)
    assert _count(browser, LINES) == len(layers.links)
    # The text alternative is there as text, one row per feature (built from the map's data),
    # and so are the legend's lists.
    table = browser.find_element(By.CSS_SELECTOR, "table.spm-table").text
    assert "Havencentrum Lillo" in table
    rows = browser.execute_script(
        "return Array.from(document.querySelectorAll('table.spm-table tbody tr'),"
        " tr => tr.getAttribute('data-kind'));")
    assert sorted(rows) == sorted(["point"] * len(layers.points) + ["zone"] * len(layers.zones)
                                  + ["link"] * len(layers.links))
    assert _count(browser, "return document.querySelectorAll('.spm-pager').length") == 0
    listed = browser.execute_script(
        "return Array.from(document.querySelectorAll('li[data-actor]'),"
        " li => li.getAttribute('data-kind') + ':' + li.textContent.trim());")
    assert sorted(listed) == sorted(
        [f"point:{label} {name}" for label, name in zip(layers.points["label"],
                                                         layers.points["name"], strict=True)]
        + [f"zone:{zone_letter(i)} {name}" for i, name in enumerate(layers.zones["name"])])
    # Points in the legend as people count them: 1, 2, …
    labels = [item.split(":")[1].split()[0] for item in listed if item.startswith("point:")]
    assert labels == sorted(labels, key=int)


def test_hiding_an_actor_hides_its_features(browser, page):
    path, layers = page
    _open(browser, path)
    kempen_points = int((layers.points["actor_id"] == "resoc-kempen").sum())
    kempen_zones = int((layers.zones["actor_id"] == "resoc-kempen").sum())
    provincial_points = int((layers.points["actor_id"] == "prov-antwerpen").sum())
    assert provincial_points > 0 and kempen_zones > 0
    polygons = _count(browser, POLYGONS)
    markers = _count(browser, MARKERS)
    browser.find_element(By.CSS_SELECTOR, 'input[data-actor="resoc-kempen"]').click()
    assert _count(browser, POLYGONS) == polygons - kempen_zones - 1  # its zones and its region
    assert _count(browser, MARKERS) == markers - kempen_points
    browser.find_element(By.CSS_SELECTOR, 'input[data-actor="prov-antwerpen"]').click()
    assert _count(browser, MARKERS) == markers - kempen_points - provincial_points
    hidden = browser.execute_script(
        "return Array.from(document.querySelectorAll('li[data-actor=\"prov-antwerpen\"]'))"
        ".every(li => li.hidden);")
    assert hidden
    # Kinds work the same way: hide every point.
    browser.find_element(By.CSS_SELECTOR, 'input[data-kind="point"]').click()
    assert _count(browser, MARKERS) == 0
    assert _errors(browser) == []


def test_controls_are_reachable_by_keyboard(browser, page):
    path, _ = page
    _open(browser, path)
    reached = set()
    body = browser.find_element(By.TAG_NAME, "body")
    body.click()
    for _ in range(60):
        browser.switch_to.active_element.send_keys("\t")
        element = browser.switch_to.active_element
        reached.add(element.get_attribute("data-actor") or element.get_attribute("data-kind")
                    or element.get_attribute("data-base") or element.tag_name)
    assert {"resoc-kempen", "point", "zone", "provinces"} <= reached


def test_hostile_remark_shows_as_text_and_runs_nothing(browser, atlas, tmp_path):
    layers = atlas.map("antwerpen/logistiek")
    layers.points.loc[0, "name"] = HOSTILE_NAME
    layers.points.loc[0, "remark"] = HOSTILE_REMARK
    path = save_html(layers, tmp_path / "hostile.html")
    _open(browser, path)
    browser.execute_script("window.alerted = []; window.alert = m => window.alerted.push(m);")
    marker = browser.find_elements(By.CSS_SELECTOR,
                                  ".leaflet-marker-icon.spm-pin:not(.spm-zone-pin)")[0]
    browser.execute_script("arguments[0].click();", marker)
    popup = browser.find_element(By.CSS_SELECTOR, ".leaflet-popup-content")
    text = popup.get_attribute("textContent")
    assert HOSTILE_REMARK in text
    assert "`${alert(2)}` C:\\data\\2019\\01 </script>" in text
    assert popup.find_elements(By.TAG_NAME, "img") == []
    assert browser.execute_script("return window.alerted") == []
    assert _errors(browser) == []


def test_fragment_twice_on_one_page(browser, atlas, tmp_path):
    layers = atlas.map("antwerpen/chemie-life-sciences")
    fragment = fragment_from_layers(layers)
    host = tmp_path / "host.html"
    host.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'>"
                    "<style>body{font-family:serif}</style></head><body><h1>Host</h1>"
                    f"{fragment}<p>between</p>{fragment}</body></html>", encoding="utf-8")
    _open(browser, host)
    assert _errors(browser) == []
    assert _count(browser, "return document.querySelectorAll('.leaflet-container').length") == 2
    assert _count(browser, MARKERS) == 2 * len(layers.points)
    # The host page keeps its own look.
    font = browser.execute_script(
        "return getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "serif" in font
    # Each copy's controls act on its own map.
    browser.find_elements(By.CSS_SELECTOR, 'input[data-kind="point"]')[1].click()
    assert _count(browser, MARKERS) == len(layers.points)
