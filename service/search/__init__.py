"""Search logic: retrievers, filters, fusion, facets, snippets, related documents and search by text."""
