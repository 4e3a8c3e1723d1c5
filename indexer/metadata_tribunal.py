"""Metadata of tribunal decisions: heading, own references, promulgation date, outcome and authority."""
from __future__ import annotations

import re

from indexer.metadata_common import DATE_RE, iso_from_match
from indexer.metadata_ico import quoted_request
from indexer.metadata_parties import authority_from_body, authority_from_parties, parse_parties
from indexer.references import find_references, reference_kind

# The heading ends where the decision itself starts; "Decision Promulgated" table cells must not end it.
_HEADING_END = re.compile(
    r"^\s*(?:DECISION(?:\s+AND\s+REASONS)?|REASONS(?:\s+FOR\s+DECISION)?|JUDGMENT|RULING|"
    r"Decision(?:\s+and\s+Reasons)?|Reasons(?:\s+for\s+Decision)?|Background|Introduction|"
    r"Summary of Decision|(?:1|I)\.?\s+(?:This|The|By|On|In|Mr|Mrs|Ms|Dr)\b.*)\s*:?\s*$",
    re.MULTILINE,
)
_PROMULGATED_LABEL = re.compile(
    r"(?:date\s+(?:of\s+)?promulgat(?:ed|ion)|promulgat(?:ed|ion)\s+date|decision\s+promulgated)\s*(?:on)?\s*:?",
    re.IGNORECASE)
_PROMULGATED = re.compile(r"promulgat(?:ed|ion)\s*(?:on)?\s*:?", re.IGNORECASE)
_PROMULGATED_LINE = re.compile(r"^\s*Promulgated\s*(?:on)?\s*:?", re.IGNORECASE | re.MULTILINE)
_SIGNATURE = re.compile(r"(?:\bJudge|\bQ\.?C\.?|Chairman|\[Signed[^\]]*\])[ \t]*,?\n?(?:[ \t]*\n)?[ \t]*(?:Dated?\s*:?\s*)?(?=\d)")
_DECIDED = re.compile(r"(?:date\s+of\s+(?:the\s+)?decisions?|decision\s+date|decision\s+dated|decision\s+given)\s*:?",
                      re.IGNORECASE)
_SIGNED_DATE = re.compile(r"\b(?:dated|date|signed\s+on|date\s+of\s+signing)(?:\s+this)?\s*[:.]?\s*", re.IGNORECASE)
_BEFORE = re.compile(r"\bBEFORE\b|\n\s*\n")
# "appeal[s] [EA/2013/0148 by John Slater] is [therefore] allowed", "the Tribunal dismisses this appeal", ...
_APPEAL_IS = r"appeals?\s+(?:[\w/.]+\s+){0,5}?(?:is|are|be|was|were|has\s+been|have\s+been)\s+(?:[\w]+ly,?\s+){0,2}"
_THE_APPEAL = r"(?:(?:the|this|these|both|all|his|her|its|their)\s+|[A-Z][\w]*[’']s\s+)(?:[\w’']+\s+){0,2}?appeals?"
_OUTCOME = re.compile(
    rf"(?P<withdrawn>{_APPEAL_IS}withdrawn)"
    rf"|(?P<struck>(?:appeals?|proceedings|claim)\s+(?:is|are|was|were|has\s+been|will\s+be)\s+(?:\w+ly\s+)?struck\s+out|"
    rf"(?<!to\s)strikes?\s+out\s+{_THE_APPEAL})"
    rf"|(?P<part>{_APPEAL_IS}(?:allowed|upheld)\s*,?\s+(?:in\s+part|to\s+the\s+extent|only\s+in\s+part)|"
    rf"(?:allows?|upholds?)\s+(?:the|this)\s+(?:\w+\s+){{0,2}}?\w+,?\s+in\s+part|"
    rf"allows?\s+{_THE_APPEAL}\s+(?:insofar|in\s+so\s+far|to\s+the\s+extent|on\s+one|only\s+in)|"
    rf"dismiss(?:es)?\s+{_THE_APPEAL}\s+(?:except|save|other\s+than)|partially\s+allows?|"
    rf"(?:upheld|upholds?\s+the\s+(?:\w+\s+)?decision\s+notice[^.]{{0,80}}?),?\s+(?:save|except)\b|(?:partly|partially|part)[\s-]+(?:allowed|upheld)|succeeds?\s+in\s+part|"
    rf"{_APPEAL_IS}dismissed\s+in\s+part|partly\s+successful)"
    rf"|(?P<allowed>{_APPEAL_IS}(?:allowed|upheld)|(?<!to\s)allows?\s+{_THE_APPEAL}|appeals?\s+succeeds?\b|"
    rf"appeal\s+(?:allowed|upheld)|\bis\s+set\s+aside\b|"
    rf"decision\s+notice\s+(?:\S+\s+){{0,8}}?is\s+(?:not\s+in\s+accordance\s+with\s+the\s+law|set\s+aside))"
    rf"|(?P<dismissed>{_APPEAL_IS}(?:dismissed|refused|denied|not\s+upheld)|appeal\s+could\s+not\s+be\s+upheld|"
    rf"(?<!to\s)(?:dismiss(?:es|ed)?|refus(?:es|ed|e))\s+{_THE_APPEAL}|appeals?\s+(?:fails?|does\s+not\s+succeed)|"
    rf"appeal\s+(?:dismissed|refused)|summary\s+dismissal|disposed\s+of\s+summarily|upholds?\s+the\s+(?:\w+\s+)?decision\s+notice|"
    rf"decision\s+notice\s+(?:\S+\s+){{0,8}}?is\s+upheld)",
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
_LABELLED_REF = re.compile(r"(?:Appeal|Case)s?\s+(?:No|Number|Reference|Ref)s?\.?\s*:?\s*(?:(?:Appeal|Case)\s+No\.?\s*)?",
                           re.IGNORECASE)
# "EA/2014/0094, 0160, 0234 & 0311" and "EA/2013/52 & 153" list several appeals under one year.
_MORE_NUMBERS = re.compile(r"(?:\s*(?:,|&|and)\s*(\d{2,4})(?![\d/]))+")
_LEADING = 400


def _with_continuations(text: str, refs: list[tuple[str, str, int]]) -> list[str]:
    out = []
    for norm, raw, off in refs:
        out.append(norm)
        more = _MORE_NUMBERS.match(text, off + len(raw))
        if more and reference_kind(norm) == "appeal" and norm.startswith("EA/"):
            out.extend(f"{norm[:8]}{int(n):04d}" for n in re.findall(r"\d+", more.group(0)))
    return out


def own_references(text: str, head: str) -> list[str]:
    """Appeal numbers and neutral citations of this decision: those after an "Appeal No"/"Case No" label or at
    the very top; failing that, those in the heading before any list of cases cited."""
    upper = any(n.startswith("[") and "UKUT" in n for n, _raw, _off in find_references(text[:600]))
    kinds = ("appeal", "ncn")
    found = [f for f in find_references(text[:_LEADING + 40]) if reference_kind(f[0]) in kinds and f[2] < _LEADING]
    for m in _LABELLED_REF.finditer(head):
        found.extend((n, raw, m.end() + off) for n, raw, off in find_references(text[m.end(): m.end() + 40])
                     if off == 0 and reference_kind(n) in kinds)
    if not found:
        cut = _CASE_LIST.search(head)
        found = [f for f in find_references(head[: cut.start()] if cut else head) if reference_kind(f[0]) in kinds]
    if upper:
        # A UT decision names the FTT case it came from: a cited document, not this one.
        on_appeal = head.lower().find("on appeal from")
        found = [f for f in found if on_appeal < 0 or f[2] < on_appeal]
    else:
        found = [f for f in found if f[0].startswith(("EA/", "["))]
    return list(dict.fromkeys(_with_continuations(text, sorted(found, key=lambda f: f[2]))))


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
    """Promulgation date, else the decision date in the heading, else the date under the judge's signature,
    else any decision-date label, else the last "Dated" near the end."""
    tail_start = max(0, len(text) - 3000)
    found = (_date_after(text, _PROMULGATED_LABEL, window=80) or _date_after(text, _PROMULGATED_LINE, window=60)
             or _date_after(head, _PROMULGATED) or _date_after(head, _DECIDED)
             or _date_after(text, _SIGNATURE, len(head) + (len(text) - len(head)) // 3, window=40)
             or _date_after(text, _DECIDED, window=60))
    if found:
        return found
    last = None
    for m in _SIGNED_DATE.finditer(text, tail_start):
        d = DATE_RE.match(text, m.end()) or DATE_RE.search(text, m.end(), m.end() + 40)
        if d and iso_from_match(d):
            last = iso_from_match(d)
    if last:
        return last
    closing = [iso_from_match(d) for d in DATE_RE.finditer(text, max(0, len(text) - 600))]
    return next((d for d in reversed(closing) if d), None)


def outcome(text: str, start: int) -> str | None:
    """Outcome stated with the decision (heading or just after it), else the last one in the conclusion,
    else the first anywhere. Allowing one appeal and dismissing another in the same decision is "part allowed"."""
    m = _OUTCOME.search(text, 0, start + 3000)
    if m and m.lastgroup in ("allowed", "dismissed"):
        others = {"allowed", "dismissed", "part"} - {m.lastgroup}
        if any(n.lastgroup in others for n in _OUTCOME.finditer(text, m.end(), m.end() + 400)):
            return "part allowed"
    if not m:
        tail = list(_OUTCOME.finditer(text, max(0, len(text) - 4000)))
        m = tail[-1] if tail else _OUTCOME.search(text)
    return _OUTCOME_NAMES[m.lastgroup] if m else None


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
        "request_text": quoted_request(text),
    }
