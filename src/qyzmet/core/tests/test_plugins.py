"""The plugin registry and the two kinds registered in it (deadline rules, gateway backends)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from qyzmet.core.plugins import Registry


def test_a_registry_knows_what_registered_itself():
    things = Registry("thing")

    @things("one")
    def one():
        return 1

    assert things["one"] is one and "one" in things and list(things) == ["one"]
    with pytest.raises(ValueError, match="already registered"):
        things("one")(lambda: 2)
    with pytest.raises(KeyError, match="unknown thing 'two' \\(known: one\\)"):
        things["two"]


@pytest.mark.django_db
def test_deadline_rules_are_the_catalogue_norm_kinds():
    from qyzmet.calendar.working_time import get_calendar
    from qyzmet.catalog.metaschema import NORM_KINDS
    from qyzmet.workflow.engine import Norm, deadline_rules, due_time

    # What the catalogue accepts is exactly what the engine can compute.
    assert sorted(deadline_rules) == sorted(NORM_KINDS)
    calendar = get_calendar()
    start = datetime(2026, 3, 18, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    due = due_time(
        Norm("working_days", 10, "step_start"), start=start, registered_at=start, calendar=calendar
    )
    assert due == calendar.working_day_deadline(start, 10)
    with pytest.raises(ValueError, match="unknown norm kind 'fortnight'"):
        due_time(
            Norm("fortnight", 1, "step_start"), start=start, registered_at=start, calendar=calendar
        )


def test_an_unknown_gateway_backend_refuses_every_lookup(settings):
    from qyzmet.core.refusals import Refused
    from qyzmet.registry.service import gateway_backends, gateway_client, reset_gateway_client

    assert "signed-soap" in gateway_backends
    settings.QYZMET_REGISTRY_BACKEND = "carrier-pigeon"
    reset_gateway_client()
    try:
        with pytest.raises(Refused) as refused:
            gateway_client().lookup_person("900101300007")
        assert refused.value.code == "gateway_unavailable"
    finally:
        reset_gateway_client()
