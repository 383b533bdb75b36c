"""Permission checks of the write layer: every action names the roles that may run it."""

from qyzmet.core.refusals import Refused

from .models import User


def require_role(user: User, *roles: str) -> None:
    if user is None or not user.is_authenticated or not user.has_role(*roles):
        raise Refused("permission_denied")
