"""A slow registry must not stall the site (issue 12, item 6): one lookup's total time is
bounded by its budget however many retries are allowed, and the circuit breaker's state is
shared by every process through the database (two breakers here stand for two processes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from qyzmet.core.refusals import Refused
from qyzmet.registry.breaker import CLOSED, HALF_OPEN, OPEN, SharedCircuitBreaker
from qyzmet.registry.models import CircuitState, GatewayExchange, Outcome

from .conftest import PERSON_IIN

URL = "http://gateway.example/bip-sync/"


def test_the_budget_bounds_a_lookup_whatever_the_retries(make_client, simulator, db):
    simulator.control(delay_ms=4000)
    # Without a budget: 3 attempts × 2 s read timeout. With 1.5 s: one attempt, cut to 1.5 s,
    # and no second one (no time left for it).
    client = make_client(timeout=(1.0, 2.0), retries=2, budget=1.5)
    # On PostgreSQL the exchange log commits on its own connection: earlier tests' rows stay.
    before = GatewayExchange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with pytest.raises(Refused) as refused:
        client.lookup_person(PERSON_IIN)
    assert refused.value.code == "gateway_unavailable"
    exchange = GatewayExchange.objects.get(id__gt=before)
    assert exchange.outcome == Outcome.TIMEOUT and exchange.attempts == 1
    # A bound, not a speed figure: far below the 6 s the retries would take without it.
    assert exchange.duration_ms < 4000


def test_a_budget_leaves_fast_lookups_alone(make_client, simulator, db):
    assert make_client(budget=1.5).lookup_person(PERSON_IIN).iin == PERSON_IIN


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_two_processes_share_one_circuit(db, settings):
    # The state in the test's transaction, rolled back with it (on PostgreSQL the breaker
    # otherwise writes on its own connection and the open circuit would outlive the test).
    settings.QYZMET_REGISTRY_AUTONOMOUS_LOG = False
    clock = Clock()
    web = SharedCircuitBreaker(URL, threshold=3, reset_seconds=30, trial_seconds=10, clock=clock)
    worker = SharedCircuitBreaker(URL, threshold=3, reset_seconds=30, trial_seconds=10, clock=clock)
    # closed: nothing written
    assert web.allow() and not CircuitState.objects.filter(url=URL).exists()
    web.record_failure()
    worker.record_failure()
    web.record_success()  # a success anywhere ends the run of failures
    assert CircuitState.objects.get(url=URL).failures == 0
    web.record_failure()
    worker.record_failure()
    assert worker.state == CLOSED and web.allow()
    web.record_failure()  # the third in a row, counted across both
    assert worker.state == OPEN and not worker.allow() and not web.allow()

    clock.now += timedelta(seconds=31)
    assert web.state == HALF_OPEN
    assert worker.allow()  # one trial, in whichever process asks first …
    assert not web.allow()  # … and no other meanwhile
    worker.record_failure()  # the trial failed: open again for reset_seconds
    assert web.state == OPEN
    clock.now += timedelta(seconds=31)
    assert web.allow()
    clock.now += timedelta(seconds=11)  # the trial's process never reported: another may try
    assert worker.allow()
    worker.record_success()
    assert web.state == CLOSED and web.allow() and worker.allow()


def test_the_configured_client_uses_the_shared_breaker_and_budget(settings, db):
    from qyzmet.registry.service import gateway_client, reset_gateway_client

    settings.QYZMET_REGISTRY_LOOKUP_BUDGET_SECONDS = 4
    reset_gateway_client()
    try:
        client = gateway_client()
        assert isinstance(client.breaker, SharedCircuitBreaker) and client.budget == 4.0
    finally:
        reset_gateway_client()
