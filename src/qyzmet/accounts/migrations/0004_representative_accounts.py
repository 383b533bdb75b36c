"""One account per representative of a legal entity (issue 12, item 3).

Until now a legal entity had one account whose login was its BIN, opened by whichever
representative signed up first. Each representative is now their own account, username
``IIN@BIN`` (``accounts.models.applicant_login``). This migration:

- adds ``User.certificate_roles`` (the EKU roles of the person's certificate for the entity);
- renames every applicant account whose username is its BIN and whose IIN is known (sign-up
  always stored the IIN of the certificate) to ``IIN@BIN``: it becomes that person's own
  account, with the roles of the certificate it signed up with (read from its
  ``accounts.sign_up`` audit record; unknown roles stay empty until the next EDS log-in).
  Each rename is appended to the audit chain (``accounts.migrate_login``, actor "system").
- leaves an account without an IIN (only the admin could make one) as it is: it keeps
  logging in with its BIN as the login and its password; its applications, like every
  application of the entity, are seen by each representative who signs up.
"""

from django.db import migrations, models
from django.db.models import F
from django.utils import timezone

SYSTEM_LABEL = "system"


def _append_audit(apps, user, before: dict, after: dict) -> None:
    from qyzmet.audit.chain import normalize, record_hash

    AuditHead = apps.get_model("audit", "AuditHead")
    AuditRecord = apps.get_model("audit", "AuditRecord")
    head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
    fields = {
        "record_id": head.last_record_id + 1,
        "at": timezone.now(),
        "actor_id": None,
        "actor_label": SYSTEM_LABEL,
        "action": "accounts.migrate_login",
        "case_id": None,
        "object_type": "accounts.User",
        "object_id": str(user.pk),
        "before": normalize(before),
        "after": normalize(after),
        "prev_hash": head.last_hash,
    }
    digest = record_hash(**fields)
    AuditRecord.objects.create(
        id=fields.pop("record_id"), hash=digest, **{k: v for k, v in fields.items()}
    )
    AuditHead.objects.filter(id=1).update(
        last_record_id=head.last_record_id + 1, last_hash=digest, count=head.count + 1
    )


def _sign_up_roles(apps, user) -> list:
    AuditRecord = apps.get_model("audit", "AuditRecord")
    sign_up = (
        AuditRecord.objects.filter(
            action="accounts.sign_up", object_type="accounts.User", object_id=str(user.pk)
        )
        .order_by("-id")
        .first()
    )
    roles = (sign_up.after or {}).get("roles") if sign_up is not None else None
    return [str(r) for r in roles] if isinstance(roles, list) else []


def representatives_own_accounts(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    legacy = (
        User.objects.filter(role="applicant", username=F("bin"))
        .exclude(bin="")
        .exclude(iin="")
        .order_by("pk")
    )
    for user in legacy:
        login = f"{user.iin}@{user.bin}"
        if User.objects.filter(username=login).exists():
            continue  # cannot happen (one account per BIN until now); left as it was
        before = {"login": user.username}
        user.username = login
        user.certificate_roles = _sign_up_roles(apps, user)
        user.save(update_fields=["username", "certificate_roles"])
        after = {
            "login": login,
            "iin": user.iin,
            "bin": user.bin,
            "organization": user.organization,
            "roles": user.certificate_roles,
        }
        _append_audit(apps, user, before, after)


def back_to_bin_logins(apps, schema_editor):
    """Reversed: the first representative of each BIN (by account id) gets the BIN back as
    the login, as before; the others keep ``IIN@BIN`` (they could not exist before)."""
    User = apps.get_model("accounts", "User")
    seen = set()
    for user in User.objects.filter(role="applicant").exclude(bin="").order_by("pk"):
        if user.bin in seen or User.objects.filter(username=user.bin).exists():
            continue
        seen.add(user.bin)
        if user.username == f"{user.iin}@{user.bin}":
            user.username = user.bin
            user.save(update_fields=["username"])
            _append_audit(apps, user, {"login": f"{user.iin}@{user.bin}"}, {"login": user.bin})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_challenge_address_key"),
        ("audit", "0002_append_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="certificate_roles",
            field=models.JSONField(blank=True, default=list, verbose_name="роли по сертификату"),
        ),
        migrations.RunPython(representatives_own_accounts, back_to_bin_logins),
    ]
