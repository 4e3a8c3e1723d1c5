"""The search-by-document page's context: the pasted text's closest precedents, as POST /api/similar finds them."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import url_for
from marshmallow import ValidationError

from service.api.common import current_snapshot, limits
from service.errors import flatten_messages
from service.pages.common import clean_args, document_link
from service.schemas.requests import SimilarBody, filters_of

# A bookmarkable GET link carries the text in the URL; gunicorn refuses request lines over limit_request_line
# (8190 bytes) and percent-encoding can triple a text's length.
MAX_LINK_CHARS = 1500
K_CHOICES = (5, 10, 20)
DEFAULT_K = 10
FORM_FIELDS = ("text", "k", "mode", "doc_type", "date_from", "date_to")


def _card(result: dict, reader) -> dict:
    record = reader.document(result["id"]) or {}
    evidence = [{**pair, "href": document_link(result["id"], None, (pair.get("passage") or {}).get("page_start"))}
                for pair in result.get("evidence") or []]
    return {**result, "sections": record.get("sections") or [], "outcome": record.get("outcome"),
            "href": document_link(result["id"]), "evidence": evidence}


def _link(form: Mapping[str, str]) -> str | None:
    """A GET URL that reruns this search, when the text is short enough to travel in a link."""
    if len(form.get("text", "")) > MAX_LINK_CHARS:
        return None
    return url_for("pages.similar_page", **{k: v for k, v in form.items() if k in FORM_FIELDS})


def similar_context(raw: Mapping[str, str], submitted: bool) -> tuple[dict[str, Any], int]:
    """Template context and status: the form alone, its errors (400), or the closest precedents.

    submitted: a POST, or a GET carrying text (a bookmarked search); a bare GET shows the empty form.
    """
    form = clean_args({k: v for k, v in raw.items() if k in FORM_FIELDS})
    context: dict[str, Any] = {"form": form, "errors": {}, "result": None, "k_choices": K_CHOICES,
                               "max_link_chars": MAX_LINK_CHARS}
    if not submitted:
        return context, 200
    try:
        params = SimilarBody(**limits()).load({"k": DEFAULT_K, **form})
    except ValidationError as exc:
        context["errors"] = flatten_messages(exc.messages)
        return context, 400
    snapshot = current_snapshot()
    result = snapshot.engine.similar(params["text"], params["k"], filters_of(params), mode=params["mode"])
    context.update(result=result, link=_link(form),
                   cards=[_card(r, snapshot.reader) for r in result["results"]])
    return context, 200
