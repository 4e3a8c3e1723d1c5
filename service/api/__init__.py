"""The JSON API under /api: search, search by text, documents, related documents, health and OpenAPI."""
