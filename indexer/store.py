"""Files of a generation other than vectors and keyword indexes: documents, passages and page texts."""
from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

DOCUMENTS_FILE = "documents.jsonl"
PASSAGES_FILE = "passages.jsonl"
TEXT_DIR = "text"
# Document ids are slugs; anything else must never become a file name.
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def safe_id(doc_id: str) -> bool:
    return bool(_SAFE_ID.match(doc_id)) and ".." not in doc_id


def _write_atomic(path: Path, lines: Iterator[str]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def write_json_atomic(path: Path | str, value: Any) -> None:
    """Write JSON to path via a temporary file, so readers never see half a file."""
    _write_atomic(Path(path), iter([json.dumps(value, ensure_ascii=False, indent=1) + "\n"]))


def _jsonl(records: Sequence[Mapping[str, Any]]) -> Iterator[str]:
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"


def _page_dict(page: Any) -> dict[str, Any]:
    if isinstance(page, Mapping):
        return {"number": int(page["number"]), "text": page["text"]}
    return {"number": int(page.number), "text": page.text}


def write_generation_files(
    gen_dir: Path | str,
    documents: Sequence[Mapping[str, Any]],
    passages: Sequence[Mapping[str, Any]],
    pages_by_doc: Mapping[str, Sequence[Any]],
) -> None:
    """Write documents.jsonl (sorted by id), passages.jsonl (line i = row i) and text/<id>.json.

    pages_by_doc maps id -> pages (Page objects or {"number", "text"} dicts); every document needs its pages.
    """
    gen = Path(gen_dir)
    (gen / TEXT_DIR).mkdir(parents=True, exist_ok=True)
    for row, passage in enumerate(passages):
        if passage["row"] != row:
            raise ValueError(f"passage at line {row} has row {passage['row']}; rows must be 0..n-1 in order")
    ordered = sorted(documents, key=lambda d: d["id"])
    for doc in ordered:
        if not safe_id(doc["id"]):
            raise ValueError(f"document id {doc['id']!r} is not a safe slug")
        pages = [_page_dict(p) for p in pages_by_doc[doc["id"]]]
        write_json_atomic(gen / TEXT_DIR / f"{doc['id']}.json", {"id": doc["id"], "pages": pages})
    _write_atomic(gen / DOCUMENTS_FILE, _jsonl(ordered))
    _write_atomic(gen / PASSAGES_FILE, _jsonl(passages))


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def read_pages(gen_dir: Path | str, doc_id: str) -> list[dict[str, Any]] | None:
    """Pages stored for doc_id in a generation, or None when there are none (or the id is not a slug)."""
    if not safe_id(doc_id):
        return None
    path = Path(gen_dir) / TEXT_DIR / f"{doc_id}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["pages"]
    except (OSError, ValueError, KeyError):
        return None
