"""The provider's staff flow (regulation p.5–8, p.10 "через услугодателя"): inbox, paper
registration and intake refusal, assignment, completeness check, preparation, the head's
signature, return, hand-over. The actions check roles, steps and assignees; these views
only read input and answer."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from qyzmet.accounts.models import Role, User
from qyzmet.cases import actions as cases
from qyzmet.cases.queries import search
from qyzmet.core.refusals import Refused
from qyzmet.office.actions import lookup_applicant
from qyzmet.workflow import actions as workflow
from qyzmet.workflow.models import Step

from .. import queries, responses, serializers
from ..base import ApiView, IsStaff, documented, idempotency_key, replay_or_run
from ..parsing import LimitedMultiPartParser
from .applications import _body_digest, _valid, pdf_response

TAG = ["staff"]
REQUIRED_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="8–64 characters; the same key registers once (a retried request).",
)


class StaffView(ApiView):
    permission_classes = [IsStaff]


def _detail(application) -> Response:
    return Response(queries.staff_detail(application))


def _page(request) -> int:
    raw = request.query_params.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 1000:
        raise Refused("invalid_value", {"field": "page", "detail": "1…1000"}, field_name="page")
    return int(raw)


class Inbox(StaffView):
    @documented(
        tags=TAG,
        summary="My open tasks and my role's unassigned ones, soonest due first",
        parameters=[
            OpenApiParameter("page", int, required=False),
            OpenApiParameter("step", str, required=False, enum=list(Step.values)),
        ],
        responses={200: responses.InboxOut},
    )
    def get(self, request):
        step = request.query_params.get("step") or None
        if step is not None and step not in Step.values:
            raise Refused(
                "invalid_value", {"field": "step", "detail": step[:40]}, field_name="step"
            )
        page = _page(request)
        return Response(
            {"page": page, "tasks": queries.inbox_rows(request.user, page=page, step=step)}
        )


class Executors(StaffView):
    @documented(
        tags=TAG, summary="Executors the head may assign", responses={200: responses.ExecutorsOut}
    )
    def get(self, request):
        return Response({"executors": queries.executors()})


class CaseList(StaffView):
    @documented(
        tags=TAG,
        summary="Search the register (registration number, IIN/BIN, applicant name)",
        operation_id="staff_applications_search",
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "minLength": 1, "maxLength": 100},
                required=True,
                description="a registration number, an IIN/BIN or part of a name",
            )
        ],
        responses={200: responses.ApplicationListOut},
    )
    def get(self, request):
        text = request.query_params.get("q", "").strip()
        if not text:
            raise Refused("field_required", {"field": "q"}, field_name="q")
        if len(text) > 100:
            raise Refused("invalid_value", {"field": "q", "detail": "≤ 100"}, field_name="q")
        return Response({"applications": [queries.application_row(a) for a in search(text)]})


def _applicant(data: dict) -> cases.ApplicantInput:
    """The applicant block of a paper package; the register applies the rule (a lookup of
    this clerk's, or manual entry with a reason) as it does for the desk."""
    applicant = data["applicant"]
    return cases.ApplicantInput(
        kind=applicant["kind"],
        name=applicant["name"],
        iin=applicant["iin"],
        bin=applicant["bin"],
        representative_iin=applicant["representative_iin"],
        lookup=str(applicant.get("lookup") or ""),
        manual="manual_reason" in applicant,
        manual_reason=applicant.get("manual_reason", ""),
    )


class ApplicantLookupCreate(StaffView):
    @documented(
        tags=TAG,
        summary="The clerk looks the applicant up in GBD FL/UL through the gateway (p.10 "
        "процесс 4); the answer's lookup id then registers the paper package",
        request=serializers.ApplicantLookupIn,
        responses={200: responses.ApplicantLookupOut},
    )
    def post(self, request):
        data = _valid(serializers.ApplicantLookupIn, request)
        found = lookup_applicant(request.user, data["kind"], data["identifier"])
        return Response(
            {
                "kind": found.kind,
                "identifier": found.identifier,
                "name": found.name,
                "details": found.details,
                "lookup": found.details["message_id"],
            }
        )


class PaperApplicationCreate(StaffView):
    @documented(
        tags=TAG,
        summary="The clerk registers a paper application (complete package)",
        request=serializers.PaperApplicationIn,
        parameters=[REQUIRED_KEY],
        responses={201: responses.StaffDetailOut},
    )
    def post(self, request):
        data = _valid(serializers.PaperApplicationIn, request)
        key = idempotency_key(request, required=True)

        def run():
            application = cases.register_paper_application(
                request.user,
                service_code=data["service"],
                applicant=_applicant(data),
                form_data=data["form_data"],
                paper_documents=data["paper_documents"],
                idempotency_key=key,
            )
            return 201, queries.staff_detail(application)

        return replay_or_run(request, key, _body_digest(data), run)


class IntakeRefusalCreate(StaffView):
    @documented(
        tags=TAG,
        summary="The clerk refuses an incomplete paper package (receipt of refusal)",
        request=serializers.IntakeRefusalIn,
        parameters=[REQUIRED_KEY],
        responses={201: responses.StaffDetailOut},
    )
    def post(self, request):
        data = _valid(serializers.IntakeRefusalIn, request)
        key = idempotency_key(request, required=True)

        def run():
            application = cases.refuse_paper_intake(
                request.user,
                service_code=data["service"],
                applicant=_applicant(data),
                paper_documents=data["paper_documents"],
                idempotency_key=key,
            )
            return 201, queries.staff_detail(application)

        return replay_or_run(request, key, _body_digest(data), run)


class CaseDetail(StaffView):
    @documented(
        tags=TAG,
        summary="A case with its timeline and decisions",
        responses={200: responses.StaffDetailOut},
    )
    def get(self, request, public_id):
        return _detail(queries.staff_application(public_id))


class CaseAttachmentCreate(StaffView):
    parser_classes = [LimitedMultiPartParser]

    @documented(
        tags=TAG,
        summary="Add a scan to a registered case (clerk, executor)",
        request={"multipart/form-data": serializers.AttachmentIn},
        responses={201: responses.StaffDetailOut},
    )
    def post(self, request, public_id):
        application = queries.staff_application(public_id)
        data = _valid(serializers.AttachmentIn, request)
        cases.add_attachment(
            request.user, application, cases.AttachmentInput(data["document_code"], data["file"])
        )
        return Response(queries.staff_detail(application), status=201)


def _executor(user_id: int) -> User:
    executor = User.objects.filter(pk=user_id).first()
    if executor is None:
        raise Refused("executor_not_eligible")
    return executor


class DecisionToSign(StaffView):
    @documented(
        tags=TAG,
        summary="The decision awaiting signature and the exact bytes the head signs",
        description=(
            "Asked by a head, the result document is first prepared for that head (their "
            "name, position and today's date in Almaty in the signature block; the outgoing "
            "number unchanged): sign these bytes today. A signature over a document prepared "
            "for another head or on another day is refused (result_prepared_for_other_head, "
            "result_signing_day_changed): ask for the bytes again."
        ),
        responses={200: responses.DecisionToSignOut},
    )
    def get(self, request, public_id):
        application = queries.staff_application(public_id)
        if request.user.has_role(Role.HEAD):
            workflow.prepare_signing(request.user, application)
        return Response(queries.decision_to_sign(application))


def _sign(user: User, application, data: dict) -> None:
    content = data.get("signed_content")
    if content is None:
        # The client named the bytes by their hash: they must be the prepared ones.
        prepared = bytes(workflow.current_decision(application).signed_content)
        if hashlib.sha256(prepared).hexdigest() != data["signed_content_sha256"]:
            raise Refused("signature_content_mismatch")
        content = prepared
    workflow.sign_decision(user, application, signature=data["signature"], signed_content=content)


@dataclass(frozen=True)
class StepAction:
    """One step of the process as a POST on ``staff/applications/<id>/<path>/``: the body
    is read with ``serializer``, ``run(user, application, data)`` calls the workflow action,
    and the answer is the case as it is afterwards."""

    path: str
    summary: str
    serializer: type[Serializer]
    run: Callable[[User, Any, dict], None]


STEP_ACTIONS = (
    StepAction(
        "assign",
        "The head assigns the executor (p.5.2)",
        serializers.AssignIn,
        lambda user, app, data: workflow.assign_executor(user, app, _executor(data["executor"])),
    ),
    StepAction(
        "reassign",
        "The head hands the case to another executor",
        serializers.AssignIn,
        lambda user, app, data: workflow.reassign_executor(user, app, _executor(data["executor"])),
    ),
    StepAction(
        "check",
        "The executor records the completeness check (p.8.2); incomplete = refusal",
        serializers.CheckIn,
        lambda user, app, data: workflow.record_completeness_check(user, app, **data),
    ),
    StepAction(
        "prepare",
        "The executor prepares the result or a motivated refusal (p.5.4)",
        serializers.PrepareIn,
        lambda user, app, data: workflow.prepare_decision(user, app, **data),
    ),
    StepAction(
        "sign",
        "The head signs the decision with the EDS (p.5.5, p.10 процесс 9)",
        serializers.SignIn,
        _sign,
    ),
    StepAction(
        "return",
        "The head returns the draft decision",
        serializers.ReturnIn,
        lambda user, app, data: workflow.return_decision(user, app, comment=data["comment"]),
    ),
    StepAction(
        "handover",
        "The clerk records the hand-over of the paper result",
        serializers.HandoverIn,
        lambda user, app, data: workflow.record_handover(user, app, **data),
    ),
)


def step_view(action: StepAction) -> type[StaffView]:
    """The view of one step action (see :class:`StepAction`)."""

    @documented(
        tags=TAG,
        summary=action.summary,
        request=action.serializer,
        responses={200: responses.StaffDetailOut},
    )
    def post(self, request, public_id):
        application = queries.staff_application(public_id)
        action.run(request.user, application, _valid(action.serializer, request))
        return _detail(application)

    name = "".join(part.capitalize() for part in action.path.split("-"))
    return type(name, (StaffView,), {"post": post})


class CaseResultPdf(StaffView):
    @documented(
        tags=TAG,
        summary="The signed result PDF of a case",
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="the signed PDF"
            )
        },
    )
    def get(self, request, public_id):
        return pdf_response(queries.staff_application(public_id))
