"""The atlas as a user runs it: ``speerpunt-map build -o <folder>``, a new process each time.

*Cold* runs start with an empty cache (``SPEERPUNT_MAP_CACHE`` pointing at a new folder: no
derived boundaries, no drawn maps), *warm* runs with one an earlier, untimed build filled, so
every map comes from the drawn-map cache (``speerpunt_map._drawn_cache``). *Edited* runs build
a copy of the shipped legends (``--catalogue``) in which one table, ``antwerpen/zorg.csv``,
has changed since the cache was filled (a remark gets the run's number): that map and the
overview of its sector are drawn again, the others come from the cache. The three alternate.
The time is the wall-clock time of the whole process (start-up and imports included), as a
user waits for it. The operating system's file cache is warm in both (every run reads the
same files), so "cold" means the toolkit's own cache only.

From the first cold run's output: the offline page of every shipped province map (the
catalogue's maps outside ``vlaanderen/``), median and range of their sizes; and whether a warm
rebuild wrote the same bytes. For comparison, ``GeoDataFrame.explore()`` of the same layers
(regions, zones, links, points; default tiles and CDN links), as ``bench_size.py`` measured it.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["time_atlas"]


def _command() -> list[str]:
    script = Path(sys.executable).with_name("speerpunt-map")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "speerpunt_map.cli"]


def _environment(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("SPEERPUNT_MAP_HOME", "SPEERPUNT_MAP_BOUNDARIES")}
    env["SPEERPUNT_MAP_CACHE"] = str(cache)
    return env


def _build(output: Path, cache: Path, formats: str, maps: list[str],
           catalogue: Path | None = None) -> dict[str, Any]:
    started = time.perf_counter()
    selection = [part for map_id in maps for part in ("--map", map_id)]
    if catalogue is not None:
        selection += ["--catalogue", str(catalogue)]
    done = subprocess.run([*_command(), "build", "-o", str(output), "--format", formats,
                           *selection],
                          env=_environment(cache), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    files = [p for p in output.rglob("*") if p.is_file()]
    return {"ok": done.returncode == 0, "seconds": seconds, "returncode": done.returncode,
            "files": len(files), "bytes": sum(p.stat().st_size for p in files),
            "error": "" if done.returncode == 0 else (done.stderr or done.stdout)[-1000:]}


#: The table the *edited* runs change, and the text in it they change.
EDITED_TABLE = "antwerpen/zorg.csv"
EDITED_TEXT = "open incubator in het wetenschapspark in Geel"


def _legends_copy(root: Path) -> Path:
    """A copy of the shipped legends (tables, catalogue, vocabularies) to edit."""
    from speerpunt_map._paths import shipped_legends

    copy = root / "legends"
    shutil.copytree(shipped_legends(), copy, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return copy


def _edit(legends: Path, run: int) -> None:
    table = legends / EDITED_TABLE
    text = table.read_text(encoding="utf-8-sig")
    start = text.index(EDITED_TEXT)
    end = text.index(";", start)
    table.write_text(text[:start] + f"{EDITED_TEXT} (edit {run + 1})" + text[end:],
                     encoding="utf-8-sig")


def _same_tree(a: Path, b: Path) -> bool:
    def walk(compare: filecmp.dircmp[str]) -> bool:
        if compare.diff_files or compare.left_only or compare.right_only or compare.funny_files:
            return False
        return all(walk(sub) for sub in compare.subdirs.values())
    return walk(filecmp.dircmp(a, b))


def _province_pages(output: Path, maps: list[str]) -> dict[str, Any]:
    from speerpunt_map import load_atlas

    ids = [i for i in (maps or load_atlas().maps) if not i.startswith("vlaanderen/")]
    sizes = {i: (output / f"{i}.html").stat().st_size for i in ids
             if (output / f"{i}.html").is_file()}
    values = list(sizes.values())
    return {"maps": len(ids), "found": len(values), "median_bytes": statistics.median(values),
            "min_bytes": min(values), "max_bytes": max(values), "bytes": sizes}


def _explore_of_shipped(ids: list[str]) -> dict[str, Any]:
    """``explore()`` of each shipped province map's four layers (as bench_size.py did)."""
    from speerpunt_map import load_atlas

    atlas = load_atlas()
    sizes = {}
    for map_id in ids:
        layers = atlas.map(map_id)
        m = None
        for frame in (layers.regions, layers.zones, layers.links, layers.points):
            if len(frame):
                # explore() cannot serialise the Int64 column with missing values as is.
                m = frame.astype({c: str for c in frame.columns if c != "geometry"}).explore(m=m)
        sizes[map_id] = len(m.get_root().render().encode())
    values = list(sizes.values())
    return {"median_bytes": statistics.median(values), "min_bytes": min(values),
            "max_bytes": max(values)}


def time_atlas(runs: int, formats: str = "html", log: Any = print,
               maps: list[str] | None = None) -> dict[str, Any]:
    """Alternate ``runs`` cold and ``runs`` warm builds (of every map, or of ``maps``); sizes
    of the province pages."""
    maps = list(maps or [])
    with tempfile.TemporaryDirectory(prefix="bench-atlas-") as folder:
        root = Path(folder)
        warm_cache, edit_cache = root / "warm-cache", root / "edit-cache"
        fill = _build(root / "fill", warm_cache, formats, maps)
        if not fill["ok"]:
            return {"ok": False, "error": fill["error"], "formats": formats}
        shutil.rmtree(root / "fill")
        legends = _legends_copy(root)
        catalogue = legends / "catalogue.toml"
        edit_fill = _build(root / "edit-fill", edit_cache, formats, maps, catalogue)
        if not edit_fill["ok"]:
            return {"ok": False, "error": edit_fill["error"], "formats": formats}
        shutil.rmtree(root / "edit-fill")
        cold, warm, edited = [], [], []
        for run in range(runs):
            cache = root / f"cold-cache-{run}"
            cold.append(_build(root / f"cold-{run}", cache, formats, maps))
            shutil.rmtree(cache, ignore_errors=True)
            warm.append(_build(root / f"warm-{run}", warm_cache, formats, maps))
            _edit(legends, run)
            edited.append(_build(root / f"edited-{run}", edit_cache, formats, maps, catalogue))
            log(f"  atlas run {run + 1}/{runs}: cold {cold[-1]['seconds']:.1f} s, "
                f"warm {warm[-1]['seconds']:.1f} s, one table edited "
                f"{edited[-1]['seconds']:.1f} s")
            if run:
                shutil.rmtree(root / f"cold-{run}")
                shutil.rmtree(root / f"warm-{run}")
            shutil.rmtree(root / f"edited-{run}")
        result: dict[str, Any] = {
            "ok": all(r["ok"] for r in cold + warm + edited), "formats": formats,
            "command": " ".join(["speerpunt-map", "build", "-o", "<tmp>", "--format", formats,
                                 *[f"--map {m}" for m in maps]]),
            "maps": maps or "all",
            "cold": cold, "warm": warm, "edited": edited, "edited_table": EDITED_TABLE,
            "cold_median_s": statistics.median(r["seconds"] for r in cold),
            "warm_median_s": statistics.median(r["seconds"] for r in warm),
            "edited_median_s": statistics.median(r["seconds"] for r in edited),
            # A failed build may have written nothing: then there is nothing to compare.
            "identical": cold[0]["ok"] and warm[0]["ok"]
            and _same_tree(root / "cold-0", root / "warm-0"),
        }
        if "html" in formats.split(",") and cold[0]["ok"]:
            pages = _province_pages(root / "cold-0", maps)
            result["province_pages"] = pages
            result["explore_of_shipped"] = _explore_of_shipped(sorted(pages["bytes"]))
        return result
