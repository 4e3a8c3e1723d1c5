"""Topical query set: short queries naming an exemption and a kind of authority, with graded judgments.

Judgments, per corpus document that has labels:
  provisions at issue - ICO notices: their labelled `sections` (ico-notices-2026.json, ico-search-api-2025-12.json).
    Tribunal decisions: the labels carry no exemption (tribunal-metadata.csv `Reason for Refusal.1/.2` only says
    "Substantive" / "Procedural" refusal), so a provision is at issue when the decision's own text
    (scale/tribunal-2524-text.tar.gz, pypdf text independent of the index) names it at least 3 times and at
    least a quarter as often as its most-named exemption. This is a silver label: it follows the text, which
    favours keyword matching of the section number a little.
  authority kind - from the labelled public body: tribunal-metadata.csv authority columns (and a public-body
    appellant), the ICO notices' authority; classified by name (police, council, government department, NHS,
    university, BBC).
Grades: 2 = a provision of the query is at issue and the authority is of the query's kind;
        1 = a provision of the query is at issue (the authority differs or is unknown); 0 otherwise.
Documents without labels (disclosure logs, WhatDoTheyKnow pages, 2026 decisions, scans) are judged 0.
Queries: every (provision, kind) with at least MIN_STRONG documents of grade 2 and every provision with at least
MIN_STRONG documents at issue (kind-less query, grades 1 only), each in FORMS_PER_QUERY seeded surface forms
("section 40 personal data police", "personal data police", "s.40 police", "regulation 12(4)(b) manifestly
unreasonable"). All relevant documents are wanted (need = number judged relevant).
"""
from __future__ import annotations

import random
import re
import tarfile
from collections import Counter
from pathlib import Path

from bench.metadata_gold import ico_gold, tribunal_gold
from bench.relevance.queries import SEED, Query

MIN_MENTIONS = 3
MIN_SHARE_OF_TOP = 0.25
MIN_STRONG = 2
FORMS_PER_QUERY = 2
# FOIA Part II exemptions and s12/s14, EIR exceptions: key -> the words people use for it.
PROVISIONS = {
    "s12": "cost limit", "s14": "vexatious request", "s21": "reasonably accessible", "s22": "future publication",
    "s23": "security bodies", "s24": "national security", "s26": "defence", "s27": "international relations",
    "s29": "the economy", "s30": "investigations and proceedings", "s31": "law enforcement",
    "s32": "court records", "s33": "audit functions", "s35": "formulation of government policy",
    "s36": "prejudice to effective conduct of public affairs", "s37": "communications with the royal family honours",
    "s38": "health and safety", "s40": "personal data", "s41": "information provided in confidence",
    "s42": "legal professional privilege", "s43": "commercial interests", "s44": "prohibitions on disclosure",
    "r12(4)(a)": "information not held", "r12(4)(b)": "manifestly unreasonable", "r12(4)(c)": "request too general",
    "r12(4)(d)": "unfinished documents", "r12(4)(e)": "internal communications",
    "r12(5)(a)": "public safety national security", "r12(5)(b)": "course of justice",
    "r12(5)(c)": "intellectual property rights", "r12(5)(d)": "confidentiality of proceedings",
    "r12(5)(e)": "commercial confidentiality", "r12(5)(f)": "interests of the information provider",
    "r12(5)(g)": "protection of the environment", "r13": "personal data",
}
# Kind -> (query words, name pattern). First match wins: "Department of Health" is a government department.
KINDS = {
    "police": ("police", r"\bpolice\b|constabulary"),
    "government": ("government department", r"\b(?:department|ministry|cabinet office|home office|foreign|treasury|"
                   r"revenue and customs|scotland office|secretary of state|attorney general|defra|dbis)\b"),
    "council": ("council", r"(?:london|royal) borough|\bmbc\b|\b(?:borough|district|county|city|parish|town)\b.*\bcouncil\b|"
                r"^(?!.*\b(?:medical|research|sports?|funding|midwifery|professions|national|privy|arts)\b)"
                r"[\w' &.-]+ council$"),
    "health": ("NHS", r"\bnhs\b|hospital|primary care|health\s*(?:care|&\s*social|and social)"),
    "university": ("university", r"universit|\bcollege\b"),
    "bbc": ("BBC", r"\bbbc\b|british broadcasting"),
}
_SECTION = re.compile(r"\b(?:sections?|ss?\.?)\s*(\d{1,2})(?!\d)", re.IGNORECASE)
_REGULATION = re.compile(r"\b(?:regulations?|regs?\.?|r\.)\s*(1[23])(?:\s*\(\s*([45])\s*\)\s*\(\s*([a-g])\s*\))?",
                         re.IGNORECASE)
_LABEL_SECTION = re.compile(r"^(FOI|EIR)\s+(\d+)(?:\((\d)\)(?:\(([a-g])\))?)?", re.IGNORECASE)


def authority_kind(name: str) -> str | None:
    """The kind of a public body from its name, or None."""
    cleaned = " ".join(re.sub(r"\([^)]*\)", " ", name).split()).lower()
    return next((kind for kind, (_w, pattern) in KINDS.items() if re.search(pattern, cleaned)), None)


def provisions_in_text(text: str) -> set[str]:
    """Exemptions a decision's text is about: named >= MIN_MENTIONS times and >= MIN_SHARE_OF_TOP of the top one."""
    counts: Counter = Counter(f"s{int(m.group(1))}" for m in _SECTION.finditer(text))
    for m in _REGULATION.finditer(text):
        counts["r13" if m.group(1) == "13" else f"r12({m.group(2)})({(m.group(3) or '').lower()})"] += 1
    counts = Counter({key: n for key, n in counts.items() if key in PROVISIONS})
    top = max(counts.values(), default=0)
    return {key for key, n in counts.items() if n >= MIN_MENTIONS and n >= MIN_SHARE_OF_TOP * top}


def label_provision(section: str) -> str | None:
    """An ICO label section ("FOI 40(2)", "EIR 12(4)(b)") -> a PROVISIONS key, or None for other provisions."""
    m = _LABEL_SECTION.match(section.strip())
    if not m:
        return None
    number = int(m.group(2))
    key = f"s{number}" if m.group(1).upper() == "FOI" else ("r13" if number == 13 else
                                                             f"r{number}({m.group(3)})({m.group(4)})")
    return key if key in PROVISIONS else None


def _tribunal_texts(shared: Path, ids: set[str]) -> dict[str, str]:
    out = {}
    with tarfile.open(shared / "scale" / "tribunal-2524-text.tar.gz") as archive:
        for member in archive:
            tid = Path(member.name).stem
            if member.isfile() and tid in ids:
                out[tid] = archive.extractfile(member).read().decode("utf-8", errors="replace")
    return out


def labelled_documents(shared: Path) -> dict[str, tuple[set[str], set[str]]]:
    """Corpus path -> (provisions at issue, authority kinds) for every document with labels."""
    gold = tribunal_gold(shared)
    texts = _tribunal_texts(shared, set(gold))
    out: dict[str, tuple[set[str], set[str]]] = {}
    for tid, record in gold.items():
        names = record["authorities"] + ([record["appellant_body"]] if record["appellant_body"] else [])
        kinds = {k for k in map(authority_kind, names) if k}
        out[f"tribunal/{tid}.pdf"] = (provisions_in_text(texts.get(tid, "")), kinds)
    folder = shared / "corpus" / "ico-notices"
    for ref, record in ico_gold(shared).items():
        found = sorted(folder.glob(f"{ref}.*"))
        if found:
            provisions = {p for p in map(label_provision, record["sections"]) if p}
            kind = authority_kind(record["authority"])
            out[f"ico-notices/{found[0].name}"] = (provisions, {kind} if kind else set())
    return out


def grades(documents: dict[str, tuple[set[str], set[str]]], provisions: set[str], kind: str | None) -> dict[str, int]:
    """Graded judgments of a query on these provisions and (optionally) this authority kind."""
    out = {}
    for path, (at_issue, kinds) in documents.items():
        if at_issue & provisions:
            out[path] = 2 if kind and kind in kinds else 1
    return out


def surface_forms(provision: str, kind: str | None) -> list[str]:
    """Ways to type a query on a provision (and a kind of authority). A name two provisions share ("personal
    data": FOIA s40 and EIR reg 13) is only used with the number, so no query text has two judgments."""
    name = PROVISIONS[provision]
    numbers = ([f"section {provision[1:]}", f"s.{provision[1:]}"] if provision.startswith("s")
               else [f"regulation {provision[1:]}", f"reg {provision[1:]}"])
    tail = f" {KINDS[kind][0]}" if kind else ""
    forms = [f"{numbers[0]} {name}{tail}", f"{numbers[1]}{tail}" if kind else f"{numbers[1]} {name}"]
    if list(PROVISIONS.values()).index(name) == list(PROVISIONS).index(provision):
        forms.insert(1, f"{name}{tail}")
    return forms


def topical_queries(shared: Path, forms: int = FORMS_PER_QUERY, seed: int = SEED) -> list[Query]:
    """Provision x kind queries (and provision-only ones) that have enough strongly relevant documents."""
    documents = labelled_documents(shared)
    rng = random.Random(seed)
    out = []
    for provision in PROVISIONS:
        for kind in (None, *KINDS):
            relevant = grades(documents, {provision}, kind)
            strong = sum(1 for g in relevant.values() if g == (2 if kind else 1))
            if strong < MIN_STRONG:
                continue
            key = f"topic:{provision}:{kind or 'any'}"
            candidates = surface_forms(provision, kind)
            for i, text in enumerate(rng.sample(candidates, min(forms, len(candidates)))):
                out.append(Query(f"{key}:{i}", text, relevant, key, need=len(relevant)))
    return out
