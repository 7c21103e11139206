"""Every event of a real-world article set: the rules of ``../shared/eval/score_articles.py``.

Asserted predictions are events whose status is not hypothetical, denied or historical (a missing status counts as
asserted). A prediction is compatible with a gold event when the type matches (sub-type or accepted sub-type: a
full match; else the same event type), the place is within 25 km (100 km for gold geo-precision 3; skipped for an
unplaced optional gold event; a prediction without coordinates never matches a placed gold event), and the day is
within the gold slack + 1. Greedy one-to-one assignment by pair score, required gold events first, then optional
ones (ignored either way). TP/FP/FN pooled over articles; sub-type, actor1, place (25 km) and fatalities on the
matched pairs; asserted ÷ gold counts; asserted events in no-event articles.
"""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

from flashpoint.evaluation.common import km

NOT_ASSERTED = {"hypothetical", "denied", "historical"}
STOP = {"of", "the", "forces", "force", "military", "police", "unidentified", "armed", "group", "and", "al", "el",
        "a", "an", "from", "in", "on", "for", "de", "la", "le", "des", "du", "by", "with"}
NON_STATE = r"rebel|opposition|insurgent|militia|islamic|front|jihad|tahrir|ahrar|nusra|shabaab|shabab|taliban|" \
            r"cartel|dissident|unidentified|unknown|gunmen|militant|protester|rioter|civilian|brigade|hezbollah|" \
            r"houthi|ansar|rapid support|adf|bandit"
UNKNOWN_WORDS = r"unidentified|unknown|gunmen|gunman|assailant|attacker|armed men|bandit"
PLACE_KM = 25.0
COARSE_PLACE_KM = 100.0         # gold geo_precision 3 (a region)
COARSE_PRECISION = 3
ACTOR_OVERLAP = 0.5             # share of the gold core tokens the prediction must hold
FULL_SUB, TYPE_ONLY, ACTOR_BONUS, PLACE_BONUS, DAY_BONUS = 2.0, 1.0, 0.5, 0.3, 0.2   # pair score weights
COUNTERS = ("tp", "fn", "fp", "gold", "pred", "optional_matched", "non_asserted", "sub", "actor1", "loc", "fat",
            "fat_n", "no_event_fp", "no_event_articles")


def parse_day(s) -> date | None:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(s)) if s else None
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _stem(t: str) -> str:
    return t[:-1] if len(t) > 3 and t.endswith("s") and not t.endswith("ss") else t


def toks(s) -> set[str]:
    s = re.sub(r"\(.*?\)", " ", str(s or "").lower())
    return {_stem(t) for t in re.findall(r"[a-z0-9]+", s) if t not in STOP}


def with_demonyms(ts: set[str]) -> set[str]:
    """Add the country a demonym names: syrian -> syria, iraqi -> iraq, afghan -> afghanistan."""
    out = set(ts)
    for t in ts:
        if t.endswith("ian"):
            out |= {t[:-1], t[:-3]}
        elif t.endswith("i") or t.endswith("n"):
            out.add(t[:-1])
        out |= {"afghan": {"afghanistan"}, "israeli": {"israel"}, "palestinian": {"palestine"}}.get(t, set())
    return out


def actor_text(a) -> str:
    if a is None:
        return ""
    if isinstance(a, str):
        return a
    if isinstance(a, dict):
        return " ".join(str(a.get(k) or "") for k in ("canonical", "name"))
    return str(a)


def actor_ok_one(gold_name: str, pred) -> bool:
    ptxt = actor_text(pred).lower()
    if not ptxt.strip():
        return False
    if re.match(r"\s*(military|police) forces of", gold_name.lower()) and re.search(NON_STATE, ptxt):
        return False
    g = toks(gold_name)
    if not g:  # "Unidentified Armed Group (X)" and the like
        return bool(re.search(UNKNOWN_WORDS, ptxt))
    return len(g & with_demonyms(toks(ptxt))) / len(g) >= ACTOR_OVERLAP


def actor_ok(gold_event: dict, pred_actor) -> bool:
    if gold_event.get("actor1") is None:
        return True
    names = [gold_event["actor1"]] + [n for n in gold_event.get("accept_actor1") or [] if n]
    return any(actor_ok_one(n, pred_actor) for n in names)


def pred_loc(p: dict) -> tuple[float, float] | None:
    loc = p.get("location")
    if isinstance(loc, dict) and loc.get("lat") is not None and loc.get("lon") is not None:
        try:
            return float(loc["lat"]), float(loc["lon"])
        except (TypeError, ValueError):
            return None
    return None


def sub_ok(g: dict, p: dict) -> bool:
    return p.get("sub_event_type") in ([g["sub_event_type"]] + list(g.get("accept_sub_types") or []))


def compatible(g: dict, p: dict) -> tuple[float, dict] | None:
    """(pair score, info) when p may match g, else None."""
    full = sub_ok(g, p)
    if not full and p.get("event_type") != g["event_type"]:
        return None
    dist = None
    if g.get("lat") is not None and g.get("lon") is not None:
        pl = pred_loc(p)
        if pl is None:
            return None
        dist = km(pl[0], pl[1], g["lat"], g["lon"])
        if dist > (COARSE_PLACE_KM if int(g.get("geo_precision") or 1) >= COARSE_PRECISION else PLACE_KM):
            return None
    gd, pd = parse_day(g.get("event_date")), parse_day(p.get("event_date"))
    if gd is None or pd is None:
        return None
    dd = abs((pd - gd).days)
    if dd > int(g.get("date_slack_days") or 0) + 1:
        return None
    score = (FULL_SUB if full else TYPE_ONLY) + (ACTOR_BONUS if actor_ok(g, p.get("actor1")) else 0.0)
    score += PLACE_BONUS * (1.0 - min(dist, COARSE_PLACE_KM) / COARSE_PLACE_KM) if dist is not None else 0.0
    score += DAY_BONUS / (1 + dd)
    return score, {"dist_km": dist, "days_off": dd, "full_sub": full}


def greedy(golds: list[dict], preds: list[dict], gi_list: list[int], pi_free: list[int]) -> list[tuple]:
    pairs = []
    for gi in gi_list:
        for pi in pi_free:
            c = compatible(golds[gi], preds[pi])
            if c:
                pairs.append((c[0], gi, pi, c[1]))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_g, used_p, out = set(), set(), []
    for _, gi, pi, info in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi, info))
    return out


def _pair_counts(golds: list[dict], preds: list[dict], m_req: list[tuple], tot: dict) -> list[dict]:
    """Sub-type, actor1, place and fatalities on the matched required pairs; returns the pairs' rows."""
    pairs = []
    for gi, pi, info in m_req:
        g, p = golds[gi], preds[pi]
        s_ok, a_ok = sub_ok(g, p), actor_ok(g, p.get("actor1"))
        l_ok = info["dist_km"] is not None and info["dist_km"] <= PLACE_KM
        tot["sub"] += s_ok
        tot["actor1"] += a_ok
        tot["loc"] += l_ok
        f_ok = None
        if g.get("fatalities") is not None:
            tot["fat_n"] += 1
            pf = p.get("fatalities")
            f_ok = pf is not None and int(pf) == int(g["fatalities"])
            tot["fat"] += f_ok
        pairs.append({"gid": g["gid"], "pred_index": pi, "pred_sub": p.get("sub_event_type"), "sub_ok": s_ok,
                      "actor1_ok": a_ok, "loc_ok": l_ok, "fatalities_ok": f_ok,
                      "dist_km": None if info["dist_km"] is None else round(info["dist_km"], 1),
                      "days_off": info["days_off"]})
    return pairs


def score_article(a: dict, rep: dict, tot: dict) -> dict:
    """Add one article's counts to ``tot``; returns its row of the per-article table."""
    events = rep.get("events") or []
    preds = [e for e in events if (e.get("status") or "").lower() not in NOT_ASSERTED]
    golds = a.get("events") or []
    req = [i for i, g in enumerate(golds) if not g.get("optional")]
    opt = [i for i, g in enumerate(golds) if g.get("optional")]
    m_req = greedy(golds, preds, req, list(range(len(preds))))
    used = {pi for _, pi, _ in m_req}
    m_opt = greedy(golds, preds, opt, [i for i in range(len(preds)) if i not in used])
    used |= {pi for _, pi, _ in m_opt}
    tp, fn, fp = len(m_req), len(req) - len(m_req), len(preds) - len(used)
    for k, v in (("tp", tp), ("fn", fn), ("fp", fp), ("gold", len(req)), ("pred", len(preds)),
                 ("optional_matched", len(m_opt)), ("non_asserted", len(events) - len(preds))):
        tot[k] += v
    pairs = _pair_counts(golds, preds, m_req, tot)
    if a.get("no_event"):
        tot["no_event_fp"] += len(preds)
        tot["no_event_articles"] += 1
    matched = {gi for gi, _, _ in m_req}
    return {"id": a["id"], "country": a.get("country_focus"), "no_event": bool(a.get("no_event")),
            "gold": len(req), "gold_optional": len(opt), "pred_asserted": len(preds),
            "non_asserted": len(events) - len(preds), "matched": tp, "fp": fp, "fn": fn,
            "optional_matched": len(m_opt), "missed": [golds[i]["gid"] for i in req if i not in matched],
            "pairs": pairs}


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 4) if b else None


def score(gold: list[dict], reps: dict[str, dict]) -> dict:
    """score_articles.py's result (its --json dict)."""
    tot = dict.fromkeys(COUNTERS, 0)
    per_country: dict = defaultdict(lambda: [0, 0])
    ratios, per_article = [], []
    for a in gold:
        row = score_article(a, reps.get(str(a["id"])) or {}, tot)
        per_article.append(row)
        if row["gold"]:
            ratios.append(row["pred_asserted"] / row["gold"])
        pc = per_country[a.get("country_focus") or "?"]
        pc[0] += row["matched"]
        pc[1] += row["gold"]
    p, r = ratio(tot["tp"], tot["tp"] + tot["fp"]), ratio(tot["tp"], tot["tp"] + tot["fn"])
    return {"articles": len(gold), "gold_events": tot["gold"], "pred_asserted": tot["pred"], "tp": tot["tp"],
            "fp": tot["fp"], "fn": tot["fn"], "precision": p, "recall": r,
            "f1": round(2 * p * r / (p + r), 4) if p and r else 0.0,
            "optional_matched": tot["optional_matched"], "non_asserted_pred": tot["non_asserted"],
            "subtype_acc": ratio(tot["sub"], tot["tp"]), "actor1_acc": ratio(tot["actor1"], tot["tp"]),
            "loc25_rate": ratio(tot["loc"], tot["tp"]), "fatalities_exact": ratio(tot["fat"], tot["fat_n"]),
            "fatalities_n": tot["fat_n"],
            "count_ratio_mean": round(sum(ratios) / len(ratios), 4) if ratios else None,
            "count_ratio_pooled": ratio(tot["pred"], tot["gold"]),
            "no_event_articles": tot["no_event_articles"], "no_event_fp": tot["no_event_fp"],
            "per_country_recall": {c: {"tp": v[0], "gold": v[1], "recall": ratio(v[0], v[1])}
                                   for c, v in sorted(per_country.items())},
            "per_article": per_article}


def _fmt(x) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def summary(res: dict) -> str:
    """score_articles.py's summary line."""
    return (f"articles ({res['articles']} articles, {res['gold_events']} gold events): P {_fmt(res['precision'])} "
            f"R {_fmt(res['recall'])} F1 {_fmt(res['f1'])} (TP {res['tp']}, FP {res['fp']}, FN {res['fn']}); "
            f"on matched: sub-type {_fmt(res['subtype_acc'])}, actor1 {_fmt(res['actor1_acc'])}, "
            f"loc<=25km {_fmt(res['loc25_rate'])}, fatalities exact {_fmt(res['fatalities_exact'])} "
            f"(n={res['fatalities_n']}); count ratio mean {_fmt(res['count_ratio_mean'])} "
            f"pooled {_fmt(res['count_ratio_pooled'])}; no-event FPs {res['no_event_fp']} in "
            f"{res['no_event_articles']} articles")
