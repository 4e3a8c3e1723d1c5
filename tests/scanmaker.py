"""Write image-only PDFs, like a scanner's, from text pages: rendered by pypdfium2, stored as grey Flate images."""
from __future__ import annotations

from pathlib import Path

import pypdfium2
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject

from tests.pdfmaker import write_pdf

PAGE_WIDTH, PAGE_HEIGHT = 595, 842


def _image(writer: PdfWriter, pixels) -> object:
    rows, cols = pixels.shape[:2]
    raw = DecodedStreamObject()
    raw.set_data(pixels.reshape(rows, cols).tobytes())
    image = raw.flate_encode()
    image.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Image"),
        NameObject("/Width"): NumberObject(cols),
        NameObject("/Height"): NumberObject(rows),
        NameObject("/ColorSpace"): NameObject("/DeviceGray"),
        NameObject("/BitsPerComponent"): NumberObject(8),
    })
    return writer._add_object(image)


def write_scan(path: Path, pages: list[list[str]], dpi: int = 150) -> Path:
    """A PDF whose pages are only grey images of the given lines of text (no text layer at all)."""
    source = write_pdf(path.with_name(path.stem + ".text-source.pdf"), pages)
    document = pypdfium2.PdfDocument(str(source))
    writer = PdfWriter()
    try:
        for index in range(len(document)):
            pixels = document[index].render(scale=dpi / 72, grayscale=True).to_numpy()
            page = writer.add_blank_page(width=PAGE_WIDTH, height=PAGE_HEIGHT)
            content = DecodedStreamObject()
            content.set_data(f"q {PAGE_WIDTH} 0 0 {PAGE_HEIGHT} 0 0 cm /Im0 Do Q".encode())
            page[NameObject("/Contents")] = writer._add_object(content)
            page[NameObject("/Resources")] = DictionaryObject(
                {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): _image(writer, pixels)})}
            )
            page[NameObject("/MediaBox")] = ArrayObject(
                [NumberObject(0), NumberObject(0), NumberObject(PAGE_WIDTH), NumberObject(PAGE_HEIGHT)]
            )
    finally:
        document.close()
        source.unlink()
    with open(path, "wb") as handle:
        writer.write(handle)
    return path
