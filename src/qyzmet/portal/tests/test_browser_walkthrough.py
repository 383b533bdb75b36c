"""The portal as a first walkthrough found it (issue 13), in Chromium: one applicant's journey
through the fixes a person sees — the form's errors on its fields, signing disabled until the
application is ready, countries and currencies by name, an item's photo chosen or uploaded in
its row, the IIN/BIN checked as typed, one draft per service, drafts listed and deleted, the
account page, the footer and helpline of the service shown."""

from __future__ import annotations

import re

import pytest

from qyzmet.cases.models import Application
from qyzmet.testing import PORTAL_PASSWORD

from .browser import sign_up_in_browser, start_application
from .conftest import SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_applicant_walkthrough(page, portal):
    base = portal["url"]
    sign_up_in_browser(page, portal, "abenova")

    # Footer and helpline: generic on the catalogue, the service's basis on its passport.
    page.goto(f"{base}/")
    assert "2/339" not in page.text_content("[data-footer-basis]")
    assert page.text_content("[data-helpline]") == "1414"
    page.goto(f"{base}/services/temporary-export/")
    assert "2/339" in page.text_content("[data-footer-basis]")
    assert page.text_content("[data-fee]") == "бесплатно"

    # Item 10: "Apply" twice continues the same draft.
    draft = start_application(page, portal, "temporary-export")
    again = start_application(page, portal, "temporary-export")
    assert again.pk == draft.pk

    # Item 1: review of an empty form names every field, signing is disabled.
    page.click("button[name=action][value=review]")
    page.wait_for_url(re.compile(r"/review/$"))
    links = page.locator("[data-field-errors] a")
    # every empty required field the form shows: 3 of the form, 2 dates, 8 of the first item
    assert links.count() == 13
    assert "Принимающая сторона" in links.first.text_content()
    assert page.locator("form[data-eds-form] button[type=submit]").is_disabled()
    assert page.locator("[data-sign-disabled]").count() == 1
    page.screenshot(path=str(SHOTS / "walk-review-errors.png"), full_page=True)
    links.first.click()
    page.wait_for_url(re.compile(r"/edit/\?check=1#f-receiving_party$"))
    page.wait_for_function("() => document.activeElement.id === 'f-receiving_party'")
    field = page.locator("#f-receiving_party")
    assert field.get_attribute("aria-invalid") == "true"
    message = page.text_content(f"#{field.get_attribute('aria-describedby')}")
    assert message == "Заполните это поле."
    summary = page.locator("[data-error-summary] a")
    assert summary.count() == 13
    assert summary.nth(1).get_attribute("href").startswith("#f-")

    # Item 9: countries and currencies by name; KZ (not an export) not offered.
    assert page.locator("#f-country option", has_text="Германия").get_attribute("value") == "DE"
    assert page.locator('#f-country option[value="KZ"]').count() == 0
    currency = page.locator("#f-items-0-insured_value-currency")
    assert currency.locator('option[value="USD"]').text_content() == "доллар США (USD)"
    # The item's photo: uploaded in its row, then chosen there.
    photo = page.locator("#f-items-0-photo")
    page.set_input_files("input[data-row-upload]", str(portal["files"] / "photo-1.png"))
    page.wait_for_function(
        "() => document.querySelector('#f-items-0-photo').value === 'photo-1.png'"
    )
    assert draft.attachments.get().document_code == "photos"
    page.click("[data-repeat-add]")
    assert page.locator('#f-items-1-photo option[value="photo-1.png"]').count() == 1
    page.screenshot(path=str(SHOTS / "walk-form-marked.png"), full_page=True)
    page.click("button[name=action][value=save]")
    page.wait_for_url(re.compile(r"\?saved=1$"))
    assert photo.input_value() == "photo-1.png"

    # The IIN/BIN checked as you type (x-format on the contractor's BIN).
    start_application(page, portal, "restoration-approval")
    bin_field = page.locator("#f-contractor-bin")
    bin_field.fill("150340000108")  # wrong check digit
    check = page.locator("#f-contractor-bin-check")
    assert check.is_visible() and "контрольного разряда" in check.text_content()
    assert bin_field.get_attribute("aria-invalid") == "true"
    bin_field.fill("150340000109")
    assert not check.is_visible() and bin_field.get_attribute("aria-invalid") is None

    # Item 10: drafts listed with their service and last change; one deleted.
    page.goto(f"{base}/applications/")
    rows = page.locator("[data-drafts] tbody tr")
    assert rows.count() == 2
    row = page.locator(f'[data-draft="{draft.public_id}"]')
    assert "временного вывоза" in row.text_content()
    assert re.search(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", row.text_content())
    row.locator("[data-delete-draft]").click()
    page.wait_for_url(re.compile(r"/delete/$"))
    page.click("[data-confirm-delete]")
    page.wait_for_url(re.compile(r"/applications/\?deleted=1$"))
    assert page.locator("[data-drafts] tbody tr").count() == 1
    assert not Application.objects.filter(pk=draft.pk).exists()

    # Item 13: the account page — password changed with the current one, certificates.
    page.click("text=Учётная запись")
    page.wait_for_url(re.compile(r"/account/$"))
    assert page.locator("[data-certificates] tbody tr").count() == 1
    page.fill("#current_password", "not-my-password")
    page.fill("#password", "Another-Pass-2027!")
    page.click("#password-form button[type=submit]")
    assert "Текущий пароль указан неверно" in page.text_content("#password-error")
    page.fill("#current_password", PORTAL_PASSWORD)
    page.fill("#password", "Another-Pass-2027!")
    page.click("#password-form button[type=submit]")
    page.wait_for_url(re.compile(r"/account/\?done=password$"))
    assert page.text_content("[data-done]") == "Пароль изменён."
    page.screenshot(path=str(SHOTS / "walk-account.png"), full_page=True)
    # the refused password change answered 400 (the page's own error): nothing else failed
    assert [e for e in page.errors if "status of 400" not in e] == []
