"""The settings registry: typed and frozen, allowed values checked at start-up, unknown variables reported, documented."""
from __future__ import annotations

import dataclasses
import logging
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from config import PROJECT_ROOT, ConfigError, Settings, describe, load_config, override
from config.__main__ import markdown


def test_settings_are_typed_and_frozen():
    config = load_config({"workers": "3", "progress": "off", "index_dir": "var/elsewhere"}, env={})
    assert config.workers == 3 and config.progress is False
    assert config.index_dir == PROJECT_ROOT / "var" / "elsewhere"
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.workers = 4  # type: ignore[misc]
    assert load_config(config) is config


def test_environment_overrides_defaults_and_explicit_overrides_win():
    config = load_config({"port": 6000}, env={"FOI_PORT": "7000", "FOI_WORKERS": "5"})
    assert (config.port, config.workers) == (6000, 5)
    assert override(config, workers=1).workers == 1 and config.workers == 5


@pytest.mark.parametrize("env, message", [
    ({"FOI_FUSION": "rff"}, "FOI_FUSION: 'rff' is not one of weighted, rrf"),
    ({"FOI_VECTOR_DTYPE": "int8"}, "FOI_VECTOR_DTYPE: 'int8' is not one of float32, float16"),
    ({"FOI_WORKERS": "two"}, "FOI_WORKERS: expected int"),
    ({"FOI_PROGRESS": "maybe"}, "FOI_PROGRESS: expected a boolean"),
])
def test_bad_values_are_refused_with_the_variable_named(env, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(env=env)


def test_unknown_override_is_refused_with_a_suggestion():
    with pytest.raises(ConfigError, match="unknown setting 'worker'; did you mean 'workers'"):
        load_config({"worker": 2}, env={})


def test_unknown_environment_variable_is_reported(caplog):
    with caplog.at_level(logging.WARNING, logger="config"):
        load_config(env={"FOI_WORKER": "2", "FOI_PORT": "5001"})
    assert [r.getMessage() for r in caplog.records] == [
        "ignoring environment variable FOI_WORKER: no setting of that name; did you mean FOI_WORKERS?"]


def test_every_setting_has_help_and_a_default_of_its_type():
    hints = typing.get_type_hints(Settings)
    for name, default, help_text, choices in describe():
        assert len(help_text) > 20, f"setting {name} needs a help text"
        assert isinstance(default, hints[name]) or (hints[name] is float and isinstance(default, int)), name
        assert not choices or default in choices, name


def test_docs_settings_page_is_current():
    documented = (PROJECT_ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert documented == markdown(), "docs/settings.md is stale: regenerate it with `python -m config > docs/settings.md`"


def test_no_call_site_keeps_a_second_default():
    # Settings are attributes of one object; a mapping lookup with its own fallback would hide the registry's value.
    pattern = re.compile(r"\b(?:config|cfg|settings)\.get\(")
    offenders = [f"{path.relative_to(PROJECT_ROOT)}:{number}" for folder in ("service", "indexer", "bench")
                 for path in (PROJECT_ROOT / folder).rglob("*.py")
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if pattern.search(line)]
    assert offenders == []


@pytest.mark.process
def test_serve_refuses_a_bad_setting_before_starting(tmp_path: Path):
    done = subprocess.run([sys.executable, "-m", "service.serve"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          env={"FOI_FUSION": "rff", "PATH": "/usr/bin:/bin"}, timeout=60)
    assert done.returncode == 1
    assert "configuration error: FOI_FUSION: 'rff' is not one of weighted, rrf" in done.stderr
