"""Log-in and log-out of the provider's staff (p.10 "через услугодателя", процесс 1–2)."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from qyzmet.core.client import client_address
from qyzmet.core.refusals import Refused

from .. import actions
from .common import refusal_text


def _safe_next(request, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


@require_http_methods(["GET", "POST"])
def log_in(request):
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    context = {"next": next_url, "username": "", "error": ""}
    if request.method == "POST":
        username = request.POST.get("username", "")
        context["username"] = username[:150]
        try:
            user = actions.log_in_staff(
                username, request.POST.get("password", ""), client_address(request)
            )
        except Refused as refusal:
            context["error"] = refusal_text(refusal)
            context["error_code"] = refusal.code
            status = 429 if refusal.code == "login_rate_limited" else 400
            return render(request, "office/login.html", context, status=status)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(next_url or "office:inbox")
    return render(request, "office/login.html", context)


@require_POST
def log_out(request):
    if request.user.is_authenticated:
        actions.record_log_out(request.user, client_address(request))
    logout(request)
    return redirect("office:login")
