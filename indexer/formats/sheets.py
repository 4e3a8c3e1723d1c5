"""Data tables (.xlsx with openpyxl, .csv): one page per sheet, one line per row, cells joined by " | "."""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any

from indexer.formats.model import Caps, Extracted, ExtractionError, Page, RawFile
from indexer.formats.office import refuse_ole
from indexer.formats.text import decode, text_result
from indexer.formats.zipcheck import open_zip, verify_members

CELL_SEPARATOR = " | "
SNIFF_BYTES = 64 * 1024


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return " ".join(str(value).split())


class _Table:
    """Rows of one sheet as lines, within the row and cell caps and the document's character budget."""

    def __init__(self, caps: Caps, budget: int) -> None:
        self.caps, self.budget = caps, budget
        self.lines: list[str] = []
        self.rows = self.capped_rows = self.cut_cells = 0
        self.out_of_budget = False

    def add(self, cells: Iterable[Any]) -> bool:
        """Add one row; False once no further row may be read."""
        values = [_cell(value) for value in cells]
        while values and not values[-1]:
            values.pop()
        if not values:
            return True
        self.rows += 1
        if self.caps.max_rows and self.rows > self.caps.max_rows:
            self.capped_rows += 1
            return False
        if self.caps.max_cells and len(values) > self.caps.max_cells:
            self.cut_cells += 1
            values = values[: self.caps.max_cells]
        line = CELL_SEPARATOR.join(values)
        self.budget -= len(line) + 1
        self.lines.append(line)
        self.out_of_budget = self.caps.max_chars > 0 and self.budget <= 0
        return not self.out_of_budget

    def notes(self, where: str) -> list[str]:
        notes = []
        if self.capped_rows:
            notes.append(f"{where}: only the first {self.caps.max_rows:,} rows are indexed (setting sheet_max_rows)")
        if self.cut_cells:
            notes.append(f"{where}: {self.cut_cells:,} row(s) cut to their first {self.caps.max_cells} cells "
                         f"(setting sheet_max_cells)")
        return notes


def _rows(sheet: Any, caps: Caps) -> Iterator[tuple]:
    # Reading one cell past the cap tells a sheet that was cut from one that ended exactly there.
    limit = caps.max_cells + 1 if caps.max_cells else None
    yield from sheet.iter_rows(values_only=True, max_col=limit)


def _read_workbook(raw: RawFile, workbook: Any) -> tuple[list[Page], list[str]]:
    pages, notes, budget = [], [], raw.caps.max_chars
    for number, sheet in enumerate(workbook.worksheets, start=1):
        table = _Table(raw.caps, budget)
        for row in _rows(sheet, raw.caps):
            if not table.add(row):
                break
        notes.extend(table.notes(f"sheet {sheet.title!r}"))
        pages.append(Page(number, "\n".join([f"Sheet: {sheet.title}", *table.lines])))
        budget = table.budget
        if table.out_of_budget:
            skipped = len(workbook.worksheets) - number
            notes.append(f"text truncated at about {raw.caps.max_chars:,} characters (setting max_extracted_chars)"
                         + (f"; {skipped} later sheet(s) not read" if skipped else ""))
            break
    return pages, notes


def extract_xlsx(raw: RawFile) -> Extracted:
    from openpyxl import load_workbook

    refuse_ole(raw.name, raw.data, "spreadsheet (.xlsx)")
    archive = open_zip(raw.name, raw.data, "corrupt_office", "spreadsheet (.xlsx)")
    verify_members(archive, raw.name, raw.caps, "corrupt_office")
    if "xl/workbook.xml" not in archive.namelist():
        raise ExtractionError("corrupt_office", f"{raw.name}: not an Excel workbook (a zip without xl/workbook.xml)")
    try:
        workbook = load_workbook(io.BytesIO(raw.data), read_only=True, data_only=True)
        try:
            pages, notes = _read_workbook(raw, workbook)
        finally:
            workbook.close()
    except Exception as exc:  # openpyxl raises many types on damaged workbooks
        raise ExtractionError("corrupt_office", f"{raw.name}: Excel workbook is damaged "
                              f"({type(exc).__name__}: {exc})") from exc
    if not any(page.text.count("\n") for page in pages):
        raise ExtractionError("empty_file", f"{raw.name}: every sheet of the workbook is empty")
    return Extracted(format="xlsx", pages=pages, warnings=notes, fields={"sheets": len(pages)})


def _dialect(sample: str) -> type[csv.Dialect] | str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return "excel"


def extract_csv(raw: RawFile) -> Extracted:
    text, notes = decode(raw.name, raw.data)
    table = _Table(raw.caps, raw.caps.max_chars)
    try:
        for row in csv.reader(io.StringIO(text, newline=""), _dialect(text[:SNIFF_BYTES])):
            if not table.add(row):
                break
    except csv.Error as exc:
        notes.append(f"not valid CSV ({exc}); indexed as plain text")
        return text_result(raw.name, "csv", text, notes, None, raw.caps)
    if not table.lines:
        raise ExtractionError("empty_file", f"{raw.name}: CSV file has no cells")
    notes.extend(table.notes("CSV"))
    if table.out_of_budget:
        notes.append(f"only the first {len(table.lines):,} rows are indexed (setting max_extracted_chars)")
    return Extracted(format="csv", pages=[Page(1, "\n".join(table.lines))], warnings=notes)
