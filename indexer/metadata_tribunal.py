"""Metadata of tribunal decisions: heading, own references, promulgation date, outcome and authority."""
from __future__ import annotations

import re

from indexer.metadata_common import DATE_RE, iso_from_match
from indexer.metadata_parties import authority_from_body, authority_from_parties, parse_parties
from indexer.references import find_references, reference_kind

# The heading ends where the decision itself starts; "Decision Promulgated" table cells must not end it.
_HEADING_END = re.compile(
    r"^\s*(?:DECISION(?:\s+AND\s+REASONS)?|REASONS(?:\s+FOR\s+DECISION)?|JUDGMENT|RULING|"
    r"Decision(?:\s+and\s+Reasons)?|Reasons(?:\s+for\s+Decision)?|Background|Introduction|"
    r"Summary of Decision|(?:1|I)\.?\s+(?:This|The|By|On|In|Mr|Mrs|Ms|Dr)\b.*)\s*:?\s*$",
    re.MULTILINE,
)
_LABELLED_DATES = [
    re.compile(r"(?:date\s+)?promulgat(?:ed|ion)(?:\s+date)?\s*(?:on)?\s*:?", re.IGNORECASE),
    re.compile(r"(?:date\s+of\s+(?:the\s+)?decisions?|decision\s+date|decision\s+dated|decision\s+given)\s*:?",
               re.IGNORECASE),
]
_SIGNED_DATE = re.compile(r"\b(?:dated|date|signed\s+on|date\s+of\s+signing)(?:\s+this)?\s*[:.]?\s*", re.IGNORECASE)
_BEFORE = re.compile(r"\bBEFORE\b|\n\s*\n")
_OUTCOME = re.compile(
    r"(?P<withdrawn>appeals?\s+(?:is|was|has\s+been|have\s+been)\s+withdrawn|withdrawal\s+of\s+the\s+appeal)"
    r"|(?P<struck>(?:appeal|proceedings|claim)\s+(?:is|are|be|was|were|has\s+been)\s+struck\s+out|strikes?\s+out\s+the\s+(?:appeal|proceedings))"
    r"|(?P<part>allowed?\s+(?:the\s+appeals?\s+)?in\s+part|(?:partly|partially|part)[\s-]+allowed|"
    r"appeals?\s+(?:is|are)\s+allowed\s+in\s+part|succeeds?\s+in\s+part|upheld?\s+in\s+part|allowed,?\s+in\s+part|"
    r"allowed\s+to\s+the\s+extent|dismissed\s+in\s+part|partly\s+successful|allows?\s+the\s+appeals?\s+in\s+part)"
    r"|(?P<allowed>appeals?\s+(?:is|are|be|was)\s+allowed|allows?\s+the\s+appeals?|appeals?\s+succeeds?|"
    r"appeal\s+allowed|substitut\w*\s+(?:the\s+following\s+)?decision\s+notice|"
    r"decision\s+notice\s+(?:\S+\s+){0,8}?is\s+(?:not\s+in\s+accordance\s+with\s+the\s+law|set\s+aside))"
    r"|(?P<dismissed>appeals?\s+(?:is|are|be|was)\s+(?:therefore\s+)?dismissed|dismiss(?:es|ed)?\s+the\s+appeals?|"
    r"appeals?\s+fails?|appeal\s+(?:dismissed|refused)|upholds?\s+the\s+(?:\w+\s+)?decision\s+notice|"
    r"decision\s+notice\s+(?:\S+\s+){0,8}?is\s+upheld)",
    re.IGNORECASE,
)
_OUTCOME_NAMES = {"withdrawn": "withdrawn", "struck": "struck out", "part": "part allowed", "allowed": "allowed",
                  "dismissed": "dismissed"}


def heading(text: str) -> tuple[str, int]:
    """The heading block (parties, references, dates) and where the decision text starts."""
    limit = min(len(text), 6000)
    m = _HEADING_END.search(text, 80, limit)
    end = m.start() if m else min(limit, 3000)
    return text[:end], end


_CASE_LIST = re.compile(r"^\s*(?:Cases?|Authorities)(?:\s+(?:considered|cited|referred\s+to))?\s*:|^\s*Subject\s+matter",
                        re.IGNORECASE | re.MULTILINE)
_LABELLED_REF = re.compile(r"(?:Appeal|Case)\s+(?:No|Number|Reference|Ref)s?\.?\s*:?\s*", re.IGNORECASE)


def own_references(text: str, head: str) -> list[str]:
    """Appeal numbers and neutral citations of this decision: in its heading (before any list of cases cited)
    or after an "Appeal No"/"Case No" label near the start."""
    cut = _CASE_LIST.search(head)
    region = head[: cut.start()] if cut else head
    on_appeal = region.lower().find("on appeal from")
    found = find_references(region)
    if any(n.startswith("[") and "UKUT" in n for n, _raw, _off in found) and on_appeal >= 0:
        # A UT decision names the FTT case it came from; that is a cited document, not this one.
        found = [f for f in found if f[2] < on_appeal]
    refs = [n for n, _raw, _off in found if reference_kind(n) in ("appeal", "ncn")]
    for m in _LABELLED_REF.finditer(text, 0, 8000):
        refs.extend(n for n, _raw, off in find_references(text[m.end(): m.end() + 60])
                    if off == 0 and reference_kind(n) == "appeal")
    return list(dict.fromkeys(refs))


def _date_after(text: str, pattern: re.Pattern, start: int = 0, window: int = 160) -> str | None:
    """Date following a label; old two-column headings list "heard on" then "promulgated" dates, so the last
    date before the next heading block wins."""
    for m in pattern.finditer(text, start):
        stop = _BEFORE.search(text, m.end() + 1, m.end() + window)
        dates = [iso_from_match(d) for d in DATE_RE.finditer(text, m.end(), stop.start() if stop else m.end() + window)]
        dates = [d for d in dates if d]
        if dates:
            return dates[-1] if len(dates) <= 3 else dates[0]
    return None


def decision_date(text: str, head: str) -> str | None:
    """Promulgation date, else the decision date, else the date beside the judge's signature."""
    for pattern in _LABELLED_DATES:
        found = _date_after(head, pattern) or _date_after(text, pattern, window=60)
        if found:
            return found
    tail_start = max(0, len(text) - max(3000, len(text) // 4))
    last = None
    for m in _SIGNED_DATE.finditer(text, tail_start):
        d = DATE_RE.match(text, m.end()) or DATE_RE.search(text, m.end(), m.end() + 40)
        if d and iso_from_match(d):
            last = iso_from_match(d)
    return last


def outcome(text: str, start: int) -> str | None:
    """Outcome from the first decisive phrase after the heading, else anywhere in the text."""
    for lo, hi in ((start, start + 4000), (0, len(text))):
        m = _OUTCOME.search(text, lo, hi)
        if m:
            return _OUTCOME_NAMES[m.lastgroup]
    return None


def tribunal_fields(text: str) -> dict:
    """Fields specific to tribunal decisions."""
    head, start = heading(text)
    parties = parse_parties(head)
    authority = authority_from_parties(parties) or authority_from_body(text[start:])
    return {
        "references": own_references(text, head),
        "date": decision_date(text, head),
        "outcome": outcome(text, start),
        "authority": authority,
        "parties": parties,
    }
