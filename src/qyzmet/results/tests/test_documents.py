"""Result documents laid out from their catalogue templates (issue 10): what the signed PDF
says is read back with poppler (pdftotext, pdfinfo), and its table layout is checked against
the widths of the words in it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from qyzmet.cases.models import DecisionKind
from qyzmet.results import actions, render
from qyzmet.results.document import compose
from qyzmet.results.models import OutgoingRegister, ResultDocument
from qyzmet.testing import temporary_export_form
from qyzmet.workflow import actions as flow

from .conftest import jpeg_bytes, register
from .tools import pdftotext

pytestmark = pytest.mark.django_db

CONDITIONS = "Вернуть предметы не позднее 15.10.2026; страхование «от гвоздя до гвоздя»."


def words(text: str) -> str:
    return " ".join(text.split())


def prepared(decision) -> ResultDocument:
    actions.prepare_document(decision)
    return ResultDocument.objects.get(decision=decision)


def signed_pdf(decision, demo_pki) -> bytes:
    covered = actions.prepare_document(decision)
    document = actions.finalize_document(decision, demo_pki.sign("zhumabaev", covered))
    with document.pdf.open("rb") as handle:
        return handle.read()


def pages(pdf: bytes, folder: Path) -> list[str]:
    """The text of each page (pdftotext separates pages by form feeds)."""
    return pdftotext(pdf, folder).split("\f")


def pdfinfo(pdf: bytes, folder: Path) -> str:
    path = Path(folder) / "info.pdf"
    path.write_bytes(pdf)
    answer = subprocess.run(["pdfinfo", str(path)], capture_output=True, timeout=60, check=False)
    return answer.stdout.decode("utf-8", "replace")


def decision_with_conditions(staff, service="temporary-export", form=None, photos=(), key="c1"):
    application = register(staff, service, form=form, photos=photos, key=key)
    flow.assign_executor(staff["head"], application, staff["executor"])
    flow.record_completeness_check(staff["executor"], application, complete=True)
    return flow.prepare_decision(
        staff["executor"],
        application,
        kind=DecisionKind.APPROVAL,
        result_data={
            **application.form_data,
            "holder": application.applicant_name,
            "holder_identifier": application.identifier,
            "conditions": CONDITIONS,
        },
    )


def test_special_conditions_are_in_the_signed_pdf(catalog, staff, demo_pki, tmp_path):
    decision = decision_with_conditions(staff)
    text = words(pdftotext(signed_pdf(decision, demo_pki), tmp_path))
    assert "Ерекше шарттар / Особые условия" in text
    assert words(CONDITIONS) in text


def test_refusal_reasons_read_as_their_catalogue_text_with_legal_ground(refusal, tmp_path):
    document = prepared(refusal)
    text = words(pdftotext(bytes(document.prepared_pdf), tmp_path))
    reason = refusal.application.service_version.refusal_reasons["incomplete_documents"]
    assert words(reason.text("kk")) in text and words(reason.text("ru")) in text
    assert f"Негіздеме / Основание: № 2/339, {reason.basis}" in text
    assert "incomplete_documents" not in text and "[" not in text
    # The appeal paragraph comes from the template, with the catalogue's complaint term.
    assert "5 рабочих дней" in text and "1414" in text


def test_the_country_is_printed_by_name_in_each_language(certificate_decision, tmp_path):
    text = words(pdftotext(bytes(prepared(certificate_decision).prepared_pdf), tmp_path))
    assert "Ресей / Россия" in text
    assert " RU " not in f" {text} "
    # Currencies too: by their CLDR names.
    assert "Қазақстан теңгесі" in text and "казахский тенге" in text


def test_numbers_come_from_the_outgoing_register_per_kind_and_year(
    catalog, staff, certificate_decision, refusal, tmp_path
):
    first = prepared(certificate_decision)
    year = certificate_decision.prepared_at.year
    assert first.number == f"ВВ-{year}-00001"
    assert first.number != certificate_decision.application.registration_number
    text = words(pdftotext(bytes(first.prepared_pdf), tmp_path))
    assert f"Куәлік нөмірі / Номер свидетельства {first.number}" in text
    # Preparing again keeps the number; the refusal has its own register.
    assert prepared(certificate_decision).number == first.number
    assert prepared(refusal).number == f"БТ-{year}-00001"
    second = decision_with_conditions(staff, key="c2")
    assert prepared(second).number == f"ВВ-{year}-00002"
    register_row = OutgoingRegister.objects.get(kind="certificate", year=year)
    assert (register_row.provider, register_row.last_number) == ("almaty-culture", 2)


def test_signature_block_names_signer_position_and_date_with_the_end_of_the_text(
    catalog, staff, demo_pki, tmp_path
):
    decision = decision_with_conditions(staff)
    text_pages = pages(signed_pdf(decision, demo_pki), tmp_path)
    flat = next(words(p) for p in text_pages if "Подписано электронной цифровой" in words(p))
    assert "Басшы / Руководитель" in flat  # the template's wording: no position recorded
    assert staff["head"].display_name in flat
    assert actions.signing_day().strftime("%d.%m.%Y") in flat
    # Not alone on its page: the end of the text before it is there too.
    assert words(CONDITIONS) in flat


def test_the_signature_block_is_never_parted_from_the_end_of_the_text(catalog, staff, tmp_path):
    """Conditions of growing length move the page break across the end of the document: the
    whole signature block (the head's position, name and date, and the signing wording) is
    always on one page with the last words of the text, also when it goes to the next page."""
    head = staff["head"]
    head.position_kk, head.position_ru = "Басқарма басшысы", "Руководитель управления"
    head.save(update_fields=["position_kk", "position_ru"])
    decision = decision_with_conditions(staff)
    date = actions.signing_day().strftime("%d.%m.%Y")
    moved_to_a_later_page = 0
    for sentences in range(4, 64, 3):
        conditions = " ".join(f"Условие № {n}: вернуть предмет в срок." for n in range(sentences))
        decision.result_data = {**decision.result_data, "conditions": conditions}
        decision.save(update_fields=["result_data"])
        text_pages = [words(p) for p in pages(bytes(prepared(decision).prepared_pdf), tmp_path)]
        [page] = [p for p in text_pages if "Подписано электронной цифровой" in p]
        assert "Басқарма басшысы / Руководитель управления" in page, sentences
        assert head.display_name in page and date in page, sentences
        assert f"Условие № {sentences - 1}: вернуть предмет в срок." in page, sentences
        moved_to_a_later_page += text_pages.index(page) > 0
    assert moved_to_a_later_page  # the break did fall before the end of the text


def test_the_preview_is_a_draft_and_the_document_to_sign_is_not(certificate_decision, tmp_path):
    document = prepared(certificate_decision)
    preview = words(pdftotext(actions.preview_pdf(document), tmp_path))
    assert "ЖОБА / ПРОЕКТ" in preview
    assert "Подписано" not in preview and "қол қойылды" not in preview
    assert "Проект, не подписан" in preview
    to_sign = words(pdftotext(bytes(document.prepared_pdf), tmp_path))
    assert "ПРОЕКТ" not in to_sign and "Подписано электронной цифровой подписью" in to_sign


def test_the_office_shows_the_head_the_draft(certificate_decision, client, staff, tmp_path):
    from qyzmet.office.queries import result_pdf

    preview = words(pdftotext(result_pdf(certificate_decision), tmp_path))
    assert "ЖОБА / ПРОЕКТ" in preview


def test_pdf_title_is_in_the_documents_languages(certificate_decision, tmp_path):
    document = prepared(certificate_decision)
    info = pdfinfo(bytes(document.prepared_pdf), tmp_path)
    title = next(line for line in info.splitlines() if line.startswith("Title:"))
    assert "Мәдени құндылықтарды уақытша әкету құқығына куәлік" in title
    assert "Свидетельство на право временного вывоза культурных ценностей" in title
    assert document.number in title
    assert "certificate" not in title


def test_no_table_column_is_narrower_than_its_words(catalog, staff):
    form = temporary_export_form(items=3)
    form["items"][0]["material_technique"] = "холст, масло, сусальное золото, темпера"
    form["items"][1]["inventory_number"] = "КП-0000123456/Ж"
    decision = decision_with_conditions(staff, form=form)
    document = compose(decision, number="ВВ-1")
    table = next(b for b in document.blocks if b.type == "table")
    widths = render.column_widths(table.headers, table.cells, table.widths)
    assert sum(widths) <= render.PAGE_WIDTH + 0.01
    for column, width in enumerate(widths):
        room = width - 2 * render.CELL_PADDING
        for word in table.headers[column].split():
            assert pdfmetrics.stringWidth(word, render.FONT_BOLD, render.HEAD_SIZE) <= room, word
        for row in table.cells:
            for word in row[column].split():
                assert pdfmetrics.stringWidth(word, render.FONT, render.CELL_SIZE) <= room, word


def test_table_words_are_whole_in_the_pdf(catalog, staff, tmp_path):
    form = temporary_export_form(items=2)
    form["items"][0]["material_technique"] = "холст, масло, сусальное золото, темпера"
    decision = decision_with_conditions(staff, form=form)
    text = pdftotext(bytes(prepared(decision).prepared_pdf), tmp_path)
    found = set(text.split())
    for word in ("Өлшемдері", "Кол-во", "Сақтандыру", "стоимость", "Түгендеу", "сусальное"):
        assert word in found, word


def test_photos_are_laid_out_from_the_template(catalog, staff, tmp_path):
    decision = decision_with_conditions(
        staff, form=temporary_export_form(items=2), photos=[("photo-2.jpg", jpeg_bytes())]
    )
    text = words(pdftotext(bytes(prepared(decision).prepared_pdf), tmp_path))
    assert "Заттардың фотосуреттері / Фотографии предметов" in text
    assert "№ 2. Ковёр ворсовый «Қызыл гүл» №2" in text
    assert "количество фотографий: 1" in text


def test_after_photos_the_signature_keeps_the_last_row_of_photos(
    certificate_decision, demo_pki, tmp_path
):
    text_pages = [words(p) for p in pages(signed_pdf(certificate_decision, demo_pki), tmp_path)]
    signature_page = next(p for p in text_pages if "Басшы / Руководитель" in p)
    assert "№ 3. Ковёр ворсовый «Қызыл гүл» №3" in signature_page
