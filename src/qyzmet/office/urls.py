from django.urls import include, path

from .views import auth, case, dashboard, inbox, intake, process, revoke, services

app_name = "office"

urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("log-in/", auth.log_in, name="login"),
    path("log-out/", auth.log_out, name="logout"),
    path("register/", intake.choose_service, name="register"),
    path("register/<slug:code>/", intake.register_form, name="register_form"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/tasks/", dashboard.tasks, name="tasks"),
    path("services/", services.services, name="services"),
    path("services/<slug:code>/", services.service, name="service"),
    path("services/<slug:code>/<str:version>/", services.service, name="service_version"),
    path(
        "services/<slug:code>/<str:version>/handbook.pdf",
        services.handbook,
        name="service_handbook",
    ),
    path("cases/<uuid:public_id>/", case.case_page, name="case"),
    path("cases/<uuid:public_id>/receipt/", intake.receipt, name="receipt"),
    path("cases/<uuid:public_id>/assign/", case.assign, name="assign"),
    path("cases/<uuid:public_id>/reassign/", case.reassign, name="reassign"),
    path("cases/<uuid:public_id>/check/", case.check, name="check"),
    path("cases/<uuid:public_id>/prepare/", process.prepare, name="prepare"),
    path("cases/<uuid:public_id>/sign/", process.sign_page, name="sign_page"),
    path("cases/<uuid:public_id>/sign/submit/", process.sign, name="sign"),
    path("cases/<uuid:public_id>/decision.bin", process.decision_bytes, name="decision_bytes"),
    path("cases/<uuid:public_id>/return/", process.return_to_executor, name="return"),
    path("cases/<uuid:public_id>/handover/", case.handover, name="handover"),
    path("cases/<uuid:public_id>/result/", case.result_print, name="result_print"),
    path("cases/<uuid:public_id>/result/revoke/", revoke.revoke, name="revoke"),
    path(
        "cases/<uuid:public_id>/decisions/<int:decision_id>.pdf",
        case.decision_pdf,
        name="decision_pdf",
    ),
    path(
        "cases/<uuid:public_id>/attachments/<int:attachment_id>/",
        case.attachment,
        name="attachment",
    ),
]
