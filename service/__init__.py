"""The Flask application: JSON API under /api, a small HTML search page at /."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from config import Settings, load_config


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """An app over the index named by config: Settings, or overrides merged over defaults and FOI_* variables."""
    from service import lingering, pages, ratelimit
    from service.api import documents as documents_api
    from service.api import requests as requests_api
    from service.api import search as search_api
    from service.api.common import check_raw_input, generation_header
    from service.current_index import CurrentIndex
    from service.errors import register_error_handlers
    from service.security import register_security_headers

    settings = load_config(config)
    app = Flask(__name__)
    # Werkzeug refuses larger bodies with 413 before a handler reads them.
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False
    app.extensions["foi"] = CurrentIndex(settings)
    app.register_blueprint(search_api.bp)
    app.register_blueprint(documents_api.bp)
    app.register_blueprint(requests_api.bp)
    app.register_blueprint(pages.bp)
    register_error_handlers(app)
    # NUL and invalid UTF-8 in the URL are refused on every route, API and pages alike.
    app.before_request(check_raw_input)
    app.after_request(generation_header)
    register_security_headers(app)
    ratelimit.install(app, settings)
    lingering.install(app, settings)
    return app
