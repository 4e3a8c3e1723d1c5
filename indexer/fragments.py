"""Rejoin words that PDF text extraction split with stray spaces ("rece ived", "th e", "sectio n", "13 th")."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

# One- and two-letter tokens that are English words (or standard abbreviations) and so never a piece of a word.
SHORT_WORDS = frozenset(
    "a i am an as at be by do go he if in is it me my no of oh ok on or so to up us we ye mr ms dr st uk eu hm co "
    "vs ie eg nb".split()
)
# The longest run of pieces tried as one word ("acco mmo dation").
MAX_PIECES = 3
# A document counts as split when at least this share of its tokens (and this many) start a pair with a short
# non-word piece ("t he", "sectio n"): born-digital decisions have about one in 10,000 ("e mail").
SPLIT_RATE = 0.002
MIN_SPLIT_RUNS = 5
_CORE = re.compile(r"^([(\[“\"‘']*)([A-Za-z]+)([)\].,;:!?”\"’']*)$")
_ORDINAL = re.compile(r"\b(\d{1,2}) (st|nd|rd|th)\b")
_SUFFIX = {1: "st", 2: "nd", 3: "rd"}

Line = list["re.Match[str] | None"]


@dataclass
class _Evidence:
    """What the document says about its tokens: how often each word is written, and how often it stands in a
    run of tokens that spells another word of the document (a candidate join)."""

    words: Counter[str] = field(default_factory=Counter)
    in_runs: Counter[str] = field(default_factory=Counter)
    split: bool = False

    def never_alone(self, core: str) -> bool:
        lower = core.lower()
        return len(lower) > 2 and self.in_runs[lower] >= self.words[lower]


def _ordinal(m: re.Match) -> str:
    number = int(m.group(1))
    expected = "th" if 11 <= number % 100 <= 13 else _SUFFIX.get(number % 10, "th")
    return m.group(1) + m.group(2) if m.group(2) == expected else m.group(0)


def _case_fits(cores: list[str]) -> bool:
    # A split keeps the word's case pattern ("L ondon", "OFFI CE"); "a Ward", "Mc Donald" and initials
    # ("D M", "B E T W E E N") are separate tokens.
    if all(len(core) == 1 for core in cores) and "".join(cores).isupper():
        return False
    return all(b[0].islower() or (a.isupper() and b.isupper()) for a, b in zip(cores, cores[1:], strict=False))


def _run(line: Line, start: int, size: int) -> list[str] | None:
    """The cores of tokens start..start+size if they can form one word: punctuation may open the first and close
    the last, never sit between them."""
    run = line[start: start + size]
    if len(run) < size or not all(run) or any(m.group(3) for m in run[:-1]) or any(m.group(1) for m in run[1:]):
        return None
    cores = [m.group(2) for m in run]
    return cores if _case_fits(cores) else None


def _candidate(line: Line, start: int, size: int, words: Counter[str]) -> list[str] | None:
    cores = _run(line, start, size)
    return cores if cores and words["".join(cores).lower()] else None


def _short_piece(core: str) -> bool:
    return len(core) <= 2 and core.lower() not in SHORT_WORDS


def _evidence(lines: list[Line]) -> _Evidence:
    evidence = _Evidence()
    for line in lines:
        evidence.words.update(m.group(2).lower() for m in line if m)
    pairs: list[list[str]] = []
    for line in lines:
        covered: set[int] = set()
        for start in range(len(line)):
            for size in range(2, MAX_PIECES + 1):
                cores = _candidate(line, start, size, evidence.words)
                if cores:
                    covered.update(range(start, start + size))
                    if size == 2:
                        pairs.append(cores)
        evidence.in_runs.update(line[i].group(2).lower() for i in covered)
    # Pairs that show splitting: a short non-word piece ("th e"), or two tokens neither of which the document
    # ever writes alone ("Trib unal").
    signs = sum(any(map(_short_piece, cores)) or all(map(evidence.never_alone, cores)) for cores in pairs)
    tokens = sum(len(line) for line in lines)
    evidence.split = signs >= max(MIN_SPLIT_RUNS, SPLIT_RATE * tokens)
    return evidence


def _is_piece(core: str, evidence: _Evidence) -> bool:
    """Not a word of its own: a short non-word ("th", "nt", "e"); in a document whose words are split, also a
    longer token it never writes except where it completes a word ("ived" of "rece ived"). In a document without
    splits such a token is a word in a set phrase ("a long", "as set") and stays apart."""
    if _short_piece(core):
        return True
    return evidence.split and evidence.never_alone(core)


def _rejoin_line(tokens: list[str], line: Line, evidence: _Evidence) -> str:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(MAX_PIECES, 1, -1):
            cores = _candidate(line, i, size, evidence.words)
            if cores and any(_is_piece(core, evidence) for core in cores):
                out.append("".join(tokens[i: i + size]))
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return " ".join(out)


def rejoin_split_words(pages: list[str]) -> list[str]:
    """Join runs of tokens that together spell a word the document also writes whole, when one of them is not a
    word by itself; "13 th" -> "13th". Pairs of real words ("in to", "a long", "as set") stay apart."""
    split = [[line.split(" ") for line in page.split("\n")] for page in pages]
    matched = [[[_CORE.match(token) for token in tokens] for tokens in page] for page in split]
    evidence = _evidence([line for page in matched for line in page])
    mended = []
    for page, page_matches in zip(split, matched, strict=True):
        lines = [_rejoin_line(tokens, line, evidence) if len(tokens) > 1 else tokens[0]
                 for tokens, line in zip(page, page_matches, strict=True)]
        mended.append(_ORDINAL.sub(_ordinal, "\n".join(lines)))
    return mended
