"""The catalogue: services in force, a version's passport and its form schema (public)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework.response import Response

from .. import queries, responses
from ..base import PublicApiView, documented

TAG = ["catalogue"]


class ServiceList(PublicApiView):
    @documented(
        tags=TAG,
        summary="Services in force",
        operation_id="catalog_services_list",
        responses={200: responses.ServiceListOut},
    )
    def get(self, request):
        return Response({"services": queries.services()})


class ServicePassport(PublicApiView):
    @documented(
        tags=TAG,
        summary="Passport of the version in force (or of the named version)",
        responses={200: responses.PassportOut},
    )
    def get(self, request, code: str, version: str | None = None):
        return Response(queries.passport(queries.service_version(code, version)))


class ServiceFormSchema(PublicApiView):
    @documented(
        tags=TAG,
        summary="JSON Schema (2020-12) of the application form of a service version",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="a JSON Schema")},
    )
    def get(self, request, code: str, version: str):
        return Response(queries.service_version(code, version).form_schema)
