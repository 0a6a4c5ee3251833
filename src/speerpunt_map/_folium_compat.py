"""Every use of folium's and branca's internals, in one place.

Two behaviours of branca do not suit a map that must be reproducible and show table text as
text, and are changed here while a map is composed or rendered — nowhere else:

1. :func:`deterministic_ids`: branca names every element with a random id
   (``Element._generate_id``); a rebuild would write other bytes. Within the block, ids are
   derived from a seed (the map id, language and mode).
2. :func:`literal_rendering`: branca wraps the rendered output of every element in
   ``Element(text)``, which compiles that text as a Jinja template a second time, so a name such
   as ``{{ 7*7 }}`` would show as ``49`` (and could run code) and ``{% raw %}`` would break the
   page. Within the block, ``branca.element.Element`` as the module sees it is
   :class:`Literal`, which keeps the text as it is.

Both were checked against the versions in :data:`CHECKED` (and :func:`check` fails loudly on
a folium or branca whose internals differ: the test suite calls it); ``pyproject.toml`` pins
folium and branca to that range.
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
from collections.abc import Iterator
from importlib.metadata import version
from typing import Any

from branca.element import Element

__all__ = ["CHECKED", "Literal", "check", "deterministic_ids", "literal_rendering"]

#: The folium and branca releases these patches were checked against (major.minor).
CHECKED = {"folium": ("0.17", "0.18", "0.19", "0.20"), "branca": ("0.7", "0.8")}


def check() -> None:
    """Fail with a clear message when folium or branca no longer have what is patched here.

    Raises
    ------
    RuntimeError
        When ``Element._generate_id`` is no classmethod, or branca's module no longer refers to
        ``Element`` by name (so :func:`literal_rendering` would have no effect).
    """
    generate = Element.__dict__.get("_generate_id")
    if not isinstance(generate, classmethod):
        raise RuntimeError("branca.element.Element._generate_id is no longer a classmethod: "
                           "speerpunt_map._folium_compat.deterministic_ids needs updating "
                           f"(branca {version('branca')})")
    module = sys.modules[Element.__module__]
    if getattr(module, "Element", None) is not Element:
        raise RuntimeError("branca.element no longer exposes Element by name: "
                           "speerpunt_map._folium_compat.literal_rendering needs updating "
                           f"(branca {version('branca')})")


@contextlib.contextmanager
def deterministic_ids(seed: str) -> Iterator[None]:
    """Give folium elements ids derived from ``seed``, so a rebuild writes the same bytes."""
    counter = iter(range(1_000_000))
    original = Element.__dict__["_generate_id"]

    def generate(cls: type) -> str:
        return hashlib.sha256(f"{seed}:{next(counter)}".encode()).hexdigest()[:16]

    Element._generate_id = classmethod(generate)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        Element._generate_id = original  # type: ignore[method-assign]


class Literal(Element):
    """Rendered text, kept as it is (see :func:`literal_rendering`)."""

    def __init__(self, template: str | None = None, template_name: str | None = None) -> None:
        super().__init__()
        self._name = "Literal"
        self.text = template or ""

    def render(self, **kwargs: Any) -> str:
        return self.text


@contextlib.contextmanager
def literal_rendering() -> Iterator[None]:
    """Let branca keep rendered text as text (see :class:`Literal`) within the block."""
    module: Any = sys.modules[Element.__module__]
    original = module.Element
    if original is Literal:  # already inside a map's rendering
        yield
        return
    module.Element = Literal
    try:
        yield
    finally:
        module.Element = original
