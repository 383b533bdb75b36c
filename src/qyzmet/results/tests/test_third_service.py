"""A third service added as catalogue data alone (issue 10 "Done means"): a TEST catalogue —
not the real one — with its own form, an items-like table and its own result name issues a
correct signed document through the real workflow, and ``catalog check`` names the file and
field of a template that refers to what the form does not have. No Python here knows the
service: it is a folder written by the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from qyzmet.cases.models import DecisionKind
from qyzmet.catalog.loader import load_catalog
from qyzmet.catalog.validation import check_directory
from qyzmet.results import pades, queries
from qyzmet.results.models import ResultDocument
from qyzmet.workflow import actions as flow

from .conftest import register
from .tools import pdftotext

pytestmark = pytest.mark.django_db

REAL = Path(__file__).resolve().parents[4] / "catalog"
SERVICE = "museum-loan"


def _labels(ru: str, kk: str, en: str) -> dict:
    return {"title": ru, "x-title-kk": kk, "x-title-en": en}


FORM = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    **_labels("Заявка на заём", "Қарызға өтінім", "Loan request"),
    "type": "object",
    "additionalProperties": False,
    "required": ["borrower", "venue_country", "loans"],
    "properties": {
        "borrower": {"type": "string", **_labels("Заёмщик", "Қарыз алушы", "Borrower")},
        "venue_country": {"type": "string", **_labels("Страна", "Ел", "Country")},
        "loans": {
            "type": "array",
            "minItems": 1,
            **_labels("Предметы займа", "Қарыз заттары", "Objects on loan"),
            "items": {
                "type": "object",
                "required": ["title", "lender"],
                "properties": {
                    "title": {"type": "string", **_labels("Название", "Атауы", "Title")},
                    "lender": {"type": "string", **_labels("Владелец", "Иесі", "Lender")},
                    "value": {
                        "type": "object",
                        **_labels("Оценка", "Бағасы", "Value"),
                        "properties": {
                            "amount": {"type": "number", **_labels("Сумма", "Сомасы", "Amount")},
                            "currency": {
                                "type": "string",
                                **_labels("Валюта", "Валюта", "Currency"),
                            },
                        },
                    },
                },
            },
        },
    },
}

PERMIT = """\
format_version = 1
kind = "loan_permit"
title = { kk = "Музей затын қарызға беруге рұқсат", ru = "Разрешение на музейный заём", en = "Museum loan permit" }
languages = ["kk", "ru"]
numbering = { format = "МЗ/{number}/{year}" }

[[blocks]]
type = "fields"
rows = [
  { label = { kk = "Рұқсат нөмірі", ru = "Номер разрешения" }, value = "{document.number}" },
  { label = { kk = "Қарыз алушы", ru = "Заёмщик" }, value = "{form.borrower}" },
  { label = { kk = "Көрме елі", ru = "Страна выставки" }, value = "{form.venue_country|country}" },
]

[[blocks]]
type = "table"
heading = { kk = "Қарыз заттары", ru = "Предметы займа" }
source = "form.loans"
columns = [
  { label = { kk = "№", ru = "№" }, value = "{row}", width = 10 },
  { label = { kk = "Атауы", ru = "Название" }, value = "{item.title}", width = 70 },
  { label = { kk = "Иесі", ru = "Владелец" }, value = "{item.lender}", width = 50 },
  { label = { kk = "Бағасы", ru = "Оценка" }, value = "{item.value|money}", width = 44 },
]

[[blocks]]
type = "text"
heading = { kk = "Ерекше шарттар", ru = "Особые условия" }
when = "result.conditions"
text = { kk = "{result.conditions}", ru = "{result.conditions}" }

[[blocks]]
type = "signature"
position = { kk = "Басшы", ru = "Руководитель" }
"""


def write_catalogue(root: Path, permit: str = PERMIT) -> Path:
    """The test catalogue: the museum-loan service, its version file made from a real one's
    shape (channels, steps, schedule…) with its own code, title, form, result and templates."""
    folder = root / SERVICE
    (folder / "templates").mkdir(parents=True)
    source = (REAL / "temporary-export" / "demo-2026.toml").read_text(encoding="utf-8")
    head, _, rest = source.partition("[result]")
    tail = rest[rest.index("[helpline]") :]
    head = head.replace('code = "temporary-export"', f'code = "{SERVICE}"')
    head = head.replace(
        'ru = "Выдача свидетельства на право временного вывоза культурных ценностей"',
        'ru = "Выдача разрешения на музейный заём"',
        1,
    )
    result = """[result]
kind = "loan_permit"
refusal_kind = "motivated_refusal"
templates = { result = "templates/permit.toml", refusal = "templates/refusal.toml" }
name = { ru = "Разрешение на музейный заём", kk = "Музей затын қарызға беруге рұқсат", en = "Museum loan permit" }
forms = ["electronic"]
basis = "test catalogue"

"""
    (folder / "demo-2026.toml").write_text(head + result + tail, encoding="utf-8")
    (folder / "form.schema.json").write_text(json.dumps(FORM, ensure_ascii=False), "utf-8")
    (folder / "templates" / "permit.toml").write_text(permit, encoding="utf-8")
    refusal = (REAL / "temporary-export" / "templates" / "motivated-refusal.toml").read_text(
        encoding="utf-8"
    )
    (folder / "templates" / "refusal.toml").write_text(refusal, encoding="utf-8")
    return root


LOAN_FORM = {
    "borrower": "Musée du quai Branly — Jacques Chirac",
    "venue_country": "FR",
    "loans": [
        {
            "title": "Саукеле невесты",
            "lender": "ЦГМ РК",
            "value": {"amount": 250000, "currency": "EUR"},
        },
        {"title": "Домбра «Қоңыр»", "lender": "Музей народных инструментов"},
    ],
}


def test_a_third_service_issues_a_signed_document_from_its_template(
    staff, demo_pki, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_catalog(write_catalogue(tmp_path / "catalog"), include_demo=True)
    application = register(staff, SERVICE, key="loan-1", form=LOAN_FORM)
    flow.assign_executor(staff["head"], application, staff["executor"])
    flow.record_completeness_check(staff["executor"], application, complete=True)
    decision = flow.prepare_decision(
        staff["executor"],
        application,
        kind=DecisionKind.APPROVAL,
        result_data={**LOAN_FORM, "conditions": "Экспонировать в витрине с климат-контролем."},
    )
    content = bytes(decision.signed_content)
    flow.sign_decision(
        staff["head"],
        application,
        signed_content=content,
        signature=demo_pki.sign("zhumabaev", content),
    )
    document = ResultDocument.objects.get(decision=decision)
    with document.pdf.open("rb") as handle:
        pdf = handle.read()

    assert queries.verify_document(document).authentic
    check = pades.validate(pdf, trust_roots=queries.trust_roots(), moment=document.signed_at)
    assert check.authentic
    year = timezone.localdate(decision.prepared_at).year
    assert (document.kind, document.number) == ("loan_permit", f"МЗ/1/{year}")
    text = " ".join(pdftotext(pdf, tmp_path).split())
    for expected in (
        "Музей затын қарызға беруге рұқсат",
        "Разрешение на музейный заём",
        f"Номер разрешения МЗ/1/{year}",
        "Musée du quai Branly — Jacques Chirac",
        "Көрме елі / Страна выставки Франция",  # CLDR kk and ru names: the same word, once
        "Саукеле невесты",
        "Музей народных инструментов",
        "250 000 Еуро / 250 000 евро",
        "Экспонировать в витрине с климат-контролем.",
        "Басшы / Руководитель",
        staff["head"].display_name,
    ):
        assert expected in text, expected
    # Nothing from the other services' documents.
    assert "Свидетельство" not in text and "Памятник" not in text

    # The verification page shows the same document (its table, not a field dump).
    path = queries.verification_url(document).removeprefix(settings.QYZMET_PUBLIC_BASE_URL)
    page = Client().get(path).content.decode()
    assert 'data-result-document="loan_permit"' in page
    assert '<th scope="col">Иесі<br>Владелец</th>' in page
    assert "Саукеле невесты" in page and f"МЗ/1/{year}" in page


@pytest.mark.parametrize(
    ("broken", "field", "message"),
    [
        ("{form.borrower}", "blocks[0].rows[1].value", "field 'borrowr' is not in the form"),
        ("{item.lender}", "blocks[1].columns[2].value", "is not in the rows of the table"),
        ("{document.date}", "blocks[0].rows[0].value", "unknown placeholder {document.dat}"),
        ("{item.value|money}", "blocks[1].columns[3].value", "unknown filter |euros"),
    ],
)
def test_catalog_check_names_file_and_field_of_a_bad_template(tmp_path, broken, field, message):
    replacement = {
        "{form.borrower}": "{form.borrowr}",
        "{item.lender}": "{item.owner}",
        "{document.date}": "{document.dat}",
        "{item.value|money}": "{item.value|euros}",
    }[broken]
    permit = PERMIT.replace(
        "{document.number}",
        "{document.date}" if broken == "{document.date}" else "{document.number}",
    ).replace(broken, replacement)
    result = check_directory(write_catalogue(tmp_path / "catalog", permit))
    issues = [str(issue) for issue in result.issues]
    assert not result.ok
    assert any(
        issue.startswith(f"catalog/{SERVICE}/templates/permit.toml: {field}: ") and message in issue
        for issue in issues
    ), issues


def test_the_real_catalogue_checks_clean():
    result = check_directory(REAL)
    assert result.ok, [str(issue) for issue in result.issues]
