"""The Django admin's site, logged in to like the desk (issue 12): the same
``log_in_staff`` action — one failure counter per login and per address shared with the
desk and the API's staff log-in, the same audit records — and 429 when it is throttled."""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import translation

from qyzmet.core.client import client_address
from qyzmet.core.refusals import Refused


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    def clean(self):
        from .actions import log_in_staff

        try:
            user = log_in_staff(
                self.cleaned_data.get("username") or "",
                self.cleaned_data.get("password") or "",
                client_address(self.request),
                site="admin",
            )
        except Refused as refusal:
            language = (translation.get_language() or "ru")[:2]
            raise ValidationError(refusal.message(language), code=refusal.code) from None
        user.backend = "django.contrib.auth.backends.ModelBackend"
        self.user_cache = user
        return self.cleaned_data


class QyzmetAdminSite(AdminSite):
    login_form = ThrottledAdminAuthenticationForm

    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("form")
        if form is not None and form.is_bound and form.has_error("__all__", "login_rate_limited"):
            response.status_code = 429
        return response
