"""Attachment checks: size and type by content (magic bytes), never by name or header."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings

from qyzmet.core.refusals import Refused

# Signatures of the document formats a provider accepts (scans and PDFs).
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


def sniff_content_type(head: bytes) -> str | None:
    for magic, content_type in _MAGIC:
        if head.startswith(magic):
            return content_type
    return None


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str


def check_upload(uploaded) -> CheckedFile:
    """Refuse empty, oversized and disallowed files; hash the content in one pass."""
    name = (getattr(uploaded, "name", "") or "file")[-255:]
    size = uploaded.size
    limit = settings.QYZMET_ATTACHMENT_MAX_BYTES
    if not size:
        raise Refused("attachment_empty", {"name": name})
    if size > limit:
        raise Refused("attachment_too_large", {"name": name, "limit_mb": limit // (1024 * 1024)})
    uploaded.seek(0)
    content_type = sniff_content_type(uploaded.read(16))
    if content_type is None or content_type not in settings.QYZMET_ATTACHMENT_TYPES:
        raise Refused("attachment_type_not_allowed", {"name": name})
    uploaded.seek(0)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedFile(name=name, content_type=content_type, size=size, sha256=digest.hexdigest())
