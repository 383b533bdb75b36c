"""Quotas of the register (issue 12, finding 8: one draft took 109 attachments, drafts per
applicant were unlimited). Checked by the actions — so the portal, the API and the desk
refuse alike — with the application's row locked, so two uploads at once cannot both pass.

Settings (each with a default; ``docs/operations.md``, "Quotas and upload limits"):

- ``QYZMET_QUOTA_ATTACHMENTS_PER_APPLICATION`` (40): files attached to one draft or case.
- ``QYZMET_QUOTA_ATTACHMENTS_PER_DOCUMENT`` (20): files for one document of the list (the
  photographs of many valuables are the most).
- ``QYZMET_QUOTA_APPLICATION_BYTES`` (100 MiB): the total size of one draft's or case's files.
- ``QYZMET_QUOTA_OPEN_DRAFTS`` (20): drafts one applicant may have open at once.
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy, ngettext_lazy

from qyzmet.core.refusals import Refused, register

MIB = 1024 * 1024
DEFAULTS = {
    "ATTACHMENTS_PER_APPLICATION": 40,
    "ATTACHMENTS_PER_DOCUMENT": 20,
    "APPLICATION_BYTES": 100 * MIB,
    "OPEN_DRAFTS": 20,
}

register(
    "quota_attachments",
    ngettext_lazy(
        "К заявлению можно приложить не более {limit} файла.",
        "К заявлению можно приложить не более {limit} файлов.",
        "limit",
    ),
    status=409,
)
register(
    "quota_attachments_per_document",
    ngettext_lazy(
        "Для документа «{code}» можно приложить не более {limit} файла.",
        "Для документа «{code}» можно приложить не более {limit} файлов.",
        "limit",
    ),
    status=409,
)
register(
    "quota_application_bytes",
    gettext_lazy("Общий размер файлов заявления не может превышать {limit_mb} МБ."),
    status=409,
)
register(
    "quota_open_drafts",
    ngettext_lazy(
        "У вас уже {limit} неподанное заявление (черновик). Продолжите черновик и подайте заявление.",
        "У вас уже {limit} неподанных заявлений (черновиков). Продолжите и подайте одно из них.",
        "limit",
    ),
    status=409,
)


def limit(name: str) -> int:
    return int(getattr(settings, f"QYZMET_QUOTA_{name}", DEFAULTS[name]))


def check_attachments(application, new: list[tuple[str, int]]) -> None:
    """Refuse when ``new`` files (document code, size) would take the (locked) application
    past a quota; counted against what it already has."""
    if not new:
        return
    stored = application.attachments.aggregate(files=Count("pk"), size=Sum("size"))
    files = (stored["files"] or 0) + len(new)
    if files > limit("ATTACHMENTS_PER_APPLICATION"):
        raise Refused("quota_attachments", {"limit": limit("ATTACHMENTS_PER_APPLICATION")})
    per_document = Counter(code for code, _ in new)
    existing = dict(
        application.attachments.filter(document_code__in=list(per_document))
        .values_list("document_code")
        .annotate(n=Count("pk"))
    )
    for code, count in per_document.items():
        if existing.get(code, 0) + count > limit("ATTACHMENTS_PER_DOCUMENT"):
            raise Refused(
                "quota_attachments_per_document",
                {"code": code, "limit": limit("ATTACHMENTS_PER_DOCUMENT")},
            )
    size = (stored["size"] or 0) + sum(size for _, size in new)
    if size > limit("APPLICATION_BYTES"):
        raise Refused("quota_application_bytes", {"limit_mb": limit("APPLICATION_BYTES") // MIB})


def check_open_drafts(open_drafts: int) -> None:
    """Refuse a new draft when the applicant already has the quota of open ones."""
    if open_drafts >= limit("OPEN_DRAFTS"):
        raise Refused("quota_open_drafts", {"limit": limit("OPEN_DRAFTS")})
