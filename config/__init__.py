"""One configuration for indexer and service: defaults, FOI_ environment overrides, explicit mappings."""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from config.settings import SETTINGS, Setting

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "FOI_"


class ConfigError(ValueError):
    """A setting has a value of the wrong type or an unknown name."""


def _coerce(setting: Setting, raw: Any) -> Any:
    if setting.type is bool and isinstance(raw, str):
        lowered = raw.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{ENV_PREFIX}{setting.name.upper()}: expected a boolean, got {raw!r}")
    try:
        return setting.type(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"{setting.name}: expected {setting.type.__name__}, got {raw!r}"
        ) from exc


def _resolve_paths(values: dict[str, Any]) -> None:
    # Relative paths are taken from the project root so that the CLI, gunicorn
    # and tests agree whatever the working directory is.
    for name in ("corpus_dir", "index_dir", "cache_dir"):
        path = Path(values[name]).expanduser()
        values[name] = path if path.is_absolute() else PROJECT_ROOT / path


def load_config(overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Defaults, then FOI_* environment variables, then explicit overrides (highest)."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    for name, setting in SETTINGS.items():
        raw = env.get(ENV_PREFIX + name.upper())
        values[name] = setting.default if raw is None else _coerce(setting, raw)
    for name, raw in (overrides or {}).items():
        if name not in SETTINGS:
            raise ConfigError(f"unknown setting {name!r}")
        values[name] = _coerce(SETTINGS[name], raw)
    _resolve_paths(values)
    return values


def describe() -> list[tuple[str, Any, str]]:
    """(name, default, help) for every setting, for the README and `--help` output."""
    return [(s.name, s.default, s.help) for s in SETTINGS.values()]
