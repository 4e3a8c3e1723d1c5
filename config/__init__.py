"""One configuration for indexer and service: registry defaults, FOI_ environment overrides, explicit overrides."""
from __future__ import annotations

import dataclasses
import difflib
import logging
import os
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from config.settings import Settings

__all__ = ["ENV_PREFIX", "PROJECT_ROOT", "ConfigError", "Settings", "describe", "load_config", "override"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "FOI_"
log = logging.getLogger("config")

_FIELDS = {f.name: f for f in dataclasses.fields(Settings)}
_TYPES: dict[str, type] = {name: hint for name, hint in typing.get_type_hints(Settings).items() if name in _FIELDS}
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


class ConfigError(ValueError):
    """A setting has an unknown name, a value of the wrong type, or a value outside its allowed choices."""


def _coerce(name: str, raw: Any, source: str) -> Any:
    kind = _TYPES[name]
    if kind is bool and isinstance(raw, str):
        lowered = raw.strip().lower()
        if lowered not in _TRUE + _FALSE:
            raise ConfigError(f"{source}: expected a boolean (true/false), got {raw!r}")
        return lowered in _TRUE
    try:
        value = kind(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{source}: expected {kind.__name__}, got {raw!r}") from exc
    choices = _FIELDS[name].metadata["choices"]
    if choices and value not in choices:
        raise ConfigError(f"{source}: {raw!r} is not one of {', '.join(map(str, choices))}")
    if kind is Path:
        # Relative paths are taken from the project root so that the CLI, gunicorn and tests agree whatever the
        # working directory is.
        value = value.expanduser()
        value = value if value.is_absolute() else PROJECT_ROOT / value
    return value


def _unknown_variables(env: Mapping[str, str]) -> list[str]:
    known = {ENV_PREFIX + name.upper() for name in _FIELDS}
    return sorted(key for key in env if key.startswith(ENV_PREFIX) and key not in known)


def _report_unknown(env: Mapping[str, str]) -> None:
    # A typo such as FOI_WORKER would otherwise be ignored without a word.
    known = [ENV_PREFIX + name.upper() for name in _FIELDS]
    for key in _unknown_variables(env):
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        log.warning("ignoring environment variable %s: no setting of that name%s", key, hint)


def load_config(overrides: Settings | Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Defaults, then FOI_* environment variables, then explicit overrides (highest); a Settings is returned as is.

    Raises ConfigError for an unknown override, a value of the wrong type or one outside a setting's choices.
    """
    if isinstance(overrides, Settings):
        return overrides
    env = os.environ if env is None else env
    _report_unknown(env)
    values: dict[str, Any] = {}
    for name, spec in _FIELDS.items():
        variable = ENV_PREFIX + name.upper()
        raw = env.get(variable)
        values[name] = _coerce(name, spec.default if raw is None else raw, variable)
    for name, raw in (overrides or {}).items():
        if name not in _FIELDS:
            close = difflib.get_close_matches(name, list(_FIELDS), n=1)
            raise ConfigError(f"unknown setting {name!r}" + (f"; did you mean {close[0]!r}?" if close else ""))
        values[name] = _coerce(name, raw, name)
    return Settings(**values)


def describe() -> list[tuple[str, Any, str, tuple | None]]:
    """(name, default, help, choices) for every setting, in registry order, for documentation."""
    return [(f.name, f.default, f.metadata["help"], f.metadata["choices"]) for f in _FIELDS.values()]


def override(config: Settings, **changes: Any) -> Settings:
    """A copy of config with some settings changed, each checked and coerced as load_config does."""
    values = {name: getattr(config, name) for name in _FIELDS}
    return load_config({**values, **changes}, env={})
