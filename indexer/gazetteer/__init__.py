"""Gazetteer of UK public authorities: canonical names, aliases, mentions in text and masking."""
from indexer.gazetteer.finder import Mention, find, mask
from indexer.gazetteer.index import gazetteer, resolve
from indexer.gazetteer.lookup import aliases, by_id, canonical
from indexer.gazetteer.table import Authority

__all__ = ["Authority", "Mention", "aliases", "by_id", "canonical", "find", "gazetteer", "mask", "resolve"]
