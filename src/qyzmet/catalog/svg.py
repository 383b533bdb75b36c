"""The process diagram as SVG, drawn on the server from the same layout as the BPMN DI.

Server-side SVG needs no script (the pages' CSP allows none inline, and a diagram that is
only read needs none), prints as vectors, and is the same picture the handbook PDF embeds.
Presentation attributes only (no ``style``: the CSP forbids inline styles). Every element's
full name is written out, wrapped to its box; a task's name is also its ``<title>``.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from . import diagram as dg
from .texts import text

FONT = "DejaVu Sans, Arial, sans-serif"
TASK_FONT = 10
LINE = 12
# DejaVu Sans averages about 0.6 em per letter in Russian and Kazakh text.
CHAR_EM = 0.6

STROKE = "#1f2933"
TASK_FILL = "#ffffff"
REFUSAL = "#b42318"
POOL_FILL = "#f4f6f8"
LANE_FILL = "#ffffff"
MESSAGE = "#52606d"


def wrap(words: str, width: float, size: float = TASK_FONT) -> list[str]:
    """Split a text into lines that fit ``width`` px; a word longer than a line stays whole."""
    per_line = max(1, int(width / (size * CHAR_EM)))
    lines: list[str] = []
    current = ""
    for word in words.split():
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= per_line or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def _text_block(
    lines: list[str], cx: float, top: float, size: float = TASK_FONT, weight: str = "normal"
) -> str:
    spans = "".join(
        f'<tspan x="{cx:g}" y="{top + size + index * (size + 2):g}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return (
        f'<text font-family="{FONT}" font-size="{size:g}" font-weight="{weight}" '
        f'text-anchor="middle" fill="{STROKE}">{spans}</text>'
    )


def _vertical_label(label: str, cx: float, bounds: dg.Bounds, size: float = 11) -> str:
    """A pool's or lane's name written bottom to top in its label strip (two lines at most;
    the full name is the group's title)."""
    lines = wrap(label, bounds.h - 10, size)[:2]
    cy = bounds.cy
    first = cy - (len(lines) - 1) * (size + 2) / 2 + size / 3
    spans = "".join(
        f'<tspan x="{cx:g}" y="{first + index * (size + 2):g}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return (
        f'<text transform="rotate(-90 {cx:g} {cy:g})" font-family="{FONT}" '
        f'font-size="{size:g}" font-weight="bold" text-anchor="middle" fill="{STROKE}">'
        f"{spans}</text>"
    )


def render(diagram: dg.Diagram, language: str) -> str:
    """The whole diagram as an ``<svg>`` element (for a page or a file)."""
    parts: list[str] = []
    width, height = diagram.width, diagram.height
    parts.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="process-diagram" '
        f'viewBox="0 0 {width:g} {height:g}" width="{width:g}" height="{height:g}" '
        f'role="img" aria-labelledby="diagram-{diagram.channel}-title" '
        f'data-service="{escape(diagram.service)}" data-version="{escape(diagram.version)}" '
        f'data-channel="{escape(diagram.channel)}">'
    )
    parts.append(
        f'<title id="diagram-{diagram.channel}-title">'
        f"{escape(text('channel_' + diagram.channel, language))}</title>"
    )
    parts.append(_defs())
    for pool in diagram.pools:
        b = pool.bounds
        assert b is not None
        participant = diagram.process.participant(pool.pool)
        name = participant.name.text(language)
        short = participant.abbreviation.text(language) if participant.abbreviation else name
        parts.append(
            f'<g class="pool" data-participant="{escape(pool.pool)}">'
            f"<title>{escape(name)}</title>"
            f'<rect x="{b.x:g}" y="{b.y:g}" width="{b.w:g}" height="{b.h:g}" '
            f'fill="{POOL_FILL}" stroke="{STROKE}" stroke-width="1.5"/>'
            f'<line x1="{dg.POOL_LABEL:g}" y1="{b.y:g}" x2="{dg.POOL_LABEL:g}" y2="{b.bottom:g}" '
            f'stroke="{STROKE}"/>'
            f"{_vertical_label(short if pool.black_box else name, dg.POOL_LABEL / 2, b)}"
            + (_black_box_name(name, b) if pool.black_box else "")
            + "</g>"
        )
    for lane in diagram.lanes:
        b = lane.bounds
        assert b is not None
        parts.append(
            f'<g class="lane" data-role="{escape(lane.lane or "")}">'
            f'<rect x="{b.x:g}" y="{b.y:g}" width="{b.w:g}" height="{b.h:g}" '
            f'fill="{LANE_FILL}" stroke="{STROKE}"/>'
            f'<line x1="{b.x + dg.LANE_LABEL:g}" y1="{b.y:g}" x2="{b.x + dg.LANE_LABEL:g}" '
            f'y2="{b.bottom:g}" stroke="{STROKE}"/>'
            f"<title>{escape(lane.name.text(language))}</title>"
            f"{_vertical_label(lane.name.text(language), b.x + dg.LANE_LABEL / 2, b, 10)}"
            "</g>"
        )
    for flow in diagram.flows:
        parts.append(_flow(flow, language))
    for element in diagram.elements.values():
        parts.append(_element(element, language))
    parts.append("</svg>")
    return "".join(parts)


def _black_box_name(name: str, b: dg.Bounds) -> str:
    """A black-box pool's full name across it, left of centre (message flows come from
    above all along it)."""
    lines = wrap(name, 900, 12)
    return _text_block(lines, dg.LEFT + 450, b.cy - len(lines) * 14 / 2 - 2, 12, "bold")


def _defs() -> str:
    return (
        "<defs>"
        '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{STROKE}"/></marker>'
        '<marker id="message-end" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" '
        'markerHeight="9" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="#ffffff" stroke="{MESSAGE}"/></marker>'
        '<marker id="message-start" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="7" '
        'markerHeight="7">'
        f'<circle cx="5" cy="5" r="4" fill="#ffffff" stroke="{MESSAGE}"/></marker>'
        "</defs>"
    )


def _points(waypoints: list[tuple[float, float]]) -> str:
    return " ".join(f"{x:g},{y:g}" for x, y in waypoints)


def _flow(flow: dg.Flow, language: str) -> str:
    if flow.kind == dg.MESSAGE:
        return (
            f'<polyline class="message-flow" points="{_points(flow.waypoints)}" fill="none" '
            f'stroke="{MESSAGE}" stroke-width="1.2" stroke-dasharray="6 4" '
            'marker-start="url(#message-start)" marker-end="url(#message-end)"/>'
        )
    label = ""
    if flow.name is not None:
        (x1, y1), (x2, y2) = flow.waypoints[0], flow.waypoints[1]
        if flow.refusal:
            x, y, anchor = x1 + 6, y1 + 14, "start"
        else:
            x, y, anchor = x1 + 6, y1 - 5, "start"
        colour = REFUSAL if flow.refusal else STROKE
        label = (
            f'<text x="{x:g}" y="{y:g}" font-family="{FONT}" font-size="10" '
            f'text-anchor="{anchor}" fill="{colour}">{escape(flow.name.text(language))}</text>'
        )
        del x2, y2
    return (
        f'<g class="sequence-flow"><polyline points="{_points(flow.waypoints)}" fill="none" '
        f'stroke="{STROKE}" stroke-width="1.2" marker-end="url(#arrow)"/>{label}</g>'
    )


def _element(element: dg.Element, language: str) -> str:
    b = element.bounds
    assert b is not None
    procedure = element.procedure
    if element.kind == dg.TASK:
        assert procedure is not None
        title = procedure.title(language)
        label = procedure.label(language)
        name_lines = wrap(procedure.name.text(language), b.w - 10)
        lines = ([label] if label else []) + name_lines
        top = b.cy - len(lines) * (TASK_FONT + 2) / 2 - 2
        refusal = procedure.code in _refusal_codes(element)
        return (
            f'<g class="task" data-code="{escape(procedure.code)}">'
            f"<title>{escape(title)}</title>"
            f'<rect x="{b.x:g}" y="{b.y:g}" width="{b.w:g}" height="{b.h:g}" rx="10" '
            f'fill="{TASK_FILL}" stroke="{REFUSAL if refusal else STROKE}" stroke-width="1.5"/>'
            f"{_text_block(lines, b.cx, top)}</g>"
        )
    if element.kind == dg.GATEWAY_KIND:
        assert procedure is not None
        lines = [procedure.label(language), *wrap(procedure.name.text(language), 160)]
        top = b.y - 6 - len(lines) * (TASK_FONT + 2)
        d = f"M{b.cx:g},{b.y:g} L{b.right:g},{b.cy:g} L{b.cx:g},{b.bottom:g} L{b.x:g},{b.cy:g} z"
        m = 9
        return (
            f'<g class="gateway" data-code="{escape(procedure.code)}">'
            f"<title>{escape(procedure.title(language))}</title>"
            f'<path d="{d}" fill="#fff8e1" stroke="{STROKE}" stroke-width="1.5"/>'
            f'<path d="M{b.cx - m:g},{b.cy - m:g} L{b.cx + m:g},{b.cy + m:g} '
            f'M{b.cx + m:g},{b.cy - m:g} L{b.cx - m:g},{b.cy + m:g}" stroke="{STROKE}" '
            'stroke-width="3"/>'
            f"{_text_block(lines, b.cx, top)}</g>"
        )
    r = b.w / 2
    thick = element.kind in (dg.END, dg.REFUSAL_END)
    colour = REFUSAL if element.kind == dg.REFUSAL_END else STROKE
    inner = ""
    if element.kind in (dg.THROW, dg.CATCH):
        inner = f'<circle cx="{b.cx:g}" cy="{b.cy:g}" r="{r - 3:g}" fill="none" stroke="{STROKE}"/>'
    if element.kind in (dg.THROW, dg.CATCH, dg.MESSAGE_START):
        fill = STROKE if element.kind == dg.THROW else "none"
        x, y = b.cx - 8, b.cy - 6
        inner += (
            f'<rect x="{x:g}" y="{y:g}" width="16" height="12" fill="{fill}" stroke="{STROKE}"/>'
            f'<path d="M{x:g},{y:g} L{b.cx:g},{b.cy:g} L{x + 16:g},{y:g}" fill="none" '
            f'stroke="{"#ffffff" if fill != "none" else STROKE}"/>'
        )
    name = element.name.text(language) if element.name else ""
    return (
        f'<g class="event {element.kind}">'
        f'<circle cx="{b.cx:g}" cy="{b.cy:g}" r="{r:g}" fill="#ffffff" stroke="{colour}" '
        f'stroke-width="{4 if thick else 1.5}"/>{inner}'
        f"{_text_block([name], b.cx, b.bottom + 2, 10) if name else ''}</g>"
    )


def _refusal_codes(element: dg.Element) -> set[str]:
    return {element.procedure.code} if element.row > 0 and element.procedure else set()


def legend_items(language: str) -> list[tuple[str, str]]:
    """The symbols of the diagrams and what they mean (appendix 2's legend): (svg, words)."""
    items = []
    samples = [
        ("legend_start", dg.Element("s", dg.START, "", None), 40, 40),
        ("legend_task", None, 60, 40),
        ("legend_gateway", None, 40, 40),
        ("legend_message_event", dg.Element("m", dg.THROW, "", None), 40, 40),
        ("legend_end", dg.Element("e", dg.END, "", None), 40, 40),
        ("legend_refusal_end", dg.Element("r", dg.REFUSAL_END, "", None), 40, 40),
        ("legend_sequence_flow", None, 60, 20),
        ("legend_message_flow", None, 60, 20),
    ]
    for key, element, w, h in samples:
        if element is not None:
            element.bounds = dg.Bounds(w / 2 - 14, h / 2 - 14, 28, 28)
            body = _element(element, language)
        elif key == "legend_task":
            body = (
                f'<rect x="4" y="6" width="52" height="28" rx="6" fill="{TASK_FILL}" '
                f'stroke="{STROKE}" stroke-width="1.5"/>'
            )
        elif key == "legend_gateway":
            body = (
                f'<path d="M20,4 L36,20 L20,36 L4,20 z" fill="#fff8e1" stroke="{STROKE}" '
                'stroke-width="1.5"/><path d="M14,14 L26,26 M26,14 L14,26" '
                f'stroke="{STROKE}" stroke-width="2.5"/>'
            )
        else:
            flow = dg.Flow(
                key, dg.SEQUENCE if key == "legend_sequence_flow" else dg.MESSAGE, "", ""
            )
            flow.waypoints = [(4, 10), (54, 10)]
            body = _flow(flow, language)
        items.append(
            (
                f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
                f'viewBox="0 0 {w} {h}" aria-hidden="true">{_defs()}{body}</svg>',
                text(key, language),
            )
        )
    return items
