"""A circuit breaker, shared by every client of one gateway URL in the process.

closed → (``threshold`` consecutive failed attempts) → open → (``reset_seconds``) →
half-open: one trial attempt goes through; its success closes the circuit, its failure
opens it again for another ``reset_seconds``. While open, lookups are refused at once
(``gateway_unavailable``) instead of each waiting for its own timeouts: the desk stays
responsive and the gateway is not hammered while it recovers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half_open"


class CircuitBreaker:
    def __init__(
        self,
        threshold: int = 5,
        reset_seconds: float = 30.0,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if threshold < 1:
            raise ValueError("threshold must be at least 1")
        self.threshold = threshold
        self.reset_seconds = reset_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._state = CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._trial_in_flight = False

    @property
    def state(self) -> str:
        with self._lock:
            self._advance()
            return self._state

    def _advance(self) -> None:
        if self._state == OPEN and self._clock() - self._opened_at >= self.reset_seconds:
            self._state = HALF_OPEN
            self._trial_in_flight = False

    def allow(self) -> bool:
        """May an attempt go out now? In half-open state only one trial at a time."""
        with self._lock:
            self._advance()
            if self._state == CLOSED:
                return True
            if self._state == HALF_OPEN and not self._trial_in_flight:
                self._trial_in_flight = True
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            self._state = CLOSED
            self._failures = 0
            self._trial_in_flight = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._state == HALF_OPEN or self._failures >= self.threshold:
                self._state = OPEN
                self._opened_at = self._clock()
                self._trial_in_flight = False

    def reset(self) -> None:
        self.record_success()


_BREAKERS: dict[str, CircuitBreaker] = {}
_BREAKERS_LOCK = threading.Lock()


def breaker_for(url: str, threshold: int, reset_seconds: float) -> CircuitBreaker:
    """The process-wide breaker of ``url`` (created on first use with these settings)."""
    with _BREAKERS_LOCK:
        breaker = _BREAKERS.get(url)
        if breaker is None:
            breaker = _BREAKERS[url] = CircuitBreaker(threshold, reset_seconds)
        return breaker
