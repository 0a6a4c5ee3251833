"""Atomic output: a file is either the old one or the complete new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ._errors import OutputError

__all__ = ["atomic_path", "write_bytes", "write_text"]


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], *, overwrite: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success.

    On any error the temporary file is removed and ``target`` is left as it was. With
    ``overwrite=False`` an existing ``target`` is an :class:`OutputError`.
    """
    target = Path(target)
    if not overwrite and target.exists():
        raise OutputError(f"{target} exists; not overwriting it (use --overwrite to replace it)")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Keep the target's suffix last: some writers (GDAL) choose the format by it.
        handle, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".part{target.suffix}",
                                        dir=target.parent)
        os.close(handle)
    except OSError as error:
        raise OutputError(f"cannot write in {target.parent}: {error.strerror or error}") from None
    temporary = Path(name)
    # Some writers (GDAL) refuse an existing empty file: hand them a free name.
    temporary.unlink()
    try:
        yield temporary
        if not temporary.exists():
            raise OutputError(f"{target}: the writer produced no file")
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OutputError:
        raise
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def write_bytes(target: str | os.PathLike[str], data: bytes, *, overwrite: bool = True) -> Path:
    """Write ``data`` to ``target`` atomically (fsync'd before the rename)."""
    with atomic_path(target, overwrite=overwrite) as temporary:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    return Path(target)


def write_text(target: str | os.PathLike[str], text: str, *, overwrite: bool = True) -> Path:
    """Write UTF-8 ``text`` to ``target`` atomically."""
    return write_bytes(target, text.encode("utf-8"), overwrite=overwrite)
