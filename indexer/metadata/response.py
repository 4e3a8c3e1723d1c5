"""Metadata of an authority's FOI response (disclosure-log page, response letter): title, reference, dates,
the request, the authority that answered, the outcome and the sections it relied on."""
from __future__ import annotations

import re

from indexer.furniture import is_chrome, is_interface_label
from indexer.gazetteer import canonical
from indexer.metadata.common import DATE_RE
from indexer.metadata.labels import HEAD_LINES, own_reference, response_dates
from indexer.metadata.request_text import find_request, unglue
from indexer.metadata.responder import responding_authority
from indexer.metadata.response_outcome import relied_sections, response_outcome

# Headings every response page carries, which say nothing about this one.
_GENERIC = re.compile(
    r"^(?:(?:the\s+)?(?:freedom\s+of\s+information|foi(?:\s*/\s*eir)?|eir|environmental\s+information|information)"
    r"(?:\s+(?:act|regulations))?(?:\s+\d{4})?(?:\s+(?:request|response|release|disclosure|reply))*"
    r"(?:\s+(?:log|details|form))?|(?:foi\s+)?disclosure\s+log|response\s+to\s+(?:a\s+|your\s+)?request\s+for\s+information"
    r"|customer\s+request\s+details|cofnod\s+datgeliadau|transparency(?:\s+overview)?|last\s+updated|"
    r"(?:(?:our|your|case|request|foi|cofnod)\s+)?(?:ref(?:erence)?|cyf)(?:\s+(?:no|number|id))?\.?|"
    r"date(?:\s+\w+){0,2}|\w+\s+date|responded|received|requested|published|released|resolved|"
    r"(?:re|subject)\s*:.*(?:freedom\s+of\s+information|foi|request).*)\W*$",
    re.IGNORECASE)
_LABEL_LINE = re.compile(r"^[\w /()'’-]{2,40}\s?:(?:\s|$)|^(?:request|response|reference|date|notes?|details?|"
                         r"outcome|decision|documents?|attachments?)\b(?:\s+[\w/]+){0,2}\s*:?\s*$", re.IGNORECASE)
_SUBJECT_LABEL = re.compile(r"^[ \t]*(?:short\s+description|subject|title|topic|categor(?:y|i))[ \t]*:?[ \t]*\n?[ \t]*"
                            r"(?P<subject>[^\n]{3,150})$", re.IGNORECASE | re.MULTILINE)
# "Where applicable, we publish responses ... This one, Monitoring of Social Media sites, is detailed below."
_SUBJECT_PHRASE = re.compile(r"\b(?:this|the)\s+(?:one|request|response),\s+(?P<subject>[^,\n]{3,150}),\s+is\s+"
                             r"(?:detailed|set\s+out|shown|published|given)\s+below", re.IGNORECASE)
_SITE_SUFFIX = re.compile(r"\s+[-|\u2013]\s+(?:find\s+a\s+)?(?:freedom\s+of\s+information|foi|disclosure)\b.*$",
                          re.IGNORECASE)
_SITE_PREFIX = re.compile(r"^(?:foi|eir|freedom\s+of\s+information)(?:\s+(?:request|response|release))?\s*[-:\u2013]\s*",
                          re.IGNORECASE)
# Set phrases a requester opens with ("I would like to request the following information about",
# "Please provide the data regarding"), cut from a title derived from the request.
_PREAMBLE = re.compile(
    r"^(?:re\s*:\s*|and\s+)?(?:as\s+a\s+freedom\s+of\s+information\s+request,?\s*)?(?:(?:i|we)\s+(?:would|am|write|"
    r"wish|kindly|hereby|request|submit|want)|please|could\s+you|can\s+you|may\s+i|i['\u2019]m|this\s+is)\b"
    r"(?:\s+(?:to\s+do\s+with|like|be|grateful|if|you|could|can|please|writing|to|requesting|request|seeking|after|e-?mailing|sending|"
    r"submit|submitting|ask|asking|obtain|receive|provide|supply|tell|send|make|making|a|an|the|following|information|"
    r"data|details|me|with|for|of|this|formal|kindly|copies|copy|some|specific|is|on|and)\b)*"
    r"\s*(?:(?:about|on|regarding|relating\s+to|in\s+relation\s+to|concerning|to\s+do\s+with)\s+)?(?:the\s+)?",
    re.IGNORECASE)
_BOILERPLATE = re.compile(r"freedom\s+of\s+information|environmental\s+information\s+regulations|\bFOIA?\b",
                          re.IGNORECASE)
_MONTH_YEAR = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?:19|20)\d\d\b",
                         re.IGNORECASE)
# The FOI Act named inside a sentence ("I am writing to you under the Freedom of Information Act 2000 to ...").
_UNDER_THE_ACT = re.compile(r",?\s*(?:under|in\s+accordance\s+with|pursuant\s+to)\s+the\s+(?:freedom\s+of\s+information|"
                            r"environmental\s+information|FOI)(?:\s+\(Scotland\))?\s+(?:act|regulations)(?:\s+\d{4})?"
                            r"(?:\s*\([^)]{1,12}\))?,?", re.IGNORECASE)
_TITLE_CHARS = 110


def _tidy_subject(line: str, reference: str | None) -> str:
    line = _SITE_PREFIX.sub("", _SITE_SUFFIX.sub("", " ".join(line.split())))
    if reference:
        for form in {reference, reference.replace("/", " / ")}:
            line = line.replace(f"({form})", "").replace(form, "")
    line = _MONTH_YEAR.sub("", re.sub(DATE_RE.pattern, "", line, flags=re.IGNORECASE))
    line = _WEEKDAY.sub("", line) if line != _WEEKDAY.sub("", line).strip() else line
    line = re.sub(r"^(?:(?:request|response|case)\b)?[\s/:\-\u2013]+|[\s/:\-\u2013(]+$", "", line)
    return line.strip(" \t/-\u2013:")


def _is_title_line(line: str, reference: str | None) -> bool:
    stripped = line.strip()
    if not 3 <= len(stripped) <= 150 or stripped.endswith((".", ":", "?", ";", ",")) or stripped[0] in "-\u2022*":
        return False
    if _GENERIC.match(stripped) or _LABEL_LINE.match(stripped) or is_chrome(stripped) or is_interface_label(stripped):
        return False
    subject = _tidy_subject(stripped, reference)
    if not re.search(r"[A-Za-z]{3,}", subject) or DATE_RE.fullmatch(subject) or _GENERIC.match(subject):
        return False
    if _BOILERPLATE.search(subject):
        return False
    return canonical(subject) is None


def _head_subject(head_lines: list[str], reference: str | None) -> str | None:
    for line in head_lines:
        if reference and re.search(r"\(\s*" + re.escape(reference) + r"\s*\)", line) and _is_title_line(line, reference):
            return _tidy_subject(line, reference)
    for line in head_lines:
        if _is_title_line(line, reference):
            return _tidy_subject(line, reference)
    return None


# Where a request's sentences break: after a full stop, question mark or colon, before a numbered item run into
# the previous one ("arrears 2.The total"), and at line breaks that start a new item or sentence.
_SENTENCE_BREAK = re.compile(r"(?<=[.?!:])\s+|\s(?=\d{1,2}\.\s?[A-Z])|\n(?=\s*(?:[-\u2013\u2022*]|\(?[A-Za-z0-9]{1,3}[.)]|[A-Z]))")
# What a sentence that only introduces the questions leaves once its opening phrase is cut.
_INTRODUCTION = re.compile(r"^(?:(?:for|in|during|over)\s+the\s+(?:time\s+)?period|(?:annual\s+)?totals?\s+of|"
                           r"the\s+following|(?:the\s+)?below|the\s+above|broken\s+down\s+by)\b|^(?:(?:each|all|any)\s+"
                           r"of\s+)?(?:these|the\s+above|those)\b|^(?:please\s+)?note\b|^(?:the\s+)?(?:data|information|figures)\s+for\s+"
                           r"(?:each|every|all|the)\b|^(?:for\s+|in\s+)?(?:each|every|all)\s+"
                           r"(?:of\s+the\s+)?(?:\w+\s+){0,2}(?:years?|months?)\b",
                           re.IGNORECASE)
# "For the previous 5 calendar years please provide the total numbers of ...": the subject follows the verb.
_MID_VERB = re.compile(r"^.{0,80}?[\s,]please\s+(?:provide|supply|tell\s+me|state|confirm)\s+(?:me\s+)?(?:with\s+)?"
                       r"(?:the\s+)?", re.IGNORECASE)
_WEEKDAY = re.compile(r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?\b\.?,?",
                      re.IGNORECASE)


def _subject_of(sentence: str) -> str:
    sentence = re.sub(r"^[-\u2013\u2022*\s]*(?:(?:Q?\d{1,2}|[a-z])[.)]\s*)?", "", sentence.strip())
    sentence = _MID_VERB.sub("", _UNDER_THE_ACT.sub("", sentence).strip())
    return _PREAMBLE.sub("", sentence).strip(" .:;,")


def _request_subject(request: str) -> str | None:
    """A subject made from the request when the page has none: its first sentence that is not a preamble or an
    introduction to the questions, without the set phrase it opens with, cut at a word boundary."""
    for sentence in _SENTENCE_BREAK.split(request):
        subject = _subject_of(sentence)
        if len(re.findall(r"[A-Za-z]{3,}", subject)) < 3 or _BOILERPLATE.search(subject) or _INTRODUCTION.search(subject):
            continue
        if len(subject) > _TITLE_CHARS:
            subject = subject[:_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(" ,;(") + "\u2026"
        return subject[0].upper() + subject[1:]
    return None


def response_title(text: str, head: str, request: str | None, reference: str | None) -> str | None:
    """What the response is about, with its reference: a subject label or phrase, else the page's subject line
    at the head, else a subject made from the request."""
    found = _SUBJECT_PHRASE.search(text[:3000]) or _SUBJECT_LABEL.search(head)
    subject = _tidy_subject(found.group("subject"), reference) if found else None
    subject = subject or _head_subject(head.split("\n"), reference) or (request and _request_subject(request))
    if not subject:
        return f"FOI response {reference}" if reference else None
    subject = " ".join(subject.split())
    return f"{subject} ({reference})" if reference and reference not in subject else subject


def _head(text: str, request_start: int | None) -> str:
    lines = [line for line in text[:request_start].split("\n") if line.strip()]
    return "\n".join(lines[:HEAD_LINES])


def foi_response_fields(text: str) -> dict:
    """Title, reference, date (responded, else requested), request, authority, outcome and sections."""
    text = unglue(text)
    span = find_request(text)
    head = _head(text, span.start if span else 3000)
    reference = own_reference(text, head)
    responded, requested = response_dates(text, head)
    date = responded or requested
    response = text[span.end:] if span else text
    regime = "EIR" if re.search(r"Environmental\s+Information\s+Regulations", text[:3000], re.IGNORECASE) else "FOI"
    sections = relied_sections(response, regime)
    return {
        "title": response_title(text, head, span.text if span else None, reference),
        "references": [reference] if reference else [],
        "date": date,
        "request_text": span.text if span else None,
        "authority": responding_authority(text, (span.start, span.end) if span else None, date),
        "outcome": response_outcome(response, text, sections, span.text if span else ""),
        "sections": sections,
    }


# Words of an information request, for pages that never name the Act ("Please provide the following information").
_REQUEST_WORDS = re.compile(r"freedom\s+of\s+information|\bFOI|\bEIR\b|environmental\s+information\s+regulations|"
                            r"rhyddid\s+gwybodaeth|disclosure\s+log|cofnod\s+datgeliadau|information\s+request|"
                            r"request\s+for\s+information|please\s+provide|i\s+would\s+like\s+to\s+request|you\s+asked|"
                            r"your\s+request|request\s+id|(?:date\s+)?request\s+received|date\s+received|"
                            r"in\s+response\s+to\s+(?:your\s+)?(?:questions?|request)",
                            re.IGNORECASE)
# A page of numbered questions ("1) Is glyphosate used by the council?") is a request even without those words.
_QUESTION_LINE = re.compile(r"^[ \t]*(?:Q?\d{1,2}[a-z]?|[a-z])[ \t]*[.)][^\n]{10,}\?[ \t]*$", re.MULTILINE)
QUESTIONS = 3
# What only a response says: a refusal notice, "we can confirm", "information is (not) held", an FOI/123 reference.
_RESPONSE_PHRASE = re.compile(r"Refusal\s+Notice|\bFOI/\d|we\s+can\s+confirm|information\s+(?:is|was)\s+(?:not\s+)?held|"
                              r"provision\s+of\s+information\s+held\s+by|\bis\s+held\s+by\b|thank\s+you\s+for\s+your\s+"
                              r"(?:request|e-?mail|letter)\b[^.]{0,120}\b(?:freedom\s+of\s+information|FOI)|\bin\s+response\s+to\s+"
                              r"(?:your\s+)?(?:questions?|request|points?)\b", re.IGNORECASE)
EARLY_REQUEST_CHARS = 600
LONG_REQUEST_CHARS = 200


def is_response_page(text: str) -> bool:
    """An authority's response or disclosure-log entry: it speaks of an information request and either says
    what only a response says, or quotes a request under a heading or cue, followed by an answer, under a
    reference or date label, or right at the top of the page."""
    head = unglue(text[:20_000])
    if not _REQUEST_WORDS.search(head) and len(_QUESTION_LINE.findall(head[:3000])) < QUESTIONS:
        return False
    if _RESPONSE_PHRASE.search(head):
        return True
    span = find_request(head)
    if span is None:
        return False
    if span.how != "opener" or span.answered:
        return True
    if span.start < EARLY_REQUEST_CHARS and len(span.text) >= LONG_REQUEST_CHARS:
        return True
    return bool(own_reference(head, _head(head, span.start)) or any(response_dates(head)))
