"""Each task carries its case's service and channel (issue 13, item 12): the dashboard counts
open tasks per service and channel from the partial index ``task_open_service_idx`` without
joining the applications. Existing tasks are filled from their case, in batches of ids, one
UPDATE … SET = (SELECT …) per batch (the same on SQLite and PostgreSQL)."""

from django.db import migrations, models
from django.db.models import Max, Min, OuterRef, Subquery

BATCH = 10_000


def fill_service_and_channel(apps, schema_editor) -> int:
    """Copy the case's service code and channel onto every task that has none yet; returns
    how many tasks were filled. Safe to run again (filled tasks are left alone)."""
    Task = apps.get_model("workflow", "Task")
    Application = apps.get_model("cases", "Application")
    tasks = Task.objects.using(schema_editor.connection.alias)
    of_case = Application.objects.using(schema_editor.connection.alias).filter(
        pk=OuterRef("application_id")
    )
    bounds = tasks.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return 0
    filled = 0
    for start in range(bounds["low"], bounds["high"] + 1, BATCH):
        filled += tasks.filter(pk__gte=start, pk__lt=start + BATCH, service_code="").update(
            service_code=Subquery(of_case.values("service_version__service_code")[:1]),
            channel=Subquery(of_case.values("channel")[:1]),
        )
    return filled


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_status_mail_state_labels_in_russian"),
        ("catalog", "0001_initial"),
        ("workflow", "0003_open_tasks_by_due_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="task",
            name="service_code",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="task",
            name="channel",
            field=models.CharField(default="", max_length=8),
            preserve_default=False,
        ),
        migrations.RunPython(fill_service_and_channel, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                condition=models.Q(("state", "open")),
                fields=["service_code", "channel", "due_at"],
                name="task_open_service_idx",
            ),
        ),
    ]
