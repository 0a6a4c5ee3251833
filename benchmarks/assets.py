"""The CSS and JavaScript ``explore()``'s page links, installed from npm, and the page rewritten
to load them from that folder so that it opens offline.

The set-up step (:func:`install`) runs ``npm install`` into ``benchmarks/.assets/`` (git-ignored)
once; later runs find the packages there and touch no network. Each CDN address of the page
maps to a file of a pinned npm package (:data:`ASSETS`):

* leaflet 1.9.3, jQuery 3.7.1, Bootstrap 5.2.2 and Font Awesome Free 6.2.0: the very versions
  and files the CDN serves;
* Leaflet.awesome-markers 2.0.2 (cdnjs) is not on npm: 2.0.4 is the nearest release there;
* Bootstrap 3.0.0's ``bootstrap-glyphicons.css`` (netdna) is not on npm:
  ``glyphicons-only-bootstrap`` 1.0.1 is Bootstrap 3's glyphicon rules alone, the same role;
* folium's ``leaflet.awesome.rotate.min.css`` (jsDelivr from GitHub) is in no npm package (nor
  in folium's wheel): its ``<link>`` is dropped. It only rotates awesome-marker icons, which
  ``explore()``'s circle markers do not use.

An address the table does not know stops the benchmark (a new folium links something new).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ASSETS", "DROPPED", "install", "offline_page"]

HERE = Path(__file__).resolve().parent
DEFAULT_FOLDER = HERE / ".assets"


@dataclass(frozen=True)
class Asset:
    url: str
    package: str
    version: str
    file: str
    note: str = ""


ASSETS = (
    Asset("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js", "leaflet", "1.9.3",
          "dist/leaflet.js"),
    Asset("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css", "leaflet", "1.9.3",
          "dist/leaflet.css"),
    Asset("https://code.jquery.com/jquery-3.7.1.min.js", "jquery", "3.7.1",
          "dist/jquery.min.js"),
    Asset("https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js",
          "bootstrap", "5.2.2", "dist/js/bootstrap.bundle.min.js"),
    Asset("https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css",
          "bootstrap", "5.2.2", "dist/css/bootstrap.min.css"),
    Asset("https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css",
          "@fortawesome/fontawesome-free", "6.2.0", "css/all.min.css"),
    Asset("https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/"
          "leaflet.awesome-markers.js", "leaflet.awesome-markers", "2.0.4",
          "dist/leaflet.awesome-markers.js", "2.0.2 is not on npm; 2.0.4 is the nearest"),
    Asset("https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/"
          "leaflet.awesome-markers.css", "leaflet.awesome-markers", "2.0.4",
          "dist/leaflet.awesome-markers.css", "2.0.2 is not on npm; 2.0.4 is the nearest"),
    Asset("https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css",
          "glyphicons-only-bootstrap", "1.0.1", "css/bootstrap.min.css",
          "Bootstrap 3.0.0 is not on npm; the glyphicon rules of Bootstrap 3 alone"),
)
DROPPED = {
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/"
    "leaflet.awesome.rotate.min.css":
        "in no npm package (nor in folium's wheel); rotates awesome-marker icons only",
}


def packages() -> dict[str, str]:
    """npm package → pinned version."""
    return {a.package: a.version for a in ASSETS}


def installed(folder: Path = DEFAULT_FOLDER) -> bool:
    """Whether every pinned package is in ``folder`` at its version."""
    for package, version in packages().items():
        manifest = folder / "node_modules" / package / "package.json"
        try:
            if json.loads(manifest.read_text(encoding="utf-8"))["version"] != version:
                return False
        except (OSError, ValueError, KeyError):
            return False
    return True


def install(folder: Path = DEFAULT_FOLDER) -> str:
    """Install the pinned packages into ``folder`` (a no-op when they are there); return what
    was done."""
    if installed(folder):
        return f"npm assets already in {folder}"
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed to install explore()'s assets (or pass --quick)")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "package.json").write_text(json.dumps(
        {"name": "speerpunt-map-benchmark-assets", "private": True,
         "description": "CSS and JavaScript explore()'s page links; see benchmarks/assets.py",
         "dependencies": packages()}, indent=2) + "\n", encoding="utf-8")
    subprocess.run([npm, "install", "--no-audit", "--no-fund", "--ignore-scripts",
                    "--loglevel=error"], cwd=folder, check=True,
                   env={**os.environ, "npm_config_update_notifier": "false"})
    if not installed(folder):
        raise RuntimeError(f"npm install into {folder} did not give the pinned versions")
    return f"npm assets installed into {folder}"


_LINK = re.compile(r'<(?:script|link)\b[^>]*?(?:src|href)="(https?://[^"]+)"[^>]*>'
                   r'(?:</script>)?')


def offline_page(html: str, prefix: str) -> str:
    """``explore()``'s page with every CDN address replaced by ``prefix`` + the npm file
    (``prefix`` is the path from the page to the ``node_modules`` folder).

    Raises
    ------
    ValueError
        For an address :data:`ASSETS` does not map.
    """
    local = {a.url: f"{prefix.rstrip('/')}/{a.package}/{a.file}" for a in ASSETS}
    unknown = []

    def replace(match: re.Match[str]) -> str:
        url = match.group(1)
        if url in DROPPED:
            return ""
        if url not in local:
            unknown.append(url)
            return match.group(0)
        return match.group(0).replace(url, local[url])

    page = _LINK.sub(replace, html)
    if unknown:
        raise ValueError(f"explore()'s page links addresses benchmarks/assets.py does not map "
                         f"to npm: {unknown}")
    return page


def asset_bytes(folder: Path = DEFAULT_FOLDER) -> int:
    """The bytes of the files the page loads (not counting fonts and images they pull)."""
    files = {(a.package, a.file) for a in ASSETS}
    return sum((folder / "node_modules" / p / f).stat().st_size for p, f in files)
