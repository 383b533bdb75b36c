"""Linking lookups to the case they were made for, and the client built from settings."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from qyzmet.audit.models import AuditRecord
from qyzmet.core.refusals import Refused
from qyzmet.registry import protocol, queries, service
from qyzmet.registry.actions import attach_exchanges, log_exchange
from qyzmet.registry.models import GatewayExchange, Outcome


def logged(identifier="900101300007", **fields) -> GatewayExchange:
    defaults = {
        "message_id": uuid.uuid4(),
        "service_id": protocol.SERVICE_PERSON,
        "url": "http://127.0.0.1:1/bip-sync/",
        "subject_identifier": identifier,
        "outcome": Outcome.OK,
        "started_at": timezone.now(),
        "duration_ms": 5,
        "attempts": 1,
        "request_xml": "<x/>",
    }
    return log_exchange(**{**defaults, **fields})


@pytest.fixture
def application(catalog, staff):
    from qyzmet.cases.models import ApplicantKind, Application, Channel
    from qyzmet.catalog.models import ServiceVersion

    return Application.objects.create(
        service_version=ServiceVersion.objects.first(),
        channel=Channel.OFFICE,
        applicant_kind=ApplicantKind.INDIVIDUAL,
        applicant_iin="900101300007",
        applicant_name="Ахметов Ерлан Болатұлы",
        form_data={},
        created_by=staff["clerk"],
        idempotency_key="registry-test",
    )


@pytest.mark.django_db(transaction=True)
def test_the_clerks_lookups_are_attached_to_the_registered_case(application, staff):
    first, second = logged(), logged(outcome=Outcome.NOT_FOUND)
    unrelated = logged("850715450105")

    linked = attach_exchanges(
        [str(first.message_id), second.message_id], application, actor=staff["clerk"]
    )

    assert linked == 2
    assert list(queries.exchanges_for_application(application)) == [first, second]
    unrelated.refresh_from_db()
    assert unrelated.application is None
    assert AuditRecord.objects.filter(action="registry.exchange_attached").count() == 2


@pytest.mark.django_db(transaction=True)
def test_evidence_of_one_case_is_never_moved_to_another(application, staff):
    from qyzmet.cases.models import Application

    exchange = logged()
    attach_exchanges([exchange.message_id], application, actor=staff["clerk"])
    other = Application.objects.create(
        service_version=application.service_version,
        channel=application.channel,
        applicant_kind=application.applicant_kind,
        applicant_iin=application.applicant_iin,
        applicant_name=application.applicant_name,
        form_data={},
        created_by=staff["clerk"],
        idempotency_key="registry-test-2",
    )

    assert attach_exchanges([exchange.message_id], other, actor=staff["clerk"]) == 0
    exchange.refresh_from_db()
    assert exchange.application == application


@pytest.mark.django_db(transaction=True)
def test_only_office_staff_attach_exchanges(application, staff):
    exchange = logged()
    with pytest.raises(Refused) as refused:
        attach_exchanges([exchange.message_id], application, actor=staff["head"])
    assert refused.value.code == "permission_denied"
    exchange.refresh_from_db()
    assert exchange.application is None


@pytest.mark.django_db(transaction=True)
def test_lookups_by_identifier_newest_first():
    older = logged(started_at=timezone.now() - dt.timedelta(minutes=5))
    newer = logged()
    assert list(queries.exchanges_for_identifier("900101300007")) == [newer, older]
    assert queries.exchange_by_message_id(str(newer.message_id)) == newer


def test_the_configured_client_uses_the_settings(settings, keys):
    settings.QYZMET_REGISTRY_URL = "http://127.0.0.1:8999/bip-sync/"
    settings.QYZMET_REGISTRY_CLIENT_KEY = keys.path("client", "key")
    settings.QYZMET_REGISTRY_CLIENT_CERT = keys.path("client", "crt")
    settings.QYZMET_REGISTRY_PEER_CERTS = [keys.path("simulator", "crt")]
    settings.QYZMET_REGISTRY_RETRIES = 4
    settings.QYZMET_REGISTRY_READ_TIMEOUT = 1.5
    service.reset_gateway_client()
    try:
        client = service.gateway_client()
        assert service.gateway_client() is client
        assert (client.url, client.retries, client.read_timeout) == (
            "http://127.0.0.1:8999/bip-sync/",
            4,
            1.5,
        )
        assert client.peer_certs == [keys.simulator.cert]
        assert client.cert == keys.client.cert
    finally:
        service.reset_gateway_client()


def test_a_production_without_gateway_settings_refuses_lookups(settings):
    settings.PRODUCTION = True
    service.reset_gateway_client()
    try:
        with pytest.raises(Refused) as refused:
            service.gateway_client().lookup_person("900101300007")
        assert refused.value.code == "gateway_unavailable"
    finally:
        service.reset_gateway_client()
