"""The result PDF's per-process caches of split texts and table-cell operators write exactly
what reportlab writes without them (issue 10, speed: the 40-item certificate)."""

import io

import pytest
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate

from qyzmet.core.pdf_fonts import FONT, FONT_BOLD, register_fonts
from qyzmet.results import typeset

CELLS = [
    ["Ковёр ворсовый «Қызыл гүл» №1", "шерсть,\nручное ткачество", "210 × 140 см"],
    ["Müller, Zoë — 中文", "", "ЦГМ КП-1000\n\nпустая строка выше"],
    ["Ковёр ворсовый «Қызыл гүл» №1", "Әңгіме ұзақ", "1 500 000 ₸"],
]


class SeededCanvas(Canvas):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        typeset.seed_subsets(self._doc, (FONT, FONT_BOLD))


def table_pdf() -> bytes:
    out = io.BytesIO()
    table = typeset.TextTable(
        CELLS, style=[("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    )
    SimpleDocTemplate(out, pagesize=A4).build([table], canvasmaker=SeededCanvas)
    return out.getvalue()


@pytest.fixture
def invariant(monkeypatch):
    monkeypatch.setattr(rl_config, "invariant", 1)


def test_cached_cells_write_what_reportlab_writes(invariant, monkeypatch):
    register_fonts(typeset.EmbeddedFont)
    font = pdfmetrics.getFont(FONT)
    assert isinstance(font, typeset.EmbeddedFont)
    cached_first, cached_again = table_pdf(), table_pdf()
    # The seeded cells were remembered; the one with Latin diacritics and Chinese was not.
    remembered = {cell for cell, _size, _leading in font._cells}
    assert "шерсть,\nручное ткачество" in remembered
    assert "Müller, Zoë — 中文" not in remembered

    monkeypatch.setattr(typeset.EmbeddedFont, "cell_code", lambda *args: None)
    monkeypatch.setattr(typeset.EmbeddedFont, "splitString", TTFont.splitString)
    plain = table_pdf()
    assert cached_first == plain
    assert cached_again == plain
