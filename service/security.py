"""Security headers on every response: a strict Content-Security-Policy, nosniff and a referrer policy."""
from __future__ import annotations

from flask import Flask, Response

# Pages are server-rendered with one same-origin stylesheet and no script at all, so nothing else is allowed.
# form-action 'self' keeps a tampered page from posting a pasted letter elsewhere; frame-ancestors stops framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Search URLs carry the query (sometimes a pasted letter): never send them to other sites.
    "Referrer-Policy": "same-origin",
}


def _add_headers(response: Response) -> Response:
    # setdefault: an endpoint with a stricter policy of its own (the original-file download's sandbox) keeps it.
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def register_security_headers(app: Flask) -> None:
    """Add the headers to every response the app sends, error pages included."""
    app.after_request(_add_headers)
