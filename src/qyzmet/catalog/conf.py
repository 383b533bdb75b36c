"""Settings of the catalogue app; each has a default and can be overridden in Django settings.

- ``QYZMET_CATALOG_DIR``: the folder of catalogue files (default: ``catalog/`` of the
  source checkout, i.e. ``BASE_DIR / "catalog"``).
- ``QYZMET_CATALOG_DEMO`` (default ``True``): also load and use the ``demo-*.toml``
  versions, which continue the repealed regulation so that the workflow can run today.
  Production installations for a real regulation set it to ``False``.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def catalog_dir() -> Path:
    default = Path(getattr(settings, "BASE_DIR", Path.cwd())) / "catalog"
    return Path(getattr(settings, "QYZMET_CATALOG_DIR", default))


def demo_enabled() -> bool:
    return bool(getattr(settings, "QYZMET_CATALOG_DEMO", True))
