"""The desk's paper intake checks an IIN/BIN as the clerk types it, as the portal's forms do
(issue 13, item 9; the desk had no identifiers.js), and the script's messages come from the
djangojs catalogue in the page's language (item 16: /jsi18n/<lang>.js), in Debian's Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from .desk import Desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("QYZMET_SCREENSHOTS", "/tmp/qyzmet-office-shots")) / "identifiers"
BAD_CHECK_DIGIT = "900101300008"  # 900101300007 is valid


@pytest.fixture
def desk(browser, live_server, catalog, staff, demo_pki, media):
    office = Desk(browser, live_server.url, demo_pki, SHOTS)
    yield office
    office.close()
    assert office.unexpected_errors() == []


@pytest.mark.parametrize(
    ("language", "check", "digits"),
    [
        (
            "kk",
            "ЖСН/БСН бақылау разрядының тексеруінен өтпеді.",
            "12 цифр қажет.",
        ),
        ("ru", "ИИН/БИН не прошёл проверку контрольного разряда.", "Нужно 12 цифр."),
    ],
)
def test_the_intake_checks_the_identifier_as_the_clerk_types(desk, language, check, digits):
    clerk = desk.log_in("clerk")
    clerk.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": desk.url}]
    )
    clerk.goto(desk.url + "/office/register/temporary-export/")
    assert clerk.get_attribute("html", "lang") == language
    message = clerk.locator("#identifier-check")
    assert message.is_hidden()

    clerk.fill("#identifier", BAD_CHECK_DIGIT)  # typed: checked once it has 12 digits
    message.wait_for(state="visible")
    assert message.text_content() == check
    assert clerk.get_attribute("#identifier", "aria-invalid") == "true"
    desk.shot(clerk, f"intake-bad-check-digit-{language}")

    clerk.fill("#identifier", "900101300007")
    message.wait_for(state="hidden")
    assert clerk.get_attribute("#identifier", "aria-invalid") is None

    clerk.fill("#identifier", "90010")  # left half-typed: 12 digits are needed
    clerk.locator("#identifier").blur()
    message.wait_for(state="visible")
    assert message.text_content() == digits
