"""Start gunicorn from the configuration: `python -m service.serve` (host, port and workers from config)."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping

from config import PROJECT_ROOT, ConfigError, Settings, load_config

# One compute thread per worker: workers already use every core, and oversubscribed BLAS/torch
# threads make each query slower, not faster.
THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
# Server hooks (gc.freeze before forking, fast worker exit); a module, because gunicorn takes hooks only from config.
HOOKS = "service.gunicorn_hooks"


def gunicorn_argv(config: Settings) -> list[str]:
    """The gunicorn command line for config."""
    return [
        sys.executable, "-m", "gunicorn",
        "--bind", f"{config.host}:{config.port}",
        "--workers", str(config.workers),
        "--threads", "1",
        # gunicorn's default control socket path is shared by every server on the machine.
        "--no-control-socket",
        "--preload",
        "--config", f"python:{HOOKS}",
        "--timeout", str(config.worker_timeout),
        "--graceful-timeout", str(config.graceful_timeout),
        "--max-requests", str(config.max_requests),
        "--max-requests-jitter", str(config.max_requests_jitter),
        "--keep-alive", str(config.keepalive),
        "--limit-request-line", str(config.limit_request_line),
        "--limit-request-field_size", str(config.limit_request_field_size),
        "--chdir", str(PROJECT_ROOT),
        "--access-logfile", "-",
        "wsgi:app",
    ]


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
