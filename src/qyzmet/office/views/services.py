"""The services and their regulations in the desk: each version's p.2 and appendices 1–4
(the process drawn from the catalogue) and the business-process handbook (p.13) to download."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from qyzmet.catalog.appendices import appendices
from qyzmet.catalog.handbook import render_handbook
from qyzmet.catalog.queries import all_versions, find_version, versions_of

from .common import language, staff_required


@staff_required()
def services(request):
    by_service: dict[str, list] = {}
    for version in all_versions():
        by_service.setdefault(version.service_code, []).append(version)
    return render(request, "office/services.html", {"services": list(by_service.values())})


@staff_required()
def service(request, code: str, version: str | None = None):
    shown = find_version(code, version)
    if shown is None:
        versions = versions_of(code)
        if version is not None or not versions:
            raise Http404(code)
        shown = versions[-1]
    return render(
        request,
        "office/service.html",
        {
            "v": shown,
            "versions": versions_of(code),
            "appendices": appendices(shown.definition, language()),
        },
    )


@staff_required()
def handbook(request, code: str, version: str):
    shown = find_version(code, version)
    if shown is None:
        raise Http404(code)
    response = HttpResponse(render_handbook(shown.definition), content_type="application/pdf")
    name = f"handbook-{shown.service_code}-{shown.version}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
