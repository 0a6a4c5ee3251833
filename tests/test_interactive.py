"""The interactive map as a structure (folium objects) and as HTML (page and fragment)."""

from __future__ import annotations

import dataclasses
import json
import re

import folium
import pandas as pd
import pytest
from markupsafe import escape

from speerpunt_map import MapLayers, describe
from speerpunt_map.interactive import (
    fragment_from_layers,
    html_from_layers,
    map_from_layers,
    save_html,
)
from speerpunt_map.pages import runtime_js

HOSTILE_REMARK = "<img src=x onerror=alert(1)>"
HOSTILE_NAME = "Haven `${alert(2)}` C:\\data\\2019\\01 </script><b>vet</b>"


@pytest.fixture(scope="module")
def logistiek(atlas) -> MapLayers:
    return atlas.map("antwerpen/logistiek")


@pytest.fixture(scope="module")
def hostile(atlas) -> MapLayers:
    layers = atlas.map("antwerpen/logistiek")
    layers.points.loc[0, "name"] = HOSTILE_NAME
    layers.points.loc[0, "remark"] = HOSTILE_REMARK
    layers.zones.loc[0, "name"] = HOSTILE_NAME
    layers.links.loc[0, "remark"] = HOSTILE_REMARK
    return layers


def _groups(m: folium.Map) -> list[folium.FeatureGroup]:
    return [c for c in m._children.values() if isinstance(c, folium.FeatureGroup)]


def _layer(m: folium.Map, kind: str) -> dict:
    """The payload of one layer of the page's data (see speerpunt_map._page_data)."""
    (layer,) = [layer for layer in m.spm_data["layers"] if layer["kind"] == kind]
    return layer


def _column(m: folium.Map, layer: dict, key: str) -> list[str]:
    """A text column of the payload, decoded as the page's script decodes it."""
    column, strings = layer["cols"][key], m.spm_data["strings"]
    if isinstance(column, str):
        return [column] * layer["size"]
    return [strings[v] if isinstance(v, int) else v for v in column]


def test_map_is_a_folium_map_with_a_group_per_actor_and_kind(logistiek):
    m = map_from_layers(logistiek)
    assert isinstance(m, folium.Map)
    names = [g.layer_name for g in _groups(m)]
    # Base layers first, then one group per (actor, kind).
    assert names[:7] == ["Noordzee en kust", "Rivieren", "Landsgrenzen", "Vlaanderen",
                         "Provinciegrenzen", "RESOC-grenzen", "Plaatsnamen"]
    assert "RESOC Kempen – Zones" in names
    assert "provincie Antwerpen – Actoren – punten" in names
    # Every feature is in the page's data once: five numbered DOM markers (not a canvas) ...
    data = m.spm_data
    points = _layer(m, "point")
    assert points["size"] == len(logistiek.points) == 5 and data["canvas"] is False
    assert sorted(_column(m, points, "label")) == sorted(logistiek.points["label"])
    assert len(points["xy"]) == 2 * 5
    # ... six lines, the organisational ones in dashed groups ...
    links = _layer(m, "link")
    assert links["size"] == len(logistiek.links) == 6 and len(links["n"]) == 6
    groups = [data_group.kind for data_group in _data_groups(m)]
    dashed = [g for g in _ints(links["g"], 6) if groups[g] == "link-organisation"]
    assert len(dashed) == (logistiek.links["link_type"] == "organisation").sum()
    assert data["styles"]["link-organisation"]["dashArray"]
    assert "dashArray" not in data["styles"]["link-infrastructure"]
    # ... and no page of the legend or the table: the map is small.
    assert data["page"] == 0


def _map_script(page: str) -> str:
    """The map's script (after Leaflet's), its data payload left out."""
    script = page[page.rindex("<script>"):]
    return re.sub(r"JSON\.parse\('[^']*'\)", "JSON.parse('')", script)


def _data_groups(m: folium.Map) -> list:
    (features,) = [c for c in m._children.values() if type(c).__name__ == "Features"]
    return [group for group, _ in features.groups]


def _ints(column: int | list[int], size: int) -> list[int]:
    return [column] * size if isinstance(column, int) else column


def test_each_feature_travels_once_as_data(logistiek):
    """No per-feature script: a feature's name is in the page once (in the data), and the
    page's statements do not grow with the features."""
    page = html_from_layers(logistiek)
    for name in logistiek.points["name"]:
        assert page.count(json.dumps(name)) == 1, name  # a string of the data, once
    # The same map with every point three times: the same statements, more data.
    tripled = dataclasses.replace(logistiek, points=pd.concat([logistiek.points] * 3,
                                                              ignore_index=True))
    pages = [html_from_layers(m) for m in (logistiek, tripled)]
    assert len(pages[1]) > len(pages[0])
    script, more = (_map_script(p) for p in pages)
    assert more == script
    assert script.count("bindPopup(") == 1  # the runtime's one, for any feature
    # Coordinates at 1e-5 degrees, delta-encoded: the first point decodes to its position.
    m = map_from_layers(logistiek)
    points = _layer(m, "point")
    first = logistiek.points.geometry.iloc[0]
    x, y = points["xy"][0] / 1e5, points["xy"][1] / 1e5
    assert (abs(x - first.x), abs(y - first.y)) < (1e-5, 1e-5)


def test_labels_follow_the_language(logistiek):
    english = html_from_layers(logistiek, language="en")
    assert "Logistics in Province of Antwerp" in english
    assert "Infrastructural link" in english and 'lang="en"' in english
    dutch = html_from_layers(logistiek)
    assert "Logistiek in provincie Antwerpen" in dutch and "Infrastructurele verbinding" in dutch


def test_page_is_self_contained_and_offline(logistiek):
    page = html_from_layers(logistiek)
    assert page.startswith("<!DOCTYPE html>")
    # No external resource: no script/link/img source, no url() that is not a data URI.
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', page)
    assert not re.search(r"url\((?!data:|#)", page)
    assert "L.tileLayer" not in page
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower()
    # Leaflet is inlined, and the map says what it is and where it comes from.
    assert '.version="1.9.4"' in page
    assert "geen inventaris" in page
    # It says where it comes from (report, boundaries with their licence, gazetteer) and
    # what its boundaries lack.
    description = describe(logistiek)
    for said in (*description.sources, *description.notes):
        assert str(escape(said)) in page, said


def test_online_page_links_cdn_and_offers_tiles(logistiek):
    page = html_from_layers(logistiek, online=True)
    assert "https://unpkg.com/leaflet@1.9.4/dist/leaflet.js" in page
    assert "L.tileLayer" in page


def test_rebuild_writes_identical_bytes(logistiek, atlas, tmp_path):
    first = save_html(logistiek, tmp_path / "a.html")
    second = save_html(atlas.map("antwerpen/logistiek"), tmp_path / "b.html")
    assert first.read_bytes() == second.read_bytes()


def test_text_alternative_table_lists_every_feature(logistiek):
    """The table's rows are built in the browser from the data (test_browser counts them
    there): the data lists every point, zone and link once, in the order of the legend."""
    m = map_from_layers(logistiek)
    data = m.spm_data
    kinds = [layer["kind"] for layer in data["layers"]]
    rows = [(kinds[layer], index) for layer, start, count in data["table"]["rows"]
            for index in range(start, start + count)]
    assert len(rows) == len(set(rows)) == len(logistiek.points) + len(logistiek.zones) + len(
        logistiek.links)
    assert {kind for kind, _ in rows} == {"point", "zone", "link"}
    assert "Vlaams Instituut voor de Logistiek (VIL)" in _column(m, _layer(m, "point"), "name")
    page = html_from_layers(logistiek)
    table = page[page.index('<table class="spm-table">'):page.index("</table>")]
    assert "<th scope=\"col\">Naam</th>" in table


def test_hostile_text_is_escaped_everywhere(hostile):
    page = html_from_layers(hostile)
    # The raw markup never reaches the page as markup ...
    assert HOSTILE_REMARK not in page
    assert "<b>vet</b>" not in page
    assert page.count("</script>") == page.count("<script")
    # ... it travels in the data as typed, with <, > and & as \u escapes ...
    m = map_from_layers(hostile)
    assert HOSTILE_REMARK in _column(m, _layer(m, "point"), "remark")
    assert HOSTILE_NAME in _column(m, _layer(m, "zone"), "name")
    assert "\\\\u003cimg src=x onerror=alert(1)\\\\u003e" in page
    # ... and the page's script shows it only as text: no HTML strings, no innerHTML, no
    # template literal (test_browser and test_hostile_output look at it in a browser).
    script = str(runtime_js())
    assert "innerHTML" not in script and "`" not in script
    assert "bindPopup(`" not in page and "bindTooltip(`" not in page
    assert "textContent" in script and "createTextNode" in script


def test_fragment_is_embeddable(logistiek):
    fragment = fragment_from_layers(logistiek)
    assert not re.search(r"<(html|body|head)[\s>]", fragment)
    # It styles only its own elements (and Leaflet's), never the host page.
    styles = "".join(re.findall(r"<style>(.*?)</style>", fragment, flags=re.S))
    selectors = re.findall(r"(?:^|})\s*([^{}@]+)\{", styles)
    own = [s for s in selectors if s.strip()]
    assert own
    foreign = [s for s in own
               if not all(part.strip().startswith((".spm", ".leaflet", "leaflet-", "@"))
                          or re.match(r"^(\.leaflet|\.spm)", part.strip())
                          for part in s.split(","))]
    assert [s for s in foreign if re.search(r"(^|[\s,])(html|body|h1|table|p)\b", s)] == []
    # Leaflet is loaded once per page, even when two maps are embedded.
    assert "if (!window.L)" in fragment
    assert fragment.count('class="spm"') == 1
