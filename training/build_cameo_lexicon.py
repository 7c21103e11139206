"""Convert the PETRARCH-2 dictionaries (MIT, (c) 2014 Open Event Data Alliance) into the JSON
files flashpoint's CAMEO coder reads (src/flashpoint/data/cameo/):

    python training/build_cameo_lexicon.py [PETRARCH_DICT_DIR]

* petr_validate_verbs.json   verb blocks: lemma forms, base code(s), patterns (pre/post words)
* petr_validate_actors.json  actor phrases -> code (dated codes kept as a list)
* petr_validate_agents.json  agent nouns -> role code (~XXX suffix or XXX~ prefix)
* petr_validate_discards.json discard phrases
* cameo_verbs.json           the full CAMEO verb dictionary (CAMEO.2.0.txt) in the verb-block format above, read
                             by the extraction path's interaction coder (flashpoint.events.verbal)
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "flashpoint" / "data" / "cameo"


def _strip_comment(line: str) -> str:
    line = re.sub(r"<!--.*?-->", "", line)
    return line.split("#")[0].rstrip()


def parse_verbs(path: Path) -> dict:
    synsets: dict[str, list[str]] = {}
    blocks: list[dict] = []
    cur_syn = None
    cur = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = _strip_comment(raw)
        if not line.strip():
            continue
        s = line.strip()
        m = re.match(r"^---\s*(.+?)\s*((?:\[[^\]]*\]\s*)+)---", s)
        if m:
            codes = re.findall(r"\[([^\]]*)\]", m.group(2))
            cur = {"name": m.group(1).strip().rstrip("_"), "code": codes[0].strip(), "verbs": [], "patterns": []}
            blocks.append(cur)
            cur_syn = None
            continue
        if s.startswith("&") and cur_syn is None or (s.startswith("&") and not s.startswith("&") is False and " " not in s.strip()):
            if s.startswith("&"):
                cur_syn = s.strip().rstrip("_")
                synsets[cur_syn] = []
                continue
        if cur_syn and s.startswith("+"):
            synsets[cur_syn].append(s[1:].strip().rstrip("_"))
            continue
        if s.startswith("-"):
            cur_syn = None
            if cur is None:
                continue
            m = re.match(r"^-\s*(.*?)\s*\[([^\]]*)\]", s)
            if not m:
                continue
            pat, code = m.group(1), m.group(2).strip()
            cur["patterns"].append({"pattern": pat, "code": code})
            continue
        if cur is not None:
            cur_syn = None
            # verb line: WORD {FORMS} [code]?  (+ marks phrasal verbs)
            m = re.match(r"^(\+?)([^{\[]+?)\s*(\{[^}]*\})?\s*(\[[^\]]*\])?\s*$", s)
            if not m:
                continue
            word = m.group(2).strip()
            forms = m.group(3)[1:-1].split() if m.group(3) else []
            code = m.group(4)[1:-1].strip() if m.group(4) else None
            cur["verbs"].append({"verb": word, "forms": [f.lstrip("+") for f in forms], "code": code})
    return {"synsets": synsets, "blocks": blocks}


def parse_actors(path: Path) -> dict:
    actors: dict[str, object] = {}
    pending: list[str] = []
    last_codes = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = _strip_comment(raw)
        if not line.strip():
            continue
        s = line.strip()
        codes = re.findall(r"\[([^\]]*)\]", s)
        name = re.sub(r"\[[^\]]*\]", "", s).strip()
        if raw.startswith(("\t", " ")) and not name and codes:
            # continuation: dated code lines for the pending entry
            for n in pending:
                actors.setdefault(n, [])
                if isinstance(actors[n], list):
                    actors[n] += [c.strip() for c in codes]
            continue
        if name.startswith("+"):
            n = name[1:].strip().rstrip("_").replace("_", " ")
            if last_codes is not None:
                actors[n] = last_codes
            else:
                pending.append(n)
            continue
        n = name.rstrip("_").replace("_", " ").strip()
        if not n:
            continue
        if codes:
            last_codes = [c.strip() for c in codes]
            actors[n] = last_codes
            pending = [n]
        else:
            last_codes = None
            pending = [n]
            actors[n] = []
    # entries whose codes came later via "+" lines sharing the list
    return {k: v for k, v in actors.items() if v}


def parse_agents(path: Path) -> dict:
    subs: dict[str, list[str]] = {}
    agents: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = _strip_comment(raw)
        s = line.strip()
        if not s:
            continue
        m = re.match(r"^!(\w+)!\s*=\s*(.+)$", s)
        if m:
            subs[m.group(1)] = [w.strip() for w in m.group(2).split(",")]
            continue
        m = re.match(r"^(.+?)\s*(\{[^}]*\})?\s*\[\s*([^\]]*?)\s*\]", s)
        if not m:
            continue
        name, plurals, code = m.group(1).strip(), m.group(2), m.group(3).replace(" ", "")
        names = [name]
        for key, vals in subs.items():
            if f"!{key}!" in name:
                names = [name.replace(f"!{key}!", v) for v in vals]
        if plurals and plurals.strip("{} "):
            names += plurals.strip("{} ").split()
        for n in names:
            agents[n.rstrip("_").replace("_", " ").strip()] = code
    return agents


def parse_discards(path: Path) -> list[str]:
    out = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        s = _strip_comment(raw).strip()
        if s:
            out.append(s.lstrip("+").strip().replace("_", " "))
    return out


def main(src: str | None = None) -> None:
    if src:
        d = Path(src)
    else:
        from flashpoint.paths import shared_data_dir

        base = shared_data_dir()
        if base is None:
            sys.exit("shared data not found; pass the petrarch_dictionaries folder")
        d = base / "reference" / "petrarch_dictionaries"
    OUT.mkdir(parents=True, exist_ok=True)
    note = ("Derived from the PETRARCH-2 validation dictionaries (openeventdata/petrarch2 @ 676801cd, "
            "MIT License, (c) 2014 Open Event Data Alliance) by training/build_cameo_lexicon.py")
    for name, obj in (("petr_validate_verbs.json", parse_verbs(d / "PETR.Validate.verbs.txt")),
                      ("petr_validate_actors.json", parse_actors(d / "PETR.Validate.actors.txt")),
                      ("petr_validate_agents.json", parse_agents(d / "PETR.Validate.agents.txt")),
                      ("petr_validate_discards.json", parse_discards(d / "PETR.Validate.discards.txt"))):
        (OUT / name).write_text(json.dumps({"_source": note, "data": obj}, indent=0, ensure_ascii=False),
                                encoding="utf-8")
        print(name, len(obj) if not isinstance(obj, dict) or "blocks" not in obj else len(obj["blocks"]))
    full_note = ("Derived from PETRARCH-2's CAMEO verb dictionary CAMEO.2.0.txt (openeventdata/petrarch2 @ 676801cd, "
                 "MIT License, (c) 2015 Open Event Data Alliance) by training/build_cameo_lexicon.py")
    (OUT / "cameo_verbs.json").write_text(json.dumps({"_source": full_note, "data": parse_verbs(d / "CAMEO.2.0.txt")},
                                                     indent=0, ensure_ascii=False), encoding="utf-8")
    (OUT / "LICENSE-PETRARCH.txt").write_text((d / "LICENSE").read_text(encoding="utf-8"), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
