"""The index of the committed gazetteer table: name keys -> bodies, built once per process."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cache

from indexer.gazetteer.normalise import SKIPPED, fold, is_acronym, is_generic, key_of, words
from indexer.gazetteer.table import TABLE_PATH, Authority, read_table
from indexer.gazetteer.variants import variants

# Listed names outrank derived variants: "North Yorkshire County Council" is the old county council's own
# name, even though the new North Yorkshire Council would derive it from its place.
LISTED, DERIVED = 0, 1


@dataclass(frozen=True, slots=True)
class Entry:
    """One way a key names a body: the body, whether the name is listed or derived, the surface forms the words
    may have (acronyms keep their case: "MOJ" and "MoJ" are the Ministry, "MPS" is the Met, "MPs" is not),
    whether the name needs a "the" before it ("the Met"), is safe to look for in running text, and holds a comma."""
    authority: Authority
    rank: int
    surfaces: tuple[tuple[str, ...], ...] | None
    needs_the: bool
    in_text: bool
    has_comma: bool


# One-word names looked for in running text: those of public bodies people call by one word (Ofsted, Defra,
# Cafcass, Estyn), not companies, colleges and charities ("Boots", "Apex", "Genesis", "Northern").
_ONE_WORD_KINDS = frozenset({"regulator", "central_government", "arms_length_body", "public_corporation",
                             "legislature", "devolved_government", "nhs", "court_tribunal", "university"})
# One-word names that are also common words or places.
_COMMON_WORDS = frozenset(map(fold, ["monitor", "statistics", "located", "exmoor", "tate", "army", "navy",
                                     "marines"]))
# Initials of a body that in FOI texts mostly stand for something else: the Human Rights Act, legal
# professional privilege, the Data and the Public Records Acts, public interest immunity, satellite positioning,
# the Freedom of Information Act, the Environmental Information Regulations, subject access requests.
_OTHER_MEANINGS = frozenset({"hra", "lpp", "dpa", "pra", "pii", "gps", "cap", "foi", "eir", "sar"})


def _safe_in_text(authority: Authority, name_key: tuple[str, ...], acronym: bool, needs_the: bool) -> bool:
    """Whether a name is distinctive enough to be looked for in running text, where two-letter initials
    ("EA" in "EA/2010/0012", "PO" in "PO Box") and one-word company names mislead."""
    if acronym:
        return len("".join(name_key)) >= 3 and "".join(name_key) not in _OTHER_MEANINGS
    if len(name_key) == 1 and not needs_the:
        return authority.kind in _ONE_WORD_KINDS and name_key[0] not in _COMMON_WORDS
    return True


def same_case(found: tuple[str, ...], entry: Entry) -> bool:
    """Whether words have a case the entry allows: any case, or one of its forms, or that form in capitals."""
    return entry.surfaces is None or any(found in (form, tuple(part.upper() for part in form))
                                         for form in entry.surfaces)


class Gazetteer:
    """Every body and an index from name keys to entries."""

    def __init__(self, authorities: list[Authority]) -> None:
        self.authorities = authorities
        self.by_id = {source: authority for authority in authorities
                      for source in (*authority.merged, authority.id)}
        index: dict[tuple[str, ...], dict[str, Entry]] = defaultdict(dict)
        for authority in authorities:
            for rank, names in ((LISTED, (authority.name, *authority.aliases)), (DERIVED, variants(authority))):
                for name in names:
                    self._add(index, authority, rank, name)
        self.index = {name_key: tuple(entries.values()) for name_key, entries in index.items()}
        # A text scan looks a name up only where its first two words start one, longest first.
        lengths: dict[tuple[str, str], set[int]] = defaultdict(set)
        for name_key in self.index:
            if len(name_key) > 1:
                lengths[name_key[:2]].add(len(name_key))
        self.lengths_by_first_pair = {pair: tuple(sorted(found, reverse=True)) for pair, found in lengths.items()}
        self.one_word_names = frozenset(name_key[0] for name_key in self.index if len(name_key) == 1)

    @staticmethod
    def _add(index: dict, authority: Authority, rank: int, name: str) -> None:
        name_words = words(name)
        name_key = key_of(name_words)
        if not name_key or is_generic(name_key):
            return
        needs_the = name_key[0] == SKIPPED
        name_key = name_key[1:] if needs_the else name_key
        surfaces = [surface for surface, word_key in name_words if word_key != SKIPPED]
        acronym = is_acronym(name.strip())
        forms = ((*surfaces,),) if acronym or (needs_the and len(surfaces) == 1) else None
        entry = Entry(authority, rank, forms, needs_the, _safe_in_text(authority, name_key, acronym, needs_the),
                      "," in name)
        held = index[name_key].get(authority.id)
        if held is not None and held.rank == rank and held.surfaces and forms:
            entry = replace(held, surfaces=(*held.surfaces, *forms))
        if held is None or (entry.rank, entry.surfaces is not None) <= (held.rank, held.surfaces is not None):
            index[name_key][authority.id] = entry

    def entries(self, name: str) -> tuple[Entry, ...]:
        """The entries of a whole name; "the Met" needs its article, "Met" alone names nothing, and initials
        keep their case ("MPS" is the Met, "MPs" and "mps" are not)."""
        name_words = words(name)
        name_key = key_of(name_words)
        with_the = name_key[:1] == (SKIPPED,)
        surfaces = tuple(surface for surface, word_key in name_words if word_key != SKIPPED)
        return tuple(entry for entry in self.index.get(name_key[1:] if with_the else name_key, ())
                     if (with_the or not entry.needs_the) and same_case(surfaces, entry))


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer of the committed table, built on first use (about a second) and kept for the process."""
    return Gazetteer(read_table(TABLE_PATH))


def resolve(entries: tuple[Entry, ...],
            on: dt.date | str | None = None) -> tuple[Authority | None, tuple[Authority, ...]]:
    """The one body the best-ranked entries name, and all the candidates. Several bodies under one name (the
    old and new North Yorkshire councils, two "Jesus College"s) are told apart by the date when given, among
    bodies whose dates are known; otherwise the name stays unresolved (None) with its candidates."""
    if not entries:
        return None, ()
    best = min(entry.rank for entry in entries)
    candidates = tuple(entry.authority for entry in entries if entry.rank == best)
    if len(candidates) == 1:
        return candidates[0], candidates
    if on is not None:
        active = [authority for authority in candidates if authority.active_on(on)]
        if len(active) == 1:
            return active[0], candidates
    return None, candidates
