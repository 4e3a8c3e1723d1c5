"""Whoosh keyword indexes of a generation: one over whole documents, one over passages (BM25F)."""
from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.analysis import IDAnalyzer
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.index import Index

from indexer.analysis import legal_analyzer

DOCUMENTS = "documents"
PASSAGES = "passages"
# Per-writer memory before Whoosh spills a segment; 2 cores are shared, so one process with a modest buffer.
WRITER_LIMIT_MB = 128

# Whole-value ID fields compared case-insensitively (filters pass "Home Office" or "home office").
_LOWER_ID = IDAnalyzer(lowercase=True)

DOCUMENT_SCHEMA = Schema(
    id=ID(stored=True, unique=True),
    path=ID(stored=True),
    doc_type=ID(analyzer=_LOWER_ID),
    authority=TEXT(analyzer=legal_analyzer()),
    authority_exact=ID(analyzer=_LOWER_ID),
    date=ID(sortable=True),
    year=NUMERIC(int, bits=32),
    references=KEYWORD(lowercase=True, commas=True, scorable=True),
    sections=KEYWORD(lowercase=True, commas=True, scorable=True),
    outcome=ID(analyzer=_LOWER_ID),
    legislation=KEYWORD(lowercase=True, commas=True),
    title=TEXT(analyzer=legal_analyzer(), field_boost=2.0),
    request_text=TEXT(analyzer=legal_analyzer()),
    content=TEXT(analyzer=legal_analyzer(), phrase=True),
)

PASSAGE_SCHEMA = Schema(
    row=NUMERIC(int, bits=64, stored=True, unique=True),
    doc_id=ID(stored=True),
    content=TEXT(analyzer=legal_analyzer(), phrase=True, chars=True),
)

_SECTION = re.compile(r"^\s*([A-Za-z]+)\s+(\S+)\s*$")


def section_terms(section: str) -> list[str]:
    """``"FOI 40(2)"`` -> ``["foi 40", "foi 40(2)"]``, so a filter on ``FOI 40`` also matches ``40(2)``."""
    match = _SECTION.match(section)
    if not match:
        return [" ".join(section.lower().split())] if section.strip() else []
    act, number = match.group(1).lower(), match.group(2).lower()
    terms = []
    for index, char in enumerate(number):
        if char == "(" and index:
            terms.append(f"{act} {number[:index]}")
    terms.append(f"{act} {number}")
    return list(dict.fromkeys(terms))


_PARSER_UNSAFE = re.compile(r"\[\d{4}\]\s+[A-Za-z]+\s+\d+(?:\s+\([A-Za-z]+\))?|\b\d+[A-Za-z]{0,2}(?:\([0-9A-Za-z]{1,5}\))+")


def quote_legal_tokens(text: str) -> str:
    """Quote section numbers and neutral citations outside quotes, before Whoosh's QueryParser sees them.

    The parser reads parentheses as grouping, so ``31(1)(a)`` would become ``31 AND 1 AND a``; quoted, it is
    analysed as one token (and ``[2026] UKFTT 433 (GRC)`` as one phrase).
    """
    parts = text.split('"')
    for index in range(0, len(parts), 2):
        parts[index] = _PARSER_UNSAFE.sub(lambda m: f'"{m.group(0)}"', parts[index])
    return '"'.join(parts)


def _page_text(page: Any) -> str:
    return page["text"] if isinstance(page, Mapping) else page.text


def _join(values: Iterable[str] | None) -> str:
    # Commas separate KEYWORD values, so a comma inside one value would split it.
    return ",".join(v.replace(",", " ") for v in values or () if v)


def document_fields(doc: Mapping[str, Any], pages: Sequence[Any]) -> dict[str, Any]:
    """The Whoosh fields of one document record and its pages."""
    date = doc.get("date") or ""
    fields: dict[str, Any] = {
        "id": doc["id"],
        "path": doc.get("path", ""),
        "doc_type": doc.get("doc_type") or "other",
        "references": _join(doc.get("references")),
        "sections": _join(t for s in doc.get("sections") or () for t in section_terms(s)),
        "legislation": _join(doc.get("legislation")),
        "title": doc.get("title") or "",
        "content": "\n\n".join(_page_text(p) for p in pages),
    }
    if date[:4].isdigit():
        fields["year"] = int(date[:4])
    for name in ("authority", "request_text", "outcome", "date"):
        if doc.get(name):
            fields[name] = doc[name]
    if doc.get("authority"):
        fields["authority_exact"] = doc["authority"]
    return fields


def _create(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    whoosh_index.create_in(str(directory), DOCUMENT_SCHEMA, indexname=DOCUMENTS)
    whoosh_index.create_in(str(directory), PASSAGE_SCHEMA, indexname=PASSAGES)


def open_keyword_indexes(directory: Path | str) -> tuple[Index, Index]:
    """(documents index, passages index) of a keyword directory."""
    directory = str(directory)
    return (
        whoosh_index.open_dir(directory, indexname=DOCUMENTS),
        whoosh_index.open_dir(directory, indexname=PASSAGES),
    )


def _stored_passage_layout(passage_index: Index) -> dict[str, tuple[int, int]]:
    """doc_id -> (first row, passage count) as the passages index stores them."""
    layout: dict[str, list[int]] = {}
    with passage_index.searcher() as searcher:
        for stored in searcher.all_stored_fields():
            first_count = layout.setdefault(stored["doc_id"], [stored["row"], 0])
            first_count[0] = min(first_count[0], stored["row"])
            first_count[1] += 1
    return {doc_id: (first, count) for doc_id, (first, count) in layout.items()}


def _shifted(previous: dict[str, tuple[int, int]], documents: Sequence[Mapping[str, Any]]) -> set[str]:
    # Rows are global, so adding or removing one document moves the rows of every later one.
    return {
        d["id"]
        for d in documents
        if d["id"] in previous and previous[d["id"]] != (d["first_passage"], d["passage_count"])
    }


def write_keyword_index(
    target_dir: Path | str,
    documents: Sequence[Mapping[str, Any]],
    passages: Sequence[Mapping[str, Any]],
    pages_by_doc: Mapping[str, Sequence[Any]],
    previous_dir: Path | str | None = None,
    changed_ids: Iterable[str] = (),
    removed_ids: Iterable[str] = (),
    progress: Callable[[int], Any] | None = None,
) -> None:
    """Write both indexes into target_dir: fresh, or by updating a copy of previous_dir.

    Incremental mode re-indexes the documents in changed_ids (new or edited; their pages must be in
    pages_by_doc), drops removed_ids, and re-adds the passages of unchanged documents whose rows moved.
    Documents absent from the previous index count as changed and ones no longer listed as removed.
    progress, given the number of documents and passages to add, returns a bar (update, close) to count them on.
    """
    target = Path(target_dir)
    if target.exists():
        shutil.rmtree(target)
    if previous_dir is None:
        _create(target)
        _update(target, documents, passages, pages_by_doc, {d["id"] for d in documents}, set(), set(), progress)
        return
    shutil.copytree(previous_dir, target)
    doc_index, passage_index = open_keyword_indexes(target)
    with doc_index.searcher() as searcher:
        stored_ids = {fields["id"] for fields in searcher.all_stored_fields()}
    current_ids = {d["id"] for d in documents}
    # Trust the index over the caller's lists too: anything missing is added, anything extra dropped.
    changed = set(changed_ids) | (current_ids - stored_ids)
    removed = set(removed_ids) | (stored_ids - current_ids)
    moved = _shifted(_stored_passage_layout(passage_index), documents) - changed
    _update(target, documents, passages, pages_by_doc, changed, removed, moved, progress)


def _update(
    target: Path,
    documents: Sequence[Mapping[str, Any]],
    passages: Sequence[Mapping[str, Any]],
    pages_by_doc: Mapping[str, Sequence[Any]],
    changed: set[str],
    removed: set[str],
    moved: set[str],
    progress: Callable[[int], Any] | None = None,
) -> None:
    doc_index, passage_index = open_keyword_indexes(target)
    added = [p for p in passages if p["doc_id"] in changed or p["doc_id"] in moved]
    bar = progress(sum(1 for d in documents if d["id"] in changed) + len(added)) if progress else None
    doc_writer = doc_index.writer(procs=1, limitmb=WRITER_LIMIT_MB)
    passage_writer = passage_index.writer(procs=1, limitmb=WRITER_LIMIT_MB)
    try:
        for doc_id in changed | removed:
            doc_writer.delete_by_term("id", doc_id)
        for doc_id in changed | removed | moved:
            passage_writer.delete_by_term("doc_id", doc_id)
        for doc in documents:
            if doc["id"] in changed:
                doc_writer.add_document(**document_fields(doc, pages_by_doc[doc["id"]]))
                if bar is not None:
                    bar.update(1)
        for passage in added:
            passage_writer.add_document(row=passage["row"], doc_id=passage["doc_id"], content=passage["text"])
            if bar is not None:
                bar.update(1)
    except BaseException:
        doc_writer.cancel()
        passage_writer.cancel()
        raise
    doc_writer.commit()
    passage_writer.commit()
    _sync(target)


def _sync(directory: Path) -> None:
    # The generation is switched to right after this; make the segment files durable first.
    for entry in directory.iterdir():
        with open(entry, "rb") as handle:
            os.fsync(handle.fileno())
