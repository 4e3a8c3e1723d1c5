"""The committed gazetteer table: its columns and one Authority per row."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

TABLE_PATH = Path(__file__).resolve().parent / "authorities.tsv"
COLUMNS = ("id", "kind", "name", "place", "start", "end", "status", "successor", "merged", "aliases")


@dataclass(frozen=True, slots=True)
class Authority:
    """One public body: a stable id (la:WOK, wdtk:29, govuk:home-office, hand:...), the name a caseworker
    expects, its kind, the place it serves (for police, PCCs, fire and councils), ISO start and end dates
    when known (end = the day it ceased), status c/d/"" (current, defunct, unknown), successor ids, the ids
    of source entries merged into it (WDTK's PSNI in GOV.UK's) and the aliases the sources give."""
    id: str
    kind: str
    name: str
    place: str = ""
    start: str = ""
    end: str = ""
    status: str = ""
    successor: tuple[str, ...] = ()
    merged: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def current(self) -> bool | None:
        """True or False where the sources say, None where they do not (most WhatDoTheyKnow bodies)."""
        return {"c": True, "d": False}.get(self.status)

    def active_on(self, day: dt.date | str) -> bool:
        """Whether the body could have acted on that day (ISO date). `end` is the day it ceased, when its
        successor began (mySociety's "2023-04-01" for the old Somerset County Council); unknown start or end
        dates never rule a body out."""
        when = day.isoformat() if isinstance(day, dt.date) else str(day)[:10]
        return (not self.start or self.start <= when) and (not self.end or when < self.end)


def read_table(path: Path = TABLE_PATH) -> list[Authority]:
    """Every row of the table, in file order."""
    authorities = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or line.startswith("id\t") or not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            row = dict(zip(COLUMNS, fields, strict=True))
            authorities.append(Authority(
                row["id"], row["kind"], row["name"], row["place"], row["start"], row["end"], row["status"],
                *(tuple(filter(None, row[column].split(","))) for column in ("successor", "merged")),
                tuple(filter(None, row["aliases"].split("|")))))
    return authorities
