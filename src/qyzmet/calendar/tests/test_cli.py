"""`qyzmet calendar …`: through call_command and through the installed console script."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

QYZMET = Path(sys.executable).with_name("qyzmet")


def run(*args: str) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("add-working-days", "2026-03-18", "10"), "2026-04-06"),
        (("add-working-days", "2026-03-18", "0"), "2026-03-18"),
        (("is-working-day", "2013-12-28"), "yes"),
        (("is-working-day", "2014-01-03"), "no"),
        (("is-working-day", "2026-03-18"), "yes"),
        (("next-working-moment", "2026-03-20T19:00"), "2026-03-26T09:00:00+05:00"),
        (("next-working-moment", "2026-03-18T05:00:00Z"), "2026-03-18T10:00:00+05:00"),
        (("add-working-minutes", "2026-03-18T12:00", "90"), "2026-03-18T15:00:00+05:00"),
        (("working-day-deadline", "2026-03-18T19:00", "10"), "2026-04-07T18:30:00+05:00"),
    ],
)
def test_operations(args, expected):
    assert run(*args) == expected


@pytest.mark.django_db
def test_explain_names_the_reason():
    assert run("explain", "2013-12-28").endswith("working day; override_working")
    assert "holiday" in run("explain", "2014-01-03")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("add-working-days", "2026-13-01", "3"), "calendar_invalid_date"),
        (("add-working-days", "2026-03-18", "-3"), "calendar_negative_count"),
        (("add-working-days", "2026-03-18", "ten"), "calendar_negative_count"),
        (("is-working-day", "2150-01-01"), "calendar_out_of_range"),
        (("next-working-moment", "yesterday"), "calendar_invalid_datetime"),
        (("add-working-minutes", "2026-03-18T12:00", "1.5"), "calendar_negative_count"),
    ],
)
def test_bad_input_is_a_command_error_with_exit_status_2(args, code):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 2
    assert str(error.value).startswith(f"{code}: ")


def run_script(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    # A database that was never migrated: the command still answers from seed.py.
    env["QYZMET_SQLITE_PATH"] = str(tmp_path / "unmigrated.sqlite3")
    env["QYZMET_VAR_DIR"] = str(tmp_path)
    return subprocess.run(
        [str(QYZMET), "calendar", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_console_script_prints_the_answers(tmp_path):
    result = run_script(tmp_path, "add-working-days", "2026-03-18", "10")
    assert (result.returncode, result.stdout) == (0, "2026-04-06\n"), result.stderr
    result = run_script(tmp_path, "is-working-day", "2013-12-28")
    assert (result.returncode, result.stdout) == (0, "yes\n"), result.stderr


def test_console_script_bad_input_goes_to_stderr_with_status_2(tmp_path):
    result = run_script(tmp_path, "add-working-days", "18.03.2026", "10")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "calendar_invalid_date" in result.stderr
    assert "Traceback" not in result.stderr
    result = run_script(tmp_path, "no-such-operation")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
