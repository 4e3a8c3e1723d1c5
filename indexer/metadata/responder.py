"""The body that answered an FOI request (or was asked), read from a response page, letter or request email."""
from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.gazetteer import Mention, find
from indexer.metadata.authority import PUBLIC_BODY, is_commissioner
from indexer.metadata.common import tidy_name

# Bodies that answer requests about their own area; a bare mention of one of these in the response (not in
# the request) is some evidence that it wrote the response. A department or regulator mentioned without a cue
# ("see the Home Office website", "referred to the CPS") usually is not the writer.
_LOCAL_KINDS = frozenset({"police", "fire", "council", "national_park", "nhs", "pcc", "police_authority"})
# Contexts in which a page names itself: "held by X", "Provision of information held by X", "Dear X,",
# "made this request to X", "on behalf of X"; "X does not hold", "X's response"; a name ending its line
# (a letterhead, a signature, a message header such as "info, Lancaster City Council").
_CUE_BEFORE = re.compile(
    r"(?:\bheld\s+by|\bprovision\s+of\s+information\s+held\s+by|\bDear|\brequest\s+to|\bbehalf\s+of|\bresponse\s+from|"
    r"\breply\s+from|\bsent\s+by|\bcopyright|\u00a9|\bwelcome\s+to|\bcan\s+confirm\s+that)"
    r"\s*(?:the\s+)?$",
    re.IGNORECASE)
_CUE_AFTER = re.compile(
    r"^\s*(?:(?:does|do|did|has|have|had|is|are|was|were|can|cannot|can['\u2019]t|will|would|holds?|manages?|"
    r"maintains?|records?|received|confirms?|operates?|uses?|created|process(?:es)?|only|currently|always|"
    r"publishes)\b|['\u2019]s\s+(?:response|reply|position)|(?:response|reply)\b|,?\s*$|,?\s*\n)",
    re.IGNORECASE)
# A name the text gives as the writer's, kept even when the gazetteer does not know the body.
_BODY = (r"(?:[A-Z][\w&'\u2019-]+\s+){1,6}(?:Council|Police|Constabulary|Service|Authority|Trust|Board|Department|"
         r"Office|Agency|Commission|University|College)")
_NAMED = re.compile(
    r"(?i:\bProvision\s+of\s+information\s+held\s+by\s+(?P<a>[^\n]{3,90}?)\s+made\s+under\b"
    r"|\bmade\s+this\s+[\w\s]{0,40}?request\s+to\s+(?P<b>[^\n]{3,90}?)(?:\s+as\s+part\s+of\b|\s*$|\s+by\b)"
    r"|^[ \t]*Dear\s+(?P<c>[^\n,]{3,90}),?[ \t]*$)"
    rf"|(?i:your\s+request\s+to\s+(?:the\s+)?)(?P<d>{_BODY})\b"
    rf"|^[ \t]*(?:The\s+)?(?P<e>{_BODY})\s+(?i:holds|does\s+not\s+hold|has\s+(?:now\s+)?completed|can\s+confirm)\b",
    re.MULTILINE)


@dataclass(frozen=True)
class _Candidate:
    mention: Mention
    cued: bool


def _cued(text: str, mention: Mention) -> bool:
    before = text[max(0, mention.start - 60): mention.start]
    after = text[mention.end: mention.end + 40]
    return bool(_CUE_BEFORE.search(before) or _CUE_AFTER.match(after))


def _alone_on_its_line(text: str, mention: Mention) -> bool:
    """A name that fills its line: a letterhead, a signature, or the answer to "the name of your authority"."""
    line_start = text.rfind("\n", 0, mention.start) + 1
    line_end = text.find("\n", mention.end)
    line = text[line_start: line_end if line_end >= 0 else len(text)]
    return re.fullmatch(r"[\s,.:;-]*(?:the\s+)?" + re.escape(mention.text) + r"[\s,.:;-]*", line, re.I) is not None


def _candidates(text: str, excluded: tuple[int, int] | None, on: str | None) -> list[_Candidate]:
    """Bodies named outside the request (its addressee "Dear X," and names alone on a line count anywhere).
    Initials ("MPS") only ever count as bare mentions: they name many things besides bodies."""
    found = []
    for mention in find(text, limit_chars=20_000, on=on):
        body = mention.authority
        if body is None or is_commissioner(body.name):
            continue
        inside = excluded is not None and excluded[0] <= mention.start < excluded[1]
        addressed = re.search(r"Dear\s+(?:the\s+)?$", text[max(0, mention.start - 12): mention.start]) is not None
        if inside and not addressed and not _alone_on_its_line(text, mention):
            continue
        found.append(_Candidate(mention, not mention.initials and (_cued(text, mention) or (inside and addressed))))
    return found


def _best(candidates: list[_Candidate]) -> str | None:
    """The body named with a cue most often (first named wins ties); else the only local body named."""
    scores: dict[str, int] = {}
    first: dict[str, int] = {}
    for order, candidate in enumerate(candidates):
        name = candidate.mention.authority.name
        scores[name] = scores.get(name, 0) + (3 if candidate.cued else 1)
        first.setdefault(name, order)
    cued = {c.mention.authority.name for c in candidates if c.cued}
    if cued:
        return max(cued, key=lambda name: (scores[name], -first[name]))
    local = {c.mention.authority.name for c in candidates if c.mention.authority.kind in _LOCAL_KINDS}
    return local.pop() if len(local) == 1 else None


def _named(text: str) -> str | None:
    """A public body named as the writer by a phrase that leaves no doubt, whether or not the gazetteer has it."""
    for match in _NAMED.finditer(text, 0, 20_000):
        name = tidy_name(next(group for group in match.groups() if group))
        if PUBLIC_BODY.search(name) and not is_commissioner(name) and not re.search(r"\b(?:sir|madam)\b", name, re.I):
            return name
    return None


def responding_authority(text: str, request: tuple[int, int] | None = None, on: str | None = None) -> str | None:
    """The authority that answered (or was sent) the request: a body named in the text outside the request
    itself, preferring names in self-referring contexts ("held by X", "X does not hold", "Dear X,", a
    signature line), resolved with the gazetteer; else a body named by an unmistakable phrase."""
    return _best(_candidates(text, request, on)) or _named(text)
