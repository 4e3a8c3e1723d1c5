"""Plain-language account of how a search was ranked (the API's `ranking` plan and `explain`) for the page."""
from __future__ import annotations

from collections.abc import Mapping

_PUT_FIRST = {
    "title": "Put first: the case title you typed names it.",
    "quoted": "Put first: your text quotes it.",
    "agreed": "Put first: the word search and the meaning search both found it best.",
    "carries": "Put first: it carries the reference you typed.",
    "cites": "Listed early: it cites the reference you typed.",
}


def _fusion(fusion: Mapping) -> str | None:
    method = fusion.get("method")
    if method == "single":
        return f"Only the {fusion.get('retriever')} search found anything." if fusion.get("retriever") else None
    if method == "weighted":
        weights = fusion.get("weights") or {}
        share = round(100 * float(weights.get("keyword", 0.0)))
        return f"Word matches (BM25) count {share}%, meaning (sentence embeddings) {100 - share}%."
    return "Word and meaning matches are fused by rank (reciprocal rank fusion)."


def _known_item(known: Mapping) -> str | None:
    signal = known.get("signal")
    if signal == "case title":
        count = known.get("documents", 0)
        return f"Your query is a case title: {count} decision{'' if count == 1 else 's'} with that title come first."
    if signal == "quoted text" and "overlap" in known:
        share = round(100 * float(known["overlap"]))
        verdict = "so it comes first" if known["overlap"] >= known.get("threshold", 1) else "not enough to put it first"
        return f"The best match holds {share}% of your text's five-word phrases, {verdict}."
    if signal == "agreed best match":
        return "The word search and the meaning search agree on the best match, so it comes first."
    return None


def ranking_notes(plan: Mapping | None) -> list[str]:
    """Sentences saying which path, which weights, which prior and why; [] when browsing without a query."""
    if not plan:
        return []
    path = ("Your long text was compared like a document: its key terms and its most representative passages."
            if plan.get("path") == "document" else "Your words were searched as typed.")
    notes = [path, _fusion(plan.get("fusion") or {}), _known_item(plan.get("known_item") or {})]
    prior = plan.get("prior")
    known = plan.get("known_item") or {}
    if prior:
        notes.append(f"Much-cited decisions are lifted a little ({prior.get('kind')} citation prior, weight "
                     f"{prior.get('weight')}).")
    elif plan.get("precedent_share") == 0:
        notes.append("None of the best matches is a decision, so citation counts were not used.")
    elif known.get("authority_kept") == 0:
        notes.append("One document stands far above the rest, so citation counts were not used.")
    return [note for note in notes if note]


def why_first(explain: Mapping | None) -> str | None:
    """Why a result was put first, when it was (a known item or a typed reference)."""
    explain = explain or {}
    return _PUT_FIRST.get(explain.get("known_item") or explain.get("reference_match") or "")
