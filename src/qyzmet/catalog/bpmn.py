"""BPMN 2.0 XML of a service version's process for one channel (``qyzmet catalog bpmn``).

A collaboration with a pool per participant (the gateway and the certification authority as
black boxes that messages go to), the provider's pool with a lane per role, a task per
procedure of p.10 and step of p.5, an exclusive gateway per condition with its refusal
branch and end event, message flows between the pools; each task's norm (p.8) and legal
basis as documentation. Names are Russian (the regulation's language); the Kazakh and
English names and documentation are extension elements ``qz:name`` / ``qz:documentation``
with ``xml:lang``. The diagram interchange (BPMN DI) comes from :mod:`qyzmet.catalog.diagram`.
Valid against the OMG BPMN 2.0 XSD (tested).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from . import diagram as dg
from .definitions import LANGUAGES, Localized
from .process import Procedure
from .texts import norm_text, text

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
QZ = "https://qyzmet.kz/schema/bpmn"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "qz": QZ}
#: The language of ``name`` attributes and ``bpmn:documentation``; the others are extensions.
PRIMARY = "ru"

_EVENT_TAGS = {
    dg.START: "startEvent",
    dg.MESSAGE_START: "startEvent",
    dg.END: "endEvent",
    dg.REFUSAL_END: "endEvent",
    dg.THROW: "intermediateThrowEvent",
    dg.CATCH: "intermediateCatchEvent",
}
_MESSAGE_EVENTS = (dg.MESSAGE_START, dg.THROW, dg.CATCH)


def _b(tag: str) -> str:
    return f"{{{BPMN}}}{tag}"


def documentation(procedure: Procedure, language: str) -> str:
    """What a task's documentation says: its p.10 label, role, norm (p.8) and basis."""
    lines = []
    if procedure.step is not None:
        lines.append(f"{text('norm', language)}: {norm_text(procedure.step, language)}")
    lines.append(f"{text('basis', language)}: {procedure.basis}")
    if procedure.step is not None and procedure.step.basis != procedure.basis:
        lines.append(f"{text('basis', language)} (p.5, p.8): {procedure.step.basis}")
    return "\n".join(lines)


def _names(parent: etree._Element, name: Localized | None) -> None:
    if name is None:
        return
    for language in LANGUAGES:
        if language != PRIMARY:
            extension = etree.SubElement(parent, f"{{{QZ}}}name")
            extension.set(XML_LANG, language)
            extension.text = name.text(language)


def _semantic(parent: etree._Element, element: dg.Element) -> etree._Element:
    procedure = element.procedure
    if element.kind == dg.TASK:
        role = procedure.role if procedure else None
        tag = "serviceTask" if role == "system" else "userTask" if role else "task"
    elif element.kind == dg.GATEWAY_KIND:
        tag = "exclusiveGateway"
    else:
        tag = _EVENT_TAGS[element.kind]
    node = etree.SubElement(parent, _b(tag), id=element.id)
    if element.name is not None:
        title = procedure.title(PRIMARY) if procedure else element.name.text(PRIMARY)
        node.set("name", title)
    if procedure is not None:
        doc = etree.SubElement(node, _b("documentation"))
        doc.text = documentation(procedure, PRIMARY)
    extensions = etree.SubElement(node, _b("extensionElements"))
    if procedure is not None:
        extensions.append(
            etree.Element(
                f"{{{QZ}}}procedure",
                code=procedure.code,
                kind=procedure.kind,
                **({"step": procedure.step.code} if procedure.step else {}),
                **({"role": procedure.role} if procedure.role else {}),
                basis=procedure.basis,
            )
        )
        for language in LANGUAGES:
            if language != PRIMARY:
                extension = etree.SubElement(extensions, f"{{{QZ}}}name")
                extension.set(XML_LANG, language)
                extension.text = procedure.title(language)
        for language in LANGUAGES:
            if language != PRIMARY:
                extension = etree.SubElement(extensions, f"{{{QZ}}}documentation")
                extension.set(XML_LANG, language)
                extension.text = documentation(procedure, language)
    else:
        _names(extensions, element.name)
    if not len(extensions):
        node.remove(extensions)
    for flow_id in element.incoming:
        etree.SubElement(node, _b("incoming")).text = flow_id
    for flow_id in element.outgoing:
        etree.SubElement(node, _b("outgoing")).text = flow_id
    if element.kind in _MESSAGE_EVENTS:
        etree.SubElement(node, _b("messageEventDefinition"), id=f"{element.id}_message")
    return node


def to_xml(diagram: dg.Diagram) -> etree._Element:
    """The ``bpmn:definitions`` element of a laid-out diagram."""
    root = etree.Element(
        _b("definitions"),
        nsmap=NSMAP,
        id=f"Definitions_{diagram.service}_{diagram.version}_{diagram.channel}",
        targetNamespace=f"{QZ}/{diagram.service}/{diagram.version}/{diagram.channel}",
        exporter="qyzmet",
        exporterVersion="1",
    )
    collaboration = etree.Element(_b("collaboration"), id="Collaboration")
    process_nodes = []
    flows_by_id = {flow.id: flow for flow in diagram.flows}
    for pool in diagram.pools:
        participant = diagram.process.participant(pool.pool)
        node = etree.SubElement(
            collaboration, _b("participant"), id=pool.id, name=participant.name.text(PRIMARY)
        )
        doc = etree.SubElement(node, _b("documentation"))
        doc.text = participant.basis
        extensions = etree.SubElement(node, _b("extensionElements"))
        _names(extensions, participant.name)
        if pool.black_box:
            continue
        process_id = f"Process_{pool.pool}"
        node.set("processRef", process_id)
        process = etree.Element(_b("process"), id=process_id, isExecutable="false")
        elements = diagram.elements_of(pool.pool)
        lanes = [lane for lane in diagram.lanes if lane.pool == pool.pool]
        if lanes:
            lane_set = etree.SubElement(process, _b("laneSet"), id=f"LaneSet_{pool.pool}")
            for lane in lanes:
                lane_node = etree.SubElement(
                    lane_set, _b("lane"), id=lane.id, name=lane.name.text(PRIMARY)
                )
                lane_extensions = etree.SubElement(lane_node, _b("extensionElements"))
                _names(lane_extensions, lane.name)
                for element in elements:
                    if element.lane == lane.lane:
                        etree.SubElement(lane_node, _b("flowNodeRef")).text = element.id
        for element in elements:
            _semantic(process, element)
        for element in elements:
            for flow_id in element.outgoing:
                flow = flows_by_id[flow_id]
                sequence = etree.SubElement(
                    process,
                    _b("sequenceFlow"),
                    id=flow.id,
                    sourceRef=flow.source,
                    targetRef=flow.target,
                )
                if flow.name is not None:
                    sequence.set("name", flow.name.text(PRIMARY))
        process_nodes.append(process)
    for flow in diagram.flows:
        if flow.kind == dg.MESSAGE:
            etree.SubElement(
                collaboration,
                _b("messageFlow"),
                id=flow.id,
                sourceRef=flow.source,
                targetRef=flow.target,
            )
    root.append(collaboration)
    for process in process_nodes:
        root.append(process)
    root.append(_diagram_interchange(diagram))
    return root


def _bounds(parent: etree._Element, bounds: dg.Bounds) -> None:
    etree.SubElement(
        parent,
        f"{{{DC}}}Bounds",
        x=_n(bounds.x),
        y=_n(bounds.y),
        width=_n(bounds.w),
        height=_n(bounds.h),
    )


def _n(value: float) -> str:
    return f"{value:g}"


def _diagram_interchange(diagram: dg.Diagram) -> etree._Element:
    bpmn_diagram = etree.Element(f"{{{BPMNDI}}}BPMNDiagram", id="Diagram")
    plane = etree.SubElement(
        bpmn_diagram, f"{{{BPMNDI}}}BPMNPlane", id="Plane", bpmnElement="Collaboration"
    )
    for band in [*diagram.pools, *diagram.lanes]:
        shape = etree.SubElement(
            plane,
            f"{{{BPMNDI}}}BPMNShape",
            id=f"{band.id}_di",
            bpmnElement=band.id,
            isHorizontal="true",
        )
        assert band.bounds is not None
        _bounds(shape, band.bounds)
    for element in diagram.elements.values():
        shape = etree.SubElement(
            plane, f"{{{BPMNDI}}}BPMNShape", id=f"{element.id}_di", bpmnElement=element.id
        )
        if element.kind == dg.GATEWAY_KIND:
            shape.set("isMarkerVisible", "true")
        assert element.bounds is not None
        _bounds(shape, element.bounds)
        label = label_bounds(element)
        if label is not None:
            _bounds(etree.SubElement(shape, f"{{{BPMNDI}}}BPMNLabel"), label)
    for flow in diagram.flows:
        edge = etree.SubElement(
            plane, f"{{{BPMNDI}}}BPMNEdge", id=f"{flow.id}_di", bpmnElement=flow.id
        )
        for x, y in flow.waypoints:
            etree.SubElement(edge, f"{{{DI}}}waypoint", x=_n(x), y=_n(y))
    return bpmn_diagram


def label_bounds(element: dg.Element) -> dg.Bounds | None:
    """Where an external label goes: a gateway's question above it, an event's name below."""
    bounds = element.bounds
    assert bounds is not None
    if element.kind == dg.GATEWAY_KIND:
        return dg.Bounds(bounds.cx - 80, bounds.y - 58, 160, 54)
    if element.is_event:
        return dg.Bounds(bounds.cx - 40, bounds.bottom + 4, 80, 14)
    return None


def export(definition: dict[str, Any], channel: str) -> bytes:
    """The BPMN 2.0 document (UTF-8 XML) of a version's process for a channel."""
    root = to_xml(dg.build_diagram(definition, channel))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
