"""How big is a map file? Ours next to what ``GeoDataFrame.explore()`` writes for the same layers.

Run: ``.venv/bin/python benchmarks/bench_size.py`` (offline; prints a Markdown table).

``explore()`` is given the same four layers (actor regions, zones, links, points) at full
precision, with its default tiles and CDN links: the file a user gets from the obvious
alternative. Ours is the offline page with Leaflet inlined.
"""

from __future__ import annotations

import statistics
import sys
import time

from speerpunt_map import load_atlas
from speerpunt_map.interactive import fragment_from_layers, html_from_layers


def explore_html(layers) -> str:
    """The HTML ``explore()`` writes for the map's regions, zones, links and points."""
    m = None
    for frame in (layers.regions, layers.zones, layers.links, layers.points):
        if len(frame):
            # explore() cannot serialise the Int64 number column with missing values as is.
            m = frame.astype({c: str for c in frame.columns if c != "geometry"}).explore(m=m)
    return m.get_root().render()


def main() -> int:
    atlas = load_atlas()
    ids = sys.argv[1:] or [i for i in atlas.maps if not i.startswith("vlaanderen/")]
    rows = []
    for map_id in ids:
        layers = atlas.map(map_id)
        started = time.perf_counter()
        page = html_from_layers(layers)
        seconds = time.perf_counter() - started
        rows.append((map_id, len(page.encode()), len(fragment_from_layers(layers).encode()),
                     len(explore_html(layers).encode()), seconds))
    print("| map | ours (offline page) | ours (fragment) | explore() (needs network) | render s |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for map_id, ours, fragment, explore, seconds in rows:
        print(f"| {map_id} | {ours / 1024:.0f} KiB | {fragment / 1024:.0f} KiB | "
              f"{explore / 1024:.0f} KiB | {seconds:.2f} |")
    median = statistics.median
    print(f"\nmedian over {len(rows)} maps: ours {median(r[1] for r in rows) / 1024:.0f} KiB, "
          f"explore() {median(r[3] for r in rows) / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
