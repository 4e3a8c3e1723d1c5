"""Zip safety shared by .zip, .docx, .xlsx and .odt: bomb checks on declared sizes, then streamed, bounded reads."""
from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator

from indexer.formats.model import Caps, ExtractionError

_MB = 1 << 20
# Small members compress at any ratio (a run of spaces, an empty sheet); only big ones can be bombs.
RATIO_MIN_BYTES = _MB
READ_CHUNK = _MB
# What zipfile raises on damaged archives: NotImplementedError for a compression method it lacks (deflate64,
# for one), KeyError for a member named in the directory but missing.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
               NotImplementedError, KeyError)


def open_zip(name: str, data: bytes, reason: str, what: str) -> zipfile.ZipFile:
    """The zip in data; ExtractionError(reason) when it is not a readable zip ("not a {what}")."""
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise ExtractionError(reason, f"{name}: not a {what} (no zip header)")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as exc:
        raise ExtractionError(reason, f"{name}: {what} is damaged or truncated ({type(exc).__name__}: {exc})") from exc


def _inflated_cap_note(caps: Caps) -> str:
    return f"{caps.max_inflated / _MB:,.0f} MB (setting archive_max_inflated_mb)"


def check_bomb(name: str, infos: list[zipfile.ZipInfo], caps: Caps) -> int:
    """Total declared inflated size; ExtractionError archive_bomb past the inflated cap or the ratio cap."""
    total = sum(info.file_size for info in infos)
    if caps.max_inflated and caps.used_inflated + total > caps.max_inflated:
        earlier = f" (with {caps.used_inflated / _MB:,.1f} MB unpacked around it)" if caps.used_inflated else ""
        raise ExtractionError("archive_bomb", f"{name}: its members would inflate to {total / _MB:,.1f} MB{earlier}, "
                              f"over the {_inflated_cap_note(caps)}; not unpacked")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if caps.max_ratio and info.file_size >= RATIO_MIN_BYTES and ratio > caps.max_ratio:
            raise ExtractionError("archive_bomb", f"{name}: member {info.filename} inflates {ratio:,.0f} times "
                                  f"({info.compress_size:,} to {info.file_size:,} bytes), over the ratio limit "
                                  f"{caps.max_ratio:g} (setting archive_max_ratio); a zip bomb, not unpacked")
    return total


def stream_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, reason: str) -> Iterator[bytes]:
    """The member's bytes in bounded chunks: zipfile stops at the declared size and checks the CRC at the end."""
    if info.flag_bits & 0x1:
        raise ExtractionError("encrypted_archive", f"{name}: member {info.filename} is encrypted with a password")
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(READ_CHUNK):
                yield chunk
    except _ZIP_ERRORS as exc:
        raise ExtractionError(reason, f"{name}: member {info.filename} is damaged "
                              f"({type(exc).__name__}: {exc})") from exc


def verify_members(archive: zipfile.ZipFile, name: str, caps: Caps, reason: str) -> None:
    """Check an Office package before a library reads it whole: bomb caps, then each member inflated once.

    A member whose header understates its size fails its CRC here, in bounded chunks, instead of inflating
    without limit inside the library's own zipfile.read().
    """
    infos = archive.infolist()
    check_bomb(name, infos, caps)
    for info in infos:
        for _chunk in stream_member(archive, info, name, reason):
            pass
