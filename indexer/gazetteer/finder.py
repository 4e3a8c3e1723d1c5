"""Every gazetteer body mentioned in a text, found by n-gram lookups over its words; masking them."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from operator import itemgetter

from indexer.gazetteer.index import Entry, gazetteer, resolve, same_case
from indexer.gazetteer.normalise import SKIPPED, TOKEN, fold
from indexer.gazetteer.table import Authority

_SPLIT = re.compile(f"({TOKEN.pattern})")
# Punctuation between two words that ends a name: a name never runs across a sentence or a clause.
_BREAK = re.compile(r"[;:!?|]|\n\s*\n|\.\s")
# Abbreviations whose full stop does not end a sentence ("St. Helens Council").
_ABBREVIATIONS = frozenset({"st", "co", "dr", "mr", "mrs", "ms", "no", "govt", "dept"})
_LEADING_THE = re.compile(r"\b(?:[Tt]he|THE)\s+$")


@dataclass(frozen=True, slots=True)
class Mention:
    """A name in a text: its offsets and words, the body it names (None when ambiguous), every candidate, and
    whether only initials name it ("MPS", "DWP": weaker evidence, since initials also stand for statutes and
    cases in legal text)."""
    start: int
    end: int
    text: str
    authority: Authority | None
    candidates: tuple[Authority, ...]
    initials: bool = False


@dataclass(slots=True)
class _Words:
    """The words of a text that names are made of ("the" and a possessive "'s" left out): keys and offsets."""
    keys: list[str]
    starts: list[int]
    ends: list[int]

    def surfaces(self, text: str, start: int, end: int) -> tuple[str, ...]:
        return tuple(text[self.starts[index]:self.ends[index]] for index in range(start, end))


def _scan(text: str) -> _Words:
    """One C-level split, then C-level maps and picks over cached word keys: this is the hot path of a text
    scan, so there is no object and little Python work per word. A lone "s" is dropped with "the": it is
    the tail of a possessive ("Kent Police's") or a section sign ("s.40"), never part of a name."""
    pieces = _SPLIT.split(text)
    offsets = list(accumulate(map(len, pieces)))
    all_keys = list(map(fold, pieces[1::2]))
    kept = [index for index, word_key in enumerate(all_keys) if word_key != SKIPPED and word_key != "s"]
    if not kept:
        return _Words([], [], [])
    pick = itemgetter(*kept, kept[0]) if len(kept) == 1 else itemgetter(*kept)
    picked = [list(pick(column))[:len(kept)] for column in (all_keys, offsets[0::2], offsets[1::2])]
    return _Words(*picked)


def _one_clause(span: str) -> bool:
    """Whether a stretch of text between a name's first and last word stays within one clause."""
    for match in _BREAK.finditer(span):
        before = re.search(r"(\w+)$", span[:match.start()])
        if not (match.group()[0] == "." and before and before.group(1).lower() in _ABBREVIATIONS):
            return False
    return True


def _fits(entry: Entry, text: str, words: _Words, start: int, end: int, has_capitals: bool) -> bool:
    """Whether the words can be this name in running text: acronyms in their case (or all capitals), other
    names starting with a capital unless the text has none at all, a comma only where the name has one
    ("information, the Commissioner" is no "Information Commissioner"), "the Met" with its article."""
    if not entry.in_text:
        return False
    if entry.needs_the and not _LEADING_THE.search(text, max(0, words.starts[start] - 8), words.starts[start]):
        return False
    if not entry.has_comma and "," in text[words.ends[start]:words.starts[end - 1]]:
        return False
    if entry.surfaces is not None:
        return same_case(words.surfaces(text, start, end), entry)
    return not has_capitals or text[words.starts[start]].isupper()


def _fitting(text: str, words: _Words, start: int, end: int, has_capitals: bool) -> list[Entry]:
    entries = gazetteer().index.get(tuple(words.keys[start:end]))
    if not entries or (end - start > 1 and not _one_clause(text[words.starts[start]:words.starts[end - 1]])):
        return []
    return [entry for entry in entries if _fits(entry, text, words, start, end, has_capitals)]


def _matches(text: str, words: _Words) -> list[tuple[int, int, list[Entry]]]:
    """For each starting word, the longest run of words that names a body (start, end, entries): looked up
    only where the first two words start some name, or the word is a one-word name."""
    table = gazetteer()
    has_capitals = any(char.isupper() for char in text)
    keys, count, found = words.keys, len(words.keys), []
    for start in range(count - 1):
        for length in table.lengths_by_first_pair.get((keys[start], keys[start + 1]), ()):
            if start + length <= count and (fitting := _fitting(text, words, start, start + length, has_capitals)):
                found.append((start, start + length, fitting))
                break
    taken_starts = {start for start, _end, _entries in found}
    for start in range(count):
        if keys[start] in table.one_word_names and start not in taken_starts:
            if fitting := _fitting(text, words, start, start + 1, has_capitals):
                found.append((start, start + 1, fitting))
    return found


def find(text: str, limit_chars: int | None = None, on: dt.date | str | None = None) -> list[Mention]:
    """Every body named in the text (or its first limit_chars characters), in text order. Overlapping names
    go to the longest ("Kent Police Authority" over "Kent Police"); `on` resolves names shared by bodies."""
    text = text if limit_chars is None else text[:limit_chars]
    words = _scan(text)
    taken = [False] * len(words.keys)
    chosen = []
    by_length = sorted(_matches(text, words), key=lambda match: (match[0] - match[1], match[0]))
    for start, end, entries in by_length:
        if any(taken[start:end]):
            continue
        taken[start:end] = [True] * (end - start)
        authority, candidates = resolve(tuple(entries), on)
        begin, finish = words.starts[start], words.ends[end - 1]
        initials = all(entry.surfaces is not None and not entry.needs_the for entry in entries)
        chosen.append(Mention(begin, finish, text[begin:finish], authority, candidates, initials))
    return sorted(chosen, key=lambda mention: mention.start)


def mask(text: str, authorities: Iterable[Authority] | None = None, placeholder: str = "AUTHORITY") -> str:
    """The text with every mention of the given bodies (of any body when None) replaced by the placeholder,
    together with a "the" before it, so that "Has the Metropolitan Police deployed ..." and "Has Gloucestershire
    Constabulary deployed ..." both read "Has AUTHORITY deployed ..."."""
    wanted = None if authorities is None else {authority.id for authority in authorities}
    pieces, position = [], 0
    for mention in find(text):
        if wanted is not None and not wanted & {candidate.id for candidate in mention.candidates}:
            continue
        leading = _LEADING_THE.search(text, position, mention.start)
        begin = leading.start() if leading else mention.start
        pieces.extend((text[position:begin], placeholder))
        position = mention.end
    pieces.append(text[position:])
    return "".join(pieces)
