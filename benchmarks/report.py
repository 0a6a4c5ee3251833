"""``results.json`` → ``results.md`` (every measure, the budgets of issue 12, pass/fail) and
``scaling.png`` (build time and bytes against N, log-log, fitted slopes in the legend).

``.venv/bin/python benchmarks/report.py [benchmarks/results]`` renders them again from the JSON.
"""

from __future__ import annotations

import json
import math
import re
import statistics
import sys
from pathlib import Path
from typing import Any

KB = 1000


# -- reading the numbers ---------------------------------------------------------------------
def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def build_median(size: dict[str, Any], kind: str) -> float | None:
    runs = size.get("build", {}).get(kind, [])
    return _median([r["seconds"] for r in runs if r.get("ok")])


def describe_error(run: dict[str, Any]) -> str:
    """A failed build's error, with where it was raised when the message says nothing more."""
    error = str(run.get("error", "failed")).strip()
    lines = [line.strip() for line in str(run.get("traceback", "")).splitlines()]
    frames = [line for line in lines if line.startswith("File ")]
    if error.endswith(":") and frames:
        where = frames[-1].replace("File ", "", 1)
        source = lines[lines.index(frames[-1]) + 1] if lines.index(frames[-1]) + 1 < len(
            lines) else ""
        error = f"{error[:-1]} raised at {where}: `{source}`"
    # The package's path, whether the working tree or an exported revision.
    return re.sub(r'"[^"]*/(src/speerpunt_map/)', r'"\1', error)


def build_failure(size: dict[str, Any], kind: str) -> str:
    runs = size.get("build", {}).get(kind, [])
    return next((describe_error(r) for r in runs if not r.get("ok")), "")


def browser_median(size: dict[str, Any], page: str, key: str) -> float | None:
    runs = size.get("browser", {}).get(page, [])
    return _median([r[key] for r in runs if r.get("ok") and r.get(key) is not None])


def browser_failure(size: dict[str, Any], page: str) -> str:
    runs = size.get("browser", {}).get(page, [])
    failed = [r for r in runs if not r.get("ok")]
    if not failed:
        return ""
    return f"{len(failed)}/{len(runs)} runs failed: {failed[0].get('error', '')}"


def page_bytes(size: dict[str, Any], kind: str) -> int | None:
    value = size.get("bytes", {}).get(kind)
    return int(value) if value else None


# -- formatting ------------------------------------------------------------------------------
def _n(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _bytes(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 10 * 1000**2:
        return f"{value / 1000**2:.0f} MB"
    if value >= 1000**2:
        return f"{value / 1000**2:.1f} MB"
    return f"{value / 1000:.0f} KB"


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f} ms" if value < 10_000 else f"{value / 1000:.1f} s"


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _verdict(value: float | None, limit: float, strict: bool = False,
             failure: str = "") -> str:
    if value is None:
        return f"**FAIL** ({failure})" if failure else "not measured"
    ok = value < limit if strict else value <= limit
    return "pass" if ok else "**FAIL**"


# -- the budgets -----------------------------------------------------------------------------
def budget_rows(results: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(measure, N, value, budget, verdict) for every budget of issue 12."""
    sizes = results.get("sizes", {})
    rows = []

    def size(n: int) -> dict[str, Any] | None:
        return sizes.get(str(n))

    for n in (1000, 10000, 100000):
        s = size(n)
        if s is None:
            continue
        ours = page_bytes(s, "ours")
        if n == 1000 and ours is not None:
            ours -= s["bytes"].get("ours_leaflet", 0)
        label = " without the inlined Leaflet" if n == 1000 else ""
        fail = build_failure(s, "ours")
        for other, limit, name in (("explore", 0.6, "explore()'s"), ("floor", 1.3, "the floor")):
            ratio = _ratio(ours, page_bytes(s, other))
            rows.append((f"HTML bytes: ours{label} ÷ {name}", _n(n),
                         f"{ratio:.2f} ({_bytes(ours)} vs {_bytes(page_bytes(s, other))})"
                         if ratio is not None else "—", f"≤ {limit}",
                         _verdict(ratio, limit, failure=fail or "not measured")))
    for n in (10000, 100000):
        s = size(n)
        if s is None:
            continue
        a, b = build_median(s, "ours"), build_median(s, "explore")
        ratio = _ratio(a, b)
        rows.append(("build time: ours ÷ explore()", _n(n),
                     f"{ratio:.2f} ({_seconds(a)} vs {_seconds(b)})" if ratio is not None
                     else "—", "≤ 0.5",
                     _verdict(ratio, 0.5, failure=build_failure(s, "ours")
                              or build_failure(s, "explore"))))
    s = size(100000)
    if s is not None:
        ours = browser_median(s, "ours", "open_ms")
        fail = browser_failure(s, "ours") if ours is None else ""
        for other, limit, name in (("canvas", 1.0, "the canvas page"),
                                   ("explore", 0.3, "explore()'s page")):
            theirs = browser_median(s, other, "open_ms")
            ratio = _ratio(ours, theirs)
            why = fail or (browser_failure(s, other) if theirs is None and
                           s.get("browser", {}).get(other) else "")
            if theirs is None and not s.get("browser", {}).get(other):
                why = why or ""
            rows.append((f"Chromium: ours opens ÷ {name} opens", _n(100000),
                         f"{ratio:.2f} ({_ms(ours)} vs {_ms(theirs)})" if ratio is not None
                         else f"— (ours {_ms(ours)}, {name} {_ms(theirs)})",
                         f"≤ {limit}", _verdict(ratio, limit, failure=why)))
        for key, word in (("toggle_off_ms", "off"), ("toggle_on_ms", "on")):
            value = browser_median(s, "ours", key)
            rows.append((f"toggle the points {word} (click → painted), ours", _n(100000),
                         _ms(value), "< 0.5 s",
                         _verdict(None if value is None else value / 1000, 0.5, strict=True,
                                  failure=fail or "not measured")))
    s = size(1000000)
    if s is not None:
        value = browser_median(s, "ours", "open_ms")
        fail = browser_failure(s, "ours") or build_failure(s, "ours")
        rows.append(("our page opens at 1 000 000 points", _n(1000000),
                     _ms(value) if value is not None else "did not open", "opens",
                     "pass" if value is not None else f"**FAIL** ({fail or 'not measured'})"))
    else:
        rows.append(("our page opens at 1 000 000 points", _n(1000000), "not run", "opens",
                     "not measured"))
    atlas = results.get("atlas") or {}
    if atlas.get("cold"):
        for key, limit in (("warm", 5.0), ("cold", 15.0)):
            value = atlas[f"{key}_median_s"]
            what = "" if atlas.get("maps", "all") == "all" else \
                f", only {', '.join(atlas['maps'])}"
            rows.append((f"atlas build, {key} cache (`speerpunt-map build`, new process"
                         f"{what})", "—",
                         _seconds(value), f"< {limit:.0f} s",
                         _verdict(value, limit, strict=True)))
        pages = atlas.get("province_pages")
        if pages:
            value = pages["median_bytes"]
            rows.append((f"offline province page, median over {pages['found']} shipped maps",
                         "—", f"{value / KB:.0f} KB ({value / 1024:.0f} KiB; "
                         f"{pages['min_bytes'] / KB:.0f}–{pages['max_bytes'] / KB:.0f} KB)",
                         "≤ 300 KB", _verdict(value / KB, 300)))
    else:
        rows.append(("atlas build", "—", "not run", "warm < 5 s, cold < 15 s", "not measured"))
    return rows


# -- the Markdown ----------------------------------------------------------------------------
def _table(header: list[str], rows: list[list[str]] | list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |",
             "| " + " | ".join("---" if i == 0 else "---:" for i in range(len(header))) + " |"]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _failures(results: dict[str, Any]) -> list[str]:
    out = []
    for n, s in results.get("sizes", {}).items():
        for kind, runs in s.get("build", {}).items():
            for r in runs:
                if not r.get("ok"):
                    out.append(f"- N = {_n(int(n))}, build of {kind}: {describe_error(r)}")
                    break
        for page, runs in s.get("browser", {}).items():
            failed = [r for r in runs if not r.get("ok") or r.get("error")]
            if failed:
                r = failed[0]
                out.append(f"- N = {_n(int(n))}, Chromium, {page}: {len(failed)} of "
                           f"{len(runs)} runs: {r.get('error')}"
                           + (f" (after {r['wall_s']:.0f} s)" if r.get("wall_s") else ""))
        for note in s.get("notes", []):
            out.append(f"- N = {_n(int(n))}: {note}")
    atlas = results.get("atlas") or {}
    if atlas and not atlas.get("ok", True):
        out.append(f"- atlas build: {atlas.get('error') or 'a run failed'}")
    return out


def _load_range(results: dict[str, Any]) -> str:
    """The range of the 1-minute load average noted after each measure."""
    values = []
    for s in results.get("sizes", {}).values():
        for runs in [*s.get("build", {}).values(), *s.get("browser", {}).values()]:
            values += [float(r["load"].split()[0]) for r in runs if r.get("load")]
    if not values:
        return "no load noted per measure"
    return (f"1-minute load average {min(values):.1f}–{max(values):.1f} (median "
            f"{statistics.median(values):.1f}) after the page measures, on "
            f"{results['machine']['nproc']} CPUs: other work shared the machine")


def markdown(results: dict[str, Any]) -> str:
    meta = results["machine"]
    sizes = results.get("sizes", {})
    lines = [
        "# Benchmark: our page, `explore()`, the floor and a canvas page",
        "",
        f"- date: {results['date']}",
        f"- command: `{results['command']}`",
        f"- machine: {meta['nproc']} CPUs ({meta['cpu_model']}), {meta['memory_gb']:.0f} GB "
        f"RAM, {meta['platform']}; load average {results.get('load_start', '?')} at the start, "
        f"{results.get('load_end', '?')} at the end; {_load_range(results)}",
        f"- software: Python {meta['python']}, {meta['chromium']}, "
        + ", ".join(f"{k} {v}" for k, v in meta["packages"].items())
        + f"; speerpunt_map: {results.get('source', '?')} (repository at {meta['git']})",
        f"- runs: medians of {results['runs']} alternating runs per measure"
        + (f" ({results['large_runs']} at the large sizes)" if results.get("large_sizes") else "")
        + ("; `--quick`: explore()'s page not opened in Chromium" if results.get("quick")
           else ""),
        "",
        "## Budgets of issue 12",
        "",
        _table(["measure", "N points", "value", "budget", "verdict"],
               [list(r) for r in budget_rows(results)]),
        "",
        "## Every measure",
        "",
        "N points come with N/10 zones (30–60 vertices) and N/5 links (20 vertices), "
        "each with a name, an actor and a 40–120 character remark (`benchmarks/generate.py`, "
        "fixed seed). Bytes are UTF-8 bytes of the file; KB = 1000 bytes.",
        "",
    ]
    header = ["N points", "features", "vertices",
              "ours", "ours w/o Leaflet", "explore()", "explore() + its CSS/JS",
              "floor GeoJSON", "canvas page"]
    rows = []
    for n, s in sizes.items():
        b = s.get("bytes", {})
        ours = b.get("ours")
        rows.append([_n(int(n)), _n(s["features"]), _n(s["vertices"]), _bytes(ours),
                     _bytes(ours - b.get("ours_leaflet", 0) if ours else None),
                     _bytes(b.get("explore")),
                     _bytes(b["explore"] + b["explore_assets"]) if b.get("explore")
                     and b.get("explore_assets") else "—",
                     _bytes(b.get("floor")), _bytes(b.get("canvas"))])
    lines += ["### Bytes", "", _table(header, rows), ""]
    rows = []
    for n, s in sizes.items():
        rows.append([_n(int(n))] + [_seconds(build_median(s, k)) for k in
                                    ("ours", "explore", "floor", "canvas")]
                    + [", ".join(f"{k} {max(r.get('peak_rss_mb', 0) for r in runs):.0f}"
                                 for k, runs in s.get("build", {}).items() if runs)])
    lines += ["### Build time (frames → page text → file; after a warm-up build)", "",
              _table(["N points", "ours", "explore()", "floor", "canvas page",
                      "peak memory of the build process, MB"], rows), "",
              "The floor and the canvas page are built once per size (their times are for "
              "information only).", ""]
    rows = []
    for n, s in sizes.items():
        row = [_n(int(n))]
        for page in ("ours", "explore", "canvas"):
            runs = s.get("browser", {}).get(page)
            if not runs:
                row += ["not run", "—"]
                continue
            value = browser_median(s, page, "open_ms")
            row.append(_ms(value) if value is not None else "**failed**")
            off, on = (browser_median(s, page, k) for k in ("toggle_off_ms", "toggle_on_ms"))
            row.append(f"{_ms(off)} / {_ms(on)}" if off is not None else "—")
        rows.append(row)
    lines += ["### Chromium (headless, network blocked, 1280×900, a new profile per run)", "",
              "*opens*: from the start of the navigation to the first frame painted after "
              "Leaflet's `load` fired and the map held every feature's layer. *toggle*: the "
              "points layer's check box clicked, to the next painted frame (off / on).", "",
              _table(["N points", "ours opens", "ours toggle", "explore() opens",
                      "explore() toggle", "canvas opens", "canvas toggle"], rows), ""]
    atlas = results.get("atlas") or {}
    if atlas.get("cold"):
        lines += ["### The atlas as a user runs it", "",
                  _table(["run", "median", "runs", "output"], [
                      [f"cold (empty `SPEERPUNT_MAP_CACHE`), `--format {atlas['formats']}`",
                       _seconds(atlas["cold_median_s"]),
                       ", ".join(f"{r['seconds']:.1f}" for r in atlas["cold"]),
                       f"{atlas['cold'][0]['files']} files, {_bytes(atlas['cold'][0]['bytes'])}"],
                      [f"warm (cache filled: every map from the drawn-map cache), `--format "
                       f"{atlas['formats']}`",
                       _seconds(atlas["warm_median_s"]),
                       ", ".join(f"{r['seconds']:.1f}" for r in atlas["warm"]),
                       "byte-identical to the cold run's output: "
                       + ("yes" if atlas["identical"] else "**no**")],
                      *([[f"one table edited since the cache was filled "
                          f"(`{atlas['edited_table']}` in a copy of the legends, "
                          "`--catalogue`): its map and its overview drawn again",
                          _seconds(atlas["edited_median_s"]),
                          ", ".join(f"{r['seconds']:.1f}" for r in atlas["edited"]),
                          f"{atlas['edited'][0]['files']} files"]]
                        if atlas.get("edited") else [])]), ""]
        pages, explore = atlas.get("province_pages"), atlas.get("explore_of_shipped")
        if pages and explore:
            lines += [f"Offline province pages: median {_bytes(pages['median_bytes'])} "
                      f"({_bytes(pages['min_bytes'])}–{_bytes(pages['max_bytes'])}) over "
                      f"{pages['found']} maps; `explore()` of the same layers (CDN links, "
                      f"tiles): median {_bytes(explore['median_bytes'])} "
                      f"({_bytes(explore['min_bytes'])}–{_bytes(explore['max_bytes'])}).", ""]
    failures = _failures(results)
    if failures:
        lines += ["## Failures", "", *failures, ""]
    lines += ["## Notes", "", *[f"- {note}" for note in results.get("notes", [])], ""]
    return "\n".join(lines)


# -- the plot --------------------------------------------------------------------------------
def _slope(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 2:
        return None
    lx, ly = [math.log10(x) for x in xs], [math.log10(y) for y in ys]
    mx, my = statistics.fmean(lx), statistics.fmean(ly)
    return (sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True))
            / sum((a - mx) ** 2 for a in lx))


def plot(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = {int(n): s for n, s in results.get("sizes", {}).items()}
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), constrained_layout=True)
    series = [
        (left, "ours", lambda s: build_median(s, "ours"), "C0", "o-"),
        (left, "explore()", lambda s: build_median(s, "explore"), "C1", "s-"),
        (right, "ours", lambda s: page_bytes(s, "ours"), "C0", "o-"),
        (right, "explore()", lambda s: page_bytes(s, "explore"), "C1", "s-"),
        (right, "floor GeoJSON", lambda s: page_bytes(s, "floor"), "0.5", "^--"),
    ]
    for axis, name, value, colour, style in series:
        points = [(n, value(s)) for n, s in sorted(sizes.items()) if value(s)]
        if not points:
            continue
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        slope = _slope(xs, ys)
        label = f"{name} (slope {slope:.2f})" if slope is not None else name
        axis.plot(xs, ys, style, color=colour, label=label)
    left.set(xscale="log", yscale="log", xlabel="N points (+ N/10 zones, N/5 links)",
             ylabel="build time, s (median)", title="Build time")
    right.set(xscale="log", yscale="log", xlabel="N points (+ N/10 zones, N/5 links)",
              ylabel="bytes", title="HTML bytes")
    for axis in (left, right):
        axis.grid(True, which="both", alpha=0.3)
        axis.legend()
    figure.suptitle(f"speerpunt_map benchmark, {results['date']}", fontsize=10)
    figure.savefig(path, dpi=110)
    plt.close(figure)


def write(results: dict[str, Any], folder: Path) -> None:
    """``results.md`` and ``scaling.png`` in ``folder`` (``results.json`` is written by run)."""
    (folder / "results.md").write_text(markdown(results), encoding="utf-8")
    plot(results, folder / "scaling.png")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else Path(__file__).resolve().parent / "results"
    write(json.loads((folder / "results.json").read_text(encoding="utf-8")), folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
