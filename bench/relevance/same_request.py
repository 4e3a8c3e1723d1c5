"""Same-request query set: each clustered disclosure page's request text -> its siblings at other authorities."""
from __future__ import annotations

import json
import re
from pathlib import Path

from bench.relevance.queries import Query

REQUEST_WORDS = 120
# Cookie banners, beta notices, navigation and site notices that open scraped disclosure-log pages.
_FURNITURE = re.compile(
    r"cookie|this site is a beta|technical problem|skip to|leave this site|no longer live|select category|"
    r"search site|transparency overview|^\W*$", re.IGNORECASE)
# Where the request starts on pages of the genre: after a heading line ("Request", "You asked:", "Cwestiwn",
# "... as follows:"), or at an opening sentence ("Under the Freedom of Information Act ...", "I would like ...").
_HEADING = re.compile(
    r"^[ \t]*(?:(?:initial\s+)?request(?:\s+detail)?|you asked|information requested|cwestiwn|"
    r"we received a request[^\n]*|[^\n]*\bas follows)[ \t]*:?[ \t]*$", re.IGNORECASE | re.MULTILINE)
_OPENING = re.compile(
    r"^[ \t]*(?:under the freedom of information|i would like|i am writing|please (?:can you )?provide|"
    r"this is a request|as a freedom of information request)", re.IGNORECASE | re.MULTILINE)


def request_text(page: str, words: int = REQUEST_WORDS) -> str:
    """The first `words` words of the request: furniture lines dropped, started where the request starts."""
    body = "\n".join(line for line in page.splitlines() if not _FURNITURE.search(line))
    starts = [m.end() for m in [_HEADING.search(body)] if m] + [m.start() for m in [_OPENING.search(body)] if m]
    return " ".join(body[min(starts, default=0):].split()[:words])


def same_request_queries(shared: Path, words: int = REQUEST_WORDS) -> list[Query]:
    """One query per clustered document; relevant = the other documents of its cluster (all of them needed)."""
    labels = json.loads((shared / "labels" / "same-request-clusters.json").read_text(encoding="utf-8"))
    out = []
    for name, cluster in sorted(labels["clusters"].items()):
        for path in cluster["docs"]:
            siblings = {p: 1 for p in cluster["docs"] if p != path}
            text = request_text((shared / "corpus" / path).read_text(encoding="utf-8", errors="replace"), words)
            if siblings and text:
                out.append(Query(f"same:{path}", text, siblings, f"cluster:{name}", need=len(siblings),
                                 similar_text=text, source=path))
    return out
