"""OCR of PDF pages without a text layer: Tesseract driven as a subprocess, page renders, and a result cache."""
