"""Extraction of one file format family per module; indexer.extract picks the module for a file."""

# File name suffix -> format name; a format's extractor is chosen by indexer.extract.
FORMAT_BY_SUFFIX: dict[str, str] = {
    ".pdf": "pdf", ".html": "html", ".htm": "html", ".txt": "text", ".docx": "docx", ".odt": "odt",
    ".rtf": "rtf", ".xlsx": "xlsx", ".csv": "csv", ".eml": "eml", ".msg": "msg", ".zip": "zip",
}
# Formats that hold other files (members, attachments), each indexed as a document of its own.
CONTAINERS = frozenset({"eml", "msg", "zip"})
