"""Labelled values at the head of an FOI response page or letter: the authority's reference and the dates."""
from __future__ import annotations

import re

from indexer.metadata.common import DATE_RE, iso_from_match
from indexer.references import find_references, reference_kind

# An authority's own request reference, as written: "382/23", "1814A/23", "01.FOI.23.028707", "FOI/23124",
# "FOI 058/23", "FOIR-434173264", "RFI-2025-1153", "FI16197", "1855272". Capitals only (case-sensitive), so a
# reference never runs on into a word ("25/26-411-Council Tax").
_PREFIX = r"(?:FOI(?:/EIR)?|EIR|RFI|FOIR?|FI|IR|RFS|DP|CR)"
_CORE = r"[A-Z0-9]*\d[A-Z0-9]*(?![a-z])(?:\s?[./\-]\s?[A-Z0-9]*\d[A-Z0-9]*(?![a-z])|[./\-][A-Z]+(?=[./\-]\d))*"
REFERENCE = rf"(?:[A-Z]{{2,8}}[/.\-])*(?:{_PREFIX}\s?[/\-]?\s?)?{_CORE}"
_LABEL = (r"(?i:(?:(?:our|your|case|request|foi|eir|freedom\s+of\s+information(?:\s+request)?|response|cofnod)\s+)?"
          r"(?:ref(?:erence)?|cyf(?:eirnod)?)(?:\s+(?:no|number|id))?\.?|request\s+id|case\s+(?:no|number)\.?)")
_LABELLED_REFERENCE = re.compile(rf"(?:^|\b){_LABEL}[ \t]*[:.]?[ \t]*\n?[ \t]*(?P<ref>{REFERENCE})", re.MULTILINE)
# "Claires Law (1814A/23)", "FOI request (FOIR-434173264)", "Spiking 2016-2021 - 1461/21".
_TRAILING_REFERENCE = re.compile(rf"(?:\((?P<a>{REFERENCE})\)|\s[-\u2013]\s(?P<b>\d{{1,6}}[A-Z]?/\d{{2,4}}))[ \t]*$",
                                 re.MULTILINE)
# A line that starts with a reference ("FOI / 3896 / 2018 - On-call ...", "FI16197", "RFI-2025-1153") or is
# "Request 101003107181" / "Response 1855272".
_LEADING_REFERENCE = re.compile(
    rf"^[ \t]*(?:(?P<a>{_PREFIX}\s?[/\-]?\s?{_CORE})"
    rf"|(?i:request|response|case|foi\s+request)\s+(?P<b>\d{{5,}}))(?=[ \t]*(?:$|[-\u2013/ ]))",
    re.MULTILINE)
_YEARS = re.compile(r"^(?:19|20)\d\d(?:\s*[-\u2013/]\s*(?:19|20)?\d\d)?$")
HEAD_LINES = 15

_DATE_VALUE = (r"[ \t]*[:.]?[ \t]*(?:\n[ \t]*){0,2}(?:(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?[ \t]+)?"
               r"(?P<date>\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d\d|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9},?\s+(?:19|20)\d\d"
               r"|[A-Za-z]{3,9}\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d)")
_RESPONSE_DATE = re.compile(
    r"(?i:\b(?:date\s+(?:responded|of\s+(?:response|decision|reply|disclosure)|resolved|closed|completed|sent|"
    r"released|published)|responded(?:\s+on)?|response\s+date|publication\s+date|published(?:\s+on)?|"
    r"dyddiad\s+cwblhau|response|released(?:\s+on)?|date\s+of\s+letter))" + _DATE_VALUE)
_REQUEST_DATE = re.compile(
    r"(?i:\b(?:date\s+(?:request\s+)?received|(?:request\s+)?received(?:\s+(?:on|date))?|requested(?:\s+on)?|"
    r"dyddiad\s+(?:derbyn|dderbyniwyd)|date\s+requested|request\s+date|date\s+of\s+request))" + _DATE_VALUE)
_LETTER_DATE = re.compile(r"(?im:^[ \t]*date\b)" + _DATE_VALUE)
_DASHED = re.compile(r"(?P<d>\d{1,2})-(?P<m>\d{1,2})-(?P<y>(?:19|20)?\d\d)$")


def _clean_reference(raw: str) -> str | None:
    reference = re.sub(r"\s*/\s*", "/", " ".join(raw.split())).strip(" ./-")
    if not re.search(r"\d", reference) or _YEARS.match(reference) or DATE_RE.fullmatch(reference):
        return None
    return reference


def own_reference(text: str, head: str) -> str | None:
    """The authority's reference for the request: a labelled one anywhere near the top ("Our Ref: 5972",
    "Case reference FOI2025/01023", "Reference number\\n9326503"), else one closing or opening a head line,
    else an "FOI/123" reference in the first part of the text."""
    for pattern, scope in ((_LABELLED_REFERENCE, text[:4000]), (_TRAILING_REFERENCE, head), (_LEADING_REFERENCE, head)):
        for match in pattern.finditer(scope):
            raw = next((group for group in match.groups() if group), "")
            reference = _clean_reference(raw)
            if reference:
                return reference
    found = [raw for norm, raw, _off in find_references(text[:4000]) if reference_kind(norm) == "authority_ref"]
    return _clean_reference(found[0]) if found else None


def _iso(raw: str) -> str | None:
    dashed = _DASHED.match(raw)
    if dashed:
        raw = f"{dashed.group('d')}/{dashed.group('m')}/{dashed.group('y')}"
    match = DATE_RE.search(raw)
    return iso_from_match(match) if match else None


def _first_date(pattern: re.Pattern, text: str) -> str | None:
    for match in pattern.finditer(text):
        iso = _iso(match.group("date"))
        if iso:
            return iso
    return None


_BARE_DATE = re.compile(r"^[ \t]*(?:(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?[ \t]+)?(?P<date>[^\n]{6,30})$", re.MULTILINE)


def response_dates(text: str, head: str = "") -> tuple[str | None, str | None]:
    """(date responded or published, date the request was received or made), from labels near the top; else a
    date standing alone on a line of the page's head (disclosure logs date their entries so) as the first."""
    top = text[:4000]
    responded = _first_date(_RESPONSE_DATE, top) or _first_date(_LETTER_DATE, top)
    if responded is None:
        bare = [_iso(m.group("date")) for m in _BARE_DATE.finditer(head) if DATE_RE.fullmatch(m.group("date").strip())
                or _DASHED.match(m.group("date").strip())]
        responded = next((iso for iso in bare if iso), None)
    return responded, _first_date(_REQUEST_DATE, top)
