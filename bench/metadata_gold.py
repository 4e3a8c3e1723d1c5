"""Gold metadata from /work/shared/labels and the fair-matching rules the metadata benchmark uses."""
from __future__ import annotations

import csv
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


def tribunal_gold(shared: Path) -> dict[str, dict]:
    """ID -> {"refs", "date", "outcome", "authorities"} for the PDF subset; checked columns win over originals."""
    ids = set((shared / "labels" / "pdf-subset-ids.txt").read_text().split())
    gold = {}
    with open(shared / "labels" / "tribunal-metadata.csv", encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["ID"] in ids:
                gold[row["ID"]] = _tribunal_row(row)
    return gold


def _tribunal_row(row: dict) -> dict:
    raw_refs = [row["Reference.1.Checked"] or row["Reference.1.Original"]]
    raw_refs += [row[f"Reference.{i}"] for i in range(2, 9)]
    refs = {n for raw in raw_refs for n, _r, _o in find_references(raw or "")}
    outcome = OUTCOMES.get((row["Appeal.Checked"] or row["Appeal.firstchk"]).strip().lower())
    parties = [row["Public Agency in Question (Where it is not a respondent)"], row["Public Agency.2"]]
    parties += [row[f"Respondent.{i}"] for i in range(2, 7)] + [row[f"Additional.Party.{i}"] for i in range(1, 7)]
    authorities = [p for p in parties if p.strip() and not re.search(r"commissioner|manual review", p, re.I)]
    appellant = row["Appellant"].strip()
    return {
        "refs": refs,
        "date": _d(row["Date of Promulgation/ Decision. Check"]) or _d(row["Date of Promulgation/ Decision. Original"]),
        "outcome": outcome,
        "authorities": authorities,
        "appellant_body": appellant if is_organisation(appellant) else None,
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


def date_in_text(text: str, iso: str) -> bool:
    """Whether the text spells this date in any usual way: "1st March 2006", "1st day of March, 2006",
    "March 1, 2006", "01/03/2006", "1.3.06", "2006-03-01", ignoring spaces."""
    d = date.fromisoformat(iso)
    month = _MONTH_NAMES[d.month - 1]
    day = rf"0?{d.day}(?:st|nd|rd|th)?(?:day)?(?:of)?"
    numeric = rf"0?{d.day}[/.\-]0?{d.month}[/.\-](?:{d.year}|{d.year % 100:02d})"
    pattern = (rf"(?<!\d)(?:{day}{month[:3]}(?:{month[3:]})?\.?,?{d.year}|{numeric}(?!\d)|"
               rf"{month[:3]}(?:{month[3:]})?\.?{day},?{d.year}|{d.year}-{d.month:02d}-{d.day:02d})")
    return re.search(pattern, _squash(text)) is not None


def appeal_ref_in_text(text: str, ref: str) -> bool:
    """Whether an appeal reference "EA/2005/0026" is written in the text in any form ("EA 2005 26",
    "EA/2005/0026 & 0027" lists count only for the first number)."""
    m = re.fullmatch(r"EA/(\d{4})/(\d{4})", ref)
    if not m:
        return _squash(ref) in _squash(text)
    year, number = m.group(1), int(m.group(2))
    return re.search(rf"(?<!\d){year}[/.\-]?0*{number}(?!\d)", _squash(text)) is not None
