"""Unpacking a container's members (zip entries, email attachments) to files, within the archive caps."""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from indexer.formats import FORMAT_BY_SUFFIX
from indexer.formats.model import ExtractionError, Member, RawFile

_MB = 1 << 20
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")
# Resource forks and folder metadata that archivers add; never documents.
_SYSTEM_PARTS = {"__MACOSX", "Thumbs.db", "desktop.ini"}
MAX_LISTED = 10


def clean_name(name: str, fallback: str) -> str:
    """A relative posix path without empty, dot or dot-dot parts and without control characters."""
    parts = [part for part in re.split(r"[/\\]+", _UNSAFE.sub("", name)) if part not in ("", ".", "..")]
    return "/".join(parts) or fallback


class MemberWriter:
    """Collects one container's members: which are unpacked, which are skipped, and the notes saying so."""

    def __init__(self, raw: RawFile, kind: str) -> None:
        self.raw, self.caps, self.kind = raw, raw.caps, kind
        self.members: list[Member] = []
        self.unsupported: list[str] = []
        self.over_count = 0
        self.inflated = 0
        self._taken: set[str] = set()

    def admit(self, name: str, number: int) -> str | None:
        """The member's clean, unique name when it is to be indexed; None for system, unsupported or excess files."""
        name = clean_name(name, f"{self.kind}-{number}")
        path = PurePosixPath(name)
        if any(part in _SYSTEM_PARTS or part.startswith(".") for part in path.parts):
            return None
        if path.suffix.lower() not in FORMAT_BY_SUFFIX:
            self.unsupported.append(name)
            return None
        if self.caps.max_members and self.caps.used_members + len(self.members) >= self.caps.max_members:
            self.over_count += 1
            return None
        unique, copy = name, 1
        while unique.lower() in self._taken:
            copy += 1
            unique = str(path.with_name(f"{path.stem}~{copy}{path.suffix}"))
        self._taken.add(unique.lower())
        return unique

    def refuse(self, name: str, size: int) -> bool:
        """Record a failed member when size is over the per-member limit or the container's unpacking budget."""
        caps = self.caps
        if caps.max_member_bytes and size > caps.max_member_bytes:
            why = f"{size / _MB:,.1f} MB is over the {caps.max_member_bytes / _MB:g} MB limit (setting max_file_mb)"
        elif caps.max_inflated and caps.used_inflated + self.inflated + size > caps.max_inflated:
            why = (f"unpacking its {size / _MB:,.1f} MB would pass the {caps.max_inflated / _MB:,.0f} MB that one "
                   f"corpus file may inflate to (setting archive_max_inflated_mb)")
        else:
            return False
        self.members.append(Member(name, size, None, ("too_large", f"{name}: {why}; not unpacked")))
        return True

    def add(self, name: str, chunks: Iterable[bytes]) -> Member:
        """Write the member below unpack_dir (when there is one) and record it; an ExtractionError fails only it."""
        number = len(self.members)
        target = self.raw.unpack_dir / f"{number:04d}" / PurePosixPath(name).name if self.raw.unpack_dir else None
        size = 0
        try:
            if target is None:
                size = sum(len(chunk) for chunk in chunks)
            else:
                target.parent.mkdir(parents=True)
                with open(target, "wb") as handle:
                    for chunk in chunks:
                        handle.write(chunk)
                        size += len(chunk)
        except ExtractionError as exc:
            member = Member(name, size, None, (exc.reason, exc.message))
        else:
            member = Member(name, size, target)
        self.inflated += size
        self.members.append(member)
        return member

    def notes(self) -> list[str]:
        notes = []
        if self.unsupported:
            shown = ", ".join(self.unsupported[:MAX_LISTED]) + (" ..." if len(self.unsupported) > MAX_LISTED else "")
            notes.append(f"{len(self.unsupported)} {self.kind}(s) of a type that is not indexed: {shown}")
        if self.over_count:
            notes.append(f"{self.over_count} {self.kind}(s) skipped: {self.caps.max_members} members and attachments "
                         f"are unpacked from one corpus file at most (setting archive_max_members)")
        return notes
