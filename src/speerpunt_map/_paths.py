"""Where the shipped data and the user's cache live.

The shipped ``legends/`` and ``geodata/`` folders are package data (the packages
``speerpunt_map.shipped_legends`` and ``speerpunt_map.shipped_geodata``, mapped from the top of
the repository in ``pyproject.toml``), found through :mod:`importlib.resources`: the same call
finds them in an installed wheel and in an editable checkout.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

__all__ = ["cache_dir", "shipped_geodata", "shipped_legends"]


def shipped_legends() -> Path:
    """The folder of the shipped legends (catalogue, tables, vocabularies, words, colours)."""
    return Path(str(resources.files("speerpunt_map.shipped_legends")))


def shipped_geodata() -> Path:
    """The folder of the shipped geography (gazetteer, zones, municipalities, RESOCs)."""
    return Path(str(resources.files("speerpunt_map.shipped_geodata")))


def cache_dir() -> Path:
    """The user cache folder for derived boundary layers (created on first write, not here)."""
    if env := os.environ.get("SPEERPUNT_MAP_CACHE"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "speerpunt_map"
