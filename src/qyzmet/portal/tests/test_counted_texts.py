"""Issue 13 (items 15, 16): texts with a count in each language's plural forms, and the
catalogue's fee of each service on the portal's home page.

Russian has three forms (1, 21 рабочий день; 2 рабочих дня; 5, 11 рабочих дней), Kazakh and
English two; a text written once with "{n} рабочих дней" read "1 рабочих дней", "2 рабочих
дней", "1 working days". Russian is the source language: its other forms come from
``locale/ru`` (docs/i18n.md)."""

from __future__ import annotations

import pytest
from django.utils import translation

from qyzmet.catalog.models import ServiceVersion
from qyzmet.catalog.schema_form import control_text
from qyzmet.core.refusals import Refused

from ..queries import remaining_text
from .applying import registered

pytestmark = pytest.mark.django_db

COUNTS = (1, 2, 5, 11, 21)
TERMS = {
    "ru": [
        "1 рабочий день со дня регистрации заявления",
        "2 рабочих дня со дня регистрации заявления",
        "5 рабочих дней со дня регистрации заявления",
        "11 рабочих дней со дня регистрации заявления",
        "21 рабочий день со дня регистрации заявления",
    ],
    "kk": [f"өтініш тіркелген күннен бастап {n} жұмыс күні" for n in COUNTS],
    "en": [
        "1 working day from registration",
        "2 working days from registration",
        "5 working days from registration",
        "11 working days from registration",
        "21 working days from registration",
    ],
}


def _set_term(days: int) -> None:
    for version in ServiceVersion.objects.filter(service_code="temporary-export"):
        version.definition["term"]["result"]["value"] = days
        version.save(update_fields=["definition"])


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_term_on_the_passport_and_the_home_page_in_plural_forms(
    client, catalog, settings, language
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for days, expected in zip(COUNTS, TERMS[language], strict=True):
        _set_term(days)
        passport = client.get("/services/temporary-export/").content.decode()
        home = client.get("/").content.decode()
        assert f"<dd>{expected}</dd>" in passport, (days, expected)
        assert f"<strong>{expected}</strong>" in home, (days, expected)


@pytest.mark.parametrize(
    ("language", "left", "late"),
    [
        (
            "ru",
            [
                "остался 1 рабочий день",
                "осталось 2 рабочих дня",
                "осталось 5 рабочих дней",
                "осталось 11 рабочих дней",
                "остался 21 рабочий день",
            ],
            [
                "просрочено на 1 рабочий день",
                "просрочено на 2 рабочих дня",
                "просрочено на 5 рабочих дней",
                "просрочено на 11 рабочих дней",
                "просрочено на 21 рабочий день",
            ],
        ),
        (
            "kk",
            [f"{n} жұмыс күні қалды" for n in COUNTS],
            [f"мерзімінен {n} жұмыс күні кешікті" for n in COUNTS],
        ),
        (
            "en",
            ["1 working day left"] + [f"{n} working days left" for n in COUNTS[1:]],
            ["overdue by 1 working day"] + [f"overdue by {n} working days" for n in COUNTS[1:]],
        ),
    ],
)
def test_working_days_left_and_overdue_in_plural_forms(
    pki, individual_client, language, left, late
):
    """The applicant's case page (``remaining_text``) at 1, 2, 5, 11 and 21 working days
    before and after the deadline."""
    from datetime import timedelta

    from qyzmet.workflow.engine import calendar_for

    application = registered(pki, individual_client)
    calendar = calendar_for(application)
    now = application.registered_at
    today = calendar.working_day_of(now)
    found_left, found_late = [], []
    with translation.override(language):
        for days in COUNTS:
            deadline_day = calendar.add_working_days(today, days)
            application.deadline_at = calendar.end_of_working_day(deadline_day)
            found_left.append(remaining_text(application, now)[0])
            after = calendar.end_of_working_day(calendar.add_working_days(deadline_day, days))
            found_late.append(remaining_text(application, after + timedelta(minutes=1))[0])
    assert found_left == left
    assert found_late == late


@pytest.mark.parametrize(
    ("count", "ru", "en"),
    [
        (1, "Исправьте 1 поле формы:", "Correct 1 form field:"),
        (2, "Исправьте 2 поля формы:", "Correct 2 form fields:"),
        (5, "Исправьте 5 полей формы:", "Correct 5 form fields:"),
        (11, "Исправьте 11 полей формы:", "Correct 11 form fields:"),
        (21, "Исправьте 21 поле формы:", "Correct 21 form fields:"),
    ],
)
def test_the_fields_to_fix_and_the_quotas_in_plural_forms(count, ru, en):
    assert control_text("errors_title", "ru", n=count) == ru
    assert control_text("errors_title", "en", n=count) == en
    assert control_text("errors_title", "kk", n=count) == f"Нысанның {count} өрісін түзетіңіз:"
    import qyzmet.cases.quotas  # noqa: F401 (registers the quota refusals)

    files = Refused("quota_attachments", {"limit": count}).message("ru")
    noun = {1: "файла", 21: "файла"}.get(count, "файлов")
    assert files == f"К заявлению можно приложить не более {count} {noun}."
    drafts = Refused("quota_open_drafts", {"limit": count}).message("ru")
    words = {
        1: "неподанное заявление (черновик)",
        2: "неподанных заявления (черновика)",
        21: "неподанное заявление (черновик)",
    }.get(count, "неподанных заявлений (черновиков)")
    assert drafts.startswith(f"У вас уже {count} {words}.")


# --- item 15: the fee on the home page ---------------------------------------------------------


def test_the_home_page_shows_each_services_fee_from_the_catalogue(client, catalog, settings):
    """The home page said "бесплатно" of every service, whatever its catalogue entry."""
    for version in ServiceVersion.objects.filter(service_code="temporary-export"):
        version.definition["fee"].update({"free": False, "amount": 3000, "currency": "KZT"})
        version.save(update_fields=["definition"])

    def fees(language: str) -> dict[str, str]:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        home = client.get("/").content.decode().replace("\xa0", " ").replace("\u202f", " ")
        found = {}
        for card in home.split('<li class="card">')[1:]:
            code = card.split('href="/services/')[1].split("/")[0]
            found[code] = card.split("<strong data-fee>")[1].split("</strong>")[0]
        return found

    assert fees("ru") == {"restoration-approval": "бесплатно", "temporary-export": "3 000,00 KZT"}
    assert fees("kk")["restoration-approval"] == "тегін"
    assert fees("en")["temporary-export"] == "KZT3,000.00"  # as the passport writes it (CLDR)
    assert "бесплатно" not in client.get("/").content.decode().split("<ul")[0]
