"""The three result documents as PDF (SERVICES.md "Result documents"; regulation p.3, p.6,
p.10 процесс 8–9): one bilingual document, Kazakh first then Russian, embedded font with the
Kazakh letters, the items and their photos, the refusal reasons, the verification QR link."""

import hashlib

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from qyzmet.core.pdf_fonts import font_paths
from qyzmet.core.refusals import Refused
from qyzmet.results import actions, queries
from qyzmet.results.models import DocumentState, ResultDocument

from .tools import pdffonts, pdfimages_count, pdftotext

pytestmark = pytest.mark.django_db

KAZAKH_LETTERS = "ӘҒҚҢӨҰҮҺІәғқңөұүһі"


def prepared_text(decision, tmp_path) -> tuple[ResultDocument, str]:
    actions.prepare_document(decision)
    document = ResultDocument.objects.get(decision=decision)
    # Words, whitespace collapsed: table cells wrap lines anywhere.
    return document, " ".join(pdftotext(bytes(document.prepared_pdf), tmp_path).split())


def test_the_font_covers_cyrillic_and_every_kazakh_letter():
    for path in font_paths():
        cmap = TTFont("check", str(path)).face.charToGlyph
        missing = [c for c in KAZAKH_LETTERS + "АБВЁЖЯабвёжя" if ord(c) not in cmap]
        assert missing == [], path


def test_certificate_lists_the_items_with_their_photos(certificate_decision, tmp_path):
    document, text = prepared_text(certificate_decision, tmp_path)
    application = certificate_decision.application
    assert document.kind == "certificate"
    assert document.state == DocumentState.PREPARED
    assert application.registration_number in text
    # Kazakh (the state language) first, then Russian.
    assert text.index("Мәдени құндылықтарды уақытша әкету құқығына куәлік") < text.index(
        "Свидетельство на право временного вывоза"
    )
    for item in application.form_data["items"]:
        assert item["inventory_number"] in text
    assert "Қызыл гүл" in text
    assert "Абенова Дана Ерлановна" in text
    assert "Государственный Эрмитаж" in text
    assert "01.06.2026 — 30.09.2026" in text
    assert "Уақытша экспозициялау (көрме)" in text
    # Two of the three items have a photo attached under the name in their 'photo' field.
    assert "количество фотографий: 2" in text
    assert "Количество листов: " in text
    assert pdfimages_count(bytes(document.prepared_pdf), tmp_path) == 2


def test_letter_names_the_monument_contractor_and_conditions(letter_decision, tmp_path):
    document, text = prepared_text(letter_decision, tmp_path)
    form = letter_decision.application.form_data
    assert document.kind == "approval_letter"
    assert letter_decision.application.registration_number in text
    assert "Жергілікті маңызы бар тарих және мәдениет ескерткішінде" in text
    assert "Кабанбай батыра, 93" in text
    assert form["contractor"]["licence"]["number"] in text
    assert "ТОО «Реставратор»" in text
    assert "авторском и техническом надзоре" in text
    assert "Шарттар / Условия" in text


def test_refusal_gives_reasons_explanation_legal_ground_and_appeal(refusal, tmp_path):
    document, text = prepared_text(refusal, tmp_path)
    reason = refusal.application.service_version.refusal_reasons["incomplete_documents"]
    assert document.kind == "motivated_refusal"
    assert refusal.application.registration_number in text
    flat = text
    assert reason.text("kk") in flat
    assert reason.text("ru") in flat
    assert "Не представлены цветные фотографии предметов №2 и №3." in flat
    assert "№ 2/339" in flat
    assert "5 рабочих дней" in flat
    assert flat.index("Мемлекеттік қызмет көрсетуден дәлелді бас тарту") < flat.index(
        "Мотивированный отказ"
    )


def test_every_document_embeds_its_font_and_links_its_verification_page(
    certificate_decision, tmp_path
):
    document, text = prepared_text(certificate_decision, tmp_path)
    url = queries.verification_url(document)
    assert url.startswith("https://qyzmet.example.kz/results/verify/")
    assert url.endswith(f"/{document.token}/")
    assert url in text
    fonts = pdffonts(bytes(document.prepared_pdf), tmp_path)
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert {row[0].split("+")[-1] for row in rows} == {"DejaVuSans", "DejaVuSans-Bold"}
    assert all(row[-5:-3] == ["yes", "yes"] for row in rows)  # embedded, subset


def test_tokens_are_long_and_different(catalog, staff, certificate_decision, letter_decision):
    actions.prepare_document(certificate_decision)
    actions.prepare_document(letter_decision)
    tokens = list(ResultDocument.objects.values_list("token", flat=True))
    assert len(set(tokens)) == 2
    assert all(len(token) >= 32 for token in tokens)


def test_preparing_again_keeps_the_link_and_replaces_the_pdf(certificate_decision):
    first = actions.prepare_document(certificate_decision)
    token = ResultDocument.objects.get(decision=certificate_decision).token
    second = actions.prepare_document(certificate_decision)
    document = ResultDocument.objects.get(decision=certificate_decision)
    assert document.token == token
    assert second != first  # fresh signature dictionary (/M) and placeholder
    assert ResultDocument.objects.count() == 1


def test_missing_font_is_a_refusal_and_changes_nothing(certificate_decision, settings, tmp_path):
    from qyzmet.results import render

    settings.QYZMET_RESULTS_FONT_PATH = tmp_path / "no-such-font.ttf"
    render._registered_fonts = None
    # The workflow prepared the document when the decision was made; a re-render that fails
    # leaves what exists as it was.
    before = list(ResultDocument.objects.values_list("id", "covered_sha256"))
    with pytest.raises(Refused) as refused:
        actions.prepare_document(certificate_decision)
    assert refused.value.code == "result_font_missing"
    assert list(ResultDocument.objects.values_list("id", "covered_sha256")) == before
    render._registered_fonts = None


def test_a_broken_photo_is_left_out_not_a_crash(catalog, staff, tmp_path):
    from qyzmet.testing import temporary_export_form

    from .conftest import approval_decision, jpeg_bytes

    good = jpeg_bytes()
    broken = good[:200]  # a JPEG header and nothing else: passes the type check, cannot decode
    cut_short = good[: len(good) // 2]  # an upload cut in the middle of the image data
    decision = approval_decision(
        staff,
        "temporary-export",
        form=temporary_export_form(items=3),
        photos=[("photo-1.jpg", good), ("photo-2.jpg", broken), ("photo-3.jpg", cut_short)],
    )
    document, text = prepared_text(decision, tmp_path)
    assert "количество фотографий: 1" in text
    assert pdfimages_count(bytes(document.prepared_pdf), tmp_path) == 1


def test_letters_beyond_russian_and_kazakh_are_embedded_too(certificate_decision, tmp_path):
    # Each document's font subset starts with a fixed alphabet (so that it is built once per
    # process); letters outside it still get their glyphs.
    application = certificate_decision.application
    application.applicant_name = "Müller-Łukasiewicz Zoë Ångström / Әбенова Дана"
    application.save(update_fields=["applicant_name"])
    _, text = prepared_text(certificate_decision, tmp_path)
    assert "Müller-Łukasiewicz Zoë Ångström / Әбенова Дана" in text


def test_the_prepared_digest_is_the_sha256_of_the_covered_bytes(certificate_decision):
    from qyzmet.results import pades

    covered = actions.prepare_document(certificate_decision)
    document = ResultDocument.objects.get(decision=certificate_decision)
    assert document.covered_sha256 == hashlib.sha256(covered).hexdigest()
    prepared = pades.PreparedPdf(
        bytes(document.prepared_pdf), document.region_start, document.region_end
    )
    assert prepared.covered == covered
