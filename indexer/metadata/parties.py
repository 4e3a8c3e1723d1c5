"""Party names and roles from the heading of a tribunal decision."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.metadata.authority import PUBLIC_BODY
from indexer.metadata.common import tidy_name

_ROLE = (r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)?\s*"
         r"(?P<role>appellants?|respondents?|additional\s+part(?:y|ies)|interested\s+part(?:y|ies)|public\s+authority)")
_ROLE_LINE = re.compile(rf"^\(?{_ROLE}\)?\s*(?::|-|–)?\s*(?P<rest>.*)$", re.IGNORECASE)
_NAME_THEN_ROLE = re.compile(rf"^(?P<name>.*?\S)\s+(?:the\s+)?{_ROLE}\s*(?:and|v)?\s*$", re.IGNORECASE)
_BOUNDARY = re.compile(
    r"^(?:[-–]?\s*and\s*[-–]?|between|-?\s*v\.?\s*-?|vs?\.?|before|heard.*|decided.*|on appeal from.*|in the matter.*|"
    r"representation.*|for the .*|attendances?.*|.*tribunal.*|.*chamber.*|information rights|"
    r"judge.*|.*members?\b.*|.*\bjudge\b.*|date.*|dated.*|appeal\s+(?:no|number|ref).*|case\s+no.*|"
    r"(?:ea|fs|fer)[\s/\d].*|.*\d{4}.*|\[.*\]|.*:)$",
    re.IGNORECASE,
)
_LEADING_JOINER = re.compile(r"^(?:.*\bB\s?E\s?T\s?W\s?E\s?E\s?N\s*:?\s*[-–]?\s*|[-–]?\s*and\b\s*[-–]?\s*)", re.IGNORECASE)
# A hearing note run into the last name of a two-column heading ("Isle of Wight Council Heard on the papers ...").
_TRAILER = re.compile(r"\s+(?:Heard|Decided|Determined|Promulgated|Date\s+of\s+(?:hearing|decision))\b.*$")
# Representation lists repeat the roles with counsel's names: the parties are all named before them.
_PARTIES_END = re.compile(r"^(?:Representation|Attendances?|Appearances?|Written\s+submissions|"
                          r"For\s+the\s+(?:\w+\s+)?(?:appellant|respondent))\b",
                          re.IGNORECASE)
_PARTIES_START = re.compile(r"^(?:between|before)\b", re.IGNORECASE)
# "FOREIGN AND COMMONWEALTH OFFICE (EA/2017/0275)": which of joined appeals a party belongs to.
_APPEAL_AFTER_NAME = re.compile(r"\s*\((?:EA|Appeal)[^()]*\d{4}[^()]*\)\s*$", re.IGNORECASE)
# A name broken over two heading lines ends its first line with a joining word.
_WRAPS = re.compile(r"(?:\b(?:of|and|for|in|the|on)|[&,])\s*$", re.IGNORECASE)
_LISTED = re.compile(r"^\(\s?\d\s?\)")
_ORDINAL_ONLY = re.compile(r"^(?:first|second|third|fourth|1st|2nd|3rd|4th|additional|interested)$", re.IGNORECASE)
_SPLIT_NUMBERED = re.compile(r"\(\s?\d\s?\)\s*|\s*\((?:first|second|third|\d\w*)\s+respondent\)\s*", re.IGNORECASE)
# "APPELLANT: X FIRST RESPONDENT: Y" on one line: start a new line at each labelled role.
_INLINE_ROLE = re.compile(r"(?<=\S)(?<!for\sthe)\s+(?=(?:(?:first|second|third|1st|2nd|3rd)\s+)?(?:appellant|respondent|additional\s+party)"
                          r"s?\s*:|(?:first|second|third|1st|2nd|3rd)\s+respondents?\b|judge\s*:)", re.IGNORECASE)


def _names(buffer: list[str], plural: bool = False) -> list[str]:
    # Under a plural role ("Respondents") each heading line is a separate party.
    chunks = buffer if plural else [" ".join(buffer)]
    chunks = [_TRAILER.sub("", _LEADING_JOINER.sub("", chunk)) for chunk in chunks]
    parts = [tidy_name(p) for chunk in chunks for p in _SPLIT_NUMBERED.split(chunk)]
    return [p for p in parts if p and len(p) < 160]


def _heading_lines(header: str) -> list[str]:
    text = _INLINE_ROLE.sub("\n", header)
    lines = [raw.strip().strip("!").strip() for raw in text.splitlines()]
    lines = [line for line in lines if line]
    # Two-column headings put "First" and "Respondent" (or "Additional" and "Party") on separate lines.
    for i in range(len(lines) - 1):
        if _ORDINAL_ONLY.match(lines[i]):
            lines[i], lines[i + 1] = "", f"{lines[i]} {lines[i + 1]}"
    return [line for line in lines if line]


def parse_parties(header: str) -> list[tuple[str, str]]:
    """(role, name) pairs in heading order; role is "appellant", "respondent" or "party" plus an ordinal if given."""
    state = _Parse()
    for line in _heading_lines(header):
        if _PARTIES_END.match(line):
            if state.parties:
                break
            # Some headings list the representatives first: the parties follow "Before"/"Between".
            state.skipping = True
        elif state.skipping:
            state.skipping = not _PARTIES_START.match(line)
        else:
            state.read(_APPEAL_AFTER_NAME.sub("", line))
    state.flush()
    return state.parties


@dataclass
class _Parse:
    """parse_parties' state: the lines since the last role, a role waiting for its name on the next line
    ("Second Respondent:" then the name), and an inline role whose numbered list may go on ("(2) X")."""

    parties: list[tuple[str, str]] = field(default_factory=list)
    buffer: list[str] = field(default_factory=list)
    pending: str | None = None
    continued: str | None = None
    wrapped: bool = False
    skipping: bool = False

    def read(self, line: str) -> None:
        m = _ROLE_LINE.match(line) or _NAME_THEN_ROLE.match(line)
        if m:
            self._role(m)
        elif self.wrapped and not _BOUNDARY.match(line):
            # "2ND Respondent: CHIEF CONSTABLE OF" / "WEST YORKSHIRE POLICE": the name goes on.
            role, name = self.parties[-1]
            self.parties[-1] = (role, tidy_name(f"{name} {line}"))
            self.wrapped = _WRAPS.search(line) is not None
        elif _BOUNDARY.match(line.strip("()[] ")) or len(line) > 120:
            self.flush()
        elif self.pending:
            self.parties.extend((self.pending, n) for n in _names([line]))
            self.pending = None
        else:
            self.buffer.append(line)

    def _role(self, m: re.Match) -> None:
        role = _role_name(m.group("role"), m.group("ord"))
        named = _LEADING_JOINER.sub("", m.groupdict().get("name") or m.groupdict().get("rest") or "")
        plural = m.group("role").lower().endswith(("s", "ies"))
        if re.search(r"[A-Za-z]{3}", named):
            self.flush()
            names = _names([named])
            self.parties.extend((role, n) for n in names)
            self.continued = role
            self.wrapped = bool(names) and _WRAPS.search(named) is not None
        elif self.buffer:
            self.parties.extend((role, n) for n in _names(self.buffer, plural))
            self.buffer, self.continued = [], None
        elif m.group(0).rstrip().endswith(":"):
            self.pending = role

    def flush(self) -> None:
        """End of a block: lines after an inline role that are numbered ("(2) X") or a public body belong to it."""
        if self.continued:
            listed = [line for line in self.buffer
                      if ":" not in line and (_LISTED.match(line) or PUBLIC_BODY.search(line))]
            self.parties.extend((self.continued, n) for n in _names(listed, plural=True))
        self.buffer, self.continued, self.pending, self.wrapped = [], None, None, False


def _role_name(role: str, ordinal: str | None) -> str:
    role = role.lower()
    base = "appellant" if role.startswith("appellant") else "respondent" if role.startswith("respondent") else "party"
    if ordinal:
        base += ":" + ordinal.lower()[0].replace("f", "1").replace("s", "2").replace("t", "3")
    return base
