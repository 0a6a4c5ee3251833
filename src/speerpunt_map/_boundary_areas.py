"""Administrative areas from municipality polygons: Belgium, Flanders, provinces, RESOC regions,
arrondissements and the municipalities themselves, as one GeoDataFrame.

:func:`areas_from_municipalities` takes the municipalities of one vintage (REFNIS code, Dutch
name, polygon) and dissolves them with the tables of a geodata folder: ``provinces.csv``,
``arrondissements.csv``, ``resoc_regions.csv``, ``resoc_membership.csv`` and, for a vintage
other than the membership's 2019, ``crosswalk.csv``. Flemishness is decided by REFNIS code
(:func:`~speerpunt_map.gazetteer.is_flemish_refnis`), never by a file's region attribute.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import shapely

from ._errors import BoundaryError
from ._geodata_files import read_csv_rows
from .gazetteer import is_flemish_refnis

__all__ = ["FLEMISH_PROVINCES", "LEVEL_ORDER", "Member", "areas_from_municipalities",
           "resoc_members"]

LEVEL_ORDER = ("belgium", "flanders", "province", "resoc", "arrondissement", "municipality")
FLEMISH_PROVINCES = ("10000", "20001", "30000", "40000", "70000")
# The vintage of resoc_membership.csv.
_MEMBERSHIP_VINTAGE = 2019


@dataclass(frozen=True)
class Member:
    """A municipality of a RESOC region, in the vintage of the boundaries.

    ``name`` is the Dutch name of the 2019 member(s) it stands for; ``certainty`` the membership
    table's, the least certain of those members (``certain``, ``probable``, ``disputed``);
    ``partial`` says that the municipality of this vintage is larger than the member: a 2025
    municipality only one of whose 2019 parts belongs to the region (Lokeren with Moerbeke).
    """

    refnis: str
    name: str
    certainty: str
    partial: bool = False


def resoc_members(vintage: int, geodata: Path) -> dict[str, list[Member]]:
    """RESOC id → its members in ``vintage``, through the crosswalk from the 2019 table."""
    crosswalk = read_csv_rows(geodata / "crosswalk.csv")
    column = f"refnis_{vintage}"
    to_vintage: dict[str, set[str]] = defaultdict(set)
    parts: dict[str, set[str]] = defaultdict(set)  # a code of ``vintage`` → its 2019 parts
    for row in crosswalk:
        code = row.get(column, row["refnis_2019"])
        to_vintage[row["refnis_2019"]].add(code)
        parts[code].add(row["refnis_2019"])
    rows = read_csv_rows(geodata / "resoc_membership.csv")
    in_region: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        in_region[row["resoc"]].add(row["refnis"])
    # One member per code of ``vintage``: its 2019 parts in the region, the least certain first.
    grouped: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        codes = ({row["refnis"]} if vintage == _MEMBERSHIP_VINTAGE
                 else to_vintage.get(row["refnis"], set()))
        for code in sorted(codes):
            grouped[(row["resoc"], code)].append(row)
    rank = {"certain": 0, "probable": 1, "disputed": 2}
    members: dict[str, list[Member]] = defaultdict(list)
    for (region, code), group in grouped.items():
        certainty = max((r["certainty"] for r in group), key=lambda c: rank.get(c, 3))
        partial = vintage != _MEMBERSHIP_VINTAGE and not parts[code] <= in_region[region]
        members[region].append(Member(code, " + ".join(r["name_nl"] for r in group),
                                      certainty, partial))
    return members


def _frame(records: list[dict[str, object]], vintage: int) -> gpd.GeoDataFrame:
    areas = gpd.GeoDataFrame(records, geometry="geometry", crs="EPSG:4326")
    areas["vintage"] = vintage
    areas["order"] = areas["level"].map(LEVEL_ORDER.index)
    areas = areas.sort_values(["order", "id"], kind="stable").drop(columns="order")
    return areas.reset_index(drop=True)


def _area(area_id: str, level: str, name: str, geometry: shapely.Geometry, *, refnis: str = "",
          parent: str = "", approximate: bool = False, basis: str = "",
          repair_change: float = 0.0) -> dict[str, object]:
    return {"id": area_id, "level": level, "refnis": refnis, "name_nl": name, "parent": parent,
            "approximate": approximate, "basis": basis, "repair_change": repair_change,
            "geometry": geometry}


def _union(geometries: list[shapely.Geometry]) -> shapely.Geometry:
    return shapely.make_valid(shapely.union_all(geometries))


def _resoc_basis(members: list[Member], present: int, missing: int, vintage: int) -> str:
    """What a RESOC outline rests on, naming every uncertain part."""
    basis = f"union of {present} whole municipalities ({vintage})"
    for certainty in sorted({m.certainty for m in members} - {"certain"}):
        names = [m.name for m in members if m.certainty == certainty]
        basis += (f"; {certainty} membership of {', '.join(names)}" if len(names) <= 3 else
                  f"; {len(names)} {certainty} memberships")
    partial = [f"{m.refnis} (of which only {m.name})" for m in members if m.partial]
    if partial:
        basis += f"; {', '.join(partial)} drawn whole: merged after 2019"
    if missing:
        basis += f"; {missing} member(s) missing from the file"
    return basis


def areas_from_municipalities(municipalities: gpd.GeoDataFrame, vintage: int, geodata: Path,
                              *, label: str, name: str) -> gpd.GeoDataFrame:
    """Dissolve municipalities into every level of areas.

    Parameters
    ----------
    municipalities
        One row per municipality: ``refnis`` (text), ``name_nl``, ``repair_change`` (the
        relative area change of a repaired polygon, 0 if untouched), ``geometry`` (EPSG:4326).
    vintage
        The municipality vintage of the codes.
    geodata
        The folder whose provinces, arrondissements, RESOC regions and membership are used.
    label, name
        The file as messages name it, and as the ``basis`` column names it.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``id``, ``level``, ``refnis``, ``name_nl``, ``parent``, ``approximate`` (a RESOC
        region resting on an uncertain or partial membership, or missing members),
        ``basis``, ``repair_change``, ``geometry``, ``vintage``.

    Raises
    ------
    BoundaryError
        When a Flemish province or a RESOC region has no municipality in the file.
    """
    arrondissements = {r["refnis"]: r for r in read_csv_rows(geodata / "arrondissements.csv")}
    provinces = {r["refnis"]: r for r in read_csv_rows(geodata / "provinces.csv")}
    province_of_arr = {code: row["province"] for code, row in arrondissements.items()}
    province_id = {code: row["id"] for code, row in provinces.items()}
    records = [_area("belgium", "belgium", "België", _union(list(municipalities.geometry)),
                     basis=f"union of the municipalities of {name}")]
    flemish = municipalities[municipalities["refnis"].map(is_flemish_refnis)]
    records.append(_area("vlaanderen", "flanders", "Vlaanderen", _union(list(flemish.geometry)),
                         basis="union of the Flemish municipalities (by REFNIS code)"))
    flemish = flemish.assign(arr=flemish["refnis"].str[:2] + "000")
    flemish = flemish.assign(province=flemish["arr"].map(province_of_arr).fillna(""))
    for code in FLEMISH_PROVINCES:
        members = flemish[flemish["province"] == code]
        if members.empty:
            raise BoundaryError(f"{label}: no municipality of province {code}")
        records.append(_area(provinces[code]["id"], "province", provinces[code]["name_nl"],
                             _union(list(members.geometry)), refnis=code,
                             basis="union of the province's municipalities"))
    # A RESOC region is a set of whole municipalities (resoc_membership.csv).
    members_of = resoc_members(vintage, geodata)
    polygons = dict(zip(flemish["refnis"], flemish.geometry, strict=True))
    for region in read_csv_rows(geodata / "resoc_regions.csv"):
        members = members_of.get(region["id"], [])
        present = [polygons[m.refnis] for m in members if m.refnis in polygons]
        if not present:
            raise BoundaryError(f"{label}: none of the municipalities of {region['name_nl']} "
                                "is in the file")
        missing = len(members) - len(present)
        uncertain = any(m.certainty != "certain" or m.partial for m in members)
        records.append(_area(region["id"], "resoc", region["name_nl"], _union(present),
                             parent=region["province"], approximate=uncertain or bool(missing),
                             basis=_resoc_basis(members, len(present), missing, vintage)))
    for arr, members in flemish.groupby("arr"):
        row = arrondissements.get(str(arr), {})
        records.append(_area(f"arr-{arr}", "arrondissement", row.get("name_nl", str(arr)),
                             _union(list(members.geometry)), refnis=str(arr),
                             parent=province_id.get(row.get("province", ""), ""),
                             basis="union of its municipalities"))
    for item in municipalities.itertuples():
        province = province_of_arr.get(item.refnis[:2] + "000", "")
        basis = f"{name}, vintage {vintage}"
        if item.repair_change:
            basis += "; invalid polygon repaired with make_valid"
        records.append(_area(f"mun-{item.refnis}", "municipality", str(item.name_nl),
                             item.geometry, refnis=item.refnis,
                             parent=province_id.get(province, ""), basis=basis,
                             repair_change=float(item.repair_change)))
    return _frame(records, vintage)
