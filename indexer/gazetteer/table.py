"""The committed gazetteer table: its columns and one Authority per row."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

TABLE_PATH = Path(__file__).resolve().parent / "authorities.tsv"
COLUMNS = ("id", "kind", "name", "place", "start", "end", "status", "successor", "aliases")


@dataclass(frozen=True, slots=True)
class Authority:
    """One public body: a stable id (la:WOK, wdtk:29, govuk:home-office, hand:...), the name a caseworker
    expects, its kind, the place it serves (for police, PCCs, fire and councils), ISO dates when known,
    status c/d/"" (current, defunct, unknown), successor ids and the aliases the sources give."""
    id: str
    kind: str
    name: str
    place: str = ""
    start: str = ""
    end: str = ""
    status: str = ""
    successor: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def current(self) -> bool | None:
        """True or False where the sources say, None where they do not (most WhatDoTheyKnow bodies)."""
        return {"c": True, "d": False}.get(self.status)

    def active_on(self, day: dt.date | str) -> bool:
        """Whether the body could have acted on that day: unknown start or end dates never rule it out."""
        when = day.isoformat() if isinstance(day, dt.date) else str(day)[:10]
        return (not self.start or self.start <= when) and (not self.end or when <= self.end)


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
                tuple(filter(None, row["successor"].split(","))), tuple(filter(None, row["aliases"].split("|")))))
    return authorities
