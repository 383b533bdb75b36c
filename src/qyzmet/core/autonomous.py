"""Writes that commit on their own, whatever the caller's transaction does next (an
autonomous transaction): the registry's exchange log (evidence of a lookup) and its circuit
breaker's state (a failed lookup must count even when the action that made it rolls back —
the lookup failing is exactly when it does).

``autonomous()`` yields the database alias to write on:

* outside a transaction: the default connection, in autocommit — each write is its own
  transaction already;
* inside a caller's transaction on PostgreSQL: a second, private connection (registered
  under an alias of its own for the duration, so the ORM can use it), in autocommit, closed
  afterwards. It cannot see the caller's uncommitted rows, and a row the caller has locked
  would make it wait for itself: write only rows the caller does not lock;
* inside a caller's transaction on SQLite: ``None`` — impossible there (one writer at a time,
  and the caller's ``BEGIN IMMEDIATE`` already holds the write lock: a second connection
  would wait for the caller, that is for itself). The caller decides what to do instead.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator

from django.db import DEFAULT_DB_ALIAS, connections

_aliases = itertools.count()


@contextlib.contextmanager
def autonomous(using: str = DEFAULT_DB_ALIAS, *, enabled: bool = True) -> Iterator[str | None]:
    """The alias whose writes commit on their own (see the module); ``enabled=False``: the
    caller's own connection, sharing its transaction's fate (tests that must leave nothing
    behind)."""
    connection = connections[using]
    if not connection.in_atomic_block or not enabled:
        yield using
        return
    if connection.vendor == "sqlite":
        yield None
        return
    private = connections.create_connection(using)
    alias = f"{using}-autonomous-{next(_aliases)}"
    connections[alias] = private
    try:
        yield alias
    finally:
        del connections[alias]
        private.close()
