"""``django.contrib.admin`` with qyzmet's site (``admin_site.py``): listed in INSTALLED_APPS
instead of the plain admin app."""

from django.contrib.admin.apps import AdminConfig


class QyzmetAdminConfig(AdminConfig):
    default_site = "qyzmet.office.admin_site.QyzmetAdminSite"
