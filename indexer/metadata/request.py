"""Metadata of FOI responses published by authorities and of WhatDoTheyKnow request threads."""
from __future__ import annotations

import re
from collections import Counter

from indexer.metadata.authority import is_commissioner
from indexer.metadata.common import DATE_RE, iso_from_match, parse_date, tidy_name
from indexer.references import find_references, reference_kind

_THREAD_TITLE = re.compile(r"^(?P<title>.*?)\s+-\s+a\s+Freedom\s+of\s+Information\s+request\s+to\s+(?P<authority>.*?)"
                           r"(?:\s+-\s+WhatDoTheyKnow)?\s*$", re.IGNORECASE)
_MADE_TO = re.compile(r"made\s+this\s+Freedom\s+of\s+Information\s+request\s+to\s+(?P<authority>[^\n]+)",
                      re.IGNORECASE)
_DEAR = re.compile(r"^\s*Dear\s+(?P<addressee>[^\n]{2,120}?),?\s*$", re.IGNORECASE | re.MULTILINE)
_SIGN_OFF = re.compile(r"^\s*(?:Yours\s+(?:faithfully|sincerely|truly)\b.*|Link\s+to\s+this)$", re.IGNORECASE | re.MULTILINE)
_REQUEST_HEAD = re.compile(r"^\s*(?:Request|Your\s+request|Information\s+requested)\s*:?\s*$",
                           re.IGNORECASE | re.MULTILINE)
_RESPONSE_HEAD = re.compile(r"^\s*(?:Response|Our\s+response|Answer|Reply)\s*:?\s*$", re.IGNORECASE | re.MULTILINE)
_RESPONSE_OPENING = re.compile(
    r"^\s*(?:We\s+can\s+confirm|Thank\s+you\s+for|In\s+response|Please\s+find|I\s+can\s+confirm|"
    r"We\s+have\s+(?:now\s+)?completed|The\s+information\s+(?:you\s+requested|is|was))",
    re.IGNORECASE | re.MULTILINE,
)
_BODY_NAME = re.compile(
    r"\b(?:[A-Z][a-z]+\s+){0,5}(?:Police|Council|Fire\s+Service|Fire\s+Authority|Service|Authority|Trust|"
    r"Department|Ministry|Office|Commission|University|College|Agency|Board|Executive|Government)\b"
)


def request_thread_fields(text: str, title_hint: str | None) -> dict:
    """Title, authority, first-message date and request body of a WhatDoTheyKnow thread."""
    fields: dict = {}
    m = _THREAD_TITLE.match(re.sub(r"\s+", " ", title_hint or "").strip())
    if m:
        fields["title"], fields["authority"] = m.group("title"), tidy_name(m.group("authority"))
    else:
        made = _MADE_TO.search(text) or _MADE_TO.search(re.sub(r"\s+", " ", text[:20_000]))
        if made:
            fields["authority"] = tidy_name(made.group("authority"))
    dear = _DEAR.search(text)
    if dear:
        if "authority" not in fields and not re.search(r"sir|madam|all", dear.group("addressee"), re.IGNORECASE):
            fields["authority"] = tidy_name(dear.group("addressee"))
        sign = _SIGN_OFF.search(text, dear.end())
        fields["request_text"] = text[dear.end(): sign.start() if sign else dear.end() + 6000].strip() or None
        before = list(DATE_RE.finditer(text, max(0, dear.start() - 400), dear.start()))
        fields["date"] = iso_from_match(before[-1]) if before else None
    return fields


def _response_request(text: str) -> str | None:
    head = _REQUEST_HEAD.search(text)
    if head:
        end = _RESPONSE_HEAD.search(text, head.end())
        body = text[head.end(): end.start() if end else head.end() + 4000]
        return body.strip() or None
    opening = _RESPONSE_OPENING.search(text, 0, 6000)
    if not opening:
        return None
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text[: opening.start()]) if p.strip()]
    # The request is the run of paragraphs after the heading lines: skip short furniture/title lines.
    body = [p for p in paragraphs if len(p) > 60 or re.match(r"\d+[.)]", p)]
    return "\n\n".join(body).strip() or None


def foi_response_fields(text: str) -> dict:
    """Own request reference, authority, date and the request of an FOI response."""
    refs = [n for n, _raw, _off in find_references(text[:4000]) if reference_kind(n) == "authority_ref"]
    names = Counter(tidy_name(m.group(0)) for m in _BODY_NAME.finditer(text, 0, 20_000))
    names = Counter({n: c for n, c in names.items() if len(n.split()) >= 2 and not is_commissioner(n)})
    date = re.search(r"^\s*Date\s*:\s*([^\n]{4,40})", text[:3000], re.IGNORECASE | re.MULTILINE)
    return {
        "references": refs[:1],
        "authority": names.most_common(1)[0][0] if names else None,
        "date": parse_date(date.group(1)) if date else None,
        "request_text": _response_request(text),
    }
