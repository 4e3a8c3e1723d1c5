"""Emails (.eml with the standard library, Outlook .msg with extract-msg): headers and body, attachments as members."""
from __future__ import annotations

import email
import logging
from email import policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from typing import Any

from indexer.formats.archive import too_deep
from indexer.formats.members import MemberWriter
from indexer.formats.model import Extracted, ExtractionError, RawFile
from indexer.formats.office import OLE_MAGIC
from indexer.formats.text import decode, text_result
from indexer.html_text import html_to_text

HEADERS = ("from", "to", "cc", "date", "subject")


def _iso_date(value: str) -> str:
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        return value


def _email_result(raw: RawFile, fmt: str, headers: dict[str, str], body: str,
                  attachments: list[tuple[str, bytes]]) -> Extracted:
    """The message as one page (headers, then body); attachments become members unless nested too deep."""
    lines = [f"{key.capitalize()}: {value}" for key, value in headers.items() if value]
    result = text_result(raw.name, fmt, "\n".join(lines) + "\n\n" + body, [], headers.get("subject") or None,
                         raw.caps)
    writer = MemberWriter(raw, "attachment")
    if attachments and too_deep(raw.caps):
        result.warnings.append(f"{len(attachments)} attachment(s) not unpacked: the email is nested "
                               f"{raw.caps.depth} levels deep (setting archive_max_depth)")
        attachments = []
    for number, (name, data) in enumerate(attachments, start=1):
        admitted = writer.admit(name, number)
        if admitted is not None and not writer.refuse(admitted, len(data)):
            writer.add(admitted, [data])
    result.warnings.extend(writer.notes())
    result.members = writer.members
    result.fields = {"email": {key: value for key, value in headers.items() if value}}
    return result


def _part_text(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):  # unknown charset or a broken transfer encoding
        content = (part.get_payload(decode=True) or b"").decode("latin-1")
    return html_to_text(content)[0] if part.get_content_subtype() == "html" else content


def _attachment(part: EmailMessage, number: int) -> tuple[str, bytes]:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        data = (inner[0] if isinstance(inner, list) else inner).as_bytes(policy=policy.default)
        return part.get_filename() or f"forwarded-message-{number}.eml", data
    return part.get_filename() or f"attachment-{number}", part.get_payload(decode=True) or b""


def extract_eml(raw: RawFile) -> Extracted:
    try:
        decode(raw.name, raw.data)
    except ExtractionError as exc:
        why = exc.message.removeprefix(f"{raw.name}: ")
        raise ExtractionError("corrupt_email", f"{raw.name}: not an email: {why}") from exc
    try:
        message: Any = email.message_from_bytes(raw.data, policy=policy.default)
        headers = {key: str(message[key] or "").strip() for key in HEADERS}
        body = message.get_body(preferencelist=("plain", "html"))
        text = _part_text(body) if body is not None else ""
        attachments = [_attachment(part, number) for number, part in enumerate(message.iter_attachments(), 1)]
    except (ValueError, TypeError, LookupError, IndexError, AttributeError) as exc:
        raise ExtractionError("corrupt_email", f"{raw.name}: email cannot be parsed "
                              f"({type(exc).__name__}: {exc})") from exc
    if not any(headers.values()):
        raise ExtractionError("corrupt_email", f"{raw.name}: not an email (no From, To, Date or Subject header)")
    headers["date"] = _iso_date(headers["date"]) if headers["date"] else ""
    return _email_result(raw, "eml", headers, text, attachments)


def _msg_attachments(message: Any) -> list[tuple[str, bytes]]:
    from extract_msg.enums import AttachmentType

    found = []
    for number, attachment in enumerate(message.attachments, start=1):
        name = attachment.longFilename or attachment.shortFilename or f"attachment-{number}"
        if attachment.type == AttachmentType.DATA and attachment.data is not None:
            found.append((name, attachment.data))
        elif attachment.type == AttachmentType.MSG:
            found.append((name if name.lower().endswith(".msg") else f"{name}.msg", attachment.data.exportBytes()))
    return found


def _msg_body(message: Any) -> str:
    if message.body:
        return message.body
    html = message.htmlBody
    return html_to_text(html.decode("utf-8", errors="replace"))[0] if html else ""


def extract_msg(raw: RawFile) -> Extracted:
    import extract_msg

    if not raw.data.startswith(OLE_MAGIC):
        raise ExtractionError("corrupt_email", f"{raw.name}: not an Outlook message (no OLE compound file header)")
    logging.getLogger("extract_msg").setLevel(logging.ERROR)  # it logs every odd property it meets
    try:
        message = extract_msg.openMsg(raw.data, strict=False)
        try:
            date = message.date
            headers = {"from": message.sender, "to": message.to, "cc": message.cc,
                       "date": date.isoformat() if date else "", "subject": message.subject}
            headers = {key: " ".join(str(value or "").split()) for key, value in headers.items()}
            body, attachments = _msg_body(message), _msg_attachments(message)
        finally:
            message.close()
    except Exception as exc:  # olefile and extract-msg raise many types on damaged files
        raise ExtractionError("corrupt_email", f"{raw.name}: Outlook message is damaged "
                              f"({type(exc).__name__}: {exc})") from exc
    return _email_result(raw, "msg", headers, body, attachments)
