"""WSGI entry point for gunicorn: `gunicorn wsgi:app` (python -m service.serve adds the right options)."""
from __future__ import annotations

from service import create_app

app = create_app()

# Under gunicorn --preload this runs once in the master, so forked workers share the index and model pages.
app.extensions["foi"].warm()
