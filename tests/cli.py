"""Run `python -m indexer build` as a separate process over a test's corpus, index and cache."""
from __future__ import annotations

import os
import subprocess
import sys

from config import PROJECT_ROOT, Settings

BUILD_TIMEOUT = 300


def build_command(config: Settings, *extra: str) -> list[str]:
    """The CLI build of config's corpus into its index with its embedding cache, without progress bars."""
    return [sys.executable, "-m", "indexer", "build", "--no-progress", "--corpus", str(config.corpus_dir),
            "--index", str(config.index_dir), "--cache", str(config.cache_dir), *extra]


def offline_env() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def run_build(config: Settings, *extra: str, timeout: float = BUILD_TIMEOUT) -> subprocess.CompletedProcess:
    """A CLI build run to its end; its output captured as text."""
    return subprocess.run(build_command(config, *extra), cwd=PROJECT_ROOT, env=offline_env(), capture_output=True,
                          text=True, timeout=timeout)


def start_build(config: Settings, *extra: str) -> subprocess.Popen:
    """A CLI build left running (to be killed at some moment); stderr piped for its log lines."""
    return subprocess.Popen(build_command(config, *extra), cwd=PROJECT_ROOT, env=offline_env(), text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
