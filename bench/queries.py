"""A bounded, reproducible mix of real search queries drawn from the shared labels, for latency benchmarks."""
from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from config import PROJECT_ROOT

LABELS = PROJECT_ROOT.parent / "shared" / "labels"
PER_KIND = 8
SEED = 20260327
_WORD = re.compile(r"[A-Za-z]{5,}")
# Label values that name no one: placeholders and the respondent every appeal shares.
_NOT_AN_AUTHORITY = {"", "information commissioner", "n/a", "none", "ic", "ico"}


@dataclass(frozen=True)
class Query:
    kind: str   # title | reference | authority | section | phrase | syntax
    q: str


def _tribunal_rows(labels: Path) -> list[dict[str, str]]:
    """Label rows of the tribunal decisions present in the corpus (the PDF subset)."""
    ids = set((labels / "pdf-subset-ids.txt").read_text(encoding="utf-8").split())
    with open(labels / "tribunal-metadata.csv", encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["ID"] in ids]


def _authority(row: dict[str, str]) -> str:
    for column in ("Public Agency in Question (Where it is not a respondent)", "Additional.Party.1", "Respondent.1"):
        value = (row.get(column) or "").strip()
        if value.lower() not in _NOT_AN_AUTHORITY:
            return value
    return ""


def _ico_notices(labels: Path) -> list[dict]:
    return json.loads((labels / "ico-notices-2026.json").read_text(encoding="utf-8"))


def _phrases(notices: list[dict], rng: random.Random, words: int = 6) -> list[str]:
    """Runs of consecutive words from the notices' abstracts, as a user would paste them."""
    phrases = []
    for notice in notices:
        tokens = (notice.get("description") or "").split()
        if len(tokens) > words:
            start = rng.randrange(len(tokens) - words)
            phrases.append(" ".join(tokens[start:start + words]).strip(".,;:()\"'“”"))
    return phrases


def _ico_refs(labels: Path) -> list[str]:
    with open(labels / "tribunal-to-ico-notice-refs.csv", encoding="utf-8-sig", newline="") as handle:
        return [row["ico_notice_ref"] for row in csv.DictReader(handle) if row["in_pdf_subset"] == "1"]


def _syntax(authorities: list[str], sections: list[str], phrases: list[str], rng: random.Random) -> list[str]:
    """Keyword-syntax queries built from real values: phrases, fields, boolean operators."""
    words = sorted({w.lower() for p in phrases for w in _WORD.findall(p)})
    out = []
    for i in range(PER_KIND):
        a, b = rng.sample(words, 2)
        out.append([
            f'"{rng.choice(phrases)}"',
            f'section:"{rng.choice(sections)}" AND {a}',
            f'authority:"{rng.choice(authorities)}"',
            f"{a} OR {b}",
            f"{a} NOT {b}",
            f'title:{a} "public interest"',
        ][i % 6])
    return out


def _pick(values: list[str], rng: random.Random) -> list[str]:
    unique = sorted(dict.fromkeys(v.strip() for v in values if v and v.strip()))
    return rng.sample(unique, min(PER_KIND, len(unique)))


def real_queries(labels: Path = LABELS, seed: int = SEED) -> list[Query]:
    """PER_KIND queries of each kind, the same every run; raises FileNotFoundError when the labels are absent."""
    rng = random.Random(seed)
    rows = _tribunal_rows(labels)
    notices = _ico_notices(labels)
    authorities = [_authority(r) for r in rows] + [n["title"] for n in notices]
    sections = [s for n in notices for s in n.get("sections") or []]
    phrases = _phrases(notices, rng)
    refs = [r["Reference.1.Original"] for r in rows] + _ico_refs(labels)
    kinds = {
        "title": _pick([r["Case.Title"] for r in rows], rng),
        "reference": _pick(refs, rng),
        "authority": _pick(authorities, rng),
        "section": [f"section {s.split(' ', 1)[-1]}" for s in _pick(sections, rng)],
        "phrase": _pick(phrases, rng),
        "syntax": _syntax(_pick(authorities, rng), sorted(set(sections)), phrases, rng),
    }
    return [Query(kind, q) for kind, values in kinds.items() for q in values]


def long_text(labels: Path = LABELS, words: int = 1500) -> str:
    """About `words` words of real decision-notice text, for POST /api/similar."""
    tokens: list[str] = []
    for notice in _ico_notices(labels):
        tokens.extend((notice.get("text") or "").split())
        if len(tokens) >= words:
            break
    return " ".join(tokens[:words])


if __name__ == "__main__":
    for query in real_queries():
        print(f"{query.kind:10} {query.q}")
