"""The office desk as the browser tests drive it, shared by the office's own route and the
portal's route through the desk: one browser context per staff member at 1366×768, log-in
with the demo password, and the head's, the executor's and the signing steps on the case
pages. The head signs in the page with the demo head's key file."""

from __future__ import annotations

from pathlib import Path

from qyzmet.testing import DEMO_STAFF_PASSWORD

from .conftest import HEAD_KEY

TIMEOUT_MS = 20_000


class Desk:
    """The office on a live server: one browser context per person, the head's key file,
    the screenshots' folder (and a prefix for their names), and every page's script errors."""

    def __init__(self, browser, url: str, demo_pki, shots: Path, *, files=None, prefix=""):
        self.browser, self.url, self.files = browser, url, files
        self.key_file = demo_pki.p12_path(HEAD_KEY)
        self.auth_key_file = demo_pki.p12_path(HEAD_KEY, "auth")
        self.key_password = demo_pki.person(HEAD_KEY)["password"]
        self.shots, self.prefix = shots, prefix
        self.contexts = []
        self.errors: list[str] = []

    def log_in(self, username: str):
        context = self.browser.new_context(viewport={"width": 1366, "height": 768}, locale="ru-RU")
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.goto(self.url + "/office/log-in/")
        page.fill("#username", username)
        page.fill("#password", DEMO_STAFF_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(self.url + "/office/")
        return page

    def shot(self, page, name: str) -> None:
        self.shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(self.shots / f"{self.prefix}{name}.png"), full_page=False)

    def unexpected_errors(self) -> list[str]:
        """Script errors and missing resources on the desk's pages. Refusals answer 400 by
        design (the page shows the reason); Chromium logs those as failed loads."""
        return [e for e in self.errors if "status of 400" not in e]

    def close(self):
        for context in self.contexts:
            context.close()


def case_url(desk, application) -> str:
    return f"{desk.url}/office/cases/{application.public_id}/"


def assign(desk, head, application):
    head.goto(desk.url + "/office/")
    head.click(f"text={application.registration_number}")
    desk.shot(head, "05-case-head-assign")
    head.select_option("#executor", label="Ким Денис")
    head.click("button:text-is('Назначить')")
    head.wait_for_selector("[data-executor]")


def check_and_prepare(desk, executor, application, *, refuse_at_check: bool = False):
    executor.goto(desk.url + "/office/")
    desk.shot(executor, "06-inbox-executor")
    executor.click(f"text={application.registration_number}")
    if refuse_at_check:
        executor.check('input[name="reasons"][value="incomplete_documents"]')
        executor.fill("#check-expl", "Не представлены цветные фотографии предметов.")
        executor.click("button:text-is('Отказать (мотивированный отказ)')")
        executor.wait_for_selector('[data-status="signing"]')
        return
    desk.shot(executor, "07-case-executor-check")
    executor.click("button:text-is('Пакет полный — принять')")
    executor.wait_for_selector('[data-status="preparing"]')
    executor.click('a[href$="/prepare/"]')
    desk.shot(executor, "08-prepare")
    executor.fill("#conditions", "Вернуть культурные ценности не позднее срока вывоза.")
    executor.click("button:text-is('Направить руководителю')")
    executor.wait_for_selector('[data-status="signing"]')


def sign(desk, head, application, *, password: str | None = None, key_file=None):
    """The head opens the signing page, chooses the key file (the signing one unless another
    is given), types its password and signs; the caller waits for the answer it expects."""
    head.goto(case_url(desk, application))
    head.click("a:text-is('Открыть страницу подписания')")
    head.set_input_files("#key-file", str(key_file or desk.key_file))
    head.fill("#key-password", password or desk.key_password)
    desk.shot(head, "09-sign")
    head.click("form[data-eds-sign] button[type=submit]")
