"""The folium elements of our own that a map is composed of.

:class:`MapRoot` is a ``folium.Map`` whose page part is ours (no page-wide styles, no CDN links
unless online), and that renders as our page (:meth:`MapRoot.page`, :meth:`MapRoot.save`);
:class:`GeoStore` holds the boundary areas several layers share, once per file;
:class:`StoredAreas` draws some of them as a base layer; :class:`Features` carries the map's
features as one data payload (:mod:`speerpunt_map._page_data`) and the one call that draws them
into their groups, fills the legend's lists and the table, and wires the legend's check boxes.
Each is one Jinja macro of a few lines; the page around them is in :mod:`speerpunt_map.pages`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, BinaryIO

import folium
import shapely
from branca.element import MacroElement
from folium.template import Template
from markupsafe import Markup

from ._folium_compat import literal_rendering
from ._leaflet import Area, encoded_area
from ._page_data import Group
from .pages import fragment_page, map_page, runtime_js

__all__ = ["Features", "GeoStore", "MapRoot", "StoredAreas"]


class MapRoot(folium.Map):
    """A folium map whose page part is ours: no page-wide styles, no CDN links by default.

    Parameters
    ----------
    assets
        The ``<head>`` part: Leaflet (inline, or linked) and our style sheet.
    language
        The page's language.
    **kwargs
        As for ``folium.Map``.
    """

    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []
    _template = Template(
        "{% macro header(this, kwargs) %}{{ this.assets }}{% endmacro %}"
        "{% macro html(this, kwargs) %}{{ this.layout_html }}{% endmacro %}"
        "{% macro script(this, kwargs) %}{{ this.map_script(this, kwargs) }}{% endmacro %}"
    )

    def __init__(self, *, assets: Markup, language: str = "nl", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.assets = assets
        self.language = language
        self.layout_html = Markup("")
        self.spm_title = ""
        #: The features' data payload, as the page carries it (see speerpunt_map._page_data).
        self.spm_data: dict[str, Any] = {}
        self._rendered: tuple[tuple[str, ...], tuple[str, str, str]] | None = None
        # folium's own script macro creates the Leaflet map; the page around it is ours.
        self.map_script = folium.Map._template.module.script

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # folium's returns None
        # The map and every layer in it: rendered text stays text (also in a notebook).
        with literal_rendering():
            super().render(**kwargs)

    def _pieces(self) -> tuple[str, str, str]:
        """The head, body and script parts of the rendered map (rendered once: branca adds
        some scripts again on every render)."""
        key = tuple(self._children)
        if self._rendered is None or self._rendered[0] != key:
            root = self.get_root()
            root.render()
            pieces = (root.header.render(), root.html.render(),  # type: ignore[attr-defined]
                      root.script.render())  # type: ignore[attr-defined]
            self._rendered = (key, pieces)
        return self._rendered[1]

    def page(self) -> str:
        """The map as a self-contained HTML page.

        Returns
        -------
        str
        """
        head, body, script = self._pieces()
        return map_page(self.language, self.spm_title, head, body,  # type: ignore[arg-type]
                        script)

    def fragment(self) -> str:
        """The map as an HTML fragment (styles, a ``div`` and a ``script``) for a CMS page.

        Returns
        -------
        str
        """
        head, body, script = self._pieces()
        head = re.sub(r'<meta http-equiv="content-type"[^>]*>', "", head)
        return fragment_page(head, body, script)

    def save(self, outfile: str | bytes | Path | BinaryIO, close_file: bool = True,
             **kwargs: Any) -> None:
        """Write :meth:`page` to a file name or a binary file object (as branca's ``save``)."""
        data = self.page().encode("utf-8")
        if isinstance(outfile, str | bytes | Path):
            Path(os.fsdecode(outfile)).write_bytes(data)
            return
        outfile.write(data)
        if close_file:
            outfile.close()


class GeoStore(MacroElement):
    """Boundary areas shared by several layers, written once per file (at 1e-4°)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = {{ this.data|tojson }};{% endmacro %}")

    def __init__(self) -> None:
        super().__init__()
        self._name = "GeoStore"
        self.data: dict[str, Area] = {}

    def put(self, key: str, geometry: shapely.Geometry, tolerance: float) -> str:
        """Store ``geometry`` under ``key`` (once), simplified by ``tolerance`` degrees."""
        if key not in self.data:
            self.data[key] = encoded_area(geometry, tolerance)
        return key


class StoredAreas(MacroElement):
    """Areas of a :class:`GeoStore` drawn as one path (a base layer: outlines only)."""

    _template = Template(
        "{% macro script(this, kwargs) %}var {{ this.get_name() }} = L.polygon("
        "spmAreas({{ this.store.get_name() }}, {{ this.keys|tojson }}), "
        "{{ this.style|tojson }}).addTo({{ this._parent.get_name() }});{% endmacro %}")

    def __init__(self, store: GeoStore, keys: list[str], style: dict[str, Any]) -> None:
        super().__init__()
        self._name = "StoredAreas"
        self.store, self.keys = store, keys
        self.style = {**style, "interactive": False}


class Features(MacroElement):
    """The map's features as one data payload, and the call that draws them (added last).

    Parameters
    ----------
    store
        The shared areas some features refer to.
    data
        The payload as JSON that is safe in a script (:func:`~speerpunt_map._page_data.
        payload_json`).
    groups
        Each legend group with the ``FeatureGroup`` its features go into.
    bases
        The base layers the panel switches: (key, group).
    """

    _template = Template(
        "{% macro script(this, kwargs) %}{{ this.code }}\n"
        "spmMap({{ this._parent.get_name() }}, {{ this._parent.get_name()|tojson }}, "
        "{{ this.store.get_name() }}, {{ this.data }}, ["
        "{% for g, layer in this.groups %}{actor: {{ g.actor|tojson }}, "
        "kind: {{ g.kind|tojson }}, colour: {{ g.colour|tojson }}, fill: {{ g.fill|tojson }}, "
        "layer: {{ layer.get_name() }}},{% endfor %}], ["
        "{% for key, layer in this.bases %}{key: {{ key|tojson }}, layer: {{ layer.get_name() }}},"
        "{% endfor %}]);{% endmacro %}")

    def __init__(self, store: GeoStore, data: str,
                 groups: list[tuple[Group, folium.FeatureGroup]],
                 bases: list[tuple[str, folium.FeatureGroup]]) -> None:
        super().__init__()
        self._name = "Features"
        self.store, self.groups, self.bases = store, groups, bases
        self.data = Markup(data)
        self.code = runtime_js()
