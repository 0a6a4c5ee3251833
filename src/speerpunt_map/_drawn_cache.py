"""The build's cache of drawn maps: a map's page and figures, kept by what they were drawn from.

Drawing is the slow part of a build (resolving every row to a geometry, then the page or the
figure). A map drawn again from the same files, by the same code, gives the same bytes, so
``speerpunt-map build`` keeps what it drew in the user's cache folder
(:func:`speerpunt_map._paths.cache_dir`, ``drawn/``) and reuses it when nothing it was drawn
from has changed. The key of a map is a BLAKE2b digest of:

- this cache's format (:data:`VERSION`) and the Python version;
- every file of the ``speerpunt_map`` package (code, templates) and of the inlined Leaflet;
- the versions of the libraries that shape a page or figure (:data:`LIBRARIES`);
- the path and bytes of every file the build reads besides the legend tables
  (:func:`speerpunt_map.exports.resource_inputs`: legend files, the geodata folder, the
  workspace's files, the boundary file) and of the catalogue; the boundary options;
- the map's catalogue entry, and the path and bytes of its legend table (for an overview:
  those of every map of its sector group, :meth:`speerpunt_map.Atlas.overview_members`);
- the output's kind, language and ``--online``.

A cached map also keeps what the build reports about it (rows read, drawn and rejected, the
rows not drawn, its index card) and the log messages its drawing gave, which are logged again
on a hit: a warm build says what a cold one says. Only maps drawn without error are kept. One
version per map, language and setting is kept (a newer one replaces it), so the folder holds
about one atlas. A file of the cache that cannot be read is a miss, never an error; nothing
outside the cache folder is read from it. An atlas changed in memory after loading (not
through its files) is not seen by the key: :func:`speerpunt_map.build.build_atlas` therefore
uses the cache only when asked (the command line asks, ``--no-cache`` does not).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from ._paths import cache_dir

__all__ = ["LIBRARIES", "VERSION", "CachedMap", "DrawnCache", "capture_logs", "replay"]

#: Bumped when what an entry holds changes.
VERSION = 1
#: Distributions whose version can change a page's or a figure's bytes.
LIBRARIES = ("folium", "branca", "jinja2", "geopandas", "shapely", "pyproj", "pandas", "numpy",
             "matplotlib", "pyogrio", "fiona", "openpyxl", "Pillow")


@dataclass
class CachedMap:
    """What the build keeps of one drawn map."""

    #: Output kind (``html``, ``png``, ...) → its bytes.
    contents: dict[str, bytes]
    #: The build's report of the map (:class:`speerpunt_map.build.MapResult` fields).
    report: dict[str, Any]
    #: (logger name, level, message) of what drawing it logged.
    logs: list[tuple[str, int, str]] = field(default_factory=list)


def _digest(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _tree(folder: Path) -> Iterator[tuple[str, bytes]]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            yield path.relative_to(folder).as_posix(), path.read_bytes()


def _code() -> str:
    """Digest of the package's files and of the Leaflet files a page inlines."""
    parts: list[bytes | str] = []
    folders = [Path(__file__).resolve().parent]
    try:
        import js_lib_leaflet

        folders.append(Path(js_lib_leaflet.__file__).resolve().parent)
    except ImportError:  # pragma: no cover - a dependency; then only --online pages work
        pass
    for folder in folders:
        for name, data in _tree(folder):
            parts += [name, data]
    return _digest(*parts)


def _libraries() -> str:
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=absent")
    return ";".join([sys.version, *versions])


class DrawnCache:
    """Drawn maps of one build, by key (see the module's text). ``folder=None`` uses
    :func:`cache_dir`."""

    def __init__(self, inputs: Iterable[Path], catalogue: Path, settings: str,
                 folder: Path | None = None) -> None:
        self.folder = (folder or cache_dir()) / "drawn"
        self._files: dict[Path, str] = {}
        shared = [f"{path}\0{self._file(path)}" for path in sorted(set(inputs))]
        self._base = _digest(str(VERSION), _code(), _libraries(), settings,
                             f"{catalogue}\0{self._file(catalogue)}", *shared)

    def _file(self, path: Path) -> str:
        if path not in self._files:
            try:
                self._files[path] = _digest(Path(path).read_bytes())
            except OSError as error:  # a missing file is part of the key as such
                self._files[path] = f"unreadable: {type(error).__name__}"
        return self._files[path]

    def key(self, map_id: str, entries: Iterable[object], tables: Iterable[Path],
            kind: str) -> str:
        """The key of one output of a map drawn from these catalogue entries and tables."""
        return _digest(self._base, map_id, kind, *(repr(e) for e in entries),
                       *(f"{t}\0{self._file(Path(t))}" for t in tables))

    def _slot(self, map_id: str, kind: str, language: str, online: bool) -> Path:
        return self.folder / _digest(map_id, kind, language, str(online))[:24]

    def load(self, map_id: str, keys: dict[str, str], language: str,
             online: bool) -> CachedMap | None:
        """The map with these keys (kind → key), or ``None`` when any kind is missing."""
        contents: dict[str, bytes] = {}
        report: dict[str, Any] | None = None
        logs: list[tuple[str, int, str]] = []
        for kind, key in keys.items():
            try:
                with open(self._slot(map_id, kind, language, online) / key, "rb") as f:
                    entry = pickle.load(f)
            except Exception:  # missing, half-written by a killed build, another version
                return None
            if not isinstance(entry, CachedMap) or kind not in entry.contents:
                return None
            contents[kind] = entry.contents[kind]
            report, logs = entry.report, entry.logs
        if report is None:
            return None
        return CachedMap(contents, report, logs)

    def store(self, map_id: str, keys: dict[str, str], language: str, online: bool,
              drawn: CachedMap) -> None:
        """Keep each output of a map under its key, replacing the map's older versions. A
        cache that cannot be written (full disk, read-only) is left as it is."""
        for kind, key in keys.items():
            slot = self._slot(map_id, kind, language, online)
            entry = CachedMap({kind: drawn.contents[kind]}, drawn.report, drawn.logs)
            try:
                slot.mkdir(parents=True, exist_ok=True)
                handle, temporary = tempfile.mkstemp(dir=slot, prefix=".writing-")
                try:
                    with os.fdopen(handle, "wb") as f:
                        pickle.dump(entry, f, protocol=pickle.HIGHEST_PROTOCOL)
                    os.replace(temporary, slot / key)
                except BaseException:
                    Path(temporary).unlink(missing_ok=True)
                    raise
                for old in slot.iterdir():
                    if old.name != key and not old.name.startswith(".writing-"):
                        old.unlink(missing_ok=True)
            except OSError as error:
                logging.getLogger(__name__).info("the drawn-map cache %s was not written: %s",
                                                 slot, error)
                return


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


@contextmanager
def capture_logs() -> Iterator[list[tuple[str, int, str]]]:
    """Note what the package logs (at WARNING and up) inside the block, still logging it."""
    package = logging.getLogger("speerpunt_map")
    handler = _Collect()
    handler.setLevel(logging.WARNING)
    package.addHandler(handler)
    try:
        yield handler.records
    finally:
        package.removeHandler(handler)


def replay(logs: Iterable[tuple[str, int, str]]) -> None:
    """Log again what a cached map's drawing logged."""
    for name, level, message in logs:
        logging.getLogger(name).log(level, "%s", message)
