"""The passport's appendix diagrams in Debian's Chromium: drawn, every task's full name
written out, no console errors, in ru and kk; at 360 px the diagram scrolls in its own box
and the page does not; printed, the diagram fits the page width."""

from __future__ import annotations

import pytest

from qyzmet.catalog.models import ServiceVersion
from qyzmet.catalog.process import channel_process

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGE_BUTTON = {"ru": "Рус", "kk": "Қаз"}


def task_words(page, channel: str) -> dict[str, str]:
    return page.evaluate(
        """channel => Object.fromEntries(
            [...document.querySelectorAll(`svg[data-channel="${channel}"] g.task`)].map(g => [
                g.dataset.code,
                [...g.querySelectorAll('text tspan')].map(t => t.textContent).join(' '),
            ]))""",
        channel,
    )


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_passport_diagrams_render_with_every_task(browser, live_server, catalog, language):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{live_server.url}/")
    page.click(f"form.lang button:text-is('{LANGUAGE_BUTTON[language]}')")
    page.wait_for_selector(f"html[lang={language}]")
    versions = list(ServiceVersion.objects.all())
    assert versions
    for version in versions:
        page.goto(f"{live_server.url}/services/{version.service_code}/{version.version}/")
        for channel in version.channels:
            process = channel_process(version.definition, channel)
            svg = page.locator(f"svg[data-channel='{channel}']")
            svg.scroll_into_view_if_needed()
            box = svg.bounding_box()
            assert box and box["width"] > 300 and box["height"] > 300
            expected = {
                p.code: " ".join(filter(None, [p.label(language), p.name.text(language)]))
                for p in process.procedures()
                if not p.is_condition
            }
            assert task_words(page, channel) == expected
            # Every task is drawn: a visible box with its words inside the diagram.
            for code in expected:
                task = page.locator(f"svg[data-channel='{channel}'] g.task[data-code='{code}']")
                task_box = task.bounding_box()
                assert task_box and task_box["width"] > 100, code
    assert problems == []
    context.close()


def test_diagram_scrolls_in_its_box_at_360_px_and_prints_within_the_page(
    browser, live_server, catalog
):
    version = ServiceVersion.objects.order_by("effective_from").last()
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/services/{version.service_code}/{version.version}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for channel in version.channels:
        scroller = page.locator(f"#appendix-{channel} .diagram-scroll")
        sizes = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert sizes[0] > sizes[1]  # the diagram is wider than its box and scrolls there
        scroller.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        assert scroller.evaluate("e => e.scrollLeft") > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    for channel in version.channels:
        box = page.locator(f"svg[data-channel='{channel}']").bounding_box()
        assert box and box["width"] <= 794
    context.close()
