"""Where the caches live (issue 25, section 3): the page cache (and the route, page-data, fragment
and privacy caches) writes only to its own Redis instance, which may evict (maxmemory,
allkeys-lru); sessions and rate-limit counters stay in the default one, so evicting or emptying the
page cache never signs anyone out. Against real redis-servers (skipped only when the binary is
missing; make test installs it)."""

import subprocess
import sys
from pathlib import Path

import pytest

from cms.cache import HEADER
from tests.cms.conftest import add_article
from tests.conftest import PASSWORD, make_user
from tests.core.conftest import REDIS, wait_for

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
REDIS_CACHE = "forumanak.core.redis_cache.RedisCache"


@pytest.fixture
def redis_servers(tmp_path):
    """Two throwaway redis-servers: the default one, and the page cache's (configured as
    docs/deploy.md says: a memory limit and LRU eviction)."""
    if REDIS is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    servers, urls = [], []
    for name, extra in (("default", []), ("pages", ["--maxmemory", "16mb", "--maxmemory-policy", "allkeys-lru"])):
        sock = tmp_path / f"{name}.sock"
        servers.append(subprocess.Popen(
            [REDIS, "--port", "0", "--unixsocket", str(sock), "--save", "", "--appendonly", "no", *extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
        urls.append(f"unix://{sock}")
    try:
        for url in urls:
            wait_for(Path(url.removeprefix("unix://")).exists, 20, "Redis")
        yield urls
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)


def keys(url):
    import redis

    client = redis.Redis.from_url(url)
    try:
        return [key.decode() for key in client.keys("*")]
    finally:
        client.close()


def test_pages_go_to_the_page_cache_instance_and_sessions_stay_in_the_default_one(client, article_index, settings,
                                                                                   redis_servers):
    import redis

    default_url, pages_url = redis_servers
    settings.CACHES = {"default": {"BACKEND": REDIS_CACHE, "LOCATION": default_url},
                       "pages": {"BACKEND": REDIS_CACHE, "LOCATION": pages_url}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.CMS_PAGE_CACHE_SECONDS = 300
    article = add_article(article_index, "Hak untuk didengar", slug="hak-untuk-didengar")

    client.get(article.url)
    assert client.get(article.url)[HEADER] == "hit"
    make_user("sari-pembaca")
    assert client.post("/akun/login/", {"login": "sari-pembaca", "password": PASSWORD}).status_code == 302
    signed_in = client.get(article.url)  # route, page data and the article fragment, from the page cache
    assert signed_in.status_code == 200 and "Keluar" in signed_in.text

    default, pages = keys(default_url), keys(pages_url)
    assert any(":cms:page:" in key for key in pages) and any(":cms:page-cache:generation" in key for key in pages)
    assert any(":cms:route:" in key for key in pages) and any(":cms:page-data:" in key for key in pages)
    assert any("cms_article" in key for key in pages)  # the article's fragment
    assert any("sessions" in key for key in default) and any(":allauth:rl:" in key for key in default)
    assert [key for key in default if "cms" in key] == []
    assert [key for key in pages if "session" in key or "allauth" in key] == []

    # emptying the page cache (as eviction would) signs nobody out and serves the page afresh
    redis.Redis.from_url(pages_url).flushall()
    again = client.get(article.url)
    assert again.status_code == 200 and "Keluar" in again.text
    client.logout()
    assert client.get(article.url)[HEADER] == "miss"


def test_without_a_page_cache_instance_pages_stay_in_each_process_and_the_generation_is_shared(
        settings, redis_servers):
    """REDIS_URL alone: the page cache is each process's memory (never the Redis that holds tasks
    and sessions), and the generation lives in that shared Redis, so that publishing in one
    process (the task cluster) empties every web process's cache."""
    from cms import cache as page_cache_module

    default_url, _pages_url = redis_servers
    settings.CACHES = {"default": {"BACKEND": REDIS_CACHE, "LOCATION": default_url},
                       "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p"}}
    before = page_cache_module.generation()
    page_cache_module.invalidate()
    after = page_cache_module.generation()
    assert after != before
    assert [key for key in keys(default_url) if "cms:" in key] == [":1:cms:page-cache:generation"]


def _caches(**env):
    import os

    environment = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PAGE_CACHE_REDIS_URL")}
    environment.update(env)
    script = ("from forumanak.settings import test as settings; "
              "print(*(f\"{a}={c['BACKEND']}@{c['LOCATION']}\" for a, c in sorted(settings.CACHES.items())))")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.split()


def test_the_page_cache_is_configured_apart_from_the_default_cache():
    locmem = "django.core.cache.backends.locmem.LocMemCache"
    assert _caches() == [f"default={locmem}@forumanak", f"pages={locmem}@forumanak-pages"]
    assert _caches(REDIS_URL="redis://r1:6379/0") == [f"default={REDIS_CACHE}@redis://r1:6379/0",
                                                     f"pages={locmem}@forumanak-pages"]
    assert _caches(REDIS_URL="redis://r1:6379/0", PAGE_CACHE_REDIS_URL="redis://r2:6380/0") == [
        f"default={REDIS_CACHE}@redis://r1:6379/0", f"pages={REDIS_CACHE}@redis://r2:6380/0"]


def test_the_documented_page_cache_server_starts_with_a_memory_limit_and_lru(tmp_path):
    """docs/deploy.md's /etc/redis/redis-pages.conf, as written (only the port, the files and the
    directory moved to a temporary place), starts a redis-server that evicts with allkeys-lru."""
    import re

    import redis

    if REDIS is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    docs = (ROOT / "docs" / "deploy.md").read_text()
    block = re.search(r"\n((?:    .*\n)*    maxmemory-policy allkeys-lru\n(?:    .*\n)*)", docs).group(1)
    config = "\n".join(line[4:] for line in block.splitlines())
    sock = tmp_path / "pages.sock"
    moved = {"port": "port 0", "dir": f"dir {tmp_path}", "logfile": f"logfile {tmp_path / 'pages.log'}",
             "pidfile": f"pidfile {tmp_path / 'pages.pid'}"}
    lines = [moved.get(line.split(" ", 1)[0], line) for line in config.splitlines()]
    (tmp_path / "redis-pages.conf").write_text("\n".join([*lines, f"unixsocket {sock}", ""]))
    server = subprocess.Popen([REDIS, str(tmp_path / "redis-pages.conf")], stdout=subprocess.DEVNULL,
                              stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: sock.exists() or server.poll() is not None, 20, "Redis")
        assert server.poll() is None, (tmp_path / "pages.log").read_text()
        client = redis.Redis(unix_socket_path=str(sock))
        assert client.config_get("maxmemory-policy") == {"maxmemory-policy": "allkeys-lru"}
        assert int(client.config_get("maxmemory")["maxmemory"]) == 256 * 1024 * 1024
        assert client.config_get("save") == {"save": ""}
        client.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
