"""A running build's progress: tqdm bars with rate and time left, and index_dir/progress.json for `status`."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from indexer import generations as gens

PROGRESS_FILE = "progress.json"
WRITE_EVERY_S = 0.5  # progress.json is rewritten at most this often (and at every stage change)


class Stage:
    """One stage (extracting, embedding, keyword writing): a count towards a total, its rate and time left."""

    def __init__(self, owner: BuildProgress, name: str, total: int, unit: str) -> None:
        self.owner, self.name, self.total, self.unit = owner, name, total, unit
        self.done = 0
        self.started = time.monotonic()
        self.bar = _bar(name, total, unit) if owner.bars else None

    def update(self, count: int = 1) -> None:
        self.done += count
        if self.bar is not None:
            self.bar.update(count)
        self.owner.write()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

    def snapshot(self) -> dict[str, Any]:
        elapsed = time.monotonic() - self.started
        rate = self.done / elapsed if elapsed > 0 and self.done else None
        left = (self.total - self.done) / rate if rate and self.total >= self.done else None
        return {"stage": self.name, "done": self.done, "total": self.total, "unit": self.unit,
                "elapsed_s": round(elapsed, 1), "rate_per_s": round(rate, 2) if rate else None,
                "eta_s": round(left, 1) if left is not None else None}


def _bar(name: str, total: int, unit: str) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=name, unit=unit)


class BuildProgress:
    """Tracks the current stage; writes progress.json beside the build lock while the build runs."""

    def __init__(self, index_dir: Path, bars: bool) -> None:
        self.path = Path(index_dir) / PROGRESS_FILE
        self.bars = bars
        self.started_at = gens.utc_now()
        self.stage_name = "scanning the corpus"
        self.current: Stage | None = None
        self._written = 0.0

    def stage(self, name: str, total: int, unit: str) -> Stage:
        """Start a counted stage (closing the previous one)."""
        self.step(name)
        self.current = Stage(self, name, total, unit)
        self.write(force=True)
        return self.current

    def step(self, name: str) -> None:
        """Enter a stage that is not counted (scanning, publishing)."""
        if self.current is not None:
            self.current.close()
            self.current = None
        self.stage_name = name
        self.write(force=True)

    def write(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._written < WRITE_EVERY_S:
            return
        self._written = now
        state = {"pid": os.getpid(), "started_at": self.started_at, "updated_at": gens.utc_now(),
                 "stage": self.stage_name}
        if self.current is not None:
            state.update(self.current.snapshot())
        try:
            gens.write_atomic(self.path, json.dumps(state) + "\n")
        except OSError:
            pass  # progress is a courtesy: a full disk must fail the build where it writes the index, not here

    def close(self) -> None:
        if self.current is not None:
            self.current.close()
        self.path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_progress(index_dir: Path) -> dict[str, Any] | None:
    """The running build's progress, or None when no build runs (a killed build's file is ignored)."""
    try:
        state = json.loads((Path(index_dir) / PROGRESS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or not isinstance(state.get("pid"), int) or not _alive(state["pid"]):
        return None
    return state
