"""Starting the process of an application the register has just registered.

The process engine is the workflow app's (``qyzmet.workflow.engine.start_registered``: the
registration moment on the working calendar, the deadline, the first tasks). The register
names it by the setting ``QYZMET_PROCESS_START`` instead of importing it: the workflow acts on
the register (it imports the register's models), so the register importing the workflow would
tie the two apps into an import cycle. Dependencies run one way: workflow → cases.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils.module_loading import import_string


def start(application, *, actor, now: datetime) -> None:
    """Set ``application.registered_at`` and ``deadline_at`` and open its first tasks, in the
    registering transaction."""
    import_string(settings.QYZMET_PROCESS_START)(application, actor=actor, now=now)
