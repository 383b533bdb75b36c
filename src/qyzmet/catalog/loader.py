"""Reading the catalogue folder and loading it into ``ServiceVersion`` rows.

``read_catalog`` validates every file (raising :class:`CatalogError` that names file and
field); ``load_catalog`` then upserts all versions in one transaction, so a bad file
changes nothing. Loading is idempotent: an unchanged file (same SHA-256 of the TOML and its
form schema) is left alone. A version that applications refer to is immutable: changing its
content is refused, except for setting ``effective.until`` (closing it when an amendment
takes effect) and changes of comments or layout; an amendment is a new file.

Every version a load creates or changes is an audited action (``catalog.version_created`` /
``catalog.version_updated``, by the system, with the version's file, its SHA-256, the form
schema's SHA-256 and its period before and after), in the load's transaction; a load that
changes nothing writes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from qyzmet.audit import actions as audit

from . import conf
from .models import ServiceVersion
from .property_order import PROPERTY_ORDER
from .validation import CatalogError, Issue, ParsedVersion, read_directory

__all__ = ["CatalogError", "LoadReport", "ParsedVersion", "load_catalog", "read_catalog"]


def read_catalog(directory: Path | str | None = None) -> list[ParsedVersion]:
    """All versions under ``directory`` (default: the setting), demo files included."""
    return read_directory(Path(directory) if directory is not None else conf.catalog_dir())


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped_demo: list[str] = field(default_factory=list)

    @property
    def loaded(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)

    def __str__(self) -> str:
        return (
            f"created {len(self.created)}, updated {len(self.updated)}, "
            f"unchanged {len(self.unchanged)}, demo skipped {len(self.skipped_demo)}"
        )


def reference_count(version: ServiceVersion) -> int:
    """How many rows of any model point at ``version`` (applications and the like).

    Found through the model's reverse relations (``_meta.related_objects``, plus hidden ones
    with ``related_name="+"``) so that the catalogue imports none of the apps that refer to
    it. Filtering from the referring side works for foreign keys and many-to-many alike.
    """
    relations = [
        f
        for f in version._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and f.is_relation
    ]
    return sum(
        r.related_model._base_manager.filter(**{r.field.name: version}).count() for r in relations
    )


def load_catalog(
    directory: Path | str | None = None, *, include_demo: bool | None = None
) -> LoadReport:
    """Validate the folder and upsert its versions, all in one transaction."""
    versions = read_catalog(directory)
    include_demo = conf.demo_enabled() if include_demo is None else include_demo
    try:
        return _upsert(versions, include_demo)
    except IntegrityError:
        # Another process loaded the same new version between our read and our insert
        # (two workers starting at once); the second pass sees its rows as they are.
        return _upsert(versions, include_demo)


def _upsert(versions: list[ParsedVersion], include_demo: bool) -> LoadReport:
    report = LoadReport()
    now = timezone.now()
    with transaction.atomic():
        # FOR UPDATE, deliberately not qyzmet.core.locking's NO KEY UPDATE: a version may change
        # only while nothing references it (reference_count below), so the lock must also hold
        # off the inserts that would reference it (an application of the version) until the
        # catalogue is loaded.
        existing = {
            (row.service_code, row.version): row
            for row in ServiceVersion.objects.select_for_update().all()
        }
        issues: list[Issue] = []
        for parsed in versions:
            key = f"{parsed.service_code} {parsed.version}"
            if parsed.is_demo and not include_demo:
                report.skipped_demo.append(key)
                continue
            row = existing.get((parsed.service_code, parsed.version))
            if row is None:
                row = ServiceVersion.objects.create(**_fields(parsed), loaded_at=now)
                audit.record(None, "catalog.version_created", obj=row, after=_audited(row))
                report.created.append(key)
            elif row.source_sha256 == parsed.source_sha256:
                if row.form_schema != parsed.form_schema:
                    # The same files, loaded before the property order was recorded.
                    before = _audited(row)
                    row.form_schema = parsed.form_schema
                    row.save(update_fields=["form_schema"])
                    _audit_update(row, before)
                report.unchanged.append(key)
            elif (count := reference_count(row)) > 0 and not _only_closing(row, parsed):
                issues.append(
                    Issue(
                        parsed.source_path,
                        "(content)",
                        f"version {parsed.version} is referenced by {count} record(s) and "
                        "cannot change; add a new version file for the amendment instead",
                    )
                )
            else:
                before = _audited(row)
                for name, value in _fields(parsed).items():
                    setattr(row, name, value)
                row.loaded_at = now
                row.save()
                _audit_update(row, before)
                report.updated.append(key)
        _check_overlaps_in_database(versions, include_demo, issues)
        if issues:
            # Raising inside the atomic block rolls back whatever was written above.
            raise CatalogError(issues)
    return report


def _audited(row: ServiceVersion) -> dict:
    schema = json.dumps(row.form_schema, sort_keys=True, ensure_ascii=False).encode()
    return {
        "service_code": row.service_code,
        "version": row.version,
        "effective_from": row.effective_from.isoformat(),
        "effective_until": row.effective_until.isoformat() if row.effective_until else None,
        "is_demo": row.is_demo,
        "source_path": row.source_path,
        "source_sha256": row.source_sha256,
        "form_schema_sha256": hashlib.sha256(schema).hexdigest(),
    }


def _audit_update(row: ServiceVersion, before: dict) -> None:
    audit.record(None, "catalog.version_updated", obj=row, before=before, after=_audited(row))


def _check_overlaps_in_database(
    versions: list[ParsedVersion], include_demo: bool, issues: list[Issue]
) -> None:
    """Rows loaded earlier from files that are gone must not overlap the new files."""
    in_files = {(v.service_code, v.version) for v in versions}
    for row in ServiceVersion.objects.all():
        if (row.service_code, row.version) in in_files:
            continue
        for parsed in versions:
            if parsed.service_code != row.service_code or (parsed.is_demo and not include_demo):
                continue
            starts_before_end = (
                row.effective_until is None or parsed.effective_from < row.effective_until
            )
            ends_after_start = (
                parsed.effective_until is None or row.effective_from < parsed.effective_until
            )
            if starts_before_end and ends_after_start:
                issues.append(
                    Issue(
                        parsed.source_path,
                        "effective.from.date",
                        f"overlaps version {row.version} already in the database "
                        f"(from {row.source_path}, no longer in the catalogue folder)",
                    )
                )


#: Keys of ``[process]`` that describe the process for its diagrams, appendices and handbook
#: (p.7 units, p.10 procedures, appendix 2 participants) and do not change how an application
#: is processed: they may be added to or corrected in a version applications refer to.
DESCRIPTIVE_PROCESS_KEYS = ("roles", "participants", "procedures")


def _without_until(definition: dict) -> dict:
    effective = {k: v for k, v in definition["effective"].items() if k != "until"}
    process = {k: v for k, v in definition["process"].items() if k not in DESCRIPTIVE_PROCESS_KEYS}
    return {**definition, "effective": effective, "process": process}


# Keys of a form schema a referenced version may gain or change: the recorded property order
# (rows loaded before it was recorded), and the identifier check of typed IINs/BINs
# ("x-format", by the law's rules of the numbers, not the regulation's content: issue 12).
_ADDABLE_SCHEMA_KEYS = frozenset({PROPERTY_ORDER, "x-format"})


def _without_order(schema):
    """The schema without the keys of :data:`_ADDABLE_SCHEMA_KEYS`."""
    if isinstance(schema, list):
        return [_without_order(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {k: _without_order(v) for k, v in schema.items() if k not in _ADDABLE_SCHEMA_KEYS}


def _only_closing(row: ServiceVersion, parsed: ParsedVersion) -> bool:
    """True when the file differs from the loaded version at most in ``effective.until``,
    the descriptive keys of the process (:data:`DESCRIPTIVE_PROCESS_KEYS`), the form's
    ``x-format`` identifier checks, and comments or layout: closing a version for an amendment, or describing its process for the diagrams,
    is allowed even when applications refer to it; everything they were processed under
    stays as it was. Result templates may be given to a version loaded before
    they existed."""
    new = parsed.definition
    if "templates" not in row.definition["result"]:
        # Loaded before result documents were templates: the version gets its templates (the
        # documents issued under it keep their signed PDFs), nothing else may change.
        result = {k: v for k, v in new["result"].items() if k not in ("templates", "documents")}
        new = {**new, "result": result}
    return _without_order(row.form_schema) == _without_order(parsed.form_schema) and _without_until(
        row.definition
    ) == _without_until(new)


def _fields(parsed: ParsedVersion) -> dict:
    title = parsed.definition["title"]
    return {
        "service_code": parsed.service_code,
        "version": parsed.version,
        "effective_from": parsed.effective_from,
        "effective_until": parsed.effective_until,
        "is_demo": parsed.is_demo,
        "title_ru": title["ru"],
        "title_kk": title["kk"],
        "title_en": title["en"],
        "definition": parsed.definition,
        "form_schema": parsed.form_schema,
        "source_path": parsed.source_path,
        "source_sha256": parsed.source_sha256,
    }
