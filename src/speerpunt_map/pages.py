"""The pages: one Jinja environment (``templates/``) for the map page and the CMS fragment
(``map.html.j2``), the index (``index.html.j2``) and the matrix (``matrix.html.j2``).

Every string from a table reaches HTML through this autoescaping environment and JavaScript
only as JSON (``|tojson``): a remark such as ``<img src=x onerror=alert(1)>`` shows as typed and
runs nothing. Nothing here compiles rendered text as a template again.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from ._leaflet import cdn_assets, leaflet_assets
from ._types import Language
from .style import Labels

__all__ = ["assets_head", "fragment_page", "index_page", "macros", "map_page", "matrix_page",
           "runtime_js"]


@cache
def _environment() -> jinja2.Environment:
    folder = resources.files("speerpunt_map") / "templates"
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(
            lambda name: (folder / name).read_text(encoding="utf-8")),
        autoescape=True, undefined=jinja2.StrictUndefined)


@cache
def macros() -> Any:
    """The macros of ``templates/map.html.j2`` (layout, popup, tooltip, scripts, pages)."""
    return _environment().get_template("map.html.j2").module


@cache
def _template(name: str) -> Any:
    """The macros of one template of the environment (``index.html.j2``, ``matrix.html.j2``)."""
    return _environment().get_template(name).module


@cache
def runtime_js() -> Markup:
    """The map's script (``runtime_js`` of the template), without indentation and comment
    lines: the same code, smaller."""
    code = re.sub(r"^[ \t]+", "", str(macros().runtime_js()), flags=re.M)
    return Markup(re.sub(r"^//[^\n]*\n", "", code, flags=re.M))


def assets_head(online: bool) -> Markup:
    """The ``<head>`` part of a map: Leaflet (inline, or linked when online) and our CSS.

    Online, the CDN files are pinned by their SHA-384 (``integrity``, computed from the files
    shipped for offline pages, the same release): a browser runs no other file under that
    URL."""
    own = f"<style>{macros().css()}</style>"
    if online:
        (script, script_hash), (css, css_hash) = cdn_assets()
        return Markup(f'<link rel="stylesheet" href="{css}" integrity="{css_hash}" '
                      f'crossorigin="anonymous">\n'
                      f'<script src="{script}" integrity="{script_hash}" '
                      f'crossorigin="anonymous"></script>\n{own}')
    script, css = leaflet_assets()
    # In a fragment Leaflet may already be on the page: load it once.
    return Markup(f"<style>{css}</style>\n<script>if (!window.L) {{\n{script}\n}}</script>\n{own}")


def map_page(language: Language, title: str, head: str, body: str, script: str) -> str:
    """A whole page around a rendered map's head, body and script."""
    return str(macros().page(language, title, Markup(head), Markup(body), Markup(script)))


def fragment_page(head: str, body: str, script: str) -> str:
    """A ``div`` + ``script`` fragment around a rendered map, for a CMS page."""
    return str(macros().fragment(Markup(head), Markup(body), Markup(script)))


def index_page(t: Labels, blocks: list[dict[str, Any]], extras: list[dict[str, str]]) -> str:
    """The index of a build: its maps by section, with links to their files."""
    return str(_template("index.html.j2").index(t.language, t("index_title"), blocks, t,
                                                t("disclaimer"), extras))


def matrix_page(t: Labels, columns: list[str], rows: list[dict[str, Any]],
                totals: list[int]) -> str:
    """The region × sector heat map."""
    return str(_template("matrix.html.j2").matrix(t.language, t("matrix_title"), columns, rows,
                                                  totals, t))
