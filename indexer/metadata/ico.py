"""Metadata of ICO decision notices: reference, date, public authority, sections, outcome and the request."""
from __future__ import annotations

import re

from indexer.metadata.common import find_sections, parse_date, tidy_name
from indexer.references import find_references, reference_kind

_AUTHORITY = re.compile(r"Public\s+Authority\s*:\s*(?P<name>[^:]{2,200}?)\s*(?=Address\s*:|\n\s*\n)", re.IGNORECASE)
_DATE = re.compile(r"^\s*Date\s*(?:of\s+(?:decision|notice))?\s*:\s*(?P<rest>[^\n]{4,40})", re.IGNORECASE | re.MULTILINE)
_SUMMARY_START = re.compile(r"Decision\s*\(including\s+any\s+steps\s+ordered\)|^\s*Summary\s*$",
                            re.IGNORECASE | re.MULTILINE)
_SUMMARY_END = re.compile(r"Request\s+and\s+response|^\s*(?:Background|The\s+request|Scope\s+of\s+the\s+case)\s*$",
                          re.IGNORECASE | re.MULTILINE)
# Findings that the authority got it wrong (complaint upheld) and that it got it right (complaint not upheld).
_AUTHORITY_WRONG = re.compile(
    r"breach(?:ed|es)?\s+(?:of\s+)?(?:section|regulation|its\s+obligations)|in\s+breach\s+of\s+(?:section|regulation)|"
    r"did(?:n['’]t|\s+not)\s+comply\s+with|failed\s+to|not\s+entitled|incorrectly|wrongly|was\s+not\s+correct|"
    r"(?:is|was)\s+not\s+engaged|do(?:es)?\s+not\s+apply|must\s+(?:disclose|provide|issue|respond|confirm|"
    r"carry\s+out|conduct|take)|requires?\s+(?:the\s+\w+(?:\s+\w+){0,6}\s+)?to\s+take\s+the\s+following\s+steps|"
    r"public\s+interest\s+(?:favours|lies\s+in)\s+disclos",
    re.IGNORECASE,
)
_AUTHORITY_RIGHT = re.compile(
    r"(?<!not\s)entitled\s+to\s+(?:rely|withhold|refuse|neither)|correctly\s+(?:applied|relied|cited|withheld|refused)|"
    r"(?:was|is)\s+correct\s+to|does\s+not\s+hold\s+(?:any\s+)?(?:further\s+)?(?:recorded\s+)?information|"
    r"(?:is|was)\s+engaged\s+and\s+(?:that\s+)?the\s+public\s+interest\s+(?:favours|lies\s+in)\s+maintain|"
    r"(?<!not\s)complied\s+with|\bengages\s+(?:section|regulation)|public\s+interest\s+favours\s+maintaining|does\s+not\s+require\s+(?:any\s+)?further\s+steps|"
    r"does\s+not\s+require\s+the\s+\w+(?:\s+\w+){0,6}\s+to\s+take\s+any\s+steps",
    re.IGNORECASE,
)
_REQUEST_INTRO = re.compile(
    r"(?:in\s+the\s+following\s+terms|the\s+following\s+request(?:\s+for\s+information)?(?:\s+under\s+\w+)?|"
    r"requested\s+(?:the\s+following\s+)?information\s+as\s+follows|requested\s+the\s+following)\s*:?\s*",
    re.IGNORECASE,
)
_NEXT_PARAGRAPH = re.compile(r"\n\s*\d{1,3}\.\s+(?=[A-Z])")
_RUNNING_REF = re.compile(r"Reference\s*:?\s*(?P<ref>(?:IC|FS|FER)[\w\s-]{6,16})", re.IGNORECASE)


def summary(text: str) -> str:
    """The numbered decision summary at the start of a notice (short notices without one: the whole text)."""
    m = _SUMMARY_START.search(text, 0, 5000)
    if not m:
        return text
    start = m.end()
    end = _SUMMARY_END.search(text, start)
    stop = end.start() if end and end.start() - start < 8000 else start + 2500
    return text[start:stop]


def notice_outcome(decision: str) -> str | None:
    """"upheld" when the complaint succeeds (authority wrong), "not upheld" when it fails, else "partly upheld"."""
    wrong = bool(_AUTHORITY_WRONG.search(decision))
    right = bool(_AUTHORITY_RIGHT.search(decision))
    if wrong and right:
        return "partly upheld"
    if wrong:
        return "upheld"
    if right:
        return "not upheld"
    return None


def quoted_request(text: str, limit: int = 6000) -> str | None:
    """The request as the document quotes it, from the introducing phrase to the next numbered paragraph."""
    m = _REQUEST_INTRO.search(text)
    if not m:
        return None
    end = _NEXT_PARAGRAPH.search(text, m.end())
    body = text[m.end(): end.start() if end else m.end() + limit][:limit]
    body = re.sub(r"[ \t]+", " ", body).strip().strip("“”\"")
    return body.strip() or None


def ico_fields(text: str, path_ref: str | None) -> dict:
    """Fields specific to ICO decision notices."""
    own = [path_ref] if path_ref and reference_kind(path_ref) == "ico" else []
    for m in _RUNNING_REF.finditer(text, 0, 3000):
        own.extend(n for n, _raw, _off in find_references(m.group("ref")) if reference_kind(n) == "ico")
    authority = _AUTHORITY.search(text, 0, 5000)
    date = _DATE.search(text, 0, 3000)
    decision = summary(text)
    regime = "EIR" if re.search(r"Environmental\s+Information\s+Regulations", text[:1500], re.IGNORECASE) else "FOI"
    return {
        "references": list(dict.fromkeys(own)),
        "authority": tidy_name(authority.group("name")) if authority else None,
        "date": parse_date(date.group("rest")) if date else None,
        "outcome": notice_outcome(decision),
        "sections": find_sections(decision, regime) or find_sections(text, regime),
        "request_text": quoted_request(text),
    }
