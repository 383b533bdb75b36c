"""The circuit breaker's states, driven by a fake clock; the shared breaker's failures made
inside a caller's transaction that rolls back (SQLite and PostgreSQL)."""

import pytest

from qyzmet.registry.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker, breaker_for


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_opens_after_threshold_consecutive_failures():
    breaker = CircuitBreaker(threshold=3, reset_seconds=10, clock=FakeClock())
    for _ in range(2):
        breaker.record_failure()
    assert breaker.state == CLOSED and breaker.allow()
    breaker.record_failure()
    assert breaker.state == OPEN
    assert not breaker.allow()


def test_a_success_resets_the_count_of_consecutive_failures():
    breaker = CircuitBreaker(threshold=3, reset_seconds=10, clock=FakeClock())
    breaker.record_failure()
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    breaker.record_failure()
    assert breaker.state == CLOSED


def test_half_open_after_cool_down_lets_one_trial_through():
    clock = FakeClock()
    breaker = CircuitBreaker(threshold=1, reset_seconds=10, clock=clock)
    breaker.record_failure()
    clock.now += 9.9
    assert not breaker.allow()
    clock.now += 0.2
    assert breaker.state == HALF_OPEN
    assert breaker.allow()
    assert not breaker.allow()  # only one trial at a time


def test_trial_success_closes_and_trial_failure_reopens():
    clock = FakeClock()
    breaker = CircuitBreaker(threshold=2, reset_seconds=5, clock=clock)
    breaker.record_failure()
    breaker.record_failure()
    clock.now += 5
    assert breaker.allow()
    breaker.record_failure()  # the trial failed: open again at once, not after 2 more
    assert breaker.state == OPEN
    clock.now += 5
    assert breaker.allow()
    breaker.record_success()
    assert breaker.state == CLOSED and breaker.allow() and breaker.allow()


def test_one_breaker_per_url_in_the_process():
    first = breaker_for("http://gateway.test/a", 3, 10)
    assert breaker_for("http://gateway.test/a", 99, 99) is first
    assert breaker_for("http://gateway.test/b", 3, 10) is not first


class LookupFailed(Exception):
    pass


def _fail_inside_a_transaction(breaker, *, commit: bool = False) -> None:
    """An action that writes, looks up (the gateway fails) and then rolls back, as an action
    does when the lookup it needs fails — or, with ``commit``, goes on and commits."""
    from django.db import transaction

    from qyzmet.accounts.models import User

    try:
        with transaction.atomic():
            User.objects.create_user(f"caller-{User.objects.count()}", password="x")
            assert breaker.allow()
            breaker.record_failure()
            if not commit:
                raise LookupFailed
    except LookupFailed:
        pass


@pytest.mark.django_db(transaction=True)
def test_failures_inside_rolled_back_transactions_still_count_and_open_the_shared_breaker():
    from qyzmet.accounts.models import User
    from qyzmet.registry.breaker import SharedCircuitBreaker
    from qyzmet.registry.models import CircuitState

    url = "http://gateway.test/rolled-back"
    breaker = SharedCircuitBreaker(url, threshold=3, reset_seconds=30)
    _fail_inside_a_transaction(breaker)
    assert not User.objects.exists()  # the caller's work did roll back
    assert breaker.state == CLOSED
    assert CircuitState.objects.get(url=url).failures == 1  # the failure did not
    _fail_inside_a_transaction(breaker)
    _fail_inside_a_transaction(breaker)
    assert breaker.state == OPEN and not breaker.allow()
    assert CircuitState.objects.get(url=url).failures == 3
    # Another process's breaker of the same gateway (its own object) refuses too.
    assert not SharedCircuitBreaker(url, threshold=3, reset_seconds=30).allow()


@pytest.mark.django_db(transaction=True)
def test_a_failure_inside_a_committed_transaction_counts_once():
    from qyzmet.registry.breaker import SharedCircuitBreaker
    from qyzmet.registry.models import CircuitState

    url = "http://gateway.test/committed"
    breaker = SharedCircuitBreaker(url, threshold=3, reset_seconds=30)
    _fail_inside_a_transaction(breaker, commit=True)
    _fail_inside_a_transaction(breaker, commit=True)
    assert breaker.state == CLOSED
    assert CircuitState.objects.get(url=url).failures == 2
