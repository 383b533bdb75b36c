"""Row locks of the write layer: one way to lock the rows an action changes.

``locked(queryset)`` is ``SELECT … FOR NO KEY UPDATE OF <the queryset's own table>``:

- ``OF self``: only the rows of the queryset's model are locked, not the rows joined by
  ``select_related`` (PostgreSQL's plain ``FOR UPDATE`` locks every joined row: locking an
  application with its service version locked the version too, so every action on every
  case of one service version waited for the others).
- ``NO KEY UPDATE``: the lock an ``UPDATE`` that leaves the key alone takes. It conflicts
  with other writers of the row, but not with the ``KEY SHARE`` lock an insert elsewhere
  takes on the row its foreign key references (a task, an attachment or an audit record
  naming the locked application or user is not blocked by it).

SQLite has no row locks; Django leaves the clause out there (``has_select_for_update`` is
false, so ``of`` and ``no_key`` are not checked either). The one place that wants the
stronger lock says so itself (the catalogue loader: a version's content may change only while
nothing references it, so it blocks the inserts that would).
"""

from django.db.models import QuerySet


def locked(queryset: QuerySet, *, skip_locked: bool = False) -> QuerySet:
    """The queryset's own rows, locked until the transaction ends (see the module)."""
    return queryset.select_for_update(of=("self",), no_key=True, skip_locked=skip_locked)
