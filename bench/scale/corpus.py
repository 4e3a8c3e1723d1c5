"""The scale corpora: the 2,524 tribunal texts unpacked under var/, and seeded nested subsets of them."""
from __future__ import annotations

import os
import random
import shutil
import tarfile
from pathlib import Path

from bench.paths import SHARED_DIR
from config import PROJECT_ROOT

ARCHIVE = SHARED_DIR / "scale" / "tribunal-2524-text.tar.gz"
WORK_DIR = PROJECT_ROOT / "var" / "scale"
SEED = 20260330
# The texts keep the real corpus's folder name, so ids ("tribunal-656") and doc-type detection match it.
FOLDER = "tribunal"


def unpack(archive: Path, into: Path) -> list[Path]:
    """The .txt files of archive, extracted once into `into` (a finished unpack is marked and reused)."""
    done = into / ".unpacked"
    if not done.is_file():
        into.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive) as tar:
            # Only regular .txt members, by their base name: nothing in the archive can write outside `into`.
            for member in tar:
                if member.isfile() and member.name.endswith(".txt"):
                    source = tar.extractfile(member)
                    (into / Path(member.name).name).write_bytes(source.read() if source else b"")
        done.write_text(archive.name + "\n", encoding="utf-8")
    return sorted(into.glob("*.txt"), key=_id_order)


def _id_order(path: Path) -> tuple[int, str]:
    return (int(path.stem), path.stem) if path.stem.isdigit() else (10**9, path.stem)


def nested_subsets(texts: list[Path], sizes: list[int], seed: int = SEED) -> dict[int, list[Path]]:
    """{size: texts}: one seeded shuffle, each size its first `size` texts, so every subset holds the smaller ones."""
    if max(sizes) > len(texts):
        raise ValueError(f"asked for {max(sizes)} documents but the archive holds {len(texts)}")
    order = list(texts)
    random.Random(seed).shuffle(order)
    return {size: sorted(order[:size], key=_id_order) for size in sorted(sizes)}


def materialise(texts: list[Path], corpus_dir: Path) -> Path:
    """corpus_dir/tribunal/ holding exactly these texts, as hard links (copies across file systems)."""
    folder = corpus_dir / FOLDER
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for text in texts:
        target = folder / text.name
        try:
            os.link(text, target)
        except OSError:
            shutil.copy2(text, target)
    return corpus_dir
