"""reportlab pieces that keep the per-document work of a result PDF small.

Left to itself, reportlab repeats for every document work that depends only on the font or on
an image's bytes:

- A TrueType font is embedded as a subset of the characters in their order of first use, built
  and compressed for each document (~1.3 ms a font), and different for nearly every document
  because names and addresses differ. Here each document's subset starts with the same
  alphabet (:func:`seed_subsets`), so it is the same for any Russian and Kazakh text, and
  :class:`EmbeddedFont` builds and compresses it once per process.
- A table draws every line of a plain-text cell as a text object of its own (760 in a
  40-item certificate); :class:`TextTable` writes one per cell.
- An image given in memory is named by the digest of its decoded pixels: a full decode and an
  MD5 of megabytes per photo and document, although a JPEG goes into the PDF undecoded.
  :class:`JpegPhoto` names it by the digest of its bytes.

What the PDF shows is unchanged: the same glyphs at the same places, the JPEG data as it was.
"""

from __future__ import annotations

import functools
import hashlib
import io
import zlib

from reportlab.lib.rl_accel import fp_str
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFArray, PDFName
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace
from reportlab.platypus import Flowable, Table

# Every character the documents are expected to use beyond ASCII, in a fixed order: Russian,
# the nine Kazakh letters, and the typography of the texts. 95 characters: with ASCII they fit
# in the first subset of 256, leaving room for ~60 others (a foreign name), which follow them.
SUBSET_ALPHABET = (
    "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    "ӘҒҚҢӨҰҮҺІәғқңөұүһі"
    "«»—–№•×…’“”"
)


SPLITS_REMEMBERED = 20_000  # texts per font (cell texts and lines: a few MB at most)


class EmbeddedFont(TTFont):
    """A TrueType font whose embedded subsets are built and compressed once per process, and
    whose texts are split into subset codes once per process when the split is the same in
    every document."""

    def __init__(self, name: str, path: str) -> None:
        super().__init__(name, path)
        # The face parsed above (~30 ms), given the caching subset methods below.
        self.face.__class__ = _CachedSubsetFace
        # The characters whose codes are the same in every seeded document (ASCII and
        # SUBSET_ALPHABET: known after the first seeding), and the splits of texts made of them.
        self._seeded_characters: frozenset[str] = frozenset()
        self._splits: dict[str, list[tuple[int, bytes]]] = {}
        self._cells: dict[tuple[str, float, float], tuple] = {}

    def seed(self, doc) -> None:
        """Give SUBSET_ALPHABET the first codes of this font's subset in ``doc``."""
        super().splitString(SUBSET_ALPHABET, doc)
        if not self._seeded_characters:
            assigned = self.state[doc].assignments
            self._seeded_characters = frozenset(map(chr, assigned)) - {"\xa0"}
        doc.qyzmet_seeded = True

    def splitString(self, text, doc, encoding="utf-8"):  # noqa: N802  (reportlab's name)
        # reportlab splits every line of every document character by character (~10 % of a
        # 40-item certificate); a text of seeded characters splits the same everywhere.
        if not (isinstance(text, str) and getattr(doc, "qyzmet_seeded", False)):
            return super().splitString(text, doc, encoding)
        split = self._splits.get(text)
        if split is None:
            split = super().splitString(text, doc, encoding)
            if self._seeded_characters.issuperset(text):
                if len(self._splits) >= SPLITS_REMEMBERED:
                    self._splits.clear()
                self._splits[text] = split
        return split

    def cell_code(self, cell: str, size: float, leading: float, canvas) -> str | None:
        """The text-object operators reportlab's ``textLine`` writes for each line of
        ``cell`` (font selection, ``Tj``, ``T*``), remembered per process for a cell of seeded
        characters; None for any other cell (then reportlab writes it). The subsets' PDF names
        depend on the document, so they are looked up for each document."""
        doc = canvas._doc
        if not getattr(doc, "qyzmet_seeded", False):
            return None
        key = (cell, size, leading)
        parts = self._cells.get(key)
        if parts is None:
            if not self._seeded_characters.issuperset(cell.replace("\n", "")):
                return None
            parts = self._cell_parts(cell, size, leading, canvas)
            if len(self._cells) >= SPLITS_REMEMBERED:
                self._cells.clear()
            self._cells[key] = parts
        return "".join(
            part if isinstance(part, str) else self.getSubsetInternalName(part, doc)
            for part in parts
        )

    def _cell_parts(self, cell: str, size: float, leading: float, canvas) -> tuple:
        """What ``PDFTextObject.textLine`` writes for each line, as strings and subset
        numbers (for the subsets' names): the same operators, joined the same way."""
        selection = f" {fp_str(size)} Tf {fp_str(leading)} TL"
        parts: list = []
        current = -1
        for number, line in enumerate(cell.split("\n")):
            if number:
                parts.append(" ")
            first = True
            for subset, codes in self.splitString(line, canvas._doc):
                if not first:
                    parts.append(" ")
                first = False
                if subset != current:
                    parts.extend((subset, selection, " "))
                    current = subset
                parts.append(f"({canvas._escape(codes)}) Tj")
            parts.append(" T*")
        return tuple(parts)


class _CachedSubsetFace(TTFontFace):
    def makeSubset(self, subset):  # noqa: N802  (reportlab's name)
        return _font_file(self, tuple(subset))[0]

    def addSubsetObjects(self, doc, fontname, subset):  # noqa: N802  (reportlab's name)
        descriptor = super().addSubsetObjects(doc, fontname, subset)
        if doc.compression:
            # The stream reportlab would compress while writing: given the compressed bytes,
            # with the filter marked as applied (the bytes are the same as zlib's then).
            stream = doc.idToObject[f"fontFile:{self.filename}({fontname})"]
            stream.content = _font_file(self, tuple(subset))[1]
            stream.dictionary["Filter"] = PDFArray([PDFName("FlateDecode")])
        return descriptor


@functools.lru_cache(maxsize=64)
def _font_file(face: TTFontFace, subset: tuple[int, ...]) -> tuple[bytes, bytes]:
    """The font file of ``subset`` and its zlib compression."""
    data = TTFontFace.makeSubset(face, list(subset))
    return data, zlib.compress(data)


def seed_subsets(doc, font_names: tuple[str, ...]) -> None:
    """Give ``SUBSET_ALPHABET`` the first codes of each font's subset in the document ``doc``
    (a canvas's ``_doc``), before anything is drawn."""
    for name in font_names:
        font = pdfmetrics.getFont(name)
        if isinstance(font, EmbeddedFont):
            font.seed(doc)
        else:
            font.splitString(SUBSET_ALPHABET, doc)


class TextTable(Table):
    """A Table that writes each plain-text cell (lines separated by newlines, left and top
    aligned) as one text object; other cells are drawn by reportlab as usual."""

    def _drawCell(self, cellval, cellstyle, pos, size):  # noqa: N802  (reportlab's name)
        if not (
            isinstance(cellval, str)
            and cellstyle.alignment == "LEFT"
            and cellstyle.valign == "TOP"
            and not (cellstyle.direction or cellstyle.shaping)
            and not (cellstyle.href or cellstyle.destination)
        ):
            return super()._drawCell(cellval, cellstyle, pos, size)
        self._use_cell_style(cellstyle)
        column_x, row_y = pos
        text = self.canv.beginText(
            column_x + cellstyle.leftPadding,
            row_y + size[1] - cellstyle.topPadding - cellstyle.fontsize,
        )
        font = pdfmetrics.getFont(cellstyle.fontname)
        code = None
        if isinstance(font, EmbeddedFont):
            code = font.cell_code(cellval, cellstyle.fontsize, cellstyle.leading, self.canv)
        if code is None:
            for line in cellval.split("\n"):
                text.textLine(line)  # the next line one leading lower, as reportlab places it
        else:
            text._code.append(code)
        self.canv.drawText(text)
        return None

    def _use_cell_style(self, cellstyle) -> None:
        """Colour and font of the cell, set only when they change (as Table._drawCell does)."""
        current = self._curcellstyle
        if current is cellstyle:
            return
        if current is None or cellstyle.color != current.color:
            self.canv.setFillColor(cellstyle.color)
        if current is None or (cellstyle.fontname, cellstyle.fontsize, cellstyle.leading) != (
            current.fontname,
            current.fontsize,
            current.leading,
        ):
            self.canv.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
        self._curcellstyle = cellstyle


class _JpegReader(ImageReader):
    """reportlab's reader of a JPEG in memory, whose 'pixel data' for naming the image (an
    image drawn twice is embedded once) is the SHA-256 of the JPEG: the PDF gets the JPEG
    bytes unchanged either way."""

    def __init__(self, jpeg: bytes) -> None:
        super().__init__(io.BytesIO(jpeg))
        if self.jpeg_fh() is None:
            raise ValueError("not a JPEG")
        self._jpeg = jpeg

    def getRGBData(self):  # noqa: N802  (reportlab's name)
        self._dataA = None  # no alpha channel
        return hashlib.sha256(self._jpeg).digest()


class JpegPhoto(Flowable):
    """A JPEG drawn at ``width`` × ``height`` points, embedded as it is (DCTDecode)."""

    def __init__(self, jpeg: bytes, width: float, height: float) -> None:
        super().__init__()
        self.jpeg = jpeg
        self.width, self.height = width, height

    def draw(self) -> None:
        self.canv.drawImage(_JpegReader(self.jpeg), 0, 0, self.width, self.height)
