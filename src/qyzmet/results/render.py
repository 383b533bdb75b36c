"""The result document as a PDF: one bilingual document, Kazakh (the state language) first and
Russian second, with an embedded TrueType font, the QR code of the verification page and a
footer on every sheet (registration number, sheet i of n).

Three kinds (SERVICES.md "Result documents", regulation p.3, p.6, p.10 процесс 9):
- the certificate for temporary export (Standard No. 140 Appendix 1): holder, country,
  receiving party, purpose, period, the list of items, their photographs, sheets and photos;
- the restoration approval letter: monument, works, project documentation, contractor and
  licence, conditions, outgoing number;
- the motivated refusal (p.10 условие 3 / процесс 8): reasons with their texts and legal
  ground, the executor's explanation, how to complain (Law No. 88-V art. 25).

Everything here only reads: ``render_pdf`` returns bytes; nothing is saved.
"""

from __future__ import annotations

import functools
import io
import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, unescape

import segno
from django.utils import timezone
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from qyzmet.core.refusals import Refused

from . import conf
from . import refusals as _refusals  # noqa: F401  (registers the codes)
from .models import DocumentKind
from .typeset import EmbeddedFont, JpegPhoto, TextTable, seed_subsets

logger = logging.getLogger(__name__)

FONT = "QyzmetSans"
FONT_BOLD = "QyzmetSans-Bold"
IMAGE_TYPES = ("image/jpeg", "image/png", "image/tiff")
CITY = "Алматы қаласы / г. Алматы"

# Streams in binary: ASCII85 would make the photos and pages a quarter larger, and cost time to
# encode, for nothing (the PDF is binary anyway). This module is reportlab's only user.
rl_config.useA85 = 0

# --- fonts -----------------------------------------------------------------------------------

_registered_fonts: tuple[str, str] | None = None


def _register_fonts() -> None:
    """Register the TTF fonts once per process (parsing DejaVu costs ~30 ms, and their
    subsets are built once too: see ``typeset``); again only when the configured paths
    change."""
    global _registered_fonts
    paths = (str(conf.get("FONT_PATH")), str(conf.get("FONT_BOLD_PATH")))
    if _registered_fonts == paths:
        return
    for path in paths:
        if not Path(path).is_file():
            raise Refused("result_font_missing", {"path": path})
    pdfmetrics.registerFont(EmbeddedFont(FONT, paths[0]))
    pdfmetrics.registerFont(EmbeddedFont(FONT_BOLD, paths[1]))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)
    _registered_fonts = paths


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, bulletFontName=FONT, fontSize=9.5, leading=12.5)
    small = ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5)
    return {
        "body": base,
        "small": small,
        "city": ParagraphStyle("city", parent=small, alignment=1),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9),
        "head": ParagraphStyle("head", parent=base, fontName=FONT_BOLD, fontSize=7, leading=8.5),
        "label": ParagraphStyle("label", parent=base, fontSize=8.5, leading=11, textColor="#333"),
        "provider": ParagraphStyle(
            "provider", parent=base, fontName=FONT_BOLD, fontSize=10, leading=13, alignment=1
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=FONT_BOLD, fontSize=12.5, leading=16, alignment=1
        ),
        "section": ParagraphStyle(
            "section", parent=base, fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=6
        ),
    }


STYLES = _styles()  # names only: the fonts need not be registered yet


# --- what the document says ----------------------------------------------------------------


@dataclass(frozen=True)
class Photo:
    item_number: int
    caption: str
    image: bytes  # JPEG, already scaled down
    width: int
    height: int


def document_kind(decision) -> str:
    if decision.kind == "refusal":
        return DocumentKind.MOTIVATED_REFUSAL
    if decision.application.service_version.result_kind == "approval_letter":
        return DocumentKind.APPROVAL_LETTER
    return DocumentKind.CERTIFICATE


def result_fields(decision) -> dict[str, Any]:
    """The document's fields: the application's form, overridden by what the executor
    edited when preparing the result (``Decision.result_data``)."""
    return {**(decision.application.form_data or {}), **(decision.result_data or {})}


def _text(value: Any) -> str:
    return escape("" if value is None else str(value))


def _date(value: Any) -> str:
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    try:
        return date.fromisoformat(str(value)).strftime("%d.%m.%Y")
    except ValueError:
        return str(value or "")


def _amount(value: Any) -> str:
    if not isinstance(value, dict):
        return _text(value)
    amount = value.get("amount")
    try:
        number = f"{float(amount):,.2f}".replace(",", " ").removesuffix(".00")
    except (TypeError, ValueError):
        number = str(amount)
    return _text(f"{number} {value.get('currency', '')}".strip())


def _enum_label(schema: dict, path: tuple[str, ...], value: str) -> str:
    """'kk / ru' label of an enum value from the form schema (``x-enum-labels``)."""
    node: Any = schema
    for key in path:
        node = (node or {}).get("properties", {}).get(key)
    labels = ((node or {}).get("x-enum-labels") or {}).get(value)
    if not labels and node and "items" in node:
        labels = (node["items"].get("x-enum-labels") or {}).get(value)
    return f"{labels['kk']} / {labels['ru']}" if labels else str(value)


def _bi(kk: str, ru: str) -> str:
    return f"{kk} / {ru}"


def _legal_basis(version, role: str) -> dict | None:
    return next((b for b in version.legal_basis if b.get("role") == role), None)


def _regulation_reference(version) -> tuple[str, str]:
    basis = _legal_basis(version, "regulation")
    if basis is None:
        return "", ""
    day = _date(basis.get("date"))
    number = basis.get("number", "")
    return (
        f"{basis['issuer']['kk']} {day} № {number} «{basis['title']['kk']}» қаулысы",
        f"Постановление: {basis['issuer']['ru']} от {day} № {number} «{basis['title']['ru']}»",
    )


# --- photographs -----------------------------------------------------------------------------


def item_photos(application, items: list[dict]) -> list[Photo]:
    """The image attachments whose original names are the items' ``photo`` fields, scaled
    down. An unreadable image is skipped (and logged): the document still renders."""
    from PIL import Image as PilImage
    from PIL import UnidentifiedImageError

    wanted: dict[str, list[tuple[int, str]]] = {}
    for number, item in enumerate(items, start=1):
        if item.get("photo"):
            wanted.setdefault(str(item["photo"]), []).append((number, str(item.get("name", ""))))
    if not wanted:
        return []
    attachments = application.attachments.filter(
        original_name__in=list(wanted), content_type__in=IMAGE_TYPES
    ).order_by("uploaded_at", "id")
    limit = int(conf.get("PHOTO_MAX_PIXELS"))
    photos: list[Photo] = []
    seen: set[str] = set()
    for attachment in attachments:
        if attachment.original_name in seen:
            continue  # a photo uploaded twice: the first one counts
        seen.add(attachment.original_name)
        try:
            with attachment.file.open("rb") as handle:
                original = handle.read()
            image, size = _scaled_jpeg(PilImage.open(io.BytesIO(original)), original, limit)
        except (OSError, UnidentifiedImageError, ValueError) as error:
            logger.warning("photo %s of %s unreadable: %s", attachment.pk, application.pk, error)
            continue
        for number, name in wanted[attachment.original_name]:
            photos.append(Photo(number, name, image, *size))
    return sorted(photos, key=lambda p: p.item_number)


def _scaled_jpeg(picture, original: bytes, limit: int) -> tuple[bytes, tuple[int, int]]:
    """A JPEG of at most ``limit`` pixels a side. A JPEG that already fits goes in as it is
    (PDF embeds JPEG data unchanged); others are decoded at reduced scale and re-encoded."""
    with picture:
        if picture.format == "JPEG" and picture.mode in ("RGB", "L") and max(picture.size) <= limit:
            if not _jpeg_runs_to_its_end(original):
                raise ValueError("JPEG data cut short")  # fails here, not in the PDF
            return original, picture.size
        picture.draft("RGB", (limit, limit))
        picture.thumbnail((limit, limit))
        out = io.BytesIO()
        picture.convert("RGB").save(out, format="JPEG", quality=85)
        return out.getvalue(), picture.size


def _jpeg_runs_to_its_end(data: bytes) -> bool:
    """Whether a JPEG's image data runs to its end-of-image marker (an upload cut short does
    not). Found by walking the marker segments to the first scan and looking for FF D9 after
    it (from the end, where it is), which entropy-coded data never contains: no pixel is
    decoded (decoding a 1200-pixel photo costs ~3 ms; reportlab embeds the JPEG undecoded)."""
    position = 2  # after the start-of-image marker
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xFF:  # a fill byte before the marker
            position += 1
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if marker == 0xDA:  # start of scan: the image data follows its header
            return data.rfind(b"\xff\xd9", position + 2 + length) != -1
        position += 2 + length
    return False


# --- flowables -----------------------------------------------------------------------------


class QrCode(Flowable):
    """The QR code drawn as vector squares (sharp at any zoom, no image to embed)."""

    def __init__(self, url: str, size: float = 32 * mm) -> None:
        super().__init__()
        # A fixed mask: choosing the "best" of eight by the penalty rules costs ~4x the
        # encoding and buys nothing a phone camera notices at this size.
        self.matrix = segno.make(url, error="m", mask=0, boost_error=False).matrix
        self.width = self.height = size

    def draw(self) -> None:
        border = 2
        count = len(self.matrix) + 2 * border
        module = self.width / count
        canvas = self.canv
        canvas.setFillColor(colors.black)
        path = canvas.beginPath()
        for row_index, row in enumerate(self.matrix):
            y = self.height - (row_index + border + 1) * module
            column = 0
            while column < len(row):
                if row[column]:
                    start = column
                    while column < len(row) and row[column]:
                        column += 1
                    path.rect((start + border) * module, y, (column - start) * module, module)
                else:
                    column += 1
        canvas.drawPath(path, stroke=0, fill=1)


class SheetCount(Flowable):
    """A line that states the total number of sheets, known only when the document is
    complete: it marks its place, and the canvas writes the text there at the end."""

    def __init__(self, template: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.template = template
        self.style = style
        self.width, self.height = 0, style.leading

    def wrap(self, available_width, available_height):
        self.width = available_width
        return self.width, self.height

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 2)
        self.canv.sheet_marks.append((self.canv.getPageNumber(), x, y, self.template))


def _canvas_class(registration_number: str):
    footer_left = _bi("Тіркеу нөмірі", "Рег. номер") + f": {registration_number}"

    class NumberedCanvas(Canvas):
        """Defers the pages so that each footer can say 'sheet i of n'."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            seed_subsets(self._doc, (FONT, FONT_BOLD))
            self.sheet_marks: list[tuple[int, float, float, str]] = []
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802  (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for page in self._pages:
                self.__dict__.update(page)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            number = self.getPageNumber()
            self.setFont(FONT, 7.5)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawString(18 * mm, 10 * mm, footer_left)
            self.drawRightString(
                A4[0] - 18 * mm, 10 * mm, f"{_bi('Парақ', 'Лист')} {number} / {total}"
            )
            self.setFillColor(colors.black)
            self.setFont(FONT, 9.5)
            for page, x, y, template in self.sheet_marks:
                if page == number:
                    self.drawString(x, y, template.format(sheets=total))

    return NumberedCanvas


# --- building blocks -----------------------------------------------------------------------


def _lines(markup: str, font: str, size: float, width: float) -> str:
    """Table cell text wrapped to ``width`` as plain lines. Tables of plain strings draw
    several times faster than tables of Paragraphs, which parse markup and re-wrap on every
    layout pass; a 40-item certificate is dominated by that cost."""
    text = unescape(markup.replace("<br/>", "\n"))
    return "\n".join(
        line
        for paragraph in text.split("\n")
        for line in (simpleSplit(paragraph, font, size, width) or [""])
    )


FIELD_LABEL_WIDTH = 62 * mm
FIELD_VALUE_WIDTH = A4[0] - 36 * mm - FIELD_LABEL_WIDTH
FIELD_TABLE_STYLE = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (0, -1), 8.5),
        ("LEADING", (0, 0), (0, -1), 11),
        ("TEXTCOLOR", (0, 0), (0, -1), colors.HexColor("#333333")),
        ("FONTSIZE", (1, 0), (1, -1), 9.5),
        ("LEADING", (1, 0), (1, -1), 12.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
    ]
)


def _field_table(rows: list[tuple[str, str]], styles) -> Table:
    data = [
        [
            _lines(_text(label), FONT, 8.5, FIELD_LABEL_WIDTH - 6),
            _lines(value, FONT, 9.5, FIELD_VALUE_WIDTH - 6),
        ]
        for label, value in rows
    ]
    table = TextTable(data, colWidths=[FIELD_LABEL_WIDTH, FIELD_VALUE_WIDTH], hAlign="LEFT")
    table.setStyle(FIELD_TABLE_STYLE)
    return table


def _header(application, kind_title_kk: str, kind_title_ru: str, number_rows, styles) -> list:
    version = application.service_version
    provider = version.provider_name
    story: list = [
        Paragraph(_text(provider.kk), styles["provider"]),
        Paragraph(_text(provider.ru), styles["provider"]),
        Paragraph(CITY, styles["city"]),
        Spacer(1, 5 * mm),
        Paragraph(_text(kind_title_kk), styles["title"]),
        Paragraph(_text(kind_title_ru), styles["title"]),
        Spacer(1, 3 * mm),
        _field_table(number_rows, styles),
        Spacer(1, 2 * mm),
    ]
    return story


def _holder_rows(application) -> list[tuple[str, str]]:
    identifier_label = (
        _bi("БСН", "БИН") if application.applicant_kind == "legal_entity" else _bi("ЖСН", "ИИН")
    )
    return [
        (_bi("Көрсетілетін қызметті алушы", "Услугополучатель"), _text(application.applicant_name)),
        (identifier_label, _text(application.identifier)),
    ]


def _signature_block(application, verification_url: str, styles) -> list:
    provider = application.service_version.provider_name
    signed = Paragraph(
        "<b>"
        + _bi("Басшы", "Руководитель")
        + "</b><br/>"
        + _text(provider.kk)
        + "<br/>"
        + _text(provider.ru)
        + "<br/><br/>"
        + _text("Электрондық цифрлық қолтаңбамен қол қойылды.")
        + "<br/>"
        + _text("Подписано электронной цифровой подписью.")
        + "<br/><br/>"
        + _text("Түпнұсқалығын тексеру / Проверка подлинности:")
        + f"<br/><font size=7>{_text(verification_url)}</font>",
        styles["body"],
    )
    table = Table([[signed, QrCode(verification_url)]], colWidths=[None, 36 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return [Spacer(1, 6 * mm), KeepTogether([table])]


# --- the three documents -------------------------------------------------------------------


def _certificate_story(decision, fields: dict, styles) -> list:
    application = decision.application
    version = application.service_version
    schema = version.form_schema
    number = fields.get("number") or application.registration_number
    period = fields.get("export_period") or {}
    items = [item for item in fields.get("items") or [] if isinstance(item, dict)]
    photos = item_photos(application, items)
    name = version.result_name
    story = _header(
        application,
        name.kk,
        name.ru,
        [
            (_bi("Куәлік нөмірі", "Номер свидетельства"), _text(number)),
            (_bi("Тіркеу нөмірі", "Регистрационный номер"), _text(application.registration_number)),
            (_bi("Күні", "Дата"), _date(decision.prepared_at)),
        ],
        styles,
    )
    rows = _holder_rows(application) + [
        (_bi("Баратын елі", "Страна назначения"), _text(fields.get("country"))),
        (_bi("Қабылдаушы тарап", "Принимающая сторона"), _text(fields.get("receiving_party"))),
        (
            _bi("Әкету мақсаты", "Цель вывоза"),
            _text(_enum_label(schema, ("purpose",), fields.get("purpose", ""))),
        ),
    ]
    if fields.get("purpose_details"):
        rows.append((_bi("Іс-шара", "Мероприятие"), _text(fields["purpose_details"])))
    rows.append(
        (
            _bi("Әкету мерзімі", "Срок вывоза"),
            _text(f"{_date(period.get('from'))} — {_date(period.get('until'))}"),
        )
    )
    story += [_field_table(rows, styles), Spacer(1, 3 * mm)]
    story.append(
        Paragraph(
            _bi("Мәдени құндылықтардың тізбесі", "Перечень культурных ценностей"), styles["section"]
        )
    )
    story.append(_items_table(items, {p.item_number for p in photos}, styles))
    story.append(Spacer(1, 2 * mm))
    story.append(
        SheetCount(
            _bi("Парақтар саны", "Количество листов")
            + ": {sheets}; "
            + _bi("фотосуреттер саны", "количество фотографий")
            + f": {len(photos)}",
            styles["body"],
        )
    )
    if photos:
        story.append(
            Paragraph(_bi("Заттардың фотосуреттері", "Фотографии предметов"), styles["section"])
        )
        story.append(_photo_grid(photos, styles))
    return story


ITEM_COLUMNS = (
    ("№", "№", 7),
    ("Атауы", "Наименование", 31),
    ("Авторы", "Автор", 22),
    ("Кезеңі", "Датировка", 18),
    ("Материалы, техникасы", "Материал, техника", 23),
    ("Өлшемдері", "Размеры", 17),
    ("Түгендеу №", "Инв. №", 17),
    ("Саны", "Кол-во", 10),
    ("Сақтандыру құны", "Страховая стоимость", 20),
    ("Фото", "Фото", 9),
)


ITEM_TEXT_WIDTHS = [w * mm - 3 for *_, w in ITEM_COLUMNS]
ITEMS_TABLE_STYLE = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("LEADING", (0, 0), (-1, -1), 9),
        ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
        ("FONTSIZE", (0, 0), (-1, 0), 7),
        ("LEADING", (0, 0), (-1, 0), 8.5),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#888888")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 1.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1.5),
    ]
)


@functools.lru_cache(maxsize=2)
def _item_header(fonts: tuple[str, str] | None) -> tuple[str, ...]:
    """The items table's header cells wrapped to their columns, once per registered fonts."""
    return tuple(
        _lines(f"{kk}<br/>{ru}", FONT_BOLD, 7, width)
        for (kk, ru, _), width in zip(ITEM_COLUMNS, ITEM_TEXT_WIDTHS, strict=True)
    )


def _items_table(items: list[dict], with_photo: set[int], styles) -> Table:
    widths = ITEM_TEXT_WIDTHS
    rows = [list(_item_header(_registered_fonts))]
    for number, item in enumerate(items, start=1):
        values = [
            str(number),
            _text(item.get("name")),
            _text(item.get("author", "—")),
            _text(item.get("dating")),
            _text(item.get("material_technique")),
            _text(item.get("dimensions")),
            _text(item.get("inventory_number", "—")),
            _text(item.get("quantity")),
            _amount(item.get("insured_value")),
            _bi("иә", "да") if number in with_photo else "—",
        ]
        rows.append(
            [_lines(value, FONT, 7.5, width) for value, width in zip(values, widths, strict=True)]
        )
    table = TextTable(rows, colWidths=[w * mm for *_, w in ITEM_COLUMNS], repeatRows=1)
    table.setStyle(ITEMS_TABLE_STYLE)
    return table


def _photo_grid(photos: list[Photo], styles) -> Table:
    box_w, box_h = 55 * mm, 45 * mm
    cells = []
    for photo in photos:
        scale = min(box_w / photo.width, box_h / photo.height)
        image = JpegPhoto(photo.image, photo.width * scale, photo.height * scale)
        caption = Paragraph(f"№ {photo.item_number}. {_text(photo.caption)}", styles["small"])
        cells.append([image, caption])
    rows = [cells[i : i + 3] for i in range(0, len(cells), 3)]
    rows[-1] += [""] * (3 - len(rows[-1]))
    table = Table(rows, colWidths=[58 * mm] * 3, hAlign="LEFT")
    table.setStyle(
        TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    return table


RESTORATION_CONDITIONS = (
    (
        "Жұмыстар келісілген ғылыми-реставрациялық жобаға сәйкес авторлық және техникалық "
        "қадағалаумен жүргізіледі.",
        "Работы ведутся в соответствии с согласованной научно-реставрационной документацией "
        "при авторском и техническом надзоре.",
    ),
    (
        "Жұмыстар аяқталғаннан кейін мердігер көрсетілетін қызметті берушіге ғылыми-"
        "реставрациялық есеп ұсынады.",
        "По завершении работ подрядчик представляет услугодателю научно-реставрационный отчёт.",
    ),
)


def _approval_story(decision, fields: dict, styles) -> list:
    application = decision.application
    version = application.service_version
    schema = version.form_schema
    monument = fields.get("monument") or {}
    works = fields.get("works") or {}
    project = fields.get("project_documentation") or {}
    contractor = fields.get("contractor") or {}
    licence = contractor.get("licence") or {}
    name = version.result_name
    story = _header(
        application,
        name.kk,
        name.ru,
        [
            (
                _bi("Шығыс нөмірі", "Исходящий номер"),
                _text(fields.get("outgoing_number") or application.registration_number),
            ),
            (_bi("Тіркеу нөмірі", "Регистрационный номер"), _text(application.registration_number)),
            (_bi("Күні", "Дата"), _date(decision.prepared_at)),
        ],
        styles,
    )
    kinds = ", ".join(
        _enum_label(schema, ("works", "kinds"), kind) for kind in works.get("kinds") or []
    )
    category = _enum_label(schema, ("monument", "category"), monument.get("category", ""))
    rows = _holder_rows(application) + [
        (_bi("Ескерткіш", "Памятник"), _text(monument.get("name"))),
        (_bi("Мекенжайы", "Адрес"), _text(monument.get("address"))),
        (_bi("Санаты", "Категория"), _text(category)),
        (
            _bi("Тізімдегі жазба", "Запись в Государственном списке"),
            _text(monument.get("register_entry")),
        ),
        (_bi("Жұмыс түрлері", "Виды работ"), _text(kinds)),
        (_bi("Жұмыстардың көлемі", "Состав и объём работ"), _text(works.get("description"))),
        (
            _bi("Жұмыс мерзімі", "Сроки работ"),
            _text(f"{_date(works.get('planned_start'))} — {_date(works.get('planned_end'))}"),
        ),
        (
            _bi("Келісілген жобалау құжаттамасы", "Согласованная проектная документация"),
            _text(
                f"«{project.get('title', '')}», {project.get('developer', '')}, "
                f"{_date(project.get('date'))}"
            ),
        ),
        (
            _bi("Мердігер", "Подрядчик"),
            _text(f"{contractor.get('name', '')}, БСН/БИН {contractor.get('bin', '')}"),
        ),
        (
            _bi("Лицензия", "Лицензия"),
            _text(f"№ {licence.get('number', '')} {_date(licence.get('date'))}"),
        ),
    ]
    story += [
        Paragraph(
            _text(
                "Көрсетілетін қызметті беруші төменде көрсетілген ескерткіште ғылыми-"
                "реставрациялық жұмыстар жүргізуді келіседі."
            )
            + "<br/>"
            + _text(
                "Услугодатель согласовывает проведение научно-реставрационных работ на "
                "памятнике, указанном ниже."
            ),
            styles["body"],
        ),
        Spacer(1, 2 * mm),
        _field_table(rows, styles),
        Paragraph(_bi("Шарттар", "Условия"), styles["section"]),
    ]
    conditions = fields.get("conditions")
    if isinstance(conditions, list) and conditions:
        story += [Paragraph(f"• {_text(c)}", styles["body"]) for c in conditions]
    else:
        for kk, ru in RESTORATION_CONDITIONS:
            story.append(Paragraph(f"• {_text(kk)}<br/>&nbsp;&nbsp;{_text(ru)}", styles["body"]))
    return story


def _refusal_story(decision, fields: dict, styles) -> list:
    application = decision.application
    version = application.service_version
    reasons = version.refusal_reasons
    story = _header(
        application,
        "Мемлекеттік қызмет көрсетуден дәлелді бас тарту",
        "Мотивированный отказ в оказании государственной услуги",
        [
            (_bi("Тіркеу нөмірі", "Регистрационный номер"), _text(application.registration_number)),
            (_bi("Күні", "Дата"), _date(decision.prepared_at)),
        ],
        styles,
    )
    rows = _holder_rows(application) + [
        (
            _bi("Мемлекеттік көрсетілетін қызмет", "Государственная услуга"),
            _text(version.title("kk")) + "<br/>" + _text(version.title("ru")),
        ),
        (
            _bi("Өтініш берілген күн", "Дата подачи заявления"),
            _date(application.registered_at or application.submitted_at or application.created_at),
        ),
    ]
    story += [_field_table(rows, styles)]
    story.append(Paragraph(_bi("Бас тарту негіздері", "Основания отказа"), styles["section"]))
    for number, code in enumerate(decision.reason_codes or [], start=1):
        reason = reasons.get(code)
        if reason is None:
            story.append(Paragraph(f"{number}. [{_text(code)}]", styles["body"]))
            continue
        story.append(
            Paragraph(
                f"{number}. {_text(reason.text('kk'))}<br/>{_text(reason.text('ru'))}"
                f"<br/><font size=7.5>{_text(_bi('Негіздеме', 'Основание'))}: "
                f"{_text(reason.basis)} [{_text(code)}]</font>",
                styles["body"],
            )
        )
    if decision.explanation:
        story.append(Paragraph(_bi("Түсіндірме", "Пояснение"), styles["section"]))
        story.append(Paragraph(_text(decision.explanation).replace("\n", "<br/>"), styles["body"]))
    kk_law, ru_law = _regulation_reference(version)
    story.append(Paragraph(_bi("Құқықтық негіз", "Правовое основание"), styles["section"]))
    story.append(Paragraph(f"{_text(kk_law)}<br/>{_text(ru_law)}", styles["body"]))
    story.append(Paragraph(_bi("Шағымдану тәртібі", "Порядок обжалования"), styles["section"]))
    story.append(
        Paragraph(
            _text(
                "Шешімге көрсетілетін қызметті берушінің басшысына шағым беруге болады; шағым "
                "тіркелген күнінен бастап 5 жұмыс күні ішінде қаралады («Мемлекеттік көрсетілетін "
                "қызметтер туралы» ҚР Заңының 25-бабы)."
            )
            + "<br/>"
            + _text(
                "Решение может быть обжаловано руководителю услугодателя; жалоба рассматривается в "
                "течение 5 рабочих дней со дня регистрации (ст. 25 Закона РК «О государственных "
                "услугах»)."
            )
            + f"<br/>{_text(_bi('Бірыңғай байланыс орталығы', 'Единый контакт-центр'))}: "
            + _text(version.helpline),
            styles["body"],
        )
    )
    return story


_STORIES = {
    DocumentKind.CERTIFICATE: _certificate_story,
    DocumentKind.APPROVAL_LETTER: _approval_story,
    DocumentKind.MOTIVATED_REFUSAL: _refusal_story,
}


def render_pdf(decision, verification_url: str) -> bytes:
    """The PDF of ``decision``'s result document (not yet signed)."""
    _register_fonts()
    styles = STYLES
    application = decision.application
    kind = document_kind(decision)
    story = _STORIES[kind](decision, result_fields(decision), styles)
    story += _signature_block(application, verification_url, styles)
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"{application.registration_number} — {kind}",
        author=application.service_version.provider_name.ru,
        subject=application.service_version.title("ru"),
        creator="qyzmet",
        lang="kk",
        # Not reportlab's default Helvetica: every font of the document is embedded.
        initialFontName=FONT,
    )
    document.build(story, canvasmaker=_canvas_class(application.registration_number or ""))
    return out.getvalue()
