"""p.2 and appendices 1–4 on the portal's passport and the desk's service page: every
procedure, role, duration and result of appendix 1, the participants of appendix 2, the
diagrams with every task's full name — for every loaded version, in the page's language."""

import pytest
from django.test import Client
from lxml import etree, html

from qyzmet.catalog.models import ServiceVersion
from qyzmet.catalog.process import channel_process
from qyzmet.catalog.texts import norm_text, text
from qyzmet.conftest import make_user

SVG = "http://www.w3.org/2000/svg"


def svg_task_texts(svg: etree._Element) -> dict[str, str]:
    """Each task's code -> its visible words (the wrapped lines joined again)."""
    return {
        group.get("data-code"): " ".join(
            span.text for span in group.iterfind(f"{{{SVG}}}text/{{{SVG}}}tspan")
        )
        for group in svg.iterfind(f".//{{{SVG}}}g[@class='task']")
    }


def visible(procedure, language: str) -> str:
    return " ".join(filter(None, [procedure.label(language), procedure.name.text(language)]))


def assert_appendices(page: str, version: ServiceVersion, language: str) -> None:
    tree = html.fromstring(page)
    words = " ".join(tree.text_content().split())
    definition = version.definition
    assert definition["form_of_service"]["text"][language] in words
    for channel in version.channels:
        process = channel_process(definition, channel)
        # Appendix 1: a row per step of p.5 with its unit, duration (p.8) and result (p.6).
        (table,) = tree.xpath(f"//table[@data-channel='{channel}']")
        rows = table.xpath(".//tbody/tr")
        steps = [p for p in process.main if p.step is not None]
        assert [row.get("data-step") for row in rows] == [p.step.code for p in steps]
        roles = {r.code: r.name.text(language) for r in process.roles}
        for row, procedure in zip(rows, steps, strict=True):
            cells = [" ".join(td.text_content().split()) for td in row.xpath("td")]
            assert cells[1] == procedure.name.text(language)
            assert cells[2] == roles[procedure.role]
            assert cells[3] == norm_text(procedure.step, language)
            assert cells[4] == procedure.result.text(language)
        # Appendices 3–4: the diagram, every task written out in full.
        (svg,) = tree.xpath(f"//*[local-name()='svg'][@data-channel='{channel}']")
        svg = etree.fromstring(etree.tostring(svg))
        tasks = svg_task_texts(svg)
        expected = {
            p.code: visible(p, language) for p in process.procedures() if not p.is_condition
        }
        assert tasks == expected
        gateways = svg.findall(f".//{{{SVG}}}g[@class='gateway']")
        assert len(gateways) == len([p for p in process.procedures() if p.is_condition])
        assert (text(f"channel_{channel}", language)) in words
    # Appendix 2: the participants (information systems) with their abbreviations.
    for participant in definition["process"]["participants"]:
        assert " ".join(participant["name"][language].split()) in words
        if "abbreviation" in participant:
            assert participant["abbreviation"][language] in words
    assert text("legend_message_flow", language) in words


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_passport_shows_the_appendices_of_every_version(client, catalog, language):
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    versions = list(ServiceVersion.objects.all())
    assert versions
    for version in versions:
        response = client.get(f"/services/{version.service_code}/{version.version}/")
        assert response.status_code == 200
        assert_appendices(response.content.decode(), version, language)


@pytest.mark.django_db
def test_appendices_3_and_4_are_numbered_only_in_versions_with_p13(client, catalog):
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    for version in ServiceVersion.objects.all():
        page = client.get(f"/services/{version.service_code}/{version.version}/").content.decode()
        has_p13 = "handbook" in version.definition["process"]
        assert ("Приложение 3" in page) == has_p13 and ("Приложение 4" in page) == has_p13
        assert "Приложение 1" in page and "Приложение 2" in page


@pytest.mark.django_db
def test_desk_service_page_shows_the_appendices(catalog):
    user = make_user("reader", "executor")
    desk = Client()
    assert desk.get("/office/services/").status_code == 302  # log in first
    desk.force_login(user)
    desk.post("/office/i18n/setlang/", {"language": "kk", "next": "/office/"})
    listing = desk.get("/office/services/").content.decode()
    for version in ServiceVersion.objects.all():
        assert f"/office/services/{version.service_code}/{version.version}/" in listing
        response = desk.get(f"/office/services/{version.service_code}/{version.version}/")
        assert response.status_code == 200
        assert_appendices(response.content.decode(), version, "kk")
    assert desk.get("/office/services/no-such-service/").status_code == 404
    code = ServiceVersion.objects.first().service_code
    assert desk.get(f"/office/services/{code}/1999-01/").status_code == 404
