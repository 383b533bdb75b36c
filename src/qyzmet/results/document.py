"""A result document composed from its catalogue template: what it says, before any layout.

``compose`` fills the version's template (``[result].templates`` in the catalogue, format in
``catalog/README.md``) with the decision's data: the form as the executor left it, the
executor's own result fields, the applicant, the refusal reasons with their catalogue text
and legal ground, the outgoing number. The result is a :class:`Document` of plain-text
blocks in the template's languages, which the PDF (``render``) and the HTML pages
(``results/_document.html``: the portal's view, the public verification page, the head's
review) lay out the same way. Nothing service-specific is in this module.

Enumerated values print as labels: the form schema's ``x-enum-labels``; countries and
currencies by their CLDR names (Babel) in each language.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from qyzmet.cases.queries import registration_times
from qyzmet.catalog.result_templates import PLACEHOLDER, form_node
from qyzmet.core.i18n import translate

logger = logging.getLogger(__name__)

#: Keys of ``Decision.result_data`` that are the executor's own, not form fields.
RESULT_ONLY_FIELDS = ("holder", "holder_identifier", "conditions")

SIGNED = gettext_lazy("Подписано электронной цифровой подписью.")
DRAFT = gettext_lazy("ПРОЕКТ")
DRAFT_NOTE = gettext_lazy("Проект, не подписан: не действителен до подписания.")
LABELS = {
    "date": gettext_lazy("Дата"),
    "verify": gettext_lazy("Проверка подлинности"),
    "registration": pgettext_lazy("results.registration", "Рег. номер"),
    "sheet": gettext_lazy("Лист"),
    "yes": gettext_lazy("да"),
    "iin": gettext_lazy("ИИН"),
    "bin": gettext_lazy("БИН"),
}
CITY = gettext_lazy("г. Алматы")
EMPTY = "—"


# --- what a composed document is -------------------------------------------------------------


@dataclass(frozen=True)
class Photo:
    item_number: int
    caption: str
    image: bytes  # JPEG, already scaled down
    width: int
    height: int


@dataclass
class Row:
    label: str
    value: str


@dataclass
class Block:
    """One block of the document. ``type`` is the template's block type; the other fields are
    those of that type: ``rows`` (fields), ``paragraphs`` (text, sheets; a sheets paragraph
    keeps ``{sheets}`` for the layout to fill), ``headers``/``cells``/``widths`` in mm
    (table), ``photos``, ``reasons`` (each a list of paragraphs), and the signature's
    ``signer``."""

    type: str
    heading: str = ""
    rows: list[Row] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    cells: list[list[str]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)
    reasons: list[list[str]] = field(default_factory=list)
    signer: Signature | None = None
    list: str = ""  # documents: which list (accepted, missing)


@dataclass
class Signature:
    position: str
    provider: list[str]
    name: str
    date: str
    draft: bool
    wording: str
    verification_url: str
    verify_label: str


@dataclass
class Document:
    kind: str
    languages: tuple[str, ...]
    title: list[str]  # one line per language
    provider: list[str]
    city: str
    number: str
    registration_number: str
    draft: bool
    blocks: list[Block]

    @property
    def draft_mark(self) -> str:
        return " / ".join(translate(DRAFT, lang) for lang in self.languages)

    @property
    def metadata_title(self) -> str:
        """The PDF's /Title: the document's name in its languages and its number."""
        return " / ".join(self.title) + (f" № {self.number}" if self.number else "")

    def footer(self, page: int, total: int) -> tuple[str, str]:
        label = " / ".join(translate(LABELS["registration"], lang) for lang in self.languages)
        sheet = " / ".join(translate(LABELS["sheet"], lang) for lang in self.languages)
        return f"{label}: {self.registration_number}", f"{sheet} {page} / {total}"

    def text(self) -> str:
        """The document as plain text (the order in which it reads)."""
        lines = [*self.provider, self.city, *self.title]
        for block in self.blocks:
            lines += [block.heading] if block.heading else []
            lines += [f"{row.label}: {row.value}" for row in block.rows]
            lines += block.paragraphs
            if block.headers:
                lines.append(" | ".join(block.headers))
                lines += [" | ".join(row) for row in block.cells]
            for reason in block.reasons:
                lines += reason
        return "\n".join(line for line in lines if line)


# --- formatting ------------------------------------------------------------------------------


def _moment(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""


def format_date(value: Any) -> str:
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    try:
        return date.fromisoformat(str(value)).strftime("%d.%m.%Y")
    except ValueError:
        return "" if value is None else str(value)


@functools.lru_cache(maxsize=8)
def _locale(language: str):
    from babel import Locale

    return Locale.parse(language)


def country_name(code: Any, language: str) -> str:
    """A country by its CLDR name in ``language`` (ISO 3166 alpha-2 code in the form)."""
    text = "" if code is None else str(code)
    return _locale(language).territories.get(text.upper(), text)


def money(value: Any, language: str) -> str:
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    amount = value.get("amount")
    try:
        number = f"{float(amount):,.2f}".replace(",", "\u00a0").removesuffix(".00")
    except (TypeError, ValueError):
        number = "" if amount is None else str(amount)
    code = str(value.get("currency") or "")
    name = _locale(language).currencies.get(code.upper(), code) if code else ""
    return f"{number} {name}".strip()


def _enum_label(node: dict | None, value: Any, language: str) -> str:
    if node is None:
        return str(value)
    labels = node.get("x-enum-labels")
    if labels is None and isinstance(node.get("items"), dict):
        labels = node["items"].get("x-enum-labels")
    found = (labels or {}).get(value)
    return found.get(language) or found["ru"] if found else str(value)


def _dig(data: Any, path: list[str]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _bilingual(values: list[str]) -> str:
    """Values in the document's languages: one when they are the same, else 'kk / ru'."""
    unique = list(dict.fromkeys(v for v in values if v))
    return " / ".join(unique)


# --- composing -------------------------------------------------------------------------------


class _Filler:
    """Fills placeholders for one document (see ``FIXED_PLACEHOLDERS`` of the catalogue)."""

    def __init__(self, application, decision, document_meta: dict) -> None:
        version = application.service_version
        self.version = version
        self.schema = version.form_schema
        self.form = result_fields(decision) if decision else dict(application.form_data or {})
        self.result = (decision.result_data or {}) if decision else {}
        self.decision = decision
        self.application = application
        self.meta = document_meta
        self.photo_rows: set[int] = set()
        self.lists: dict[str, list] = {}
        self.sheets: dict[str, str] = {}
        self._photos: dict[str, list[Photo]] = {}

    def document_date(self):
        """The document's date: the day it is signed on (the day it was prepared for the
        head), else the day the decision was prepared."""
        signed_on = self.meta.get("signed_on")
        if signed_on is not None:
            return signed_on
        return self.decision.prepared_at if self.decision else None

    def photos(self, items: list[dict], photo_field: str) -> list[Photo]:
        """The items' photographs, read once per document (the table and the photo grid)."""
        if photo_field not in self._photos:
            self._photos[photo_field] = item_photos(self.application, items, photo_field)
        return self._photos[photo_field]

    def fixed(self, name: str, language: str) -> Any:
        application, version = self.application, self.version
        if name.startswith("result."):
            return self.result.get(name.removeprefix("result."))
        if name.startswith("legal."):
            return _act(version, name.removeprefix("legal."), language)
        match name:
            case "applicant.name":
                return application.applicant_name
            case "applicant.identifier":
                return application.identifier
            case "applicant.identifier_label":
                kind = "bin" if application.applicant_kind == "legal_entity" else "iin"
                return translate(LABELS[kind], language)
            case "document.number":
                return self.meta.get("number", "")
            case "document.date":
                return format_date(self.document_date())
            case "document.registration_number":
                return application.registration_number
            case "document.submitted":
                return format_date(registration_times(application).submitted_at)
            case "document.registered":
                return format_date(registration_times(application).registered_at)
            case "decision.explanation":
                return self.decision.explanation if self.decision else ""
            case "receipt.date":
                return _moment(registration_times(application).submitted_at)
            case "receipt.registered":
                return _moment(registration_times(application).registered_at)
            case "receipt.collect_on":
                return format_date(application.deadline_at)
            case "receipt.employee":
                return self.meta.get("employee", "")
            case "service.title":
                return version.title(language)
            case "provider.name":
                return version.provider_name.text(language)
            case "helpline":
                return version.helpline
            case "complaints.to":
                return _localized(version.definition["complaints"]["to"], language)
            case "complaints.days":
                return version.definition["complaints"]["term"]["value"]
        return None

    def value(self, name: str, filter_: str | None, language: str, item=None, row=None) -> str:
        root, _, rest = name.partition(".")
        node: dict | None = None
        if name == "row":
            value: Any = row
        elif name in self.sheets:
            return self.sheets[name]
        elif root == "form":
            path = rest.split(".")
            value, node = _dig(self.form, path), form_node(self.schema, path)
        elif root == "item":
            path = rest.split(".")
            value, node = _dig(item, path), form_node(self.item_schema, path)
        else:
            value = self.fixed(name, language)
        if filter_ == "photo":
            return translate(LABELS["yes"], language) if row in self.photo_rows else EMPTY
        if value is None or value == "" or value == []:
            return ""
        if filter_ == "date":
            return format_date(value)
        if filter_ == "country":
            return country_name(value, language)
        if filter_ == "money":
            return money(value, language)
        if filter_ == "label":
            values = value if isinstance(value, list) else [value]
            return ", ".join(_enum_label(node, v, language) for v in values)
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)

    def fill(self, text: str, language: str, item=None, row=None) -> tuple[str, bool]:
        """``text`` with its placeholders filled, and whether any of them had a value (a
        text without placeholders counts as having one)."""
        parts, _ = _parsed(text)
        if len(parts) == 1 and isinstance(parts[0], str):
            return parts[0], True
        out, found = [], False
        for part in parts:
            if isinstance(part, str):
                out.append(part)
            else:
                value = self.value(part[0], part[1], language, item, row)
                found = found or bool(value)
                out.append(value)
        return "".join(out), found

    def each_language(self, value, languages, item=None, row=None) -> tuple[list[str], bool]:
        if isinstance(value, str) and not _parsed(value)[1]:
            # The same in every language (no label, name or text of the catalogue in it):
            # filled once — a table cell is most often one form field.
            filled, found = self.fill(value, languages[0], item, row)
            return [filled] * len(languages), found
        texts, any_value = [], False
        for language in languages:
            text = value if isinstance(value, str) else _localized(value, language)
            filled, found = self.fill(text, language, item, row)
            texts.append(filled)
            any_value = any_value or found
        return texts, any_value


#: Placeholders whose value depends on the language it is printed in.
_BY_LANGUAGE = frozenset(
    {"applicant.identifier_label", "service.title", "provider.name", "complaints.to"}
)


@functools.lru_cache(maxsize=1024)
def _parsed(text: str) -> tuple[tuple, bool]:
    """A template text as literal strings and (name, filter) pairs, parsed once per process,
    and whether its filling depends on the language."""
    parts: list = []
    position = 0
    by_language = False
    for match in PLACEHOLDER.finditer(text):
        if match.start() > position:
            parts.append(text[position : match.start()])
        name, filter_ = match.group(1).strip(), match.group(2)
        parts.append((name, filter_))
        by_language = by_language or (
            filter_ in ("label", "country", "money", "photo")
            or name in _BY_LANGUAGE
            or name.startswith("legal.")
        )
        position = match.end()
    if position < len(text) or not parts:
        parts.append(text[position:])
    return tuple(parts), by_language


def _localized(texts: dict, language: str) -> str:
    return texts.get(language) or texts.get("ru") or next(iter(texts.values()))


def _act(version, role: str, language: str) -> str:
    """A legal act of the catalogue by its role: «title» (issuer, date, № number)."""
    act = next((b for b in version.legal_basis if b.get("role") == role), None)
    if act is None:
        return ""
    return (
        f"«{_localized(act['title'], language)}» ({_localized(act['issuer'], language)}, "
        f"{format_date(act.get('date'))}, № {act.get('number', '')})"
    )


def result_fields(decision) -> dict[str, Any]:
    """The document's form fields: the application's form, overridden by what the executor
    edited when preparing the result (``Decision.result_data``)."""
    return {**(decision.application.form_data or {}), **(decision.result_data or {})}


def template_for(decision) -> dict:
    """The catalogue template of ``decision``'s document (positive result or refusal)."""
    documents = decision.application.service_version.definition["result"]["documents"]
    return documents["refusal" if decision.kind == "refusal" else "result"]


def document_kind(decision) -> str:
    return template_for(decision)["kind"]


def compose(
    decision,
    *,
    number: str = "",
    verification_url: str = "",
    signer: dict | None = None,
    signed_on: date | None = None,
    draft: bool = False,
    photos: bool = True,
) -> Document:
    """The decision's document from its template. ``signer`` is whom the signature block
    names (``{"name": …, "position": {language: …}}``; a position left empty is the
    template's), ``signed_on`` the date it prints (and the document's date), by default the
    day the decision was prepared. ``photos=False`` leaves the photographs out (the HTML views
    show none: they are in the PDF)."""
    return _compose(
        template_for(decision),
        _Filler(decision.application, decision, {"number": number, "signed_on": signed_on}),
        verification_url=verification_url,
        signer=signer,
        draft=draft,
        photos=photos,
    )


def compose_receipt(application, *, refused: bool, accepted, missing, employee: str):
    """The paper intake receipt (or, ``refused``, the receipt of refusal to accept an
    incomplete package) from the version's ``receipt`` / ``receipt_refusal`` template; None
    when the catalogue has none. ``accepted`` and ``missing`` are catalogue documents."""
    templates = application.service_version.definition["result"].get("documents", {})
    template = templates.get("receipt_refusal" if refused else "receipt")
    if template is None:
        return None
    filler = _Filler(application, None, {"employee": employee})
    filler.lists = {"accepted": list(accepted), "missing": list(missing)}
    return _compose(template, filler, photos=False)


def _compose(
    template: dict,
    filler: _Filler,
    *,
    verification_url: str = "",
    signer: dict | None = None,
    draft: bool = False,
    photos: bool = True,
) -> Document:
    decision = filler.decision
    signer = signer or {}
    application = filler.application
    languages = tuple(template["languages"])
    version = application.service_version
    blocks: list[Block] = []
    for raw in template["blocks"]:
        heading = (
            _bilingual([_localized(raw["heading"], lang) for lang in languages])
            if ("heading" in raw)
            else ""
        )
        kind = raw["type"]
        if kind == "fields":
            rows = []
            for row in raw["rows"]:
                values, found = filler.each_language(row["value"], languages)
                if not found and row.get("optional"):
                    continue
                label = _bilingual([_localized(row["label"], lang) for lang in languages])
                rows.append(Row(label, _bilingual(values) if found else EMPTY))
            blocks.append(Block(kind, heading, rows=rows))
        elif kind == "text":
            if "when" in raw and not filler.fill("{" + raw["when"] + "}", languages[0])[1]:
                continue
            texts, _ = filler.each_language(raw["text"], languages)
            blocks.append(Block(kind, heading, paragraphs=list(dict.fromkeys(texts))))
        elif kind == "table":
            blocks.append(_table(filler, raw, heading, languages, photos))
        elif kind == "sheets":
            filler.sheets = {"sheets": "{sheets}", "photos": str(len(filler.photo_rows))}
            texts, _ = filler.each_language(raw["text"], languages)
            blocks.append(Block(kind, heading, paragraphs=["; ".join(texts)]))
        elif kind == "photos":
            if not photos:
                continue
            items = _array(filler, raw["source"])
            found = filler.photos(items, raw["photo"])
            if found:
                captions = {}
                for photo in found:
                    item = items[photo.item_number - 1]
                    texts, _ = filler.each_language(
                        raw["caption"], languages[:1], item, photo.item_number
                    )
                    captions[photo.item_number] = texts[0]
                found = [
                    Photo(p.item_number, captions[p.item_number], p.image, p.width, p.height)
                    for p in found
                ]
                blocks.append(Block(kind, heading, photos=found))
        elif kind == "reasons":
            blocks.append(_reasons(decision, raw, heading, languages))
        elif kind == "documents":
            names = [
                _bilingual([doc.name.text(lang) for lang in languages])
                for doc in filler.lists.get(raw["list"], [])
            ]
            blocks.append(Block(kind, heading, paragraphs=names or [EMPTY], list=raw["list"]))
        elif kind == "sign_line":
            label = _bilingual([_localized(raw["label"], lang) for lang in languages])
            name, _ = filler.fill(raw.get("name", ""), languages[0])
            blocks.append(Block(kind, heading, rows=[Row(label, name)]))
        elif kind == "signature":
            blocks.append(
                Block(
                    kind,
                    signer=Signature(
                        position=_bilingual(
                            [
                                _localized(signer.get("position") or raw["position"], lang)
                                for lang in languages
                            ]
                        ),
                        provider=[version.provider_name.text(lang) for lang in languages],
                        name=signer.get("name", ""),
                        date=format_date(filler.document_date()),
                        draft=draft,
                        wording=" ".join(
                            translate(DRAFT_NOTE if draft else SIGNED, lang) for lang in languages
                        ),
                        verification_url=verification_url,
                        verify_label=_bilingual(
                            [translate(LABELS["verify"], lang) for lang in languages]
                        ),
                    ),
                )
            )
    return Document(
        kind=template["kind"],
        languages=languages,
        title=list(dict.fromkeys(_localized(template["title"], lang) for lang in languages)),
        provider=[version.provider_name.text(lang) for lang in languages],
        city=_bilingual([translate(CITY, lang) for lang in languages]),
        number=filler.meta.get("number", ""),
        registration_number=application.registration_number or "",
        draft=draft,
        blocks=blocks,
    )


def _array(filler: _Filler, source: str) -> list[dict]:
    path = source.partition(".")[2].split(".")
    filler.item_schema = (form_node(filler.schema, path) or {}).get("items") or {}
    return [item for item in _dig(filler.form, path) or [] if isinstance(item, dict)]


def _table(filler: _Filler, raw: dict, heading: str, languages, photos: bool) -> Block:
    items = _array(filler, raw["source"])
    columns = raw["columns"]
    photo_paths = [
        name.partition(".")[2]
        for column in columns
        for text in ([column["value"]] if isinstance(column["value"], str) else [])
        for name, filter_ in ((m.group(1), m.group(2)) for m in PLACEHOLDER.finditer(text))
        if filter_ == "photo"
    ]
    if photo_paths:
        found = filler.photos(items, photo_paths[0]) if photos else []
        filler.photo_rows = {p.item_number for p in found}
        if not photos:  # the pages show no photographs but say which rows have one
            filler.photo_rows = {
                n for n, item in enumerate(items, 1) if _dig(item, photo_paths[0].split("."))
            }
    headers = [
        "\n".join(dict.fromkeys(_localized(c["label"], lang) for lang in languages))
        for c in columns
    ]
    cells = []
    for number, item in enumerate(items, start=1):
        row = []
        for column in columns:
            texts, found = filler.each_language(column["value"], languages, item, number)
            row.append(_bilingual(texts) if found else EMPTY)
        cells.append(row)
    return Block(
        "table", heading, headers=headers, cells=cells, widths=[c["width"] for c in columns]
    )


def _reasons(decision, raw: dict, heading: str, languages) -> Block:
    version = decision.application.service_version
    reasons = version.refusal_reasons
    regulation = next((b for b in version.legal_basis if b.get("role") == "regulation"), None)
    ground_label = _bilingual([_localized(raw["ground"], lang) for lang in languages])
    listed = []
    for code in decision.reason_codes or []:
        reason = reasons.get(code)
        if reason is None:  # codes are checked when the decision is made; never print one
            logger.error("refusal reason %r is not in %s", code, version)
            continue
        number = len(listed) + 1
        paragraphs = [
            f"{number}. {reason.text(languages[0])}",
            *(reason.text(lang) for lang in languages[1:]),
        ]
        act = f"№ {regulation['number']}, " if regulation else ""
        paragraphs.append(f"{ground_label}: {act}{reason.basis}")
        listed.append(list(dict.fromkeys(paragraphs)))
    return Block("reasons", heading, reasons=listed)


# --- photographs -----------------------------------------------------------------------------

IMAGE_TYPES = ("image/jpeg", "image/png", "image/tiff")


def item_photos(application, items: list[dict], photo_field: str = "photo") -> list[Photo]:
    """The image attachments whose original names are the items' ``photo_field``, scaled
    down. An unreadable image is skipped (and logged): the document still renders."""
    import io

    from PIL import Image as PilImage
    from PIL import UnidentifiedImageError

    from . import conf

    path = photo_field.split(".")
    wanted: dict[str, list[int]] = {}
    for number, item in enumerate(items, start=1):
        name = _dig(item, path)
        if name:
            wanted.setdefault(str(name), []).append(number)
    if not wanted:
        return []
    attachments = application.attachments.filter(
        original_name__in=list(wanted), content_type__in=IMAGE_TYPES
    ).order_by("uploaded_at", "id")
    limit = int(conf.get("PHOTO_MAX_PIXELS"))
    photos: list[Photo] = []
    seen: set[str] = set()
    for attachment in attachments:
        if attachment.original_name in seen:
            continue  # a photo uploaded twice: the first one counts
        seen.add(attachment.original_name)
        try:
            with attachment.file.open("rb") as handle:
                original = handle.read()
            image, size = _scaled_jpeg(PilImage.open(io.BytesIO(original)), original, limit)
        except (OSError, UnidentifiedImageError, ValueError) as error:
            logger.warning("photo %s of %s unreadable: %s", attachment.pk, application.pk, error)
            continue
        for number in wanted[attachment.original_name]:
            photos.append(Photo(number, "", image, *size))
    return sorted(photos, key=lambda p: p.item_number)


def _scaled_jpeg(picture, original: bytes, limit: int) -> tuple[bytes, tuple[int, int]]:
    """A JPEG of at most ``limit`` pixels a side. A JPEG that already fits goes in as it is
    (PDF embeds JPEG data unchanged); others are decoded at reduced scale and re-encoded."""
    import io

    with picture:
        if picture.format == "JPEG" and picture.mode in ("RGB", "L") and max(picture.size) <= limit:
            if not _jpeg_runs_to_its_end(original):
                raise ValueError("JPEG data cut short")  # fails here, not in the PDF
            return original, picture.size
        picture.draft("RGB", (limit, limit))
        picture.thumbnail((limit, limit))
        out = io.BytesIO()
        picture.convert("RGB").save(out, format="JPEG", quality=85)
        return out.getvalue(), picture.size


def _jpeg_runs_to_its_end(data: bytes) -> bool:
    """Whether a JPEG's image data runs to its end-of-image marker (an upload cut short does
    not). Found by walking the marker segments to the first scan and looking for FF D9 after
    it (from the end, where it is), which entropy-coded data never contains: no pixel is
    decoded (decoding a 1200-pixel photo costs ~3 ms; reportlab embeds the JPEG undecoded)."""
    position = 2  # after the start-of-image marker
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xFF:  # a fill byte before the marker
            position += 1
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if marker == 0xDA:  # start of scan: the image data follows its header
            return data.rfind(b"\xff\xd9", position + 2 + length) != -1
        position += 2 + length
    return False
