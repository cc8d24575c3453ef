"""Test settings: the same as development, but fast and with tasks run in-process."""

import os

from .base import *  # noqa: F401,F403
from .base import DATABASES, Q_CLUSTER, VAR_DIR
from .env import env, env_bool

DEBUG = False
# Test runs side by side (scripts/test.sh runs lanes in parallel) keep their files apart; the
# lane name is inherited by the subprocesses a test starts.
_LANE = env("FORUM_TEST_LANE", "")
_SUFFIX = f"-{_LANE}" if _LANE else ""
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(VAR_DIR / f"test-mail{_SUFFIX}"))
STORAGES = {
    "default": {"BACKEND": "forumanak.core.files.PrivateStorage"},
    "public": {"BACKEND": "forumanak.core.files.PublicStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
Q_CLUSTER = {**Q_CLUSTER, "sync": env_bool("Q_SYNC", True), "poll": 0.2}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a separate process (a task cluster) can share it.
    # One file per test run, so that runs side by side do not share it.
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_SQLITE_NAME", str(VAR_DIR / f"test-{os.getpid()}.sqlite3"))}
MEDIA_ROOT = VAR_DIR / f"test-media{_SUFFIX}"
WHITENOISE_AUTOREFRESH = True
PRIVATE_MEDIA_ROOT = VAR_DIR / f"test-private{_SUFFIX}"
CMS_PAGE_CACHE_TOKEN_FILE = VAR_DIR / f"test-cache{_SUFFIX}" / "pages.token"
