"""The desk as people see it, in Debian's Chromium (issue 13, items 4, 7, 15 and axe-core):
every desk page — logged out, the clerk's, the executor's and the head's, a case in each state,
the receipts, the dashboard and its lists, the regulations, the error pages — at 360 px has no
horizontal page scroll and a usable header ("Выход" on the screen), and axe-core finds no
serious or critical violation at 1366 and at 360 px. The header names qyzmet and the provider
(not «Е-лицензирование»), table words do not break inside, and the error pages are the desk's
own, in the page's language, with the helpline."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from qyzmet.cases import actions as cases
from qyzmet.testing import DEMO_STAFF_PASSWORD, MANUAL_REASON, build_case, documents_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[4] / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(os.environ.get("QYZMET_SCREENSHOTS", "/tmp/qyzmet-office-shots")) / "layout"
WIDTHS = (1366, 360)

# What a page must not do at a width: scroll sideways, push the log-out off the screen.
LAYOUT = """() => {
  const width = window.innerWidth;
  const out = document.querySelector('.mainnav form[action$="/log-out/"] button');
  const box = out ? out.getBoundingClientRect() : null;
  const cells = [...document.querySelectorAll('.grid th, .grid td')];
  const broken = cells.filter(c => {
    const style = getComputedStyle(c);
    return style.overflowWrap === 'anywhere' || style.wordBreak === 'break-all'
      || style.hyphens === 'auto';
  }).length;
  return {
    scroll: document.scrollingElement.scrollWidth, width,
    logout: box ? [box.left, box.right, box.height] : null,
    brand: (document.querySelector('.brand') || {}).textContent || '',
    broken,
  };
}"""


def _cases(staff, sign_as_head):
    """A case at every step and in every end state, through the real actions."""
    from qyzmet.workflow import actions as flow

    # The open task each case waits at, and the builder's trait that leaves it there.
    traits = {"assign": "registered", "check": "assigned", "prepare": "checked", "sign": "prepared"}
    made = {step: build_case(staff, trait) for step, trait in traits.items()}
    signed = build_case(staff, "prepared", service="restoration-approval")
    sign_as_head(staff["head"], signed, flow.current_decision(signed))
    made["signed"] = signed
    made["refused_at_intake"] = cases.refuse_paper_intake(
        staff["clerk"],
        service_code="temporary-export",
        applicant=cases.ApplicantInput(
            kind="individual",
            name="Абенова Дана Ерлановна",
            iin="900101300007",
            manual=True,
            manual_reason=MANUAL_REASON,
        ),
        paper_documents=documents_for("temporary-export", "office")[:1],
        idempotency_key="layout-refusal",
    )
    return made


def _log_in(context, url: str, username: str):
    page = context.new_page()
    page.goto(url + "/office/log-in/")
    page.fill("#username", username)
    page.fill("#password", DEMO_STAFF_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(url + "/office/")
    return page


def _axe_serious(page) -> list:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_every_desk_page_fits_360px_and_passes_axe(
    browser, live_server, catalog, staff, demo_pki, media, sign_as_head
):
    url = live_server.url
    # In a thread of its own: signing runs asyncio (pyHanko), Playwright's loop runs here.
    with ThreadPoolExecutor(1) as pool:
        made = pool.submit(_cases, staff, sign_as_head).result()
    build_case(staff, service="restoration-approval")
    case = lambda key, tail="": f"/office/cases/{made[key].public_id}/{tail}"  # noqa: E731
    pages = {
        "clerk": [
            "/office/",
            "/office/?q=CULT",
            "/office/register/",
            "/office/register/temporary-export/",
            "/office/register/restoration-approval/",
            case("assign"),
            case("assign", "receipt/"),
            case("refused_at_intake"),
            case("refused_at_intake", "receipt/"),
            case("signed"),
            case("signed", "result/"),
            "/office/services/",
            "/office/services/temporary-export/",
        ],
        "executor": ["/office/", case("check"), case("prepare"), case("prepare", "prepare/")],
        "head": [
            "/office/",
            "/office/?step=assign",
            case("assign"),
            case("sign"),
            case("sign", "sign/"),
            case("signed", "result/revoke/"),
            "/office/dashboard/",
            "/office/dashboard/tasks/",
            "/office/dashboard/tasks/?when=overdue&step=assign",
            "/office/cases/00000000-0000-0000-0000-000000000000/",  # 404 in the desk's frame
            case("assign", "assign/"),  # GET on a POST-only address: 405 in the desk's frame
        ],
    }
    problems = []
    for width in WIDTHS:
        context = browser.new_context(
            viewport={"width": width, "height": 740 if width == 360 else 768},
            locale="ru-RU",
            bypass_csp=True,  # axe is injected as a script
        )
        context.set_default_timeout(20_000)
        logged_out = context.new_page()
        checked = [(logged_out, "/office/log-in/")]
        for username, paths in pages.items():
            page = _log_in(context, url, username)
            checked += [(page, path) for path in paths]
            for page_, path in checked:
                if page_ is not page and page_ is not logged_out:
                    continue
                try:
                    page_.goto(url + path)
                except PlaywrightError as error:  # e.g. an error status with an empty body
                    problems.append((username, width, path, "no page", str(error)[:80]))
                    continue
                seen = page_.evaluate(LAYOUT)
                if width == 360 and seen["scroll"] > seen["width"]:
                    problems.append((username, width, path, "scrolls to", seen["scroll"]))
                if page_ is page and (
                    seen["logout"] is None
                    or seen["logout"][0] < 0
                    or seen["logout"][1] > seen["width"]
                    or seen["logout"][2] > 60
                ):
                    problems.append((username, width, path, "log-out", seen["logout"]))
                if "Е-лицензирование" in seen["brand"] or "qyzmet" not in seen["brand"]:
                    problems.append((username, width, path, "brand", seen["brand"].split()))
                if seen["broken"]:
                    problems.append((username, width, path, "cells break words", seen["broken"]))
                serious = _axe_serious(page_)
                if serious:
                    problems.append((username, width, path, "axe", serious))
                if width == 360:
                    SHOTS.mkdir(parents=True, exist_ok=True)
                    name = path.strip("/").replace("/", "_").replace("?", "_") or "root"
                    page_.screenshot(path=str(SHOTS / f"{username}-{name[-60:]}.png"))
            checked = []
            page.close()
        context.close()
    assert problems == [], "\n".join(map(repr, problems))
