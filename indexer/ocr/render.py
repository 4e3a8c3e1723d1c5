"""PDF pages rendered to greyscale PGM images for OCR (pypdfium2), with a pixel ceiling per page."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

# About a 300 dpi A3 page: an oversized page is rendered at a lower resolution rather than exhausting memory.
MAX_PIXELS = 40_000_000


def render_pgm(document: Any, number: int, dpi: int) -> tuple[bytes, int]:
    """Page number (1-based) of an open pypdfium2 document as greyscale PGM bytes, and the dpi used."""
    page = document[number - 1]
    try:
        width, height = page.get_size()
        scale = dpi / 72
        if width * height * scale * scale > MAX_PIXELS:
            scale = math.sqrt(MAX_PIXELS / (width * height))
        pixels = page.render(scale=scale, grayscale=True).to_numpy()
    finally:
        page.close()
    rows, cols = pixels.shape[:2]
    return b"P5\n%d %d\n255\n" % (cols, rows) + pixels.reshape(rows, cols).tobytes(), max(round(scale * 72), 1)


def render_pgm_file(path: Path, number: int, dpi: int) -> tuple[bytes, int]:
    """render_pgm of page number of the PDF file at path."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return render_pgm(document, number, dpi)
    finally:
        document.close()
