"""Metadata of tribunal decisions: heading, own references, promulgation date, outcome and authority."""
from __future__ import annotations

import re

from indexer.metadata.authority import authority_from_body, authority_from_parties, organisation_appellant
from indexer.metadata.dates import decision_date
from indexer.metadata.ico import quoted_request
from indexer.metadata.parties import parse_parties
from indexer.references import find_references, normalise_reference, reference_kind

# The heading ends where the decision itself starts; "Decision Promulgated" table cells must not end it.
_HEADING_END = re.compile(
    r"^\s*(?:DECISION(?:\s+AND\s+REASONS)?|REASONS(?:\s+FOR\s+DECISION)?|JUDGMENT|RULING|"
    r"Decision(?:\s+and\s+Reasons)?|Reasons(?:\s+for\s+Decision)?|Background|Introduction|"
    r"Summary of Decision|(?:1|I)\.?\s+(?:This|The|By|On|In|Mr|Mrs|Ms|Dr)\b.*)\s*:?\s*$",
    re.MULTILINE,
)
# "appeal[s] [EA/2013/0148 by John Slater] is [therefore] allowed", "the Tribunal dismisses this appeal", ...
_APPEAL_IS = (r"(?<!permission\sto\s)appeals?\s+(?:[\w/.]+\s+){0,5}?(?:is|are|be|was|were|has\s+been|have\s+been)\s+"
              r"(?:(?:\w+ly|therefore|thus|hereby|also),?\s+){0,2}")
_THE_APPEAL = r"(?:(?:the|this|these|both|all|his|her|its|their)\s+|[A-Z][\w]*[’']s\s+)(?:[\w’']+\s+){0,2}?appeals?"
# "an application to strike out the appeal" proposes; "decided to" / "no alternative but to" decides.
_DECIDES = r"(?:(?<!to\s)|(?<=decided\sto\s)|(?<=decides\sto\s)|(?<=but\sto\s))"
_IN_PART = r"in\s+par\s?t\b"
_OUTCOME = re.compile(
    rf"(?P<withdrawn>{_APPEAL_IS}withdrawn)"
    rf"|(?P<struck>(?:appeals?|proceedings|claim)\s+(?:is|are|was|were|has\s+been|will\s+be)\s+(?:\w+ly\s+)?struck\s+out|"
    rf"{_DECIDES}strikes?\s+out\s+{_THE_APPEAL}|{_DECIDES}strikes?\s+{_THE_APPEAL}\s+out\b)"
    rf"|(?P<part>{_APPEAL_IS}(?:allowed|upheld)\s*,?\s+(?:{_IN_PART}|to\s+the\s+extent|only\s+{_IN_PART})|"
    rf"(?:allows?|upholds?)\s+(?:the|this)\s+(?:\w+\s+){{0,2}}?\w+,?\s+{_IN_PART}|"
    rf"allows?\s+{_THE_APPEAL}(?:\s+(?:insofar|in\s+so\s+far|to\s+the\s+extent|on\s+one|only\s+in)|"
    rf",?\s+with\s+the\s+exception\s+of)|"
    rf"dismiss(?:es)?\s+{_THE_APPEAL}\s+(?:except|save|other\s+than)|partially\s+allows?|"
    rf"dismiss(?:es)?\s+the\s+part\s+of\s+(?:the|this)\s+appeal|"
    rf"(?:upheld|upholds?\s+the\s+(?:\w+\s+)?decision\s+notice[^.]{{0,80}}?),?\s+(?:save|except)\b|"
    rf"(?:partly|partially|part)[\s-]+(?:allowed|upheld)|succeeds?\s+{_IN_PART}|"
    rf"{_APPEAL_IS}dismissed\s+{_IN_PART}|partly\s+successful)"
    rf"|(?P<allowed>{_APPEAL_IS}(?:allowed|upheld)|{_DECIDES}(?:allows?|upholds?|upheld)\s+{_THE_APPEAL}|"
    rf"appeals?\s+succeeds?\b|appeal\s+(?:allowed|upheld)|\bis\s+set\s+aside\b|"
    rf"(?:decision\s+notice|notice\s+of\s+decision)\s+(?:\S+\s+){{0,8}}?is\s+(?:hereby\s+)?"
    rf"(?:not\s+in\s+accordance\s+with\s+the\s+law|set\s+aside|substituted)|"
    rf"(?:decided|decides|finds?|found)\s+(?:in\s+favour\s+of|for)\s+the\s+appellants?\b)"
    rf"|(?P<dismissed>{_APPEAL_IS}(?:dismissed|refused|denied|not\s+upheld)|appeal\s+could\s+not\s+be\s+upheld|"
    rf"{_DECIDES}(?:dismiss(?:es|ed)?|refus(?:es|ed|e))\s+{_THE_APPEAL}|rejects?\s+the\s+appeals?\b|"
    rf"appeals?\s+(?:fails?|does\s+not\s+succeed)|appeal\s+(?:dismissed|refused)|summary\s+dismissal|"
    rf"disposed\s+of\s+summarily|upholds?\s+the\s+(?:\w+\s+)?decision\s+(?:notice|of\s+the\s+(?:Information\s+)?Commissioner)|"
    rf"decision\s+notice\s+(?:\S+\s+){{0,8}}?is\s+upheld(?!\s*,?\s*(?:save|except)\b)|"
    rf"(?:decided|decides|finds?|found)\s+(?:in\s+favour\s+of|for)\s+the\s+respondents?\b)",
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
# "EA/2014/0094, 0160, 0234 & 0311", "EA/2013/52 & 153", "EA/2011/0265/0266/0280": several appeals, one year.
_MORE_NUMBERS = re.compile(r"(?:\s*(?:,|&|and|/)\s*(\d{2,4})(?!\d)(?!/(?:19|20)\d\d/))+")
_LEADING = 400
# Old headings give "Appeal Number: 2007/0106" without the "EA/".
_BARE_APPEAL = re.compile(r"(?:19|20)\d\d/\d{1,4}(?![\d/])")


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
    cut = _CASE_LIST.search(head)
    found = [f for f in found if not cut or f[2] < cut.start()]
    for m in _LABELLED_REF.finditer(head):
        found.extend((n, raw, m.end() + off) for n, raw, off in find_references(text[m.end(): m.end() + 40])
                     if off == 0 and reference_kind(n) in kinds)
        bare = _BARE_APPEAL.match(text, m.end())
        if bare:
            found.append((normalise_reference("EA/" + bare.group(0)), bare.group(0), m.end()))
    if not found:
        found = [f for f in find_references(head[: cut.start()] if cut else head) if reference_kind(f[0]) in kinds]
    if upper:
        # A UT decision names the FTT case it came from: a cited document, not this one.
        on_appeal = head.lower().find("on appeal from")
        found = [f for f in found if on_appeal < 0 or f[2] < on_appeal]
    else:
        found = [f for f in found if f[0].startswith(("EA/", "["))]
    return list(dict.fromkeys(_with_continuations(text, sorted(found, key=lambda f: f[2]))))


# Statements of what the tribunal may or must do ("shall allow the appeal or substitute ...") or of a party's
# hope ("its appeal would be allowed") are not decisions.
# Case-sensitive: "May" is mostly a month.
_HYPOTHETICAL = re.compile(r"\b(?:[Ii]f|[Uu]nless|[Ww]hether|may|must|shall|would|could|might|entitles?|ought)\b")
_CLAUSE_START = re.compile(r"[.;:\n]")
_REASONS = re.compile(r"^\s*REASONS\b", re.MULTILINE)
# A conclusion heading separates the last finding on one issue from the overall decision.
_CONCLUSION = re.compile(r"^\s*(?:\d+\.?\s+)?(?:Conclusions?|Decision|Summary)\b[^\n.]{0,20}$", re.MULTILINE | re.IGNORECASE)


def _decisions(text: str, start: int = 0, stop: int | None = None) -> list[re.Match]:
    """Outcome statements in text[start:stop] that decide rather than describe what could be decided."""
    stop = len(text) if stop is None else stop
    found = []
    for m in _OUTCOME.finditer(text, start, stop):
        clause = max((c.end() for c in _CLAUSE_START.finditer(text, max(0, m.start() - 35), m.start())),
                     default=max(0, m.start() - 35))
        if not _HYPOTHETICAL.search(text, clause, m.end()):
            found.append(m)
    return found


def _mixed(text: str, m: re.Match) -> bool:
    """Allowing one appeal (or part) and dismissing another in the same decision paragraph is "part allowed"."""
    reasons = _REASONS.search(text, m.end(), m.end() + 600)
    stop = reasons.start() if reasons else m.end() + 600
    others = {"allowed", "dismissed", "part"} - {m.lastgroup}
    back = max((c.end() for c in _CONCLUSION.finditer(text, max(0, m.start() - 400), m.start())),
               default=max(0, m.start() - 400))
    nearby = _decisions(text, back, m.start()) + _decisions(text, m.end(), stop)
    return any(n.lastgroup in others for n in nearby)


def outcome(text: str, start: int) -> str | None:
    """Outcome stated with the decision (heading or just after it), else the last one in the conclusion,
    else the first anywhere."""
    found = (_decisions(text, 0, start + 3000)[:1] or _decisions(text, max(0, len(text) - 4000))[-1:]
             or _decisions(text)[:1])
    if not found:
        return None
    m = found[0]
    if m.lastgroup in ("allowed", "dismissed") and _mixed(text, m):
        return "part allowed"
    return _OUTCOME_NAMES[m.lastgroup]


def tribunal_fields(text: str) -> dict:
    """Fields specific to tribunal decisions."""
    head, start = heading(text)
    parties = parse_parties(head)
    authority = (authority_from_parties(parties, text) or authority_from_body(text[start:])
                 or organisation_appellant(parties, text))
    return {
        "references": own_references(text, head),
        "date": decision_date(text, head),
        "outcome": outcome(text, start),
        "authority": authority,
        "parties": parties,
        "request_text": quoted_request(text),
    }
