"""A map's outputs replaced together: all old or all new, also after a kill.

A map's page and figures (``.html``, ``.png``, ``.pdf``, ``.svg``) belong together. They are
drawn first (a failing figure leaves every old file in place), then written under temporary
names, then renamed onto their targets one after the other. Before the first rename a journal
(``.speerpunt-map-journal.json`` in the output folder) lists every target with its temporary
file and the SHA-256 of its new content; it is removed after the last rename. A build killed
between two renames leaves the journal and the temporaries of the renames not yet done: the next
:class:`~speerpunt_map._io.OutputFolder` opened on the folder finishes them
(:func:`recover`), so the set is all new, before any temporary file is cleaned away.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ._errors import OutputError

if TYPE_CHECKING:
    from ._io import OutputFolder

__all__ = ["JOURNAL", "recover", "write_set"]

log = logging.getLogger(__name__)

JOURNAL = ".speerpunt-map-journal.json"


def _temporary(target: Path) -> Path:
    """A free temporary name beside ``target``, in the form stale-file cleaning knows."""
    handle, name = tempfile.mkstemp(prefix=f".{target.stem}.{os.getpid()}.",
                                    suffix=f".part{target.suffix}", dir=target.parent)
    os.close(handle)
    return Path(name)


def write_set(folder: OutputFolder, contents: dict[Path, bytes]) -> list[Path]:
    """Replace the files ``contents`` names together (all old or all new).

    Every target is checked against the manifest first; then each new content is written to a
    temporary file and flushed; then, under the folder's lock, the journal and the manifest
    (old and new hashes) are saved and the temporaries renamed onto their targets.

    Raises
    ------
    OutputError
        When a target may not be replaced, or a file cannot be written: the old files are then
        all left as they were.
    """
    from ._io import _digest, _error, write_flushed

    for target in contents:
        folder.check(target)
    written: dict[Path, Path] = {}
    try:
        for target, data in contents.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = written[target] = _temporary(target)
            write_flushed(temporary, data)
    except OSError as error:
        for temporary in written.values():
            with contextlib.suppress(OSError):
                temporary.unlink()
        failed = next(iter(t for t in contents if t not in written), next(iter(contents)))
        raise _error("write", failed, error) from None
    entries = [{"target": folder._relative(t), "temporary": p.name, "sha256": _digest(p)}
               for t, p in written.items()]
    with folder._locked():
        files = folder._load()
        for target, entry in zip(written, entries, strict=True):
            _claim(folder, files, target, str(entry["sha256"]))
        folder._save(files)
        _write_journal(folder, entries)
        _rename_all(folder, entries)
    return list(contents)


def _claim(folder: OutputFolder, files: dict[str, list[str]], target: Path, new: str) -> None:
    """Record ``new`` (and the current content, while it is still on disk) for ``target``."""
    from ._io import _digest

    relative = folder._relative(target)
    known = files.get(relative)
    hashes = [new]
    if target.exists() or target.is_symlink():
        current = _digest(target) if target.is_file() else ""
        ours = known is not None and (not known or current in known)
        if not ours and not folder.overwrite:
            raise folder._refuse(target)
        if ours and current:
            hashes.append(current)
    files[relative] = hashes


def _write_journal(folder: OutputFolder, entries: list[dict[str, str]]) -> None:
    from ._io import write_text

    write_text(folder.path / JOURNAL, json.dumps({"replace": entries}, indent=1) + "\n")


def _rename_all(folder: OutputFolder, entries: list[dict[str, str]]) -> None:
    """Rename each temporary onto its target, then remove the journal."""
    from ._io import _fsync

    for entry in entries:
        target = folder.path / entry["target"]
        os.replace(target.parent / entry["temporary"], target)
    for parent in {(folder.path / e["target"]).parent for e in entries}:
        _fsync(parent, folder=True)
    (folder.path / JOURNAL).unlink()
    _fsync(folder.path, folder=True)


def recover(folder: OutputFolder) -> None:
    """Finish the renames of a set that a killed build left half done (call under the lock).

    Each target whose temporary is still there, with the content the journal names, gets it;
    a target that already has it is left. A set that cannot be completed (a temporary gone and
    its target old) is named in a warning: rebuild that map.
    """
    from ._io import _digest

    path = folder.path / JOURNAL
    if not path.is_file():
        return
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["replace"]
    except (ValueError, KeyError, TypeError):
        raise OutputError(f"{path} is damaged; remove it (and rebuild) to build into "
                          f"{folder.path}") from None
    missing = []
    for entry in entries:
        target = folder.path / entry["target"]
        temporary = target.parent / entry["temporary"]
        if temporary.is_file() and _digest(temporary) == entry["sha256"]:
            os.replace(temporary, target)
        elif not (target.is_file() and _digest(target) == entry["sha256"]):
            missing.append(entry["target"])
    if missing:
        log.warning("%s: an interrupted build left %s without their new content, and their "
                    "temporary files are gone: rebuild them", folder.path, ", ".join(missing))
    else:
        log.warning("%s: an interrupted build left a map's outputs half replaced; finished "
                    "replacing %s", folder.path, ", ".join(e["target"] for e in entries))
    path.unlink()
