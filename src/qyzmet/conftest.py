"""Fixtures shared by the apps' tests: the loaded catalogue, staff of every role."""

import pytest

from qyzmet.accounts.models import Role, User
from qyzmet.testing import DEMO_STAFF_PASSWORD


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness is for attackers, not for the test suite's fixtures."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def catalog(db):
    """Both services loaded from the catalogue files, as `make run` loads them."""
    from qyzmet.catalog.loader import load_catalog

    load_catalog()


def make_user(username: str, role: str, **fields) -> User:
    return User.objects.create_user(username, password=DEMO_STAFF_PASSWORD, role=role, **fields)


@pytest.fixture
def staff(db):
    """One person per staff role, plus a second executor."""
    return {
        "clerk": make_user("clerk", Role.CLERK, last_name="Сейтова", first_name="Айгерим"),
        "executor": make_user("executor", Role.EXECUTOR, last_name="Ким", first_name="Денис"),
        "executor2": make_user("executor2", Role.EXECUTOR, last_name="Омарова", first_name="Сауле"),
        "head": make_user("head", Role.HEAD, last_name="Жумабаев", first_name="Ерлан"),
        "admin": make_user("admin", Role.ADMINISTRATOR),
    }


@pytest.fixture
def applicant(db):
    return make_user(
        "900101300007", Role.APPLICANT, iin="900101300007", last_name="Абенова", first_name="Дана"
    )


@pytest.fixture
def sign_as_head():
    """Sign a prepared decision as the head does in the browser: a detached CMS over the
    exact bytes the server prepared, with the head's demo key (see eds fixtures)."""
    raise NotImplementedError("wired to the demo PKI once qyzmet.eds lands")
