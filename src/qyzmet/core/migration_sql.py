"""SQL that a migration runs on some database engines only (triggers, index kinds that one
engine has and the other lacks), as one reversible operation."""

from __future__ import annotations

from django.db import migrations


def run_by_vendor(
    forward: dict[str, list[str]], backward: dict[str, list[str]]
) -> migrations.RunPython:
    """``forward`` and ``backward`` map a connection vendor ("postgresql", "sqlite") to its
    statements; a vendor not named runs nothing."""

    def runner(statements_by_vendor):
        def run(apps, schema_editor):
            for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
                schema_editor.execute(statement)

        return run

    return migrations.RunPython(runner(forward), runner(backward))
