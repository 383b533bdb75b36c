"""Attachment checks: size and type by content (magic bytes), never by name or header."""

from __future__ import annotations

import hashlib
import re
import unicodedata
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


# The extension a downloaded file gets for each type detected by content.
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/tiff": ".tif",
}
_UNSAFE = re.compile(r"[^\w\s().,+-]", re.UNICODE)


def download_name(original_name: str, content_type: str) -> str:
    """The name a stored file is downloaded as (issue 12, finding 17): the uploaded name
    without any folder, control or markup character, and with the extension of the type
    detected by content — a "%PDF-" file uploaded as ``page.html`` is saved as
    ``page.pdf``, so a browser never opens it as HTML. The stored ``original_name`` (part of
    the signed request) is kept as it was."""
    name = unicodedata.normalize("NFC", str(original_name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    stem, dot, _extension = name.rpartition(".")
    if not dot:
        stem = name
    stem = _UNSAFE.sub("_", stem).strip(" ._")[:100] or "attachment"
    return stem + EXTENSIONS.get(content_type, ".bin")


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
