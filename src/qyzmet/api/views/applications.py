"""The applicant's flow (p.10 "через портал", процессы 3–7; p.11): drafts, attachments, the
bytes to sign, the signed submission, the list, the status and the result.

An applicant sees only their own applications: anybody else's answer 404, exactly as an id
that does not exist (never 403, which would confirm that it exists).
"""

from __future__ import annotations

import hashlib

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.response import Response

from qyzmet.cases import actions as cases
from qyzmet.core.refusals import Refused

from .. import queries, responses, serializers
from ..base import ApiView, IsApplicant, documented, idempotency_key, replay_or_run
from ..parsing import LimitedMultiPartParser
from ..results import result_pdf

TAG = ["applications"]

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="8–64 characters; a retry with the same key returns the first answer.",
)


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _body_digest(data: dict) -> str:
    from qyzmet.audit.chain import canonical_json

    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


class ApplicantView(ApiView):
    permission_classes = [IsApplicant]


class ApplicationList(ApplicantView):
    @documented(
        tags=TAG,
        summary="My applications",
        operation_id="applications_list",
        responses={200: responses.ApplicationListOut},
    )
    def get(self, request):
        return Response({"applications": queries.my_applications(request.user)})

    @documented(
        tags=TAG,
        summary="Create a draft (form data may be incomplete)",
        request=serializers.DraftCreateIn,
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: responses.ApplicationDetailOut},
    )
    def post(self, request):
        data = _valid(serializers.DraftCreateIn, request)
        key = idempotency_key(request, required=False)

        def run():
            draft = cases.save_draft(
                request.user, service_code=data["service"], form_data=data["form_data"]
            )
            return 201, queries.application_detail(draft)

        return replay_or_run(request, key, _body_digest(data), run)


class ApplicationDetail(ApplicantView):
    @documented(
        tags=TAG,
        summary="Status, timeline with dates, deadline, refusal reasons, result",
        responses={200: responses.ApplicationDetailOut},
    )
    def get(self, request, public_id):
        application = queries.own_application(request.user, public_id)
        return Response(queries.application_detail(application))

    @documented(
        tags=TAG,
        summary="Replace the form data of a draft",
        request=serializers.DraftUpdateIn,
        responses={200: responses.ApplicationDetailOut},
    )
    def put(self, request, public_id):
        application = queries.own_application(request.user, public_id)
        data = _valid(serializers.DraftUpdateIn, request)
        draft = cases.save_draft(request.user, form_data=data["form_data"], draft=application)
        return Response(queries.application_detail(draft))


class AttachmentCreate(ApplicantView):
    parser_classes = [LimitedMultiPartParser]

    @documented(
        tags=TAG,
        summary="Upload one attachment of a draft (multipart: document_code, file)",
        request={"multipart/form-data": serializers.AttachmentIn},
        responses={201: responses.NewAttachmentOut},
    )
    def post(self, request, public_id):
        application = queries.own_application(request.user, public_id)
        data = _valid(serializers.AttachmentIn, request)
        attachment = cases.add_draft_attachment(
            request.user, application, cases.AttachmentInput(data["document_code"], data["file"])
        )
        return Response(
            {
                "id": attachment.pk,
                "document_code": attachment.document_code,
                "name": attachment.original_name,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
            },
            status=201,
        )


class AttachmentDelete(ApplicantView):
    @documented(
        tags=TAG,
        summary="Remove an attachment of a draft",
        request=None,
        responses={204: OpenApiResponse(description="removed")},
    )
    def delete(self, request, public_id, attachment_id: int):
        application = queries.own_application(request.user, public_id)
        cases.remove_draft_attachment(request.user, application, attachment_id)
        return Response(status=204)


class RequestToSign(ApplicantView):
    @documented(
        tags=TAG,
        summary="The exact bytes to sign: the server's canonical request of this draft",
        responses={200: responses.BytesToSignOut},
    )
    def get(self, request, public_id):
        application = queries.own_application(request.user, public_id)
        # After an amendment the draft is signed, and processed, as the version in force.
        application = cases.bring_draft_into_force(request.user, application) or application
        return Response(queries.request_to_sign(application, request.user))


class Submit(ApplicantView):
    @documented(
        tags=TAG,
        summary="Submit the signed request; registers the application (incoming number)",
        description=(
            "The server verifies the detached CMS over the request to sign: chain, period, "
            "revocation, purpose, and that the IIN/BIN equals the certificate's "
            "(p.10 условие 2). Idempotent: a retried submission returns the same registration."
        ),
        request=serializers.SubmitIn,
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: responses.ApplicationDetailOut},
    )
    def post(self, request, public_id):
        application = queries.own_application(request.user, public_id)
        data = _valid(serializers.SubmitIn, request)
        key = idempotency_key(request, required=False)
        digest = hashlib.sha256(data["signature"]).hexdigest()

        def run():
            registered = cases.submit_draft(request.user, application, signature=data["signature"])
            return 201, queries.application_detail(registered)

        return replay_or_run(request, key, digest, run)


class ResultPdf(ApplicantView):
    @documented(
        tags=TAG,
        summary="Download the signed result PDF",
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="the signed PDF"
            ),
        },
    )
    def get(self, request, public_id):
        application = queries.own_application(request.user, public_id)
        return pdf_response(application)


def pdf_response(application) -> FileResponse:
    found = result_pdf(application)
    if found is None:
        raise Refused("result_not_available")
    content, filename = found
    response = FileResponse(
        content, content_type="application/pdf", as_attachment=True, filename=filename
    )
    response["Cache-Control"] = "private, no-store"
    return response
