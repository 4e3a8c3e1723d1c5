"""Where the request itself sits in an FOI response, a disclosure-log page or a request email."""
from __future__ import annotations

import re
from dataclasses import dataclass

MAX_REQUEST_CHARS = 6000
# How far into a page the request may start: disclosure-log pages put it right under the title and labels.
_SEARCH_CHARS = 5000

# A heading line above the request, with the request after it or on the same line ("Request: Please ...").
_REQUEST_HEADING = re.compile(
    r"^[ \t]*(?:(?:the\s+|your\s+|initial\s+|original\s+)?request(?:\s+(?:details?|description|text))?|"
    r"details\s+of\s+(?:the\s+|your\s+)?request|information\s+requested|(?:what\s+)?you\s+asked(?:\s+for)?|"
    r"questions?(?:\s+and\s+(?:final\s+)?(?:responses?|answers?))?|customer\s+request\s+details|cwestiwn|"
    r"cais|your\s+questions?)[ \t]*(?:[:\-\u2013][ \t]*|$)(?P<rest>[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)
# A sentence in a response that introduces the request it quotes.
_REQUEST_CUE = re.compile(
    r"(?:request\s+for\s+information|request)\s+which\s+was\s+received\s+on\s+[^\n:]{0,40}?\s+as\s+follows\s*:?"
    r"|we\s+received\s+a\s+request\s+under\s+the\s+freedom\s+of\s+information\s+act[^\n:]{0,40}:"
    r"|(?:i|we)\s+note\s+(?:that\s+)?you\s+seek\s+access\s+to\s+the\s+following(?:\s+information)?\s*:?"
    r"|you\s+(?:asked|requested)(?:\s+for)?(?:\s+the\s+following(?:\s+information)?)?\s*:"
    r"|(?:in\s+which\s+you\s+(?:asked|requested)|your\s+request\s+(?:was\s+)?(?:as\s+follows|for\s+the\s+following"
    r"(?:\s+information)?))(?:\s+for)?\s*:"
    r"|(?:your\s+request|you\s+asked|you\s+wrote)[^.\n:]{0,80}?\b(?:read|reads|was|is|were)\s+(?:as\s+follows|in\s+the\s+"
    r"following\s+terms)\s*:",
    re.IGNORECASE,
)
# The first line of a request written by the requester.
_OPENER = re.compile(
    r"^[ \t]*(?:Dear\s+[^\n,]{2,80},[ \t]*\n?)?(?:"
    r"I\s+(?:would\s+(?:like|be\s+grateful)|write\s+to|wish|kindly|hereby|request|submit|want|am\s+(?:writing|"
    r"requesting|seeking|after|submitting|e-?mailing|sending|looking|interested|researching|asking|making))|"
    r"I['\u2019]m\s+(?:writing|seeking|requesting|looking|researching)|"
    r"Please\s+(?:provide|could|can|consider|accept|supply|tell|send|confirm|state|advise|disclose|treat)|"
    r"Could\s+you|Can\s+you|Can\s+I|May\s+I|Under\s+the\s+(?:Freedom|FOI|Environmental)|As\s+a\s+freedom|"
    r"This\s+is\s+a\s+request|Pursuant\s+to|In\s+accordance\s+with\s+the\s+Freedom|Re\s*:|"
    r"We\s+(?:are\s+(?:collecting|writing|researching|requesting)|would\s+like|request)|My\s+request|"
    r"Information\s+relating\s+to|(?:A\s+)?Request\s+for\s+(?:the\s+following\s+)?information|"
    r"How\s+many|What\s+(?:is|are|was|were)|Does\s+(?:the|your)|Do\s+you|Is\s+there|Has\s+(?:the|your)|"
    r"Have\s+you)",
    re.MULTILINE,
)
_NUMBERED = re.compile(r"^[ \t]*(?:Q(?:uestion)?\s?\d{1,2}|\d{1,2})\s*[.):\-\u2013][ \t]*\S", re.MULTILINE)
# Where the response starts: a heading line (perhaps with a date, or with the answer after a colon), an
# opening sentence of a reply, or the sign-off of a request email.
_RESPONSE_HEADING = re.compile(
    r"^[ \t]*(?:(?:our\s+|the\s+|final\s+|in\s+)?(?:response|reply|answers?|decision)(?:\s+details?)?|"
    r"outcome(?:\s*/\s*documents)?|disclosure|information\s+released|ateb|ymateb|attachments?|"
    r"extent\s+and\s+result\s+of\s+searches[^\n]*|reason\s+for\s+(?:the\s+)?decision|"
    r"(?-i:[A-Z][\w&'\u2019]*(?:\s+(?:[A-Z][\w&'\u2019]*|of|and|the|&)){0,5})\s+(?:response|reply))"
    r"[ \t]*(?:[:\-\u2013][^\n]*|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}[ \t]*)?$",
    re.IGNORECASE | re.MULTILINE,
)
_RESPONSE_OPENING = re.compile(
    r"^[ \t]*(?:Please\s+(?:be\s+advised|find|see\s+(?:below|attached|the\s+attached))|"
    r"(?:We|I)\s+can\s+confirm|We\s+(?:have\s+(?:now\s+)?completed|hold|do\s+not\s+hold|are\s+(?:unable|not\s+able))|"
    r"Thank\s+you\s+for\s+your\s+(?:request|Freedom|FOI|e-?mail)|In\s+response\b|Following\s+(?:receipt|a\s+search)|"
    r"Our\s+data\s+are|Unfortunately\b|The\s+information\s+(?:you\s+(?:have\s+)?(?:requested|sought)|requested)\s+is|"
    r"This\s+letter\s+(?:serves|acts)|Compliance\s+with\s+this\s+request|Yours\s+(?:faithfully|sincerely|truly)|"
    r"Kind\s+regards|Many\s+thanks|"
    # The authority answering in its own name: "Hastings Borough Council manages our parks ..."
    r"(?:The\s+)?(?:[A-Z][\w&'\u2019-]+\s+){1,5}(?:Council|Police|Constabulary|Service|Authority|Trust)\s+"
    r"(?:does|do|did|has|have|holds?|manages?|maintains?|can|cannot|is|are|was|were|uses?|operates?|records?)\b)",
    re.MULTILINE,
)
# Lines of an answer interleaved with the questions (Q&A pages): yes/no, not held, data rows, the council's voice.
_ANSWER_LINE = re.compile(
    r"^[\s\-\u2022*]*(?:(?:Q?\d{1,2}[a-z]?|[a-z])\s?[.)]\s*)?"
    r"(?:yes|no|n/a|none|nil|unknown|not\s+(?:held|known|applicable|recorded)|information\s+not\s+held|"
    r"see\s+(?:attached|below|above|notes?)|please\s+see|as\s+above|depends|"
    r"we\s+(?:do|don['\u2019]t|hold|have|can|cannot|are\s+unable|only|currently|operate|use|record|did|were|will)|"
    r"the\s+council\s+(?:does|do|has|is|holds)|(?:approximately|approx\.?)\s+\d)\b",
    re.IGNORECASE,
)
_INLINE_ANSWER = re.compile(r"(\?)\s+(?:yes|no|n/a|none|depends|not\s+held)\b.{0,30}$", re.IGNORECASE)
_DATA_CHARS = re.compile(r"[\d\u00a3$%,.|/:]")


def unglue(text: str) -> str:
    """Scraped pages sometimes run a date into the next block ("Responded Thu 07 July 2022This is a request"):
    a line break goes back between them."""
    return re.sub(r"((?:19|20)\d\d)(?=[A-Z][a-z])", r"\1\n", text)


@dataclass(frozen=True)
class RequestSpan:
    """The request's offsets in the text, its text (questions only where answers are interleaved), how its
    start was found ("heading", "cue" or "opener") and whether a response follows it."""
    start: int
    end: int
    text: str
    how: str
    answered: bool


def _is_answer(line: str) -> bool:
    stripped = line.strip()
    if _ANSWER_LINE.match(stripped):
        return True
    visible = stripped.replace(" ", "")
    return 0 < len(stripped) <= 60 and len(_DATA_CHARS.findall(visible)) >= 0.4 * len(visible)


def question_lines(block: str) -> str:
    """The request's own lines: answers written between the questions are dropped, as are short answers
    after a question mark ("Does the council use glyphosate? Yes")."""
    kept = [_INLINE_ANSWER.sub(r"\1", line.rstrip()) for line in block.split("\n") if not _is_answer(line)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _start(text: str) -> tuple[int, str] | None:
    """(where the request starts, how it was found), or None."""
    limit = min(len(text), _SEARCH_CHARS)
    heading = _REQUEST_HEADING.search(text, 0, limit)
    cue = _REQUEST_CUE.search(text, 0, limit)
    found = [m for m in (heading, cue) if m]
    if found:
        first = min(found, key=lambda m: m.start())
        if first is heading:
            return (heading.start("rest") if heading.group("rest").strip() else heading.end()), "heading"
        return cue.end(), "cue"
    openers = [m.start() for m in (_OPENER.search(text, 0, limit), _NUMBERED.search(text, 0, limit)) if m]
    if not openers:
        return None
    start = min(openers)
    response = _RESPONSE_HEADING.search(text, 0, start)
    return (start, "opener") if response is None else None


def _end(text: str, search_from: int) -> tuple[int, bool]:
    """Where the request ends, and whether a response heading or opening ends it."""
    stops = [m.start() for m in (_RESPONSE_HEADING.search(text, search_from),
                                 _RESPONSE_OPENING.search(text, search_from)) if m]
    if stops:
        return min(min(stops), search_from + MAX_REQUEST_CHARS), min(stops) <= search_from + MAX_REQUEST_CHARS
    return min(search_from + MAX_REQUEST_CHARS, len(text)), False


def find_request(text: str) -> RequestSpan | None:
    """The request quoted in a response page or letter, or written in a request: after a "Request"/"You
    asked" heading or a cue ("... received on 21 July as follows:"), else from its first sentence ("I would
    like to request", "Please provide", a numbered question), up to the response or the sign-off."""
    begin = _start(text)
    if begin is None:
        return None
    start, how = begin
    while start < len(text) and text[start] in " \t\n:":
        start += 1
    end, answered = _end(text, start + 1)
    body = question_lines(text[start:end])
    later = _later_questions(text, end, body) if answered else []
    if later:
        body = "\n".join([body, *later])
    return RequestSpan(start, end, body, how, answered) if len(body) >= 20 else None


_ITEM_NUMBER = re.compile(r"^[ \t]*(?:Q(?:uestion)?\s?)?(\d{1,2})\s*[.):\-\u2013]", re.IGNORECASE)
# How far past the first answer to look for the next question of a page that answers each question in turn.
_INTERLEAVED_CHARS = 6000


def _later_questions(text: str, end: int, body: str) -> list[str]:
    """Questions asked after the first answer on a page that answers each question in turn ("1. ...", answer,
    "2. ...", answer): the lines that carry on the request's own numbering. A response restating the questions
    starts again at 1, so it is not taken for more of them."""
    numbers = [int(m.group(1)) for m in map(_ITEM_NUMBER.match, body.split("\n")) if m]
    if not numbers:
        return []
    expected, found = max(numbers) + 1, []
    for line in text[end:end + _INTERLEAVED_CHARS].split("\n"):
        item = _ITEM_NUMBER.match(line)
        if item and int(item.group(1)) == expected and not _is_answer(line):
            found.append(line.strip())
            expected += 1
    return found
