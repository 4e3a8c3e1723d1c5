"""Shared metadata helpers: date parsing, legislation, exemption sections and party-name tidying."""
from __future__ import annotations

import re
from datetime import date

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
MONTHS.update({name[:3]: num for name, num in list(MONTHS.items())})

_MONTH_RE = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# "17 June 2020", "17th  June, 2020", "17th day of June 2020", "June 17, 2020", "17/06/2020", "17.06.20", "2020-06-17"
DATE_RE = re.compile(
    rf"(?P<d1>\d{{1,2}})\s*(?:st|nd|rd|th)?\.?\s*(?:day\s+of\s+|of\s+)?(?P<m1>{_MONTH_RE}),?\s*(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<m2>{_MONTH_RE})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d\d)"
    r"|(?P<d3>\d{1,2})\s?[/.]\s?(?P<m3>\d{1,2})\s?[/.]\s?(?P<y3>(?:19|20)?\d\d)(?!\d)"
    r"|(?P<y4>(?:19|20)\d\d)-(?P<m4>\d\d)-(?P<d4>\d\d)",
    re.IGNORECASE,
)


def _to_iso(year: int, month: int, day: int) -> str | None:
    if year < 100:
        # "29.07.97" is 1997: a two-digit year past next year's is last century's.
        year += 2000 if year <= date.today().year % 100 + 1 else 1900
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def iso_from_match(m: re.Match) -> str | None:
    """ISO date of one DATE_RE match (None for impossible dates such as 31 June)."""
    if m.group("d1"):
        return _to_iso(int(m.group("y1")), MONTHS.get(m.group("m1").lower()[:3], 0), int(m.group("d1")))
    if m.group("d2"):
        return _to_iso(int(m.group("y2")), MONTHS.get(m.group("m2").lower()[:3], 0), int(m.group("d2")))
    if m.group("d3"):
        return _to_iso(int(m.group("y3")), int(m.group("m3")), int(m.group("d3")))
    return _to_iso(int(m.group("y4")), int(m.group("m4")), int(m.group("d4")))


def parse_date(text: str, words_first: bool = False) -> str | None:
    """First parseable date in text, as YYYY-MM-DD; with words_first, a date with its month in words ("13
    September 2000") wins over an earlier numeric one (a browser's print stamp "8/6/2020")."""
    found = [(m, iso) for m in DATE_RE.finditer(text) if (iso := iso_from_match(m))]
    if words_first:
        found = [f for f in found if f[0].group("m1") or f[0].group("m2")] or found
    return found[0][1] if found else None


# Matched on lower-cased text without a leading \b: both let the regex engine skip ahead on literal prefixes,
# which makes this scan several times faster; the word boundary before a match is checked by hand.
_LEGISLATION = re.compile(
    r"(?P<FOIA>freedom\s+of\s+information\s+act|foia\b|foi\s+act\b)"
    r"|(?P<EIR>environmental\s+information\s+regulations|eirs?\b)"
    r"|(?P<DPA>data\s+protection\s+act|dpa\b|gdpr\b)"
)


def find_legislation(text: str, sections: list[str]) -> list[str]:
    """Regimes the document deals with (named at least twice, or the regime of an extracted section), the main
    one first: FOIA or EIR, whichever is named more often (the first named on a tie), then the Data Protection
    Act, which FOI decisions cite for personal data (section 40) without it being their regime."""
    counts = {"FOIA": 0, "EIR": 0, "DPA": 0}
    first: dict[str, int] = {}
    lowered = text[:200_000].lower()
    for m in _LEGISLATION.finditer(lowered):
        if m.start() and lowered[m.start() - 1].isalnum():
            continue
        counts[m.lastgroup] += 1
        first.setdefault(m.lastgroup, m.start())
    prefixes = {s.split()[0] for s in sections}
    found = [name for name, n in counts.items() if n >= 2 or {"FOIA": "FOI", "EIR": "EIR"}.get(name) in prefixes]
    return sorted(found, key=lambda name: (name == "DPA", -counts[name], first.get(name, len(lowered))))


# Exemptions and procedural duties a decision can turn on; other numbers (s.50, s.57, s.58) are tribunal machinery.
_FOI_SECTIONS = {1, 10, 11, 12, 14, 16, 17, *range(21, 45)}
_EIR_REGS = {5, 6, 7, 9, 11, 12, 13, 14}
_NUM = r"\d{1,2}[A-Z]?(?:\s?\(\s?[0-9a-zA-Z]{1,4}\s?\))*"
_SECTION_LIST = re.compile(
    rf"\b(?P<kw>sections?|ss?\.|s(?=\d)|s\s(?=\d)|regulations?|regs?\.?)\s?(?P<list>{_NUM}"
    rf"(?:\s?(?:,|and|or|&|/)\s?(?:(?:section|s\.?)\s?)?{_NUM})*)",
    re.IGNORECASE,
)
_ONE_NUM = re.compile(_NUM)
_OTHER_ACT = re.compile(
    r"[\s,]*(?:of|under)\s+(?:the\s+)?(?!Freedom|FOIA|Environmental|EIR|Act\b|Regulations\b|said)"
    r"[A-Z][\w()]*(?:\s+[\w()]+){0,6}?\s+(?:Act|Regulations|Rules|Order)\b"
)
_BRACKET = re.compile(r"\(\s?([0-9a-zA-Z]+)\s?\)")


def normalise_section(raw: str) -> str:
    """"31 (1) (a)" -> "31(1)(a)"; "40(5B)" -> "40(5)(b)"; "12(5)(E)" -> "12(5)(e)"."""
    head = re.match(r"\d{1,2}[A-Z]?", raw).group(0).upper()
    parts = []
    for inner in _BRACKET.findall(raw):
        m = re.fullmatch(r"(\d+)([A-Za-z])", inner)
        parts.extend([m.group(1), m.group(2)] if m else [inner])
    return head + "".join(f"({p.lower()})" for p in parts)


def find_sections(text: str, default_regime: str) -> list[str]:
    """Exemption sections/regulations mentioned, e.g. ["FOI 31(1)(a)", "EIR 12(5)(e)"], first mention order."""
    found: list[str] = []
    for m in _SECTION_LIST.finditer(text):
        if _OTHER_ACT.match(text, m.end(), m.end() + 90):
            continue
        kw = m.group("kw").lower()
        regime = "EIR" if kw.startswith("reg") else "FOI"
        allowed = _EIR_REGS if regime == "EIR" else _FOI_SECTIONS
        if regime == "FOI" and default_regime == "EIR" and re.match(r"\s*of\s+(?:the\s+)?EIR", text[m.end():m.end() + 12]):
            regime, allowed = "EIR", _EIR_REGS
        for num in _ONE_NUM.findall(m.group("list")):
            sec = normalise_section(num)
            if int(re.match(r"\d+", sec).group(0)) in allowed:
                label = f"{regime} {sec}"
                if label not in found:
                    found.append(label)
    return found


_SPACES = re.compile(r"\s+")


def tidy_name(name: str) -> str:
    """Collapse whitespace and strip list markers, quotes and trailing punctuation from a party name."""
    name = _SPACES.sub(" ", name).strip()
    name = re.sub(r"^\(?\d\)\s*|^\d\.\s+|^[/!]+\s*", "", name)
    name = re.split(r"\s+Address\b", name)[0]
    # A trailing short alias such as (“HO”) or (DfT) is how the document refers to the party, not its name.
    name = re.sub(r"\s*\((?:the\s+)?[“\"‘']?[\w .&’'-]{1,30}[”\"’']?\)$", "", name)
    return name.strip(" ,.;:-–\"'“”‘’!")
