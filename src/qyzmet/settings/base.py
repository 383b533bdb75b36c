import os
from pathlib import Path

import dj_database_url


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent.parent
# Project root of a source checkout: catalogue files and var/ live there.
BASE_DIR = Path(env("QYZMET_BASE_DIR", str(PACKAGE_DIR.parent.parent)))
VAR_DIR = Path(env("QYZMET_VAR_DIR", str(BASE_DIR / "var")))

QYZMET_ENV = env("QYZMET_ENV", "demo")  # demo | production
PRODUCTION = QYZMET_ENV == "production"

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when QYZMET_ENV=production")
    # Demo only: a fixed, clearly marked key so that sessions survive restarts.
    SECRET_KEY = "demo-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "qyzmet.office.admin_apps.QyzmetAdminConfig",  # django.contrib.admin, log-in throttled
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "qyzmet.core",
    "qyzmet.accounts",
    "qyzmet.audit",
    "qyzmet.calendar",
    "qyzmet.catalog",
    "qyzmet.cases",
    "qyzmet.workflow",
    "qyzmet.eds",
    "qyzmet.registry",
    "qyzmet.results",
    "qyzmet.mobilesign",
    "qyzmet.office",
    "qyzmet.portal",
    "qyzmet.api",
    "rest_framework",
    "drf_spectacular",
]
# Demo tooling (the demo PKI and its CRL/OCSP/TSA, the registry, NCALayer and eGov mobile
# simulators, `qyzmet demo setup`): not installed in production (docs/operations.md).
if not PRODUCTION:
    INSTALLED_APPS.append("qyzmet.demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF middleware, which reads the form: bodies over the limit refused by their
    # length, files stopped at theirs (core/uploads.py); NULs, lone surrogates refused in every
    # query string and form field (core/untrusted.py).
    "qyzmet.core.uploads.UploadLimitMiddleware",
    "qyzmet.core.untrusted.UntrustedInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # An empty 405 becomes the error page of the desk or the portal (qyzmet.errors).
    "qyzmet.errors.ErrorPageMiddleware",
]

ROOT_URLCONF = "qyzmet.urls"
WSGI_APPLICATION = "qyzmet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# --- Database: embedded SQLite unless DATABASE_URL names another server.
SQLITE_PATH = Path(env("QYZMET_SQLITE_PATH", str(VAR_DIR / "qyzmet.sqlite3")))
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout: concurrent writers wait instead of failing ("database is locked"),
    # and IMMEDIATE transactions take the write lock up front so read-then-write is safe.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file (not a shared in-memory database) so that concurrency tests see the
    # real locking of SQLite, as production does; one file per test run (process).
    DATABASES["default"]["TEST"] = {
        "NAME": str(SQLITE_PATH.with_name(f"test-qyzmet-{os.getpid()}.sqlite3"))
    }
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # One test database per test run, so that runs side by side on one server never collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_qyzmet_{os.getpid()}"}
    # Short OLTP queries: JIT compilation costs more (tens of ms) than it ever saves here.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's default log-in page (login_required, redirect_to_login): the portal's, where the
# public signs in. The staff desk sends to its own log-in page (office.views.common), the
# admin site to its own.
LOGIN_URL = env("QYZMET_LOGIN_URL", "portal:login")

# --- Language and time: Russian by default, Kazakh and English; Almaty time.
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский"), ("kk", "Қазақша"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Dates and numbers per language (Django has no Kazakh formats): qyzmet/formats/<language>/.
FORMAT_MODULE_PATH = ["qyzmet.formats"]
USE_I18N = True
TIME_ZONE = env("QYZMET_TIME_ZONE", "Asia/Almaty")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("QYZMET_STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Outside production the app also serves static files straight from the apps and node_modules
# (no collectstatic needed for tests and development); production serves the collected files.
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(env("QYZMET_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Static files are served by the app itself (WhiteNoise), so one process is enough to run.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Background work: Django's tasks framework on a durable database queue.
TASKS = {
    "default": {
        "BACKEND": env("QYZMET_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# The applicant's status mails (p.11): on or off, and the task that sends one (cases/notify.py).
QYZMET_PORTAL_NOTIFY_BY_EMAIL = env_bool("QYZMET_PORTAL_NOTIFY_BY_EMAIL", True)
QYZMET_STATUS_MAIL_TASK = "qyzmet.portal.tasks.send_status_mail"
# What starts a registered application's process (cases/process.py).
QYZMET_PROCESS_START = "qyzmet.workflow.engine.start_registered"
# How often the periodic scheduler enqueues the overdue sweep (seconds).
QYZMET_OVERDUE_SWEEP_SECONDS = int(env("QYZMET_OVERDUE_SWEEP_SECONDS", "60"))
# Audit checkpoints (audit/checkpoint.py, docs/operations.md "Checkpoints"): where, with
# which system key (PKCS#12; demo: made on first use), which certificate verifies, how often.
QYZMET_AUDIT_CHECKPOINT_DIR = env("QYZMET_AUDIT_CHECKPOINT_DIR") or VAR_DIR / "audit/checkpoints"
QYZMET_AUDIT_CHECKPOINT_KEY = env("QYZMET_AUDIT_CHECKPOINT_KEY")
QYZMET_AUDIT_CHECKPOINT_KEY_PASSWORD = env("QYZMET_AUDIT_CHECKPOINT_KEY_PASSWORD")
QYZMET_AUDIT_CHECKPOINT_CERT = env("QYZMET_AUDIT_CHECKPOINT_CERT")
QYZMET_AUDIT_CHECKPOINT_SECONDS = int(env("QYZMET_AUDIT_CHECKPOINT_SECONDS", "86400"))
# How long a clerk's GBD FL/UL lookup may be used to register a paper package (seconds).
QYZMET_INTAKE_LOOKUP_MAX_AGE_SECONDS = int(env("QYZMET_INTAKE_LOOKUP_MAX_AGE_SECONDS", "28800"))
# Task workers (`qyzmet task-worker`) write a heartbeat every HEARTBEAT_SECONDS; every
# RECLAIM_SECONDS the scheduler puts back to READY a task RUNNING under a worker not seen for
# LEASE_SECONDS (it died mid-task; core/taskqueue.py).
QYZMET_TASKS_HEARTBEAT_SECONDS = float(env("QYZMET_TASKS_HEARTBEAT_SECONDS", "5"))
QYZMET_TASKS_LEASE_SECONDS = float(env("QYZMET_TASKS_LEASE_SECONDS", "30"))
QYZMET_TASKS_RECLAIM_SECONDS = float(env("QYZMET_TASKS_RECLAIM_SECONDS", "10"))
# The applicant's status mails (cases/notify.py): a failed delivery is tried again after
# RETRY_DELAY seconds, doubled each time up to RETRY_DELAY_MAX, at most MAX_ATTEMPTS times in
# all; then it is recorded as not delivered (the administrator's list on the desk). A sending
# attempt holds its mail for LEASE_SECONDS (more than the SMTP timeout).
QYZMET_MAIL_RETRY_DELAY = float(env("QYZMET_MAIL_RETRY_DELAY", "60"))
QYZMET_MAIL_RETRY_DELAY_MAX = float(env("QYZMET_MAIL_RETRY_DELAY_MAX", "3600"))
QYZMET_MAIL_MAX_ATTEMPTS = int(env("QYZMET_MAIL_MAX_ATTEMPTS", "8"))
QYZMET_MAIL_LEASE_SECONDS = float(env("QYZMET_MAIL_LEASE_SECONDS", "120"))

# --- `qyzmet serve` (core/supervisor.py; docs/operations.md "Process supervision"): a child
# that dies is restarted after RESTART_DELAY seconds, doubled for each quick death in a row up
# to RESTART_DELAY_MAX; one that ran STABLE_SECONDS starts from RESTART_DELAY again. On
# SIGINT/SIGTERM every child has STOP_SECONDS to stop, then it is killed.
QYZMET_SERVE_RESTART_DELAY = float(env("QYZMET_SERVE_RESTART_DELAY", "1"))
QYZMET_SERVE_RESTART_DELAY_MAX = float(env("QYZMET_SERVE_RESTART_DELAY_MAX", "60"))
QYZMET_SERVE_STABLE_SECONDS = float(env("QYZMET_SERVE_STABLE_SECONDS", "30"))
QYZMET_SERVE_STOP_SECONDS = float(env("QYZMET_SERVE_STOP_SECONDS", "20"))
# Threads per web worker process (gunicorn gthread): a request waiting on the registry holds
# one thread, not the whole process.
QYZMET_WEB_THREADS = int(env("QYZMET_WEB_THREADS", "8"))

# --- Security by default.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(env("QYZMET_SESSION_SECONDS", str(8 * 3600)))
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("QYZMET_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("QYZMET_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = int(env("QYZMET_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
# The reverse proxies whose X-Forwarded-For is believed (addresses or networks); from any
# other peer the header is ignored (qyzmet.core.client). Empty: REMOTE_ADDR is the client.
QYZMET_TRUSTED_PROXIES = env_list("QYZMET_TRUSTED_PROXIES")

# --- Log-in throttle (qyzmet.accounts.actions.LoginThrottle), shared by the portal, the desk,
# the admin and the API through the database: refused log-ins per identity (the login typed,
# or the IIN/BIN of a certificate whose key signed) and, more loosely, per client address.
QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES = int(env("QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES", "5"))
QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES_PER_ADDRESS = int(
    env("QYZMET_ACCOUNTS_LOGIN_MAX_FAILURES_PER_ADDRESS", "50")
)
QYZMET_ACCOUNTS_LOGIN_WINDOW_SECONDS = int(env("QYZMET_ACCOUNTS_LOGIN_WINDOW_SECONDS", "900"))
# EDS sign-up / log-in challenges: live (unexpired) ones per client address (accounts.actions).
QYZMET_ACCOUNTS_CHALLENGES_PER_ADDRESS = int(env("QYZMET_ACCOUNTS_CHALLENGES_PER_ADDRESS", "60"))

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
}

# Request body limits: uploads beyond these are refused before they reach a view.
# Form fields and non-form bodies (Django's own check, before reading):
DATA_UPLOAD_MAX_MEMORY_SIZE = int(env("QYZMET_MAX_BODY_BYTES", str(2 * 1024 * 1024)))
# Files up to this size stay in memory, larger ones go to a temporary file while uploading.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# A whole multipart body of any page (by Content-Length, before reading; core/uploads.py).
QYZMET_UPLOAD_MAX_REQUEST_BYTES = int(
    env("QYZMET_UPLOAD_MAX_REQUEST_BYTES", str(101 * 1024 * 1024))
)
# The deepest nesting of a JSON body (core/untrusted.py).
QYZMET_INPUT_MAX_JSON_DEPTH = int(env("QYZMET_INPUT_MAX_JSON_DEPTH", "64"))

# --- Attachments (cases): limits per file and the allowed content types (checked by content).
# One file: the upload stops being read past it (core/uploads.py) on every path.
QYZMET_ATTACHMENT_MAX_BYTES = int(env("QYZMET_ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)))
QYZMET_ATTACHMENT_TYPES = env_list(
    "QYZMET_ATTACHMENT_TYPES", "application/pdf,image/jpeg,image/png,image/tiff"
)

# --- The helpline the portal's pages name where no service is shown (a service's page names
# the phone of its catalogue entry, [helpline] of the regulation, p.12).
QYZMET_HELPLINE = env("QYZMET_HELPLINE", "1414")
# --- Quotas (cases/quotas.py; docs/operations.md): refused with a code on every channel.
QYZMET_QUOTA_ATTACHMENTS_PER_APPLICATION = int(
    env("QYZMET_QUOTA_ATTACHMENTS_PER_APPLICATION", "40")
)
QYZMET_QUOTA_ATTACHMENTS_PER_DOCUMENT = int(env("QYZMET_QUOTA_ATTACHMENTS_PER_DOCUMENT", "20"))
QYZMET_QUOTA_APPLICATION_BYTES = int(env("QYZMET_QUOTA_APPLICATION_BYTES", str(100 * 1024 * 1024)))
QYZMET_QUOTA_OPEN_DRAFTS = int(env("QYZMET_QUOTA_OPEN_DRAFTS", "20"))

# --- Catalogue: the folder of regulation files (TOML), loaded into the database.
QYZMET_CATALOG_DIR = Path(env("QYZMET_CATALOG_DIR", str(BASE_DIR / "catalog")))
# Demonstration versions continue the repealed 2014 regulation so the workflow runs today;
# an installation for a real regulation set turns them off.
QYZMET_CATALOG_DEMO = env_bool("QYZMET_CATALOG_DEMO", True)
# The provider this installation serves (registration numbers are per provider and year).
QYZMET_PROVIDER_CODE = env("QYZMET_PROVIDER_CODE", "almaty-culture")
# The provider's BIN: the head's EDS certificate must carry it (empty = not checked). The
# demo default is the provider BIN of the demo PKI.
QYZMET_PROVIDER_BIN = env("QYZMET_PROVIDER_BIN", "" if PRODUCTION else "070840007503")
# Registration numbers look like CULT-2026-000123 (prefix, year, sequence within the year).
QYZMET_REGISTRATION_PREFIX = env("QYZMET_REGISTRATION_PREFIX", "CULT")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("QYZMET_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

MAILERS = {
    "default": {
        "BACKEND": env("QYZMET_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    }
}
if MAILERS["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    # The SMTP server; the timeout bounds one delivery attempt (QYZMET_MAIL_LEASE_SECONDS).
    MAILERS["default"]["OPTIONS"] = {
        "host": env("QYZMET_EMAIL_HOST", "127.0.0.1"),
        "port": int(env("QYZMET_EMAIL_PORT", "25")),
        "timeout": float(env("QYZMET_EMAIL_TIMEOUT", "30")),
        "use_tls": env_bool("QYZMET_EMAIL_USE_TLS", False),
        "username": env("QYZMET_EMAIL_USER") or None,
        "password": env("QYZMET_EMAIL_PASSWORD") or None,
    }
DEFAULT_FROM_EMAIL = env("QYZMET_FROM_EMAIL", "noreply@qyzmet.local")

# The covering index of workflow.Task (INCLUDE columns) is a PostgreSQL optimisation; SQLite
# builds the same index without them, which is correct, just not covering.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- EDS (see src/qyzmet/eds/conf.py for every EDS setting and its production default).
# Demo mode: the demo PKI (var/pki, created by `make run`) is the trust anchor, its CRL is read
# from the file (and cached until nextUpdate); its CRL, OCSP and TSA are served by the demo PKI
# services (`qyzmet demo-services`, a process of their own; QYZMET_DEMO_SERVICES_PORT below).
QYZMET_EDS_DEMO_MODE = env_bool("QYZMET_EDS_DEMO_MODE", not PRODUCTION)
QYZMET_EDS_DEMO_PKI_DIR = Path(env("QYZMET_EDS_DEMO_PKI_DIR", str(VAR_DIR / "pki")))
if QYZMET_EDS_DEMO_MODE:
    QYZMET_EDS_TRUST_ANCHORS_DIR = QYZMET_EDS_DEMO_PKI_DIR / "ca"
    # The CRLs of the demo CAs (GOST-2015 and legacy RSA; qyzmet.demo.pki.CA_CRL_FILES):
    # the intermediates' speak for people's keys and the TSA, the roots' for the
    # intermediates (all of them go into a result's DSS, PAdES B-LT).
    QYZMET_EDS_CRL_FILES = tuple(
        str(QYZMET_EDS_DEMO_PKI_DIR / "crl" / name)
        for name in ("gost-intermediate.crl", "intermediate.crl", "gost-root.crl", "root.crl")
    )
    QYZMET_EDS_CRL_URLS = ()
    QYZMET_EDS_REVOCATION_SOURCES = ("crl", "ocsp")
# The OCSP responder to ask instead of a certificate's own, and CRLs tried after a
# certificate's own distribution points (unset: in demo mode the demo certificates' own
# addresses, the demo PKI services).
if env("QYZMET_EDS_OCSP_URL"):
    QYZMET_EDS_OCSP_URL = env("QYZMET_EDS_OCSP_URL")
if env("QYZMET_EDS_CRL_URLS"):
    QYZMET_EDS_CRL_URLS = tuple(env_list("QYZMET_EDS_CRL_URLS"))

# The port of the demo PKI services (`qyzmet demo-services`: CRLs, CA certificates, OCSP, TSA),
# a process of their own beside the web server: `qyzmet demo setup` makes the demo
# certificates name it, `qyzmet serve` starts the services on the port the demo PKI records
# (docs/operations.md, "The demo PKI services").
QYZMET_DEMO_SERVICES_PORT = int(env("QYZMET_DEMO_SERVICES_PORT", "8001"))

# --- Time-stamping (RFC 3161; src/qyzmet/eds/tsa.py): the TSA that stamps the head's signature
# on every result (PAdES B-T/B-LT). Empty: in demo mode the demo TSA of the demo PKI services
# (QYZMET_DEMO_SERVICES_PORT; `qyzmet serve` sets it), NCA's TSP service
# (http://tsp.pki.gov.kz:80) otherwise. QYZMET_TSA_URL_GOST: the TSA for Streebog imprints (a
# GOST-signed result's time-stamps); empty: QYZMET_TSA_URL, whose GOST unit answers.
for _name in ("URL", "URL_GOST", "POLICY", "TRUST_ANCHORS_DIR"):
    if env(f"QYZMET_TSA_{_name}"):
        globals()[f"QYZMET_TSA_{_name}"] = env(f"QYZMET_TSA_{_name}")
QYZMET_TSA_TIMEOUT = float(env("QYZMET_TSA_TIMEOUT", "10"))

# --- NCALayer (the NCA's desktop signer, see docs/eds.md "Signing with NCALayer"): the address
# the signing pages reach it at, and how long a page waits for its greeting before saying
# that NCALayer is not running. The CSP's connect-src allows exactly this address. `qyzmet
# serve` in demo mode starts the simulator and sets it to ws://127.0.0.1:13579/.
QYZMET_NCALAYER_URL = env("QYZMET_NCALAYER_URL", "wss://127.0.0.1:13579/")
QYZMET_NCALAYER_TIMEOUT_MS = int(env("QYZMET_NCALAYER_TIMEOUT_MS", "5000"))
SECURE_CSP["connect-src"] = [CSP.SELF, QYZMET_NCALAYER_URL]

# --- eGov mobile QR signing (src/qyzmet/mobilesign/conf.py): the public address the phone's
# eGov mobile app reaches (empty: QYZMET_PUBLIC_BASE_URL) and how long a QR code lives.
QYZMET_EGOV_MOBILE_BASE_URL = env("QYZMET_EGOV_MOBILE_BASE_URL")
QYZMET_EGOV_MOBILE_SECONDS = int(env("QYZMET_EGOV_MOBILE_SECONDS", "300"))

# --- Gateway (ШЭП) to GBD FL/UL: production values come from the environment (empty = unset).
# The backend that reaches it (registry/service.py gateway_backends).
QYZMET_REGISTRY_BACKEND = env("QYZMET_REGISTRY_BACKEND", "signed-soap")
for _name in ("URL", "CLIENT_KEY", "CLIENT_CERT", "SENDER_ID"):
    if env(f"QYZMET_REGISTRY_{_name}"):
        globals()[f"QYZMET_REGISTRY_{_name}"] = env(f"QYZMET_REGISTRY_{_name}")
# Time budget of one lookup, timeouts, retries and the shared circuit breaker (registry/conf.py;
# docs/operations.md "Registry lookups").
for _name in (
    "LOOKUP_BUDGET_SECONDS",
    "CONNECT_TIMEOUT",
    "READ_TIMEOUT",
    "RETRIES",
    "BREAKER_THRESHOLD",
    "BREAKER_RESET_SECONDS",
):
    if env(f"QYZMET_REGISTRY_{_name}"):
        globals()[f"QYZMET_REGISTRY_{_name}"] = env(f"QYZMET_REGISTRY_{_name}")
if env("QYZMET_REGISTRY_PEER_CERTS"):
    QYZMET_REGISTRY_PEER_CERTS = env_list("QYZMET_REGISTRY_PEER_CERTS")

# REST API: the API's own base view sets authentication, parsers and errors; the schema
# generator is named here so drf-spectacular documents every view.
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
