"""The folium elements of our own that a map is composed of.

:class:`MapRoot` is a ``folium.Map`` whose page part is ours (no page-wide styles, no CDN links
unless online); :class:`GeoStore` holds the areas several layers share, once per file;
:class:`StoredGeoJson` draws some of them; :class:`Bind` attaches a tooltip and a popup (escaped
HTML, passed to Leaflet as JSON strings); :class:`Controls` wires the legend panel's check boxes
to the layers. Each is one Jinja macro of a few lines; the page around them is in
:mod:`speerpunt_map.pages`.
"""

from __future__ import annotations

from typing import Any

import folium
import shapely
from branca.element import MacroElement
from folium.template import Template
from markupsafe import Markup

from ._folium_compat import literal_rendering
from ._leaflet import encoded_area
from .pages import macros

__all__ = ["Bind", "Controls", "GeoStore", "MapRoot", "StoredGeoJson"]


class MapRoot(folium.Map):
    """A folium map whose page part is ours: no page-wide styles, no CDN links by default."""

    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []
    _template = Template(
        "{% macro header(this, kwargs) %}{{ this.assets }}{% endmacro %}"
        "{% macro html(this, kwargs) %}{{ this.layout_html }}{% endmacro %}"
        "{% macro script(this, kwargs) %}{{ this.map_script(this, kwargs) }}{% endmacro %}"
    )

    def __init__(self, *, assets: Markup, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.assets = assets
        self.layout_html = Markup("")
        self.spm_title = ""
        # folium's own script macro creates the Leaflet map; the page around it is ours.
        self.map_script = folium.Map._template.module.script

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # folium's returns None
        # The map and every layer in it: rendered text stays text (also in a notebook).
        with literal_rendering():
            super().render(**kwargs)


class GeoStore(MacroElement):
    """Geometries shared by several layers, written once per file."""

    _template = Template(
        "{% macro script(this, kwargs) %}{{ this.decoder }}\n"
        "var {{ this.get_name() }} = {{ this.data|tojson }};{% endmacro %}")

    def __init__(self) -> None:
        super().__init__()
        self._name = "GeoStore"
        self.data: dict[str, Any] = {}
        self.decoder = Markup(macros().decoder_js())

    def put(self, key: str, geometry: shapely.Geometry, tolerance: float) -> str:
        """Store ``geometry`` under ``key`` (once), simplified by ``tolerance`` degrees."""
        if key not in self.data:
            self.data[key] = encoded_area(geometry, tolerance)
        return key


class StoredGeoJson(MacroElement):
    """A GeoJSON layer drawing geometries of a :class:`GeoStore`."""

    _template = Template(
        "{% macro script(this, kwargs) %}var {{ this.get_name() }} = L.geoJSON("
        "[{% for key in this.keys %}"
        "spmDecode({{ this.store.get_name() }}[{{ key|tojson }}]),{% endfor %}],"
        " {style: {{ this.style|tojson }}, interactive: {{ this.interactive|tojson }}})"
        ".addTo({{ this._parent.get_name() }});{% endmacro %}")

    def __init__(self, store: GeoStore, keys: list[str], style: dict[str, Any], *,
                 interactive: bool = True) -> None:
        super().__init__()
        self._name = "StoredGeoJson"
        self.store, self.keys, self.style, self.interactive = store, keys, style, interactive


class Bind(MacroElement):
    """A tooltip and a popup, as escaped HTML passed to Leaflet as JSON strings."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.bindTooltip({{ this.tooltip|tojson }}, {sticky: true});"
        "{{ this._parent.get_name() }}.bindPopup({{ this.popup|tojson }}, {maxWidth: 360});"
        "{% endmacro %}")

    def __init__(self, tooltip: str, popup: str) -> None:
        super().__init__()
        self._name = "Bind"
        self.tooltip, self.popup = str(tooltip), str(popup)


class Controls(MacroElement):
    """The legend panel's behaviour: which groups the check boxes show (added last)."""

    _template = Template(
        "{% macro script(this, kwargs) %}{{ this.code }}\n"
        "spmControls({{ this._parent.get_name() }}, {{ this._parent.get_name()|tojson }}, ["
        "{% for g in this.groups %}{actor: {{ g[0]|tojson }}, kind: {{ g[1]|tojson }}, "
        "layer: {{ g[2].get_name() }}},{% endfor %}], ["
        "{% for b in this.bases %}{key: {{ b[0]|tojson }}, layer: {{ b[1].get_name() }}},"
        "{% endfor %}]);{% endmacro %}")

    def __init__(self, groups: list[tuple[str, str, folium.FeatureGroup]],
                 bases: list[tuple[str, folium.FeatureGroup]]) -> None:
        super().__init__()
        self._name = "Controls"
        self.groups, self.bases = groups, bases
        self.code = Markup(macros().controls_js())
