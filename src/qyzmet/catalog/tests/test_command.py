"""`qyzmet catalog check|load|list|show`: output and exit codes."""

import os
import subprocess
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from .conftest import QYZMET, edit, version_files


def run(*args):
    return subprocess.run(
        [str(QYZMET), "catalog", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
    )


def test_check_real_catalogue_exits_0(real_catalog):
    result = run("check", str(real_catalog))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(version_files(real_catalog))
    assert all(line.startswith("OK ") for line in lines)
    assert any(
        "catalog/temporary-export/2014-06.toml  temporary-export 2014-06 2014-06-16 .. 2014-12-08"
        in line
        for line in lines
    )


def test_check_default_directory_exits_0():
    assert run("check").returncode == 0


def test_check_broken_catalogue_exits_1_naming_file_and_field(catalog_copy):
    edit(
        catalog_copy / "restoration-approval/2014-12.toml",
        'kind = "working_minutes"',
        'kind = "hours"',
    )
    result = run("check", str(catalog_copy))
    assert result.returncode == 1
    assert "INVALID catalog/restoration-approval/2014-12.toml" in result.stdout
    assert result.stdout.count("OK ") == 5
    assert (
        "catalog/restoration-approval/2014-12.toml: process.steps[3].norm.kind: 'hours' is not one of"
        in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_check_missing_directory_exits_1(tmp_path):
    result = run("check", str(tmp_path / "missing"))
    assert result.returncode == 1
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.django_db
def test_load_list_show(real_catalog):
    out = StringIO()
    call_command("catalog", "load", str(real_catalog), stdout=out)
    assert f"created {len(version_files(real_catalog))}" in out.getvalue()
    out = StringIO()
    call_command("catalog", "list", stdout=out)
    assert len(out.getvalue().splitlines()) == len(version_files(real_catalog))
    out = StringIO()
    call_command("catalog", "show", "restoration-approval", "--on", "2014-12-08", stdout=out)
    text = out.getvalue()
    assert text.startswith("restoration-approval 2014-12 (in force on 2014-12-08)")
    assert "check     executor  working_minutes 10 from step_start" in text
    assert "no_restoration_licence" in text


@pytest.mark.django_db
def test_show_outside_any_version_is_an_error(real_catalog):
    call_command("catalog", "load", str(real_catalog), stdout=StringIO())
    with pytest.raises(CommandError, match="not provided on 2014-01-01"):
        call_command("catalog", "show", "temporary-export", "--on", "2014-01-01")
    with pytest.raises(CommandError, match="not a date"):
        call_command("catalog", "show", "temporary-export", "--on", "yesterday")


@pytest.mark.django_db
def test_load_of_broken_catalogue_fails_cleanly(catalog_copy):
    edit(catalog_copy / "temporary-export/2014-06.toml", "[fee]", "[fee")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("catalog", "load", str(catalog_copy), stderr=err)
    assert "catalog/temporary-export/2014-06.toml: (syntax): malformed TOML" in err.getvalue()
