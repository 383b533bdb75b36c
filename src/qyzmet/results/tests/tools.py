"""Independent readers of the PDFs the tests check: poppler's command-line tools."""

from __future__ import annotations

import subprocess
from pathlib import Path


def _run(*args: str) -> str:
    answer = subprocess.run(args, capture_output=True, timeout=60, check=False)
    return answer.stdout.decode("utf-8", "replace") + answer.stderr.decode("utf-8", "replace")


def pdftotext(pdf: bytes, folder: Path) -> str:
    path = Path(folder) / "document.pdf"
    path.write_bytes(pdf)
    return _run("pdftotext", "-enc", "UTF-8", str(path), "-")


def pdfsig(pdf: bytes, folder: Path) -> str:
    path = Path(folder) / "signed.pdf"
    path.write_bytes(pdf)
    return _run("pdfsig", str(path))


def pdffonts(pdf: bytes, folder: Path) -> str:
    path = Path(folder) / "fonts.pdf"
    path.write_bytes(pdf)
    return _run("pdffonts", str(path))


def pdfimages_count(pdf: bytes, folder: Path) -> int:
    path = Path(folder) / "images.pdf"
    path.write_bytes(pdf)
    listing = _run("pdfimages", "-list", str(path)).splitlines()
    return len([line for line in listing[2:] if line.strip()])


def flip_byte(pdf: bytes, marker: bytes) -> bytes:
    """The PDF with one byte changed: the first byte of ``marker``'s first occurrence."""
    at = pdf.index(marker)
    return pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :]
