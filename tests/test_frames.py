"""One's own GeoDataFrames as a map (``map_from_frames``): columns, CRS, actors, errors — and,
in headless Chromium, large maps: points on a canvas, numbers where legible, paged lists.

The frames are built here, a few rows each (and, for the large maps, random points inside a
box around Flanders with a fixed seed).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pytest
from selenium import webdriver
from shapely import LineString, Point, Polygon

from speerpunt_map import Resources, load_boundaries, map_from_frames
from speerpunt_map._page_data import CANVAS_THRESHOLD, PAGE_SIZE, PAGE_THRESHOLD
from speerpunt_map.interactive import html_from_map, save_html
from speerpunt_map.resources import shipped_geodata

SITES = {"naam": ["Haven", "Campus", "Zone <b>Noord</b>"],
         "owner": ["RESOC Kempen", "Bedrijf X", "Bedrijf Y"],
         "adres": ["Kaai 1", "Laan 2", ""], "nr": [1, 2, None]}


def _sites(crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(SITES, geometry=[Point(4.40, 51.23), Point(4.70, 50.88),
                                              Point(5.00, 51.00)], crs="EPSG:4326")
    return frame.to_crs(crs)


def _layer(m: folium.Map, kind: str) -> dict:
    (layer,) = [layer for layer in m.spm_data["layers"] if layer["kind"] == kind]
    return layer


def _column(m: folium.Map, layer: dict, key: str) -> list[str]:
    column, strings = layer["cols"][key], m.spm_data["strings"]
    if isinstance(column, str):
        return [column] * layer["size"]
    return [strings[v] if isinstance(v, int) else v for v in column]


def _groups(m: folium.Map) -> list:
    (features,) = [c for c in m._children.values() if type(c).__name__ == "Features"]
    return [group for group, _ in features.groups]


def _points(xy: list[int]) -> np.ndarray:
    return np.cumsum(np.asarray(xy).reshape(-1, 2), axis=0) / 1e5


# -- columns, CRS and defaults -----------------------------------------------------------------
def test_points_alone_make_a_map_in_any_crs() -> None:
    frame = _sites("EPSG:31370")[["naam", "geometry"]]
    m = map_from_frames(frame, base_layers=False)
    assert isinstance(m, folium.Map)
    points = _layer(m, "point")
    # Reprojected to longitude/latitude, quantised to 1e-5 degrees.
    expected = np.array([(4.40, 51.23), (4.70, 50.88), (5.00, 51.00)])
    assert np.abs(_points(points["xy"]) - expected).max() <= 1e-5
    assert _column(m, points, "name") == SITES["naam"]
    # No actor column: one colour, no actor check boxes.
    assert len({g.colour for g in _groups(m)}) == 1
    assert 'data-actor="' not in html_from_map(m)


def test_the_name_is_a_usual_column_or_the_index() -> None:
    frame = _sites()[["geometry"]].set_index(gpd.pd.Index(["a", "b", "c"]))
    assert _column(map_from_frames(frame, base_layers=False), _layer(
        map_from_frames(frame, base_layers=False), "point"), "name") == ["a", "b", "c"]
    titled = _sites().rename(columns={"naam": "Title"})
    m = map_from_frames(titled, base_layers=False)
    assert _column(m, _layer(m, "point"), "name") == SITES["naam"]


@pytest.mark.parametrize("option", ["name", "actor", "kind", "number", "popup", "tooltip"])
def test_a_missing_column_is_named_with_the_available_ones(option: str) -> None:
    value: object = ["wrong"] if option in ("popup", "tooltip") else "wrong"
    with pytest.raises(ValueError, match=r"points has no column 'wrong'.*its columns: naam, "
                                         r"owner, adres, nr"):
        map_from_frames(_sites(), base_layers=False, **{option: value})


def test_frames_that_cannot_be_drawn_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="give points=, zones= or links="):
        map_from_frames(base_layers=False)
    with pytest.raises(TypeError, match="points: expected a GeoDataFrame, got a DataFrame"):
        map_from_frames(gpd.pd.DataFrame(SITES), base_layers=False)
    with pytest.raises(ValueError, match=r"points has no CRS.*set_crs\('EPSG:4326'\)"):
        map_from_frames(_sites().set_crs(None, allow_override=True), base_layers=False)
    area = gpd.GeoDataFrame({"naam": ["z"]}, geometry=[Polygon([(4, 51), (4.1, 51),
                                                                (4.1, 51.1)])], crs=4326)
    with pytest.raises(ValueError, match="points: row 0 is a Polygon; points must be Point"):
        map_from_frames(area, base_layers=False)
    empty = _sites()
    empty.loc[1, "geometry"] = None
    with pytest.raises(ValueError, match="points: row 1 has no geometry"):
        map_from_frames(empty, base_layers=False)


def test_actors_of_the_vocabulary_and_others(atlas) -> None:
    frame = _sites()
    frame.loc[2, "owner"] = "Bedrijf X"
    m = map_from_frames(frame, actor="owner", base_layers=False)
    groups = _groups(m)
    assert [g.actor for g in groups] == ["resoc-kempen", "actor-1"]
    assert [g.name for g in groups] == ["RESOC Kempen – Actoren – punten",
                                        "Bedrijf X – Actoren – punten"]
    # A vocabulary actor keeps its colour of the Flanders overviews; others take the
    # palette's colours it leaves, in order of appearance.
    palette = atlas.resources.palette
    assert groups[0].colour == palette["province"]["prov-antwerpen"]
    free = [c for c in palette["actors"].values() if c != groups[0].colour]
    assert groups[1].colour == free[0]
    page = html_from_map(m)
    assert 'data-actor="resoc-kempen"' in page and 'data-actor="actor-1"' in page
    assert ">Actoren</h2>" in page


def test_kind_number_tooltip_and_popup_columns() -> None:
    frame = _sites().assign(soort=["haven", "", "zone"], stad=["Antwerpen", "Leuven", "Mol"])
    m = map_from_frames(frame, kind="soort", number="nr", tooltip=["naam", "stad"],
                        popup=["adres"], base_layers=False)
    points = _layer(m, "point")
    assert _column(m, points, "label") == ["1", "2", ""]  # whole numbers, missing empty
    assert _column(m, points, "kind") == ["haven", "Punt", "zone"]
    # No actor column ("owner" is no usual name for one): kind, then the popup's columns.
    assert [label for label, _, _ in points["popup"]] == ["Soort", "adres"]
    adres = points["popup"][1][1]
    assert _column(m, points, adres) == SITES["adres"]
    assert points["tooltip"][0] == "name" and _column(m, points, points["tooltip"][1]) == [
        "Antwerpen", "Leuven", "Mol"]
    # By default the popup shows every other column; the table has them too.
    every = map_from_frames(_sites(), base_layers=False)
    assert [label for label, _, _ in _layer(every, "point")["popup"]] == ["Soort", "owner",
                                                                          "adres"]
    page = html_from_map(every)
    assert re.search(r"<th scope=\"col\">Nr\.</th>.*<th scope=\"col\">adres</th>", page)


def test_links_type_and_direction() -> None:
    links = gpd.GeoDataFrame(
        {"naam": ["a", "b", "c"], "soort": ["Infrastructuur", "organisatie", "organisation"],
         "pijl": ["ja", "nee", "1"]},
        geometry=[LineString([(4, 51), (4.2, 51.1)]), LineString([(4.2, 51), (4.5, 51.2)]),
                  LineString([(4.5, 51), (4.9, 51.1)])], crs=4326)
    m = map_from_frames(links=links, link_type="soort", directed="pijl", base_layers=False)
    layer = _layer(m, "link")
    kinds = [g.kind for g in _groups(m)]
    assert [kinds[g] for g in layer["g"]] == ["link-infrastructure", "link-organisation",
                                              "link-organisation"]
    assert layer["dir"] == [1, 0, 1]
    assert _layer(map_from_frames(links=links, directed=False, base_layers=False),
                  "link")["dir"] == 0
    with pytest.raises(ValueError, match=r"column 'naam' holds 'a', 'b', 'c'; expected "
                                         "'infrastructure' or 'organisation'"):
        map_from_frames(links=links, link_type="naam", base_layers=False)


def test_pages_are_the_same_bytes_and_save_writes_them(tmp_path: Path) -> None:
    first = html_from_map(map_from_frames(_sites(), title="Mijn kaart"))
    assert first == html_from_map(map_from_frames(_sites(), title="Mijn kaart"))
    assert "<h1>Mijn kaart</h1>" in first and "Zone <b>" not in first
    # Another map has other element ids, so both fit on one page.
    other = html_from_map(map_from_frames(_sites().iloc[:2], title="Mijn kaart"))
    assert set(re.findall(r"map_[0-9a-f]{16}", first)).isdisjoint(
        re.findall(r"map_[0-9a-f]{16}", other))
    m = map_from_frames(_sites(), title="Mijn kaart")
    m.save(tmp_path / "saved.html")
    assert (tmp_path / "saved.html").read_text(encoding="utf-8") == first
    assert save_html(m, tmp_path / "atomic.html").read_text(encoding="utf-8") == first


def test_a_column_both_the_name_and_in_the_popup_and_tooltip() -> None:
    """Once a KeyError: the name column asked for in the popup (and the tooltip) too."""
    m = map_from_frames(_sites(), name="naam", popup=["naam", "adres"], tooltip=["naam"],
                        base_layers=False)
    points = _layer(m, "point")
    assert [(label, key) for label, key, _ in points["popup"]][1:] == [("naam", "name"),
                                                                       ("adres", "f0")]
    assert points["tooltip"] == ["name"]
    page = html_from_map(m)
    assert re.search(r'<th scope="col">Naam</th>.*<th scope="col">adres</th>', page)
    assert '<th scope="col">naam</th>' not in page  # the name is not a second column
    # One column name, not a list, is one column (not its letters).
    one = map_from_frames(_sites(), popup="adres", tooltip="adres", base_layers=False)
    assert [label for label, _, _ in _layer(one, "point")["popup"]] == ["Soort", "adres"]


@pytest.mark.parametrize(("options", "message"), [
    ({"name": "Naam"}, r"points has no column 'Naam' for the name \(did you mean 'naam'\?\); "
                       r"its columns: naam, owner, adres, nr\. A column named in "
                       r"map_from_frames must be in every frame given"),
    ({"popup": ["adress"]}, r"points has no column 'adress' for the popup \(did you mean "
                            r"'adres'\?\)"),
    ({"tooltip": "geometry"}, r"points: column 'geometry' is the geometry; name another "
                              r"column for the tooltip"),
    ({"actor": "geometry"}, r"points: column 'geometry' is the geometry"),
])
def test_a_wrong_column_is_named_with_what_to_do(options: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        map_from_frames(_sites(), base_layers=False, **options)


def test_a_column_only_in_one_frame_names_the_frame_without_it() -> None:
    zones = gpd.GeoDataFrame({"naam": ["z"]}, geometry=[Point(4.4, 51.2).buffer(0.01)],
                             crs=4326)
    with pytest.raises(ValueError, match=r"zones has no column 'adres' for the popup; its "
                                         r"columns: naam\."):
        map_from_frames(_sites(), zones, popup=["adres"], base_layers=False)
    with pytest.raises(TypeError, match=r"points: the name column must be given by its name, "
                                        r"a string; got 3"):
        map_from_frames(_sites(), name=3, base_layers=False)  # type: ignore[arg-type]


def test_wrong_link_values_name_the_column_and_rows() -> None:
    links = gpd.GeoDataFrame({"naam": ["a", "b"], "pijl": ["ja", "misschien"]}, geometry=[
        LineString([(4, 51), (4.2, 51.1)]), LineString([(4.2, 51), (4.5, 51.2)])], crs=4326)
    with pytest.raises(ValueError, match=r"links: column 'pijl' holds 'misschien'; expected "
                                         r"true/false, 1/0, yes/no or ja/nee \(row 1\)"):
        map_from_frames(links=links, directed="pijl", base_layers=False)


def test_the_base_layers_follow_the_resources_geodata_folder(tmp_path: Path) -> None:
    """An own geodata folder (here: one RESOC region fewer) draws the base layers."""
    own = tmp_path / "geodata"
    shutil.copytree(shipped_geodata(), own)
    regions = own / "resoc_regions.csv"
    regions.write_text("".join(line for line in regions.read_text(encoding="utf-8")
                               .splitlines(True) if not line.startswith("resoc-mechelen,")),
                       encoding="utf-8")
    sites = _sites().iloc[:1]
    shipped = html_from_map(map_from_frames(sites))
    mine = html_from_map(map_from_frames(sites, resources=Resources.load(geodata=own)))
    assert mine != shipped and len(mine) < len(shipped)
    assert mine == html_from_map(map_from_frames(
        sites, boundaries=load_boundaries(geodata=own), resources=Resources.load(geodata=own)))


# -- in the browser ----------------------------------------------------------------------------
def _open(browser: webdriver.Chrome, path: Path) -> list[str]:
    browser.get_log("browser")
    browser.get(path.as_uri())
    return [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def _random_points(count: int, seed: int = 7) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    owners = np.array(["RESOC Kempen", "provincie Limburg", "Bedrijf X"])
    return gpd.GeoDataFrame(
        {"name": [f"Punt {i}" for i in range(count)], "nr": np.arange(1, count + 1),
         "actor": owners[rng.integers(0, 3, count)],
         "remark": [f"<i>opmerking</i> {i}" for i in range(count)]},
        geometry=gpd.points_from_xy(rng.uniform(2.6, 5.9, count), rng.uniform(50.7, 51.5, count)),
        crs="EPSG:4326")


# The map of a page and what it holds on the map, via the page's own handle (root.spm).
STATE = """
var root = document.querySelector('.spm'), map = root.spm.map, shown = {circles: 0, pins: 0};
map.eachLayer(function (l) {
  // A circle counts when drawn (on a canvas a hidden group's circles stay, undrawn).
  if (l instanceof L.CircleMarker && l.spm && (!l.spmGroup || l.spmGroup.on)) { shown.circles++; }
  if (l instanceof L.Marker && l.spm) { shown.pins++; }
});
shown.domPins = document.querySelectorAll('.leaflet-marker-icon.spm-pin:not(.spm-zone-pin)').length;
shown.rows = document.querySelectorAll('table.spm-table tbody tr[data-kind]').length;
shown.items = document.querySelectorAll('li[data-actor]').length;
shown.pagers = Array.from(document.querySelectorAll('.spm-pager'), p => p.textContent);
shown.overlay = !!document.querySelector('canvas.spm-overlay');
return shown;
"""
# Click the first point of the data where it is drawn; return the popup's text and tags.
CLICK_FIRST = """
var root = document.querySelector('.spm'), map = root.spm.map;
var layer = root.spm.data.layers.filter(function (l) { return l.kind === 'point'; })[0];
var at = map.latLngToContainerPoint([layer.xy[1] / 1e5, layer.xy[0] / 1e5]);
map.setView([layer.xy[1] / 1e5, layer.xy[0] / 1e5], 14, {animate: false});
at = map.latLngToContainerPoint([layer.xy[1] / 1e5, layer.xy[0] / 1e5]);
var box = map.getContainer().getBoundingClientRect();
var target = document.elementFromPoint(box.left + at.x, box.top + at.y);
['mousedown', 'mouseup', 'click'].forEach(function (type) {
  target.dispatchEvent(new MouseEvent(type, {bubbles: true, cancelable: true, view: window,
                                             clientX: box.left + at.x, clientY: box.top + at.y}));
});
var popup = document.querySelector('.leaflet-popup-content');
return popup && {text: popup.textContent,
                 tags: Array.from(popup.querySelectorAll('*'), e => e.tagName)};
"""


def test_a_small_frames_map_in_the_browser(browser: webdriver.Chrome, tmp_path: Path) -> None:
    zones = gpd.GeoDataFrame({"naam": ["Noordzone", "Zuidzone"],
                              "owner": ["Bedrijf X", "RESOC Kempen"]}, geometry=[
        Point(4.4, 51.25).buffer(0.02), Point(4.7, 50.9).buffer(0.03)], crs=4326).to_crs(31370)
    links = gpd.GeoDataFrame({"naam": ["As"], "type": ["organisatie"], "owner": ["Bedrijf X"]},
                             geometry=[
        LineString([(4.40, 51.23), (4.55, 51.05), (4.70, 50.88)])], crs=4326)
    path = save_html(map_from_frames(_sites(), zones, links, actor="owner", number="nr",
                                     link_type="type"), tmp_path / "m.html")
    assert _open(browser, path) == []
    state = browser.execute_script(STATE)
    assert state["domPins"] == 3 and state["rows"] == 6 and state["items"] == 3 + 2
    drawn = browser.execute_script(
        "return Array.from(document.querySelectorAll('path.leaflet-interactive'),"
        " p => [p.getAttribute('fill'), p.getAttribute('stroke-dasharray')]);")
    assert sorted(d[1] or "" for d in drawn) == ["", "", "8 6"]
    assert sum(d[0] == "none" for d in drawn) == 1  # the link: a line, not an area
    assert len(browser.find_elements("css selector", ".leaflet-marker-icon.spm-arrow")) == 1
    assert state["pagers"] == [] and not state["overlay"]
    seen = browser.execute_script(CLICK_FIRST)
    assert seen["text"].startswith("1. Haven") and "Kaai 1" in seen["text"]
    assert set(seen["tags"]) <= {"DIV", "H3", "DL", "DT", "DD"}
    table = browser.execute_script(
        "return document.querySelector('table.spm-table').textContent")
    assert "Zone <b>Noord</b>" in table  # as typed: text, not markup


def test_many_points_on_a_canvas_with_paged_lists(browser: webdriver.Chrome,
                                                  tmp_path: Path) -> None:
    count = max(CANVAS_THRESHOLD, PAGE_THRESHOLD) + 1000
    frame = _random_points(count)
    path = save_html(map_from_frames(frame), tmp_path / "many.html")
    assert _open(browser, path) == []
    state = browser.execute_script(STATE)
    # Every point is a circle on the canvas (no DOM marker), numbers on the overlay.
    assert state["circles"] == count and state["domPins"] == 0 and state["overlay"]
    # The legend's list and the table show a page at a time.
    assert state["items"] == PAGE_SIZE and state["rows"] == PAGE_SIZE
    assert state["pagers"] == [f"‹1–{PAGE_SIZE} / {count}›"] * 2
    browser.execute_script("document.querySelectorAll('.spm-pager')[1]"
                           ".querySelectorAll('button')[1].click();")
    rows = browser.execute_script(
        "return Array.from(document.querySelectorAll('table.spm-table tbody tr'),"
        " tr => tr.children[2].textContent);")
    assert rows == [f"Punt {i}" for i in range(PAGE_SIZE, 2 * PAGE_SIZE)]
    # Switching an actor off takes its circles off the map and its entries off the list.
    kempen = int((frame["actor"] == "RESOC Kempen").sum())
    browser.execute_script("document.querySelector('input[data-actor=\"resoc-kempen\"]')"
                           ".click();")
    state = browser.execute_script(STATE)
    assert state["circles"] == count - kempen
    assert state["pagers"][0] == f"‹1–{PAGE_SIZE} / {count - kempen}›"
    # A circle's popup is built when it opens, from text.
    seen = browser.execute_script(CLICK_FIRST)
    assert seen is not None and seen["text"].startswith("1. Punt 0")
    assert "<i>opmerking</i> 0" in seen["text"] and "I" not in seen["tags"]
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_a_hundred_thousand_points_open(browser: webdriver.Chrome, tmp_path: Path) -> None:
    """Such a page once failed with "Maximum call stack size exceeded"."""
    count = 100_000
    path = save_html(map_from_frames(_random_points(count), base_layers=False),
                     tmp_path / "large.html")
    assert _open(browser, path) == []
    state = browser.execute_script(STATE)
    assert state["circles"] == count and state["rows"] == PAGE_SIZE


def test_collections_and_column_names_that_are_no_strings() -> None:
    """A zone given as a geometry collection is drawn by its polygons; a column named 0 is
    shown as any other."""
    zone = gpd.GeoDataFrame({"naam": ["z"], 0: ["nul"]}, geometry=[
        Polygon([(4, 51), (4.1, 51), (4.1, 51.1)]).union(LineString([(4, 51), (5, 52)]))],
        crs=4326)
    assert zone.geom_type.iloc[0] == "GeometryCollection"
    m = map_from_frames(zones=zone, base_layers=False)
    layer = _layer(m, "zone")
    assert len(layer["areas"][0]) == 1  # one polygon, the line left out
    assert [label for label, _, _ in layer["popup"]] == ["Soort", "0"]
    assert _column(m, layer, layer["popup"][1][1]) == ["nul"]
