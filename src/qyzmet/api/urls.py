"""The REST API, mounted by the project at ``/api/v1/``."""

from django.urls import path, re_path

from . import schema  # noqa: F401  (registers the OpenAPI auth extensions)
from .errors import json_not_found
from .views import accounts, applications, catalog, docs, staff

app_name = "api"

urlpatterns = [
    # documentation
    path("", docs.api_root, name="root"),
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.docs_page, name="docs"),
    path("docs/assets/<str:name>", docs.swagger_asset, name="swagger-asset"),
    # catalogue
    path("catalog/services/", catalog.ServiceList.as_view(), name="services"),
    path("catalog/services/<slug:code>/", catalog.ServicePassport.as_view(), name="service"),
    path(
        "catalog/services/<slug:code>/versions/<str:version>/",
        catalog.ServicePassport.as_view(),
        name="service-version",
    ),
    path(
        "catalog/services/<slug:code>/versions/<str:version>/form-schema/",
        catalog.ServiceFormSchema.as_view(),
        name="service-form-schema",
    ),
    # accounts
    path("auth/challenges/", accounts.ChallengeCreate.as_view(), name="challenges"),
    path("auth/sign-up/", accounts.SignUp.as_view(), name="sign-up"),
    path("auth/log-in/", accounts.LogIn.as_view(), name="log-in"),
    path("auth/log-in/eds/", accounts.LogInWithEds.as_view(), name="log-in-eds"),
    path("auth/staff/log-in/", accounts.StaffLogIn.as_view(), name="staff-log-in"),
    path("auth/log-out/", accounts.LogOut.as_view(), name="log-out"),
    path("auth/me/", accounts.Me.as_view(), name="me"),
    path("auth/password/", accounts.SetPassword.as_view(), name="password"),
    # the applicant's applications
    path("applications/", applications.ApplicationList.as_view(), name="applications"),
    path(
        "applications/<uuid:public_id>/",
        applications.ApplicationDetail.as_view(),
        name="application",
    ),
    path(
        "applications/<uuid:public_id>/attachments/",
        applications.AttachmentCreate.as_view(),
        name="application-attachments",
    ),
    path(
        "applications/<uuid:public_id>/attachments/<int:attachment_id>/",
        applications.AttachmentDelete.as_view(),
        name="application-attachment",
    ),
    path(
        "applications/<uuid:public_id>/request-to-sign/",
        applications.RequestToSign.as_view(),
        name="application-request",
    ),
    path(
        "applications/<uuid:public_id>/submit/",
        applications.Submit.as_view(),
        name="application-submit",
    ),
    path(
        "applications/<uuid:public_id>/result.pdf",
        applications.ResultPdf.as_view(),
        name="application-result",
    ),
    # staff
    path("staff/inbox/", staff.Inbox.as_view(), name="staff-inbox"),
    path("staff/executors/", staff.Executors.as_view(), name="staff-executors"),
    path("staff/applications/", staff.CaseList.as_view(), name="staff-applications"),
    path("staff/applicant-lookups/", staff.ApplicantLookupCreate.as_view(), name="staff-lookups"),
    path(
        "staff/paper-applications/",
        staff.PaperApplicationCreate.as_view(),
        name="staff-paper-applications",
    ),
    path(
        "staff/intake-refusals/", staff.IntakeRefusalCreate.as_view(), name="staff-intake-refusals"
    ),
    path(
        "staff/applications/<uuid:public_id>/",
        staff.CaseDetail.as_view(),
        name="staff-application",
    ),
    path(
        "staff/applications/<uuid:public_id>/attachments/",
        staff.CaseAttachmentCreate.as_view(),
        name="staff-attachments",
    ),
    path(
        "staff/applications/<uuid:public_id>/decision/",
        staff.DecisionToSign.as_view(),
        name="staff-decision",
    ),
    *(
        path(
            f"staff/applications/<uuid:public_id>/{action.path}/",
            staff.step_view(action).as_view(),
            name=f"staff-{action.path}",
        )
        for action in staff.STEP_ACTIONS
    ),
    path(
        "staff/applications/<uuid:public_id>/result.pdf",
        staff.CaseResultPdf.as_view(),
        name="staff-result",
    ),
    # anything else under /api/v1/ is a JSON 404
    re_path(r"^.*$", json_not_found),
]
