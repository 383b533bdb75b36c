"""The process of one channel laid out as a BPMN collaboration: elements, flows, geometry.

One model serves both outputs: the BPMN 2.0 XML with its diagram interchange
(:mod:`qyzmet.catalog.bpmn`) and the SVG drawn in the pages and the handbook
(:mod:`qyzmet.catalog.svg`), so the two never disagree.

Pools, top to bottom, in the order the catalogue declares the participants; the provider's
pool has a lane per role (p.7), every band is a horizontal strip. Elements go left to right
in the order of the process, each in its own slot of x, so two elements never share a slot;
a condition's refusal branch runs in a row of its own below the main row of its band, in the
first row free over the branch's width. Flows between pools are message flows; a gateway
cannot send a message, so an intermediate message event is put after (or, for the messages
a condition asks for, before) it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .definitions import Localized
from .process import ChannelProcess, Participant, Procedure, channel_process
from .texts import localized

# Geometry (px).
TASK_W, TASK_H = 150, 100
GATEWAY = 50
EVENT = 36
SLOT_GAP = 40
ROW_H = 160
POOL_LABEL = 30
LANE_LABEL = 30
BLACK_BOX_H = 70
MARGIN = 20
LEFT = POOL_LABEL + LANE_LABEL + 30

TASK, GATEWAY_KIND = "task", "gateway"
START, MESSAGE_START, END, REFUSAL_END = "start", "message_start", "end", "refusal_end"
THROW, CATCH = "throw", "catch"
EVENT_KINDS = (START, MESSAGE_START, END, REFUSAL_END, THROW, CATCH)
SEQUENCE, MESSAGE = "sequence", "message"


@dataclass(frozen=True)
class Bounds:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def intersects(self, other: Bounds) -> bool:
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )


@dataclass
class Element:
    id: str
    kind: str
    pool: str
    lane: str | None
    name: Localized | None = None
    procedure: Procedure | None = None
    row: int = 0
    x: float = 0
    bounds: Bounds | None = None
    incoming: list[str] = field(default_factory=list)
    outgoing: list[str] = field(default_factory=list)

    @property
    def is_event(self) -> bool:
        return self.kind in EVENT_KINDS

    @property
    def size(self) -> tuple[float, float]:
        if self.kind == TASK:
            return TASK_W, TASK_H
        if self.kind == GATEWAY_KIND:
            return GATEWAY, GATEWAY
        return EVENT, EVENT


@dataclass
class Flow:
    id: str
    kind: str
    source: str
    target: str
    name: Localized | None = None
    refusal: bool = False  # a gateway's "no", leaving at the bottom
    waypoints: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class Band:
    """A pool (``lane is None``) or a lane of the provider's pool."""

    id: str
    pool: str
    lane: str | None
    name: Localized
    rows: int = 1
    bounds: Bounds | None = None
    black_box: bool = False


@dataclass
class Diagram:
    service: str
    version: str
    channel: str
    process: ChannelProcess
    elements: dict[str, Element]
    flows: list[Flow]
    pools: list[Band]
    lanes: list[Band]
    width: float = 0
    height: float = 0

    def elements_of(self, pool: str) -> list[Element]:
        return [e for e in self.elements.values() if e.pool == pool]


def slot_width(kind: str) -> float:
    if kind == TASK:
        return TASK_W + SLOT_GAP
    if kind == GATEWAY_KIND:
        return 170  # room for the question written above the diamond
    return EVENT + SLOT_GAP + 24


class _Builder:
    def __init__(self, definition: dict[str, Any], channel: str):
        self.definition = definition
        self.process = channel_process(definition, channel)
        self.elements: dict[str, Element] = {}
        self.flows: list[Flow] = []
        self.current: dict[str, str] = {}  # pool -> its last element so far
        self.cursor = float(LEFT)
        self.rows: dict[tuple[str, str | None], list[list[tuple[float, float]]]] = {}

    # -- elements and flows -------------------------------------------------------------
    def band_of(self, procedure: Procedure) -> tuple[str, str | None]:
        participant = self.process.participant(procedure.participant)
        lane = procedure.role if participant.kind == "provider" else None
        return procedure.participant, lane

    def place(self, element: Element) -> Element:
        """Put an element in the main row at the next slot of x."""
        width = slot_width(element.kind)
        element.x = self.cursor + (width - SLOT_GAP - element.size[0]) / 2
        self.cursor += width
        self.elements[element.id] = element
        return element

    def sequence(
        self, source: str, target: str, name: Localized | None = None, refusal: bool = False
    ) -> None:
        flow = Flow(f"Flow_{source}__{target}", SEQUENCE, source, target, name, refusal)
        self.elements[source].outgoing.append(flow.id)
        self.elements[target].incoming.append(flow.id)
        self.flows.append(flow)

    def message(self, source: str, target: str) -> None:
        self.flows.append(Flow(f"Message_{source}__{target}", MESSAGE, source, target))

    def continue_pool(self, element: Element) -> None:
        """Connect the pool's last element to ``element`` (a "yes" after a gateway)."""
        previous = self.current.get(element.pool)
        if previous is not None:
            name = localized("yes") if self.elements[previous].kind == GATEWAY_KIND else None
            self.sequence(previous, element.id, name)
        self.current[element.pool] = element.id

    def node(self, procedure: Procedure) -> Element:
        pool, lane = self.band_of(procedure)
        kind = GATEWAY_KIND if procedure.is_condition else TASK
        prefix = "Gateway" if procedure.is_condition else "Task"
        return Element(f"{prefix}_{procedure.code}", kind, pool, lane, procedure.name, procedure)

    def message_target(self, participant: str) -> str:
        return f"Participant_{participant}"

    def build(self) -> Diagram:
        previous: Element | None = None
        for index, procedure in enumerate(self.process.main):
            element = self.node(procedure)
            if element.pool not in self.current:
                start_kind = START if index == 0 else MESSAGE_START
                start = self.place(
                    Element(
                        f"Start_{element.pool}",
                        start_kind,
                        element.pool,
                        element.lane,
                        localized("start") if start_kind == START else localized("message"),
                    )
                )
                self.current[element.pool] = start.id
            if previous is not None and previous.pool != element.pool:
                source = previous
                if previous.kind == GATEWAY_KIND:
                    source = self.place(
                        Element(
                            f"Throw_{previous.procedure.code}",
                            THROW,
                            previous.pool,
                            previous.lane,
                            localized("message"),
                        )
                    )
                    self.continue_pool(source)
                target_id = element.id
                if element.kind == GATEWAY_KIND:
                    current = self.elements[self.current[element.pool]]
                    if current.kind == MESSAGE_START and not current.outgoing:
                        target_id = current.id
                    else:
                        catch = self.place(
                            Element(
                                f"Catch_{procedure.code}",
                                CATCH,
                                element.pool,
                                element.lane,
                                localized("message"),
                            )
                        )
                        self.continue_pool(catch)
                        target_id = catch.id
                self.message(source.id, target_id)
            if element.kind == GATEWAY_KIND and procedure.messages:
                ask = self.place(
                    Element(
                        f"Ask_{procedure.code}",
                        THROW,
                        element.pool,
                        element.lane,
                        localized("message"),
                    )
                )
                self.continue_pool(ask)
                for participant in procedure.messages:
                    self.message(ask.id, self.message_target(participant))
            self.place(element)
            self.continue_pool(element)
            if element.kind == TASK:
                for participant in procedure.messages:
                    self.message(element.id, self.message_target(participant))
            if procedure.is_condition:
                self.branch(element, self.process.branches.get(procedure.code, ()))
            previous = element
        for pool, last in list(self.current.items()):
            end = self.place(
                Element(
                    f"End_{pool}",
                    END,
                    pool,
                    self.elements[last].lane,
                    localized("end"),
                )
            )
            self.continue_pool(end)
        return self.layout()

    def branch(self, gateway: Element, procedures: tuple[Procedure, ...]) -> None:
        """The refusal branch: tasks then a refusal end event, in a row below the gateway's
        band's main row, starting right of the gateway."""
        members = [self.node(p) for p in procedures]
        members.append(
            Element(
                f"Refusal_{gateway.procedure.code}",
                REFUSAL_END,
                gateway.pool,
                members[-1].lane if members else gateway.lane,
                localized("refusal_end"),
            )
        )
        x = gateway.x + GATEWAY + SLOT_GAP / 2
        spans = []
        for member in members:
            width = slot_width(member.kind)
            member.x = x + (width - SLOT_GAP - member.size[0]) / 2
            spans.append((x, x + width))
            x += width
        start, end = gateway.x, x
        bands = {(m.pool, m.lane) for m in members}
        # The branch's own row must be free over its width; the rows above it in the
        # gateway's band over the gateway's width, where the "no" flow goes down.
        row = 1
        while any(self._taken(band, row, start, end) for band in bands) or any(
            self._taken((gateway.pool, gateway.lane), r, start, start + GATEWAY)
            for r in range(1, row)
        ):
            row += 1
        for band in bands:
            self._take(band, row, start, end)
        for r in range(1, row):
            self._take((gateway.pool, gateway.lane), r, start, start + GATEWAY)
        # The main path goes on right of the branch: its flows between rows never cross it.
        self.cursor = max(self.cursor, end)
        previous = gateway
        for member in members:
            member.row = row
            self.elements[member.id] = member
            if previous is gateway:
                self.sequence(gateway.id, member.id, localized("no"), refusal=True)
            else:
                self.sequence(previous.id, member.id)
            previous = member

    def _taken(self, band, row, start, end) -> bool:
        rows = self.rows.setdefault(band, [])
        while len(rows) < row:
            rows.append([])
        return any(s < end and start < e for s, e in rows[row - 1])

    def _take(self, band, row, start, end) -> None:
        self._taken(band, row, start, end)  # makes sure the row exists
        self.rows[band][row - 1].append((start, end))

    # -- geometry ------------------------------------------------------------------------
    def layout(self) -> Diagram:
        process = self.process
        width = (
            max([self.cursor] + [e.x + e.size[0] + SLOT_GAP for e in self.elements.values()])
            + MARGIN
        )
        pools: list[Band] = []
        lanes: list[Band] = []
        band_y: dict[tuple[str, str | None], float] = {}
        y = 0.0
        for participant in process.participants:
            pool_elements = self.elements_of(participant.code)
            if participant.black_box:
                if any(f.target == self.message_target(participant.code) for f in self.flows):
                    pools.append(_pool(participant, Bounds(0, y, width, BLACK_BOX_H)))
                    y += BLACK_BOX_H + MARGIN
                continue
            if not pool_elements:
                continue
            top = y
            if participant.kind == "provider":
                for role in process.roles:
                    rows = self._rows_used((participant.code, role.code))
                    lane = Band(f"Lane_{role.code}", participant.code, role.code, role.name, rows)
                    lane.bounds = Bounds(POOL_LABEL, y, width - POOL_LABEL, rows * ROW_H)
                    band_y[(participant.code, role.code)] = y
                    lanes.append(lane)
                    y += rows * ROW_H
            else:
                rows = self._rows_used((participant.code, None))
                band_y[(participant.code, None)] = y
                y += rows * ROW_H
            pools.append(_pool(participant, Bounds(0, top, width, y - top)))
            y += MARGIN
        for element in self.elements.values():
            w, h = element.size
            top = band_y[(element.pool, element.lane)] + element.row * ROW_H
            element.bounds = Bounds(element.x, top + (ROW_H - h) / 2 + 10, w, h)
        diagram = Diagram(
            self.definition["code"],
            self.definition["version"],
            process.channel,
            process,
            self.elements,
            self.flows,
            pools,
            lanes,
            width,
            y - MARGIN,
        )
        _route(diagram)
        return diagram

    def elements_of(self, pool: str) -> list[Element]:
        return [e for e in self.elements.values() if e.pool == pool]

    def _rows_used(self, band) -> int:
        rows = [e.row for e in self.elements.values() if (e.pool, e.lane) == band]
        return 1 + max(rows, default=0)


def _pool(participant: Participant, bounds: Bounds) -> Band:
    return Band(
        f"Participant_{participant.code}",
        participant.code,
        None,
        participant.name,
        bounds=bounds,
        black_box=participant.black_box,
    )


def _route(diagram: Diagram) -> None:
    """Orthogonal waypoints: sequence flows leave right and enter left (a gateway's "no"
    leaves at the bottom); message flows run vertically between the pools."""
    pools = {band.id: band for band in diagram.pools}
    for flow in diagram.flows:
        source = diagram.elements[flow.source].bounds
        if flow.kind == SEQUENCE:
            target = diagram.elements[flow.target].bounds
            assert source is not None and target is not None
            if flow.refusal:
                flow.waypoints = [
                    (source.cx, source.bottom),
                    (source.cx, target.cy),
                    (target.x, target.cy),
                ]
            elif abs(source.cy - target.cy) < 1:
                flow.waypoints = [(source.right, source.cy), (target.x, target.cy)]
            else:
                middle = target.x - SLOT_GAP / 2
                flow.waypoints = [
                    (source.right, source.cy),
                    (middle, source.cy),
                    (middle, target.cy),
                    (target.x, target.cy),
                ]
            continue
        assert source is not None
        if flow.target in pools:
            target = pools[flow.target].bounds
            x = source.cx
        else:
            target = diagram.elements[flow.target].bounds
            x = target.cx
        assert target is not None
        down = target.y > source.y
        start = (source.cx, source.bottom if down else source.y)
        end_y = target.y if down else target.bottom
        if abs(start[0] - x) < 1:
            flow.waypoints = [start, (x, end_y)]
        else:
            middle = (
                (start[1] + end_y) / 2
                if flow.target in pools
                else (target.y - 20 if down else target.bottom + 20)
            )
            flow.waypoints = [start, (start[0], middle), (x, middle), (x, end_y)]


def build_diagram(definition: dict[str, Any], channel: str) -> Diagram:
    return _Builder(definition, channel).build()
