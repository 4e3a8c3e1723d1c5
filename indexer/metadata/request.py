"""Metadata of request threads (WhatDoTheyKnow pages) and request emails: title, authority, date, request,
and the outcome of the authority's replies."""
from __future__ import annotations

import re

from indexer.metadata.common import DATE_RE, iso_from_match, tidy_name
from indexer.metadata.labels import own_reference, response_dates
from indexer.metadata.responder import responding_authority
from indexer.metadata.response_outcome import relied_sections, response_outcome

_THREAD_TITLE = re.compile(r"^(?P<title>.*?)\s+-\s+a\s+Freedom\s+of\s+Information\s+request\s+to\s+(?P<authority>.*?)"
                           r"(?:\s+-\s+WhatDoTheyKnow)?\s*$", re.IGNORECASE)
MADE_TO = re.compile(r"made\s+this\s+(?:[\w()]+\s+){0,4}?request\s+to\s+(?P<authority>[^\n]+?)"
                     r"(?:\s+as\s+part\s+of\s+a\s+batch\b[^\n]*)?$", re.IGNORECASE | re.MULTILINE)
_DEAR = re.compile(r"^\s*Dear\s+(?P<addressee>[^\n]{2,120}?),?\s*$", re.IGNORECASE | re.MULTILINE)
_SIGN_OFF = re.compile(r"^\s*(?:Yours\s+(?:faithfully|sincerely|truly)\b.*|Link\s+to\s+this)$", re.IGNORECASE | re.MULTILINE)
_NOT_A_BODY = re.compile(r"\b(?:sir|madam|all|team|officer|colleague|enquirer|requester)s?\b", re.IGNORECASE)


def _title_line(text: str) -> str | None:
    for line in text.split("\n")[:5]:
        line = line.strip()
        if 3 <= len(line) <= 200 and not line.endswith((".", ",", ":")) and not _DEAR.match(line):
            return line
    return None


def request_thread_fields(text: str, title_hint: str | None) -> dict:
    """Title, authority, first-message date, request body and outcome of a request thread or request email."""
    fields: dict = {"title": None, "authority": None}
    m = _THREAD_TITLE.match(re.sub(r"\s+", " ", title_hint or "").strip())
    if m:
        fields["title"], fields["authority"] = m.group("title"), tidy_name(m.group("authority"))
    else:
        fields["title"] = title_hint.strip() if title_hint and title_hint.strip() else _title_line(text)
        made = MADE_TO.search(text) or MADE_TO.search(re.sub(r"[ \t]+", " ", text[:20_000]))
        if made:
            fields["authority"] = tidy_name(made.group("authority"))
    dear = _DEAR.search(text)
    request_span = None
    if dear:
        if not fields["authority"] and not _NOT_A_BODY.search(dear.group("addressee")):
            fields["authority"] = tidy_name(dear.group("addressee"))
        sign = _SIGN_OFF.search(text, dear.end())
        end = sign.start() if sign else dear.end() + 6000
        fields["request_text"] = text[dear.end(): end].strip() or None
        request_span = (dear.start(), end)
        before = list(DATE_RE.finditer(text, max(0, dear.start() - 400), dear.start()))
        fields["date"] = iso_from_match(before[-1]) if before else None
    if not fields.get("date"):
        responded, requested = response_dates(text)
        fields["date"] = requested or responded
    if not fields["authority"]:
        fields["authority"] = responding_authority(text, request_span, fields.get("date"))
    replies = text[request_span[1]:] if request_span else ""
    fields["sections"] = relied_sections(replies, "FOI")
    fields["outcome"] = response_outcome(replies, text, fields["sections"])
    reference = own_reference(replies, "") if replies else None
    fields["references"] = [reference] if reference else []
    return fields
