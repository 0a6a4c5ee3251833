"""How the boundaries are loaded: :class:`BoundaryOptions`, and the config file that sets them.

A config file (``speerpunt-map.toml`` in the working folder, or one named with ``--config``)
holds a ``[boundaries]`` table with ``path``, ``layer``, ``columns``, ``crs`` and ``vintage``;
the command line overrides it field by field (:meth:`BoundaryOptions.replace`).

>>> options = BoundaryOptions.from_config("speerpunt-map.toml")  # doctest: +SKIP
>>> load_atlas(boundary_options=options)                         # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ._errors import BoundaryError

__all__ = ["CONFIG_FILE", "VINTAGES", "BoundaryOptions", "Vintage", "check_crs_text",
           "read_config"]

#: The config file read from the working folder when no other is named.
CONFIG_FILE = "speerpunt-map.toml"
Vintage = Literal[2013, 2019, 2025]
VINTAGES: tuple[Vintage, ...] = (2013, 2019, 2025)
#: Our column names of a municipality file, which ``columns`` maps to the file's own.
COLUMN_NAMES = ("refnis", "name_nl", "name_fr")
_CONFIG_KEYS = ("path", "layer", "columns", "crs", "vintage")


def check_crs_text(text: str) -> str:
    """``text`` when pyproj knows it as a CRS (``EPSG:31370``); a :class:`ValueError` else."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        CRS.from_user_input(text)
    except CRSError:
        raise ValueError(f"{text!r} is not a CRS; e.g. EPSG:31370 (Lambert 72), EPSG:3812 "
                         "(Lambert 2008), EPSG:4326 (lon/lat)") from None
    return text


@dataclass(frozen=True)
class BoundaryOptions:
    """Where the boundaries come from (see :func:`speerpunt_map.load_boundaries`).

    Attributes
    ----------
    path
        A municipality boundary file; ``None`` for the built-in boundaries (or the file named
        by the environment variable ``SPEERPUNT_MAP_BOUNDARIES``).
    layer
        The layer of a multi-layer file.
    columns
        Our column names (``refnis``, ``name_nl``, ``name_fr``) → the file's.
    crs
        The CRS of a file that states none.
    vintage
        The municipality vintage of the file (detected from its codes otherwise).
    allow_virtual
        Also open URLs, GDAL virtual paths and VRT files.
    """

    path: str | Path | None = None
    layer: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    crs: str | None = None
    vintage: Vintage | None = None
    allow_virtual: bool = False

    def replace(self, **changes: Any) -> BoundaryOptions:
        """These options with the fields given (and not ``None``) replaced."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_config(cls, path: str | Path | None = None) -> BoundaryOptions:
        """The ``[boundaries]`` table of a config file.

        Parameters
        ----------
        path
            The config file. ``None`` reads ``speerpunt-map.toml`` in the working folder when
            there is one (and gives the defaults when there is not).

        Returns
        -------
        BoundaryOptions
            A relative ``path`` in the file is taken relative to the config file.

        Raises
        ------
        BoundaryError
            When the file is missing (if named), unreadable, not TOML, or holds unknown or
            mistyped settings; the message names the file and the setting.
        """
        named = path is not None
        config = Path(path) if path is not None else Path(CONFIG_FILE)
        if not named and not config.is_file():
            return cls()
        return cls._from_table(config, _read_config(config))

    @classmethod
    def _from_table(cls, config: Path, data: dict[str, Any]) -> BoundaryOptions:
        table = data.get("boundaries", {})
        if not isinstance(table, dict):
            raise BoundaryError(f"{config}: 'boundaries' must be a [boundaries] table with "
                                f"{sorted(_CONFIG_KEYS)}")
        # [workspace] is read by speerpunt_map.workspace.
        unknown = set(data) - {"boundaries", "workspace"} | set(table) - set(_CONFIG_KEYS)
        if unknown:
            raise BoundaryError(f"{config}: unknown setting(s) {sorted(unknown)}; expected a "
                                f"[boundaries] table with {sorted(_CONFIG_KEYS)} (and a "
                                "[workspace] table in a workspace)")
        for key in ("path", "layer", "crs"):
            if key in table and not isinstance(table[key], str):
                raise BoundaryError(f"{config}: [boundaries] {key} must be text (in quotes)")
        if "vintage" in table and table["vintage"] not in VINTAGES:
            raise BoundaryError(f"{config}: [boundaries] vintage must be 2013, 2019 or 2025")
        columns = table.get("columns", {})
        if not isinstance(columns, dict) or not all(isinstance(v, str) for v in
                                                    columns.values()):
            raise BoundaryError(f"{config}: [boundaries] columns must be a table such as "
                                '{ refnis = "NISCODE", name_nl = "NAAM" }')
        if "crs" in table:
            try:
                check_crs_text(table["crs"])
            except ValueError as error:
                raise BoundaryError(f"{config}: [boundaries] crs {error}") from None
        text: str | None = table.get("path")
        file: str | Path | None = text
        if text is not None and "://" not in text and not text.startswith("/vsi"):
            # A relative path in the config file is relative to the config file.
            file = (config.parent / text).resolve()
        return cls(path=file, layer=table.get("layer"), columns=dict(columns),
                   crs=table.get("crs"), vintage=table.get("vintage"))


def read_config(config: Path) -> dict[str, Any]:
    """The tables of a config file; a :class:`BoundaryError` naming the file when it cannot be
    read as TOML."""
    return _read_config(config)


def _read_config(config: Path) -> dict[str, Any]:
    if config.is_dir():
        raise BoundaryError(f"{config}: a folder, not a config file")
    try:
        return tomllib.loads(config.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise BoundaryError(f"{config}: no such config file") from None
    except OSError as error:
        raise BoundaryError(f"{config}: cannot be read ({error.strerror or error})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise BoundaryError(f"{config}: not valid TOML ({error})") from None
