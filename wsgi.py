"""WSGI entry point: `make serve`, or `gunicorn -c python:service.gunicorn_hooks wsgi:app`, which is the same server.

However gunicorn imports this module, every worker is warm before it takes traffic: the index, the model and what
the first search, related lookup, search by document and page render build lazily are loaded here by a warm-up
(service/warmup.py) - once in the master when preloaded, else in each worker before it accepts a connection.
The single-thread settings of service.serve are applied here too, before numpy and torch are imported.

A bare `gunicorn wsgi:app` serves correctly but is not as good a way in, because gunicorn takes its own settings
only from its command line, GUNICORN_CMD_ARGS or a gunicorn.conf.py in the working directory, never from the
application. Without `-c python:service.gunicorn_hooks` it runs gunicorn's defaults: one worker; no --preload, so
each worker loads its own copy of the model and index instead of sharing the master's pages; a 4,094-byte request
line, so a URL with a long query (400 words) gets a 414, in gunicorn's HTML rather than the API's JSON error shape;
a 30 s timeout, no worker recycling, no access log, no gc.freeze() before forking. A warning in the log says so.
`GUNICORN_CMD_ARGS="-c python:service.gunicorn_hooks" gunicorn wsgi:app` is also the full server.
"""
from __future__ import annotations

import logging
import os
import sys

from service.serve import serving_env

os.environ.update(serving_env(os.environ))

from service import create_app  # noqa: E402 - numpy and torch read the thread settings above when imported
from service.warmup import warm_up  # noqa: E402

GUNICORN_CONFIG = "service.gunicorn_hooks"
LOG_FORMAT = "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s"


def _log_to_stderr() -> None:
    # The app's own lines (warm-up, generation switches, drained bodies) beside gunicorn's, in its format.
    if not logging.getLogger().handlers:
        logging.basicConfig(format=LOG_FORMAT, datefmt="%Y-%m-%d %H:%M:%S %z")
    for name in ("service", "indexer"):
        logging.getLogger(name).setLevel(logging.INFO)


def _warn_without_config() -> None:
    if "gunicorn" in sys.modules and GUNICORN_CONFIG not in sys.modules:
        logging.getLogger("service").warning(
            "gunicorn was started without `-c python:%s`: gunicorn's defaults apply (one worker, no preload, "
            "4,094-byte request line); see wsgi.py", GUNICORN_CONFIG)


_log_to_stderr()
_warn_without_config()
app = create_app()
warm_up(app)
