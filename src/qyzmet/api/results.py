"""The signed result PDF of an application, as the results app stores it.

The results app (``qyzmet.results``) renders and stores the PAdES-signed PDF per decision
and offers ``queries.document_for(application)``. It is read here without importing it at
module load, so the API works (answering ``result_not_available``) before that app is
installed or when an application has no document yet.
"""

from __future__ import annotations

import io
import logging
from importlib import import_module

logger = logging.getLogger(__name__)

# Names under which a result document may keep its signed PDF (a FileField or bytes).
_PDF_ATTRIBUTES = ("signed_pdf", "pdf", "file")


def _document_for(application):
    try:
        queries = import_module("qyzmet.results.queries")
    except ImportError:
        return None
    finder = getattr(queries, "document_for", None)
    return finder(application) if finder is not None else None


def _pdf_bytes(document) -> bytes | None:
    for name in _PDF_ATTRIBUTES:
        value = getattr(document, name, None)
        if not value:
            continue
        if isinstance(value, bytes | bytearray | memoryview):
            return bytes(value)
        if hasattr(value, "open"):
            with value.open("rb") as stored:
                return stored.read()
    return None


def result_pdf(application) -> tuple[io.BytesIO, str] | None:
    """``(content, filename)`` of the issued, signed PDF, or None when there is none."""
    if not application.is_final:
        return None
    document = _document_for(application)
    if document is None:
        return None
    content = _pdf_bytes(document)
    if not content:
        return None
    name = f"{application.registration_number or application.public_id}.pdf"
    return io.BytesIO(content), name
