"""Name -> body lookups: canonical(), aliases() and by_id() over the gazetteer index."""
from __future__ import annotations

import datetime as dt
import re

from indexer.gazetteer.finder import find
from indexer.gazetteer.index import gazetteer, resolve
from indexer.gazetteer.normalise import is_generic, key
from indexer.gazetteer.table import Authority
from indexer.gazetteer.variants import variants

# A label before a name in notices and party lines ("Public Authority: X"), and a bracketed aside after it.
_LABEL = re.compile(r"^\s*(?:public authority|respondent|appellant|second respondent|additional party|"
                    r"from|to|authority)\s*:\s*", re.IGNORECASE)
_ASIDE = re.compile(r"\s*\([^()]*\)\s*$")


def _attempts(name: str) -> list[str]:
    """The name as given, then without labels and bracketed asides, then the aside itself ("(DEFRA)"), then
    each part of a "X - Y" or "X, Y" line."""
    unlabelled = _LABEL.sub("", name)
    stripped = _ASIDE.sub("", unlabelled).strip()
    aside = _ASIDE.search(unlabelled)
    attempts = [name, stripped]
    if aside:
        attempts.append(aside.group().strip(" ()\"'“”‘’"))
    for separator in (" - ", " – ", ", ", " / "):
        if separator in stripped:
            attempts.extend(part for part in stripped.split(separator) if part.strip())
    return list(dict.fromkeys(attempt for attempt in attempts if attempt.strip()))


def canonical(name: str, on: dt.date | str | None = None) -> Authority | None:
    """The body a name (a party line, a letterhead name, a label) refers to, or None. A name matching
    several bodies is resolved by `on` (the document's date) where the bodies' dates tell them apart."""
    if not name or not name.strip():
        return None
    table = gazetteer()
    for attempt in _attempts(name):
        authority, candidates = resolve(table.entries(attempt), on)
        if candidates:
            return authority
    mentions = find(name, on=on)
    named = {mention.authority.id for mention in mentions if mention.authority}
    covered = sum(len(key(mention.text)) for mention in mentions)
    if len(named) == 1 and all(mention.authority for mention in mentions) and covered * 2 >= len(key(name)):
        return mentions[0].authority
    return None


def aliases(authority: Authority) -> list[str]:
    """Every name the gazetteer knows the body by: display name, listed aliases, then derived variants."""
    seen: dict[tuple[str, ...], str] = {}
    for name in (authority.name, *authority.aliases, *variants(authority)):
        name_key = key(name)
        if name_key and not is_generic(name_key):
            seen.setdefault(name_key, name)
    return list(seen.values())


def by_id(authority_id: str) -> Authority | None:
    """The body with that stable id (la:WOK, wdtk:29, govuk:home-office, ...), or the id of a source entry
    merged into it (wdtk:461 is PSNI, merged into govuk:police-service-of-northern-ireland)."""
    return gazetteer().by_id.get(authority_id)
