"""The regulation's p.2 and appendices 1–4 of a service version, from the catalogue.

Appendix 1: the procedures between the provider's units (role, duration, result);
appendix 2: the information systems and their interaction, with the legend; appendices 3
and 4 (added with p.13 by the handbook amendment): the process via the provider and via the
portal as diagrams. Used by the portal's passport, the desk's service page and the handbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from .definitions import Localized
from .diagram import MESSAGE, build_diagram
from .process import ChannelProcess, Procedure, channel_process, participants
from .svg import legend_items, render
from .texts import norm_text, text

#: Which appendix draws which channel's process (p.13: 3 = via the provider, 4 = via the portal).
APPENDIX_OF_CHANNEL = {"office": 3, "portal": 4}


@dataclass(frozen=True)
class StepRow:
    number: int
    procedure: Procedure
    role: Localized
    duration: str
    result: str


@dataclass(frozen=True)
class Interaction:
    procedure: Procedure
    source: str
    target: str


@dataclass(frozen=True)
class ChannelAppendix:
    channel: str
    label: str  # "через портал"
    name: Localized
    form_of_service: Localized
    appendix: int | None
    rows: list[StepRow]
    interactions: list[Interaction]
    svg: SafeString
    procedures: list[Procedure]


def _step_rows(process: ChannelProcess, language: str) -> list[StepRow]:
    role_names = {role.code: role.name for role in process.roles}
    rows = []
    for procedure in process.main:
        if procedure.step is None:
            continue
        rows.append(
            StepRow(
                number=len(rows) + 1,
                procedure=procedure,
                role=role_names[procedure.role],
                duration=norm_text(procedure.step, language),
                result=procedure.result.text(language) if procedure.result else "",
            )
        )
    return rows


def _interactions(process: ChannelProcess, diagram, language: str) -> list[Interaction]:
    """Who sends what to whom: each message flow of the channel's diagram, by procedure."""
    by_element = {e.id: e for e in diagram.elements.values()}
    names = {p.code: p.name.text(language) for p in process.participants}
    result = []
    for flow in diagram.flows:
        if flow.kind != MESSAGE:
            continue
        source = by_element[flow.source]
        target_pool = (
            by_element[flow.target].pool
            if flow.target in by_element
            else flow.target.split("_", 1)[1]
        )
        procedure = source.procedure or _procedure_near(process, flow.source)
        if procedure is None:
            continue
        result.append(Interaction(procedure, names[source.pool], names[target_pool]))
    return result


def _procedure_near(process: ChannelProcess, element_id: str) -> Procedure | None:
    """The procedure an inserted message event belongs to (``Throw_condition-1``)."""
    code = element_id.split("_", 1)[1]
    return next((p for p in process.procedures() if p.code == code), None)


def appendices(definition: dict[str, Any], language: str) -> dict[str, Any]:
    """Everything the appendices' include and the handbook show, in ``language``."""
    has_handbook = "handbook" in definition["process"]
    channels = []
    for channel in definition["channels"]:
        process = channel_process(definition, channel["code"])
        diagram = build_diagram(definition, channel["code"])
        channels.append(
            ChannelAppendix(
                channel=channel["code"],
                label=text(f"channel_{channel['code']}", language),
                name=Localized.of(channel["name"]),
                form_of_service=Localized.of(channel["form_of_service"]),
                appendix=APPENDIX_OF_CHANNEL.get(channel["code"]) if has_handbook else None,
                rows=_step_rows(process, language),
                interactions=_interactions(process, diagram, language),
                svg=mark_safe(render(diagram, language)),  # noqa: S308 - built with escape()
                procedures=process.procedures(),
            )
        )
    channels.sort(key=lambda c: c.appendix or 0)
    portal = [c for c in channels if c.channel == "portal"]
    return {
        "form_of_service": Localized.of(definition["form_of_service"]["text"]),
        "form_of_service_basis": definition["form_of_service"]["basis"],
        "channels": channels,
        "participants": participants(definition),
        # Appendix 2 is the interaction of the information systems via the portal.
        "interactions": portal[0].interactions if portal else channels[0].interactions,
        "legend": [
            (mark_safe(svg), words)  # noqa: S308 - built with escape()
            for svg, words in legend_items(language)
        ],
        "handbook": Localized.of(definition["process"]["handbook"]["text"])
        if has_handbook
        else None,
        "handbook_basis": definition["process"]["handbook"]["basis"] if has_handbook else "",
    }
