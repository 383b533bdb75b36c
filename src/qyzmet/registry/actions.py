"""Writes of the registry app: the exchange log, and linking exchanges to a case.

Why the exchange log has its own transaction: a lookup is a query to a state database
about a person, and the record of it is evidence; the clerk's registration that follows may
still fail and roll back, and the evidence must not go with it. So:

* outside a transaction (the usual case: the desk's lookup is its own request) the row is
  written at once, in autocommit: its own transaction;
* inside a caller's transaction on PostgreSQL the row is written over a second, private
  connection that commits on its own (an autonomous transaction, ``core/autonomous.py``), so a later rollback of
  the caller's work leaves it in place (its links to the case and the user are set in the
  caller's transaction; ``actor_label`` keeps who asked either way);
* inside a caller's transaction on SQLite that is impossible (one writer at a time, and
  the caller already holds the write lock: a second connection would wait for itself), so
  the row is written in the caller's transaction and shares its fate. On SQLite, make the
  lookup outside the registering transaction — the desk does.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, transaction

from qyzmet.accounts.models import Role
from qyzmet.accounts.permissions import require_role
from qyzmet.audit.actions import record as audit_record
from qyzmet.core.autonomous import autonomous
from qyzmet.core.locking import locked

from . import conf
from .models import GatewayExchange


def log_exchange(**fields) -> GatewayExchange:
    """Store one exchange (see the module docstring for the transaction it is written in)."""
    actor = fields.get("actor")
    if actor is not None and not getattr(actor, "pk", None):
        fields["actor"] = actor = None  # an anonymous or unsaved user: the log says "system"
    fields.setdefault("actor_label", actor.get_username() if actor is not None else "")
    exchange = GatewayExchange(**fields)
    with autonomous(enabled=conf.autonomous_log()) as alias:
        if alias in (None, DEFAULT_DB_ALIAS):
            exchange.save(force_insert=True)  # autocommit, or the caller's SQLite transaction
            return exchange
        # The private connection cannot see rows the caller has not committed yet (a case
        # being registered, a user made in the same transaction), so the row goes in
        # without its links, and the links are set in the caller's transaction: they exist
        # exactly when the case does, the evidence exists in any case.
        application, actor = exchange.application, exchange.actor
        exchange.application = exchange.actor = None
        exchange.save(using=alias, force_insert=True)
    exchange._state.db = DEFAULT_DB_ALIAS
    if application is not None or actor is not None:
        GatewayExchange.objects.filter(pk=exchange.pk).update(application=application, actor=actor)
        exchange.application, exchange.actor = application, actor
    return exchange


def attach_exchanges(message_ids: Iterable[str], application, *, actor) -> int:
    """Link the lookups made while filling a form to the case they were made for.

    The desk looks the applicant up before the case exists (процесс 4 fills the form);
    at registration (процесс 7) it passes the lookups' message ids here, in the same
    transaction as the registration. Only unlinked exchanges are linked: evidence of one
    case is never moved to another. Returns the number linked.
    """
    require_role(actor, Role.CLERK, Role.EXECUTOR, Role.ADMINISTRATOR)
    ids = [str(message_id) for message_id in message_ids]
    with transaction.atomic():
        exchanges = list(
            locked(GatewayExchange.objects).filter(message_id__in=ids, application__isnull=True)
        )
        for exchange in exchanges:
            exchange.application = application
            exchange.save(update_fields=["application"])
            audit_record(
                actor,
                "registry.exchange_attached",
                case=application,
                obj=exchange,
                after={"message_id": str(exchange.message_id), "outcome": exchange.outcome},
            )
    return len(exchanges)
