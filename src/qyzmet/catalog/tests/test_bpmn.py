"""`qyzmet catalog bpmn`: BPMN 2.0 of every version × channel of the catalogue, valid against
the OMG XSD, read back and compared with the catalogue; its diagram laid out without overlaps;
bad input; a process that cannot be drawn is named by `catalog check`."""

import os
import subprocess
from io import StringIO
from pathlib import Path

import pytest
import SpiffWorkflow
from django.core.management import CommandError, call_command
from lxml import etree

from qyzmet.catalog import bpmn
from qyzmet.catalog.process import channel_process
from qyzmet.catalog.texts import norm_text
from qyzmet.catalog.validation import check_directory, read_directory

from .conftest import QYZMET, edit, version_channels

# The OMG BPMN 2.0 schemas (BPMN20.xsd includes Semantic.xsd, imports BPMNDI, DC, DI) as
# SpiffWorkflow ships them.
XSD_DIR = Path(SpiffWorkflow.__file__).parent / "bpmn" / "parser" / "schema"
NS = {
    "xml": "http://www.w3.org/XML/1998/namespace",
    "bpmn": bpmn.BPMN,
    "bpmndi": bpmn.BPMNDI,
    "dc": bpmn.DC,
    "di": bpmn.DI,
    "qz": bpmn.QZ,
}
TASK_TAGS = ("task", "userTask", "serviceTask")


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(XSD_DIR / "BPMN20.xsd")))


def tasks_of(root):
    return [node for tag in TASK_TAGS for node in root.iterfind(f".//bpmn:{tag}", NS)]


def test_the_catalogue_has_versions_and_channels_to_export():
    assert list(version_channels()), "no version × channel in the catalogue"


@pytest.mark.parametrize(("parsed", "channel"), version_channels())
def test_export_is_valid_bpmn_and_matches_the_catalogue(schema, parsed, channel):
    data = bpmn.export(parsed.definition, channel)
    root = etree.fromstring(data)
    assert schema.validate(root), schema.error_log

    process = channel_process(parsed.definition, channel)
    procedures = process.procedures()
    # A task per procedure of p.10 and step of p.5, named as the catalogue names it.
    tasks = {node.get("id"): node for node in tasks_of(root)}
    expected_tasks = [p for p in procedures if not p.is_condition]
    assert sorted(node.get("name") for node in tasks.values()) == sorted(
        p.title("ru") for p in expected_tasks
    )
    for p in expected_tasks:
        node = tasks[f"Task_{p.code}"]
        kk = node.find("bpmn:extensionElements/qz:name[@xml:lang='kk']", NS)
        en = node.find("bpmn:extensionElements/qz:name[@xml:lang='en']", NS)
        assert (kk.text, en.text) == (p.title("kk"), p.title("en"))
        doc = node.find("bpmn:documentation", NS).text
        assert p.basis in doc
        if p.step is not None:
            assert norm_text(p.step, "ru") in doc
            doc_kk = node.find("bpmn:extensionElements/qz:documentation[@xml:lang='kk']", NS)
            assert norm_text(p.step, "kk") in doc_kk.text
    steps = {s.code for s in parsed_steps(parsed, channel)}
    assert {p.step.code for p in expected_tasks if p.step} == steps

    # An exclusive gateway per condition, its "no" leading through its refusal branch to a
    # refusal end event.
    gateways = root.findall(".//bpmn:exclusiveGateway", NS)
    conditions = [p for p in procedures if p.is_condition]
    assert sorted(g.get("name") for g in gateways) == sorted(p.title("ru") for p in conditions)
    flows = {f.get("id"): f for f in root.iterfind(".//bpmn:sequenceFlow", NS)}
    by_id = {n.get("id"): n for n in root.iter() if n.get("id")}
    for condition in conditions:
        gateway = by_id[f"Gateway_{condition.code}"]
        outgoing = [flows[o.text] for o in gateway.findall("bpmn:outgoing", NS)]
        assert sorted(f.get("name") for f in outgoing) == ["да", "нет"]
        node = by_id[next(f.get("targetRef") for f in outgoing if f.get("name") == "нет")]
        for failing in process.branches[condition.code]:
            assert node.get("id") == f"Task_{failing.code}"
            (flow_id,) = [o.text for o in node.findall("bpmn:outgoing", NS)]
            node = by_id[flows[flow_id].get("targetRef")]
        assert etree.QName(node).localname == "endEvent" and node.get("name") == "Отказ"

    # Pools per participant, lanes per role of the provider; each step in its role's lane.
    participants = {p.get("id"): p for p in root.iterfind(".//bpmn:participant", NS)}
    assert {p.get("name") for p in participants.values()} == {
        p.name.ru for p in process.participants
    }
    lanes = {lane.get("name"): lane for lane in root.iterfind(".//bpmn:lane", NS)}
    assert list(lanes) == [role.name.ru for role in process.roles]
    for p in expected_tasks + conditions:
        if p.role:
            lane = lanes[next(r.name.ru for r in process.roles if r.code == p.role)]
            refs = [ref.text for ref in lane.findall("bpmn:flowNodeRef", NS)]
            assert any(ref.endswith(f"_{p.code}") for ref in refs), (p.code, p.role)

    # Message flows to the black-box participants the procedures address.
    messages = root.findall(".//bpmn:messageFlow", NS)
    for p in procedures:
        for target in p.messages:
            assert any(
                m.get("targetRef") == f"Participant_{target}"
                and m.get("sourceRef").endswith(f"_{p.code}")
                for m in messages
            ), (p.code, target)


def parsed_steps(parsed, channel):
    from qyzmet.catalog.definitions import Step

    return [
        Step.of(raw) for raw in parsed.definition["process"]["steps"] if channel in raw["channels"]
    ]


@pytest.mark.parametrize(("parsed", "channel"), version_channels())
def test_diagram_interchange_covers_everything_without_overlaps(parsed, channel):
    root = etree.fromstring(bpmn.export(parsed.definition, channel))
    shapes = {}
    for shape in root.iterfind(".//bpmndi:BPMNShape", NS):
        b = shape.find("dc:Bounds", NS)
        shapes[shape.get("bpmnElement")] = tuple(
            float(b.get(k)) for k in ("x", "y", "width", "height")
        )
    edges = {e.get("bpmnElement"): e for e in root.iterfind(".//bpmndi:BPMNEdge", NS)}
    process_nodes = [
        n
        for process in root.iterfind("bpmn:process", NS)
        for n in process
        if etree.QName(n).localname not in ("laneSet", "sequenceFlow")
    ]
    for node in process_nodes:
        assert node.get("id") in shapes, node.get("id")
    for flow in [
        *root.iterfind(".//bpmn:sequenceFlow", NS),
        *root.iterfind(".//bpmn:messageFlow", NS),
    ]:
        assert flow.get("id") in edges
        assert len(edges[flow.get("id")].findall("di:waypoint", NS)) >= 2
    for participant in root.iterfind(".//bpmn:participant", NS):
        assert participant.get("id") in shapes
    for lane in root.iterfind(".//bpmn:lane", NS):
        assert lane.get("id") in shapes

    boxes = [(node.get("id"), shapes[node.get("id")]) for node in process_nodes]
    for index, (a, (ax, ay, aw, ah)) in enumerate(boxes):
        for b, (bx, by, bw, bh) in boxes[index + 1 :]:
            assert not (ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah), (a, b)

    # Lanes are horizontal bands stacked without overlap; each node inside its lane.
    lane_boxes = {
        lane.get("id"): shapes[lane.get("id")] for lane in root.iterfind(".//bpmn:lane", NS)
    }
    ordered = sorted(lane_boxes.values(), key=lambda b: b[1])
    for upper, lower in zip(ordered, ordered[1:], strict=False):
        assert upper[1] + upper[3] <= lower[1]
    for lane in root.iterfind(".//bpmn:lane", NS):
        lx, ly, lw, lh = lane_boxes[lane.get("id")]
        for ref in lane.findall("bpmn:flowNodeRef", NS):
            x, y, w, h = shapes[ref.text]
            assert lx <= x and x + w <= lx + lw and ly <= y and y + h <= ly + lh, ref.text

    # Tasks go left to right in the order of the process.
    process = channel_process(parsed.definition, channel)
    xs = [shapes[f"{'Gateway' if p.is_condition else 'Task'}_{p.code}"][0] for p in process.main]
    assert xs == sorted(xs)


def test_the_xsd_check_is_real(schema, real_catalog):
    parsed = read_directory(real_catalog)[0]
    root = etree.fromstring(bpmn.export(parsed.definition, "portal"))
    task = tasks_of(root)[0]
    etree.SubElement(task, f"{{{bpmn.BPMN}}}notABpmnElement")
    assert not schema.validate(root)


@pytest.mark.django_db
def test_command_writes_the_named_version_and_channel(real_catalog, tmp_path, schema):
    call_command("catalog", "load", str(real_catalog), stdout=StringIO())
    parsed = read_directory(real_catalog)[-1]
    out = tmp_path / "process.bpmn"
    channel = parsed.definition["channels"][-1]["code"]
    call_command(
        "catalog",
        "bpmn",
        parsed.service_code,
        "--version",
        parsed.version,
        "--channel",
        channel,
        "--out",
        str(out),
    )
    root = etree.parse(str(out)).getroot()
    assert schema.validate(root)
    assert root.get("targetNamespace").endswith(
        f"/{parsed.service_code}/{parsed.version}/{channel}"
    )
    stdout = StringIO()
    call_command("catalog", "bpmn", parsed.service_code, "--version", parsed.version, stdout=stdout)
    assert stdout.getvalue().startswith("<?xml")


@pytest.mark.django_db
def test_command_bad_input_exits_2(real_catalog):
    call_command("catalog", "load", str(real_catalog), stdout=StringIO())
    parsed = read_directory(real_catalog)[0]

    def bad(*args) -> str:
        with pytest.raises(CommandError) as error:
            call_command("catalog", "bpmn", *args, stdout=StringIO())
        assert error.value.returncode == 2, args
        return str(error.value)

    assert "unknown service 'no-such-service'" in bad("no-such-service")
    assert "has no version '1999-01'" in bad(parsed.service_code, "--version", "1999-01")
    assert "has no channel 'kiosk'" in bad(
        parsed.service_code, "--version", parsed.version, "--channel", "kiosk"
    )


def test_command_line_exit_code_is_2(tmp_path):
    """Through the real command line, on a database of its own with the catalogue loaded."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}

    def qyzmet(*args):
        return subprocess.run(
            [str(QYZMET), *args], capture_output=True, text=True, env=env, timeout=300
        )

    for args in (["migrate", "--noinput"], ["catalog", "load"]):
        assert qyzmet(*args).returncode == 0
    result = qyzmet("catalog", "bpmn", "no-such-service")
    assert result.returncode == 2, result.stderr
    assert "unknown service" in result.stderr and "Traceback" not in result.stderr
    result = qyzmet("catalog", "bpmn", "temporary-export", "--version", "1999-01")
    assert result.returncode == 2 and "has no version" in result.stderr


def test_check_names_a_step_no_procedure_reaches(catalog_copy):
    path = catalog_copy / "temporary-export/2014-12.toml"
    text = path.read_text(encoding="utf-8")
    # Drop the procedure that performs the portal's "assign" step (its block up to the next).
    head = '[[process.procedures]]\nchannel = "portal"\ncode = "assign"\n'
    start = text.index(head)
    end = text.index("[[process.procedures]]", start + len(head))
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    issues = [str(i) for i in check_directory(catalog_copy).issues]
    assert any(
        i.startswith("catalog/temporary-export/2014-12.toml: process.steps[")
        and "step 'assign' of channel 'portal' is not reached" in i
        for i in issues
    ), issues


def test_check_names_undeclared_participants_roles_and_branches(catalog_copy):
    path = catalog_copy / "restoration-approval/2014-06.toml"
    edit(path, 'messages = ["gateway"]', 'messages = ["tax-office"]')
    edit(path, 'on_failure = ["process-8"]', 'on_failure = ["process-88"]', count=0)
    issues = [str(i) for i in check_directory(catalog_copy).issues]
    prefix = "catalog/restoration-approval/2014-06.toml: process.procedures["
    assert any(
        i.startswith(prefix) and "].messages: participant 'tax-office' is not declared" in i
        for i in issues
    ), issues
    assert any(
        i.startswith(prefix) and "].on_failure: 'process-88' is not a procedure" in i
        for i in issues
    ), issues
