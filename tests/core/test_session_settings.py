"""Where sessions live: in the database on the embedded default, read through Redis when the site
has Redis (shared by every worker); never through the per-process memory cache, where a logout in
one worker would leave the session alive in another."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRINT = "from django.conf import settings; print(settings.SESSION_ENGINE, settings.CACHES['default']['BACKEND'])"


def _settings(**env):
    import os

    environment = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    environment.update({"DJANGO_SETTINGS_MODULE": "forumanak.settings.test", **env})
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {PRINT}"], cwd=ROOT,
                            env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.split()


@pytest.mark.parametrize("redis, engine, cache", [
    ("", "django.contrib.sessions.backends.db", "django.core.cache.backends.locmem.LocMemCache"),
    ("redis://127.0.0.1:6399/0", "django.contrib.sessions.backends.cached_db", "forumanak.core.redis_cache.RedisCache"),
])
def test_sessions_are_cached_only_in_a_shared_cache(redis, engine, cache):
    assert _settings(REDIS_URL=redis) == [engine, cache]
