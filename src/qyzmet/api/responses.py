"""Output shapes of the API, for the OpenAPI schema only (the views answer the dicts that
``queries`` builds; ``test_schema_contract`` holds the two equal by validating every answer
against the schema). Free-form parts — the form data a service's JSON Schema describes, a
passport's catalogue sections, the registry's details — are JSON objects here."""

from __future__ import annotations

from rest_framework import serializers as s

KINDS = ["individual", "legal_entity"]


def _when(**kwargs):
    return s.DateTimeField(allow_null=True, **kwargs)


class ErrorOut(s.Serializer):
    code = s.CharField(help_text="A stable refusal code (core.refusals)")
    message = s.CharField(help_text="In the request's language (Accept-Language: ru, kk, en)")
    field = s.CharField(allow_null=True, help_text="The input field at fault, or null")


class ServiceSummaryOut(s.Serializer):
    service = s.CharField()
    version = s.CharField()
    title = s.CharField()
    is_demo = s.BooleanField()
    effective_from = s.DateField()
    effective_until = s.DateField(allow_null=True)
    in_force = s.BooleanField()
    repealed = s.BooleanField()
    accepts_applications = s.BooleanField()
    url = s.CharField()


class ServiceListOut(s.Serializer):
    services = ServiceSummaryOut(many=True)


class PassportOut(ServiceSummaryOut):
    titles = s.DictField(child=s.CharField())
    provider = s.JSONField()
    recipients = s.JSONField()
    fee = s.JSONField()
    term = s.JSONField()
    term_working_days = s.IntegerField(allow_null=True)
    schedule = s.JSONField()
    channels = s.JSONField()
    documents = s.JSONField()
    result = s.JSONField()
    refusal_reasons = s.JSONField()
    legal_basis = s.JSONField()
    helpline = s.JSONField()
    complaints = s.JSONField(allow_null=True)
    form_schema_url = s.CharField()
    versions = ServiceSummaryOut(many=True)


class UserOut(s.Serializer):
    id = s.IntegerField()
    login = s.CharField()
    role = s.CharField()
    name = s.CharField(allow_blank=True)
    iin = s.CharField(allow_null=True)
    bin = s.CharField(allow_null=True)
    organization = s.CharField(allow_null=True)
    email = s.CharField(allow_null=True)
    has_portal_password = s.BooleanField()


class TokenOut(s.Serializer):
    token = s.CharField()
    token_type = s.ChoiceField(choices=["Bearer"])
    expires_at = s.DateTimeField()
    user = UserOut()


class ChallengeOut(s.Serializer):
    id = s.UUIDField()
    purpose = s.ChoiceField(choices=["sign_up", "log_in"])
    payload = s.CharField(help_text="base64 of the exact bytes to sign with the auth key")
    expires_at = s.DateTimeField()


class ApplicationRowOut(s.Serializer):
    id = s.UUIDField()
    service = s.CharField()
    service_version = s.CharField()
    title = s.CharField()
    channel = s.CharField()
    status = s.CharField()
    status_text = s.CharField()
    outcome = s.CharField(allow_null=True)
    registration_number = s.CharField(allow_null=True, allow_blank=True)
    created_at = _when()
    submitted_at = _when()
    registered_at = _when()
    deadline_at = _when()
    completed_at = _when()
    url = s.CharField()


class ApplicationListOut(s.Serializer):
    applications = ApplicationRowOut(many=True)


class ApplicantOut(s.Serializer):
    kind = s.ChoiceField(choices=KINDS)
    name = s.CharField(allow_blank=True)
    iin = s.CharField(allow_null=True)
    bin = s.CharField(allow_null=True)
    representative_iin = s.CharField(allow_null=True)


class NewAttachmentOut(s.Serializer):
    id = s.IntegerField()
    document_code = s.CharField()
    name = s.CharField()
    content_type = s.CharField()
    size = s.IntegerField()
    sha256 = s.CharField()


class AttachmentOut(NewAttachmentOut):
    uploaded_at = _when()


class TimelineStepOut(s.Serializer):
    step = s.CharField()
    name = s.CharField()
    started_at = _when()
    due_at = _when()
    completed_at = _when()
    outcome = s.CharField(allow_null=True)
    overdue = s.BooleanField()


class ReasonOut(s.Serializer):
    code = s.CharField()
    text = s.CharField()


class ResultOut(s.Serializer):
    issued = s.BooleanField()
    kind = s.CharField(allow_null=True)
    signed_at = _when()
    explanation = s.CharField(allow_null=True, allow_blank=True)
    pdf_url = s.CharField(allow_null=True)


class ApplicationDetailOut(ApplicationRowOut):
    applicant = ApplicantOut()
    form_data = s.JSONField()
    revision = s.IntegerField()
    term_working_days = s.IntegerField(allow_null=True)
    attachments = AttachmentOut(many=True)
    timeline = TimelineStepOut(many=True)
    refusal_reasons = ReasonOut(many=True)
    result = ResultOut()


class PersonOut(s.Serializer):
    id = s.IntegerField()
    name = s.CharField(allow_blank=True)
    role = s.CharField()


class DecisionOut(s.Serializer):
    id = s.IntegerField()
    kind = s.CharField()
    state = s.CharField()
    reason_codes = s.ListField(child=s.CharField())
    explanation = s.CharField(allow_blank=True)
    result_data = s.JSONField()
    prepared_at = _when()
    signed_at = _when()
    return_comment = s.CharField(allow_null=True)


class StaffDetailOut(ApplicationDetailOut):
    executor = PersonOut(allow_null=True)
    paper_documents = s.ListField(child=s.CharField())
    decisions = DecisionOut(many=True)


class BytesToSignOut(s.Serializer):
    content = s.CharField(help_text="base64 of the exact bytes to sign")
    sha256 = s.CharField()
    length = s.IntegerField()


class PreparedDecisionOut(s.Serializer):
    id = s.IntegerField()
    kind = s.CharField()
    reason_codes = s.ListField(child=s.CharField())
    explanation = s.CharField(allow_blank=True)
    result_data = s.JSONField()
    prepared_at = _when()


class DecisionToSignOut(BytesToSignOut):
    decision = PreparedDecisionOut()


class InboxApplicationOut(s.Serializer):
    id = s.UUIDField()
    registration_number = s.CharField(allow_null=True, allow_blank=True)
    applicant_name = s.CharField(allow_blank=True)
    service = s.CharField()
    status = s.CharField()
    channel = s.CharField()
    url = s.CharField()


class InboxTaskOut(s.Serializer):
    task = s.CharField()
    assigned_to_me = s.BooleanField()
    due_at = _when()
    overdue = s.BooleanField()
    application = InboxApplicationOut()


class InboxOut(s.Serializer):
    page = s.IntegerField()
    tasks = InboxTaskOut(many=True)


class ExecutorsOut(s.Serializer):
    executors = PersonOut(many=True)


class ApplicantLookupOut(s.Serializer):
    kind = s.ChoiceField(choices=KINDS)
    identifier = s.CharField()
    name = s.CharField()
    details = s.DictField(help_text="GBD FL/UL's record as the case keeps it")
    lookup = s.UUIDField(help_text="applicant.lookup of the paper package")
