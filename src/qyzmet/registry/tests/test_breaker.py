"""The circuit breaker's states, driven by a fake clock."""

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
