"""The interactive map as a structure (folium objects) and as HTML (page and fragment)."""

from __future__ import annotations

import re

import folium
import pytest

from speerpunt_map import MapLayers
from speerpunt_map.interactive import (
    fragment_from_layers,
    html_from_layers,
    map_from_layers,
    save_html,
)

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


def test_map_is_a_folium_map_with_a_group_per_actor_and_kind(logistiek):
    m = map_from_layers(logistiek)
    assert isinstance(m, folium.Map)
    names = [g.layer_name for g in _groups(m)]
    # Base layers first, then one group per (actor, kind).
    assert names[:3] == ["Vlaanderen", "Provinciegrenzen", "RESOC-grenzen"]
    assert "RESOC Kempen – Zones" in names
    assert "provincie Antwerpen – Actoren – punten" in names
    markers = [c for g in _groups(m) for c in g._children.values()
               if isinstance(c, folium.Marker) and "spm-pin" in str(c.icon.options)]
    assert len(markers) == len(logistiek.points) == 5
    lines = [c for g in _groups(m) for c in g._children.values()
             if isinstance(c, folium.PolyLine)]
    assert len(lines) == len(logistiek.links) == 6
    dashed = [line for line in lines if line.options.get("dashArray")]
    assert len(dashed) == (logistiek.links["link_type"] == "organisation").sum()


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
    assert "bij benadering" in page  # the built-in RESOC regions are approximate
    assert "CC BY 4.0" in page


def test_online_page_links_cdn_and_offers_tiles(logistiek):
    page = html_from_layers(logistiek, online=True)
    assert "https://unpkg.com/leaflet@1.9.4/dist/leaflet.js" in page
    assert "L.tileLayer" in page


def test_rebuild_writes_identical_bytes(logistiek, atlas, tmp_path):
    first = save_html(logistiek, tmp_path / "a.html")
    second = save_html(atlas.map("antwerpen/logistiek"), tmp_path / "b.html")
    assert first.read_bytes() == second.read_bytes()


def test_text_alternative_table_lists_every_feature(logistiek):
    page = html_from_layers(logistiek)
    table = page[page.index('<table class="spm-table">'):page.index("</table>")]
    assert table.count("<tr data-kind=") == len(logistiek.points) + len(logistiek.zones) + len(
        logistiek.links)
    assert "Vlaams Instituut voor de Logistiek (VIL)" in table


def test_hostile_text_is_escaped_everywhere(hostile):
    page = html_from_layers(hostile)
    # The raw markup never reaches the page as markup ...
    assert HOSTILE_REMARK not in page
    assert "<b>vet</b>" not in page
    assert page.count("</script>") == page.count("<script")
    # ... but as escaped text, in the table and the legend.
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    # Popups reach JavaScript as JSON strings: no template literal, no raw backslash escape.
    assert "`${alert(2)}`" not in page.replace("&#96;", "`") or "bindPopup(`" not in page
    assert "bindPopup(`" not in page and "bindTooltip(`" not in page


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
