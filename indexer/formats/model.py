"""What extraction yields (pages, warnings, contained members), its caps, and the one error type for bad input."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.report import FAILURE_REASONS

ERROR_REASONS = frozenset(FAILURE_REASONS)


class ExtractionError(Exception):
    """A file that cannot be extracted; reason is one of ERROR_REASONS, message names the problem."""

    def __init__(self, reason: str, message: str) -> None:
        if reason not in ERROR_REASONS:
            raise ValueError(f"unknown extraction failure reason {reason!r}")
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # Pickled across process pools with both arguments, not just the message.
        return ExtractionError, (self.reason, self.message)


@dataclass
class Page:
    number: int
    text: str


@dataclass
class Member:
    """A file inside a container (a zip member, an email attachment), indexed as a document of its own.

    file is where its bytes were written for their own extraction; None when the container was only listed
    (no unpack folder given) or the member failed to unpack.
    """

    name: str
    size: int
    file: Path | None = None
    failure: tuple[str, str] | None = None  # (reason, message) when it could not be unpacked


@dataclass
class Extracted:
    format: str
    pages: list[Page]
    warnings: list[str] = field(default_factory=list)
    needs_ocr: bool = False
    title_hint: str | None = None
    ocr: dict[str, Any] | None = None  # set by indexer.ocr: engine, mean and per-page confidence
    members: list[Member] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)  # format-specific record fields, e.g. an email's headers

    @property
    def text(self) -> str:
        return "\n\n".join(page.text for page in self.pages if page.text)

    @property
    def chars(self) -> int:
        return len(self.text)


@dataclass(frozen=True)
class Caps:
    """Bounds on what one file may yield; 0 means unbounded.

    The archive budgets (members, inflated bytes) hold for the whole corpus file that this file came from:
    the build counts what nested containers already unpacked in used_members and used_inflated.
    """

    max_chars: int = 0
    max_pages: int = 0
    max_rows: int = 0  # rows read per spreadsheet sheet or CSV file
    max_cells: int = 0  # cells read per row
    max_members: int = 0  # members unpacked from containers
    max_inflated: int = 0  # bytes unpacked from containers
    max_ratio: float = 0.0  # inflated/compressed size above which a zip member is a bomb
    max_member_bytes: int = 0  # largest single member or attachment
    max_depth: int = 0  # containers nested deeper than this are not unpacked
    depth: int = 0  # how deep this file sits: 0 for a corpus file, 1 for a member of one
    used_members: int = 0  # members already unpacked from the same corpus file
    used_inflated: int = 0  # bytes already unpacked from the same corpus file


@dataclass(frozen=True)
class RawFile:
    """One file's bytes handed to a format extractor, with the caps and where to unpack members (if anywhere)."""

    name: str
    data: bytes
    caps: Caps = Caps()
    unpack_dir: Path | None = None
