"""Generate template-based training sentences for the ACLED sub-type classifier.

    python training/make_examples.py      # writes training/examples/generated_{train,heldout}.jsonl

Templates whose index % 5 == 4 (per class) are held out: their sentences go only to
generated_heldout.jsonl, which is never trained on (it measures generalisation to unseen
sentence shapes, not only unseen slot fillers). Deterministic (fixed seed).
"""
from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from slots import CIVS, DAYS, GRIEVANCES, NUMS, PROTESTERS, REGIONS, SMALLNUMS, SOURCES  # noqa: E402
from templates import T  # noqa: E402

N_TRAIN = 320
N_HELDOUT = 40


def _fill(tpl: str, rng: random.Random) -> str:
    R = rng.choice(REGIONS)
    p1, p2 = rng.sample(R["places"], 2)
    nsa = rng.choice(R["rebels"] + R["militia"])
    vals = {
        "place": p1, "place2": p2, "region": rng.choice(R["region"]), "country": R["country"],
        "adj": R["adj"], "army": rng.choice(R["army"]), "rebels": rng.choice(R["rebels"]),
        "militia": rng.choice(R["militia"]), "police": rng.choice(R["police"]), "air": rng.choice(R["air"]),
        "gov": R["gov"], "city": R["city"], "day": rng.choice(DAYS), "src": rng.choice(SOURCES),
        "n": rng.choice(NUMS), "sn": rng.choice(SMALLNUMS), "civs": rng.choice(CIVS),
        "protesters": rng.choice(PROTESTERS), "griev": rng.choice(GRIEVANCES), "nsa": nsa,
        "armed": rng.choice([rng.choice(R["army"]), rng.choice(R["rebels"]), rng.choice(R["militia"])]),
    }
    s = tpl.format(**vals)
    s = re.sub(r"\s+,", ",", s)
    s = re.sub(r",\s*\.", ".", s)
    s = re.sub(r"\s+\.", ".", s)
    s = re.sub(r"\s{2,}", " ", s).strip()
    s = s.replace("{day}'s", "")
    return s[0].upper() + s[1:]


def generate(seed: int = 13) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)
    train, held = [], []
    for label, tpls in T.items():
        tr_t = [t for i, t in enumerate(tpls) if i % 5 != 4]
        ho_t = [t for i, t in enumerate(tpls) if i % 5 == 4]
        seen = set()
        for bucket, tl, n in ((train, tr_t, N_TRAIN), (held, ho_t, N_HELDOUT)):
            tries = 0
            k = 0
            while k < n and tries < n * 20:
                tries += 1
                s = _fill(rng.choice(tl), rng)
                if s in seen:
                    continue
                seen.add(s)
                bucket.append({"text": s, "sub_event_type": None if label == "NONE" else label,
                               "origin": "template"})
                k += 1
    return train, held


def main() -> None:
    out = HERE / "examples"
    out.mkdir(exist_ok=True)
    train, held = generate()
    for name, rows in (("generated_train.jsonl", train), ("generated_heldout.jsonl", held)):
        with open(out / name, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"{name}: {len(rows)} rows")


if __name__ == "__main__":
    main()
