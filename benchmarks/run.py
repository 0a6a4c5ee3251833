"""The benchmark of issue 12: our page next to ``GeoDataFrame.explore()``, the floor and a
minimal canvas page, on synthetic maps of N points; and the atlas as a user builds it.

Run (offline once the set-up has installed explore()'s assets)::

    .venv/bin/python benchmarks/run.py [--sizes 1000,10000,100000] [--runs 5] [--quick]
                                       [--large-sizes 1000000] [--large-runs 1]

and read ``benchmarks/results/results.md`` (with ``results.json`` and ``scaling.png``).

For each N (``benchmarks/generate.py``: N points, N/10 zones, N/5 links, fixed seed):

1. **Build** — in a new process per build, after a warm-up build, alternating ours and
   explore()'s, ``--runs`` times: the time from the frames to the page's file, its bytes and
   the process's peak memory (``build_once.py``). Ours goes through :func:`pages.our_page`:
   ``speerpunt_map.map_from_frames`` of the three frames, with its defaults. The floor
   (compact GeoJSON) and the canvas page are built once.
2. **Chromium** — each page opened in a new headless Chromium, the network blocked, from
   ``file://``, alternating ours, explore()'s and the canvas page, ``--runs`` times
   (``browser.py``): the time until the page *opens*, then switching its points layer off and
   on. A page that fails (an error, a time-out, a crash) is recorded with the error and not
   opened again at that size (``--retry-failures`` opens it every run).
3. At the ``--large-sizes`` only our page, the floor and the canvas page, ``--large-runs``
   times (explore()'s page at a million points is not the question).

Then the atlas (``atlas_timing.py``): ``speerpunt-map build`` in a new process, cold and warm
cache alternating ``--runs`` times, and the size of the shipped province pages.

The set-up step installs the CSS and JavaScript explore()'s page links from npm into
``benchmarks/.assets/`` (git-ignored; ``assets.py`` maps each CDN address to a package
version) and rewrites the page to load them from there. ``--quick`` skips that step and the
opening of explore()'s page (the only part that needs it); everything else runs.

``results.json`` is rewritten after every measure, so an interrupted run keeps what it had;
``report.py`` renders the Markdown and the plot again from it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import pickle
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

import assets
import atlas_timing
import browser
import generate
import report

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

TOGGLES = {
    "ours": "return document.querySelector('.spm-panel input[data-kind=\"point\"]');",
    "canvas": "return document.getElementById('toggle-points');",
    "explore": ("var labels = document.querySelectorAll('.leaflet-control-layers-overlays "
                "label'); for (var i = 0; i < labels.length; i++) { if (labels[i].textContent"
                ".trim() === 'points') { return labels[i].querySelector('input'); } } "
                "return null;"),
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0.0
    try:
        import psutil

        memory = psutil.virtual_memory().total / 1e9
    except ImportError:
        pass

    def output(*command: str) -> str:
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=60)
            return done.stdout.strip().splitlines()[0] if done.stdout.strip() else "?"
        except (OSError, subprocess.SubprocessError):
            return "?"

    head = output("git", "-C", str(REPO), "rev-parse", "--short", "HEAD")
    dirty = output("git", "-C", str(REPO), "status", "--porcelain", "--", "src")
    packages = {}
    for name in ("geopandas", "folium", "shapely", "pandas", "numpy", "selenium"):
        try:
            packages[name] = version(name)
        except Exception:
            packages[name] = "?"
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu_model": model, "memory_gb": memory,
        "platform": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "chromium": output(shutil.which("chromium") or "chromium", "--version"),
        "node": output("node", "--version"), "npm": output("npm", "--version"),
        "packages": packages,
        "git": head + (" (src/ changed in the working tree)" if dirty not in ("", "?") else ""),
    }


def _load() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def build(kind: str, frames: Path, output: Path, args: argparse.Namespace) -> dict[str, Any]:
    """One build in a new process (``build_once.py``)."""
    command = [sys.executable, str(HERE / "build_once.py"), kind, str(frames), str(output),
               "--memory-limit-gb", str(args.memory_limit_gb)]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True,
                              timeout=args.build_timeout, cwd=HERE)
    except subprocess.TimeoutExpired:
        return {"kind": kind, "ok": False,
                "error": f"time-out: no page after {args.build_timeout:.0f} s"}
    lines = done.stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1])
    except (IndexError, ValueError):
        result = {"kind": kind, "ok": False,
                  "error": f"exit {done.returncode}: {(done.stderr or done.stdout)[-500:]}"}
    result["wall_s"] = time.perf_counter() - started
    result["load"] = _load()
    return result


def measure_size(n: int, large: bool, args: argparse.Namespace, work: Path,
                 results: dict[str, Any], save: Any) -> None:
    folder = work / str(n)
    folder.mkdir(parents=True, exist_ok=True)
    log(f"N = {n}: generating")
    frames = generate.generate(n)
    frames_file = folder / "frames.pkl"
    with frames_file.open("wb") as handle:
        pickle.dump(frames, handle, protocol=pickle.HIGHEST_PROTOCOL)
    entry: dict[str, Any] = {"n": n, "large": large, "features": frames.features,
                             "vertices": frames.vertices, "points": len(frames.points),
                             "zones": len(frames.zones), "links": len(frames.links),
                             "build": {}, "bytes": {}, "browser": {}, "notes": []}
    results["sizes"][str(n)] = entry
    del frames
    runs = args.large_runs if large else args.runs
    kinds = ["ours"] if large else ["ours", "explore"]
    files = {"ours": folder / "ours.html", "explore": folder / "explore-cdn.html",
             "floor": folder / "floor.geojson", "canvas": folder / "canvas.html"}
    for run in range(runs):
        for kind in kinds:
            result = build(kind, frames_file, files[kind], args)
            entry["build"].setdefault(kind, []).append(result)
            log(f"  build {kind} {run + 1}/{runs}: "
                + (f"{result['seconds']:.2f} s, {result['bytes']} bytes, "
                   f"{result['peak_rss_mb']:.0f} MB" if result.get("ok")
                   else f"FAILED {result.get('error')}"))
            save()
    for kind in ("floor", "canvas"):
        result = build(kind, frames_file, files[kind], args)
        entry["build"][kind] = [result]
        log(f"  build {kind}: " + (f"{result['bytes']} bytes" if result.get("ok")
                                    else f"FAILED {result.get('error')}"))
    for kind in ("ours", "explore", "floor", "canvas"):
        ok = [r for r in entry["build"].get(kind, []) if r.get("ok")]
        if ok:
            entry["bytes"][kind] = ok[-1]["bytes"]
            if "leaflet_bytes" in ok[-1]:
                entry["bytes"][f"{kind}_leaflet"] = ok[-1]["leaflet_bytes"]
    save()
    # The pages Chromium opens.
    pages: dict[str, Path] = {}
    for kind in ("ours", "canvas"):
        if kind in entry["bytes"]:
            pages[kind] = files[kind]
    if "explore" in entry["bytes"]:
        if args.quick:
            entry["notes"].append("--quick: explore()'s page not opened in Chromium")
        else:
            offline = folder / "explore.html"
            offline.write_text(assets.offline_page(files["explore"].read_text("utf-8"),
                                                   "../node_modules"), encoding="utf-8")
            entry["bytes"]["explore_offline"] = offline.stat().st_size
            entry["bytes"]["explore_assets"] = assets.asset_bytes(args.assets)
            pages["explore"] = offline
    files["floor"].unlink(missing_ok=True)
    files["explore"].unlink(missing_ok=True)
    failed: set[str] = set()
    order = [k for k in ("ours", "explore", "canvas") if k in pages]
    for run in range(runs):
        for kind in order:
            if kind in failed and not args.retry_failures:
                continue
            opened = browser.open_page(pages[kind], entry["features"], TOGGLES[kind],
                                       timeout=args.timeout).as_dict()
            opened["load"] = _load()
            entry["browser"].setdefault(kind, []).append(opened)
            if not opened["ok"]:
                failed.add(kind)
            log(f"  Chromium {kind} {run + 1}/{runs}: "
                + (f"opens {opened['open_ms']:.0f} ms, toggle {opened['toggle_off_ms'] or 0:.0f}"
                   f"/{opened['toggle_on_ms'] or 0:.0f} ms" if opened["ok"]
                   else f"FAILED {opened['error']}")
                + (f" ({opened['error']})" if opened["ok"] and opened["error"] else ""))
            save()
    for kind in sorted(failed):
        runs_done = len(entry["browser"][kind])
        if runs_done < runs:
            entry["notes"].append(f"Chromium, {kind}: failed in run {runs_done}; not opened "
                                  "again at this size")
    if not args.keep_pages:
        for path in folder.iterdir():
            path.unlink()
    save()


NOTES = [
    "Ours: `speerpunt_map.map_from_frames(points, zones, links, title=...)` of the synthetic "
    "frames with its defaults (`benchmarks/pages.py`): `name` names a feature, `actor` "
    "colours it (the vocabulary's actors), `remark` is in the popup and the table; the page "
    "keeps its base layers (Flanders, provinces, RESOC outlines), legend panel, feature "
    "table, tooltips and popups. explore(): zones, links and points layers on one map, "
    "defaults (tooltip of every column) plus `tiles=None` (no background tiles, as ours) and a "
    "`folium.LayerControl` (to switch a layer).",
    "Build times exclude starting Python and importing; each build runs in a new process "
    "after one warm-up build of a 20-point map, so the imports, templates and the shipped "
    "boundaries are loaded. The address space of a build process is limited (`--memory-limit-gb`) "
    "so that a build too big for the machine fails with a MemoryError.",
    "explore()'s bytes are the page as explore() saves it (CDN links); "
    "'explore() + its CSS/JS' adds the files it links (installed from npm, see "
    "`benchmarks/assets.py`). Ours inlines Leaflet 1.9.4 (JS + CSS with images as data URIs: "
    "'ours w/o Leaflet' leaves it out).",
    "explore()'s assets: leaflet 1.9.3, jquery 3.7.1, bootstrap 5.2.2, "
    "@fortawesome/fontawesome-free 6.2.0 as linked; Leaflet.awesome-markers 2.0.2 is not on npm "
    "(2.0.4 used); Bootstrap 3.0.0's glyphicons CSS is not on npm (glyphicons-only-bootstrap "
    "1.0.1 used); folium's leaflet.awesome.rotate.min.css is on no registry (its link removed).",
    "Chromium: Debian's headless Chromium, `--proxy-server=http://127.0.0.1:9` with loopback "
    "not bypassed (no request leaves the machine), pages from file://, a new profile per run. "
    "Times are the page's own `performance.now()` (from the start of the navigation).",
    "The floor: one FeatureCollection of every feature with name, actor and remark, "
    "coordinates rounded to 5 decimals, `json.dumps` with compact separators.",
    "The canvas page: Leaflet 1.9.4 inlined (as ours), one `L.geoJSON` layer per kind on one "
    "`L.canvas()` renderer, circle markers for the points, no popups or tooltips.",
    "Atlas: `speerpunt-map build -o <tmp>` in a new process (its start-up included); cold = an "
    "empty `SPEERPUNT_MAP_CACHE`, warm = a cache an untimed build filled; the operating "
    "system's file cache is warm for both.",
]


def _export(revision: str, folder: Path) -> str:
    """``git archive`` of the package and its shipped data at ``revision`` into ``folder``,
    laid out so that ``folder/src`` on ``PYTHONPATH`` imports it (ahead of the editable
    install); returns the commit."""
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--verify",
                             f"{revision}^{{commit}}"], capture_output=True, text=True,
                            check=True).stdout.strip()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", commit,
                              "src", "legends", "geodata"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    package = folder / "src" / "speerpunt_map"
    # pyproject.toml maps these two packages from the top of the repository.
    (package / "shipped_legends").symlink_to("../../legends", target_is_directory=True)
    (package / "shipped_geodata").symlink_to("../../geodata", target_is_directory=True)
    return commit


def _at_revision(revision: str, argv: list[str]) -> int:
    """Run this benchmark again with the package as of ``revision`` first on the path."""
    with tempfile.TemporaryDirectory(prefix="bench-source-") as folder:
        commit = _export(revision, Path(folder))
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(Path(folder) / "src"), env.get("PYTHONPATH", "")) if p)
        env["BENCH_REVISION"] = f"{revision} = {commit}"
        log(f"measuring speerpunt_map as of {revision} ({commit[:10]}), exported to {folder}")
        return subprocess.run([sys.executable, str(Path(__file__).resolve()), *argv],
                              env=env).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark our page against explore(), the floor and a canvas page.")
    parser.add_argument("--sizes", type=_sizes, default=[1000, 10000, 100000],
                        help="comma-separated numbers of points (default 1000,10000,100000)")
    parser.add_argument("--runs", type=int, default=5,
                        help="alternating runs per measure; the median is reported (default 5)")
    parser.add_argument("--quick", action="store_true",
                        help="skip the npm set-up and opening explore()'s page in Chromium")
    parser.add_argument("--large-sizes", type=_sizes, default=[],
                        help="sizes measured for our page, the floor and the canvas page only, "
                             "e.g. 1000000")
    parser.add_argument("--large-runs", type=int, default=1,
                        help="runs at the large sizes (default 1)")
    parser.add_argument("--timeout", type=float, default=600,
                        help="seconds a page may take to open in Chromium (default 600)")
    parser.add_argument("--build-timeout", type=float, default=3 * 3600,
                        help="seconds a build may take (default 10800)")
    parser.add_argument("--memory-limit-gb", type=float, default=0,
                        help="address-space limit of a build process (default: 3/4 of RAM)")
    parser.add_argument("--retry-failures", action="store_true",
                        help="open a page again in every run after it failed")
    parser.add_argument("--skip-atlas", action="store_true", help="do not time the atlas build")
    parser.add_argument("--atlas-format", default="html",
                        help="--format of the timed atlas builds (default html)")
    parser.add_argument("--atlas-map", action="append", default=[], metavar="ID",
                        help="time the build of this map only (repeatable; default: all)")
    parser.add_argument("--out", type=Path, default=HERE / "results",
                        help="where results.json, results.md and scaling.png go")
    parser.add_argument("--assets", type=Path, default=assets.DEFAULT_FOLDER,
                        help="the npm folder of explore()'s assets (default benchmarks/.assets)")
    parser.add_argument("--keep-pages", type=Path, default=None,
                        help="write the pages into this folder and keep them")
    parser.add_argument("--revision", default=None,
                        help="measure the package as committed at this git revision (e.g. "
                             "HEAD), not the working tree")
    arguments = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(arguments)
    if args.revision and not os.environ.get("BENCH_REVISION"):
        return _at_revision(args.revision, arguments)
    if not args.memory_limit_gb:
        import psutil

        args.memory_limit_gb = round(psutil.virtual_memory().total * 0.75 / 2**30, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    command = ".venv/bin/python benchmarks/run.py " + " ".join(arguments)
    import speerpunt_map

    source = (f"git revision {os.environ['BENCH_REVISION']} (exported)"
              if os.environ.get("BENCH_REVISION") else "the working tree")
    source += f", {Path(speerpunt_map.__file__).parent}"
    results: dict[str, Any] = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": command.strip(), "machine": machine(), "source": source, "runs": args.runs,
        "large_runs": args.large_runs, "large_sizes": args.large_sizes, "quick": args.quick,
        "memory_limit_gb": args.memory_limit_gb, "load_start": _load(), "sizes": {},
        "atlas": None, "notes": list(NOTES),
    }

    def save() -> None:
        path = args.out / "results.json"
        path.with_suffix(".json.tmp").write_text(json.dumps(results, indent=1),
                                                 encoding="utf-8")
        path.with_suffix(".json.tmp").replace(path)

    if not args.quick:
        log(assets.install(args.assets))
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as temporary:
        # A cache of our own for the boundaries the pages are drawn on (not the user's).
        user_cache = os.environ.get("SPEERPUNT_MAP_CACHE")
        os.environ["SPEERPUNT_MAP_CACHE"] = str(Path(temporary) / "cache")
        work = args.keep_pages or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        if not args.quick:
            link = work / "node_modules"
            if not link.exists():
                link.symlink_to(args.assets.resolve() / "node_modules",
                                target_is_directory=True)
        for n in args.sizes:
            measure_size(n, False, args, work, results, save)
        for n in args.large_sizes:
            measure_size(n, True, args, work, results, save)
        if user_cache is None:
            del os.environ["SPEERPUNT_MAP_CACHE"]
        else:
            os.environ["SPEERPUNT_MAP_CACHE"] = user_cache
    if not args.skip_atlas:
        log("atlas: speerpunt-map build, cold and warm")
        results["atlas"] = atlas_timing.time_atlas(args.runs, args.atlas_format, log,
                                                   args.atlas_map)
    results["load_end"] = _load()
    save()
    report.write(results, args.out)
    log(f"wrote {args.out / 'results.md'}, results.json and scaling.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
