"""Request text -> normalised request sentences, word shingles and a MinHash signature, for finding the same
request sent to other authorities. Shared by the build (signatures on disk) and the service (shingles)."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import numpy as np

from indexer.gazetteer import Authority, canonical, find

# Bump when normalisation or hashing changes: stored signatures of another version are recomputed.
SIGNATURE_VERSION = 1
NUM_PERM = 128
SEED = 20_240_601
SHINGLE_WORDS = 3
PLACEHOLDER = "authority"
# Bodies whose names a request puts where its siblings put their own: the recipient, whatever kind it is.
_RECIPIENT_KINDS = frozenset({"police", "fire", "council", "national_park", "nhs", "pcc", "police_authority",
                              "university", "college"})
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                         "&": " and "})
# "your force", "the council", "your local authority": the recipient referred to without its name.
_SELF = re.compile(r"\b(?:your|the|this|our)\s+(?:local\s+authority|authority|force|council|organisation|"
                   r"service|department|trust|police\s+force|fire\s+and\s+rescue\s+service|fire\s+service)(?:'s)?\b")
# Item markers: "Q1.", "1)", "a)", "(b)", "ii.", "Part 2", bullets.
_MARKER = re.compile(r"(?:^|(?<=\s))(?:q(?:uestion)?\s?\d{1,2}[a-z]?\s*[.):\-]?|part\s+\d{1,2}\s*[.):\-]?|"
                     r"\(?(?:\d{1,2}[a-z]?|[a-z]|[ivx]{1,4})\s?[.)](?=\s|[a-z])|[-\u2022*\u25aa\u25cf\u25e6o]\s)", re.I)
# Where request sentences break: sentence ends, line breaks and item markers run into the text.
_BREAK = re.compile(r"(?<=[.?!;:])\s+|\n+|\s(?=(?:q(?:uestion)?\s?\d{1,2}[a-z]?|\d{1,2}[a-z]?|[a-z])\s?[.)]\s)", re.I)
_WORD = re.compile(r"[a-z0-9]+")
# Openings every request shares ("Under the Freedom of Information Act 2000, please provide the following").
_PREAMBLE = re.compile(r"^(?:re\s+)?(?:(?:under|in accordance with|pursuant to) the (?:freedom of information|"
                       r"environmental information)(?: \(?scotland\)?)? (?:act|regulations)(?: \d{4})?|as a freedom "
                       r"of information request)\s*")
_BOILERPLATE_WORDS = frozenset("""
under the freedom of information act 2000 2002 2004 environmental regulations foi foia eir request requesting
requested requests please provide following information i we would like to am writing you your this is a an for me
with kindly can could in and as follows make made e mailing emailing grateful if terms seek seeking dear sir madam
be it that on by my our us regarding relating about following data details below above s re formal consider accept
submit submitting send supply obtain receive thank thanks authority
""".split())
MIN_CONTENT_WORDS = 3


def _mask(text: str, own: Authority | None, authority: str | None) -> str:
    """The text with its recipient's names replaced by a placeholder: every alias of the document's own
    authority (`own`, or the name `authority` when the gazetteer does not know it), and every answering body
    (force, council, fire service, ...) it names."""
    mentions = find(text)
    wanted = {mention.authority.id for mention in mentions
              if mention.authority is not None and mention.authority.kind in _RECIPIENT_KINDS}
    if own is not None:
        wanted.add(own.id)
    masked, position = [], 0
    for mention in mentions:
        if wanted & {candidate.id for candidate in mention.candidates}:
            masked.extend((text[position:mention.start], f" {PLACEHOLDER} "))
            position = mention.end
    masked.append(text[position:])
    joined = "".join(masked)
    if authority and own is None:
        joined = re.sub(re.escape(authority), f" {PLACEHOLDER} ", joined, flags=re.IGNORECASE)
    return joined


def normalise_sentence(sentence: str) -> str:
    """Lower case, one spelling of quotes and dashes, no item markers or preamble, the recipient as "authority"."""
    text = sentence.translate(_QUOTES).lower()
    text = _MARKER.sub(" ", text)
    text = _SELF.sub(f" {PLACEHOLDER} ", text)
    words = " ".join(_WORD.findall(text))
    words = re.sub(r"\bthe authority\b", PLACEHOLDER, words)
    return _PREAMBLE.sub("", words).strip()


# A question (as opposed to an introduction, a quoted guideline or a format wish), judged on a normalised sentence.
_QUESTION = re.compile(r"^(?:\S+\s+){0,3}?(?:whether|how|what|when|where|which|who|why|is|are|do|does|did|has|have|"
                       r"can|could|will|would|please|the number|number of|a list|list of|details of|cop(?:y|ies) of|"
                       r"the total|total|the amount|amount of|if so|if yes)\b")


def is_question(normalised: str) -> bool:
    """Whether a normalised request sentence asks for something."""
    return _QUESTION.match(normalised) is not None


def _is_boilerplate(words: list[str]) -> bool:
    return sum(1 for word in words if word not in _BOILERPLATE_WORDS) < MIN_CONTENT_WORDS


def request_sentences(request_text: str, authority: str | None = None) -> list[tuple[str, str]]:
    """The request's sentences as (normalised with the recipient masked, as written) pairs; openings,
    fragments and repeats left out."""
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    own = canonical(authority) if authority else None
    for piece in _BREAK.split(request_text):
        normalised = normalise_sentence(_mask(piece, own, authority))
        words = normalised.split()
        if len(words) >= SHINGLE_WORDS and not _is_boilerplate(words) and normalised not in seen:
            seen.add(normalised)
            pairs.append((normalised, " ".join(piece.split())))
    return pairs


Shingle = tuple[str, str, str]


def sentence_shingles(sentence: str) -> set[Shingle]:
    """Word 3-grams of one normalised sentence (shingles never span two sentences, so reordered or renumbered
    questions still share them)."""
    words = sentence.split()
    return set(zip(words, words[1:], words[2:], strict=False))


def shingles(sentences: Iterable[str]) -> set[Shingle]:
    """Every shingle of a request's normalised sentences."""
    found: set[Shingle] = set()
    for sentence in sentences:
        found |= sentence_shingles(sentence)
    return found


def shingle_hash(shingle: Shingle) -> int:
    """A stable 64-bit hash of a shingle (Python's own hash of a string changes from process to process)."""
    return int.from_bytes(hashlib.blake2b(" ".join(shingle).encode("utf-8"), digest_size=8).digest(), "little")


def sentence_hashes(sentence: str) -> np.ndarray:
    """The sorted, distinct shingle hashes of one normalised sentence (uint64)."""
    return np.unique(np.fromiter(map(shingle_hash, sentence_shingles(sentence)), dtype=np.uint64))


@cache
def _template() -> Any:
    """A MinHash whose permutations every signature reuses (drawing them costs more than hashing a request).
    Imported here: datasketch pulls in scipy (seconds of start-up), which the service never needs."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED)


def signature(request_shingles: set[Shingle]) -> np.ndarray:
    """MinHash signature (NUM_PERM unsigned 32-bit values, fixed seed) of a shingle set."""
    template = _template()
    minhash = type(template)(num_perm=NUM_PERM, seed=SEED, permutations=template.permutations,
                             scheme=template.scheme)
    minhash.update_batch([" ".join(shingle).encode("utf-8") for shingle in sorted(request_shingles)])
    return np.asarray(minhash.hashvalues, dtype=np.uint32)
