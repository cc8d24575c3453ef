"""Settings shared by every environment. Everything comes from the environment.

See README.md for the list of variables. Development defaults are safe: SQLite under var/,
email to files under var/, the ORM task broker, DEBUG off unless asked for.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env, env_bool, env_int, env_list

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(env("FORUM_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env("SECRET_KEY", "dev-insecure-key-only-for-local-development-do-not-use")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# How many reverse proxies of our own stand in front of the app (nginx: 1). The client's address is
# the one the outermost of them appended to X-Forwarded-For (forumanak.core.http.client_ip); with 0,
# X-Forwarded-For is ignored and REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # project apps, in dependency order (see ARCHITECTURE.md)
    "forumanak.core",
    "forumanak.regions",
    "forumanak.membership",
    "forumanak.consultations",
    "events",
    "forumanak.reports",
    "cms",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # background tasks
    "django_q",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "forumanak.core.middleware.ContentSecurityPolicyMiddleware",
    "forumanak.core.static.StaticFilesMiddleware",  # whitenoise, without the manifest
    # signed-in and session responses: Cache-Control: private, no-store (outside the session
    # middleware, so that it sees the session cookie a response sets)
    "forumanak.core.cache_headers.PrivateResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "cms.cache.PageCacheMiddleware",  # anonymous pages from the cache; needs the language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "forumanak.core.middleware.StaffMFAMiddleware",
    "cms.cache.RouteCacheMiddleware",  # a routed page found again by its id (Wagtail's serve view only)
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "forumanak.urls"
WSGI_APPLICATION = "forumanak.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "forumanak.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'forumanak.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the task cluster share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Languages: Indonesian first and unprefixed, English under /en/.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
# The project's catalogues, then Wagtail's Indonesian ones linked by `compile_translations`.
LOCALE_PATHS = [PROJECT_DIR / "locale", *sorted(p for p in (VAR_DIR / "locale").glob("*") if p.is_dir())]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", "Asia/Makassar")
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LANGUAGE_COOKIE_NAME = "fa_lang"

# Static and media files
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [PROJECT_DIR / "static"]
# Uploads are private unless published (forumanak/core/files.py; docs/deploy.md, section 6):
# MEDIA_ROOT holds only the public images and renditions, which the web server serves at /media/;
# everything else (documents, SK files, signed consent forms) is in PRIVATE_MEDIA_ROOT, outside it,
# and is served only by views that check permission. Every stored name is random.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
# Behind nginx: a private file is sent by nginx from this internal location (X-Accel-Redirect);
# empty: the view sends it itself. The production settings set it.
PRIVATE_MEDIA_ACCEL_REDIRECT = env("PRIVATE_MEDIA_ACCEL_REDIRECT", "")
STORAGES = {
    "default": {"BACKEND": "forumanak.core.files.PrivateStorage"},
    "public": {"BACKEND": "forumanak.core.files.PublicStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if env("MEDIA_STORAGE", "") == "s3":
    # Public images on S3-compatible object storage (pip install "django-storages[s3]"; docs/deploy.md).
    # Its AWS_* settings come from the environment; private files stay on PRIVATE_MEDIA_ROOT.
    STORAGES["public"] = {"BACKEND": "storages.backends.s3.S3Storage"}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Each storage sets its own modes (public 0644/0755, private 0640/0750); these are for any other.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# Caches. "default" (sessions, rate-limit counters): Redis when REDIS_URL is set, otherwise
# in-process memory. "pages" (the anonymous page cache and the other caches of CMS content,
# cms/cache.py) lives apart, so that it can be evicted without touching sessions or tasks: its own
# Redis instance when PAGE_CACHE_REDIS_URL is set (run it with maxmemory and allkeys-lru,
# docs/deploy.md), otherwise each process's memory, bounded (never the REDIS_URL instance: maxmemory
# is per instance, and that one must never evict a task or a session).
REDIS_URL = env("REDIS_URL", "")
PAGE_CACHE_REDIS_URL = env("PAGE_CACHE_REDIS_URL", "")
_LOCAL_PAGES = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "forumanak-pages",
    "OPTIONS": {"MAX_ENTRIES": 1000},  # pages are 7–14 KB: at most about 14 MB per process
}
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "forumanak.core.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
    # sessions are read from the shared cache and written to both (the database stays the record);
    # never with the per-process memory cache, where a logout in one worker would not reach another
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "forumanak"}}
if PAGE_CACHE_REDIS_URL:
    CACHES["pages"] = {"BACKEND": "forumanak.core.redis_cache.RedisCache", "LOCATION": PAGE_CACHE_REDIS_URL}
else:
    CACHES["pages"] = _LOCAL_PAGES

# Background tasks (django-q2): ORM broker by default, Redis when REDIS_URL is set.
Q_CLUSTER = {
    "name": "forumanak",
    "workers": env_int("Q_WORKERS", 2),
    "timeout": 60,
    "retry": 120,  # a task not acknowledged after this many seconds is delivered again
    "max_attempts": 5,
    "ack_failures": False,  # failed tasks stay in the broker and are retried
    "save_limit": 1000,
    "catch_up": False,
    "label": _("Tugas latar belakang"),
    "sync": env_bool("Q_SYNC", False),
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["poll"] = 1

# A message claimed by a worker that died is tried again after this many seconds.
EMAIL_CLAIM_TIMEOUT_SECONDS = env_int("EMAIL_CLAIM_TIMEOUT_SECONDS", 600)

# Email: files under var/mail in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Forum Anak <noreply@forumanak.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Accounts (django-allauth)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated so that they are visible and stay on
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
    "request_login_code": "20/m/ip,3/m/key",
}
# The project's own doors that check a secret, on allauth's rate-limit machinery (forumanak/core/ratelimit.py).
FORUM_RATE_LIMITS = {
    # Wagtail's password form of a password-protected page or document collection: per client
    # address, and per restriction whatever the address (a shared password is guessed slowly or not at all)
    "view_restriction_password": "10/m/ip,30/h/key",
    # The child's application form (/anggota/daftar/), per client IP. A class or a village hall
    # shares one Wi-Fi (and a mobile network shares addresses behind carrier NAT): 20 children in an
    # afternoon, several sending in the same minute, must get through. 6 a minute and 40 an hour
    # from one address allow that; a refused child keeps what they typed and tries again.
    "apply": "6/m/ip,40/h/ip",
    # wrong dates of birth on consent links, per client address across every link (each link also
    # locks after three): one guardian mistyping is far below it, someone trying many links is not
    "consent_birth_date": "10/h/ip",
}
# Consent request emails from the application form to one guardian address in 24 hours. More
# applications naming the address are kept, but their emails are held for staff
# (membership.services.submit_application).
APPLICATION_EMAILS_PER_GUARDIAN_PER_DAY = env_int("APPLICATION_EMAILS_PER_GUARDIAN_PER_DAY", 3)
ACCOUNT_ADAPTER = "forumanak.core.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Forum Anak] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Forum Anak"
# Accept the code of the previous 30-second step too (RFC 6238 §5.2: network delay): a code typed
# just before the step ends on a slow connection still works. allauth's default is 0.
MFA_TOTP_TOLERANCE = 1

# Wagtail
WAGTAIL_SITE_NAME = "Forum Anak"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
# One door in: private pages and documents send visitors to allauth's login, not Wagtail's own
# (through a view that refuses a signed-in visitor who may still not see the page, instead of
# sending them to a login that would send them back).
WAGTAIL_FRONTEND_LOGIN_URL = "restricted_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Staff accounts are made in the admin without a password; the person sets their own with allauth's
# password reset (and then TOTP). No admin form takes or shows a password.
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party requests, not even in the admin
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False  # passwords are managed by allauth under /akun/
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # PostgreSQL full-text search; "simple" because the articles are in Indonesian and English
    WAGTAILSEARCH_BACKENDS["default"] = {
        "BACKEND": "wagtail.search.backends.database.postgres.postgres",
        "SEARCH_CONFIG": "simple",
    }
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
# Documents are private files (STORAGES["default"]): every one is served by Wagtail's view, which
# checks its collection's view restrictions, and sent by forumanak.core.files.sendfile (nginx's
# internal location in production) as a download with a sandboxing CSP. That CSP is stricter than
# the one Wagtail would set instead ("default-src 'none'"), hence BLOCK_EMBEDDED_CONTENT off.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
SENDFILE_BACKEND = "forumanak.core.files"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = False
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_IMAGE_MODEL = "cms.SiteImage"  # every image carries its alt text
WAGTAILIMAGES_RENDITION_STORAGE = "public"  # the originals too (cms.SiteImage.file)
WAGTAILIMAGES_JPEG_QUALITY = 75
WAGTAILIMAGES_WEBP_QUALITY = 72
# Full-page cache for anonymous visitors (cms/cache.py); 0 turns it off.
CMS_PAGE_CACHE_SECONDS = env_int("CMS_PAGE_CACHE_SECONDS", 300)
# X-Page-Cache: hit|miss on cacheable pages; development and tests only (production.py: off).
CMS_PAGE_CACHE_HEADER = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# The home city and its forum
FORUM_CITY_CODE = env("FORUM_CITY_CODE", "64.71")

# Consultation results never show a group smaller than this (and hide what would reveal it).
CONSULTATION_SUPPRESSION_THRESHOLD = env_int("CONSULTATION_SUPPRESSION_THRESHOLD", 5)
if CONSULTATION_SUPPRESSION_THRESHOLD < 3:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("CONSULTATION_SUPPRESSION_THRESHOLD must be at least 3 (small groups identify children).")

# Security headers that hold everywhere (production adds HTTPS-only ones)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# No third-party origin anywhere. The Wagtail admin needs inline styles and scripts.
CSP_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; frame-src 'self'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
CSP_ADMIN_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; media-src 'self'; "
    "object-src 'none'; frame-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
CSP_ADMIN_PREFIXES = ("/admin/", "/django-admin/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
