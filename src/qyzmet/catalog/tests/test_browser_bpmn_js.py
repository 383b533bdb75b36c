"""bpmn.io opens the export: every version × channel imported into the bpmn-js viewer (npm
bpmn-js, the library of bpmn.io and Camunda Modeler) in Chromium, without an import warning,
every task, gateway and lane drawn with its name, no two shapes overlapping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qyzmet.catalog import bpmn
from qyzmet.catalog.process import channel_process

from .conftest import version_channels

pytestmark = pytest.mark.browser

VIEWER = (
    Path(__file__).resolve().parents[4] / "node_modules/bpmn-js/dist/bpmn-viewer.production.min.js"
)

IMPORT = """async xml => {
    const viewer = new BpmnJS({container: '#canvas'});
    const {warnings} = await viewer.importXML(xml);
    const registry = viewer.get('elementRegistry');
    const shapes = registry.filter(e => !e.waypoints && e.type !== 'bpmn:Collaboration'
        && e.type !== 'label');
    const named = shapes.map(e => ({
        id: e.id, type: e.type, x: e.x, y: e.y, width: e.width, height: e.height,
        // the element's own text, or its external label's (gateways, events)
        words: [e, e.label].filter(Boolean)
            .flatMap(x => [...registry.getGraphics(x).querySelectorAll('text tspan')])
            .map(t => t.textContent).join(' '),
        name: e.businessObject.name || '',
    }));
    return {warnings: warnings.map(w => w.message), shapes: named};
}"""


def squeeze(words: str) -> str:
    return re.sub(r"\s+", "", words)


@pytest.fixture(scope="module")
def viewer_page(browser):
    assert VIEWER.is_file(), "npm install (bpmn-js) first"
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_content('<div id="canvas" style="width:1600px;height:1000px"></div>')
    page.add_script_tag(path=str(VIEWER))
    yield page, errors
    page.close()


@pytest.mark.parametrize(("parsed", "channel"), version_channels())
def test_bpmn_js_imports_the_export_without_warnings(viewer_page, parsed, channel):
    page, errors = viewer_page
    page.evaluate("() => { document.querySelector('#canvas').innerHTML = ''; }")
    xml = bpmn.export(parsed.definition, channel).decode("utf-8")
    result = page.evaluate(IMPORT, xml)
    assert result["warnings"] == []
    assert errors == []
    shapes = {s["id"]: s for s in result["shapes"]}
    process = channel_process(parsed.definition, channel)
    for procedure in process.procedures():
        prefix = "Gateway" if procedure.is_condition else "Task"
        shape = shapes[f"{prefix}_{procedure.code}"]
        assert shape["name"] == procedure.title("ru")
        # bpmn-js writes the whole name (wrapped: compare without the line breaks).
        assert squeeze(shape["words"]) == squeeze(procedure.title("ru")), procedure.code
    for role in process.roles:
        assert squeeze(shapes[f"Lane_{role.code}"]["words"]) == squeeze(role.name.ru)
    flow_nodes = [s for s in result["shapes"] if s["type"] not in ("bpmn:Participant", "bpmn:Lane")]
    for index, a in enumerate(flow_nodes):
        for b in flow_nodes[index + 1 :]:
            overlap = (
                a["x"] < b["x"] + b["width"]
                and b["x"] < a["x"] + a["width"]
                and a["y"] < b["y"] + b["height"]
                and b["y"] < a["y"] + a["height"]
            )
            assert not overlap, (a["id"], b["id"])
