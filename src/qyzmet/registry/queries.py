"""Reads of the exchange log (the case page, the desk, an audit)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import GatewayExchange


def exchanges_for_application(application) -> QuerySet[GatewayExchange]:
    """The lookups kept with a case, oldest first (the case page's timeline)."""
    return GatewayExchange.objects.filter(application=application).order_by("started_at")


def exchanges_for_identifier(identifier: str) -> QuerySet[GatewayExchange]:
    """Who looked this IIN/BIN up and when, newest first."""
    return GatewayExchange.objects.filter(subject_identifier=identifier).order_by("-started_at")


def exchange_by_message_id(message_id: str) -> GatewayExchange | None:
    return GatewayExchange.objects.filter(message_id=message_id).first()
