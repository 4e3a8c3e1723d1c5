"""Distil ../shared/labels/authorities into the committed gazetteer table (python -m indexer.gazetteer.distil)."""
from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

from config import PROJECT_ROOT
from indexer.gazetteer import hand
from indexer.gazetteer.normalise import is_acronym, is_generic, key
from indexer.gazetteer.sources import Body, govuk_bodies, read_councils, read_govuk, read_wdtk, wdtk_body
from indexer.gazetteer.table import COLUMNS, TABLE_PATH

DEFAULT_SHARED = PROJECT_ROOT.parent / "shared"
HEADER = """\
# UK public authority gazetteer, distilled by `python -m indexer.gazetteer.distil` from ../shared/labels/authorities.
# Contains data from mySociety's UK local authority names and codes (CC BY 4.0), WhatDoTheyKnow's public body list
# (WhatDoTheyKnow / mySociety, CC BY-SA 4.0, so this table is CC BY-SA 4.0 too) and the GOV.UK organisations API
# (public sector information licensed under the Open Government Licence v3.0). See indexer/gazetteer/SOURCES.md.
# One body per row; aliases are separated by "|"; status is c (current), d (defunct) or empty (unknown);
# merged lists the source ids folded into the row (a WDTK body merged into its GOV.UK namesake).
"""
# Aliases shared by this many bodies identify none of them ("PCT", "CCG", "IDB").
CROWDED_ALIAS = 3
_PLACE_SUFFIX = {
    "police": r"\s+police(?:\s+(?:service|force))?$|\s+constabulary$",
    "pcc": r"\s+police,?\s+(?:fire\s+)?and\s+crime\s+commissioner$",
    "police_authority": r"\s+police\s+authority$",
    "fire": r"\s+(?:county\s+)?fire\s+(?:and|&)\s+rescue(?:\s+(?:service|authority))?$|\s+fire\s+(?:service|brigade|"
            r"authority|commissioner)$",
    "council": r"\s+(?:(?:city|borough|district|county|metropolitan borough|county borough)\s+)?council$",
}


def merge_key(name: str) -> tuple[str, ...]:
    """A key loose enough to spot one body in two lists: "Her Majesty's" = "HM", "Ltd" = "Limited" = nothing."""
    words = " ".join(key(name)).replace("her majesty", "hm").replace("his majesty", "hm")
    words = words.replace("united kingdom", "uk").split()
    return tuple(word for word in words if word not in ("limited", "ltd"))


def _similar(first: str, second: str) -> bool:
    """Names sharing most of their words ("Prisons and Probation Ombudsman for England and Wales" and "Prisons
    and Probation Ombudsman"), enough to trust a shared acronym as one body and not two (FSA, DSA)."""
    words = [set(merge_key(name)) - {"of", "for", "and", "in", "on", "to"} for name in (first, second)]
    smaller = min(len(words[0]), len(words[1]))
    return smaller >= 2 and len(words[0] & words[1]) >= 0.6 * smaller


def _absorb(into: Body, other: Body) -> None:
    into.add(other.name, *other.aliases)
    into.merged.extend((other.id, *other.merged))


def _wdtk_into_councils(bodies: dict[str, Body], wdtk: dict, by_wdtk: dict[str, str]) -> set[str]:
    """Council names from WDTK, joined by mySociety's wdtk-id or else by name (the old NI districts lack the id)."""
    council_keys = {merge_key(body.name): body.id for body in bodies.values()}
    used = set()
    for body_id, rows in wdtk.items():
        target = by_wdtk.get(body_id)
        draft = wdtk_body(body_id, rows)
        if target is None and draft is not None:
            target = council_keys.get(merge_key(draft.name))
        if target and draft is not None:
            _absorb(bodies[target], draft)
            used.add(body_id)
        elif target:
            used.add(body_id)
    return used


def _wdtk_bodies(bodies: dict[str, Body], wdtk: dict, used: set[str]) -> None:
    """WDTK bodies, each merged into the GOV.UK body of the same name, or of the same acronym and a similar
    name (an acronym alone never merges two bodies: FSA is the Food Standards Agency and the Financial Services
    Authority)."""
    govuk_keys: dict[tuple[str, ...], set[str]] = defaultdict(set)
    govuk_acronyms: dict[str, set[str]] = defaultdict(set)
    for body in bodies.values():
        if body.id.startswith("govuk:"):
            govuk_keys[merge_key(body.name)].add(body.id)
            for name in body.aliases:
                (govuk_acronyms[name] if is_acronym(name) else govuk_keys[merge_key(name)]).add(body.id)
    # WDTK lists a few bodies twice ("Strode College" and "Strode's College"): one name and kind, one body.
    seen: dict[tuple[str, tuple[str, ...]], str] = {}
    for body_id in sorted(wdtk, key=int):
        draft = None if body_id in used or f"wdtk:{body_id}" in hand.DROPPED else wdtk_body(body_id, wdtk[body_id])
        if draft is None:
            continue
        targets = set().union(*(govuk_keys.get(merge_key(name), set()) for name in (draft.name, *draft.aliases)
                                if not is_acronym(name)))
        if not targets:
            targets = {target for name in draft.aliases if is_acronym(name)
                       for target in govuk_acronyms.get(name, ()) if _similar(draft.name, bodies[target].name)}
        if len(targets) == 1:
            _absorb(bodies[targets.pop()], draft)
        elif (twin := seen.get((draft.kind, merge_key(draft.name)))) is not None:
            _absorb(bodies[twin], draft)
        else:
            bodies[draft.id] = draft
            seen[(draft.kind, merge_key(draft.name))] = draft.id


def _icbs(bodies: dict[str, Body], folder: Path) -> None:
    """Integrated care boards, named from their WDTK URL names (the 2021 names export predates them)."""
    with open(folder / "wdtk_id_to_url_name.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            match = re.match(hand.ICB_URL, row["url_name"])
            if match and f"wdtk:{row['id']}" not in bodies:
                words = [word if word in hand.ICB_SMALL_WORDS else word.capitalize()
                         for word in match.group("area").split("_")]
                area = " ".join(words)
                body = Body(f"wdtk:{row['id']}", "nhs", f"NHS {area} Integrated Care Board", status="c")
                body.add(f"NHS {area} ICB", f"{area} ICB")
                bodies[body.id] = body


def _merge_fire_authorities(bodies: dict[str, Body]) -> None:
    """A fire and rescue authority and the service it runs are one body for FOI: the service keeps both names."""
    services: dict[str, str] = {}
    for body in sorted(bodies.values(), key=lambda item: item.id):
        if body.kind == "fire" and not body.name.endswith("Authority"):
            services.setdefault(body.place.lower(), body.id)
    for body in sorted(bodies.values(), key=lambda item: item.id):
        target = services.get(body.place.lower())
        if body.kind == "fire" and body.name.endswith("Authority") and target:
            _absorb(bodies[target], bodies.pop(body.id))


def _apply_hand(bodies: dict[str, Body]) -> None:
    for body_id, kind, name, aliases, start, _reason in hand.BODIES:
        bodies[body_id] = Body(body_id, kind, name, list(aliases), start=start, status="c")
    for absorbed, kept, _reason in hand.SAME:
        _absorb(bodies[kept], bodies.pop(absorbed))
    for body_id, (name, _reason) in hand.DISPLAY.items():
        bodies[body_id].add(bodies[body_id].name)
        bodies[body_id].name = name
    for body_id, (aliases, _reason) in hand.ALIASES.items():
        bodies[body_id].add(*aliases)
    for body_id, aliases in hand.WELSH.items():
        bodies[body_id].add(*aliases)
    for body_id, (aliases, _reason) in hand.DROP_ALIASES.items():
        bodies[body_id].aliases = [alias for alias in bodies[body_id].aliases if alias not in aliases]
    for kind, pattern, start, end, _reason in hand.DATES:
        for body in bodies.values():
            if body.kind == kind and re.search(pattern, body.name):
                body.start, body.end = start or body.start, end or body.end


def _set_places(bodies: dict[str, Body]) -> None:
    for body in bodies.values():
        pattern = _PLACE_SUFFIX.get(body.kind)
        if pattern and not body.place:
            place = re.sub(pattern, "", body.name, flags=re.IGNORECASE)
            body.place = place if place != body.name and not is_generic(key(place)) else ""


def _tidy_aliases(bodies: dict[str, Body], place_keys: set[tuple[str, ...]]) -> None:
    """One alias per key, no generic words, no bare place, nothing that several bodies share."""
    owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
    # Another body's own name is never an alias: mySociety maps "Buckinghamshire County Council" to its
    # successor too, but a document under that name was written by the county council.
    display_keys = {key(body.name) for body in bodies.values()}
    for body in bodies.values():
        # Initials are kept in each case they come in ("MOJ" and "MoJ"), since case matters when matching them.
        kept: dict[tuple[tuple[str, ...], str], str] = {}
        for alias in body.aliases:
            alias_key = key(alias)
            if not alias_key or is_generic(alias_key) or alias_key in place_keys or alias_key in display_keys:
                continue
            slot = (alias_key, alias if is_acronym(alias) else "")
            if slot not in kept or (kept[slot].islower() and not alias.islower()):
                kept[slot] = alias.replace("|", "/")
        body.aliases = list(kept.values())
        for alias_key, _case in kept:
            owners[alias_key].add(body.id)
    for body in bodies.values():
        body.aliases = [alias for alias in body.aliases if len(owners[key(alias)]) < CROWDED_ALIAS]


def distil(folder: Path) -> list[Body]:
    """Every kept body, merged across the sources, sorted by id."""
    councils, by_wdtk = read_councils(folder)
    bodies = {body.id: body for body in councils.values()}
    place_keys = {key(body.place) for body in councils.values()}
    wdtk = read_wdtk(folder)
    used = _wdtk_into_councils(bodies, wdtk, by_wdtk)
    bodies.update(govuk_bodies(read_govuk(folder)))
    _wdtk_bodies(bodies, wdtk, used)
    _icbs(bodies, folder)
    _set_places(bodies)
    _merge_fire_authorities(bodies)
    _apply_hand(bodies)
    _set_places(bodies)
    _tidy_aliases(bodies, place_keys)
    return sorted(bodies.values(), key=_sort_key)


def _sort_key(body: Body) -> tuple[str, int, str]:
    prefix, _, local = body.id.partition(":")
    return (prefix, int(local) if local.isdigit() else 0, local)


def write_table(bodies: list[Body], path: Path) -> None:
    lines = [HEADER, "\t".join(COLUMNS) + "\n"]
    for body in bodies:
        status = body.status or ("d" if body.end else "")
        merged = ",".join(sorted(set(body.merged) - {body.id}, key=lambda item: _sort_key(Body(item, "", ""))))
        fields = [body.id, body.kind, body.name, body.place, body.start, body.end, status, body.successor, merged,
                  "|".join(body.aliases)]
        lines.append("\t".join(fields) + "\n")
    path.write_text("".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared data folder (../shared)")
    parser.add_argument("--out", type=Path, default=TABLE_PATH, help="where to write the table")
    args = parser.parse_args(argv)
    folder = args.shared / "labels" / "authorities"
    if not (folder / "wdtk_public_bodies.csv").is_file():
        print(f"distil: {folder} is absent; the gazetteer is distilled from the shared data "
              "(../shared/labels/authorities), so run this where it is mounted", file=sys.stderr)
        return 2
    bodies = distil(folder)
    write_table(bodies, args.out)
    print(f"wrote {len(bodies)} bodies, {sum(len(body.aliases) for body in bodies)} aliases, "
          f"{args.out.stat().st_size:,} bytes to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
