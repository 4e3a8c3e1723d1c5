"""The date of a tribunal decision: promulgation date, else the judge's signature date, else the decision date."""
from __future__ import annotations

import re

from indexer.metadata.common import DATE_RE, iso_from_match

_PROMULGATED_LABEL = re.compile(
    r"(?:date\s+(?:of\s+)?promulgat(?:ed|ion)|promulgat(?:ed|ion)\s+date|decision\s+promulgated)\s*(?:on)?\s*:?"
    r"|(?<![a-z])promulgat(?:ed|ion)\s*:", re.IGNORECASE)
_PROMULGATED_LINE = re.compile(r"^\s*Promulgated\s*(?:on)?\s*:?", re.IGNORECASE | re.MULTILINE)
_PROMULGATED = re.compile(r"promulgat(?:ed|ion)\s*(?:on)?\s*:?", re.IGNORECASE)
# A label, not prose: "formal records of decision dated 11 June" must not count.
_DECIDED = re.compile(r"^[^\S\n]*(?:date\s+of\s+(?:the\s+)?decisions?(?:\s+on\s+\(\d\))?|decision\s+date|"
                      r"decision\s+given(?:\s+on)?)[^\S\n]*[:.]?", re.IGNORECASE | re.MULTILINE)
# What a judge writes next to the signature: "Tribunal Judge 21 August 2012", "Dated this 9th day of ...",
# "Signed Date: 9 May 2007", "Chairman of the Tribunal Date: 11 February 2008".
_SIGNATURE = re.compile(
    r"(?:\bJudge|\bQ\.?C\.?|Chairman(?:\s+of\s+the\s+Tribunal)?|\bDJ\(MC\)|\[Signed[^\]]*\]|\bSigned,?)[ \t]*,?[ \t]*\n?"
    r"(?:[ \t]*\n)?[ \t]*(?:Dated?\b(?:\s+this)?\s*:?\s*)?(?=\d)"
    r"|^[^\S\n]*(?:Signed\s+)?Dated?\b(?:\s+this)?[^\S\n]*:?\s*(?=\d)",
    re.IGNORECASE | re.MULTILINE)
# Decisions often carry a later ruling (permission to appeal, costs) after the signature; its date is not ours.
_APPENDED = re.compile(
    r"^\s*(?:IN\s+THE\s+MATTER\s+OF\s+AN\s+APPEAL|IN\s+THE\s+FIRST[-\s]TIER\s+TRIBUNAL|Case\s+no\s*[:.]|"
    r"(?:DECISION|RULING)\s+ON\s+(?:AN\s+)?APPLICATION)", re.IGNORECASE | re.MULTILINE)
_BEFORE = re.compile(r"\bBEFORE\b|\n\s*\n")


def _dates_in(text: str, start: int, stop: int) -> list[str]:
    return [d for d in (iso_from_match(m) for m in DATE_RE.finditer(text, start, stop)) if d]


def _window_stop(text: str, start: int, window: int) -> int:
    stop = _BEFORE.search(text, start + 1, start + window)
    return stop.start() if stop else start + window


def promulgation_date(text: str, head: str) -> str | None:
    """Date after a "Promulgated" label. Old two-column headings interleave "heard on" dates with it
    ("Heard 6 July 2007 Decision Promulgated: 14/11/2007 and on the papers 18 September 2007"); promulgation
    always comes last, so the latest date in the label's block wins."""
    for pattern, scope, window in ((_PROMULGATED_LABEL, text, 80), (_PROMULGATED_LINE, text, 60),
                                   (_PROMULGATED, head, 160)):
        for m in pattern.finditer(scope):
            dates = _dates_in(scope, m.end(), _window_stop(scope, m.end(), window))
            if dates:
                return max(dates)
    return None


def _decided_date(text: str) -> str | None:
    for m in _DECIDED.finditer(text):
        d = DATE_RE.search(text, m.end(), _window_stop(text, m.end(), 60))
        if d and iso_from_match(d):
            return iso_from_match(d)
    return None


def _appealed_notice_date(text: str, pos: int) -> bool:
    """A "Dated:" under "Decision Notice FS50..." in the heading dates the notice appealed against, not us."""
    before = text[max(0, pos - 80): pos].lower()
    return "notice" in before and "substituted" not in before


def signature_date(text: str) -> str | None:
    """The last date written next to a signature in the main decision, before any appended ruling."""
    found, appended = None, None
    for m in _SIGNATURE.finditer(text):
        if appended is None and found:
            appended = _APPENDED.search(text, found[1])
        if appended and m.start() > appended.start():
            break
        d = DATE_RE.match(text, m.end())
        if d and iso_from_match(d) and not _appealed_notice_date(text, m.start()):
            found = (iso_from_match(d), d.end())
    return found[0] if found else None


# An annex or schedule published on its own names the decision it belongs to: "Open Schedule to the
# Tribunal's Decision dated 29 August 2017".
_SCHEDULE_OF = re.compile(r"\b(?:schedule|annex|appendix)\s+to\s+the\s+(?:\w+[’']s\s+)?decision\s+dated\s+",
                          re.IGNORECASE)


def _schedule_date(head: str) -> str | None:
    m = _SCHEDULE_OF.search(head)
    d = DATE_RE.match(head, m.end()) if m else None
    return iso_from_match(d) if d else None


def decision_date(text: str, head: str) -> str | None:
    """Promulgation date (what the tribunal publishes decisions under), else the "date of decision" label, else
    the signature date, else the last date near the end. A decision is promulgated on or after the day it is
    signed, so a later signature date means the "promulgated" reading was a hearing date (blank box) or prose."""
    promulgated, signed = promulgation_date(text, head), signature_date(text)
    if promulgated and signed and signed > promulgated:
        return signed
    found = promulgated or _decided_date(head) or signed or _decided_date(text) or _schedule_date(head)
    if found:
        return found
    closing = _dates_in(text, max(0, len(text) - 600), len(text))
    return closing[-1] if closing else None
