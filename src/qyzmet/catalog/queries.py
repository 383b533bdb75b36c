"""Reads of the catalogue: which version of a service applies on a given day.

An application is processed under the version in force on the day it was submitted
(DESIGN.md, principle 1). Versions are half-open intervals ``[effective_from,
effective_until)``; demonstration versions count only while ``QYZMET_CATALOG_DEMO`` is on.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from qyzmet.core.refusals import Refused, register

from . import conf
from .models import ServiceVersion

register(
    "service_not_in_force",
    gettext_lazy(
        "Услуга «{service}» не оказывается на {date}: нет действующей редакции регламента."
    ),
)


def _as_date(on: dt.date | dt.datetime) -> dt.date:
    if isinstance(on, dt.datetime):
        return timezone.localdate(on) if timezone.is_aware(on) else on.date()
    return on


def _usable() -> QuerySet[ServiceVersion]:
    versions = ServiceVersion.objects.all()
    return versions if conf.demo_enabled() else versions.filter(is_demo=False)


def _in_force(on: dt.date) -> Q:
    return Q(effective_from__lte=on) & (Q(effective_until__isnull=True) | Q(effective_until__gt=on))


def version_in_force(service_code: str, on: dt.date | dt.datetime) -> ServiceVersion:
    """The version of ``service_code`` in force on ``on``; ``Refused("service_not_in_force")``
    when there is none (unknown service, before the first or after the last version)."""
    day = _as_date(on)
    version = (
        _usable()
        .filter(_in_force(day), service_code=service_code)
        .order_by("-effective_from")
        .first()
    )
    if version is None:
        raise Refused(
            "service_not_in_force", params={"service": service_code, "date": day.isoformat()}
        )
    return version


def services_in_force(on: dt.date | dt.datetime) -> list[ServiceVersion]:
    """One version per service in force on ``on``, ordered by service code."""
    day = _as_date(on)
    chosen: dict[str, ServiceVersion] = {}
    for version in _usable().filter(_in_force(day)).order_by("service_code", "-effective_from"):
        chosen.setdefault(version.service_code, version)
    return list(chosen.values())


def all_versions() -> list[ServiceVersion]:
    return list(ServiceVersion.objects.order_by("service_code", "effective_from"))


def find_version(service_code: str, version: str | None = None) -> ServiceVersion | None:
    """A loaded version by its id, or (``version`` None) the one in force today; None when
    there is no such version."""
    if version is None:
        try:
            return version_in_force(service_code, timezone.localdate())
        except Refused:
            return None
    return ServiceVersion.objects.filter(service_code=service_code, version=version).first()


def versions_of(service_code: str) -> list[ServiceVersion]:
    return list(ServiceVersion.objects.filter(service_code=service_code).order_by("effective_from"))


# The schedules of the versions, read once per process, by version and source digest: a
# version's schedule is its source file's (and a referenced version cannot change at all).
_schedules: dict[tuple[int, str], object] = {}


def schedules_of(versions) -> dict:
    """``{version id: calendar.working_time.Schedule}`` for ``versions`` (pairs of id and
    source SHA-256), in at most one query (none once this process has read them)."""
    versions = set(versions)
    missing = {pk for pk, digest in versions if (pk, digest) not in _schedules}
    if missing:
        for version in ServiceVersion.objects.filter(pk__in=missing).only(
            "id", "source_sha256", "definition"
        ):
            _schedules[version.pk, version.source_sha256] = version.schedule
    return {pk: _schedules[pk, digest] for pk, digest in versions if (pk, digest) in _schedules}


_provider_names: dict[str, tuple[float, dict | None]] = {}
PROVIDER_NAME_SECONDS = 300.0


def provider_name(code: str) -> dict | None:
    """The provider's name ({"ru", "kk", "en"}) as its latest catalogue version states it (the
    desk's header names the provider from the catalogue, not from code); read at most once
    per five minutes per process. None when no version names that provider."""
    import time

    now = time.monotonic()
    cached = _provider_names.get(code)
    if cached is not None and now - cached[0] < PROVIDER_NAME_SECONDS:
        return cached[1]
    name = None
    for definition in ServiceVersion.objects.order_by("-effective_from", "-id").values_list(
        "definition__provider", flat=True
    ):
        if isinstance(definition, dict) and definition.get("code") == code:
            name = definition.get("name")
            break
    _provider_names[code] = (now, name)
    return name


def helpline() -> str | None:
    """The helpline the catalogue names (p.12 of the regulations: 1414), from the latest
    version; read at most once per five minutes per process."""
    import time

    now = time.monotonic()
    cached = _provider_names.get("#helpline")
    if cached is not None and now - cached[0] < PROVIDER_NAME_SECONDS:
        return cached[1]
    phone = (
        ServiceVersion.objects.order_by("-effective_from", "-id")
        .values_list("definition__helpline__phone", flat=True)
        .first()
    )
    _provider_names["#helpline"] = (now, phone)
    return phone
