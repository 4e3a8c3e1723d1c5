"""The public authority of a document: picking it among tribunal parties or in the text, and its display form."""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from indexer.gazetteer import canonical
from indexer.metadata.common import tidy_name

PUBLIC_BODY = re.compile(
    r"\b(?:council|department|dept|ministry|office|police|constable|constabulary|authority|nhs|trust|university|"
    r"college|commission|agency|service|board|bbc|british broadcasting|secretary of state|government|executive|"
    r"parliament|house of|assembly|school|academy|hospital|ofsted|ofcom|ofgem|ofwat|treasury|cabinet|"
    r"home office|foreign|commissioner of police|metropolis|inspectorate|museum|library|fire|corporation|"
    r"regulator|bank of england|royal mail|post office|court|tribunals?\s+service|network rail|transport|"
    r"ombudsman|archives|commissioners|borough|county|district|parish|burgesses|mayor|mbc)\b",
    re.IGNORECASE,
)
# Words that make a name an organisation even when it is not obviously public ("Natural England", "X Limited").
_ORGANISATION = re.compile(r"\b(?:england|wales|scotland|ireland|britain|british|national|royal|limited|ltd|plc|"
                           r"llp|company|group|society|institute|foundation|association|forward|partnership|"
                           r"harbour|port|times|news|newspapers?|homes|developments|mobile|everywhere)\b",
                           re.IGNORECASE)
_TITLED = re.compile(r"^(?:the\s+)?(?:mr|mrs|ms|miss|mx|dr|prof|professor|sir|dame|lord|lady|baroness|baron|"
                     r"colonel|col|major|captain|rev|reverend|councillor|cllr)\b\.?|\bMP$|\bin\s+person$",
                     re.IGNORECASE)
_HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Lord|Lady|Councillor|Cllr)\.?\s+(?:[A-Z]\.?\s*)*"
_COMMISSIONER = re.compile(r"informationcom+is+ion+er|^commis+ion+ers?$|^ic$|^ico$")
_COMMISSIONER_KEY = "informationcommissioner"


def is_commissioner(name: str) -> bool:
    """The Information Commissioner (or "the ICO") in any spelling: typos, stray spaces, capitals, "'s Office"."""
    compact = re.sub(r"[^a-z]", "", name.lower())
    compact = re.sub(r"^the", "", compact)
    compact = re.sub(r"s?office$", "", compact)
    if _COMMISSIONER.search(compact):
        return True
    return SequenceMatcher(None, compact[:len(_COMMISSIONER_KEY) + 2], _COMMISSIONER_KEY).ratio() >= 0.85


def looks_like_person(name: str, text: str = "") -> bool:
    """An individual rather than a body: a title ("Dr", "Lord", "... MP"), or a surname the text uses after
    "Mr"/"Ms"/... ("TOM LANGTON" when the decision says "Mr Langton")."""
    if PUBLIC_BODY.search(name) or _ORGANISATION.search(name):
        return False
    if _TITLED.search(name.strip()):
        return True
    words = re.findall(r"[A-Za-z][A-Za-z’'-]+", name)
    if not text or not 2 <= len(words) <= 4:
        return False
    surname = words[-1][0].upper() + words[-1][1:].lower()
    return re.search(rf"\b{_HONORIFIC}{re.escape(surname)}\b", text) is not None


# Heading debris parsed as a party: "S APPLICATION FOR STRIKE OUT", "in 0015/Appellant in 0049".
_NOT_A_PARTY = re.compile(r"^[^A-Z]|\d|\b(?:applications?|requests?|handling|strike|appeals?|decision|notice|"
                          r"appellants?|respondents?)\b", re.IGNORECASE)


# A case reference run into a party name: "Cabinet Office Tribunal Ref EA/2012/0200", "DEFRA (EA/2014/0311)".
_RUN_ON_REFERENCE = re.compile(r"\s*\(?\s*(?:EA\s?/|Tribunal\s+Ref|Appeal\s+(?:No|Ref)|Case\s+No).*$", re.IGNORECASE)


def _sides(parties: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    cleaned = [(role, _RUN_ON_REFERENCE.sub("", name)) for role, name in parties]
    others = [(role, name) for role, name in cleaned if not is_commissioner(name) and re.search(r"[A-Za-z]{3}", name)
              and not _NOT_A_PARTY.search(name)]
    respondents = [name for role, name in others if not role.startswith("appellant")]
    return respondents, [name for role, name in others if role.startswith("appellant")]


def authority_from_parties(parties: list[tuple[str, str]], text: str = "") -> str | None:
    """The public authority among the parties: a public body (respondent side first, then an appellant that
    is one, e.g. a council appealing a decision notice), else a respondent or added party that is not a person.
    Never the Information Commissioner; a requester joined as a party is not the authority."""
    respondents, appellants = _sides(parties)
    for name in respondents + appellants:
        if PUBLIC_BODY.search(name):
            return name
    for name in respondents:
        if not looks_like_person(name, text):
            return name
    return None


def organisation_appellant(parties: list[tuple[str, str]], text: str = "") -> str | None:
    """An appellant that is an organisation ("Natural England", "UK Anti-Doping Limited"): the last resort when
    no party is a public body and the text names none, since it may be a third party rather than the authority."""
    for name in _sides(parties)[1]:
        if _ORGANISATION.search(name) and not looks_like_person(name, text):
            return name
    return None


_ALIAS = re.compile(
    r"(?:the\s+)?(?P<name>[A-Z][\w’'&.-]*(?:\s+(?:of|for|and|the|on|in|&|upon|[A-Z][\w’'&.-]*)){0,9}?)"
    r"\s*\(\s*(?:the\s+|“|\"|‘|')+(?P<alias>[A-Za-z][\w -]{1,30})[”\"’']?\s*\)",
)
_REQUEST_TO = re.compile(
    r"\b(?:request(?:ed)?|wrote|applied|complained)\s+(?:\w+\s+){0,6}?to\s+(?:the\s+)?"
    r"(?P<name>[A-Z][\w’'&.-]*(?:\s+(?:(?:of|for|and|the|on|in|&|upon)\s+)*[A-Z][\w’'&.-]*){0,8})"
)
_NOT_AUTHORITY = re.compile(r"commissioner(?!\s+of\s+police)|appellant|tribunal|act\b|regulations|request|notice|"
                            r"^ic$|^dn$|^[A-Z]\.?$|information|foia|eir|rules|requester|complainant|"
                            r"mr |mrs |ms |dr ", re.IGNORECASE)


# The label of a substituted decision notice ("Public Authority: Bournemouth Borough Council"), or the decision
# naming the body as the public authority ("determined that the public authority, Rotherham MBC, ...").
_NAMED_AUTHORITY = re.compile(
    r"^[^\S\n]*Public\s+Authority\s*:[^\S\n]*(?P<label>[^\n]{3,120})"
    r"|\bthe\s+public\s+authority\s*,\s+(?:namely\s+)?(?:the\s+)?"
    r"(?P<name>[A-Z][\w’'&.-]*(?:\s+(?:(?:of|for|and|the|on|in|&|upon)\s+)*[A-Z][\w’'&.-]*){1,8})",
    re.IGNORECASE | re.MULTILINE)


def _named_authority(text: str) -> str | None:
    for m in _NAMED_AUTHORITY.finditer(text):
        name = tidy_name(m.group("label") or m.group("name"))
        if len(name.split()) >= 2 and not is_commissioner(name) and not _NOT_AUTHORITY.search(name):
            return name
    return None


def authority_from_body(text: str, start: int = 0) -> str | None:
    """A public body the decision names as the public authority ("Public Authority: X" in a substituted notice,
    anywhere), or that the text from `start` introduces with an alias ("London Borough of Barnet (the Council)")
    or as the recipient of the request ("made a request to the Cabinet Office")."""
    named = _named_authority(text)
    if named:
        return named
    stop = start + 12_000
    found = [(m.start(), tidy_name(m.group("name")), m.group("alias")) for m in _ALIAS.finditer(text, start, stop)]
    found += [(m.start(), tidy_name(m.group("name")), "") for m in _REQUEST_TO.finditer(text, start, stop)]
    for _start, name, alias in sorted(found):
        if len(name.split()) < 2 or is_commissioner(name) or _NOT_AUTHORITY.search(name) or (alias and _NOT_AUTHORITY.search(alias)):
            continue
        if PUBLIC_BODY.search(name) or (alias and PUBLIC_BODY.search(alias)):
            return name
    return None


_ACRONYMS = {"BBC", "NHS", "HM", "UK", "HMRC", "DECC", "DWP", "FCO", "CPS", "GCHQ", "MOD", "ITV", "PSNI", "UCAS",
             "DVLA", "HSE", "PLC", "LLP", "CIC", "GB", "EU", "UKAEA", "BEIS", "DCMS", "DEFRA", "TFL", "MBC"}
_SMALL_WORDS = {"of", "and", "for", "the", "on", "in", "to", "at", "by", "upon", "with"}
# A second party run into the first ("... (DECC) and Mr Alex Henney"), or a note after the name.
_APPENDED_PARTY = re.compile(rf"\s*(?:,|\band\b|&)\s+(?:the\s+)?{_HONORIFIC}[A-Z][\s\S]*$")
_TRAILING_NOTE = re.compile(r"\s*\((?:[^()]*\d[^()]*|formerly[^()]*|stage[^()]*)\)\s*$", re.IGNORECASE)


def _title_word(word: str, first: bool) -> str:
    core = word.strip("()[],.;:“”\"'‘’")
    if re.search(r"\d", word) or core.replace(".", "") in _ACRONYMS or re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?", core):
        return word
    if core.lower() in _SMALL_WORDS and not first:
        return word.lower()
    if core in _MIXED_CASE:
        return word.replace(core, _MIXED_CASE[core])
    if len(core) == 1 or (2 <= len(core) <= 4 and not re.search(r"[AEIOUY]", core)):
        return word
    # "KING’S" -> "King’s", "NORTH-WEST" -> "North-West", "O'NEILL" -> "O'Neill"
    parts = re.split(r"([-’'])", word.lower())
    out = [re.sub(r"[a-z]", lambda m: m.group(0).upper(), parts[0], count=1)]
    for sep, part in zip(parts[1::2], parts[2::2], strict=True):
        out.append(sep + (part if sep != "-" and part == "s" else part[:1].upper() + part[1:]))
    return "".join(out)


_SHORT_WORDS = {"a", "an", "as", "at", "by", "in", "of", "on", "or", "to", "uk", "hm", "ni", "eu", "gb", "co", "st",
                "de", "le", "la", "du", "&"}
_MIXED_CASE = {"ST": "St", "LTD": "Ltd", "MT": "Mt"}


def _rejoin_split_words(words: list[str]) -> list[str]:
    """Rejoin words broken by a stray space in a PDF: "FO R THE" -> "FOR THE", "HOME OFFI CE" -> "HOME OFFICE"."""
    paired: list[str] = []
    for word in words:
        if paired and (paired[-1] + word).lower() in _SMALL_WORDS and paired[-1].lower() not in _SMALL_WORDS:
            paired[-1] += word
        else:
            paired.append(word)
    out: list[str] = []
    for word in paired:
        fragment = len(word) <= 2 and word.lower() not in _SHORT_WORDS | _SMALL_WORDS and re.search(r"[AEIOUY]", word)
        if out and out[-1].isalpha() and out[-1].lower() not in _SMALL_WORDS and fragment:
            out[-1] += word
        else:
            out.append(word)
    return out


def display_authority(name: str | None, on: str | None = None) -> str | None:
    """One display name per body: the gazetteer's name for a body it knows ("Commissioner of Police of the
    Metropolis" and "MPS" -> "Metropolitan Police Service"; `on`, the document's date, tells apart bodies that
    shared a name), else the tidied name: whitespace collapsed, a leading "The", a run-on second party and
    trailing notes dropped, and an ALL-CAPS name in title case ("THE MINISTRY OF JUSTICE" -> "Ministry of Justice")."""
    tidied = _tidy_display(name)
    body = canonical(tidied, on=on) if tidied else None
    return _tidy_display(body.name) if body and not is_commissioner(body.name) else tidied


def _tidy_display(name: str | None) -> str | None:
    if not name:
        return None
    name = _APPENDED_PARTY.sub("", tidy_name(re.sub(r"\s*[`´]\s*(?=[sS]\b)", "’", name)))
    name = tidy_name(_TRAILING_NOTE.sub("", name))
    name = re.sub(r"^the\s+(?=\S)", "", name, flags=re.IGNORECASE)
    name = re.sub(r"\b(?:[A-Z]\.){1,5}[A-Z]\b\.?", lambda m: m.group(0).replace(".", ""), name)
    letters = [c for c in name if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        words = _rejoin_split_words(name.split(" "))
        name = " ".join(_title_word(w, i == 0) for i, w in enumerate(words))
    words = re.findall(r"[A-Za-z]+", name)
    if len("".join(words)) < 2 or all(w.lower() in _SMALL_WORDS | {"v", "or"} for w in words) or is_commissioner(name):
        return None
    return name
