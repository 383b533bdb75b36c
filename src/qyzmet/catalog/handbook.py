"""The business-process handbook of a service version (p.13, appendices 3–4) as a PDF.

In Kazakh, then in Russian: the participants and the provider's units, the procedures of
each channel with their performer, duration (p.8) and result (p.6), the diagrams (the same
layout as the BPMN DI and the pages, drawn with reportlab and cut into A4 landscape pages
where they are wider or taller than one), the conditions with their refusal branches and the
grounds for refusal, and the legal basis. Everything from the catalogue.
"""

from __future__ import annotations

import io
import math
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext_lazy
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)

from qyzmet.core.i18n import translate
from qyzmet.core.pdf_fonts import FONT, FONT_BOLD, register_fonts

from . import diagram as dg
from .definitions import Localized
from .process import channel_process, participants, roles
from .svg import wrap
from .texts import norm_text, text

#: The handbook's languages, in order: the state language first.
HANDBOOK_LANGUAGES = ("kk", "ru")
PAGE = landscape(A4)
MARGIN = 12 * mm
#: Diagram px -> pt: task names (10 px) print at 6 pt.
SCALE = 0.6

_base = ParagraphStyle("hb", fontName=FONT, fontSize=9, leading=12)
STYLES = {
    "body": _base,
    "title": ParagraphStyle("hb-title", parent=_base, fontName=FONT_BOLD, fontSize=15, leading=19),
    **{
        name: ParagraphStyle(
            f"hb-{name}",
            parent=_base,
            fontName=FONT_BOLD,
            fontSize=size,
            leading=size + 3,
            spaceBefore=before,
            spaceAfter=after,
        )
        for name, size, before, after in (("h1", 12, 8, 4), ("h2", 10, 6, 2))
    },
    "item": ParagraphStyle("hb-item", parent=_base, leftIndent=12, spaceAfter=3),
    "small": ParagraphStyle("hb-small", parent=_base, fontSize=8, leading=10, textColor="#444"),
}

_HANDBOOK_TEXTS = {
    "participants": gettext_lazy("Участники"),
    "units": gettext_lazy("Структурные подразделения (работники) услугодателя"),
    "procedures": gettext_lazy("Процедуры (действия)"),
    "diagram": gettext_lazy("Диаграмма"),
    "part": gettext_lazy("часть {i} из {n}"),
    "if_not": gettext_lazy("если нет"),
    "version": gettext_lazy("Редакция {v}"),
}


def _t(key: str, language: str) -> str:
    return translate(_HANDBOOK_TEXTS[key], language)


def _p(words: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(words), STYLES[style])


class DiagramTile(Flowable):
    """One page's part of a laid-out diagram, drawn with reportlab (vectors)."""

    def __init__(
        self, diagram: dg.Diagram, language: str, x0: float, y0: float, w: float, h: float
    ):
        super().__init__()
        self.diagram, self.language = diagram, language
        self.x0, self.y0, self.w, self.h = x0, y0, w, h  # the window, in diagram px
        self.width, self.height = w * SCALE, h * SCALE

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        path = c.beginPath()
        path.rect(0, 0, self.width, self.height)
        c.clipPath(path, stroke=0, fill=0)
        # Diagram px (y down) -> pt (y up) inside the window.
        c.translate(-self.x0 * SCALE, self.height + self.y0 * SCALE)
        c.scale(SCALE, -SCALE)
        _draw(c, self.diagram, self.language)
        c.restoreState()
        c.setStrokeColor(colors.HexColor("#cbd2d9"))
        c.rect(0, 0, self.width, self.height, stroke=1, fill=0)


def _text_lines(c, lines: list[str], cx: float, top: float, size: float, bold: bool = False):
    """Centered lines in the flipped (y down) coordinate system."""
    for index, line in enumerate(lines):
        y = top + size + index * (size + 2)
        c.saveState()
        c.translate(cx, y)
        c.scale(1, -1)
        c.setFont(FONT_BOLD if bold else FONT, size)
        c.drawCentredString(0, 0, line)
        c.restoreState()


def _arrow(c, points: list[tuple[float, float]], dashed: bool = False) -> None:
    c.setDash(6, 4) if dashed else c.setDash()
    path = c.beginPath()
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    c.drawPath(path, stroke=1, fill=0)
    c.setDash()
    (x1, y1), (x2, y2) = points[-2], points[-1]
    angle = math.atan2(y2 - y1, x2 - x1)
    head = c.beginPath()
    head.moveTo(x2, y2)
    for turn in (2.7, -2.7):
        head.lineTo(x2 + 9 * math.cos(angle + turn), y2 + 9 * math.sin(angle + turn))
    head.close()
    c.drawPath(head, stroke=1, fill=0 if dashed else 1)


def _draw(c, diagram: dg.Diagram, language: str) -> None:
    ink = colors.HexColor("#1f2933")
    refusal = colors.HexColor("#b42318")
    c.setLineWidth(1.2)
    for band in [*diagram.pools, *diagram.lanes]:
        b = band.bounds
        c.setStrokeColor(ink)
        c.setFillColor(colors.HexColor("#f4f6f8" if band.lane is None else "#ffffff"))
        c.rect(b.x, b.y, b.w, b.h, stroke=1, fill=1)
        strip = dg.POOL_LABEL if band.lane is None else dg.LANE_LABEL
        c.line(b.x + strip, b.y, b.x + strip, b.bottom)
        participant = diagram.process.participant(band.pool)
        label = band.name.text(language)
        if band.black_box and participant.abbreviation:
            label = participant.abbreviation.text(language)
        c.saveState()
        c.translate(b.x + strip / 2, b.cy)
        c.rotate(90)
        c.setFillColor(ink)
        lines = wrap(label, b.h - 10, 10)[:2]
        for index, line in enumerate(lines):
            c.setFont(FONT_BOLD, 10)
            c.drawCentredString(0, -(index - (len(lines) - 1) / 2) * 12 - 3, line)
        c.restoreState()
        if band.black_box:
            c.setFillColor(ink)
            _text_lines(
                c, wrap(band.name.text(language), 900, 12), dg.LEFT + 450, b.cy - 12, 12, True
            )
    for flow in diagram.flows:
        c.setStrokeColor(colors.HexColor("#52606d") if flow.kind == dg.MESSAGE else ink)
        c.setFillColor(ink)
        _arrow(c, flow.waypoints, dashed=flow.kind == dg.MESSAGE)
        if flow.name is not None:
            x, y = flow.waypoints[0]
            c.setFillColor(refusal if flow.refusal else ink)
            _text_lines(c, [flow.name.text(language)], x + 14, y + (2 if flow.refusal else -16), 10)
    for element in diagram.elements.values():
        b = element.bounds
        procedure = element.procedure
        c.setStrokeColor(refusal if element.row > 0 or element.kind == dg.REFUSAL_END else ink)
        c.setFillColor(colors.white)
        if element.kind == dg.TASK:
            c.roundRect(b.x, b.y, b.w, b.h, 10, stroke=1, fill=1)
            lines = [procedure.label(language)] if procedure.label(language) else []
            lines += wrap(procedure.name.text(language), b.w - 10)
            c.setFillColor(ink)
            _text_lines(c, lines, b.cx, b.cy - len(lines) * 12 / 2 - 2, 10)
        elif element.kind == dg.GATEWAY_KIND:
            c.setFillColor(colors.HexColor("#fff8e1"))
            path = c.beginPath()
            path.moveTo(b.cx, b.y)
            path.lineTo(b.right, b.cy)
            path.lineTo(b.cx, b.bottom)
            path.lineTo(b.x, b.cy)
            path.close()
            c.drawPath(path, stroke=1, fill=1)
            c.line(b.cx - 9, b.cy - 9, b.cx + 9, b.cy + 9)
            c.line(b.cx + 9, b.cy - 9, b.cx - 9, b.cy + 9)
            lines = [procedure.label(language), *wrap(procedure.name.text(language), 160)]
            c.setFillColor(ink)
            _text_lines(c, lines, b.cx, b.y - 6 - len(lines) * 12, 10)
        else:
            thick = element.kind in (dg.END, dg.REFUSAL_END)
            c.setLineWidth(4 if thick else 1.5)
            c.circle(b.cx, b.cy, b.w / 2, stroke=1, fill=1)
            c.setLineWidth(1.2)
            if element.kind in (dg.THROW, dg.CATCH, dg.MESSAGE_START):
                c.setFillColor(ink if element.kind == dg.THROW else colors.white)
                c.rect(b.cx - 8, b.cy - 6, 16, 12, stroke=1, fill=1)
            if element.name is not None:
                c.setFillColor(ink)
                _text_lines(c, [element.name.text(language)], b.cx, b.bottom + 2, 10)


def _tiles(diagram: dg.Diagram, language: str) -> list[Flowable]:
    frame_w = (PAGE[0] - 2 * MARGIN) / SCALE
    frame_h = (PAGE[1] - 2 * MARGIN - 14 * mm) / SCALE
    columns = math.ceil(diagram.width / frame_w)
    rows = math.ceil(diagram.height / frame_h)
    tiles: list[Flowable] = []
    total = columns * rows
    for row in range(rows):
        for column in range(columns):
            index = row * columns + column + 1
            tiles.append(PageBreak())
            tiles.append(
                _p(
                    f"{_t('diagram', language)}: {text('channel_' + diagram.channel, language)}"
                    f" — {_t('part', language).format(i=index, n=total)}",
                    "h2",
                )
            )
            x0, y0 = column * frame_w, row * frame_h
            tiles.append(
                DiagramTile(
                    diagram,
                    language,
                    x0,
                    y0,
                    min(frame_w, diagram.width - x0),
                    min(frame_h, diagram.height - y0),
                )
            )
    return tiles


def _language_part(definition: dict[str, Any], language: str) -> list[Flowable]:
    story: list[Flowable] = []
    handbook = definition["process"].get("handbook")
    story.append(_p(text("handbook_h", language), "title"))
    story.append(_p(Localized.of(definition["title"]).text(language), "h1"))
    story.append(_p(_t("version", language).format(v=definition["version"]), "small"))
    if handbook:
        story.append(_p(f"{handbook['text'][language]} ({handbook['basis']})", "small"))
    story.append(Spacer(1, 4 * mm))

    story.append(_p(_t("participants", language), "h1"))
    for participant in participants(definition):
        abbreviation = (
            f" ({participant.abbreviation.text(language)})" if participant.abbreviation else ""
        )
        story.append(_p(f"• {participant.name.text(language)}{abbreviation}", "item"))
    story.append(_p(_t("units", language), "h2"))
    for role in roles(definition):
        story.append(_p(f"• {role.name.text(language)} ({role.basis})", "item"))

    reasons = definition["refusal_reasons"]
    for channel in definition["channels"]:
        process = channel_process(definition, channel["code"])
        role_names = {r.code: r.name.text(language) for r in process.roles}
        story.append(PageBreak())
        story.append(
            _p(
                f"{_t('procedures', language)}: {text('channel_' + channel['code'], language)}",
                "h1",
            )
        )
        for number, procedure in enumerate(process.procedures(), 1):
            performer = role_names.get(procedure.role) or process.participant(
                procedure.participant
            ).name.text(language)
            parts = [
                f"{number}. {procedure.title(language)}",
                f"{text('role', language)}: {performer}",
            ]
            if procedure.step is not None:
                parts.append(f"{text('norm', language)}: {norm_text(procedure.step, language)}")
            if procedure.result is not None:
                parts.append(f"{text('col_result', language)}: {procedure.result.text(language)}")
            parts.append(f"{text('basis', language)}: {procedure.basis}")
            story.append(_p(" — ".join(parts), "item"))
        story.append(_p(text("conditions_h", language), "h2"))
        for condition in (p for p in process.main if p.is_condition):
            branch = process.branches.get(condition.code, ())
            story.append(_p(condition.title(language), "item"))
            story.append(
                _p(
                    f"{_t('if_not', language)}: "
                    + "; ".join(p.title(language) for p in branch)
                    + f" → {text('refusal_end', language)}",
                    "item",
                )
            )
            for reason in reasons:
                if set(reason["stages"]) & set(condition.decided_at):
                    story.append(_p(f"– {reason['text'][language]} ({reason['basis']})", "item"))
        story.extend(_tiles(dg.build_diagram(definition, channel["code"]), language))

    story.append(PageBreak())
    story.append(_p(text("legal_basis_h", language), "h1"))
    for act in definition["legal_basis"]:
        points = f" — {', '.join(act['points'])}" if act.get("points") else ""
        story.append(
            _p(
                f"• {act['issuer'][language]}, № {act['number']}, {act['date']}: "
                f"{act['title'][language]}{points}",
                "item",
            )
        )
    return story


def render_handbook(definition: dict[str, Any]) -> bytes:
    """The handbook PDF of a version (its definition as stored or parsed)."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{text('handbook_h', 'ru')} — {definition['title']['ru']} ({definition['version']})",
        author=definition["provider"]["name"]["ru"],
    )
    story: list[Flowable] = []
    for index, language in enumerate(HANDBOOK_LANGUAGES):
        if index:
            story.append(PageBreak())
        story.extend(_language_part(definition, language))
    document.build(story)
    return buffer.getvalue()
