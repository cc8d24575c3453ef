"""Full-page cache for anonymous visitors, and the other caches of CMS content.

- Only GET/HEAD requests without a session cookie, a messages cookie or an Authorization header
  are looked up, so a signed-in user never gets a cached page, and never has one stored.
- Only responses a page (or a view) marks as cacheable (``response.cms_cache_seconds``), with status
  200 and no cookie to set, are stored.
- Keys hold the host, the language, the path, the query parameters the page uses and a
  *generation*. A response says which query parameters it used and with what values
  (``response.cms_cache_query``, see ``cms.models.mark_cacheable``); it is stored only when the
  request's query string is exactly those (in any order), so a query string a page does not use,
  an invalid filter or a page number past the end is answered but never stored: a loop of random
  query strings adds no entry.
- Publishing, unpublishing, moving or deleting a page, changing a page's or a collection's view
  restrictions, or changing the help settings starts a new generation, so every cached page (and
  every route, page-data, fragment and privacy entry) is dropped at once. (Listings, the feed and the
  sitemap show many pages, and a restriction reaches a page's descendants and translations, so
  per-page invalidation would miss pages.)
- ``X-Page-Cache: hit|miss`` is sent only when ``CMS_PAGE_CACHE_HEADER`` is on (development and
  tests), never in production.

Where the caches live: the ``pages`` cache alias (``CACHES["pages"]``), apart from the default
cache that holds sessions, rate-limit counters and the task broker's data, so that it can be
evicted (LRU) without touching them. With ``PAGE_CACHE_REDIS_URL`` it is a Redis instance of its
own (with ``maxmemory`` and ``allkeys-lru``; docs/deploy.md); otherwise each process's memory,
bounded. The generation is kept where every process sees it: in the pages cache when that is
shared (Redis), else in the default cache when that is (``REDIS_URL``), else (the embedded default,
no Redis) in a small file under ``var/`` that every process (the web server, the task cluster that
runs scheduled publishing) reads and writes. An evicted generation only starts a new one.
"""

import hashlib
import os
import threading
import uuid
from pathlib import Path
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.utils import translation

ALIAS = "pages"
GENERATION_KEY = "cms:page-cache:generation"
HEADER = "X-Page-Cache"


def page_cache():
    """The cache of pages, routes, page data, fragments and privacy (``CACHES["pages"]``)."""
    return caches[ALIAS]


def _token_path():
    return Path(getattr(settings, "CMS_PAGE_CACHE_TOKEN_FILE", settings.VAR_DIR / "cache" / "pages.token"))


def _generation_store():
    """The shared cache that holds the generation, or None for the token file."""
    for alias in (ALIAS, "default"):
        if not isinstance(caches[alias], LocMemCache):
            return caches[alias]
    return None


# Inside a request (PageCacheMiddleware), the generation is read once and remembered until the
# response is made; a bump in the same request forgets it.
_request_local = threading.local()


def generation():
    remembered = getattr(_request_local, "generation", None)
    if remembered is not None:
        return remembered
    value = _read_generation()
    if getattr(_request_local, "active", False):
        _request_local.generation = value
    return value


def _read_generation():
    store = _generation_store()
    if store is None:
        try:
            return _token_path().read_text()
        except FileNotFoundError:
            return "0"
    return str(store.get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, timeout=None))


def _bump():
    _request_local.generation = None
    store = _generation_store()
    if store is None:
        path = _token_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(uuid.uuid4().hex)
        os.replace(tmp, path)
    else:
        store.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def invalidate():
    """Drop every cached page now, and again once the current transaction commits (so that a
    request served between the two cannot keep the old content)."""
    _bump()
    transaction.on_commit(_bump)


def page_data(page, request, compute):
    """What a page shows every visitor alike (its alternates, topics …), kept in the cache per
    generation, live revision and language, so that signed-in visitors, who never get the full-page
    cache, do not recompute it on every request. Previews always compute it afresh."""
    if settings.CMS_PAGE_CACHE_SECONDS <= 0 or getattr(request, "is_preview", False):
        return compute()
    key = f"cms:page-data:{generation()}:{request.get_host()}:{translation.get_language()}:{page.pk}:{page.live_revision_id}"
    return page_cache().get_or_set(key, compute, settings.CMS_PAGE_CACHE_SECONDS)


def _query(request):
    """The request's query parameters as a sorted tuple of (name, value) pairs, blanks kept."""
    return tuple(sorted(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)))


def _key(request, generation_value, query):
    path = hashlib.sha256(repr((request.path, query)).encode()).hexdigest()
    language = getattr(request, "LANGUAGE_CODE", "")
    return f"cms:page:{generation_value}:{request.get_host()}:{language}:{path}"


def _response_query(response):
    """The query parameters the response was made from, as the view declared them."""
    declared = getattr(response, "cms_cache_query", None) or {}
    return tuple(sorted((str(name), str(value)) for name, value in dict(declared).items()))


def _may_use_cache(request):
    if settings.CMS_PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in cookies:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


class PageCacheMiddleware:
    """Place after LocaleMiddleware (it needs the request's language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _request_local.active, _request_local.generation = True, None
        try:
            return self._respond(request)
        finally:
            _request_local.active, _request_local.generation = False, None

    def _respond(self, request):
        if not _may_use_cache(request):
            return self.get_response(request)
        query = _query(request)
        key = _key(request, generation(), query)
        cached = page_cache().get(key)
        if cached is not None:
            if settings.CMS_PAGE_CACHE_HEADER:
                cached[HEADER] = "hit"
            return cached
        response = self.get_response(request)
        seconds = getattr(response, "cms_cache_seconds", None)
        if seconds and self._storable(request, response, query):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if settings.CMS_PAGE_CACHE_HEADER:
                response[HEADER] = "miss"
            page_cache().set(key, response, seconds)
        return response

    @staticmethod
    def _storable(request, response, query):
        if response.status_code != 200 or response.cookies or response.streaming:
            return False
        if query != _response_query(response):
            return False  # parameters the page does not use, or values it did not show as asked
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        session = getattr(request, "session", None)
        return not (session is not None and session.modified)


def _use_cached_site(request):
    """Wagtail's Site for this host and port (one query with a sort otherwise), kept in the cache per
    generation, for the requests Wagtail serves; saving or deleting a site starts a new generation."""
    from wagtail.models import Site

    if settings.CMS_PAGE_CACHE_SECONDS <= 0:
        return
    key = f"cms:site:{generation()}:{hashlib.sha256(request._get_raw_host().encode()).hexdigest()}:{request.get_port()}"
    site = page_cache().get(key)
    if site is None:
        site = Site._find_for_request(request)
        if site is None:
            return
        page_cache().set(key, site, settings.CMS_PAGE_CACHE_SECONDS)
    request._wagtail_site = site


def _route_key(request):
    path = hashlib.sha256(request.path_info.encode()).hexdigest()
    return f"cms:route:{generation()}:{request.get_host()}:{translation.get_language()}:{path}"


class RouteCacheMiddleware:
    """Remembers the live page a path leads to (per generation, host and language), so that a page
    Wagtail has routed once is served again without a query: no walk down the tree (one query per
    level, and one more for the specific type) and no read of the page. What is kept is a fresh
    copy of the page as the database has it, read when the route is stored (never the instance the
    request has used). Publishing, unpublishing (by hand or by the schedule), moving, renaming or
    deleting a page starts a new generation, as for the full-page cache. Only plain page routes are
    kept (no sub-route arguments). View restrictions are still checked on every request.
    Place after the authentication middleware; it acts only on requests for Wagtail's serve view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_cms_route_key", None)
        route = getattr(request, "_wagtail_route_for_request", None)
        if key and route is not None and response.status_code == 200:
            page, args, kwargs = route
            if not args and not kwargs and page.live:
                fresh = page.specific_class.objects.live().filter(pk=page.pk).first()
                if fresh is not None:
                    page_cache().set(key, fresh, settings.CMS_PAGE_CACHE_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.models import Page
        from wagtail.url_routing import RouteResult
        from wagtail.views import serve

        if view_func is not serve or settings.CMS_PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return None
        _use_cached_site(request)
        key = _route_key(request)
        found = page_cache().get(key)
        if found is None:
            request._cms_route_key = key  # store what Wagtail finds
            return None
        if not isinstance(found, Page) or not found.live:
            return None
        request._wagtail_route_for_request = RouteResult(found, (), {})
        return None
