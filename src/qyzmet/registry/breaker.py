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

import contextlib
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from qyzmet.core.autonomous import autonomous
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
    per attempt and no write. Its writes commit on their own, outside the caller's
    transaction (``_own_transaction``): a failure counts even when the caller rolls back."""

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
        _flush_rolled_back()
        row = self._row()
        if row is None or row.open_until is None:
            return CLOSED
        return OPEN if self._clock() < row.open_until else HALF_OPEN

    def allow(self) -> bool:
        from .models import CircuitState

        _flush_rolled_back()
        row = self._row()
        if row is None or row.open_until is None:
            return True
        now = self._clock()
        if now < row.open_until:
            return False
        # Half-open: the first process to mark the trial makes it.
        with _own_transaction() as alias:
            taken = (
                CircuitState.objects.using(alias)
                .filter(pk=row.pk, open_until=row.open_until)
                .exclude(trial_until__gte=now)
                .update(trial_until=now + timedelta(seconds=self.trial_seconds))
            )
        return taken == 1

    def record_success(self) -> None:
        from .models import CircuitState

        _flush_rolled_back()
        with _own_transaction() as alias:
            dirty = (
                CircuitState.objects.using(alias)
                .filter(url=self.url)
                .exclude(failures=0, open_until=None)
            )
            if dirty.exists():
                dirty.update(failures=0, open_until=None, trial_until=None)

    def record_failure(self) -> None:
        from . import conf

        _flush_rolled_back()
        with autonomous(enabled=conf.autonomous_log()) as alias:
            self._count_failure(alias or DEFAULT_DB_ALIAS)
            if alias is None:  # SQLite, inside the caller's transaction
                _remember_until_committed(self)

    def _count_failure(self, alias: str) -> None:
        from .models import CircuitState

        now = self._clock()
        with transaction.atomic(using=alias):
            row, _ = locked(CircuitState.objects.using(alias)).get_or_create(url=self.url)
            row.failures += 1
            trial_failed = row.open_until is not None and now >= row.open_until
            if trial_failed or row.failures >= self.threshold:
                row.open_until = now + timedelta(seconds=self.reset_seconds)
                row.trial_until = None
            row.save(update_fields=["failures", "open_until", "trial_until"])

    def reset(self) -> None:
        from .models import CircuitState

        with _own_transaction() as alias:
            CircuitState.objects.using(alias).filter(url=self.url).delete()


# --- The breaker's writes commit on their own (core/autonomous.py): a lookup that failed
# inside an action's transaction counts even though the action then rolls back.


@contextlib.contextmanager
def _own_transaction():
    """The alias to write the breaker's state on: its own transaction (autocommit, or a
    private connection on PostgreSQL); on SQLite inside a caller's transaction, the caller's
    connection (see ``_remember_until_committed``)."""
    from . import conf

    with autonomous(enabled=conf.autonomous_log()) as alias:
        yield alias or DEFAULT_DB_ALIAS


_pending = threading.local()


def _remember_until_committed(breaker: SharedCircuitBreaker) -> None:
    """SQLite cannot write beside the caller's transaction (one writer, whose BEGIN
    IMMEDIATE holds the lock), so a failure counted in it is remembered in this thread until
    that transaction commits; should it roll back, ``_flush_rolled_back`` counts the failure
    again in autocommit as soon as this thread is out of it — at its next breaker call or
    when its request ends, before any other lookup of this thread."""
    entry = [breaker]
    failures = _pending.__dict__.setdefault("failures", [])
    failures.append(entry)
    transaction.on_commit(lambda: entry.clear())  # committed: counted; dropped on rollback


def forget_pending() -> None:
    """Drop this thread's remembered failures (tests: a test's transaction always rolls back)."""
    _pending.failures = []


def _flush_rolled_back(**_signal) -> None:
    failures = getattr(_pending, "failures", None)
    if not failures or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return
    _pending.failures = []
    for entry in failures:
        for breaker in entry:  # empty once committed
            breaker._count_failure(DEFAULT_DB_ALIAS)


request_finished.connect(_flush_rolled_back, dispatch_uid="qyzmet.registry.breaker.flush")
