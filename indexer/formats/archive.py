"""Zip archives of correspondence: members unpacked (within the archive caps) to be indexed as documents."""
from __future__ import annotations

from indexer.formats.members import MemberWriter
from indexer.formats.model import Caps, Extracted, ExtractionError, Page, RawFile
from indexer.formats.zipcheck import check_bomb, open_zip, stream_member

# File names listed in the archive's own document; a million-entry zip must not become a million lines.
MAX_LISTED = 1000


def too_deep(caps: Caps) -> bool:
    """True when a container at this depth may not unpack its members (setting archive_max_depth)."""
    return bool(caps.max_depth) and caps.depth >= caps.max_depth


def extract_zip(raw: RawFile) -> Extracted:
    """The archive as a document listing its files; its supported members come back as Members."""
    archive = open_zip(raw.name, raw.data, "corrupt_archive", "zip archive")
    if too_deep(raw.caps):
        raise ExtractionError("archive_too_deep", f"{raw.name}: a zip nested {raw.caps.depth} levels deep; archives "
                              f"inside archives are unpacked {raw.caps.max_depth} levels deep at most "
                              f"(setting archive_max_depth)")
    infos = [info for info in archive.infolist() if not info.is_dir()]
    check_bomb(raw.name, infos, raw.caps)
    writer = MemberWriter(raw, "member")
    for number, info in enumerate(infos, start=1):
        name = writer.admit(info.filename, number)
        if name is not None and not writer.refuse(name, info.file_size):
            writer.add(name, stream_member(archive, info, f"{raw.name}/{name}", "corrupt_archive"))
    listing = [f"Zip archive {raw.name}: {len(infos)} file(s)", *(info.filename for info in infos[:MAX_LISTED])]
    if len(infos) > MAX_LISTED:
        listing.append(f"... and {len(infos) - MAX_LISTED:,} more")
    return Extracted(format="zip", pages=[Page(1, "\n".join(listing))], warnings=writer.notes(),
                     members=writer.members)
