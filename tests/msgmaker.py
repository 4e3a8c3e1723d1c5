"""Real Outlook .msg files for tests: MAPI property streams in an OLE compound file written by extract-msg's OleWriter.

extract-msg reads .msg files but cannot compose a message; its OleWriter writes the OLE container itself
(FAT, mini stream, directory tree), so the file here has the layout Outlook writes ([MS-OXMSG]): a root
property stream, __substg1.0_ streams for strings and binaries, one storage per recipient and attachment.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

from extract_msg.ole_writer import OleWriter

PT_LONG, PT_UNICODE, PT_BINARY, PT_SYSTIME = 0x0003, 0x001F, 0x0102, 0x0040
READ_WRITE = 0x6
FILETIME_EPOCH_OFFSET = 116444736000000000  # 100 ns intervals from 1601-01-01 to 1970-01-01


@dataclass
class Attachment:
    name: str
    data: bytes
    mime: str = "application/octet-stream"


@dataclass
class Message:
    subject: str
    body: str
    sender: str = "FOI Team <foi@council.example.gov.uk>"
    to: str = "Jane Doe <jane.doe@example.org>"
    date_unix: int = 1_700_000_000
    attachments: list[Attachment] = field(default_factory=list)


def _prop(tag_id: int, kind: int, value: bytes) -> bytes:
    return struct.pack("<II", (tag_id << 16) | kind, READ_WRITE) + value.ljust(8, b"\0")


def _string(writer: OleWriter, storage: str, tag_id: int, text: str) -> bytes:
    data = text.encode("utf-16-le")
    writer.addEntry(f"{storage}__substg1.0_{tag_id:04X}{PT_UNICODE:04X}", data)
    return _prop(tag_id, PT_UNICODE, struct.pack("<II", len(data) + 2, 0))


def _binary(writer: OleWriter, storage: str, tag_id: int, data: bytes) -> bytes:
    writer.addEntry(f"{storage}__substg1.0_{tag_id:04X}{PT_BINARY:04X}", data)
    return _prop(tag_id, PT_BINARY, struct.pack("<II", len(data), 0))


def _recipient(writer: OleWriter, to: str) -> None:
    storage = "__recip_version1.0_#00000000/"
    writer.addEntry(storage[:-1], storage=True)
    name, _, address = to.partition(" <")
    props = [_prop(0x0C15, PT_LONG, struct.pack("<I", 1)),  # PR_RECIPIENT_TYPE: To
             _string(writer, storage, 0x3001, name), _string(writer, storage, 0x3003, address.rstrip(">")),
             _string(writer, storage, 0x39FE, address.rstrip(">")), _string(writer, storage, 0x3002, "SMTP")]
    writer.addEntry(storage + "__properties_version1.0", b"\0" * 8 + b"".join(props))


def _attachment(writer: OleWriter, number: int, attachment: Attachment) -> None:
    storage = f"__attach_version1.0_#{number:08X}/"
    writer.addEntry(storage[:-1], storage=True)
    props = [_prop(0x3705, PT_LONG, struct.pack("<I", 1)),  # PR_ATTACH_METHOD: by value
             _prop(0x0E21, PT_LONG, struct.pack("<I", number)),
             _string(writer, storage, 0x3707, attachment.name), _string(writer, storage, 0x3704, attachment.name[:12]),
             _string(writer, storage, 0x370E, attachment.mime), _binary(writer, storage, 0x3701, attachment.data)]
    writer.addEntry(storage + "__properties_version1.0", b"\0" * 8 + b"".join(props))


def _headers(message: Message) -> str:
    from email.utils import formatdate

    return (f"From: {message.sender}\r\nTo: {message.to}\r\nSubject: {message.subject}\r\n"
            f"Date: {formatdate(message.date_unix)}\r\nMIME-Version: 1.0\r\n\r\n")


def write_msg(path: Path, message: Message) -> Path:
    """An Outlook message (IPM.Note) with sender, one recipient, subject, plain body and attachments."""
    writer = OleWriter()
    filetime = message.date_unix * 10_000_000 + FILETIME_EPOCH_OFFSET
    sender_name, _, sender_address = message.sender.partition(" <")
    props = [_string(writer, "", 0x001A, "IPM.Note"), _string(writer, "", 0x0037, message.subject),
             _string(writer, "", 0x1000, message.body), _string(writer, "", 0x0C1A, sender_name),
             _string(writer, "", 0x0C1F, sender_address.rstrip(">")), _string(writer, "", 0x0E04, message.to),
             _string(writer, "", 0x007D, _headers(message)),
             _prop(0x0039, PT_SYSTIME, struct.pack("<Q", filetime)), _prop(0x0E06, PT_SYSTIME, struct.pack("<Q", filetime))]
    for name in ("__substg1.0_00020102", "__substg1.0_00030102", "__substg1.0_00040102"):
        writer.addEntry(f"__nameid_version1.0/{name}", b"")
    _recipient(writer, message.to)
    for number, attachment in enumerate(message.attachments):
        _attachment(writer, number, attachment)
    count = len(message.attachments)
    header = struct.pack("<8xIIII8x", 1, count, 1, count)
    writer.addEntry("__properties_version1.0", header + b"".join(props))
    writer.write(str(path))
    return path
