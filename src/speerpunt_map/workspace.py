"""A workspace: a folder a policy officer owns, with their own maps, places and zones.

``speerpunt-map init DIR`` creates one (:func:`init_workspace`). A folder is a workspace when
its config file ``speerpunt-map.toml`` holds a ``[workspace]`` table; every command run inside
it (or given ``--workspace DIR``) reads the workspace's catalogue, and the shipped data with the
workspace's files added (:class:`Workspace`):

=================  ============================================================================
``catalogue.toml`` the workspace's maps (``[workspace] catalogue`` names another file)
``places.csv``     own places (the columns of the shipped gazetteer, plus ``override``)
``zones.csv``      own custom zones (the columns of the shipped zones, plus ``override``)
``actors.csv``,    own actors, sectors, scopes, words and colours, added to the shipped
``sectors.csv``,   ones (same columns, plus ``override``)
``scopes.csv``,
``labels.csv``,
``palette.csv``
=================  ============================================================================

A workspace row never silently replaces a shipped one: the same id, or an alias naming another
place, is an error naming both files and rows, unless the row says ``override = yes``
(:mod:`speerpunt_map._workspace_merge`); ``speerpunt-map validate`` lists the overrides.
Nothing is ever written into the installed package.

>>> atlas = load_atlas(workspace="my-atlas")   # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ._errors import GeodataError
from .options import CONFIG_FILE, read_config

__all__ = ["OWN_FILES", "Workspace", "find_workspace", "init_workspace"]

#: The vocabulary, word and colour files a workspace may hold, and the column naming a row.
OWN_FILES = {"sectors.csv": "id", "actors.csv": "id", "scopes.csv": "id", "labels.csv": "key",
             "palette.csv": "scheme:key"}
_KEYS = ("catalogue", "shipped_maps")


@dataclass(frozen=True)
class Workspace:
    """A workspace folder and the files it holds.

    Attributes
    ----------
    root
        The folder (holding ``speerpunt-map.toml``).
    catalogue
        The workspace's catalogue (``catalogue.toml`` unless the config names another).
    shipped_maps
        Whether the shipped maps are built beside the workspace's (``[workspace]
        shipped_maps = true``; default: the workspace's maps only).
    """

    root: Path
    catalogue: Path
    shipped_maps: bool = False

    @property
    def config(self) -> Path:
        """The config file (``speerpunt-map.toml``)."""
        return self.root / CONFIG_FILE

    @property
    def places(self) -> Path | None:
        """``places.csv``, when the workspace has one."""
        return self._own("places.csv")

    @property
    def zones(self) -> Path | None:
        """``zones.csv``, when the workspace has one."""
        return self._own("zones.csv")

    def own_files(self) -> dict[str, Path]:
        """The vocabulary, word and colour files the workspace holds (:data:`OWN_FILES`)."""
        return {name: path for name in OWN_FILES if (path := self._own(name)) is not None}

    def _own(self, name: str) -> Path | None:
        path = self.root / name
        return path if path.is_file() else None

    @classmethod
    def open(cls, folder: str | Path) -> Workspace:
        """The workspace in ``folder``.

        Raises
        ------
        GeodataError
            When the folder holds no ``speerpunt-map.toml`` with a ``[workspace]`` table, or the
            table is malformed.
        """
        root = Path(folder).resolve()
        config = root / CONFIG_FILE
        if not config.is_file():
            raise GeodataError(f"{root}: not a workspace (no {CONFIG_FILE}); create one with "
                               f"`speerpunt-map init {folder}`")
        table = _workspace_table(config)
        if table is None:
            raise GeodataError(f"{config}: no [workspace] table, so {root} is not a workspace; "
                               "add the line [workspace] to it, or create one with "
                               "`speerpunt-map init DIR`")
        catalogue = root / str(table.get("catalogue", "catalogue.toml"))
        return cls(root, catalogue.resolve(), bool(table.get("shipped_maps", False)))


def _workspace_table(config: Path) -> dict[str, object] | None:
    data = read_config(config)
    table = data.get("workspace")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise GeodataError(f"{config}: 'workspace' must be a [workspace] table")
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        raise GeodataError(f"{config}: [workspace] unknown setting(s) {unknown}; expected "
                           f"{list(_KEYS)}")
    if "catalogue" in table and not isinstance(table["catalogue"], str):
        raise GeodataError(f"{config}: [workspace] catalogue must be text (in quotes)")
    if "shipped_maps" in table and not isinstance(table["shipped_maps"], bool):
        raise GeodataError(f"{config}: [workspace] shipped_maps must be true or false "
                           f"(found {table['shipped_maps']!r})")
    return table


def find_workspace(folder: str | Path | None = None) -> Workspace | None:
    """The workspace named, else the working folder when it is one, else ``None``.

    Parameters
    ----------
    folder
        A workspace folder (``--workspace DIR``): it must be one. ``None`` looks at the
        working folder, which is a workspace when its ``speerpunt-map.toml`` has a
        ``[workspace]`` table (a config file with only ``[boundaries]`` is not).
    """
    if folder is not None:
        return Workspace.open(folder)
    config = Path(CONFIG_FILE)
    if config.is_file() and _workspace_table(config) is not None:
        return Workspace.open(Path.cwd())
    return None


def init_workspace(folder: str | Path, *, force: bool = False) -> list[Path]:
    """Create a workspace: config, catalogue with one example map, its table as CSV and XLSX,
    ``places.csv``, ``zones.csv`` and a README.

    Parameters
    ----------
    folder
        The folder to create (or an empty one).
    force
        Also write into a folder that holds other files; an existing file is never replaced.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    FileExistsError
        When the folder is not empty (without ``force``), or a file to write exists.
    """
    from ._workspace_init import write_workspace

    return write_workspace(Path(folder), force=force)
