"""Build one page in a process of its own and print what it took, as JSON (used by run.py).

``build_once.py KIND FRAMES OUTPUT [--memory-limit-gb G]``: KIND is ``ours``, ``explore``,
``floor`` or ``canvas``; FRAMES a pickle of :class:`generate.Frames`. Before the clock starts,
the builder runs once on a small map, so that imports, template compilation and the shipped
boundaries are not part of the time (a user building several maps pays them once). The time
covers the frames → the page's text → the file written. The address-space limit turns a
build that would exhaust the machine's memory into a ``MemoryError`` reported as a failure.
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import sys
import time
import traceback
from pathlib import Path

import generate
import pages

BUILDERS = {"ours": pages.our_page, "explore": pages.explore_page,
            "floor": pages.floor_geojson, "canvas": pages.canvas_page}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=sorted(BUILDERS))
    parser.add_argument("frames", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--memory-limit-gb", type=float, default=0)
    args = parser.parse_args(argv)
    if args.memory_limit_gb:
        limit = int(args.memory_limit_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    build = BUILDERS[args.kind]
    result: dict[str, object] = {"kind": args.kind}
    try:
        build(generate.generate(20))  # warm-up
        with args.frames.open("rb") as handle:
            frames = pickle.load(handle)
        started = time.perf_counter()
        data = build(frames).encode("utf-8")
        args.output.write_bytes(data)
        result.update(ok=True, seconds=time.perf_counter() - started, bytes=len(data))
        if args.kind in ("ours", "canvas"):
            result["leaflet_bytes"] = pages.leaflet_bytes(data.decode("utf-8"))
    except MemoryError:
        result.update(ok=False, error=f"MemoryError (address space limited to "
                                      f"{args.memory_limit_gb:g} GiB)")
    except Exception as error:  # reported, not raised: the benchmark goes on
        where = traceback.extract_tb(error.__traceback__)[-1]
        message = str(error) or f"(no message) raised at {where.filename}:{where.lineno}: " \
            f"{where.line}"
        result.update(ok=False, error=f"{type(error).__name__}: {message}"[:500],
                      traceback=traceback.format_exc()[-2000:])
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
