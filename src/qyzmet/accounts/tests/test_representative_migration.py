"""The data migration of issue 12, item 3 (accounts 0004): a legal entity's one account, whose
login was its BIN, becomes the account of the representative whose certificate opened it
(``IIN@BIN``, with that certificate's roles); an account whose IIN was never known keeps its
BIN login and its password. Each rename is in the audit chain, which still verifies."""

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from qyzmet.accounts import actions as accounts
from qyzmet.accounts.models import ChallengePurpose, User
from qyzmet.audit import actions as audit
from qyzmet.audit.models import AuditRecord
from qyzmet.audit.queries import verify_chain
from qyzmet.demo.pki import COMPANY_BIN
from qyzmet.testing import CaseBuilder, signed_challenge

BEFORE = [("accounts", "0003_challenge_address_key")]
AFTER = [("accounts", "0004_representative_accounts")]
PASSWORD = "Portal-Pass-2026!"  # noqa: S105  (test accounts only)
LEGACY_BIN = "180240000019"  # an entity whose account was made in the admin, with no IIN


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _migrate_to_latest():
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.fixture
def at_0002(transactional_db):
    apps = _migrate(BEFORE)
    yield apps
    _migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_a_bin_account_becomes_its_representatives_own(at_0002, demo_pki):
    employee_iin = demo_pki.person("ospanova")["iin"]
    OldUser = at_0002.get_model("accounts", "User")
    common = {"role": "applicant", "password": make_password(PASSWORD)}
    entity = OldUser.objects.create(
        username=COMPANY_BIN, iin=employee_iin, bin=COMPANY_BIN, organization="ТОО", **common
    )
    no_iin = OldUser.objects.create(username=LEGACY_BIN, iin="", bin=LEGACY_BIN, **common)
    individual = OldUser.objects.create(username="900101300007", iin="900101300007", **common)
    with transaction.atomic():  # what sign-up recorded then: the certificate's roles
        audit.record(None, "accounts.sign_up", obj=entity, after={"roles": ["employee"]})

    _migrate(AFTER)
    _migrate_to_latest()  # the later migrations' columns, which the models below read

    migrated = User.objects.get(pk=entity.pk)
    assert migrated.username == f"{employee_iin}@{COMPANY_BIN}"
    assert migrated.certificate_roles == ["employee"] and migrated.may_sign_for_entity is False
    assert User.objects.get(pk=no_iin.pk).username == LEGACY_BIN
    assert User.objects.get(pk=individual.pk).username == "900101300007"
    rename = AuditRecord.objects.get(action="accounts.migrate_login")
    assert rename.object_id == str(entity.pk)
    assert rename.before == {"login": COMPANY_BIN}
    assert rename.after["login"] == migrated.username
    assert verify_chain().ok

    # The representative logs in as themselves; the IIN-less account with its BIN, as before.
    login = accounts.authenticate_with_password
    assert login(employee_iin, PASSWORD, "ip", entity_bin=COMPANY_BIN) == migrated
    assert login(LEGACY_BIN, PASSWORD, "ip").pk == no_iin.pk
    challenge, signature = signed_challenge(demo_pki, "ospanova", ChallengePurpose.LOG_IN)
    assert accounts.authenticate_with_eds(challenge.public_id, signature, "ip") == migrated
    # ...and the entity's head, locked out until now, signs up.
    head = CaseBuilder({}, demo_pki).account("serikbaev")
    assert (head.bin, head.certificate_roles) == (COMPANY_BIN, ["first_head"])
