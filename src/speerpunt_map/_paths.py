"""Where the project's data folders and the user's cache live."""

from __future__ import annotations

import os
from pathlib import Path

# The package is installed from a checkout (``pip install -e .``): the data folders sit at the
# top of that checkout. SPEERPUNT_MAP_HOME points elsewhere, e.g. at a copy of the folders.
_HOME_ENV = "SPEERPUNT_MAP_HOME"


def project_home() -> Path:
    """The folder that holds ``legends/`` and ``geodata/``."""
    if env := os.environ.get(_HOME_ENV):
        return Path(env)
    return Path(__file__).resolve().parents[2]


def legends_dir() -> Path:
    """The shipped legends (catalogue, tables, vocabularies)."""
    return project_home() / "legends"


def geodata_dir() -> Path:
    """The shipped geography (gazetteer, zones, municipalities, RESOC membership)."""
    return project_home() / "geodata"


def cache_dir() -> Path:
    """The user cache folder for derived boundary layers (created on first write, not here)."""
    if env := os.environ.get("SPEERPUNT_MAP_CACHE"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "speerpunt_map"
