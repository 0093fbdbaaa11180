"""Settings shared by every environment. Values that differ per deployment come from
environment variables (see docs/deployment.md); each environment module adjusts the rest."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("KLACHTEN_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "development-only-secret-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Absolute base URL used in e-mails and letters, where no request is at hand.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Links to reset a password or accept an invitation work once, and this long (3 days).
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "klachtenregeling.app_names.BackgroundTasksConfig",
    "django_otp",
    "klachtenregeling.app_names.AuthenticatorAppsConfig",
    "lib",
    "security",
    "accounts",
    "organisation",
    "complaints",
    "intake",
    "outbox",
    "deadlines",
    "correspondence",
    "quality",
    "reports",
    "privacy",
    # ninja: its Swagger UI files are served from our own /static/ (no CDN, strict CSP).
    "ninja",
    "api",
    "mailintake",
    "administration",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "security.middleware.ResponseHeadersMiddleware",
    "security.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lib.locale.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "security.middleware.EndedAccountMiddleware",
    "security.middleware.SecondFactorMiddleware",
    "security.middleware.PublicFormGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "security.middleware.MethodNotAllowedPageMiddleware",
    # Refused reads of a complaint (404) go to the access log.
    "privacy.middleware.DeniedAccessLogMiddleware",
    # After the messages, so the login page can say why the session ended.
    "security.middleware.StaffSessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "klachtenregeling.urls"
WSGI_APPLICATION = "klachtenregeling.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organisation.context_processors.organisation",
            ],
        },
    },
    # The rows of the complaint tables (lib/jinja2.py): templates in an app's jinja2/ folder.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "lib.jinja2.environment"},
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'klachtenregeling.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server and the task worker read while the other writes; secure_delete
    # overwrites what a change or deletion frees, so anonymised text does not linger in the file.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/backoffice/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
# Password login is throttled per account and address, and per address (accounts/backends.py).
AUTHENTICATION_BACKENDS = ["accounts.backends.ThrottledModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format per context and language (klachtenregeling/formats/): Dutch month names in
# lower case.
FORMAT_MODULE_PATH = ["klachtenregeling.formats"]
USE_I18N = True
# Everything is stored in UTC and shown and counted in Amsterdam time.
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Attachments and letters live outside anything the web server serves; they are only
# handed out through permission-checked views.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Mail. Outgoing mail is always written to the outbox first and delivered by the worker.
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
_mail_backend = env_str("EMAIL_BACKEND", SMTP_BACKEND)
# Each backend takes its own options: the SMTP ones would make another backend refuse to open.
_mail_options: dict[str, object] = {}
if _mail_backend == SMTP_BACKEND:
    _mail_options = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": env_int("EMAIL_TIMEOUT", 20),
    }
elif _mail_backend == FILE_BACKEND:
    _mail_options = {"file_path": env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))}
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Supportoplus Klachten <kwaliteit@supportoplus.nl>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The domain used in Message-IDs; mail that carries it was written by us (loop protection).
MESSAGE_ID_DOMAIN = env_str("MESSAGE_ID_DOMAIN", "klachten.supportoplus.nl")
# Delivery attempts before a temporary failure is treated as permanent.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)

# Incoming mail: complaints e-mailed to the complaints mailbox, read over IMAP by the worker.
# Without IMAP_HOST the job does nothing. IMAP_SECURITY: ssl (port 993), starttls or none
# (none only for a server on this machine). IMAP_OAUTH2_TOKEN instead of IMAP_PASSWORD logs
# in with XOAUTH2 (Microsoft 365, Google).
MAIL_INTAKE = {
    "host": env_str("IMAP_HOST", ""),
    "port": env_int("IMAP_PORT", 0),
    "security": env_str("IMAP_SECURITY", "ssl"),
    "user": env_str("IMAP_USER", ""),
    "password": env_str("IMAP_PASSWORD", ""),
    "oauth2_token": env_str("IMAP_OAUTH2_TOKEN", ""),
    "folder": env_str("IMAP_FOLDER", "INBOX"),
    "processed_folder": env_str("IMAP_PROCESSED_FOLDER", "Verwerkt"),
    "quarantine_folder": env_str("IMAP_QUARANTINE_FOLDER", "Quarantaine"),
    "timeout": env_int("IMAP_TIMEOUT", 30),
    "batch_size": env_int("IMAP_BATCH_SIZE", 200),
}
# Against mail loops with responders that do not say they are machines: at most this many
# notices about replies per complaint and recipient per period, and a sender's messages beyond
# MAIL_BURST_LIMIT per period are held in the quarantine folder for a person to look at.
MAIL_NOTICE_LIMIT = env_int("MAIL_NOTICE_LIMIT", 3)
MAIL_BURST_LIMIT = env_int("MAIL_BURST_LIMIT", 5)
MAIL_NOTICE_PERIOD = timedelta(minutes=env_int("MAIL_NOTICE_PERIOD_MINUTES", 60))

# The organisation. These are the defaults; the quality manager can change most of them
# in the back office (organisation.OrganisationSettings).
ORGANISATION_DEFAULTS = {
    "name": env_str("ORGANISATION_NAME", "Supportoplus"),
    "street_address": env_str("ORGANISATION_ADDRESS", "Rokin 1"),
    "postal_code_city": env_str("ORGANISATION_POSTAL_CITY", "3542 AB Amsterdam"),
    "phone": env_str("ORGANISATION_PHONE", "088-0443888"),
    "quality_inbox": env_str("QUALITY_INBOX", "kwaliteit@supportoplus.nl"),
    "acknowledgement_working_days": env_int("ACKNOWLEDGEMENT_WORKING_DAYS", 5),
    "first_contact_days": env_int("FIRST_CONTACT_DAYS", 14),
    "resolution_days": env_int("RESOLUTION_DAYS", 30),
    "retention_months": env_int("RETENTION_MONTHS", 24),
}

# The administration log (changes to staff accounts and organisation settings) is kept this long.
ADMIN_LOG_RETENTION_MONTHS = env_int("ADMIN_LOG_RETENTION_MONTHS", 24)
# How long the records outside a complaint file are kept (privacy.retention; the processing
# register names each term). A complaint file itself follows the organisation's retention period.
# Data-subject requests, counted from their answer: proof that they were answered (GDPR art. 5(2)).
REQUEST_RETENTION_MONTHS = env_int("REQUEST_RETENTION_MONTHS", 24)
# The access log. The database keeps every entry for at least a year (privacy migration 0012).
ACCESS_LOG_RETENTION_MONTHS = max(12, env_int("ACCESS_LOG_RETENTION_MONTHS", 24))
# A deactivated staff account's name and contact details, counted from the deactivation.
STAFF_ACCOUNT_RETENTION_MONTHS = env_int("STAFF_ACCOUNT_RETENTION_MONTHS", 24)
# Sent or failed e-mail that is not about a complaint (invitations, digests, notices to requesters).
OUTBOX_RETENTION_MONTHS = env_int("OUTBOX_RETENTION_MONTHS", 6)
# The sender, subject and header excerpt of incoming mail that no complaint took in.
MAIL_EXCERPT_RETENTION_DAYS = env_int("MAIL_EXCERPT_RETENTION_DAYS", 90)

# The complainant's private status link keeps working this long after the complaint is closed
# (and never after its personal data has been removed).
STATUS_LINK_DAYS_AFTER_CLOSING = env_int("STATUS_LINK_DAYS_AFTER_CLOSING", 90)
# The complainant's status session, started by opening their one-time link.
STATUS_SESSION_DAYS = env_int("STATUS_SESSION_DAYS", 30)

# Attachments (per complaint).
UPLOAD_MAX_FILES = env_int("UPLOAD_MAX_FILES", 5)
UPLOAD_MAX_FILE_BYTES = env_int("UPLOAD_MAX_FILE_BYTES", 10 * 1024 * 1024)
UPLOAD_MAX_TOTAL_BYTES = env_int("UPLOAD_MAX_TOTAL_BYTES", 25 * 1024 * 1024)
# Larger than the per-complaint limit so the form can say which rule was broken.
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Security headers that hold everywhere; production.py tightens transport security.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A staff session ends after this long without use, and after STAFF_SESSION_MAX_AGE in any case
# (security.middleware.StaffSessionLifetimeMiddleware); the cookie does not outlive it.
STAFF_SESSION_IDLE = timedelta(minutes=env_int("STAFF_SESSION_IDLE_MINUTES", 30))
STAFF_SESSION_MAX_AGE = timedelta(hours=env_int("STAFF_SESSION_MAX_HOURS", 12))
SESSION_COOKIE_AGE = int(STAFF_SESSION_MAX_AGE.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Request size: a body over MAX_REQUEST_BODY_BYTES is refused with 413 before it is read
# (above UPLOAD_MAX_TOTAL_BYTES, so the form can still name the file that is too large).
MAX_REQUEST_BODY_BYTES = env_int("MAX_REQUEST_BODY_BYTES", 30 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 300
# Behind a reverse proxy: the META key of the header it sets with the client address, e.g.
# "HTTP_X_FORWARDED_FOR" (its last entry is used). Empty: REMOTE_ADDR.
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER", "")
# Rate limits (security/throttle.py). The cache must be shared by all web processes.
THROTTLE_CACHE = "default"
THROTTLES = {
    # Per account from one client address: guessing elsewhere does not lock the holder out.
    "login_account_address": {"limit": env_int("LOGIN_FAILURES_PER_ACCOUNT", 5), "window": 15 * 60},
    # Failures on one account from anywhere, past which its holder is told by mail.
    "login_failures_notice": {"limit": env_int("LOGIN_FAILURES_NOTICE", 10), "window": 60 * 60},
    "login_address": {"limit": env_int("LOGIN_FAILURES_PER_ADDRESS", 30), "window": 15 * 60},
    "second_factor": {"limit": 5, "window": 15 * 60},
    "password_reset_address": {"limit": 10, "window": 60 * 60},
    "password_reset_email": {"limit": 3, "window": 60 * 60},
    # Requests for a new status link: per client address (429), and mails per complaint (silently).
    "status_fresh_link": {"limit": 10, "window": 60 * 60},
    "status_fresh_link_complaint": {"limit": 3, "window": 24 * 60 * 60},
    # The public annual report as PDF, rendered for each download: per client address (429).
    "annual_report_pdf": {"limit": 20, "window": 60 * 60},
}
# POSTs to public forms per client address, and their honeypot field (security/middleware.py).
PUBLIC_FORM_GUARD = {
    "intake:complaint_form": {
        "limit": env_int("PUBLIC_FORM_POSTS_PER_HOUR", 20),
        "window": 60 * 60,
        "honeypot": "website",
        "honeypot_template": "security/honeypot_received.html",
    },
}
# Two-factor login (accounts/twofactor.py). A user with an authenticator always needs it;
# with TWO_FACTOR_REQUIRED (production) every user must set one up.
TWO_FACTOR_REQUIRED = False
TWO_FACTOR_EXEMPT_VIEWS = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:otp_verify",
        "accounts:otp_enrol",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
        "accounts:invitation",
        "set_language",
        "health",
    }
)
OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "Klachtenregeling")
# Browser features no page of ours uses (security.middleware.ResponseHeadersMiddleware).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # lib.logging.SafeFormatter: values with CR, LF or other control characters cannot forge a line.
    "formatters": {
        "plain": {"()": "lib.logging.SafeFormatter", "format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint reports every rendering step at INFO; its warnings (a refused URL) still show.
        "weasyprint": {"level": "WARNING"},
    },
}

# Run in this order by `manage.py run_periodic` (cron in production, a loop in `make run`).
PERIODIC_JOBS = [
    # Before delivery, so the day's reminder digests go out in the same run.
    "deadlines.jobs.send_reminders",
    # Corrective actions due soon, overdue, or due for their effectiveness check.
    "quality.jobs.send_action_reminders",
    # The reports' figures of the days whose complaints changed, then the standard periods.
    "reports.daily.refresh_stale_days",
    "reports.jobs.warm_reports",
    # Before delivery, so notices about mail that just came in go out in the same run.
    "mailintake.jobs.fetch_mail",
    # Notices to the quality inbox that the worker did not write after registration.
    "intake.jobs.announce_pending",
    "outbox.jobs.deliver_due",
    # Closed complaints past the retention period lose their personal data.
    "privacy.anonymise.anonymise_due",
    # Files of a submission or send that never committed.
    "privacy.orphans.sweep_unreferenced_files",
    "organisation.audit.purge_expired",
    # Requests, the access log, former staff, mail outside a complaint: each after its own term.
    "privacy.retention.purge_expired",
    "reports.export_jobs.purge_expired_exports",
    "privacy.export_jobs.purge_expired_exports",
]
# How long an export (reports page, data-subject request) stays downloadable.
EXPORT_KEEP_HOURS = env_int("EXPORT_KEEP_HOURS", 24)
# A file younger than this may belong to a transaction still running; older ones without a row
# are deleted by privacy.orphans.
ORPHAN_FILE_GRACE_HOURS = env_int("ORPHAN_FILE_GRACE_HOURS", 24)
