"""The TrueType fonts every PDF of qyzmet embeds — result documents and the business-process
handbook — registered with reportlab once per process under fixed names.

Settings (defaults: DejaVu Sans from Debian's ``fonts-dejavu-core``):
``QYZMET_RESULTS_FONT_PATH`` / ``QYZMET_RESULTS_FONT_BOLD_PATH``. The fonts must cover Cyrillic
and the Kazakh letters Ә Ғ Қ Ң Ө Ұ Ү Һ І.

It lives in core because both the results app (documents) and the catalog app (handbook) lay
out PDFs, and the catalog may not depend on results (results reads the catalogue's templates).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .refusals import Refused, register

FONT = "QyzmetSans"
FONT_BOLD = "QyzmetSans-Bold"
DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")

register("result_font_missing", gettext_lazy("Шрифт для документа не найден: {path}."))

_registered: tuple[str, str] | None = None


def font_paths() -> tuple[str, str]:
    """The regular and bold font files the settings name."""
    return (
        str(getattr(settings, "QYZMET_RESULTS_FONT_PATH", DEJAVU_DIR / "DejaVuSans.ttf")),
        str(getattr(settings, "QYZMET_RESULTS_FONT_BOLD_PATH", DEJAVU_DIR / "DejaVuSans-Bold.ttf")),
    )


def register_fonts(font_class: type[TTFont] = TTFont) -> None:
    """Register :data:`FONT` and :data:`FONT_BOLD` once per process (parsing a TrueType file
    costs ~30 ms); again only when the configured paths change. ``font_class`` lets the result
    documents use their subset-caching font. A missing file is refused with its path."""
    global _registered
    paths = font_paths()
    if _registered == paths:
        return
    for path in paths:
        if not Path(path).is_file():
            raise Refused("result_font_missing", {"path": path})
    pdfmetrics.registerFont(font_class(FONT, paths[0]))
    pdfmetrics.registerFont(font_class(FONT_BOLD, paths[1]))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)
    _registered = paths
