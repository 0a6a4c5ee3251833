"""Atomic output: a file is either the old one or the complete new one, never half of one.

:func:`atomic_path` writes beside the target under a hidden temporary name
(``.<stem>.<pid>.<random>.part<suffix>``), flushes it to disk and renames it onto the target.
:class:`OutputFolder` is a folder that builds write into: it keeps a manifest of the files it
wrote (``.speerpunt-map-manifest.json``, with each file's SHA-256) and replaces a file only when
its content is one it wrote, takes turns with other builds writing into the same folder (a lock
held while a file is committed), and removes the temporary files of builds that were killed.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from ._errors import OutputError

__all__ = ["MANIFEST", "OutputFolder", "atomic_path", "is_temporary", "refuse_own_inputs",
           "write_bytes", "write_text"]

log = logging.getLogger(__name__)

MANIFEST = ".speerpunt-map-manifest.json"
LOCK = ".speerpunt-map.lock"
# A temporary file: hidden, the writer's process id, mkstemp's random part, ".part", the suffix.
_TEMPORARY = re.compile(r"^\..*\.(\d+)\.[a-z0-9_]+\.part(\.[^.]*)?$")
_STALE_SECONDS = 24 * 3600  # where a process id cannot be checked (not POSIX)


def is_temporary(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is the name of a temporary file of :func:`atomic_path`."""
    return bool(_TEMPORARY.match(Path(path).name))


def _error(action: str, target: Path, error: OSError, folder: Path | None = None) -> OutputError:
    """An :class:`OutputError` that names the folder and says what is wrong with it.

    It keeps the ``errno`` of the failure: a full or read-only disk stops a build.
    """
    folder = target.parent if folder is None else folder
    reason = error.strerror or str(error)
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        hint = f"the folder {folder} is full ({reason})"
    elif error.errno == errno.EROFS:
        hint = f"the folder {folder} is on a read-only file system"
    elif error.errno in (errno.EACCES, errno.EPERM):
        hint = f"no permission to write in the folder {folder}"
    else:
        hint = f"{reason} (in the folder {folder})"
    result = OutputError(f"cannot {action} {target}: {hint}; no existing file was changed")
    result.errno = error.errno
    return result


def _identity(path: Path) -> tuple[int, int] | None:
    """The device and inode of an existing file (``None`` when there is none)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def refuse_own_inputs(targets: Iterable[str | os.PathLike[str]],
                      inputs: Mapping[Path, str]) -> None:
    """Raise :class:`OutputError` when an output would be written over an input of the run.

    An output that is an input (the legend table, the catalogue, a gazetteer or zones file,
    the boundary file) — by its path, through a symbolic link, or as a hard link of it — is
    refused, with ``--overwrite`` too: writing it would destroy what the run reads.

    Parameters
    ----------
    targets
        The files the run would write.
    inputs
        The files it reads, each with what it is (``"the legend table of antwerpen/zorg"``).
    """
    by_path = {path.resolve(): what for path, what in inputs.items()}
    by_inode = {key: what for path, what in inputs.items()
                if (key := _identity(path)) is not None}
    for target in map(Path, targets):
        key = _identity(target)
        what = by_path.get(target.resolve()) or (by_inode.get(key) if key else None)
        if what:
            raise OutputError(f"{target} is {what}, an input of this run; not writing over "
                              "it (not even with --overwrite): choose another output file or "
                              "folder")


def _fsync(path: Path, *, folder: bool = False) -> None:
    """Flush a file (or a folder's entries) to disk, where the system allows it."""
    try:
        handle = os.open(path, (os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)) if folder
                         else os.O_RDWR)
    except OSError:
        if folder:  # some systems (Windows) cannot open a folder: nothing to flush then
            return
        raise
    try:
        os.fsync(handle)
    except OSError as error:
        if not folder or error.errno not in (errno.EINVAL, errno.EBADF, errno.EACCES):
            raise
    finally:
        os.close(handle)


def _replace(temporary: Path, target: Path, *, overwrite: bool) -> None:
    """Rename ``temporary`` onto ``target``; without ``overwrite`` never replace a file."""
    if overwrite:
        os.replace(temporary, target)
        return
    try:
        # A hard link fails atomically when the target exists, even if it appeared just now.
        os.link(temporary, target)
    except FileExistsError:
        raise OutputError(f"{target} exists; not overwriting it (use --overwrite to replace "
                          "it)") from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise OutputError(f"{target} exists; not overwriting it (use --overwrite to "
                              "replace it)") from None
        os.replace(temporary, target)
    else:
        temporary.unlink()


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], *, overwrite: bool = True,
                commit: Callable[[Path, Path], None] | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success.

    The temporary file is flushed to disk before the rename, and the folder after it. On any
    error the temporary file is removed and ``target`` is left as it was. With
    ``overwrite=False`` an existing ``target`` is an :class:`OutputError`.

    Parameters
    ----------
    commit
        Called as ``commit(temporary, target)`` instead of the rename (an
        :class:`OutputFolder` checks its manifest there).
    """
    target = Path(target)
    if not overwrite and target.exists():
        raise OutputError(f"{target} exists; not overwriting it (use --overwrite to replace it)")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Keep the target's suffix last: some writers (GDAL) choose the format by it. The
        # process id lets a later build tell a killed build's leftovers from a running one's.
        handle, name = tempfile.mkstemp(prefix=f".{target.stem}.{os.getpid()}.",
                                        suffix=f".part{target.suffix}", dir=target.parent)
        os.close(handle)
    except OSError as error:
        raise _error("write in", target, error) from None
    temporary = Path(name)
    # Some writers (GDAL) refuse an existing empty file: hand them a free name.
    temporary.unlink()
    try:
        yield temporary
        if not temporary.exists():
            raise OutputError(f"{target}: the writer produced no file")
        os.chmod(temporary, 0o644)
        _fsync(temporary)
        if commit is not None:
            commit(temporary, target)
        else:
            _replace(temporary, target, overwrite=overwrite)
        _fsync(target.parent, folder=True)
    except OutputError:
        raise
    except OSError as error:
        raise _error("write", target, error) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def write_flushed(path: Path, data: bytes) -> None:
    """Write ``data`` to the (temporary) file ``path`` and flush it to disk."""
    with open(path, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o644)
    _fsync(path)


def write_bytes(target: str | os.PathLike[str], data: bytes, *, overwrite: bool = True) -> Path:
    """Write ``data`` to ``target`` atomically (flushed to disk before the rename)."""
    with atomic_path(target, overwrite=overwrite) as temporary, open(temporary, "wb") as handle:
        handle.write(data)
    return Path(target)


def write_text(target: str | os.PathLike[str], text: str, *, overwrite: bool = True) -> Path:
    """Write UTF-8 ``text`` to ``target`` atomically."""
    return write_bytes(target, text.encode("utf-8"), overwrite=overwrite)


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` runs on this machine (``True`` when that cannot be told)."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, under another user
        return True
    return True


class OutputFolder:
    """A folder that builds write into, with a manifest of the files they wrote.

    A file is replaced only when it is absent or holds content a build wrote (its SHA-256 is in
    the manifest): a page written or edited by hand stays, unless ``overwrite`` is given. The
    manifest is updated *before* each rename and lists both the old and the new content, so a
    build killed at any moment leaves every file complete and known. Commits take turns under
    a lock file, so two builds into the same folder neither corrupt each other's files nor
    mistake them for someone else's.

    Parameters
    ----------
    path
        The folder (created when missing).
    overwrite
        Replace files the manifest does not know.
    """

    def __init__(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> None:
        self.path = Path(path)
        self.overwrite = overwrite
        self.manifest = self.path / MANIFEST
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise _error("create", self.path, error, self.path) from None
        with self._locked():
            # A set of files a killed build left half replaced is finished first, before its
            # temporary files would be cleaned away as leftovers.
            from ._output_set import recover

            recover(self)
            files = self._load()
            self._clean(files)

    # -- the manifest ---------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the folder's lock (builds into the same folder take turns to commit)."""
        try:
            handle = os.open(self.path / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise _error("write in", self.path / LOCK, error) from None
        try:
            try:
                import fcntl
            except ImportError:  # not POSIX: no lock; each file is still written atomically
                yield
                return
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            os.close(handle)

    def _load(self) -> dict[str, list[str]]:
        """The manifest: file (relative, POSIX) → SHA-256 of the content(s) a build wrote."""
        if not self.manifest.is_file():
            return {}
        try:
            data = json.loads(self.manifest.read_text(encoding="utf-8"))
            files = data["files"]
            if isinstance(files, list):  # the first format: names only
                return {str(name): [] for name in files}
            return {str(name): [str(h) for h in hashes] for name, hashes in files.items()}
        except (ValueError, KeyError, TypeError, AttributeError):
            raise OutputError(f"{self.manifest} is damaged; remove it to rebuild into "
                              f"{self.path}") from None

    def _save(self, files: dict[str, list[str]]) -> None:
        data = {"files": {name: sorted(set(files[name])) for name in sorted(files)}}
        write_text(self.manifest, json.dumps(data, indent=1) + "\n")

    def files(self) -> list[Path]:
        """The files the manifest lists (whether or not they still exist)."""
        return [self.path / name for name in sorted(self._load())]

    def _relative(self, target: Path) -> str:
        try:
            return target.resolve().relative_to(self.path.resolve()).as_posix()
        except ValueError:
            raise OutputError(f"{target} is not inside the output folder {self.path}") from None

    def _refuse(self, target: Path) -> OutputError:
        return OutputError(f"{target} exists and was not written by speerpunt-map (or was "
                           "changed since); not replacing it (use --overwrite, or another "
                           "--output folder)")

    def check(self, target: str | os.PathLike[str]) -> None:
        """Raise :class:`OutputError` early when ``target`` may not be replaced."""
        target = Path(target)
        if self.overwrite or not target.exists():
            return
        known = self._load().get(self._relative(target))
        if known is None or (known and _digest(target) not in known):
            raise self._refuse(target)

    def _commit(self, temporary: Path, target: Path) -> None:
        new = _digest(temporary)
        relative = self._relative(target)
        with self._locked():
            files = self._load()
            known = files.get(relative)
            hashes = [new]
            if target.exists() or target.is_symlink():
                current = _digest(target) if target.is_file() else ""
                ours = known is not None and (not known or current in known)
                if not ours and not self.overwrite:
                    raise self._refuse(target)
                if ours and current:
                    hashes.append(current)  # until the rename, the old content is still ours
            files[relative] = hashes
            self._save(files)
            os.replace(temporary, target)

    # -- writing --------------------------------------------------------------------------
    @contextlib.contextmanager
    def atomic_path(self, target: str | os.PathLike[str]) -> Iterator[Path]:
        """Like :func:`atomic_path`, checked against and recorded in the manifest."""
        target = Path(target)
        self._relative(target)
        self.check(target)
        with atomic_path(target, commit=self._commit) as temporary:
            yield temporary

    def write_bytes(self, target: str | os.PathLike[str], data: bytes) -> Path:
        """Write ``data`` to ``target`` atomically and record it."""
        with self.atomic_path(target) as temporary, open(temporary, "wb") as handle:
            handle.write(data)
        return Path(target)

    def write_text(self, target: str | os.PathLike[str], text: str) -> Path:
        """Write UTF-8 ``text`` to ``target`` atomically and record it."""
        return self.write_bytes(target, text.encode("utf-8"))

    def write_set(self, contents: dict[Path, bytes]) -> list[Path]:
        """Replace several files together, all old or all new, also after a kill (see
        :mod:`speerpunt_map._output_set`)."""
        from ._output_set import write_set

        return write_set(self, contents)

    def finish(self) -> None:
        """Tidy the manifest: one hash per file, the one on disk; forget files now gone."""
        with self._locked():
            files = self._load()
            tidy = {}
            for name, hashes in files.items():
                path = self.path / name
                if path.is_file():
                    current = _digest(path)
                    tidy[name] = [current] if not hashes or current in hashes else hashes
            if tidy != files:
                self._save(tidy)

    # -- leftovers ------------------------------------------------------------------------
    def _clean(self, files: dict[str, list[str]]) -> None:
        """Remove temporary files that killed builds left in the folders they write into: the
        folder, its subfolders (``<scope>/``) and the folders of the manifest's files."""
        folders = {self.path} | {(self.path / name).parent for name in files}
        with contextlib.suppress(OSError):
            folders |= {p for p in self.path.iterdir() if p.is_dir()}
        now = time.time()
        for folder in sorted(folders):
            try:
                entries = list(folder.iterdir())
            except OSError:
                continue
            for path in entries:
                match = _TEMPORARY.match(path.name)
                if not match or not path.is_file():
                    continue
                pid = int(match.group(1))
                with contextlib.suppress(OSError):
                    stale = not _alive(pid) if os.name == "posix" else \
                        now - path.stat().st_mtime > _STALE_SECONDS
                    if stale and pid != os.getpid():
                        path.unlink()
                        log.info("removed %s, left by an interrupted build", path)
