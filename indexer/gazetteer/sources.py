"""Readers for the four source lists in ../shared/labels/authorities, each turned into draft bodies."""
from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from indexer.gazetteer.kinds import EXCLUDED, kind_from_govuk, kind_from_name
from indexer.gazetteer.normalise import is_acronym, tidy

_TRAILING_PARENTHESES = re.compile(r"^(?P<name>.*?)\s*\((?P<inner>[^()]*)\)$")
# A council name variant that names the council rather than its area ("Kent County" and "Aberdeen City" do not).
_ORGANISATIONAL = re.compile(r"\b(?:council|cyngor|comhairle|corporation|authority|borough|boro|UA|MBC|LBC|RBC)\b",
                             re.IGNORECASE)


@dataclass
class Body:
    """A body while the table is distilled: display name, kind, every alias seen and its dates."""
    id: str
    kind: str
    name: str
    aliases: list[str] = field(default_factory=list)
    place: str = ""
    start: str = ""
    end: str = ""
    status: str = ""
    successor: str = ""
    merged: list[str] = field(default_factory=list)

    def add(self, *names: str | None) -> None:
        self.aliases.extend(tidy(name) for name in names if name and tidy(name))


def split_name(raw: str) -> tuple[str, list[str]]:
    """A WDTK name and the aliases it carries: "Colwyn Bay Town Council / Cyngor Tref Bae Colwyn" holds two
    names; "Metropolitan Police Service (MPS)" is "Metropolitan Police Service" with the acronym "MPS"."""
    names = [tidy(part) for part in raw.split(" / ") if tidy(part)]
    if not names:
        return "", []
    first, extra = names[0], names[1:]
    match = _TRAILING_PARENTHESES.match(first)
    if match and match.group("name") and is_acronym(match.group("inner")):
        return tidy(match.group("name")), [match.group("inner"), *extra]
    return first, extra


def _without_aside(name: str) -> str | None:
    """ "Belfast Health and Social Care Trust (Northern Ireland)" without its bracketed aside, if that leaves a name."""
    match = _TRAILING_PARENTHESES.match(name)
    return tidy(match.group("name")) if match and match.group("name") else None


def read_councils(folder: Path) -> tuple[dict[str, Body], dict[str, str]]:
    """mySociety's councils keyed la:CODE, named by every lookup variant; and WDTK id -> council id."""
    councils: dict[str, Body] = {}
    by_wdtk: dict[str, str] = {}
    with open(folder / "uk_local_authorities.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["local-authority-code"]
            body = Body(f"la:{code}", "council", tidy(row["official-name"]), place=tidy(row["nice-name"]),
                        start=row["start-date"], end=row["end-date"],
                        status="c" if row["current-authority"] == "True" else "d")
            body.successor = ",".join(f"la:{successor}" for successor in row["replaced-by"].split(",") if successor)
            councils[code] = body
            if row["wdtk-id"]:
                by_wdtk[str(int(float(row["wdtk-id"])))] = body.id
    for lookup in ("lookup_name_to_registry_package.csv", "lookup_name_to_registry.csv"):
        with open(folder / lookup, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                body = councils.get(row["local-authority-code"])
                # A bare place ("Kent", "North Yorkshire") names an area, not the council: it is kept as the
                # body's place, from which the lookup derives council-name variants.
                if body and _ORGANISATIONAL.search(row["la-name"]):
                    body.add(row["la-name"])
    return councils, by_wdtk


def read_wdtk(folder: Path) -> dict[str, list[tuple[str, str]]]:
    """WDTK public body id -> its (short name, name) rows, one per locale (English, often Welsh)."""
    rows: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with open(folder / "wdtk_public_bodies.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows[row["public_body_id"]].append((tidy(row["short_name"]), tidy(row["name"])))
    return dict(rows)


# Frequent Welsh words: a body's rows come in no fixed order, and its English name is the one with fewest.
_WELSH = frozenset("""y yr ar a ei mawrhydi dros yng nghymru cyngor sir bwrdeistref dinas heddlu prifysgol awdurdod
parc cenedlaethol llywodraeth gwasanaeth gwasanaethau adran swyddfa ymddiriedolaeth comisiynydd arolygiaeth cwmni
bwrdd cyfyngedig comisiwn brenhinol cyffredin gorfforaeth ddarlledu brydeinig weinyddiaeth amddiffyn cyllid thollau
asiantaeth dyfarnu plant addysg iechyd materion gwledig gwaith pensiynau llys llysoedd iaith gymraeg""".split())


def _welsh_words(name: str) -> int:
    return sum(word in _WELSH for word in re.findall(r"[^\W\d_]+", name.lower()))


def wdtk_body(body_id: str, rows: list[tuple[str, str]]) -> Body | None:
    """A WDTK body with its names, short names and Welsh names; None when its kind is left out or it has no name."""
    rows = sorted(rows, key=lambda row: _welsh_words(row[1]))
    names = [split_name(name) for _short, name in rows if name]
    if not names:
        return None
    display, extra = names[0]
    kind = kind_from_name(display)
    if kind is None or any(EXCLUDED.search(name) for _short, name in rows):
        return None
    body = Body(f"wdtk:{body_id}", kind, display)
    for (short, _name), (name, carried) in zip(rows, names, strict=False):
        body.add(name, short, *carried)
    body.add(*extra)
    # A government department's aside tells it from its namesake ("Department of Health (Northern Ireland)").
    if kind not in ("central_government", "devolved_government"):
        body.add(*(_without_aside(name) for name in list(body.aliases)))
    return body


# "Ministry of Housing, Communities & Local Government (2018 to 2021)": the years are no part of the name.
_YEARS = re.compile(r"\s*\(\d{4} to \d{4}\)\s*$")


def _slug(api_url: str) -> str:
    return api_url.rstrip("/").rsplit("/", 1)[-1]


def read_govuk(folder: Path) -> dict[str, dict]:
    """GOV.UK organisations keyed by slug."""
    with open(folder / "govuk_organisations.json", encoding="utf-8") as handle:
        organisations = json.load(handle)
    return {org["details"]["slug"]: org for org in organisations.values()}


def _renamed_to(org: dict, orgs: dict[str, dict]) -> str | None:
    """The successor of an organisation that closed only to change its name, i.e. the same body."""
    details = org["details"]
    successors = [_slug(item["id"]) for item in org["superseding_organisations"]]
    if details["govuk_status"] == "closed" and details["govuk_closed_status"] == "changed_name" and \
            len(successors) == 1 and successors[0] in orgs:
        return successors[0]
    return None


def govuk_bodies(orgs: dict[str, dict]) -> dict[str, Body]:
    """Body id -> body, one per GOV.UK organisation, with renamed organisations folded into their last name: DCLG's
    successor chain MHCLG (2018) -> DLUHC -> MHCLG is one body known by all those names."""
    current: dict[str, str] = {}
    for slug in sorted(orgs):
        seen, step = {slug}, slug
        while (after := _renamed_to(orgs[step], orgs)) and after not in seen:
            seen.add(after)
            step = after
        current[slug] = step
    bodies: dict[str, Body] = {}
    for slug in sorted(orgs, key=lambda item: (current[item] != item, item)):
        org, details = orgs[slug], orgs[slug]["details"]
        target = current[slug]
        if target not in bodies:
            title = tidy(orgs[target]["title"])
            closed = orgs[target]["details"]["govuk_status"] == "closed"
            bodies[target] = Body(f"govuk:{target}", kind_from_govuk(orgs[target]["format"], title), title,
                                  status="d" if closed else "c")
        body = bodies[target]
        body.add(*(_YEARS.sub("", name or "") for name in (org["title"], details["logo_formatted_name"],
                                                           details["abbreviation"])))
        if slug == target and details["govuk_status"] == "closed":
            body.end = (details["closed_at"] or "")[:10]
            successors = sorted({current.get(_slug(item["id"]), "") for item in org["superseding_organisations"]})
            body.successor = ",".join(f"govuk:{successor}" for successor in successors if successor)
    return {body.id: body for body in bodies.values()}

