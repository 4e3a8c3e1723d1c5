"""What an FOI response did: disclosed, partly disclosed, refused (and on which sections), NCND or not held."""
from __future__ import annotations

import re

from indexer.metadata.common import find_sections
from indexer.metadata.request_text import question_lines

DISCLOSED, PARTLY, REFUSED, NCND, NOT_HELD = (
    "disclosed", "partly disclosed", "refused", "neither confirm nor deny", "not held")

# A request site's status line says how the requester judged the outcome (WhatDoTheyKnow, also in Welsh).
_STATUS = [
    (PARTLY, re.compile(r"\b(?:request|cais)\s+(?:was|yn)\s+partially\s+successful\b|\brhannol\s+lwyddiannus\b",
                        re.IGNORECASE)),
    (DISCLOSED, re.compile(r"\bthe\s+request\s+was\s+successful\b|\broedd\s+y\s+cais\s+yn\s+llwyddiannus\b",
                           re.IGNORECASE)),
    (REFUSED, re.compile(r"\bthe\s+request\s+was\s+refused\b|\bgwrthodwyd\s+y\s+cais\b", re.IGNORECASE)),
    (NOT_HELD, re.compile(r"\bdid\s+not\s+have\s+the\s+information\s+requested\b", re.IGNORECASE)),
]
_PARTLY = re.compile(
    r"\bdisclose\s+some\s+of\b|\bsome\s+(?:of\s+the\s+)?(?:requested\s+)?(?:information|data)\s+(?:has\s+been|have\s+been|"
    r"is|was|were)\s+(?:withheld|redacted|exempt)|\bresponse\s*\(\s*some\s+(?:not\s+held|withheld|exempt|refused)"
    r"|\bredacted\s+(?:document|version|copy)\b|\bpart(?:ial|ly)\s+(?:disclos|releas)|\b(?:disclosed|released|refused|withheld|provided)\s+in\s+part\b",
    re.IGNORECASE)
_DISCLOSED = re.compile(
    r"\bplease\s+(?:find|see)\s+(?:attached|below|enclosed|the\s+(?:attached|below|information|requested|table|"
    r"spreadsheet))|\b(?:i|we)\s+(?:am|are)\s+(?:able|pleased)\s+to\s+(?:disclose|provide|release|confirm)\b"
    r"|\binformation\s+(?:you\s+(?:have\s+)?(?:requested|sought)\s+)?is\s+(?:attached|enclosed|provided|below|"
    r"as\s+follows)|\bcan\s+confirm\s+that\s+[^.\n]{0,80}?\b(?:does\s+)?holds?\s+(?:the|this|some|relevant)\b"
    r"|\binformation\s+released\s*:?\s*yes\b|\bresponse\s*\(\s*all\s+information|\bdecided\s+to\s+disclose\b"
    r"|\bdisclose\s+the\s+located\s+information\b|\b(?:i|we)\s+have\s+(?:detailed|provided|supplied|attached)\b"
    r"|\bsee\s+(?:the\s+)?attached\b|\bthe\s+information\s+(?:is|has\s+been)\s+(?:released|disclosed)\b",
    re.IGNORECASE)
_REFUSED = re.compile(
    r"\brefusal\s+notice\b|\bexempt\s+(?:by\s+virtue|from\s+disclosure|under)\b|\bis\s+exempt\b|\bexemptions?\s+appl"
    r"|\b(?:exceed|exceeds|exceeding|above)\s+(?:the\s+)?[\u2018'\"\u201c]?(?:\d+\s*hours?\s+)?(?:appropriate|cost|fees?|"
    r"time)[\w\s]{0,12}?(?:limit|level|threshold)|\bnot\s+(?:available\s+)?in\s+a\s+readily\s+retrievable\b"
    r"|\bexemption\s+(?:under\s+)?(?:section|s\.?)\s*\d+[^.\n]{0,40}?\bappl(?:y|ies)\b"
    r"|\bappropriate\s+(?:cost\s+|time\s+)?limit\b|\bfees\s+limit\b|\bvexatious\b|\brefused?\s+(?:your|this|the)\s+request\b"
    r"|\b(?:we|i|force|council|service)\s+(?:am|are|is)\s+(?:unable|not\s+able)\s+to\s+(?:provide|disclose|release|"
    r"supply)\b|\bwithheld\b|\bwill\s+not\s+(?:disclose|be\s+disclosing|release)\b"
    r"|\bnot\s+(?:obliged|required)\s+to\s+(?:provide|disclose|comply)\b",
    re.IGNORECASE)
_NOT_HELD = re.compile(
    r"\binformation\s+(?:is\s+|was\s+)?not\s+held\b|\b(?:does|do|did)\s+not\s+hold\b|\bdon['\u2019]t\s+hold\b"
    r"|\bhold\s+no\s+(?:information|records?|data)\b|\bno\s+(?:information|records?|data)\s+(?:is\s+|are\s+|was\s+)?"
    r"held\b|\bnot\s+information\s+which\s+is\s+recorded\b|\bdo\s+not\s+(?:keep|record|collate)\s+(?:a\s+record|"
    r"this|that|the|records|information|data)",
    re.IGNORECASE)
_NCND = re.compile(r"\bneither\s+confirm\s+n?or\s+deny\b|\bNCND\b", re.IGNORECASE)
# Sections a refusal relies on: the cost limit, vexatious or repeated requests, and the exemptions (FOIA 21-44;
# EIR regulations 12 and 13). Procedural sections (1, 10, 16, 17) say how the answer was given, not why not.
_RELIED = re.compile(r"^(?:FOI (?:12|14|2\d|3\d|4[0-4])|EIR 1[23])\b")


def relied_sections(response: str, regime: str) -> list[str]:
    """The refusal sections and exemptions a response cites, in first-mention order."""
    return [section for section in find_sections(response, regime) if _RELIED.match(section)]


# Sentences every response ends with (review rights, the Commissioner's address, re-use terms): no answer.
_CLOSING = re.compile(r"internal\s+review|information\s+commissioner|\bcomplain|dissatisfied|unhappy|\bappeal|"
                      r"wycliffe|ico\.org\.uk|copyright|re-?use|open\s+government\s+licen[cs]e|any\s+(?:further\s+)?"
                      r"(?:queries|questions)|contact\s+us", re.IGNORECASE)
SUBSTANTIVE_CHARS = 400


def _answered(response: str, request: str) -> bool:
    """Whether the response answers in its own words: several short data or yes/no lines, or a few hundred
    characters that neither repeat the request's questions nor are closing boilerplate."""
    lines = [line.strip() for line in response.split("\n") if line.strip()]
    if len(lines) - len(question_lines(response).split("\n")) >= 3:
        return True
    asked = {" ".join(line.split()) for line in request.split("\n")}
    own = [line for line in lines if " ".join(line.split()) not in asked and not _CLOSING.search(line)]
    return sum(map(len, own)) >= SUBSTANTIVE_CHARS


def response_outcome(response: str, whole: str, sections: list[str], request: str = "") -> str | None:
    """The outcome of the response part of a page (the text after its request, which is given to tell its
    restated questions from answers); whole is read for a request site's status line. A refusal and a
    disclosure in one response make it partly disclosed."""
    for outcome, pattern in _STATUS:
        if pattern.search(whole):
            return outcome
    refused = bool(_REFUSED.search(response)) or any(re.match(r"FOI 1[24]\b", s) for s in sections)
    disclosed = bool(_DISCLOSED.search(response)) or _answered(response, request)
    not_held = bool(_NOT_HELD.search(response))
    if _NCND.search(response):
        return PARTLY if disclosed else NCND
    if _PARTLY.search(response) or (disclosed and (refused or not_held)):
        return PARTLY
    if refused:
        return REFUSED
    if not_held:
        return NOT_HELD
    return DISCLOSED if disclosed else None
