"""A workspace's own rows over the shipped ones: the merge rule and the clash check.

A workspace row *adds* to the shipped data. It may replace a shipped row only when it says so
(``override`` = ``yes``); otherwise a row with a shipped row's id, or an alias that names
another place, is an error naming both files and rows. Every override is listed
(``speerpunt-map validate`` shows them). The same rule decides ambiguous names in legends
(:mod:`speerpunt_map._place_names`): one name, one place, unless the data says which.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ._errors import GeodataError
from ._geodata_files import require_columns
from .vocab import Actor, Scope, Sector, Vocabulary

if TYPE_CHECKING:
    from .gazetteer import Gazetteer

__all__ = ["Merged", "merge_frames", "merge_rows", "vocabulary_from_rows"]

_YES_NO = ("", "yes", "no", "ja", "nee")


@dataclass
class Merged:
    """The outcome of a merge: the overrides it made and the clashes it found."""

    overrides: list[str] = field(default_factory=list)
    mistakes: list[str] = field(default_factory=list)

    def raise_mistakes(self) -> None:
        """A :class:`GeodataError` listing every clash, when there is one."""
        if self.mistakes:
            raise GeodataError("the workspace clashes with the shipped data:\n  " +
                               "\n  ".join(self.mistakes))


def _override(value: object, where: str, merged: Merged) -> bool:
    text = str(value or "").strip().lower()
    if text not in _YES_NO:
        merged.mistakes.append(f"{where}: override {value!r}: expected yes or no (empty: no)")
    return text in ("yes", "ja")


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a workspace CSV (UTF-8, with or without BOM; ``,`` or ``;``)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        # Saved by Excel as "CSV (;-separated)": Windows-1252.
        text = path.read_text(encoding="cp1252")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [{k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
            for row in csv.DictReader(text.splitlines(), delimiter=delimiter)]


def merge_rows(shipped: list[dict[str, str]], shipped_path: Path, own: list[dict[str, str]],
               own_path: Path, key: str, merged: Merged) -> list[dict[str, str]]:
    """Shipped rows with a workspace's rows added, or (``override = yes``) replacing them.

    ``key`` is the column that identifies a row (``id``; ``key`` for labels; the pair
    ``scheme``/``key`` of a palette is written ``scheme:key``).
    """
    def key_of(row: dict[str, str]) -> str:
        return ":".join(row.get(part, "") for part in key.split(":"))

    lines = {key_of(row): number for number, row in enumerate(shipped, start=2)}
    result = {key_of(row): row for row in shipped}
    for number, row in enumerate(own, start=2):
        where = f"{own_path}, row {number}"
        wanted = _override(row.get("override"), where, merged)
        row_key = key_of(row)
        if row_key in lines:
            if wanted:
                merged.overrides.append(f"{where} overrides {shipped_path}, row "
                                        f"{lines[row_key]} ({key} {row_key!r})")
            else:
                merged.mistakes.append(
                    f"{where}: {key} {row_key!r} is already used by {shipped_path}, row "
                    f"{lines[row_key]}; give your row another {key}, or write override = yes "
                    "in it to replace the shipped row")
                continue
        result[row_key] = row
    return list(result.values())


def merge_frames(shipped: pd.DataFrame, own: pd.DataFrame, kind: str, merged: Merged,
                 gazetteer: Gazetteer) -> pd.DataFrame:
    """Shipped places (or zones) with a workspace's: the same id, or an alias naming another
    place, is a clash unless the workspace row says ``override = yes``.

    ``gazetteer`` is the shipped one, whose names the aliases are checked against.
    """
    by_id = {row.id: row for row in shipped.itertuples(index=False)}
    keep = pd.Series(True, index=shipped.index)
    kept_own = []
    for row in own.itertuples(index=False):
        where = f"{row.path}, row {row.line}"
        wanted = _override(getattr(row, "override", ""), where, merged)
        clashes: list[str] = []
        if row.id in by_id:
            other = by_id[row.id]
            clashes.append(f"id {row.id!r} is already used by {other.path}, row {other.line} "
                           f"({other.name})")
            if wanted:
                keep &= shipped["id"] != row.id
        for alias in [a.strip() for a in str(row.aliases).split("|") if a.strip()]:
            others = [r for r in gazetteer.candidates(alias) if r.id != row.id]
            for ref in others:
                clashes.append(f"alias {alias!r} already names {gazetteer.describe_ref(ref)}")
        if clashes and wanted:
            merged.overrides.append(f"{where} ({kind} {row.id!r}) overrides: " +
                                    "; ".join(clashes))
        elif clashes:
            merged.mistakes.extend(
                f"{where} ({kind} {row.id!r}): {clash}; rename it, or write override = yes in "
                "the row if yours is meant to replace it" for clash in clashes)
            continue
        kept_own.append(row)
    own_kept = own[own["id"].isin([r.id for r in kept_own])]
    return pd.concat([shipped[keep], own_kept], ignore_index=True)


def vocabulary_from_rows(sectors: list[dict[str, str]], actors: list[dict[str, str]],
                         scopes: list[dict[str, str]]) -> Vocabulary:
    """A :class:`~speerpunt_map.vocab.Vocabulary` from merged rows of the three files."""
    def aliases(cell: str) -> tuple[str, ...]:
        return tuple(part.strip() for part in cell.split("|") if part.strip())

    return Vocabulary(
        {r["id"]: Sector(r["id"], r["label_nl"], r["label_en"], aliases(r.get("synonyms", "")),
                         r.get("overview") or r["id"], r.get("source", "")) for r in sectors},
        {r["id"]: Actor(r["id"], r["name_nl"], r["name_en"], r["kind"], r.get("province", ""),
                        r.get("region") or r["id"], aliases(r.get("aliases", "")),
                        r.get("source", "")) for r in actors},
        {r["id"]: Scope(r["id"], r["region"], r["name_nl"], r["name_en"], r.get("short", ""),
                        r.get("source", "")) for r in scopes})


def stamp(path: str | Path | None) -> tuple[Path, int] | None:
    """A file and its modification time (an edited file is read again), or ``None``."""
    if path is None or not Path(path).is_file():
        return None
    resolved = Path(path).resolve()
    return resolved, resolved.stat().st_mtime_ns


def own_table(stamp: tuple[Path, int], columns: tuple[str, ...]) -> pd.DataFrame:
    """A workspace's places.csv or zones.csv (``,`` or ``;``, UTF-8 or Windows-1252)."""
    path = stamp[0]
    frame = pd.DataFrame(read_rows(path), dtype=str).fillna("")
    if frame.empty:
        frame = pd.DataFrame({c: pd.Series(dtype=str) for c in columns})
    require_columns(frame, path, columns)
    # ``file`` is the whole path: messages join it to the geodata folder, which keeps it whole.
    return frame.assign(file=str(path), line=range(2, len(frame) + 2), path=str(path),
                        origin="workspace")
