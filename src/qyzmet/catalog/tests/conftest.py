import shutil
import sys
from pathlib import Path

import pytest

from qyzmet.catalog import conf

# The `qyzmet` command of this virtualenv, for tests that run it as a process.
QYZMET = Path(sys.executable).parent / "qyzmet"


def version_files(path: Path, *, demo: bool | None = None) -> list[tuple[str, str]]:
    """(service, version) of each version file in a catalogue folder: tests compare with what
    the folder holds instead of counting the real catalogue's services or versions."""
    return sorted(
        (file.parent.name, file.stem)
        for file in path.glob("*/*.toml")
        if demo is None or file.stem.startswith("demo-") == demo
    )


def version_channels() -> list:
    """One ``pytest.param(parsed version, channel code)`` per version × channel of the real
    catalogue (``qyzmet catalog bpmn`` and the bpmn-js viewer test export each)."""
    from qyzmet.catalog.validation import read_directory

    return [
        pytest.param(
            parsed,
            channel["code"],
            id=f"{parsed.service_code}-{parsed.version}-{channel['code']}",
        )
        for parsed in read_directory(conf.catalog_dir())
        for channel in parsed.definition["channels"]
    ]


@pytest.fixture
def real_catalog() -> Path:
    path = conf.catalog_dir()
    assert (path / "temporary-export").is_dir(), f"catalogue not found at {path}"
    return path


@pytest.fixture
def catalog_copy(tmp_path, real_catalog) -> Path:
    """A writable copy of the real catalogue, named `catalog` like the original."""
    target = tmp_path / "catalog"
    shutil.copytree(real_catalog, target, ignore=shutil.ignore_patterns("*.md"))
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a file; ``old`` must occur (``count`` times, first one
    replaced when count is 0 = any) so that a test never silently edits nothing."""
    text = path.read_text(encoding="utf-8")
    occurrences = text.count(old)
    assert occurrences >= 1, f"{old!r} not in {path}"
    if count:
        assert occurrences == count, f"{old!r} occurs {occurrences} times in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
