"""How long does the main job take? Times ``speerpunt-map build`` into a temporary folder.

Run: ``.venv/bin/python benchmarks/bench_build.py [--format html,pdf]`` (offline). It runs the
build twice: the first run fills the boundary cache, the second shows a warm rebuild, and the
two outputs are compared byte for byte.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import sys
import tempfile
import time
from pathlib import Path

from speerpunt_map import load_atlas
from speerpunt_map.build import build_atlas


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--format", default="html")
    args = parser.parse_args()
    formats = args.format.split(",")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["SPEERPUNT_MAP_CACHE"] = str(Path(folder) / "cache")
        timings = []
        for run in ("cold", "warm"):
            started = time.perf_counter()
            result = build_atlas(load_atlas(), Path(folder) / run, formats=formats)
            timings.append(time.perf_counter() - started)
            print(f"{run}: {result.summary()}")
        same = filecmp.dircmp(Path(folder) / "cold", Path(folder) / "warm")
        identical = not same.diff_files and not same.left_only and not same.right_only and all(
            not sub.diff_files for sub in same.subdirs.values())
        print(f"cold {timings[0]:.1f} s, warm {timings[1]:.1f} s; "
              f"outputs byte-identical: {identical}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
