"""The build: every map of the catalogue, the Flanders overviews and an index, as files.

``speerpunt-map build`` writes ``<output>/<scope>/<sector>.html`` (and figures when asked) for
every selected map, ``<output>/vlaanderen/<group>.html`` for every overview, and
``<output>/index.html``. Every file is written atomically; a rebuild of unchanged input writes
the same bytes; a map that fails does not stop the others, a full or read-only disk stops the
build. The build keeps a manifest of the files it wrote (``.speerpunt-map-manifest.json``, see
:class:`speerpunt_map._io.OutputFolder`) and never replaces a file it did not write.
"""

from __future__ import annotations

import errno
import logging
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ._drawn_cache import CachedMap, DrawnCache, capture_logs, replay
from ._errors import OutputError
from ._index_cards import IndexCard, index_card, index_sections
from ._io import LOCK, MANIFEST, OutputFolder, refuse_own_inputs
from ._types import FLANDERS, Language
from .atlas import Atlas, MapLayers
from .compare import write_matrix_into
from .description import describe, not_drawn
from .exports import resource_inputs
from .pages import index_page
from .style import Labels

__all__ = ["BuildResult", "FORMATS", "MANIFEST", "PAGE_WARNING_BYTES", "MapResult", "build_atlas"]

log = logging.getLogger(__name__)
FORMATS = ("html", "png", "pdf", "svg")
#: A page larger than this (in bytes) is written with a warning that says how to shrink it.
PAGE_WARNING_BYTES = 20_000_000
#: The matrix's files are ``<output>/matrix.csv`` and ``matrix.html``.
MATRIX = "matrix"
# Write failures that no other map escapes: the build stops at the first.
_DISK_FAILURES = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EROFS,
                  errno.EACCES, errno.EPERM, errno.EIO}


@dataclass
class MapResult:
    """What the build did for one map."""

    map_id: str
    files: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    error: str = ""
    not_drawn: list[str] = field(default_factory=list)
    figure: int | None = None
    title: str = ""
    source: str = ""
    #: The map's thumbnail and search text for the index (``None`` for a map that failed).
    index_card: IndexCard | None = field(default=None, repr=False)

    @property
    def rows_read(self) -> int:
        """Legend rows read for this map."""
        return self.counts.get("read", 0)

    @property
    def rows_drawn(self) -> int:
        """Rows drawn as a point, zone or link."""
        return self.counts.get("drawn", 0)

    @property
    def rows_rejected(self) -> int:
        """Rows left out for an error (``speerpunt-map validate`` lists them)."""
        return self.counts.get("rejected", 0)

    def summary(self) -> str:
        """``rows read N, drawn N, rejected N``, or why the map failed."""
        if self.error:
            return f"FAILED: {self.error}"
        return (f"rows read {self.rows_read}, drawn {self.rows_drawn}, "
                f"rejected {self.rows_rejected}")


@dataclass
class BuildResult:
    """All maps of a build, the index, and the time it took."""

    output: Path
    maps: list[MapResult]
    index: Path | None
    seconds: float

    @property
    def failed(self) -> list[MapResult]:
        """The maps that could not be built."""
        return [m for m in self.maps if m.error]

    @property
    def bytes_written(self) -> int:
        """Total size of the files written."""
        files = [f for m in self.maps for f in m.files] + ([self.index] if self.index else [])
        return sum(f.stat().st_size for f in files if f.exists())

    @property
    def not_drawn(self) -> list[tuple[str, str]]:
        """Every legend row left out of a map for an error: (map id, notice)."""
        return [(m.map_id, notice) for m in self.maps for notice in m.not_drawn]

    @property
    def rows(self) -> dict[str, int]:
        """Rows ``read``, ``drawn`` and ``rejected`` over the maps written."""
        written = [m for m in self.maps if not m.error]
        return {k: sum(m.counts.get(k, 0) for m in written) for k in ("read", "drawn", "rejected")}

    def summary(self) -> str:
        """A line per map with its rows read, drawn and rejected; then a line with the maps
        written, their size, the rows of all maps and the time."""
        written = [m for m in self.maps if not m.error]
        rows = self.rows
        text = (f"wrote {len(written)} of {len(self.maps)} maps to {self.output} "
                f"({self.bytes_written / 1e6:.1f} MB; rows read {rows['read']}, drawn "
                f"{rows['drawn']}, rejected {rows['rejected']}) in {self.seconds:.1f} s")
        if self.failed:
            text += "; FAILED: " + ", ".join(m.map_id for m in self.failed)
        width = max([len(m.map_id) for m in self.maps] or [0])
        lines = [f"{m.map_id:<{width}}  {m.summary()}" for m in self.maps]
        return "\n".join([*lines, text])


def select_maps(atlas: Atlas, *, ids: Iterable[str] = (), scopes: Iterable[str] = (),
                sectors: Iterable[str] = (), overviews: bool = True) -> list[str]:
    """The ids of the maps (and overviews) a build makes, in catalogue order.

    Parameters
    ----------
    ids
        Map ids (``antwerpen/logistiek``, ``vlaanderen/zorg``); all when empty.
    scopes, sectors
        Keep maps of these scopes / sectors (a sector by id, label or synonym).
    overviews
        Include the Flanders overview maps.
    """
    chosen = list(atlas.maps) + (atlas.overview_ids() if overviews else [])
    ids, scopes = list(ids), set(scopes)
    unknown = [i for i in ids if i not in chosen]
    if unknown:
        raise KeyError(f"no map {', '.join(map(repr, unknown))}; see `speerpunt-map list`")
    if ids:
        chosen = [i for i in chosen if i in ids]
    if scopes:
        # A map's scope is its catalogue entry's (a workspace's ids are free); an overview's is
        # the first part of its id (``vlaanderen``).
        chosen = [i for i in chosen if (atlas.maps[i].scope if i in atlas.maps
                                        else i.split("/")[0]) in scopes]
    wanted = set()
    for name in sectors:
        sector = atlas.vocabulary.sector(name)
        if sector is None:
            known = ", ".join(sorted(atlas.vocabulary.sectors))
            raise KeyError(f"no sector {name!r}; known: {known}")
        wanted |= {sector.id, sector.overview}
    if wanted:
        chosen = [i for i in chosen if i.split("/")[1] in wanted
                  or (i in atlas.maps and atlas.maps[i].sector.id in wanted)]
    return chosen


def _draw_map(layers: MapLayers, base: Path, formats: tuple[str, ...], language: Language,
              online: bool, folder: OutputFolder) -> dict[str, bytes]:
    """Every output of a map, in memory, by kind; first refused when a target may not be
    replaced (drawing is the slow part)."""
    _check_not_empty(layers)
    targets = _map_targets(base, formats)
    for target in targets.values():
        folder.check(target)
    contents = {kind: _draw(layers, kind, language, online) for kind in targets}
    _warn_large({targets[kind]: data for kind, data in contents.items()}, online)
    return contents


def _map_targets(base: Path, formats: tuple[str, ...]) -> dict[str, Path]:
    # A map id may hold a dot: the suffix is added, not replaced.
    return {kind: base.parent / f"{base.name}.{kind}" for kind in formats}


def _write_map(contents: dict[str, bytes], base: Path, folder: OutputFolder) -> list[Path]:
    """Replace a map's old outputs with its new ones together: a map whose figure fails keeps
    all its old files, a kill between two renames is finished by the next build
    (:meth:`OutputFolder.write_set`)."""
    targets = _map_targets(base, tuple(contents))
    for target in targets.values():
        folder.check(target)
    return folder.write_set({targets[kind]: data for kind, data in contents.items()})


def _warn_large(contents: dict[Path, bytes], online: bool) -> None:
    """Warn, before writing, about a page over :data:`PAGE_WARNING_BYTES`, saying how to
    make it smaller."""
    for target, data in contents.items():
        if target.suffix == ".html" and len(data) > PAGE_WARNING_BYTES:
            cdn = "" if online else "; --online links Leaflet from a CDN instead (0.2 MB less)"
            log.warning("%s will be %.1f MB, over %d MB: a browser opens it slowly, a phone "
                        "perhaps not at all. To make it smaller: draw fewer features (split "
                        "the legend table into several maps), shorten long texts (remarks, "
                        "notes), or build figures instead of the page (--format png,pdf or "
                        "svg)%s", target, len(data) / 1e6, PAGE_WARNING_BYTES // 1_000_000,
                        cdn)


def _draw(layers: MapLayers, kind: str, language: Language, online: bool) -> bytes:
    """One output of a map, in memory: the page (``html``) or a figure."""
    if kind == "html":
        from .interactive import html_from_layers

        return html_from_layers(layers, language=language, online=online).encode("utf-8")
    from .static import figure_bytes

    return figure_bytes(layers, kind, language=language)


def _targets(output: Path, chosen: list[str], formats: tuple[str, ...]) -> list[Path]:
    """Every file a build of ``chosen`` into ``output`` writes."""
    pages = [output / f"{map_id}.{kind}" for map_id in chosen for kind in formats]
    return [*pages, *(output / name for name in ("index.html", "matrix.csv", "matrix.html",
                                                 MANIFEST, LOCK))]


def build_inputs(atlas: Atlas) -> dict[Path, str]:
    """Every file a build reads: the catalogue, the legend tables, the resources."""
    inputs = resource_inputs(atlas.resources)
    inputs |= {spec.table: f"the legend table of {map_id}"
               for map_id, spec in atlas.maps.items()}
    inputs[atlas.catalogue.path] = "the catalogue"
    return inputs


def _check_not_empty(layers: MapLayers) -> None:
    """A map with nothing on it is built only when its catalogue entry says ``empty = true``."""
    counts = layers.counts
    if counts["drawn"] or layers.spec.empty:
        return
    why = (f"all {counts['read']} row(s) of its table have errors (speerpunt-map validate "
           f"{layers.spec.table} lists them)" if counts["read"] else
           f"its table {layers.spec.table} has a header and no data rows")
    raise ValueError(f"nothing to draw: {why}; a map with nothing on it is built only when its "
                     "catalogue entry says 'empty = true'")


def build_atlas(atlas: Atlas, output: str | Path = "output", *, ids: Iterable[str] = (),
                scopes: Iterable[str] = (), sectors: Iterable[str] = (),
                formats: Iterable[str] = ("html",), language: Language = "nl",
                online: bool = False,
                overwrite: bool = False, debug: bool = False,
                progress: Callable[[int, int, str], None] | None = None,
                cache: bool | Path = False) -> BuildResult:
    """Build the selected maps into ``output``.

    Parameters
    ----------
    atlas
        From :func:`speerpunt_map.load_atlas`.
    output
        The output folder (created when missing).
    ids, scopes, sectors
        The selection (see :func:`select_maps`); everything when all are empty.
    formats
        Any of ``html``, ``png``, ``pdf``, ``svg``.
    language
        ``nl`` or ``en``.
    online
        Link Leaflet from a CDN and offer tiles (the files then need a network to open).
    overwrite
        Replace files in ``output`` that an earlier build did not write.
    debug
        Re-raise the first error instead of recording it.
    progress
        Called as ``progress(done, total, map_id)`` before each map.
    cache
        Reuse a map drawn earlier from the same files by the same code, and keep what is
        drawn, in the user's cache folder (or this folder); see
        :mod:`speerpunt_map._drawn_cache`. Off by default here, as the cache does not see
        an atlas changed in memory; ``speerpunt-map build`` uses it unless ``--no-cache``.

    Returns
    -------
    BuildResult
        Per map its files, counts, rows not drawn or error; the index; the time taken.

    Raises
    ------
    OutputError
        For a full or read-only disk, or a file in ``output`` the build may not replace.
    KeyError
        For an unknown map id or sector in the selection.
    """
    started = time.perf_counter()
    formats = tuple(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"format(s) {unknown}: expected any of {list(FORMATS)}")
    output = Path(output)
    chosen = select_maps(atlas, ids=ids, scopes=scopes, sectors=sectors)
    # Nothing the build reads is written over, not even with overwrite.
    refuse_own_inputs(_targets(output, chosen, formats), build_inputs(atlas))
    folder = OutputFolder(output, overwrite=overwrite)
    # A page of someone else's where the index goes stops the build before it starts.
    for name in ("index.html", "matrix.csv", "matrix.html"):
        folder.check(output / name)
    figures = atlas.resources.overview_figures
    t = atlas.resources.labels(language)
    drawn = _Drawn(atlas, language, online, None if cache is True else Path(cache)) \
        if cache else None
    results = []
    for done, map_id in enumerate(chosen):
        if progress:
            progress(done, len(chosen), map_id)
        result = MapResult(map_id)
        try:
            result.figure = (atlas.maps[map_id].figure if map_id in atlas.maps
                             else figures.get(map_id))
            keys = drawn.keys(atlas, map_id, formats) if drawn else {}
            hit = drawn.cache.load(map_id, keys, language, online) if drawn else None
            if hit is not None:
                replay(hit.logs)
                for name, value in hit.report.items():
                    setattr(result, name, value)
                contents = hit.contents
            else:
                with capture_logs() as logs:
                    contents = _draw_result(atlas, map_id, result, output, formats, language,
                                            online, folder)
            result.files = _write_map(contents, output / map_id, folder)
            if drawn and hit is None:
                drawn.cache.store(map_id, keys, language, online,
                                  CachedMap(contents, _report(result), logs))
        except OutputError as error:
            if debug or error.errno in _DISK_FAILURES:
                raise  # a full or read-only disk: the other maps cannot be written either
            result.error = str(error)
            log.error("map %s failed: %s", map_id, result.error)
        except Exception as error:  # one failing map must not stop the others
            if debug:
                raise
            result.error = f"{type(error).__name__}: {error}"
            log.error("map %s failed: %s", map_id, result.error)
            log.debug("%s", traceback.format_exc())
        results.append(result)
    if progress:
        progress(len(chosen), len(chosen), "")
    # The region × sector inventory belongs to a complete atlas.
    _write_matrix(folder, atlas, language, online, drawn)
    index = folder.write_text(output / "index.html", _index_html(results, output, t, atlas))
    folder.finish()
    return BuildResult(output, results, index, time.perf_counter() - started)


def _write_matrix(folder: OutputFolder, atlas: Atlas, language: Language, online: bool,
                  drawn: _Drawn | None) -> None:
    """``matrix.csv`` and ``matrix.html``; from the drawn-map cache when nothing they are made
    from has changed (a catalogue's matrix resolves every map to know what is drawn)."""
    if drawn is None:
        write_matrix_into(folder, atlas.resources, language=language, atlas=atlas)
        return
    keys = drawn.keys(atlas, MATRIX, ("csv", "html"))
    hit = drawn.cache.load(MATRIX, keys, language, online)
    if hit is not None:
        replay(hit.logs)
        for kind, data in hit.contents.items():
            folder.write_bytes(folder.path / f"{MATRIX}.{kind}", data)
        return
    with capture_logs() as logs:
        paths = write_matrix_into(folder, atlas.resources, language=language, atlas=atlas)
    contents = {path.suffix.lstrip("."): path.read_bytes() for path in paths}
    drawn.cache.store(MATRIX, keys, language, online, CachedMap(contents, {}, logs))


def _draw_result(atlas: Atlas, map_id: str, result: MapResult, output: Path,
                 formats: tuple[str, ...], language: Language, online: bool,
                 folder: OutputFolder) -> dict[str, bytes]:
    """Draw a map's outputs; note its report in ``result``."""
    if map_id in atlas.maps:
        layers = atlas.map(map_id, strict=False, language=language)
    else:
        layers = atlas.overview(map_id, strict=False, language=language)
    result.counts = layers.counts
    description = describe(layers, language)
    result.title = description.title
    result.not_drawn = not_drawn(layers, atlas.resources.labels(language))
    result.source = layers.spec.source
    result.index_card = index_card(layers, language, result.title)
    return _draw_map(layers, output / map_id, formats, language, online, folder)


#: The fields of a :class:`MapResult` a cached map restores.
_REPORTED = ("counts", "title", "not_drawn", "source", "index_card")


def _report(result: MapResult) -> dict[str, object]:
    return {name: getattr(result, name) for name in _REPORTED}


class _Drawn:
    """The drawn-map cache of one build, with each map's key made from its catalogue entries
    and tables (an overview's: those of every map of its sector group)."""

    def __init__(self, atlas: Atlas, language: Language, online: bool,
                 folder: Path | None) -> None:
        settings = f"{language}|{online}|{atlas.resources.boundary_options!r}"
        self.cache = DrawnCache(resource_inputs(atlas.resources), atlas.catalogue.path,
                                settings, folder)

    def keys(self, atlas: Atlas, map_id: str, formats: tuple[str, ...]) -> dict[str, str]:
        """Key per kind of a map, an overview, or the matrix (:data:`MATRIX`: every entry)."""
        if map_id == MATRIX:
            specs = list(atlas.maps.values())
        elif map_id in atlas.maps:
            specs = [atlas.maps[map_id]]
        else:
            # An overview's id (and so its page) also depends on which periods its sector
            # group has: every entry of the group, of any period, is part of its key.
            groups = {m.sector.overview for m in atlas.overview_members(map_id)}
            specs = [s for s in atlas.maps.values()
                     if s.sector.overview in groups and s.scope != FLANDERS]
        tables = [Path(spec.table) for spec in specs]
        return {kind: self.cache.key(map_id, specs, tables, kind) for kind in formats}


def _index_html(results: list[MapResult], output: Path, t: Labels, atlas: Atlas) -> str:
    """The index: a card per map, by province, with a search box
    (:mod:`speerpunt_map._index_cards`)."""
    extras = [{"href": "matrix.html", "label": t("matrix_title")},
              {"href": "matrix.csv", "label": t("matrix_title") + " (CSV)"}]
    return index_page(t, index_sections(results, output, atlas, t), extras)
