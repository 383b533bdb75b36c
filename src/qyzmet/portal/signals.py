"""The portal listens to status changes of applications (to notify applicants).

The status an instance was loaded with is remembered on ``post_init``; ``post_save``
compares. Every write of the cases and workflow actions goes through ``save()``, so each
transition is seen once, without an extra query.
"""

from django.db.models.signals import post_init, post_save
from django.dispatch import receiver

from qyzmet.cases.models import Application

from . import notifications

_LOADED = "_portal_loaded_status"


@receiver(post_init, sender=Application)
def remember_status(sender, instance, **kwargs):
    instance.__dict__[_LOADED] = instance.__dict__.get("status")


@receiver(post_save, sender=Application)
def notify_on_status_change(sender, instance, created, **kwargs):
    previous = None if created else instance.__dict__.get(_LOADED)
    notifications.status_changed(instance, previous)
    instance.__dict__[_LOADED] = instance.status
