"""Issue 13 (the first walkthrough), what the browser journey does not cover or covers only
in Russian: the rules behind the pages — drafts per service and their deletion (audited, own
only, never a submitted case), the field errors of a half-filled form, the named lists in
kk/en, the IIN/BIN rule shared by the page's script and the server, the case page's files
(own only) and working days, the account page's password change (throttled) and
certificates, the passport's fee, the helpline setting, the legal entity's name, the desk's
sign page of a case with nothing to sign, the catalogue check of the form keywords."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from qyzmet.accounts import actions as accounts
from qyzmet.audit.models import AuditRecord
from qyzmet.cases import actions as cases
from qyzmet.cases.models import Application, Attachment, Status
from qyzmet.catalog.models import ServiceVersion
from qyzmet.catalog.schema_form import cldr_choices
from qyzmet.core.identifiers import check_digit, is_valid_identifier
from qyzmet.core.refusals import Refused
from qyzmet.testing import PORTAL_PASSWORD, signed_challenge
from qyzmet.workflow import actions as workflow

from ..queries import remaining_text
from .applying import attach_all, fill, head_signs, new_draft, registered

pytestmark = pytest.mark.django_db

IDENTIFIERS_JS = Path(__file__).resolve().parents[2] / "core" / "static" / "core" / "identifiers.js"


def page(response) -> str:
    return response.content.decode()


# --- item 10: drafts ---------------------------------------------------------------------------


def test_apply_continues_the_open_draft_of_the_same_service(individual_client):
    first = new_draft(individual_client)
    assert new_draft(individual_client) == first
    other = new_draft(individual_client, "restoration-approval")
    assert other != first
    assert Application.objects.filter(status=Status.DRAFT).count() == 2


def test_drafts_are_listed_with_service_and_last_change(individual_client):
    draft = new_draft(individual_client)
    fill(individual_client, draft, {"receiving_party": "Эрмитаж"})
    text = page(individual_client.get("/applications/"))
    row = text.split(f'data-draft="{draft.public_id}"')[1].split("</tr>")[0]
    assert "Выдача свидетельства на право временного вывоза" in row
    draft.refresh_from_db()
    assert timezone.localtime(draft.updated_at).strftime("%d.%m.%Y %H:%M") in row
    assert f"/applications/{draft.public_id}/delete/" in row


def test_deleting_a_draft_asks_then_deletes_it_with_its_files(individual_client, individual):
    draft = new_draft(individual_client)
    attach_all(individual_client, draft, "temporary-export")
    stored = [a.file.path for a in draft.attachments.all()]
    confirm = page(individual_client.get(f"/applications/{draft.public_id}/delete/"))
    assert "Восстановить его будет нельзя" in confirm and "Отмена" in confirm
    assert Application.objects.filter(pk=draft.pk).exists()  # GET deletes nothing
    response = individual_client.post(f"/applications/{draft.public_id}/delete/")
    assert response.status_code == 302 and response.url == "/applications/?deleted=1"
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not Attachment.objects.exists() and not any(Path(p).exists() for p in stored)
    record = AuditRecord.objects.get(action="cases.delete_draft")
    assert record.actor == individual and record.case_id == draft.pk
    assert record.before["service"] == "temporary-export"
    assert len(record.before["attachments"]) == 2


def test_only_the_own_draft_can_be_deleted_never_a_submitted_case(
    pki, individual_client, individual, company
):
    draft = new_draft(individual_client)
    other = Client()
    other.force_login(company)
    assert other.post(f"/applications/{draft.public_id}/delete/").status_code == 404
    with pytest.raises(Refused) as refused:
        cases.delete_draft(company, draft)
    assert refused.value.code == "not_found"
    application = registered(pki, individual_client)
    with pytest.raises(Refused) as refused:
        cases.delete_draft(individual, application)
    assert refused.value.code == "not_a_draft"
    response = individual_client.post(f"/applications/{application.public_id}/delete/")
    assert response.status_code == 302  # to the case page; nothing deleted
    assert Application.objects.filter(pk=application.pk).exists()


# --- item 1: field errors ----------------------------------------------------------------------


def test_half_filled_form_marks_each_field_and_the_review_links_them(individual_client):
    draft = new_draft(individual_client)
    fill(individual_client, draft, {"receiving_party": "Музей", "country": "KZ"})
    review = page(individual_client.get(f"/applications/{draft.public_id}/review/"))
    links = re.findall(r'href="/applications/[^"]+/edit/\?check=1#(f-[\w-]+)"', review)
    assert "f-country" in links and "f-export_period-from" in links and "f-items-0-photo" in links
    assert "f-receiving_party" not in links
    assert "Недопустимое значение." in review  # KZ: not an export
    assert "data-sign-disabled" in review
    edit = page(individual_client.get(f"/applications/{draft.public_id}/edit/?check=1"))
    summary = edit.split("data-error-summary")[1].split("</div>")[0]
    assert re.findall(r'href="#(f-[\w-]+)"', summary) == links
    assert 'id="f-country" name="country" aria-required="true" aria-invalid="true" ' in edit
    assert 'aria-describedby="f-country-error"' in edit


def test_a_ready_application_can_be_signed(individual_client):
    from qyzmet.testing import form_for

    draft = new_draft(individual_client)
    fill(individual_client, draft, form_for("temporary-export"))
    attach_all(individual_client, draft, "temporary-export")
    review = page(individual_client.get(f"/applications/{draft.public_id}/review/"))
    assert "data-sign-disabled" not in review and "data-field-errors" not in review


# --- item 9: named lists, files, IIN/BIN -------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "germany", "dollar"),
    [("kk", "Германия", "АҚШ доллары (USD)"), ("en", "Germany", "US Dollar (USD)")],
)
def test_countries_and_currencies_by_name_in_the_page_language(
    individual_client, language, germany, dollar
):
    draft = new_draft(individual_client)
    individual_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    edit = page(individual_client.get(f"/applications/{draft.public_id}/edit/"))
    assert f'<option value="DE" >{germany}</option>' in edit
    assert f'<option value="USD" >{dollar}</option>' in edit
    assert '<option value="KZ"' not in edit  # "not": {"const": "KZ"} of the schema


def test_named_lists_follow_the_alphabet_of_the_language():
    names = [name for _, name in cldr_choices("countries", "kk")]
    # Kazakh letters in their place (Ә after А), not after «Я»
    first_ae = next(i for i, n in enumerate(names) if n.startswith("Ә"))
    first_b = next(i for i, n in enumerate(names) if n.startswith("Б"))
    assert first_ae < first_b
    codes = {code for code, _ in cldr_choices("countries", "ru")}
    assert {"DE", "RU", "KZ"} <= codes and not codes & {"EU", "UN", "ZZ", "XK", "001"}
    currencies = {code for code, _ in cldr_choices("currencies", "ru")}
    assert {"KZT", "USD", "EUR", "RUB"} <= currencies and "DEM" not in currencies


def test_a_value_not_in_the_list_is_kept_for_the_server_to_judge(individual_client):
    draft = new_draft(individual_client)
    fill(individual_client, draft, {"country": "QQ", "items": [{"photo": "old-name.jpg"}]})
    edit = page(individual_client.get(f"/applications/{draft.public_id}/edit/"))
    assert '<option value="QQ" selected>QQ</option>' in edit
    assert '<option value="old-name.jpg" selected>old-name.jpg</option>' in edit


def test_the_photo_is_chosen_among_the_uploaded_photos(individual_client):
    draft = new_draft(individual_client)
    attach_all(individual_client, draft, "temporary-export")
    edit = page(individual_client.get(f"/applications/{draft.public_id}/edit/"))
    photo = edit.split('id="f-items-0-photo"')[1].split("</select>")[0]
    assert '<option value="photos.png" >photos.png</option>' in photo
    assert "purpose_document.pdf" not in photo  # only the files of the photos document


IDENTIFIER_CASES = [
    "900101300007",  # the demo applicant
    "150340000109",  # the demo contractor's BIN
    "150340000108",  # wrong check digit
    "000000000000",
    "123456789012",  # NCA's test IIN: fails the check
    "12345678901",  # 11 digits
    "1234567890123",
    "90010130000A",
    "",
    *[f"{n:011d}{d}" for n in (10000000003, 99999999999) for d in range(10)],
]


def _first_round_is_ten(eleven: str) -> bool:
    return sum(int(d) * w for d, w in zip(eleven, range(1, 12), strict=True)) % 11 == 10


# Numbers whose first weights give 10 (the second weights decide), and some where both give
# 10 (no digit is valid): every digit after each.
SECOND_ROUND = [
    f"{n:011d}" for n in range(10**10, 10**10 + 400) if _first_round_is_ten(f"{n:011d}")
]
IDENTIFIER_CASES += [eleven + str(d) for eleven in SECOND_ROUND[:6] for d in range(10)]
IDENTIFIER_CASES += [e + "0" for e in SECOND_ROUND if check_digit(e) is None][:3]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is needed (make node)")
def test_identifiers_js_agrees_with_the_server():
    """The page's check (core/static/core/identifiers.js) and core.identifiers give the
    same verdict and check digit on every case."""
    # The file is a browser script (the project's package.json makes .js ES modules): run it
    # as the page does, in a context with ``self``, and use what it defines there.
    script = (
        "const fs = require('fs'), vm = require('vm'); const context = {self: {}};"
        f"vm.runInNewContext(fs.readFileSync({json.dumps(str(IDENTIFIERS_JS))}, 'utf8'), context);"
        "const m = context.self.QyzmetIdentifiers;"
        "const cases = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify(cases.map(v => ["
        "m.isValidIdentifier(v), /^[0-9]{11}/.test(v) ? m.checkDigit(v.slice(0, 11)) : null])));"
    )
    run = subprocess.run(
        ["node", "-e", script, json.dumps(IDENTIFIER_CASES)],
        capture_output=True,
        text=True,
        check=True,
    )
    expected = [
        [is_valid_identifier(v), check_digit(v[:11]) if re.match(r"[0-9]{11}", v) else None]
        for v in IDENTIFIER_CASES
    ]
    assert json.loads(run.stdout) == expected
    assert any(e == [False, None] for e in expected)  # the "no valid digit" case is covered
    assert sum(valid for valid, _ in expected) >= 8


def test_identifier_fields_carry_their_check(company_client):
    draft = new_draft(company_client, "restoration-approval")
    edit = page(company_client.get(f"/applications/{draft.public_id}/edit/"))
    field = edit.split('id="f-contractor-bin"')[1].split(">")[0]
    assert 'data-identifier="iin-or-bin"' in field and 'inputmode="numeric"' in field
    # the script's messages: the djangojs catalogue in the page's language, loaded before it
    scripts = edit.index('<script src="/jsi18n/ru.js?v='), edit.index("core/identifiers.js")
    assert scripts[0] < scripts[1]


# --- item 11: the case page -------------------------------------------------------------------


def test_case_page_shows_the_submitted_form_and_own_files(pki, individual_client, company):
    application = registered(pki, individual_client)
    text = page(individual_client.get(f"/applications/{application.public_id}/"))
    submitted = text.split('aria-labelledby="submitted-h"')[1].split("</section>")[0]
    assert "<dt>Страна назначения</dt><dd>Россия</dd>" in submitted
    assert "<dt>Цель вывоза</dt><dd>Временное экспонирование (выставка)</dd>" in submitted
    assert "<dt>Срок вывоза / Дата вывоза</dt><dd>01.06.2026</dd>" in submitted
    assert "<td>Қазақстан теңгесі (KZT)</td>" not in submitted  # ru page
    assert "<td>казахский тенге (KZT)</td>" in submitted
    attachment = application.attachments.order_by("id").first()
    url = f"/applications/{application.public_id}/files/{attachment.pk}/"
    assert url in submitted
    response = individual_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == attachment.file.open("rb").read()
    other = Client()
    other.force_login(company)
    assert other.get(url).status_code == 404


def test_working_days_left_due_today_and_overdue(pki, individual_client):
    application = registered(pki, individual_client)
    from qyzmet.workflow.engine import calendar_for

    calendar = calendar_for(application)
    deadline = application.deadline_at
    registered_on = calendar.working_day_of(application.registered_at)
    days = calendar.working_days_between(registered_on, timezone.localtime(deadline).date())
    assert days == application.service_version.term_working_days == 10
    assert remaining_text(application, application.registered_at) == (
        "осталось 10 рабочих дней",
        False,
    )
    assert remaining_text(application, deadline - timedelta(minutes=5)) == (
        "срок истекает сегодня",
        False,
    )
    two_days_late = calendar.end_of_working_day(
        calendar.add_working_days(timezone.localtime(deadline).date(), 2)
    )
    assert remaining_text(application, two_days_late) == ("просрочено на 2 рабочих дня", True)


# --- item 13: the account page ----------------------------------------------------------------


def test_password_change_needs_the_current_one_and_is_throttled(individual, settings):
    settings.QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = 3
    client = Client()
    client.force_login(individual)
    for _ in range(3):
        response = client.post(
            "/account/",
            {"action": "password", "current_password": "wrong", "password": "Next-Pass-2027!"},
        )
        assert response.status_code == 400
        assert "Текущий пароль указан неверно." in page(response)
    response = client.post(
        "/account/",
        {"action": "password", "current_password": PORTAL_PASSWORD, "password": "Next-Pass-2027!"},
    )
    assert response.status_code == 429  # even the right one, until the window passes
    individual.refresh_from_db()
    assert individual.check_password(PORTAL_PASSWORD)
    assert AuditRecord.objects.filter(action="accounts.login_refused").count() == 3


def test_password_change_and_email_are_audited(individual):
    client = Client()
    client.force_login(individual)
    response = client.post(
        "/account/",
        {"action": "password", "current_password": PORTAL_PASSWORD, "password": "Next-Pass-2027!"},
    )
    assert response.status_code == 302 and response.url == "/account/?done=password"
    individual.refresh_from_db()
    assert individual.check_password("Next-Pass-2027!")
    assert AuditRecord.objects.filter(action="accounts.change_password").count() == 1
    assert client.get("/account/").status_code == 200  # the session survived the change
    response = client.post("/account/", {"action": "email", "email": "new@example.kz"})
    assert response.url == "/account/?done=email"
    individual.refresh_from_db()
    assert individual.email == "new@example.kz"
    bad = client.post("/account/", {"action": "email", "email": "not-an-address"})
    assert bad.status_code == 400 and "Адрес электронной почты указан неверно." in page(bad)


def test_account_lists_the_certificates_used_to_sign_in(pki, individual):
    challenge, signature = signed_challenge(pki, "abenova", purpose="log_in")
    accounts.authenticate_with_eds(challenge.public_id, signature, "127.0.0.1")
    client = Client()
    client.force_login(individual)
    text = page(client.get("/account/"))
    table = text.split("data-certificates")[1].split("</table>")[0]
    rows = table.split("<tbody>")[1].count("<tr>")
    assert rows == 1  # one certificate: signed up and logged in with it
    assert pki.person("abenova")["common_name"] in table
    assert "<td>2</td>" in table  # used twice


def test_password_page_says_created_only_right_after_sign_up(pki, catalog):
    client = Client()
    challenge, signature = signed_challenge(pki, "abenova")
    client.post("/sign-up/", {"challenge": challenge.public_id, "signature": signature})
    assert "Учётная запись создана" in page(client.get("/sign-up/password/"))
    user = Application.applicant_user.field.related_model.objects.get(username="900101300007")
    later = Client()
    later.force_login(user)  # e.g. logged in with the EDS, no password set yet
    text = page(later.get("/sign-up/password/"))
    assert "Учётная запись создана" not in text and "Задайте пароль" in text
    user = accounts.set_portal_password(user, PORTAL_PASSWORD)
    later.force_login(user)
    assert later.get("/sign-up/password/").url == "/account/"  # changed there, with the current


# --- item 15: the small ones -----------------------------------------------------------------


def test_passport_shows_the_fee_when_the_service_is_not_free(client, catalog):
    for version in ServiceVersion.objects.filter(service_code="temporary-export"):
        version.definition["fee"].update({"free": False, "amount": 3000, "currency": "KZT"})
        version.save(update_fields=["definition"])
    text = page(client.get("/services/temporary-export/"))
    assert "<dd data-fee>3\xa0000,00\xa0KZT</dd>" in text or "<dd data-fee>3 000,00 KZT</dd>" in (
        text.replace("\xa0", " ").replace("\u202f", " ")
    )
    assert "бесплатно" not in text.split("data-fee")[1].split("</dd>")[0]


def test_footer_names_the_shown_service_and_the_helpline_is_a_setting(client, catalog, settings):
    home = page(client.get("/"))
    assert "2/339" not in home.split("data-footer-basis")[1]
    service = page(client.get("/services/restoration-approval/"))
    assert "2/339" in service.split("data-footer-basis")[1]
    settings.QYZMET_HELPLINE = "8 727 000 00 00"
    assert "data-helpline>8 727 000 00 00<" in page(client.get("/"))
    # a service's page names the phone of its catalogue entry
    assert "data-helpline>1414<" in page(client.get("/services/restoration-approval/"))


def test_legal_entity_name_is_not_doubled(company_client, company):
    draft = new_draft(company_client, "restoration-approval")
    review = page(company_client.get(f"/applications/{draft.public_id}/review/"))
    assert review.count(company.organization) == 2  # the header's "signed in as" and once here
    assert f"<dd data-applicant-name>{company.organization}</dd>" in review


def test_desk_sign_page_of_a_signed_case_says_so_and_links_to_it(pki, individual_client, staff):
    head = staff["head"]
    application = registered(pki, individual_client)
    workflow.assign_executor(head, application, staff["executor"])
    workflow.record_completeness_check(staff["executor"], application, complete=True)
    workflow.prepare_decision(
        staff["executor"],
        application,
        kind="approval",
        result_data={
            "holder": "Абенова Дана",
            "holder_identifier": "900101300007",
            "country": "RU",
        },
    )
    head_signs(pki, head, application)
    desk = Client()
    desk.force_login(head)
    response = desk.get(f"/office/cases/{application.public_id}/sign/")
    text = page(response)
    assert response.status_code == 409
    assert "Дело не найдено" not in text
    assert f"Решение по делу № {application.registration_number} уже подписано" in text
    assert f'href="/office/cases/{application.public_id}/"' in text


def test_catalogue_check_names_unknown_form_keywords(tmp_path):
    from qyzmet.catalog.validation import check_directory

    source = Path(__file__).resolve().parents[4] / "catalog" / "temporary-export"
    target = tmp_path / "temporary-export"
    shutil.copytree(source, target)
    schema = json.loads((target / "form.schema.json").read_text())
    schema["properties"]["country"]["x-choices"] = "planets"
    schema["properties"]["items"]["items"]["properties"]["photo"]["x-attachment"] = "selfies"
    (target / "form.schema.json").write_text(json.dumps(schema, ensure_ascii=False))
    messages = [str(issue) for issue in check_directory(tmp_path).issues]
    assert any("x-choices" in m and "countries, currencies" in m for m in messages)
    assert any("x-attachment" in m and "'selfies' is not a document" in m for m in messages)
