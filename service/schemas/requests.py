"""Request schemas: query-string and body parsing for every endpoint, and the parameters in the OpenAPI document."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

MODES = ("hybrid", "keyword", "semantic")
SORTS = ("relevance", "date_desc", "date_asc", "cited_by")
FUSIONS = ("rrf", "weighted")
DOC_TYPES = ("decision_notice", "tribunal_decision", "foi_response", "request_thread", "other")
# Far past any real result set, small enough that page * per_page stays an ordinary 64-bit integer everywhere.
MAX_PAGE = 100_000
FILTER_FIELDS = ("doc_type", "authority", "section", "outcome", "legislation", "date_from", "date_to", "reference")
# Filters that take several values (authority=A&authority=B means A or B); the date range takes one of each.
MULTI_VALUE_FILTERS = ("doc_type", "authority", "section", "outcome", "legislation", "reference")
MAX_FILTER_VALUES = 50


# Each constraint a request field has is also in the OpenAPI document (the contract fuzz test holds both to it),
# so these patterns are written in the subset Python and ECMAScript regular expressions agree on.
NO_NUL = validate.Regexp(r"^[^\x00]*$", error="Must not contain NUL characters.")
NOT_BLANK = validate.Regexp(r"^\s*[^\s\x00][^\x00]*$", error="Must not be empty or contain NUL characters.")
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _text(low: int, high: int) -> fields.String:
    return fields.String(validate=[validate.Length(low, high), NO_NUL])


class IsoDate(fields.String):
    """A calendar date written YYYY-MM-DD, kept as that string (index dates are stored so)."""

    default_error_messages = {"invalid": "Not a valid date; use YYYY-MM-DD."}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metadata = {"format": "date", "pattern": DATE_PATTERN, **self.metadata}

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            if not re.fullmatch(DATE_PATTERN[1:-1], text):
                raise ValueError(text)
            return dt.date.fromisoformat(text).isoformat()
        except ValueError as exc:
            raise self.make_error("invalid") from exc


class OneOrMany(fields.List):
    """A list of values that also takes one bare value, as a JSON body filter always could."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> list:
        return super()._deserialize(value if isinstance(value, list | tuple) else [value], attr, data, **kwargs)


def _filter_fields(many: type[fields.List]) -> dict[str, fields.Field]:
    """The metadata filters; each list filter matches a document having any of its values."""
    several = "a list allows several" if many is OneOrMany else "repeat the parameter to allow several"

    def listed(item: fields.Field, description: str) -> fields.List:
        return many(item, validate=validate.Length(max=MAX_FILTER_VALUES), metadata={
            "description": f"{description} One value, or {several} (a document with any of them matches)."})

    return {
        "doc_type": listed(fields.String(validate=validate.OneOf(DOC_TYPES)), "Document type."),
        "authority": listed(_text(1, 300), "Public authority name (its aliases match too)."),
        "section": listed(_text(1, 60), "Exemption, e.g. `FOI 40` (also matches 40(2)) or `EIR 12(5)(e)`."),
        "outcome": listed(_text(1, 40), "Outcome, e.g. `upheld`, `dismissed`."),
        "legislation": listed(fields.String(validate=validate.OneOf(("FOIA", "EIR", "DPA"))), "Act."),
        "date_from": IsoDate(metadata={"description": "Earliest decision date, YYYY-MM-DD (inclusive)."}),
        "date_to": IsoDate(metadata={"description": "Latest decision date, YYYY-MM-DD (inclusive)."}),
        "reference": listed(_text(1, 80), "Case reference, e.g. `EA/2019/0154` or `IC-231130-L9K4`."),
    }


class _DateRange(Schema):
    @validates_schema
    def _date_order(self, data: dict, **kwargs: Any) -> None:
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError(f"date_from ({start}) is after date_to ({end}).", "date_from")


class FilterSchema(Schema.from_dict(_filter_fields(fields.List), name="QueryFilters"), _DateRange):  # type: ignore[misc]
    """Metadata filters of the query-string endpoints (search, document listing)."""


class BodyFilterSchema(Schema.from_dict(_filter_fields(OneOrMany), name="BodyFilters"), _DateRange):  # type: ignore[misc]
    """The same filters in a JSON body, where a list filter may also be one bare string."""


QUERY_TOO_LONG = ("Longer than {max} characters (setting max_query_chars); send a longer text as JSON to "
                  "POST /api/similar.")


class _Limited(Schema):
    """A schema whose page-size and query-length limits come from the configuration."""

    limit_field = "per_page"

    def __init__(self, *, max_per_page: int = 100, default_per_page: int = 20, max_query_chars: int = 4000,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        field = self.fields[self.limit_field]
        field.validators = [validate.Range(min=1, max=max_per_page)]
        field.load_default = min(default_per_page, max_per_page)
        if "q" in self.fields:
            self.fields["q"].validators = [validate.Length(max=max_query_chars, error=QUERY_TOO_LONG), NO_NUL]


class PagedFilterSchema(FilterSchema, _Limited):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE),
                          metadata={"description": "1-based page; past the last page the results are empty."})
    per_page = fields.Integer(metadata={"description": "Results per page."})


class SearchQuery(PagedFilterSchema):
    q = fields.String(load_default="",
                      metadata={"description": "Query: words, \"phrases\", a case reference or a section."})
    mode = fields.String(load_default="hybrid", validate=validate.OneOf(MODES))
    sort = fields.String(load_default="relevance", validate=validate.OneOf(SORTS))
    fusion = fields.String(validate=validate.OneOf(FUSIONS), metadata={"description": "Hybrid fusion; default from config."})
    group_requests = fields.Boolean(load_default=False, metadata={
        "description": "Fold answers to the same request from other authorities into the best-ranked one "
                       "(its request_group); total still counts every match, folded the ones not listed."})


class PageQuery(SearchQuery):
    """The HTML page takes the same parameters but ignores stray ones (from bookmarks, trackers), and folds
    answers to one request unless group_requests=false."""

    group_requests = fields.Boolean(load_default=True)

    class Meta:
        unknown = EXCLUDE


class DocumentsQuery(PagedFilterSchema):
    sort = fields.String(validate=validate.OneOf(SORTS[1:]), metadata={"description": "Default: id order."})
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "jsonl")),
                           metadata={"description": "`jsonl` streams every matching document, one per line."})


class RelatedQuery(_Limited):
    limit_field = "limit"
    limit = fields.Integer(metadata={"description": "How many related documents."})


class SimilarBody(BodyFilterSchema, _Limited):
    limit_field = "k"
    text = fields.String(required=True, validate=NOT_BLANK, metadata={"description": "Text to find precedents for."})
    k = fields.Integer(metadata={"description": "How many documents."})
    mode = fields.String(load_default="hybrid", validate=validate.OneOf(MODES))


def filters_of(params: Mapping[str, Any]) -> dict[str, Any]:
    """The filter keys present in validated params."""
    return {name: params[name] for name in FILTER_FIELDS if params.get(name) not in (None, "", [])}
