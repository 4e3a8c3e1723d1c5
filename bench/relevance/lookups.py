"""Look-up query sets: a case title, a reference or an ICO summary -> the document it names.

Case titles: the labelled Case.Title of every subset decision and 2026 record, plus seeded variants (respondent
"IC" / "Information Commissioner" / "The Information Commissioner", appellant with and without Mr/Mrs/Ms/Dr/The,
trailing "(Derogation)"-style notes dropped). Relevant: the decision and the other decisions of its appeal;
where the same title (up to those variants) names decisions of several appeals (a repeat appellant, "Cabinet
Office v IC"), the query cannot tell them apart and any of them answers it.
References: each labelled appeal reference (EA/2010/0123, "EA 2010 123", ea/2010/0123, EA/2010/123), each ICO
notice reference a subset decision mentions (labels/tribunal-to-ico-notice-refs.csv: FS50123456, "FS 50123456"),
each IC-123456-A1B2 notice reference of the ICO labels and each 2026 neutral citation, in seeded forms.
Relevant: any decision of the appeal (for FS/FER: the decisions mentioning it; for IC: the notice itself).
Summaries: the ICO's own abstract of each notice in corpus/ico-notices (ico-notices-2026.json description,
ico-search-api-2025-12.json description). The tribunal-2026 records carry no abstract (the UT ones only say
"decision by Judge X on <date>"), so they have no summary queries.
"""
from __future__ import annotations

import csv
import json
import random
import re
from pathlib import Path

from bench.relevance.queries import SEED, Query
from bench.relevance.tribunal_labels import UnionFind, appeal_groups, members, recent_decisions, subset_decisions

_VERSUS = re.compile(r"\s+v\.?\s+", re.IGNORECASE)
_COMMISSIONER = re.compile(r"^(?:\(1\)\s*)?(?:the\s+)?(?:information\s+commissioner(?:'s\s+office)?|ico?)\b",
                           re.IGNORECASE)
_HONORIFIC = re.compile(r"^(?:(?:mr|mrs|ms|miss|dr)\.?(?:\s+and\s+(?:mr|mrs|ms|miss|dr)\.?)?|the)\s+",
                        re.IGNORECASE)
_TRAILING_NOTE = re.compile(r"\s*\([^)]*\)\s*$")
COMMISSIONER_FORMS = ("IC", "Information Commissioner", "The Information Commissioner")


def title_variants(title: str) -> list[str]:
    """The title first, then its respondent/honorific variants (distinct, case-insensitively)."""
    parts = _VERSUS.split(title, maxsplit=1)
    out = [title]
    if len(parts) == 2:
        appellant, respondent = parts[0].strip(), _TRAILING_NOTE.sub("", parts[1]).strip()
        appellants = [appellant, _HONORIFIC.sub("", appellant)]
        respondents = COMMISSIONER_FORMS if _COMMISSIONER.match(respondent) else (respondent,)
        out += [f"{a} v {r}" for a in appellants for r in respondents]
    seen: set[str] = set()
    return [t for t in out if not (t.lower() in seen or seen.add(t.lower()))]


def _title_key(title: str) -> str:
    # Titles equal up to the variants above name the same case for a searcher.
    return min(t.lower() for t in title_variants(title))


def case_title_queries(shared: Path, variants_per_case: int = 3, seed: int = SEED) -> list[Query]:
    """The labelled title and up to variants_per_case - 1 seeded variants per decision."""
    decisions = [d for d in subset_decisions(shared) + recent_decisions(shared) if d.title]
    groups = appeal_groups(decisions)
    # Decisions whose titles are equal up to the variants are one case for a searcher (a repeat appellant):
    # any of them answers the look-up, and they share a split group.
    named = UnionFind()
    for d in decisions:
        named.union("title:" + _title_key(d.title), groups[d.path])
    cases = members({d.path: named.find(groups[d.path]) for d in decisions})
    rng = random.Random(seed)
    out = []
    for d in decisions:
        case = named.find(groups[d.path])
        forms = title_variants(d.title)
        chosen = forms[:1] + rng.sample(forms[1:], min(len(forms) - 1, variants_per_case - 1))
        relevant = {p: 1 for p in cases[case]}
        out += [Query(f"title:{d.path}:{i}", text, relevant, case) for i, text in enumerate(chosen)]
    return out


def appeal_forms(ref: str) -> list[str]:
    """EA/2010/0123 -> the canonical form, then EA 2010 123, ea/2010/0123, EA/2010/123; others as they are."""
    m = re.fullmatch(r"EA/(\d{4})/(\d{4})", ref)
    if not m:
        return [ref]
    year, number = m.group(1), int(m.group(2))
    return [ref, f"EA {year} {number}", ref.lower(), f"EA/{year}/{number}"]


def notice_forms(ref: str) -> list[str]:
    """FS50123456 / IC-123456-A1B2 / neutral citation -> canonical, spaced and lower-case forms."""
    if ref.startswith("["):
        m = re.fullmatch(r"\[(\d{4})\] (\w+) (\d+) \((\w+)\)", ref)
        return [ref, f"{m.group(1)} {m.group(2)} {m.group(3)}", f"[{m.group(1)}] {m.group(2)} {m.group(3)}"] if m \
            else [ref]
    spaced = re.sub(r"^(FS|FER)(\d+)$", r"\1 \2", ref).replace("-", " ")
    return list(dict.fromkeys([ref, spaced, ref.lower()]))


def reference_kind(ref: str) -> str:
    """appeal (EA/...), notice (FS/FER: older ICO notices), ic (IC-...: current notices) or citation."""
    if ref.startswith("["):
        return "citation"
    return "ic" if ref.startswith("IC-") else "notice" if ref.startswith(("FS", "FER")) else "appeal"


def _ico_notice_paths(shared: Path) -> dict[str, str]:
    """IC reference -> corpus path of the notice, from the ICO labels' URLs."""
    folder = shared / "corpus" / "ico-notices"
    urls = [r["url"] for r in json.loads((shared / "labels" / "ico-notices-2026.json").read_text(encoding="utf-8"))]
    api = json.loads((shared / "labels" / "ico-search-api-2025-12.json").read_text(encoding="utf-8"))
    urls += [r["url"] for r in api["results"]]
    out = {}
    for url in urls:
        slug = url.rstrip("/").rsplit("/", 1)[-1].lower()
        found = sorted(folder.glob(f"{slug}.*"))
        if found:
            out[slug.upper()] = f"ico-notices/{found[0].name}"
    return out


def _notice_mentions(shared: Path, subset: set[str]) -> dict[str, set[str]]:
    """FS/FER reference -> subset decisions mentioning it."""
    out: dict[str, set[str]] = {}
    with open(shared / "labels" / "tribunal-to-ico-notice-refs.csv", encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            path = f"tribunal/{row['tribunal_id'].strip()}.pdf"
            if path in subset:
                out.setdefault(row["ico_notice_ref"].strip().upper(), set()).add(path)
    return out


def reference_queries(shared: Path, forms_per_reference: int = 2, seed: int = SEED) -> list[Query]:
    """Every labelled reference in its canonical form and forms_per_reference - 1 seeded other forms."""
    decisions = subset_decisions(shared) + recent_decisions(shared)
    groups = appeal_groups(decisions)
    by_group = members(groups)
    targets: dict[str, tuple[set[str], list[str]]] = {}
    for d in decisions:
        for ref in d.refs:
            targets[ref] = (set(by_group[groups[d.path]]), appeal_forms(ref) if ref.startswith("EA") else
                            notice_forms(ref))
    for ref, paths in _notice_mentions(shared, set(groups)).items():
        targets[ref] = (paths, notice_forms(ref))
    for ref, path in _ico_notice_paths(shared).items():
        targets[ref] = ({path}, notice_forms(ref))
    # A notice mentioned by decisions of two appeals joins them, so the split keeps both in one half.
    sets = UnionFind()
    for paths, _forms in targets.values():
        for path in paths:
            sets.union(groups.get(path, path), groups.get(min(paths), min(paths)))
    rng = random.Random(seed)
    out = []
    for ref, (paths, forms) in sorted(targets.items()):
        chosen = forms[:1] + rng.sample(forms[1:], min(len(forms) - 1, forms_per_reference - 1))
        group = sets.find(groups.get(min(paths), min(paths)))
        out += [Query(f"ref:{ref}:{i}", text, {p: 1 for p in paths}, group, stratum=reference_kind(ref))
                for i, text in enumerate(chosen)]
    return out


def summary_queries(shared: Path) -> list[Query]:
    """The ICO abstract of each notice in corpus/ico-notices -> that notice (POST /api/similar applies too)."""
    paths = _ico_notice_paths(shared)
    labels = shared / "labels"
    records = json.loads((labels / "ico-notices-2026.json").read_text(encoding="utf-8"))
    records += json.loads((labels / "ico-search-api-2025-12.json").read_text(encoding="utf-8"))["results"]
    out = []
    for record in records:
        ref = record["url"].rstrip("/").rsplit("/", 1)[-1].upper()
        text = " ".join((record.get("description") or "").split())
        if ref in paths and text:
            out.append(Query(f"summary:{ref}", text, {paths[ref]: 1}, paths[ref], similar_text=text))
    return out
