"""Reads of editorial content: listings, search, translations. Each listing fetches its images'
renditions with it, so the number of queries does not grow with the number of items."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import translation
from wagtail.models import Locale, Page, Site

from . import images, privacy
from .models import ArticlePage, SiteRendition, StandardPage, Topic

SEARCH_MAX_LENGTH = 100


# ---- routing and translations ------------------------------------------------------------------


def page_for_path(request, path):
    """The live Wagtail page shown at ``path`` (with or without a language prefix), or None."""
    path = urlsplit(path).path
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    if language != settings.LANGUAGE_CODE:
        path = path[len(language) + 1 :]
    site = Site.find_for_request(request)
    if site is None:
        return None
    components = [c for c in path.split("/") if c]
    with translation.override(language):
        try:
            page, _args, _kwargs = site.root_page.localized.specific.route(request, components)
        except Http404:
            return None
    return page


def translated_page_url(request, path, language):
    """The URL of the page at ``path`` in ``language``; if that page has no live translation that
    the visitor may see, the nearest ancestor that has one (so the switcher never leads to a
    missing page, nor to a private one)."""
    page = page_for_path(request, path)
    if page is None:
        return None
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return None
    candidates = [page, *reversed(page.get_ancestors().filter(depth__gt=1))]
    for candidate in candidates:
        target = candidate if candidate.locale_id == locale.pk else candidate.get_translation_or_none(locale)
        if target is not None and target.live and privacy.visible_to(target, request):
            with translation.override(language):
                url = target.get_url(request)
            if url:
                return url
    return None


def absolute_url(page, request=None):
    """The page's address on the public site (``SITE_URL``), in the page's own language."""
    with translation.override(page.locale.language_code):
        url = page.get_url(request)
    if url and url.startswith("/"):
        url = settings.SITE_URL + url
    return url or ""


def page_alternates(page, request):
    """``[(language_code, absolute URL, tree path, private)]`` of the live translations of
    ``page``, itself included: the same for every visitor (it is cached); ``visible_alternates``
    then keeps those the visitor may see."""
    alternates, private_paths = [], privacy.private_paths()
    for translated in page.get_translations(inclusive=True).live().select_related("locale"):
        url = absolute_url(translated, request)
        if url:
            private = privacy.is_private(translated, private_paths)
            alternates.append((translated.locale.language_code, url, translated.path, private))
    return sorted(alternates)


def visible_alternates(alternates, request):
    """``[(language_code, absolute URL)]``: the public alternates, and a private one (the
    translations of a private page) only for a visitor who passes all its restrictions."""
    visible = []
    for code, url, path, private in alternates:
        if private and not privacy.visible_to(Page(path=path), request):
            continue
        visible.append((code, url))
    return visible


# ---- topics and articles ----------------------------------------------------------------------


def topics():
    return list(Topic.objects.all())


def topic_by_slug(slug):
    return Topic.objects.filter(slug=slug).first()


def _with_card_images(queryset):
    specs = images.PRESETS["card"].all_specs()
    return queryset.select_related("listing_image").prefetch_related(
        Prefetch(
            "listing_image__renditions",
            queryset=SiteRendition.objects.filter(filter_spec__in=specs),
            to_attr="prefetched_renditions",
        )
    )


def live_articles(locale_id):
    """Live articles in a locale that everyone may see (neither they nor a translation private)."""
    return privacy.exclude_private(ArticlePage.objects.live()).filter(locale_id=locale_id).order_by(
        "-date", "-first_published_at")


def article_page(index, *, number=None, per_page=9, topic=None, age_group=None, tag=None):
    """One page of the articles under ``index``, newest first, filtered."""
    queryset = live_articles(index.locale_id).child_of(index)
    if topic is not None:
        queryset = queryset.filter(topics=topic)
    if age_group:
        queryset = queryset.filter(age_group=age_group)
    if tag:
        queryset = queryset.filter(tags__slug=tag)
    queryset = _with_card_images(queryset).prefetch_related("topics")
    return Paginator(queryset, per_page).get_page(number)


def featured_articles(home, limit=6):
    """The home page's chosen articles, in the home page's language where a translation exists;
    the latest articles when none are chosen."""
    chosen = list(home.featured_articles.values_list("article__translation_key", "article_id"))
    if not chosen:
        return list(_with_card_images(live_articles(home.locale_id))[:3])
    keys = [key for key, _pk in chosen]
    ids = [pk for _key, pk in chosen]
    found = _with_card_images(
        privacy.exclude_private(ArticlePage.objects.live()).filter(
            Q(translation_key__in=keys, locale_id=home.locale_id) | Q(pk__in=ids))
    )
    by_key = {}
    for article in found:
        current = by_key.get(article.translation_key)
        if current is None or article.locale_id == home.locale_id:
            by_key[article.translation_key] = article
    return [by_key[key] for key in keys if key in by_key][:limit]


# ---- search -----------------------------------------------------------------------------------


def search(query, *, number=None, per_page=10):
    """Live, public articles and pages in the current language that match ``query`` (no private
    page, nor one whose translation is private)."""
    query = (query or "").strip()[:SEARCH_MAX_LENGTH]
    if not query:
        return None
    locale = Locale.get_active()
    queryset = (
        privacy.exclude_private(Page.objects.live())
        .filter(locale=locale)
        .type(ArticlePage, StandardPage)
        .specific()
        .search(query, operator="and")
    )
    return Paginator(queryset, per_page).get_page(number)
