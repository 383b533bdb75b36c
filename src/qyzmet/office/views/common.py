"""What every view of the staff desk shares: the role gate, refusals shown in the user's
language."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils import translation

from qyzmet.accounts.models import STAFF_ROLES
from qyzmet.core.refusals import Refused


def language() -> str:
    return (translation.get_language() or "ru")[:2]


def refusal_text(refusal: Refused) -> str:
    return refusal.message(language())


def login_redirect(request):
    """To the desk's own log-in page (not settings.LOGIN_URL, the portal's), with ?next= the
    whole requested path and query, encoded so that none of it is lost."""
    return redirect_to_login(request.get_full_path(), "office:login")


def staff_required(*roles: str):
    """Anonymous → the log-in page; applicants and other roles → 403 with the reason.
    With no ``roles``, any staff role may enter. The actions check the role again."""
    allowed = tuple(roles) or tuple(STAFF_ROLES)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return login_redirect(request)
            if not user.has_role(*allowed):
                code = "permission_denied" if user.has_role(*STAFF_ROLES) else "office_staff_only"
                return render(
                    request,
                    "office/forbidden.html",
                    {"message": refusal_text(Refused(code))},
                    status=403,
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def not_found(request):
    from ..texts import text

    return render(request, "office/forbidden.html", {"message": text("case_not_found")}, status=404)


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")
