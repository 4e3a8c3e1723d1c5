"""Metadata of tribunal decisions: heading, own references, promulgation date, outcome and authority."""
from __future__ import annotations

import re

from indexer.metadata.authority import authority_from_body, authority_from_parties, organisation_appellant
from indexer.metadata.dates import decision_date
from indexer.metadata.ico import quoted_request
from indexer.metadata.outcome import outcome
from indexer.metadata.parties import parse_parties
from indexer.references import find_references, normalise_reference, reference_kind

# The heading ends where the decision itself starts; "Decision Promulgated" table cells must not end it.
_HEADING_END = re.compile(
    r"^\s*(?:DECISION(?:\s+AND\s+REASONS)?|REASONS(?:\s+FOR\s+DECISION)?|JUDGMENT|RULING|"
    r"Decision(?:\s+and\s+Reasons)?|Reasons(?:\s+for\s+Decision)?|Background|Introduction|"
    r"Summary of Decision|(?:1|I)\.?\s+(?:This|The|By|On|In|Mr|Mrs|Ms|Dr)\b.*)\s*:?\s*$",
    re.MULTILINE,
)
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


# Appeal numbers as typed or extracted in old headings: a page number run into them ("2EA/2016/0114"), a year
# split by a stray space ("EA/201 2/0005"), a fifth digit ("EA/2016/00148").
_REFERENCE_REPAIRS = ((re.compile(r"\d(?=EA/\d{4}/)"), ""), (re.compile(r"\bEA/(\d{3}) (\d)/"), r"EA/\1\2/"),
                      (re.compile(r"\b(EA/\d{4}/)0(\d{4})(?!\d)"), r"\1\2"))


def _mend_references(text: str) -> str:
    for pattern, replacement in _REFERENCE_REPAIRS:
        text = pattern.sub(replacement, text)
    return text


def own_references(text: str, head: str) -> list[str]:
    """Appeal numbers and neutral citations of this decision: those after an "Appeal No"/"Case No" label or at
    the very top; failing that, those in the heading before any list of cases cited."""
    text, head = _mend_references(text), _mend_references(head)
    upper = any(n.startswith("[") and "UKUT" in n for n, _raw, _off in find_references(text[:600]))
    kinds = ("appeal", "ncn")
    found = [f for f in find_references(text[:_LEADING + 40]) if reference_kind(f[0]) in kinds and f[2] < _LEADING]
    # "Authorities cited:" may sit after the heading's end and still within the leading lines.
    cut = _CASE_LIST.search(text, 0, max(len(head), _LEADING + 40))
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


def tribunal_fields(text: str) -> dict:
    """Fields specific to tribunal decisions."""
    head, start = heading(text)
    parties = parse_parties(head)
    authority = (authority_from_parties(parties, text) or authority_from_body(text, start)
                 or organisation_appellant(parties, text))
    return {
        "references": own_references(text, head),
        "date": decision_date(text, head),
        "outcome": outcome(text, start),
        "authority": authority,
        "parties": parties,
        "request_text": quoted_request(text),
    }
