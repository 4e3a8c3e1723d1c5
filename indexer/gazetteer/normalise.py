"""Tokens and match keys for authority names: one normalisation shared by the distiller, lookups and text scans."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Words and "&"; apostrophes and hyphens split words.
TOKEN = re.compile(r"[^\W_]+|&")
_POSSESSIVE = re.compile(r"['’‘`´][sS]\b")
# Spellings that name the same thing. "Constabulary" and "Police" are one word here, so "Cheshire Police"
# and "Cheshire Constabulary" share a key without listing both.
SYNONYMS = {"&": "and", "constabulary": "police", "saint": "st", "dept": "department", "govt": "government"}
# Dropped from keys and skipped inside a match in running text, since writers add or omit it freely.
SKIPPED = "the"
@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """A word's key: lower case without accents (Welsh "Môn" = "Mon"), one spelling of synonyms, and no plural
    or possessive "s" ("Kings Lynn" = "King's Lynn", "Services" = "Service"), except in acronyms ("DfES")."""
    if word.isascii():
        plain = word.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", word)
        plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    plain = SYNONYMS.get(plain, plain)
    if len(plain) > 3 and plain[-1] == "s" and plain[-2] not in "siu" and sum(map(str.isupper, word)) < 2:
        return plain[:-1]
    return plain


# Words that cannot name a body on their own: an alias made only of these ("the Council", "Police", "Office",
# "County Council", "NHS Trust") is no alias at all.
GENERIC = frozenset(map(fold, """
a an and at by for in of on the to uk u k
council councils cyngor police office offices department ministry government authority authorities service
services board boards trust trusts foundation university college colleges school schools commission
commissioner commissioners agency agencies executive committee court courts tribunal tribunals
county district borough city nhs
chief constable force corporation group partnership unit centre center team panel forum registry
ombudsman ombudsmen inspectorate regulator
""".split()))


def words(name: str) -> list[tuple[str, str]]:
    """The (surface, key) words of a name; a possessive "'s" is dropped, so "Kent Police's" is "Kent Police"."""
    return [(word, fold(word)) for word in TOKEN.findall(_POSSESSIVE.sub("", name))]


def key(name: str) -> tuple[str, ...]:
    """The match key of a name: folded words without "the", e.g. "The Chief Constable of Kent Police" ->
    ("chief", "constable", "of", "kent", "police"). A lone word after "the" keeps it ("the Met"), since a
    capitalised word alone ("Met") is too common to stand for a body."""
    return key_of(words(name))


def key_of(name_words: list[tuple[str, str]]) -> tuple[str, ...]:
    """The key of a name already split into (surface, key) words."""
    kept = [(surface, word_key) for surface, word_key in name_words if word_key != SKIPPED]
    if len(kept) == 1 and name_words[0][1] == SKIPPED and not is_acronym(kept[0][0]):
        return (SKIPPED, kept[0][1])
    return tuple(word_key for _surface, word_key in kept)


def is_acronym(word: str) -> bool:
    """An abbreviation that must be matched in its own case: "MPS" (not "MPs"), "DfE", "HMRC", "BBC"."""
    if " " in word.strip():
        return False
    letters = [char for char in word if char.isalpha()]
    capitals = sum(char.isupper() for char in letters)
    return len(letters) >= 2 and capitals >= 2 and capitals * 2 >= len(letters)


def is_generic(name_key: tuple[str, ...]) -> bool:
    """A key made only of generic words, such as ("council",) or ("county", "council")."""
    return all(word in GENERIC or word.isdigit() for word in name_key)


def tidy(name: str) -> str:
    """One-line form of a name: collapsed whitespace, no stray spaces or trailing punctuation."""
    return re.sub(r"\s+", " ", name).strip(" ,;:-")
