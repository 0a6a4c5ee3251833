"""Page size and CDN pinning (issue 13.10): a build that would write a page over 20 MB warns
before writing it and says how to make it smaller; an ``--online`` page pins Leaflet from the CDN
with ``integrity`` (SHA-384 of the files shipped for offline pages, the same release).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from importlib import resources
from pathlib import Path

import pytest

from speerpunt_map import Atlas, load_atlas
from speerpunt_map._leaflet import CDN_CSS, CDN_JS
from speerpunt_map.build import PAGE_WARNING_BYTES, build_atlas
from speerpunt_map.interactive import html_from_layers

from .conftest import map_entry
from .test_hostile_input import HEADER, point
from .test_validate import write_excel_belgian_csv

SHIPPED = resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"
# The SHA-256 that leafletjs.com/download.html publishes for Leaflet 1.9.4 (its SRI values).
PUBLISHED_SHA256 = {"leaflet.js": "20nQCchB9co0qIjJZRGuk2/Z9VM+kNiyxNV1lvTlZBo=",
                    "leaflet.css": "p4NxAoJBhIIN+hmNHrzRCf9tD/miZyoHS5obTRR9BMY="}


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


def test_a_page_over_20_mb_is_announced_before_it_is_written(
        atlas: Atlas, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A remark of 21 million characters (pasted by mistake) makes a page of more than 20 MB."""
    legends = tmp_path / "legends"
    legends.mkdir()
    write_excel_belgian_csv(legends / "t.csv", [
        HEADER, point("1", "VITO", "vito-mol", remark="x" * 21_000_000)])
    (legends / "catalogue.toml").write_text(map_entry("t.csv"), encoding="utf-8")
    page = tmp_path / "out" / "antwerpen" / "test.html"
    existed: list[bool] = []  # whether the page was there when the warning was logged

    class Watch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            existed.append(page.exists())

    watch = Watch(logging.WARNING)
    logging.getLogger("speerpunt_map.build").addHandler(watch)
    try:
        with caplog.at_level(logging.WARNING, logger="speerpunt_map.build"):
            build_atlas(load_atlas(legends, boundaries=atlas.boundaries), tmp_path / "out",
                        ids=["antwerpen/test"])
    finally:
        logging.getLogger("speerpunt_map.build").removeHandler(watch)
    (warning,) = [r for r in caplog.records if "MB" in r.getMessage()]
    message = warning.getMessage()
    assert page.stat().st_size > PAGE_WARNING_BYTES
    assert re.search(r"test\.html will be 2[1-9]\.\d MB, over 20 MB", message)
    assert "fewer features" in message and "--format" in message and "--online" in message
    # Warned before writing: the page was not there yet.
    assert existed == [False]


def test_a_page_under_20_mb_is_written_without_a_word(
        atlas: Atlas, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="speerpunt_map.build"):
        build_atlas(atlas, tmp_path, ids=["antwerpen/zorg"])
    assert "MB" not in caplog.text


def test_the_cdn_urls_name_the_shipped_release() -> None:
    script = (SHIPPED / "leaflet.js").read_bytes()
    shipped = re.search(rb"Leaflet (\d+\.\d+\.\d+)", script[:300])
    assert shipped is not None
    for url in (CDN_JS, CDN_CSS):
        assert f"leaflet@{shipped.group(1).decode()}/" in url
    # The shipped files are the released ones, byte for byte.
    for name, published in PUBLISHED_SHA256.items():
        assert _b64(hashlib.sha256((SHIPPED / name).read_bytes()).digest()) == published


def test_an_online_page_pins_its_cdn_assets(atlas: Atlas) -> None:
    page = html_from_layers(atlas.map("antwerpen/zorg"), online=True)
    for url, name in ((CDN_JS, "leaflet.js"), (CDN_CSS, "leaflet.css")):
        expected = "sha384-" + _b64(hashlib.sha384((SHIPPED / name).read_bytes()).digest())
        tag = re.search(rf'<(?:script|link)[^>]*"{re.escape(url)}"[^>]*>', page)
        assert tag is not None, url
        assert f'integrity="{expected}"' in tag.group(0)
        assert 'crossorigin="anonymous"' in tag.group(0)
    offline = html_from_layers(atlas.map("antwerpen/zorg"))
    assert "integrity=" not in offline and "unpkg.com" not in offline
