"""Input shapes of the API (DRF serializers): types and sizes are checked here, before any
action runs; meaning (identifiers, form schema, documents, signatures) is checked by the
actions, which refuse with their own codes."""

from __future__ import annotations

import base64
import binascii

from rest_framework import serializers
from rest_framework.validators import ProhibitSurrogateCharactersValidator

MAX_SIGNATURE_BASE64 = 512 * 1024
MAX_TEXT = 5000


class StrictText(serializers.CharField):
    """Text that must be a JSON string: a number or a list is a wrong type, not coerced."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictSlug(StrictText, serializers.SlugField):
    pass


class Base64Field(StrictText):
    """Binary data (a CMS signature, the signed bytes) as standard base64 text."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_SIGNATURE_BASE64)
        super().__init__(**kwargs)
        # DRF's surrogate-character check walks the text in Python, character by character
        # (~1 ms for a CMS with its chain); base64 decoding with validate=True refuses every
        # non-ASCII character anyway.
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitSurrogateCharactersValidator)
        ]

    def to_internal_value(self, data) -> bytes:
        text = super().to_internal_value(data)
        compact = "".join(text.split())
        try:
            decoded = base64.b64decode(compact, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise serializers.ValidationError("not valid base64", code="invalid") from exc
        if not decoded:
            raise serializers.ValidationError("empty", code="blank")
        return decoded


class ChallengeIn(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=["sign_up", "log_in"])


class SignedChallengeIn(serializers.Serializer):
    challenge = serializers.UUIDField()
    signature = Base64Field(help_text="Detached CMS over the challenge payload, base64.")


class PasswordLogInIn(serializers.Serializer):
    login = StrictText(
        max_length=32,
        help_text="The person's IIN (an individual, or a legal entity's representative).",
    )
    bin = StrictText(
        max_length=32,
        required=False,
        allow_blank=True,
        default="",
        help_text="A legal entity's representative: the BIN of the entity they act for "
        "(each representative has their own account: IIN + BIN).",
    )
    password = StrictText(max_length=256, trim_whitespace=False)


class StaffLogInIn(serializers.Serializer):
    username = StrictText(max_length=150)
    password = StrictText(max_length=256, trim_whitespace=False)


class SetPasswordIn(serializers.Serializer):
    password = StrictText(max_length=256, trim_whitespace=False)
    email = StrictText(max_length=254, required=False, allow_blank=True)


class DraftCreateIn(serializers.Serializer):
    service = StrictSlug(max_length=64)
    form_data = serializers.DictField(required=False, default=dict)


class DraftUpdateIn(serializers.Serializer):
    form_data = serializers.DictField()


class AttachmentIn(serializers.Serializer):
    document_code = StrictText(max_length=60)
    file = serializers.FileField(allow_empty_file=True, max_length=255)


class SubmitIn(serializers.Serializer):
    signature = Base64Field(help_text="Detached CMS (DER, base64) over the request to sign.")


class ApplicantIn(serializers.Serializer):
    """The applicant of a paper package (p.10 процесс 4–5): ``lookup`` names the clerk's own
    GBD FL/UL lookup (``POST staff/applicant-lookups/``), whose answer gives the name and
    details; or ``manual_reason`` says why the data is typed by hand, with ``name``."""

    kind = serializers.ChoiceField(choices=["individual", "legal_entity"])
    iin = StrictText(max_length=12, required=False, allow_blank=True, default="")
    bin = StrictText(max_length=12, required=False, allow_blank=True, default="")
    representative_iin = StrictText(max_length=12, required=False, allow_blank=True, default="")
    lookup = serializers.UUIDField(
        required=False, help_text="The lookup's id from POST staff/applicant-lookups/."
    )
    manual_reason = StrictText(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="Instead of a lookup: why the applicant's data is entered by hand.",
    )
    name = StrictText(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="The applicant's name, with manual_reason only (a lookup gives it).",
    )


class ApplicantLookupIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["individual", "legal_entity"])
    identifier = StrictText(max_length=12, help_text="IIN (individual) or BIN (legal entity)")


class PaperApplicationIn(serializers.Serializer):
    service = StrictSlug(max_length=64)
    applicant = ApplicantIn()
    form_data = serializers.DictField()
    paper_documents = serializers.ListField(child=StrictText(max_length=60), max_length=100)


class IntakeRefusalIn(serializers.Serializer):
    service = StrictSlug(max_length=64)
    applicant = ApplicantIn()
    paper_documents = serializers.ListField(
        child=StrictText(max_length=60), max_length=100, allow_empty=True
    )


class AssignIn(serializers.Serializer):
    executor = serializers.IntegerField(min_value=1, help_text="The executor's user id.")


class CheckIn(serializers.Serializer):
    complete = serializers.BooleanField()
    reason_codes = serializers.ListField(
        child=StrictText(max_length=60), required=False, default=list, max_length=50
    )
    explanation = StrictText(max_length=MAX_TEXT, required=False, allow_blank=True, default="")


class PrepareIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["approval", "refusal"])
    result_data = serializers.DictField(required=False, default=dict)
    reason_codes = serializers.ListField(
        child=StrictText(max_length=60), required=False, default=list, max_length=50
    )
    explanation = StrictText(max_length=MAX_TEXT, required=False, allow_blank=True, default="")


class SignIn(serializers.Serializer):
    """The head's signature and which bytes it covers: either the bytes themselves or their
    SHA-256 (a PDF's byte range can be large); both bind the signature to what was shown."""

    signature = Base64Field(help_text="The head's detached CMS over the bytes to sign, base64.")
    signed_content = Base64Field(
        required=False, max_length=None, help_text="The bytes to sign as received, base64."
    )
    signed_content_sha256 = serializers.RegexField(
        r"^[0-9a-f]{64}$", required=False, help_text="Or: their SHA-256, lowercase hex."
    )

    def validate(self, attrs):
        if "signed_content" not in attrs and "signed_content_sha256" not in attrs:
            raise serializers.ValidationError({"signed_content": ["required"]}, code="required")
        return attrs


class ReturnIn(serializers.Serializer):
    comment = StrictText(max_length=MAX_TEXT)


class HandoverIn(serializers.Serializer):
    handed_to = StrictText(max_length=300)
    handed_to_document = StrictText(max_length=100, required=False, allow_blank=True, default="")
