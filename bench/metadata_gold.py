"""Gold metadata from /work/shared/labels and the fair-matching rules the metadata benchmark uses."""
from __future__ import annotations

import csv
import functools
import json
import re
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path

from indexer.gazetteer import canonical
from indexer.references import find_references

OUTCOMES = {"dismissed": "dismissed", "allowed": "allowed", "part allowed": "part allowed",
            "struck out": "struck out", "withdrawn": "withdrawn"}
_DROP_WORDS = {"the", "of", "for", "and", "&", "ltd", "limited", "plc", "uk", "hm", "dept"}
_ABBREVIATIONS = {"dept": "department", "govt": "government", "co": "company", "univ": "university"}


def _d(value: str) -> str | None:
    m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", value or "")
    if not m:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
    except ValueError:
        return None


def tribunal_gold(shared: Path, pdf_subset: bool = True) -> dict[str, dict]:
    """ID -> {"refs", "date", "outcome", "authorities", "appellant_body", "appellant", "legislation",
    "legislation_checked"} for the PDF subset (or all 2,524 decisions); checked columns win over originals."""
    ids = set((shared / "labels" / "pdf-subset-ids.txt").read_text().split()) if pdf_subset else None
    gold = {}
    with open(shared / "labels" / "tribunal-metadata.csv", encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if ids is None or row["ID"] in ids:
                gold[row["ID"]] = _tribunal_row(row)
    return gold


_REGIMES = (("FOIA", r"freedom of information"), ("EIR", r"environmental information regulations"),
            ("DPA", r"data protection"))


def regime_label(value: str) -> str | None:
    """"Freedom of Information Act 2000" -> "FOIA"; procedure rules, "Other relevant cases" or blank -> None."""
    return next((name for name, pattern in _REGIMES if re.match(pattern, value.strip(), re.IGNORECASE)), None)


def _tribunal_row(row: dict) -> dict:
    raw_refs = [row["Reference.1.Checked"] or row["Reference.1.Original"]]
    raw_refs += [row[f"Reference.{i}"] for i in range(2, 9)]
    refs = {n for raw in raw_refs for n, _r, _o in find_references(raw or "")}
    outcome = OUTCOMES.get((row["Appeal.Checked"] or row["Appeal.firstchk"]).strip().lower())
    parties = [row["Public Agency in Question (Where it is not a respondent)"], row["Public Agency.2"]]
    parties += [row[f"Respondent.{i}"] for i in range(2, 7)] + [row[f"Additional.Party.{i}"] for i in range(1, 7)]
    # Only the Information Commissioner is left out: "Commissioner of Police of the Metropolis" is an authority.
    authorities = [p.strip() for p in parties if p.strip() and not is_commissioner_label(p)]
    appellant = row["Appellant"].strip()
    checked = regime_label(row["Jurisdictional.area.1.checked"])
    return {
        "refs": refs,
        "date": _d(row["Date of Promulgation/ Decision. Check"]) or _d(row["Date of Promulgation/ Decision. Original"]),
        "outcome": outcome,
        "authorities": authorities,
        "appellant_body": appellant if is_organisation(appellant) else None,
        "appellant": appellant,
        "link": row["Link"].strip(),
        "legislation": checked or regime_label(row["Jurisdictional.area.1.original"]),
        "legislation_checked": checked is not None,
    }


# The labels put the other party in the authority columns even when a public body is the appellant (a council
# appealing a decision notice, with the requester joined as "Additional Party"): that appellant is the authority.
_ORGANISATION_WORDS = re.compile(
    r"\b(?:council|department|dept|ministry|office|police|constabulary|authority|trust|university|college|"
    r"commission(?:ers?)?|agency|service|board|bbc|broadcasting|corporation|government|treasury|executive|"
    r"archives|museum|england|wales|scotland|ireland|limited|ltd|plc|company|house of|parliament|school|"
    r"hospital|nhs|ofcom|royal mail|inspectorate|governing body|secretary of state|defra|decc|hmrc)\b",
    re.IGNORECASE,
)


def is_organisation(name: str) -> bool:
    """A labelled party that is a body rather than an individual (by the words bodies' names contain)."""
    return bool(name) and _ORGANISATION_WORDS.search(name) is not None


def ico_gold(shared: Path) -> dict[str, dict]:
    """Notice reference (lower-case, as in file names) -> {"authority", "date", "sections", "outcome"}."""
    gold: dict[str, dict] = {}
    for rec in json.loads((shared / "labels" / "ico-notices-2026.json").read_text()):
        statuses = [s.lower() for s in rec["status"]]
        gold[_url_ref(rec["url"])] = {"authority": rec["title"], "date": rec["date"],
                                      "sections": rec["sections"], "outcome": combine_statuses(statuses)}
    for rec in json.loads((shared / "labels" / "ico-search-api-2025-12.json").read_text())["results"]:
        decisions = rec["filterItemDecisions"]
        day = re.match(r"\d{1,2} \w+ \d{4}", rec["filterItemMetaData"])
        gold.setdefault(_url_ref(rec["url"]), {
            "authority": rec["title"], "date": _long_date(day.group(0)) if day else None,
            "sections": [d["section"] for d in decisions],
            "outcome": combine_statuses([d["status"].lower() for d in decisions])})
    return gold


def _url_ref(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1].lower()


def _long_date(text: str) -> str | None:
    from indexer.metadata.common import parse_date

    return parse_date(text)


def combine_statuses(statuses: list[str]) -> str | None:
    """Per-section ICO decisions -> one notice outcome: all the same gives that value, a mixture "partly upheld"."""
    distinct = set(statuses)
    if not distinct:
        return None
    return distinct.pop() if len(distinct) == 1 else "partly upheld"


def authority_key(name: str) -> list[str]:
    """Comparable tokens of an authority name: lower-case, punctuation, "the"/"of"/"Ltd", bracketed acronyms dropped."""
    name = re.sub(r"\([^)]*\)", " ", name.lower()).replace("’", "'").replace("&", " and ")
    name = re.sub(r"\bher majesty'?s\b", "hm", name)
    tokens = re.findall(r"[a-z0-9]+", name.replace("'s", "s"))
    return [_ABBREVIATIONS.get(t, t) for t in tokens if t not in _DROP_WORDS]


def _compact(tokens: list[str]) -> str:
    return "".join(tokens)


def _expand_acronyms(short: list[str], long: list[str]) -> list[str]:
    """Replace tokens of short that are the initials of a run of tokens in long ("mbc" -> metropolitan borough
    council) by that run, so "Dudley MBC" compares equal to "Dudley Metropolitan Borough Council"."""
    out: list[str] = []
    for token in short:
        run = None
        if token not in long and 2 <= len(token) <= 6:
            for i in range(len(long) - len(token) + 1):
                if "".join(t[0] for t in long[i: i + len(token)]) == token:
                    run = long[i: i + len(token)]
                    break
        out.extend(run or [token])
    return out


def authority_matches(found: str | None, gold: str) -> bool:
    """Same authority allowing: case, punctuation and stray spaces ("HOME OFFI CE"); "the"/"of"/"Ltd"; bracketed
    aliases; acronyms ("BBC", "Dudley MBC"); label typos (similarity >= 0.9); and one name being the other
    plus qualifying words ("Chief Constable of Kent Police" ~ "Kent Police")."""
    if not found:
        return False
    # The product shows the gazetteer's one name for a body the labels may call by another of its names.
    found_body, gold_body = canonical(found), canonical(gold)
    if found_body is not None and gold_body is not None and found_body.id == gold_body.id:
        return True
    a, b = authority_key(found), authority_key(gold)
    if not a or not b:
        return False
    a, b = _expand_acronyms(a, b), _expand_acronyms(b, a)
    ca, cb = _compact(a), _compact(b)
    if ca == cb or SequenceMatcher(None, ca, cb).ratio() >= 0.9:
        return True
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if set(small) <= set(large) and len(set(small)) / len(set(large)) >= 0.5:
        return True
    cs, cl = sorted((ca, cb), key=len)
    return cs in cl and len(cs) / len(cl) >= 0.6


def section_matches(found: list[str], gold: str) -> bool:
    """A gold section matches an extracted one that is equal or more/less specific ("FOI 41" ~ "FOI 41(1)")."""
    return any(f == gold or f.startswith(gold + "(") or gold.startswith(f + "(") for f in found)


_MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december"]


def _squash(text: str) -> str:
    # pypdf splits words and numbers ("1 5 March", "Ma rch"), so spacing is ignored when looking for a value.
    return re.sub(r"\s+", "", text).lower()


def _date_pattern(iso: str) -> str:
    d = date.fromisoformat(iso)
    month = _MONTH_NAMES[d.month - 1]
    day = rf"0?{d.day}(?:st|nd|rd|th)?(?:day)?(?:of)?"
    numeric = rf"0?{d.day}[/.\-]0?{d.month}[/.\-](?:{d.year}|{d.year % 100:02d})"
    return (rf"(?<!\d)(?:{day}{month[:3]}(?:{month[3:]})?\.?,?{d.year}|{numeric}(?!\d)|"
            rf"{month[:3]}(?:{month[3:]})?\.?{day},?{d.year}|{d.year}-{d.month:02d}-{d.day:02d})")


def date_in_text(text: str, iso: str) -> bool:
    """Whether the text spells this date in any usual way: "1st March 2006", "1st day of March, 2006",
    "March 1, 2006", "01/03/2006", "1.3.06", "2006-03-01", ignoring spaces."""
    return re.search(_date_pattern(iso), _squash(text)) is not None


PAIR_WINDOW = 160
PAIR_MAX_DAYS = 60


def promulgation_pair(text: str, label: str, found: str | None) -> bool:
    """Whether the label is the date the decision was signed and `found` the promulgation date written beside
    it ("Date: 5 February 2020  Date Promulgated: 14 February 2020"): the label column is the "Date of
    Promulgation/ Decision", and its unchecked values give either of the two."""
    if not found or not 0 < (date.fromisoformat(found) - date.fromisoformat(label)).days <= PAIR_MAX_DAYS:
        return False
    squashed, later = _squash(text), re.compile(_date_pattern(found))
    for m in re.finditer(_date_pattern(label), squashed):
        window = squashed[max(0, m.start() - PAIR_WINDOW): m.end() + PAIR_WINDOW]
        if "promulgat" in window and later.search(window):
            return True
    return False


def appeal_ref_in_text(text: str, ref: str) -> bool:
    """Whether an appeal reference "EA/2005/0026" is written in the text in any form ("EA 2005 26",
    "EA/2005/0026 & 0027" lists count only for the first number)."""
    m = re.fullmatch(r"EA/(\d{4})/(\d{4})", ref)
    if not m:
        return _squash(ref) in _squash(text)
    year, number = m.group(1), int(m.group(2))
    return re.search(rf"(?<!\d){year}[/.\-]?0*{number}(?!\d)", _squash(text)) is not None


# Scale benchmark: which labels the text can support, and authority names compared through the gazetteer.
_COMPANY = re.compile(r"\b(?:limited|ltd|plc|llp|company)\b", re.IGNORECASE)
_ON_BEHALF = re.compile(r"^.*?\b(?:obo|o\.b\.o\.?|on behalf of)\s+", re.IGNORECASE)
_OUTCOME_WORDS = {"dismissed": r"dismiss|refuse|fail|notupheld", "allowed": r"allow|upheld|succe|setaside|substitut",
                  "part allowed": r"allow|part|upheld|succe", "struck out": r"struckout|strike|strikingout",
                  "withdrawn": r"withdr"}
_REGIME_WORDS = {"FOIA": (r"freedomofinformation", r"\bfoia\b"), "EIR": (r"environmentalinformation", r"\beirs?\b"),
                 "DPA": (r"dataprotection", r"\bdpa\b|\bgdpr\b")}
SHORT_ALIAS = 6


@functools.cache
def _canonical(name: str, on: str | None):
    from indexer.gazetteer import canonical

    return canonical(name, on)


def _alnum(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def public_appellant(appellant: str, on: str | None) -> str | None:
    """The appellant when it is a public body ("Cabinet Office", "X obo Drumduff Primary School"): the gazetteer
    knows it, or its name has a public-sector word and no company word. Companies appealing monetary penalties
    ("Tiger Mobiles Limited") are not authorities."""
    body = _ON_BEHALF.sub("", appellant).strip()
    if not body or is_commissioner_label(body):
        return None
    if _canonical(body, on) or (is_organisation(body) and not _COMPANY.search(body)):
        return body
    return None


def is_commissioner_label(name: str) -> bool:
    """The Information Commissioner (the respondent in every appeal) or a "Manual Review" placeholder."""
    return re.search(r"information\s+commissioner|^ico?$|manual review", name.strip(), re.IGNORECASE) is not None


def accepted_authorities(gold: dict) -> list[str]:
    """The label columns' parties, plus the appellant where it is a public body (the labels then name the
    requester in the authority columns)."""
    body = public_appellant(gold["appellant"], gold["date"])
    return list(dict.fromkeys(gold["authorities"] + ([body] if body else [])))


def _name_forms(name: str, on: str | None) -> list[str]:
    plain = re.sub(r"\s*\([^)]*\)\s*", " ", _ON_BEHALF.sub("", name))
    forms = [name, plain, re.sub(r"^\s*the\s+", "", plain, flags=re.IGNORECASE)]
    authority = _canonical(name, on)
    if authority is not None:
        from indexer.gazetteer import aliases

        forms += aliases(authority)
    return forms


def authority_in_text(text: str, names: list[str], on: str | None) -> bool:
    """Whether any accepted name, or a gazetteer alias of the body it names, is written in the text (spaces and
    punctuation ignored; short aliases such as "BBC" only as whole words)."""
    squashed, lowered = _alnum(text), text.lower()
    for name in names:
        for form in _name_forms(name, on):
            compact = _alnum(form)
            if len(compact) >= SHORT_ALIAS and compact in squashed:
                return True
            if 2 <= len(compact) < SHORT_ALIAS and re.search(rf"\b{re.escape(form.lower().strip())}\b", lowered):
                return True
    return False


def same_authority(found: str | None, gold: str, on: str | None) -> bool:
    """Same body: the gazetteer ids when both names resolve, else authority_matches on the names."""
    if not found:
        return False
    a, b = _canonical(found, on), _canonical(gold, on)
    if a is not None and b is not None:
        return a.id == b.id
    return authority_matches(found, gold)


def outcome_in_text(text: str, outcome: str) -> bool:
    """Whether the text uses a word of that outcome ("dismiss", "allow", "struck out", "withdr")."""
    return re.search(_OUTCOME_WORDS[outcome], _alnum(text)) is not None


def regime_in_text(text: str, regime: str) -> bool:
    """Whether the text names the regime ("Freedom of Information", "FOIA", "EIR", "Data Protection", ...)."""
    long, short = _REGIME_WORDS[regime]
    return long in _alnum(text) or re.search(short, text.lower()) is not None
