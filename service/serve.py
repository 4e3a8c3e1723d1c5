"""Start gunicorn from the configuration: `python -m service.serve` (host, port and workers from config)."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from typing import Any

from config import ConfigError, Settings, load_config

# One compute thread per worker: workers already use every core, and oversubscribed BLAS/torch
# threads make each query slower, not faster.
THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
# gunicorn settings and server hooks (gc.freeze before forking, fast worker exit, JSON protocol errors); a module,
# because gunicorn takes hooks only from a config, and `gunicorn -c python:service.gunicorn_hooks wsgi:app` uses it.
HOOKS = "service.gunicorn_hooks"


def _options(name: str, value: Any) -> list[str]:
    """gunicorn's command-line form of one of its settings: `--flag value`, or the bare flag of a true switch."""
    from gunicorn.config import KNOWN_SETTINGS

    setting = next(s for s in KNOWN_SETTINGS if s.name == name)
    flag = setting.cli[-1]
    if getattr(setting, "action", None) == "store_true":
        return [flag] if value else []
    values = value if isinstance(value, list) else [value]
    return [part for item in values for part in (flag, str(item))]


def gunicorn_argv(config: Settings) -> list[str]:
    """The gunicorn command line for config: the hooks module, then every setting spelled out, then the app."""
    from service.gunicorn_hooks import gunicorn_settings

    argv = [sys.executable, "-m", "gunicorn", "--config", f"python:{HOOKS}"]
    for name, value in gunicorn_settings(config).items():
        argv += _options(name, value)
    return argv + ["wsgi:app"]


def serving_env(environ: Mapping[str, str]) -> dict[str, str]:
    """environ plus the single-thread and offline settings every worker needs."""
    env = dict(environ)
    for name in THREAD_VARS:
        env[name] = "1"
    env.setdefault("FOI_TORCH_THREADS", "1")
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    return env


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", help="bind address (default: setting host)")
    parser.add_argument("--port", type=int, help="port (default: setting port)")
    parser.add_argument("--workers", type=int, help="worker processes (default: setting workers)")
    args = parser.parse_args(argv)
    overrides = {k: v for k, v in vars(args).items() if v is not None}
    try:
        config = load_config(overrides)
    except ConfigError as exc:
        # Refused before gunicorn starts: a bad setting must not surface later as a 500.
        sys.exit(f"configuration error: {exc}")
    command = gunicorn_argv(config)
    env = serving_env(os.environ)
    # The wsgi module reads its config from the environment, so command-line overrides travel that way.
    for name, value in overrides.items():
        env[f"FOI_{name.upper()}"] = str(value)
    print(f"serving on http://{config.host}:{config.port}/ with {config.workers} workers", flush=True)
    os.execvpe(command[0], command, env)


if __name__ == "__main__":
    main()
