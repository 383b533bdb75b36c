"""The result document as a PDF: the layout of any composed document (``document.compose``
fills the service's catalogue template), in the template's languages — Kazakh (the state
language) first — with an embedded TrueType font, the QR code of the verification page, a
footer on every sheet (registration number, sheet i of n) and, on an unsigned preview, the
mark "ЖОБА / ПРОЕКТ" on every sheet.

Everything here only reads: ``render_pdf`` returns bytes; nothing is saved.
"""

from __future__ import annotations

import io
import logging
from typing import Any
from xml.sax.saxutils import escape

import segno
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

from qyzmet.core.pdf_fonts import FONT, FONT_BOLD, register_fonts

from . import refusals as _refusals  # noqa: F401  (registers the codes)
from .document import Block, Document, Photo, compose
from .typeset import EmbeddedFont, JpegPhoto, TextTable, seed_subsets

logger = logging.getLogger(__name__)

# Streams in binary: ASCII85 would make the photos and pages a quarter larger, and cost time to
# encode, for nothing (the PDF is binary anyway). This module is reportlab's only user.
rl_config.useA85 = 0

# --- fonts: qyzmet.core.pdf_fonts, with the subset-caching font of ``typeset`` ---------------


def _register_fonts() -> None:
    register_fonts(EmbeddedFont)


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


def _canvas_class(document: Document):
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
            left, right = document.footer(number, total)
            self.setFont(FONT, 7.5)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawString(18 * mm, 10 * mm, left)
            self.drawRightString(A4[0] - 18 * mm, 10 * mm, right)
            if document.draft:
                self.saveState()
                self.setFillColor(colors.HexColor("#a4161a"))
                self.setFont(FONT_BOLD, 11)
                self.drawCentredString(A4[0] / 2, A4[1] - 10 * mm, document.draft_mark)
                self.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.18))
                self.setFont(FONT_BOLD, 64)
                self.translate(A4[0] / 2, A4[1] / 2)
                self.rotate(45)
                self.drawCentredString(0, 0, document.draft_mark)
                self.restoreState()
            self.setFillColor(colors.black)
            self.setFont(FONT, 9.5)
            for page, x, y, template in self.sheet_marks:
                if page == number:
                    self.drawString(x, y, template.format(sheets=total))

    return NumberedCanvas


# --- building blocks -----------------------------------------------------------------------


def _lines(text: str, font: str, size: float, width: float) -> str:
    """Table cell text wrapped to ``width`` as plain lines. Tables of plain strings draw
    several times faster than tables of Paragraphs, which parse markup and re-wrap on every
    layout pass; a 40-item certificate is dominated by that cost."""
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


def _field_table(rows, styles) -> Table:
    data = [
        [
            _lines(row.label, FONT, 8.5, FIELD_LABEL_WIDTH - 6),
            _lines(row.value, FONT, 9.5, FIELD_VALUE_WIDTH - 6),
        ]
        for row in rows
    ]
    table = TextTable(data, colWidths=[FIELD_LABEL_WIDTH, FIELD_VALUE_WIDTH], hAlign="LEFT")
    table.setStyle(FIELD_TABLE_STYLE)
    return table


def _text(value: Any) -> str:
    return escape("" if value is None else str(value)).replace("\n", "<br/>")


# --- tables of arrays ------------------------------------------------------------------------

HEAD_SIZE, CELL_SIZE, CELL_PADDING = 7.0, 7.5, 1.5
PAGE_WIDTH = A4[0] - 36 * mm


def _widest_word(text: str, font: str, size: float, known: dict[str, float]) -> float:
    widest = 0.0
    for word in text.split():
        width = known.get(word)
        if width is None:
            width = known[word] = pdfmetrics.stringWidth(word, font, size)
        widest = max(widest, width)
    return widest


def column_widths(
    headers: list[str], cells: list[list[str]], widths_mm: list[float]
) -> list[float]:
    """Column widths in points: the template's, except that no column is narrower than its
    widest word (header or cell) — so that no header overlaps its neighbour and no word is
    broken — the width being taken from the columns that have room to spare."""
    padding = 2 * CELL_PADDING + 0.5
    bold: dict[str, float] = {}
    regular: dict[str, float] = {}  # a word is measured once per table
    need = [_widest_word(header, FONT_BOLD, HEAD_SIZE, bold) + padding for header in headers]
    for row in cells:
        for index, value in enumerate(row):
            need[index] = max(need[index], _widest_word(value, FONT, CELL_SIZE, regular) + padding)
    widths = [w * mm for w in widths_mm]
    deficit = sum(max(0.0, n - w) for n, w in zip(need, widths, strict=True))
    if deficit <= 0:
        return widths
    widths = [max(n, w) for n, w in zip(need, widths, strict=True)]
    spare = [w - n for n, w in zip(need, widths, strict=True)]
    total_spare = sum(spare)
    if total_spare <= 0:
        return widths  # the words are wider than the page: the table is as narrow as it gets
    take = min(1.0, deficit / total_spare)
    return [w - s * take for w, s in zip(widths, spare, strict=True)]


ITEMS_TABLE_STYLE = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("LEADING", (0, 0), (-1, -1), 9),
        ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
        ("FONTSIZE", (0, 0), (-1, 0), HEAD_SIZE),
        ("LEADING", (0, 0), (-1, 0), 8.5),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#888888")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
)


def _array_table(block: Block) -> Table:
    widths = column_widths(block.headers, block.cells, block.widths)
    text_widths = [w - 2 * CELL_PADDING for w in widths]
    rows = [
        [
            _lines(header, FONT_BOLD, HEAD_SIZE, width)
            for header, width in zip(block.headers, text_widths, strict=True)
        ]
    ]
    wrapped: dict[tuple[str, float], str] = {}  # a cell repeated in the table is wrapped once
    for row in block.cells:
        line = []
        for value, width in zip(row, text_widths, strict=True):
            text = wrapped.get((value, width))
            if text is None:
                text = wrapped[(value, width)] = _lines(value, FONT, CELL_SIZE, width)
            line.append(text)
        rows.append(line)
    table = TextTable(rows, colWidths=widths, repeatRows=1)
    table.setStyle(ITEMS_TABLE_STYLE)
    return table


def _photo_grid(photos: list[Photo], styles) -> list[Table]:
    """The photographs three a row, each row a table of its own (so that the last row can
    stay on the page with the signature)."""
    box_w, box_h = 55 * mm, 45 * mm
    cells = []
    for photo in photos:
        scale = min(box_w / photo.width, box_h / photo.height)
        image = JpegPhoto(photo.image, photo.width * scale, photo.height * scale)
        caption = Paragraph(f"№ {photo.item_number}. {_text(photo.caption)}", styles["small"])
        cells.append([image, caption])
    tables = []
    for start in range(0, len(cells), 3):
        row = cells[start : start + 3]
        row += [""] * (3 - len(row))
        table = Table([row], colWidths=[58 * mm] * 3, hAlign="LEFT")
        table.setStyle(PHOTO_ROW_STYLE)
        tables.append(table)
    return tables


PHOTO_ROW_STYLE = TableStyle(
    [("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "TOP")]
)


# --- the document ----------------------------------------------------------------------------


def _signature_block(block: Block, styles) -> Table:
    signer = block.signer
    lines = [f"<b>{_text(signer.position)}</b>", *(_text(p) for p in signer.provider)]
    if signer.name:
        lines.append(f"<b>{_text(signer.name)}</b>")
    lines += [_text(signer.date), "", _text(signer.wording), ""]
    lines.append(_text(signer.verify_label) + ":")
    lines.append(f"<font size=7>{_text(signer.verification_url)}</font>")
    paragraph = Paragraph("<br/>".join(lines), styles["body"])
    table = Table([[paragraph, QrCode(signer.verification_url)]], colWidths=[None, 36 * mm])
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
    return table


def _block_flowables(block: Block, styles) -> list:
    out: list = []
    if block.heading:
        out.append(Paragraph(_text(block.heading), styles["section"]))
    if block.type == "fields":
        if block.rows:
            out += [_field_table(block.rows, styles), Spacer(1, 2 * mm)]
    elif block.type == "text":
        out.append(Paragraph("<br/>".join(_text(p) for p in block.paragraphs), styles["body"]))
        out.append(Spacer(1, 1 * mm))
    elif block.type == "table":
        out += [_array_table(block), Spacer(1, 2 * mm)]
    elif block.type == "sheets":
        out += [SheetCount(text, styles["body"]) for text in block.paragraphs]
    elif block.type == "photos":
        out += _photo_grid(block.photos, styles)
    elif block.type == "reasons":
        for reason in block.reasons:
            *texts, ground = reason
            out.append(
                Paragraph(
                    "<br/>".join(_text(t) for t in texts)
                    + f"<br/><font size=7.5>{_text(ground)}</font>",
                    styles["body"],
                )
            )
    return out


def _story(document: Document, styles) -> list:
    story: list = [Paragraph(_text(line), styles["provider"]) for line in document.provider]
    story += [Paragraph(_text(document.city), styles["city"]), Spacer(1, 5 * mm)]
    story += [Paragraph(_text(line), styles["title"]) for line in document.title]
    story.append(Spacer(1, 3 * mm))
    for block in document.blocks:
        if block.type == "signature":
            # The signature stays on the page with the end of the text before it.
            tail: list = []
            while story and isinstance(story[-1], Spacer):
                story.pop()
            if story and not isinstance(story[-1], KeepTogether):
                tail.append(story.pop())  # a paragraph, or a photo row, or a table's rest
            if story and isinstance(story[-1], Paragraph) and tail:
                tail.insert(0, story.pop())  # e.g. the heading of that paragraph
            story.append(KeepTogether([*tail, Spacer(1, 6 * mm), _signature_block(block, styles)]))
        else:
            story += _block_flowables(block, styles)
    return story


def render_document(document: Document) -> bytes:
    """The PDF of a composed document."""
    _register_fonts()
    out = io.BytesIO()
    pdf = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=document.metadata_title,
        author=" / ".join(document.provider),
        subject=document.registration_number,
        creator="qyzmet",
        lang=document.languages[0],
        # Not reportlab's default Helvetica: every font of the document is embedded.
        initialFontName=FONT,
    )
    pdf.build(_story(document, STYLES), canvasmaker=_canvas_class(document))
    return out.getvalue()


def render_pdf(
    decision,
    verification_url: str,
    *,
    number: str = "",
    signer: dict | None = None,
    signed_on=None,
    draft=False,
) -> bytes:
    """The PDF of ``decision``'s result document from its catalogue template (not signed;
    ``draft`` marks it as the unsigned preview); ``signer`` and ``signed_on`` as
    ``document.compose`` takes them."""
    return render_document(
        compose(
            decision,
            number=number,
            verification_url=verification_url,
            signer=signer,
            signed_on=signed_on,
            draft=draft,
        )
    )
