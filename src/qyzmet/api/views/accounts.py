"""Sign-up and log-in (regulation p.10 "через портал": процесс 1, условие 1, процесс 2).

The account logic is ``qyzmet.accounts.actions`` (the portal's pages call the same
functions); these views only turn their results into bearer tokens. Staff get a token with
their office username and password.
"""

from __future__ import annotations

import base64

from django.db import transaction
from drf_spectacular.utils import OpenApiResponse
from rest_framework.response import Response

from qyzmet.accounts import actions as accounts
from qyzmet.core.client import client_address
from qyzmet.office.actions import log_in_staff

from .. import queries, responses, serializers
from ..actions import issue_token, revoke_token
from ..base import ApiView, AuthRateThrottle, IsApplicant, PublicApiView, documented
from ..models import ApiToken

TAG = ["accounts"]


def _token_response(user, method: str, status: int = 200) -> Response:
    issued = issue_token(user, method=method)
    return Response(
        {
            "token": issued.secret,
            "token_type": "Bearer",
            "expires_at": issued.expires_at.isoformat(),
            "user": queries.user_profile(user),
        },
        status=status,
    )


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class AuthView(PublicApiView):
    throttle_classes = [AuthRateThrottle]


class ChallengeCreate(AuthView):
    @documented(
        tags=TAG,
        summary="A one-time challenge to sign with the EDS authentication key",
        request=serializers.ChallengeIn,
        responses={201: responses.ChallengeOut},
    )
    def post(self, request):
        data = _valid(serializers.ChallengeIn, request)
        challenge = accounts.issue_challenge(data["purpose"], client_address(request))
        return Response(
            {
                "id": str(challenge.public_id),
                "purpose": challenge.purpose,
                "payload": base64.b64encode(challenge.payload).decode("ascii"),
                "expires_at": challenge.expires_at.isoformat(),
            },
            status=201,
        )


class SignUp(AuthView):
    @documented(
        tags=TAG,
        summary="Sign up with the EDS (signed sign-up challenge); returns a token",
        request=serializers.SignedChallengeIn,
        responses={201: responses.TokenOut},
    )
    def post(self, request):
        data = _valid(serializers.SignedChallengeIn, request)
        user = accounts.sign_up_with_eds(data["challenge"], data["signature"])
        return _token_response(user, "eds_sign_up", status=201)


class LogIn(AuthView):
    @documented(
        tags=TAG,
        summary="Log in with the IIN (a representative: IIN + the entity's BIN) and the "
        "portal password; returns a token",
        request=serializers.PasswordLogInIn,
        responses={200: responses.TokenOut},
    )
    def post(self, request):
        data = _valid(serializers.PasswordLogInIn, request)
        user = accounts.authenticate_with_password(
            data["login"], data["password"], client_address(request), entity_bin=data["bin"]
        )
        return _token_response(user, "password")


class LogInWithEds(AuthView):
    @documented(
        tags=TAG,
        summary="Log in with the EDS (signed log-in challenge); returns a token",
        request=serializers.SignedChallengeIn,
        responses={200: responses.TokenOut},
    )
    def post(self, request):
        data = _valid(serializers.SignedChallengeIn, request)
        user = accounts.authenticate_with_eds(
            data["challenge"], data["signature"], client_address(request)
        )
        return _token_response(user, "eds")


class StaffLogIn(AuthView):
    @documented(
        tags=TAG,
        summary="Staff log-in with the office username and password; returns a token",
        request=serializers.StaffLogInIn,
        responses={200: responses.TokenOut},
    )
    def post(self, request):
        data = _valid(serializers.StaffLogInIn, request)
        # The office desk's own log-in action: the same refusals, the same failure counter
        # per login and address (rate limit), the same audit records.
        user = log_in_staff(data["username"], data["password"], client_address(request))
        return _token_response(user, "staff_password")


class LogOut(ApiView):
    @documented(
        tags=TAG,
        summary="Revoke the token of this request",
        request=None,
        responses={204: OpenApiResponse(description="revoked")},
    )
    def post(self, request):
        if isinstance(request.auth, ApiToken):
            revoke_token(request.user, request.auth)
        return Response(status=204)


class Me(ApiView):
    @documented(tags=TAG, summary="Who the token belongs to", responses={200: responses.UserOut})
    def get(self, request):
        return Response(queries.user_profile(request.user))


class SetPassword(ApiView):
    permission_classes = [IsApplicant]

    @documented(
        tags=TAG,
        summary="Set the portal password (and the e-mail for notifications)",
        request=serializers.SetPasswordIn,
        responses={200: responses.UserOut},
    )
    def post(self, request):
        data = _valid(serializers.SetPasswordIn, request)
        with transaction.atomic():
            user = request.user
            if "email" in data:
                user = accounts.update_contact_email(user, data["email"])
            user = accounts.set_portal_password(user, data["password"])
        return Response(queries.user_profile(user))
