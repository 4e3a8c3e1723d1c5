"""FOI metadata of one document: type, title, authority, date, references, sections, outcome, request."""
from indexer.metadata.document import classify, extract_metadata

__all__ = ["classify", "extract_metadata"]
