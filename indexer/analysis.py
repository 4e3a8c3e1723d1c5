"""Whoosh analyzer for legal text: references and section numbers stay whole, ordinary words are stemmed.

Choices, and why:
- Section numbers such as ``31(1)(a)`` and identifiers such as ``EA/2005/0026``, ``IC-231130-L9K4`` and
  ``FS50123456`` are single tokens, lowercased and never stemmed, so a query written the way a lawyer writes
  it matches exactly.
- At index time such a token also yields its parts at the same position: the section prefixes ``31`` and
  ``31(1)``, the pieces ``ea``, ``2005``, ``0026``, and ``fs`` + ``50123456``. So ``section 31`` (also as a
  phrase) finds ``section 31(1)(a)``. Queries keep the whole token only, so an exact reference stays precise.
- Ordinary words are lowercased and Porter-stemmed (``exemptions``/``exempt`` meet, ``disclosed``/``disclosure``
  meet): decisions paraphrase each other, and recall matters more than the rare false conflation.
- Stop words are Whoosh's English list less "not" and "no", which carry meaning in outcomes ("not upheld").
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from whoosh.analysis import Analyzer, Filter, RegexTokenizer, Token
from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang.porter import stem

LEGAL_STOP_WORDS = frozenset(STOP_WORDS - {"not", "no"})

_SECTION = r"\d+[a-z]{0,2}(?:\([0-9a-z]{1,5}\))+"
_COMPOUND = r"\w+(?:[/\-]\w+)+"
_WORD = r"\w+(?:['’]\w+)*"
TOKEN_PATTERN = re.compile(f"{_SECTION}|{_COMPOUND}|{_WORD}", re.IGNORECASE | re.UNICODE)

_SECTION_RE = re.compile(_SECTION)
_PREFIXED_NUMBER = re.compile(r"([a-z]{1,4})(\d{4,})")
_POSSESSIVE = re.compile(r"['’]s$")


def section_prefixes(token: str) -> list[str]:
    """``31(1)(a)`` -> ``["31", "31(1)"]``: every shorter form a reader might cite."""
    out, depth = [], 0
    for index, char in enumerate(token):
        if char == "(":
            if depth == 0:
                out.append(token[:index])
            depth += 1
        elif char == ")":
            depth -= 1
    return out


def token_parts(token: str) -> list[str]:
    """Extra index terms for a reference-like token (empty for a plain word)."""
    if _SECTION_RE.fullmatch(token):
        return section_prefixes(token)
    if "/" in token or "-" in token:
        parts = [p for p in re.split(r"[/\-]", token) if p]
        return [_plain(p) for p in parts if p not in LEGAL_STOP_WORDS]
    match = _PREFIXED_NUMBER.fullmatch(token)
    return [match.group(1), match.group(2)] if match else []


def _plain(word: str) -> str:
    return stem(word) if word.isalpha() else word


class LegalFilter(Filter):
    """Lowercases, removes stop words, stems plain words and adds the parts of reference tokens."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        pos = 0
        for t in tokens:
            text = _POSSESSIVE.sub("", t.text.lower())
            if t.removestops and text in LEGAL_STOP_WORDS:
                continue
            if t.positions:
                t.pos = pos
            pos += 1
            whole = _plain(text)
            t.text = whole
            yield t
            if t.mode == "query":
                continue
            for part in dict.fromkeys(token_parts(text)):
                if part != whole:
                    extra = t.copy()
                    extra.text = part
                    yield extra


def legal_analyzer() -> Analyzer:
    """Tokenizer + LegalFilter; see the module docstring for what is kept, split and stemmed."""
    return RegexTokenizer(TOKEN_PATTERN) | LegalFilter()
