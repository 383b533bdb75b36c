from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                condition=models.Q(("assignee__isnull", True), ("state", "open")),
                fields=["role", "step", "due_at"],
                name="task_open_role_step_idx",
            ),
        ),
    ]
