"""The transfer table in the database: seeding, admin edits, actions, the cache."""

from datetime import date

import pytest
from django.test import override_settings
from django.urls import reverse

from qyzmet.accounts.models import Role, User
from qyzmet.audit.models import AuditRecord
from qyzmet.calendar import actions
from qyzmet.calendar.models import DayOverride
from qyzmet.calendar.seed import ALL_SEEDS
from qyzmet.calendar.working_time import get_calendar
from qyzmet.core.refusals import Refused

SATURDAY = date(2026, 1, 3)  # an ordinary Saturday: no holiday, no decree


@pytest.fixture
def administrator(db):
    return User.objects.create_user(
        "calendar-admin", password="x-Long-enough-2026", role=Role.ADMINISTRATOR, is_staff=True
    )


@pytest.fixture
def executor(db):
    return User.objects.create_user(
        "calendar-executor", password="x-Long-enough-2026", role=Role.EXECUTOR, is_staff=True
    )


@pytest.mark.django_db
def test_migration_seeded_every_transfer():
    stored = {o.date.isoformat(): o for o in DayOverride.objects.all()}
    assert set(stored) == {row.date for row in ALL_SEEDS}
    for row in ALL_SEEDS:
        override = stored[row.date]
        assert (override.kind, override.basis, override.assumed) == (
            row.kind,
            row.basis,
            row.assumed,
        )


@pytest.mark.django_db
def test_admin_edit_takes_effect_without_restart(client, administrator):
    client.force_login(administrator)
    calendar = get_calendar()
    assert not calendar.is_working_day(SATURDAY)

    response = client.post(
        reverse("admin:calendar_dayoverride_add"),
        {"date": "2026-01-03", "kind": "working", "basis": "Тестовое постановление № 1"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert get_calendar().is_working_day(SATURDAY)
    assert get_calendar().add_working_days(date(2026, 1, 2), 1) == SATURDAY

    override = DayOverride.objects.get(date=SATURDAY)
    record = AuditRecord.objects.get(action="calendar.override_saved", object_id=str(override.pk))
    assert record.actor == administrator
    assert record.before is None and record.after["kind"] == "working"

    response = client.post(
        reverse("admin:calendar_dayoverride_delete", args=[override.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not get_calendar().is_working_day(SATURDAY)
    assert AuditRecord.objects.filter(action="calendar.override_deleted").count() == 1


@pytest.mark.django_db
def test_admin_lists_overrides(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("admin:calendar_dayoverride_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    # Every seeded decree is listed by its basis (adilet document ids are in the text).
    for document in ("P1300001322", "P1400000365", "G24G0000109", "G24G0000436"):
        assert document in page


@pytest.mark.django_db
def test_only_an_administrator_may_change_the_table(client, executor):
    client.force_login(executor)
    response = client.post(
        reverse("admin:calendar_dayoverride_add"),
        {"date": "2026-01-03", "kind": "working", "basis": "x"},
    )
    assert response.status_code == 403
    with pytest.raises(Refused) as refused:
        actions.set_day_override(executor, SATURDAY, "working", "x")
    assert refused.value.code == "permission_denied"
    assert not DayOverride.objects.filter(date=SATURDAY).exists()


@pytest.mark.django_db
def test_an_invalid_override_is_refused_and_nothing_changes(administrator):
    with pytest.raises(Refused) as refused:
        actions.set_day_override(administrator, SATURDAY, "holiday", "x")
    assert refused.value.code == "calendar_override_invalid"
    with pytest.raises(Refused):
        actions.set_day_override(administrator, SATURDAY, "working", "")
    assert not DayOverride.objects.filter(date=SATURDAY).exists()
    assert not AuditRecord.objects.filter(action__startswith="calendar.").exists()


@pytest.mark.django_db
def test_set_day_override_updates_by_date(administrator):
    first = actions.set_day_override(administrator, SATURDAY, "working", "Постановление № 1")
    second = actions.set_day_override(
        administrator, SATURDAY, "working", "Постановление № 2", assumed=True
    )
    assert first.pk == second.pk
    assert DayOverride.objects.get(date=SATURDAY).basis == "Постановление № 2"
    records = AuditRecord.objects.filter(action="calendar.override_saved").order_by("id")
    assert [r.before is None for r in records] == [True, False]


@pytest.mark.django_db
@override_settings(QYZMET_CALENDAR_RELOAD_SECONDS=3600)
def test_the_calendar_is_cached_no_query_per_call(django_assert_num_queries):
    get_calendar()
    with django_assert_num_queries(0):
        for _ in range(100):
            get_calendar().add_working_days(date(2026, 3, 18), 10)


@pytest.mark.django_db
def test_a_change_made_by_another_process_is_noticed_on_reload():
    # queryset.update() sends no signal: exactly what this process sees of another's edit.
    with override_settings(QYZMET_CALENDAR_RELOAD_SECONDS=3600):
        assert get_calendar().is_working_day(date(2013, 12, 28))
        DayOverride.objects.filter(date=date(2013, 12, 28)).update(kind="day_off")
        assert get_calendar().is_working_day(date(2013, 12, 28))  # still cached
    with override_settings(QYZMET_CALENDAR_RELOAD_SECONDS=0):
        assert not get_calendar().is_working_day(date(2013, 12, 28))


@pytest.mark.django_db
def test_the_schedule_comes_from_settings():
    default = get_calendar()
    assert default.end_of_working_day(date(2026, 3, 18)).isoformat() == "2026-03-18T18:30:00+05:00"
    with override_settings(
        QYZMET_CALENDAR_WORK_END="17:00", QYZMET_CALENDAR_WORKING_WEEKDAYS="0,1,2,3,4,5"
    ):
        calendar = get_calendar()
        assert calendar.end_of_working_day(date(2026, 3, 18)).hour == 17
        assert calendar.is_working_day(SATURDAY)  # a six-day week
        assert calendar.is_working_day(date(2013, 12, 28))  # the seeded rows still apply
    assert get_calendar().schedule == default.schedule
