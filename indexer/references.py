"""Recognise and normalise FOI document references: ICO notices, appeal numbers, neutral citations, request refs."""
from __future__ import annotations

import re
from collections.abc import Callable

# Separators seen in the wild: "IC-231130-L9K4", "ic 231130 l9k4", "EA.2019.0369" (tribunal file names), "EA 2005 26".
_SEP = r"[\s\-_./]?"
_ICO_NEW = re.compile(rf"\bIC{_SEP}(\d{{6}}){_SEP}([A-Z]\d[A-Z]\d)\b", re.IGNORECASE)
_ICO_FS = re.compile(r"\bFS\s?-?(50\d{6})\b", re.IGNORECASE)
_ICO_FER = re.compile(r"\bFER\s?-?(0\d{6})\b", re.IGNORECASE)
# "EA/20100113": a missing second slash is only trusted with exactly four digits after the year.
_APPEAL = re.compile(r"\bEA\s?[/\s.\-]?\s?((?:19|20)\d\d)(?:\s?[/\s.\-]\s?(\d{1,4})|(\d{4}))(?!\d)", re.IGNORECASE)
_UT_APPEAL = re.compile(r"\b(UA|GIA)-((?:19|20)\d\d)-(\d{6})-([A-Z]{2,4})\b", re.IGNORECASE)
_OLD_UT_APPEAL = re.compile(r"\bGIA/(\d{1,5})/((?:19|20)\d\d)\b", re.IGNORECASE)
# "[2026] UKUT 91 (AAC)"; the brackets are often left out when the citation is typed ("2026 UKUT 91").
_NCN = re.compile(
    r"(?:\[|\b)((?:19|20)\d\d)\]?\s*(UKFTT|UKUT|UKIT|EWHC|EWCA\s+Civ|UKSC|UKHL|CSIH|CSOH)\s+0*(\d{1,5})"
    r"(?:\s*\(\s*(GRC|AAC|IAC|TC|LC|Admin|QB|KB|Ch)\s*\))?",
    re.IGNORECASE,
)
_AUTHORITY_REF = re.compile(r"\bFOIA?\s?[/\-]\s?((?:\d{2,4}[/\-])?\d{3,7})\b", re.IGNORECASE)

_COURT_CASE = {"ukftt": "UKFTT", "ukut": "UKUT", "ukit": "UKIT", "ewhc": "EWHC", "ukhl": "UKHL",
               "uksc": "UKSC", "csih": "CSIH", "csoh": "CSOH"}
_CHAMBER_CASE = {"admin": "Admin", "ch": "Ch"}


def _ico_new(m: re.Match) -> str:
    return f"IC-{m.group(1)}-{m.group(2).upper()}"


def _ico_fs(m: re.Match) -> str:
    return f"FS{m.group(1)}"


def _ico_fer(m: re.Match) -> str:
    return f"FER{m.group(1)}"


def _appeal(m: re.Match) -> str:
    return f"EA/{m.group(1)}/{int(m.group(2) or m.group(3)):04d}"


def _ut_appeal(m: re.Match) -> str:
    return f"{m.group(1).upper()}-{m.group(2)}-{m.group(3)}-{m.group(4).upper()}"


def _old_ut_appeal(m: re.Match) -> str:
    return f"GIA/{m.group(1)}/{m.group(2)}"


def _ncn(m: re.Match) -> str:
    court = m.group(2)
    court = "EWCA Civ" if court.lower().startswith("ewca") else _COURT_CASE[court.lower()]
    chamber = m.group(4)
    suffix = ""
    if chamber:
        suffix = f" ({_CHAMBER_CASE.get(chamber.lower(), chamber.upper())})"
    return f"[{m.group(1)}] {court} {int(m.group(3))}{suffix}"


def _authority_ref(m: re.Match) -> str:
    return "FOI/" + re.sub(r"-", "/", m.group(1))


# Order matters only for ties at the same offset; the patterns do not overlap in practice.
_PATTERNS: list[tuple[re.Pattern, Callable[[re.Match], str], str]] = [
    (_ICO_NEW, _ico_new, "ico"),
    (_ICO_FS, _ico_fs, "ico"),
    (_ICO_FER, _ico_fer, "ico"),
    (_APPEAL, _appeal, "appeal"),
    (_UT_APPEAL, _ut_appeal, "appeal"),
    (_OLD_UT_APPEAL, _old_ut_appeal, "appeal"),
    (_NCN, _ncn, "ncn"),
    (_AUTHORITY_REF, _authority_ref, "authority_ref"),
]

_ANY = re.compile("|".join(f"(?P<p{i}>{p.pattern})" for i, (p, _n, _k) in enumerate(_PATTERNS)), re.IGNORECASE)

_CANDIDATE = re.compile(r"(?<![A-Za-z0-9])[IiFfEeUuGg][A-Za-z]{0,3}[\s\-_./]{0,3}\d|\[\d")

_KIND_OF_NORMALISED = [
    (re.compile(r"^(IC-\d{6}-[A-Z]\d[A-Z]\d|FS50\d{6}|FER0\d{6})$"), "ico"),
    (re.compile(r"^(EA/\d{4}/\d{4}|(UA|GIA)-\d{4}-\d{6}-[A-Z]+|GIA/\d+/\d{4})$"), "appeal"),
    (re.compile(r"^\[\d{4}\] "), "ncn"),
]


def normalise_reference(raw: str) -> str | None:
    """Canonical form of one reference, or None when raw is not a recognisable reference."""
    raw = raw.strip()
    for pattern, norm, _kind in _PATTERNS:
        m = pattern.search(raw)
        if m and m.start() == 0 and m.end() == len(raw.rstrip(".,;")):
            return norm(m)
    return None


def find_references(text: str) -> list[tuple[str, str, int]]:
    """Every reference in text as (normalised, raw, offset), in text order."""
    found: list[tuple[str, str, int]] = []
    end = 0
    # A cheap scan for places a reference could start, then the combined pattern there, then the matching
    # alternative alone to read its groups: about ten times faster than running every pattern over the text.
    for start in _CANDIDATE.finditer(text):
        if start.start() < end:
            continue
        m = _ANY.match(text, start.start())
        if not m:
            continue
        pattern, norm, _kind = _PATTERNS[int(m.lastgroup[1:])]
        single = pattern.match(text, m.start(), m.end())
        if single:
            found.append((norm(single), single.group(0), m.start()))
            end = m.end()
    return found


def reference_kind(normalised: str) -> str:
    """"ico", "appeal", "ncn" or "authority_ref" (anything else an authority uses for its own requests)."""
    for pattern, kind in _KIND_OF_NORMALISED:
        if pattern.match(normalised):
            return kind
    return "authority_ref"


_CHAMBER_SUFFIX = re.compile(r"^(\[\d{4}\] [A-Za-z ]+ \d+) \([A-Za-z]+\)$")


def reference_keys(reference: str) -> list[str]:
    """The forms a normalised reference is looked up by: itself, and a neutral citation without its chamber
    ("[2026] UKUT 91 (AAC)" is also "[2026] UKUT 91", as people cite it)."""
    bare = _CHAMBER_SUFFIX.match(reference)
    return [reference, bare.group(1)] if bare else [reference]
