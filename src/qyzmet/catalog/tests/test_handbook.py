"""The business-process handbook (p.13): every procedure, performer and duration of the
version, its conditions' refusal branches and grounds, in Kazakh and Russian, read back
from the PDF with pdftotext; the command and the desk's download."""

import re
import subprocess
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from qyzmet.catalog import conf
from qyzmet.catalog.handbook import HANDBOOK_LANGUAGES, render_handbook
from qyzmet.catalog.models import ServiceVersion
from qyzmet.catalog.process import channel_process
from qyzmet.catalog.texts import norm_text
from qyzmet.catalog.validation import read_directory
from qyzmet.conftest import make_user


def pdf_text(data: bytes) -> str:
    """The PDF's words with every whitespace removed (lines wrap anywhere between words)."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return re.sub(r"\s+", "", done.stdout.decode("utf-8"))


def squeeze(words: str) -> str:
    return re.sub(r"\s+", "", words)


def assert_handbook(data: bytes, definition: dict) -> None:
    assert data.startswith(b"%PDF-")
    words = pdf_text(data)
    for language in HANDBOOK_LANGUAGES:
        assert squeeze(definition["title"][language]) in words
        for channel in definition["channels"]:
            process = channel_process(definition, channel["code"])
            for procedure in process.procedures():
                assert squeeze(procedure.title(language)) in words, procedure.code
                if procedure.role:
                    role = next(r for r in process.roles if r.code == procedure.role)
                    assert squeeze(role.name.text(language)) in words
                if procedure.step is not None:
                    entry = squeeze(f"{procedure.title(language)} — ")
                    at = words.index(entry)
                    # The duration stands in the procedure's own entry.
                    following = words[at : at + 600]
                    assert squeeze(norm_text(procedure.step, language)) in following, (
                        procedure.code,
                        language,
                    )
            for condition in (p for p in process.main if p.is_condition):
                for failing in process.branches[condition.code]:
                    assert squeeze(failing.title(language)) in words
        for reason in definition["refusal_reasons"]:
            assert squeeze(reason["text"][language]) in words
        for act in definition["legal_basis"]:
            assert squeeze(act["title"][language]) in words


@pytest.mark.parametrize(
    "parsed",
    [
        pytest.param(p, id=f"{p.service_code}-{p.version}")
        for p in read_directory(conf.catalog_dir())
    ],
)
def test_handbook_has_every_procedure_role_and_duration_in_kk_and_ru(parsed):
    assert_handbook(render_handbook(parsed.definition), parsed.definition)


@pytest.mark.django_db
def test_command_writes_the_handbook_and_refuses_bad_input(catalog, tmp_path):
    version = ServiceVersion.objects.order_by("effective_from").first()
    out = tmp_path / "handbook.pdf"
    call_command(
        "catalog",
        "handbook",
        version.service_code,
        "--version",
        version.version,
        "--out",
        str(out),
        stdout=StringIO(),
    )
    assert_handbook(out.read_bytes(), version.definition)
    for args in (["no-such-service"], [version.service_code, "--version", "1999-01"]):
        with pytest.raises(CommandError) as error:
            call_command("catalog", "handbook", *args, "--out", str(tmp_path / "x.pdf"))
        assert error.value.returncode == 2
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.django_db
def test_the_desk_offers_the_handbook_for_download(catalog):
    version = ServiceVersion.objects.order_by("effective_from").last()
    url = f"/office/services/{version.service_code}/{version.version}/handbook.pdf"
    desk = Client()
    assert desk.get(url).status_code == 302
    desk.force_login(make_user("reader", "clerk"))
    page = desk.get(f"/office/services/{version.service_code}/{version.version}/")
    assert url in page.content.decode()
    response = desk.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert_handbook(response.content, version.definition)
    assert desk.get(url.replace(version.version, "1999-01")).status_code == 404
