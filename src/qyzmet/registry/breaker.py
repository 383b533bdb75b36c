"""Circuit breakers: :class:`SharedCircuitBreaker`, the one the gateway client uses, keeps its
state in the database, shared by every process and host (the web workers, the task worker);
:class:`CircuitBreaker` keeps it in the process (tests, tools).

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
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from qyzmet.core.locking import locked

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


class SharedCircuitBreaker:
    """The breaker of one gateway URL with its state in a database row (``CircuitState``),
    so that every web worker process and the task worker open and close it together: once
    ``threshold`` attempts in a row failed anywhere, every process refuses lookups at once
    for ``reset_seconds``; then one trial (in any process; ``trial_seconds`` to report back,
    or another process may try) decides. A closed circuit with no failures costs one SELECT
    per attempt and no write."""

    def __init__(
        self,
        url: str,
        threshold: int = 5,
        reset_seconds: float = 30.0,
        *,
        trial_seconds: float = 30.0,
        clock: Callable[[], datetime] = timezone.now,
    ) -> None:
        if threshold < 1:
            raise ValueError("threshold must be at least 1")
        self.url = url
        self.threshold = threshold
        self.reset_seconds = reset_seconds
        self.trial_seconds = trial_seconds
        self._clock = clock

    def _row(self):
        from .models import CircuitState

        return CircuitState.objects.filter(url=self.url).first()

    @property
    def state(self) -> str:
        row = self._row()
        if row is None or row.open_until is None:
            return CLOSED
        return OPEN if self._clock() < row.open_until else HALF_OPEN

    def allow(self) -> bool:
        from .models import CircuitState

        row = self._row()
        if row is None or row.open_until is None:
            return True
        now = self._clock()
        if now < row.open_until:
            return False
        # Half-open: the first process to mark the trial makes it.
        taken = (
            CircuitState.objects.filter(pk=row.pk, open_until=row.open_until)
            .exclude(trial_until__gte=now)
            .update(trial_until=now + timedelta(seconds=self.trial_seconds))
        )
        return taken == 1

    def record_success(self) -> None:
        from .models import CircuitState

        dirty = CircuitState.objects.filter(url=self.url).exclude(failures=0, open_until=None)
        if dirty.exists():
            dirty.update(failures=0, open_until=None, trial_until=None)

    def record_failure(self) -> None:
        from .models import CircuitState

        now = self._clock()
        with transaction.atomic():
            row, _ = locked(CircuitState.objects).get_or_create(url=self.url)
            row.failures += 1
            trial_failed = row.open_until is not None and now >= row.open_until
            if trial_failed or row.failures >= self.threshold:
                row.open_until = now + timedelta(seconds=self.reset_seconds)
                row.trial_until = None
            row.save(update_fields=["failures", "open_until", "trial_until"])

    def reset(self) -> None:
        from .models import CircuitState

        CircuitState.objects.filter(url=self.url).delete()
