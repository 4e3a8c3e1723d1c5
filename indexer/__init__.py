"""Indexer: turns a folder of FOI documents into a versioned hybrid (Whoosh + embeddings) index."""
