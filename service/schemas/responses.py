"""Response schemas: what the API sends back, and (through apispec) the response half of the OpenAPI document.

Dumping drops keys a schema doesn't name, so internal fields of engine results never leak by accident.
"""
from __future__ import annotations

from marshmallow import Schema, fields


class RankScore(Schema):
    rank = fields.Integer(allow_none=True)
    score = fields.Float(allow_none=True)


class Explain(Schema):
    keyword = fields.Nested(RankScore, allow_none=True)
    semantic = fields.Nested(RankScore, allow_none=True)
    fused = fields.Float(allow_none=True, metadata={"description": "Score after fusion, before authority."})
    prior = fields.Float(allow_none=True, metadata={"description": "What the citation-authority prior added."})
    votes = fields.Float(metadata={"description": "Citation votes of the query's nearest documents (0-1)."})
    reference_match = fields.String(metadata={"description": "`carries` or `cites` a reference typed in the query."})
    known_item = fields.String(metadata={"description": "Put first as the document the query asks for: `title` (a "
                                                       "case-title query names it) or `quoted` (the pasted text "
                                                       "quotes it) or `agreed` (both retrievers rank it first); see `ranking.known_item`."})


class RankingPlan(Schema):
    """How a query was ranked, the same for every result of one search."""

    path = fields.String(required=True, metadata={
        "description": "`terms` (a typed query) or `document` (a long text, ranked like a document)."})
    fusion = fields.Dict(metadata={"description": "Fusion method and the weight of each retriever."})
    prior = fields.Dict(allow_none=True, metadata={"description": "How citation authority entered, and its weight."})
    precedent_share = fields.Float(metadata={"description": (
        "Share of decisions (ICO notices, tribunal decisions) among the 10 best content matches; the citation "
        "signals are scaled by it, so a query answered by FOI responses is not pulled towards much-cited decisions.")})
    known_item = fields.Dict(metadata={"description": (
        "The known-item check: `signal` (`case title`: documents whose title holds every name word of an 'A v B' "
        "query are put first; `quoted text`: the best match holding `threshold` of a pasted text's word 5-grams "
        "is put first, `overlap` is its share), and `margin`/`authority_kept` (the content lead and the share of "
        "the authority signals kept).")})


class Snippet(Schema):
    text = fields.String(required=True, metadata={"description": "HTML-escaped passage; matches wrapped in <mark>."})
    page_start = fields.Integer(allow_none=True)
    page_end = fields.Integer(allow_none=True)


class OcrSummary(Schema):
    engine = fields.String(required=True, metadata={"description": "OCR engine and version, e.g. tesseract 5.3.0."})
    mean_confidence = fields.Float(required=True, metadata={"description": "Mean word confidence, 0-100."})


class OcrPage(Schema):
    page = fields.Integer(required=True)
    confidence = fields.Float(required=True, metadata={"description": "Mean word confidence on the page, 0-100."})
    words = fields.Integer(required=True)


class OcrInfo(OcrSummary):
    pages = fields.List(fields.Nested(OcrPage), required=True, metadata={"description": "The pages read by OCR."})


class DocumentSummary(Schema):
    id = fields.String(required=True)
    path = fields.String(required=True)
    title = fields.String(required=True)
    doc_type = fields.String(required=True)
    authority = fields.String(allow_none=True)
    date = fields.String(allow_none=True)
    references = fields.List(fields.String())
    legislation = fields.List(fields.String())
    sections = fields.List(fields.String())
    outcome = fields.String(allow_none=True)
    needs_ocr = fields.Boolean(metadata={"description": "A scan whose text could not be read (no OCR, or OCR found none)."})
    ocr = fields.Nested(OcrSummary, allow_none=True, metadata={"description": "Null unless pages were read by OCR."})
    url = fields.String(metadata={"description": "API URL of the document."})
    file_url = fields.String(metadata={"description": "URL of the original file."})


REQUEST_CLUSTER = {"description": "Id of the documents answering the same request to other authorities "
                                   "(GET /api/requests/<id>); null when no other authority's document answers it."}


class RequestGroup(Schema):
    """With group_requests: the answers to this result's request that the search folded behind it."""

    cluster = fields.String(required=True, allow_none=True, metadata=REQUEST_CLUSTER)
    documents = fields.Integer(required=True, metadata={"description": "Documents in the whole cluster."})
    other_authorities = fields.Integer(required=True, metadata={
        "description": "Authorities other than this result's that answered the request."})
    folded = fields.List(fields.String(), required=True, metadata={
        "description": "Ids of this search's later results answering the same request, best first."})


class SearchResult(DocumentSummary):
    # Both null when browsing (no q): documents are then listed, not scored.
    score = fields.Float(required=True, allow_none=True)
    explain = fields.Nested(Explain, allow_none=True)
    snippets = fields.List(fields.Nested(Snippet), required=True)
    request_cluster = fields.String(required=True, allow_none=True, metadata=REQUEST_CLUSTER)
    request_group = fields.Nested(RequestGroup, allow_none=True, metadata={
        "description": "Null unless group_requests is set and this result leads its request's cluster."})


class FacetValue(Schema):
    value = fields.String(required=True)
    count = fields.Integer(required=True)


class Facets(Schema):
    doc_type = fields.List(fields.Nested(FacetValue))
    authority = fields.List(fields.Nested(FacetValue))
    section = fields.List(fields.Nested(FacetValue))
    outcome = fields.List(fields.Nested(FacetValue))
    year = fields.List(fields.Nested(FacetValue))


class Paged(Schema):
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    pages = fields.Integer(required=True)


class SearchResponse(Paged):
    folded = fields.Integer(metadata={"description": "Matching documents not listed because group_requests folded "
                                                     "them into another authority's answer to the same request "
                                                     "(0 without it); pages count the listed ones."})
    query = fields.String(required=True)
    mode = fields.String(required=True)
    results = fields.List(fields.Nested(SearchResult), required=True)
    ranking = fields.Nested(RankingPlan, allow_none=True, metadata={"description": "Null when browsing (no q)."})
    facets = fields.Nested(Facets, required=True)
    warnings = fields.List(fields.String(), required=True)


class DocumentsResponse(Paged):
    documents = fields.List(fields.Nested(DocumentSummary), required=True)
    facets = fields.Nested(Facets)
    warnings = fields.List(fields.String())


class CiteLink(Schema):
    reference = fields.String(required=True)
    doc_id = fields.String(allow_none=True, metadata={"description": "Corpus document carrying it; null if outside."})
    url = fields.String(allow_none=True, metadata={"description": "Where the text said it can be read."})
    href = fields.String(allow_none=True, metadata={"description": "API URL of the cited/citing corpus document."})


class Links(Schema):
    self = fields.String(required=True)
    file = fields.String(required=True)
    related = fields.String(required=True)
    cites = fields.List(fields.Nested(CiteLink), required=True)
    cited_by = fields.List(fields.Nested(CiteLink), required=True)


class DocumentDetail(DocumentSummary):
    format = fields.String()
    pages = fields.Integer(metadata={"description": "Page count."})
    chars = fields.Integer()
    ocr = fields.Nested(OcrInfo, allow_none=True, metadata={"description": "Null unless pages were read by OCR."})
    warnings = fields.List(fields.String())
    request_text = fields.String(allow_none=True)
    cites = fields.List(fields.String())
    text = fields.String(required=True, metadata={"description": "Full text; each page starts with a [page N] line."})
    links = fields.Nested(Links, required=True)
    request_cluster = fields.String(required=True, allow_none=True, metadata=REQUEST_CLUSTER)


class Card(Schema):
    """A document as a related or similar item shows it."""

    id = fields.String(required=True)
    path = fields.String()
    title = fields.String(required=True)
    doc_type = fields.String(required=True)
    authority = fields.String(allow_none=True)
    date = fields.String(allow_none=True)
    references = fields.List(fields.String())
    url = fields.String()
    file_url = fields.String()
    score = fields.Float(allow_none=True)


class RelatedItem(Card):
    relation = fields.String(required=True)
    evidence = fields.Dict(metadata={"description": "Why it is related: overlaps, mentions or passage pairs."})


class Relations(Schema):
    same_request = fields.List(fields.Nested(RelatedItem), metadata={"description": "Same request elsewhere."})
    cites = fields.List(fields.Nested(RelatedItem))
    cited_by = fields.List(fields.Nested(RelatedItem))
    appeal = fields.List(fields.Nested(RelatedItem), metadata={"description": "Appeal to or from this decision."})
    similar = fields.List(fields.Nested(RelatedItem))


class ExternalCitation(Schema):
    reference = fields.String(required=True)
    url = fields.String(allow_none=True)


class RelatedResponse(Schema):
    id = fields.String(required=True)
    relations = fields.Nested(Relations, required=True)
    external_citations = fields.List(fields.Nested(ExternalCitation))
    took_ms = fields.Float()


class PassageRef(Schema):
    row = fields.Integer()
    ordinal = fields.Integer()
    page_start = fields.Integer(allow_none=True)
    page_end = fields.Integer(allow_none=True)
    text = fields.String()


class EvidencePair(Schema):
    similarity = fields.Float(allow_none=True)
    query_chunk = fields.Integer(allow_none=True)
    query_text = fields.String(allow_none=True)
    passage = fields.Nested(PassageRef)


class SimilarResult(Card):
    scores = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True))
    evidence = fields.List(fields.Nested(EvidencePair))


class SimilarResponse(Schema):
    results = fields.List(fields.Nested(SimilarResult), required=True)
    total = fields.Integer()
    mode = fields.String()
    ranking = fields.Nested(RankingPlan)
    query = fields.Dict(metadata={"description": "How the text was read: size, chunks used, key terms."})
    warnings = fields.List(fields.String())
    took_ms = fields.Float()


class RequestClusterRow(Schema):
    """One authority's answer to the request."""

    id = fields.String(required=True)
    title = fields.String(required=True)
    doc_type = fields.String(required=True)
    authority = fields.String(allow_none=True)
    date = fields.String(allow_none=True)
    reference = fields.String(allow_none=True, metadata={"description": "The authority's own reference, if any."})
    references = fields.List(fields.String())
    outcome = fields.String(allow_none=True)
    sections = fields.List(fields.String(), metadata={"description": "Sections relied on (exemptions, s.12 cost)."})
    url = fields.String(required=True, metadata={"description": "API URL of the document."})
    file_url = fields.String(metadata={"description": "URL of the original file."})
    page_url = fields.String(required=True, metadata={"description": "HTML page of the document."})


class RequestCluster(Schema):
    """GET /api/requests/<id>: one FOI request sent to several authorities, with every answer in the index."""

    id = fields.String(required=True, metadata=REQUEST_CLUSTER)
    request_text = fields.String(allow_none=True, metadata={"description": "The request, as the fullest answer quotes it."})
    authorities = fields.Integer(required=True, metadata={"description": "Distinct authorities that answered."})
    documents = fields.List(fields.Nested(RequestClusterRow), required=True, metadata={
        "description": "One row per answer, by authority then date."})
    url = fields.String(required=True)
    page_url = fields.String(required=True, metadata={"description": "HTML page of the cluster."})


class Health(Schema):
    ready = fields.Boolean(required=True)
    generation = fields.String(allow_none=True)
    built_at = fields.String(allow_none=True)
    documents = fields.Integer(required=True)
    passages = fields.Integer(required=True)
    model = fields.String(allow_none=True)


class ErrorDetail(Schema):
    code = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"description": "HTTP status name, e.g. BAD_REQUEST."})
    message = fields.String(required=True)
    details = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True)


class ErrorResponse(Schema):
    error = fields.Nested(ErrorDetail, required=True)


class HealthUnavailable(ErrorResponse, Health):
    """GET /api/health without an index: the error shape plus the health fields, so monitors see both."""
