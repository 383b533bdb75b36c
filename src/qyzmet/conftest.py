"""Fixtures shared by the apps' tests: the loaded catalogue, staff of every role."""

import os
from pathlib import Path

import pytest

from qyzmet.accounts.models import Role, User
from qyzmet.testing import DEMO_STAFF_PASSWORD, CaseBuilder, DemoPki


def pytest_configure(config):
    """The interface texts' .mo files, built from the .po files if these changed (docs/i18n.md)."""
    from qyzmet.core.i18n import compile_catalogues

    compile_catalogues()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness is for attackers, not for the test suite's fixtures."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _breaker_failures_of_the_test_only():
    """A gateway failure counted inside a test's (rolled-back) SQLite transaction is
    remembered to be counted again afterwards (registry/breaker.py); not in another test."""
    yield
    from qyzmet.registry.breaker import forget_pending

    forget_pending()


@pytest.fixture
def catalog(db):
    """Both services loaded from the catalogue files, as `make run` loads them."""
    from qyzmet.catalog.loader import load_catalog

    load_catalog()


def make_user(username: str, role: str, **fields) -> User:
    return User.objects.create_user(username, password=DEMO_STAFF_PASSWORD, role=role, **fields)


@pytest.fixture(scope="session")
def demo_pki_dir(tmp_path_factory) -> Path:
    from qyzmet.demo.pki import create_demo_pki

    directory = tmp_path_factory.mktemp("demo-pki")
    create_demo_pki(directory)
    return directory


@pytest.fixture(scope="session")
def demo_tsa_url(demo_pki_dir) -> str:
    """The session's demo TSA (RFC 3161 over HTTP, the demo PKI's TSA units) on a port of
    its own: what ``make run`` serves at ``/eds/demo/tsa/``."""
    import threading

    from qyzmet.demo.http_server import http_server
    from qyzmet.demo.pki import load_demo_pki

    server = http_server(load_demo_pki(demo_pki_dir).tsa_responder())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def demo_ocsp_url(demo_pki_dir) -> str:
    """The session's demo OCSP responder over HTTP (``make run`` serves it at
    ``/eds/demo/ocsp/``): the fresh answers a result's DSS carries (``eds/ltv.py``)."""
    import threading

    from qyzmet.demo.http_server import OCSP_TYPES, http_server
    from qyzmet.demo.pki import load_demo_pki

    server = http_server(load_demo_pki(demo_pki_dir).ocsp_responder(), OCSP_TYPES)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def demo_pki(demo_pki_dir, demo_tsa_url, demo_ocsp_url, settings) -> DemoPki:
    """The EDS verifier trusts the session's demo PKI and reads its CRLs from the files;
    results are time-stamped by the session's demo TSA."""
    settings.QYZMET_EDS_DEMO_MODE = True
    settings.QYZMET_EDS_DEMO_PKI_DIR = demo_pki_dir
    settings.QYZMET_EDS_TRUST_ANCHORS_DIR = demo_pki_dir / "ca"
    settings.QYZMET_TSA_URL = demo_tsa_url
    settings.QYZMET_EDS_OCSP_URL = demo_ocsp_url
    from qyzmet.demo.pki import CA_CRL_FILES

    settings.QYZMET_EDS_CRL_FILES = tuple(str(demo_pki_dir / name) for name in CA_CRL_FILES)
    settings.QYZMET_EDS_CRL_URLS = ()
    settings.QYZMET_EDS_REVOCATION_SOURCES = ("crl",)
    return DemoPki(demo_pki_dir)


@pytest.fixture
def staff(db, demo_pki):
    """One person per staff role, plus a second executor; the head's IIN is that of the demo
    head's EDS certificate."""
    head_iin = demo_pki.person("zhumabaev")["iin"]
    return {
        "clerk": make_user("clerk", Role.CLERK, last_name="Сейтова", first_name="Айгерим"),
        "executor": make_user("executor", Role.EXECUTOR, last_name="Ким", first_name="Денис"),
        "executor2": make_user("executor2", Role.EXECUTOR, last_name="Омарова", first_name="Сауле"),
        "head": make_user(
            "head", Role.HEAD, last_name="Жумабаев", first_name="Ерлан", iin=head_iin
        ),
        "admin": make_user("admin", Role.ADMINISTRATOR),
    }


@pytest.fixture
def applicant(db, demo_pki):
    """An individual applicant whose account is bound to the demo key 'abenova'."""
    iin = demo_pki.person("abenova")["iin"]
    return make_user(iin, Role.APPLICANT, iin=iin, last_name="Абенова", first_name="Дана")


@pytest.fixture
def cases_builder(staff, demo_pki, catalog) -> CaseBuilder:
    """Cases of every step, channel and applicant kind, made through the real actions."""
    return CaseBuilder(staff, demo_pki)


@pytest.fixture
def sign_as_head(demo_pki):
    """Sign a prepared decision as the head does in the browser: a detached CMS over the
    exact bytes the server prepared, with the demo head's key."""
    from qyzmet.workflow import actions as flow

    def sign(head, application, decision):
        decision = flow.prepare_signing(head, application)  # as the sign page does
        content = bytes(decision.signed_content)
        signature = demo_pki.sign("zhumabaev", content)
        return flow.sign_decision(head, application, signed_content=content, signature=signature)

    return sign


# --- browser tests: Playwright driving Debian's Chromium (installed by
# scripts/install-system-deps; a browser is never downloaded), one per test module.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module. Playwright's sync API keeps an event loop running in
    this thread while it is open, so Django's async-safety guard is lifted for exactly that
    time (the tests' ORM calls between browser steps are plain synchronous calls)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required at /usr/bin/chromium for browser tests")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield instance
            instance.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# --- the NCALayer simulator (qyzmet ncalayer-simulator) as its own process, on a free port,
# signing with the session's demo PKI; the pages reach it at its ws:// address.

NCALAYER_READY = "ncalayer simulator listening on "


class NCALayerProcess:
    def __init__(self, process, url: str):
        self.process, self.url = process, url

    def control(self, **changes) -> dict:
        from qyzmet.demo.ncalayer import control

        return control(self.url, **changes)


@pytest.fixture(scope="session")
def ncalayer_process(demo_pki_dir):
    import sys

    from qyzmet.testing import start_listening_process, stop_process

    qyzmet = str(Path(sys.executable).with_name("qyzmet"))
    command = [qyzmet, "ncalayer-simulator", "--port", "0", "--pki", str(demo_pki_dir)]
    process, url = start_listening_process(command, NCALAYER_READY)
    yield NCALayerProcess(process, url)
    stop_process(process)


@pytest.fixture
def ncalayer(ncalayer_process, settings):
    """The running simulator, back to signing as "abenova" before and after the test, and
    the pages pointed at it (the setting and the CSP's connect-src)."""
    from django.utils.csp import CSP

    normal = {"person": "abenova", "answer": "sign", "greeting": True, "reset_counters": True}
    ncalayer_process.control(**normal)
    settings.QYZMET_NCALAYER_URL = ncalayer_process.url
    settings.SECURE_CSP = {**settings.SECURE_CSP, "connect-src": [CSP.SELF, ncalayer_process.url]}
    yield ncalayer_process
    ncalayer_process.control(**normal)
