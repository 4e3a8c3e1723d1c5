"""Evidence snippets: a result's best stored passages, HTML-escaped, with query terms wrapped in <mark>.

Passages are scored with one compiled regex over the query's analysed terms (plus the semantic retriever's
cosine for passages it returned), which costs far less than running Whoosh's highlighter over whole documents.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from html import escape

SNIPPET_CHARS = 360
_PLAIN = re.compile(r"^[^\W\d_]+$")


def _term_regex(term: str, group: str) -> str:
    if _PLAIN.match(term):
        # Terms are Porter stems: "polici" must match "policy", "disclos" must match "disclosure".
        stem = re.escape(term[:-1]) + "[iy]" if term.endswith("i") else re.escape(term)
        return rf"(?P<{group}>{stem})\w*"
    return rf"(?P<{group}>{re.escape(term)})(?!\w)"


def term_pattern(terms: Iterable[str]) -> re.Pattern | None:
    """One case-insensitive regex with a named group per distinct term (longest first), or None for no terms.

    The word-start assertion is shared by every alternative, so positions inside words fail at once instead of
    being tried against each term: several times faster than one \\b per alternative.
    """
    unique = sorted({t.strip().lower() for t in terms if t and t.strip()}, key=lambda t: (-len(t), t))
    if not unique:
        return None
    alternatives = "|".join(_term_regex(t, f"t{i}") for i, t in enumerate(unique))
    return re.compile(rf"(?<!\w)(?:{alternatives})", re.IGNORECASE)


def term_needles(terms: Iterable[str]) -> list[str]:
    """Lower-case substrings standing for each term, for cheap passage scoring (stems lose a final i/y)."""
    needles = {t.strip().lower() for t in terms if t and t.strip()}
    return sorted({n[:-1] if _PLAIN.match(n) and n.endswith("i") and len(n) > 3 else n for n in needles})


def highlight(text: str, pattern: re.Pattern | None) -> str:
    """text HTML-escaped, with every match of pattern wrapped in <mark> (the match itself escaped too)."""
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for match in pattern.finditer(text):
        if match.end() == match.start():
            continue
        out.append(escape(text[last:match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _densest_match(text: str, pattern: re.Pattern | None, width: int) -> int:
    """Offset of the match starting the window that holds the most distinct terms (0 without matches)."""
    if pattern is None:
        return 0
    matches = [(m.start(), m.lastgroup) for m in pattern.finditer(text)]
    best, best_count = 0, 0
    for index, (start, _group) in enumerate(matches):
        groups = set()
        for offset, group in matches[index:]:
            if offset >= start + width // 2:
                break
            groups.add(group)
        count = len(groups)
        if count > best_count:
            best, best_count = start, count
    return best


def _window(text: str, focus: int, width: int) -> str:
    if len(text) <= width:
        return text
    start = max(0, min(focus - width // 4, len(text) - width))
    end = min(len(text), start + width)
    if start > 0:
        space = text.find(" ", start, start + 40)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", end - 40, end)
        end = space if space > start else end
    return ("…" if start > 0 else "") + text[start:end] + ("…" if end < len(text) else "")


def snippet(passage: Mapping, pattern: re.Pattern | None, width: int = SNIPPET_CHARS) -> dict:
    """One passage as {"text" (escaped HTML), "page_start", "page_end"}, cut to a window around the first match."""
    text = " ".join(str(passage.get("text", "")).split())
    return {
        "text": highlight(_window(text, _densest_match(text, pattern, width), width), pattern),
        "page_start": passage.get("page_start"),
        "page_end": passage.get("page_end"),
    }


def best_snippets(
    passages: Sequence[Mapping],
    pattern: re.Pattern | None,
    semantic: Mapping[int, float] | None = None,
    limit: int = 3,
    width: int = SNIPPET_CHARS,
    needles: Sequence[str] = (),
    lowered: Sequence[str] | None = None,
) -> list[dict]:
    """The `limit` passages containing most distinct query terms (semantic cosine adds to the score).

    Passages are ranked by substring counts of the term needles (C-speed, unlike a regex over every
    passage); only the chosen ones are run through the highlighting regex. With no evidence at all the
    document's opening passage is returned, so a result is never bare. `lowered` (the passages' texts in lower
    case, in the same order) may come from a cache.
    """
    semantic = semantic or {}
    scored = []
    if lowered is None:
        lowered = [passage.get("text", "").lower() for passage in passages]
    for passage, text in zip(passages, lowered, strict=True):
        counts = [text.count(needle) for needle in needles]
        value = sum(1 for c in counts if c) + 0.05 * min(sum(counts), 10) + semantic.get(passage.get("row", -1), 0.0)
        if value > 0:
            scored.append((value, passage.get("ordinal", 0), passage))
    if not scored:
        return [snippet(passages[0], None, width)] if passages and limit > 0 else []
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [snippet(passage, pattern, width) for _value, _ordinal, passage in scored[:limit]]
