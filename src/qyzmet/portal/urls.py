from django.urls import include, path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("services/<slug:code>/", views.service, name="service"),
    path("services/<slug:code>/<str:version>/", views.service, name="service_version"),
    path("challenge/<str:purpose>/", views.challenge, name="challenge"),
    path("sign-up/", views.sign_up, name="sign_up"),
    path("sign-up/password/", views.set_password, name="set_password"),
    path("log-in/", views.log_in, name="login"),
    path("log-in/eds/", views.log_in_eds, name="login_eds"),
    path("log-out/", views.log_out, name="logout"),
    path("account/", views.account, name="account"),
    path("applications/", views.my_applications, name="my_applications"),
    path("applications/new/<slug:code>/", views.new_application, name="new_application"),
    path("applications/<uuid:public_id>/", views.detail, name="detail"),
    path("applications/<uuid:public_id>/edit/", views.edit, name="edit"),
    path("applications/<uuid:public_id>/delete/", views.delete_draft, name="delete_draft"),
    path("applications/<uuid:public_id>/attachments/", views.upload, name="upload"),
    path(
        "applications/<uuid:public_id>/attachments/<int:attachment_id>/remove/",
        views.remove_attachment,
        name="remove_attachment",
    ),
    path("applications/<uuid:public_id>/review/", views.review, name="review"),
    path(
        "applications/<uuid:public_id>/files/<int:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
    path("applications/<uuid:public_id>/request.bin", views.request_bytes, name="request_bytes"),
    path("applications/<uuid:public_id>/submit/", views.submit, name="submit"),
    path("applications/<uuid:public_id>/result/", views.result, name="result"),
    path("applications/<uuid:public_id>/result.pdf", views.result_pdf, name="result_pdf"),
]
