"""FOI document metadata: type, title, authority, date, references, sections, outcome, citations, request."""
from __future__ import annotations

import re
from pathlib import PurePath

from indexer.gazetteer import canonical
from indexer.metadata.authority import PUBLIC_BODY, display_authority, is_commissioner
from indexer.metadata.common import find_legislation, find_sections, parse_date
from indexer.metadata.ico import ico_fields
from indexer.metadata.request import request_thread_fields
from indexer.metadata.response import foi_response_fields, is_response_page
from indexer.metadata.tribunal import tribunal_fields
from indexer.references import find_references, normalise_reference

_WDTK_TITLE = re.compile(r"WhatDoTheyKnow|-\s+a\s+Freedom\s+of\s+Information\s+request\s+to\b", re.IGNORECASE)
# A request site's own words in a thread's text: "X made this Freedom of Information request to Y" (in any
# language: "made this Rhyddid Gwybodaeth request to"), its placeholders for hidden addresses, its footer.
_WDTK_TEXT = re.compile(r"made\s+this\s+(?:[\w()]+\s+){0,4}?request\s+to\b|-\s+a\s+Freedom\s+of\s+Information\s+"
                        r"request\s+to\b|\[(?:FOI\s+#\d+|[^\]\n]{3,80}\s+request)\s+email\]|defend\s+the\s+right\s+to\s+FOI",
                        re.IGNORECASE)
_APPEAL_HEADING = re.compile(r"Appeal\s+N(?:o|umber)s?\b|\bAppellants?\b[\s\S]{0,400}\bRespondents?\b", re.IGNORECASE)
_ICO_NOTICE = re.compile(r"Decision\s+notice", re.IGNORECASE)
_ICO_NOTICE_BODY = re.compile(r"Public\s+Authority\s*:|Commissioner[’']s\s+decision\s+is", re.IGNORECASE)
_TRIBUNAL = re.compile(r"\bTribunal\b|\bUKFTT\b|\bUKUT\b", re.IGNORECASE)
_TRIBUNAL_SIGNS = re.compile(r"\bAppellant\b|^Promulgated\b|\bEA\s?/\s?\d{4}|\bUKFTT\b|\bUKUT\b|Appeal\s+N(?:o|umber)", re.IGNORECASE | re.MULTILINE)
OTHER_DATE_WINDOW = 1500
_DEAR_BODY = re.compile(r"^\s*Dear\s+(?P<addressee>[^\n,]{3,100}),?\s*$", re.IGNORECASE | re.MULTILINE)
_SIGNED = re.compile(r"^\s*Yours\s+(?:faithfully|sincerely|truly)\b", re.IGNORECASE | re.MULTILINE)
_URL = re.compile(r"https?://[^\s<>\")\]]+", re.IGNORECASE)
_FURNITURE = re.compile(r"^(?:skip to|menu|search|home|cookies?|privacy|accept|sign in|close|\W*$)", re.IGNORECASE)


def _is_request_email(start: str) -> bool:
    """A request written to a public body ("Dear Kent Police, ... Yours faithfully")."""
    dear = _DEAR_BODY.search(start)
    if not dear or not _SIGNED.search(start, dear.end()):
        return False
    addressee = dear.group("addressee")
    return bool(PUBLIC_BODY.search(addressee) or canonical(addressee))


def classify(text: str, path: str, title_hint: str | None) -> str:
    """One of decision_notice, tribunal_decision, foi_response, request_thread, other."""
    start = text[:3000]
    if _WDTK_TITLE.search(title_hint or ""):
        return "request_thread"
    # Before the request site's footer: decisions cite requests made through the site near their end.
    if (_TRIBUNAL.search(start) or _APPEAL_HEADING.search(start)) and _TRIBUNAL_SIGNS.search(start):
        return "tribunal_decision"
    if _WDTK_TEXT.search(text[-3000:]):
        return "request_thread"
    if _ICO_NOTICE.search(text[:1500]) and _ICO_NOTICE_BODY.search(text[:6000]):
        return "decision_notice"
    if _WDTK_TEXT.search(start) or _is_request_email(start):
        return "request_thread"
    return "foi_response" if is_response_page(text) else "other"


def _title(text: str, path: str, title_hint: str | None) -> str:
    if title_hint and title_hint.strip():
        return re.sub(r"\s+", " ", title_hint).strip()
    for line in text.splitlines()[:60]:
        line = line.strip()
        if 3 <= len(line) <= 200 and not _FURNITURE.match(line):
            return line
    return PurePath(path).stem


def _urls_by_reference(text: str) -> dict[str, str]:
    urls: dict[str, str] = {}
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(".,;")
        for norm, _raw, _off in find_references(url):
            urls.setdefault(norm, url)
    return urls


def _path_reference(path: str) -> str | None:
    return normalise_reference(PurePath(path).stem)


def extract_metadata(text: str, path: str, fmt: str, title_hint: str | None = None) -> dict:
    """Every metadata field of one document (keys always present; unknown values are None or empty)."""
    doc_type = classify(text, path, title_hint)
    fields = _type_fields(doc_type, text, path, title_hint)
    own = list(dict.fromkeys(fields.get("references", [])))
    all_refs = list(dict.fromkeys(n for n, _raw, _off in find_references(text)))
    cites = [r for r in all_refs if r not in own]
    urls = _urls_by_reference(text)
    regime = "EIR" if re.search(r"Environmental\s+Information\s+Regulations", text[:3000], re.IGNORECASE) else "FOI"
    sections = fields["sections"] if "sections" in fields else find_sections(text, regime)
    return {
        "doc_type": doc_type,
        "title": fields.get("title") or _title(text, path, title_hint),
        "authority": display_authority(fields.get("authority"), on=fields.get("date")),
        "date": fields.get("date"),
        "references": own,
        "legislation": find_legislation(text, sections),
        "sections": sections,
        "outcome": fields.get("outcome"),
        "cites": cites,
        "cite_urls": {r: u for r, u in urls.items() if r in cites},
        "request_text": fields.get("request_text"),
    }


def _type_fields(doc_type: str, text: str, path: str, title_hint: str | None) -> dict:
    if doc_type == "tribunal_decision":
        fields = tribunal_fields(text)
        fields["title"] = _tribunal_title(fields, text, path, title_hint)
        return fields
    if doc_type == "decision_notice":
        fields = ico_fields(text, _path_reference(path))
        label = " ".join(["Decision notice", *fields["references"][:1]])
        authority = display_authority(fields["authority"], on=fields.get("date"))
        fields["title"] = f"{label}: {authority}" if authority else label
        return fields
    if doc_type == "request_thread":
        return request_thread_fields(text, title_hint)
    if doc_type == "foi_response":
        return foi_response_fields(text)
    return {"date": _heading_date(text[:OTHER_DATE_WINDOW])}


def _heading_date(head: str) -> str | None:
    """Judgments and articles date themselves near the top: "Date: 29.07.97", else the first date written in
    words ("JUDGMENT OF THE COURT ... 11 December 2001"), else the first date."""
    label = re.search(r"\bDate\s*:\s*", head)
    labelled = parse_date(head[label.end(): label.end() + 40]) if label else None
    return labelled or parse_date(head, words_first=True)


def _display_party(name: str) -> str | None:
    # Heading parsers sometimes run a party into the representatives' block ("Rachel Kamm\nFor the ...").
    if "\n" in name.strip() or len(name) > 90 or re.search(r"\bFor the\b|Subject matter", name):
        return None
    if is_commissioner(name):
        return "Information Commissioner"
    name = re.sub(r"^(?:mr|mrs|ms|miss|dr)\.?\s+", "", name.strip(), flags=re.IGNORECASE)
    return display_authority(name) or name


def _tribunal_title(fields: dict, text: str, path: str, title_hint: str | None) -> str:
    parties = fields.get("parties", [])
    appellants = list(dict.fromkeys(filter(None, (_display_party(n) for r, n in parties if r.startswith("appellant")))))
    respondents = list(dict.fromkeys(filter(None, (_display_party(n) for r, n in parties if r.startswith("respondent")))))
    refs = ", ".join(fields.get("references", [])[:3])
    if appellants and respondents:
        title = f"{' and '.join(appellants[:2])} v {' and '.join(respondents[:2])}"
        return f"{title} ({refs})" if refs else title
    return refs or _title(text, path, title_hint)
