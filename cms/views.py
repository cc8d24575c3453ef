"""Public CMS views outside the page tree: search, the RSS feed, sitemap.xml and robots.txt."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Locale

from . import selectors
from .forms import SearchForm
from .models import mark_cacheable
from .sitemaps import AllLanguagesSitemap


@require_GET
def search(request):
    form = SearchForm(request.GET)
    form.is_valid()  # each parameter that is not clean is left out
    query = form.cleaned_data.get("q") or ""
    results = selectors.search(query, number=form.cleaned_data.get("halaman")) if query else None
    return render(request, "cms/search.html", {"query": query, "page_obj": results})


class ArticleFeed(Feed):
    """The latest articles in the current language."""

    def title(self):
        return _("Artikel Forum Anak Kota Balikpapan")

    def description(self):
        return _("Artikel tentang hak anak untuk anak dan orang tua.")

    def link(self):
        return settings.SITE_URL + reverse("wagtail_serve", args=["artikel/"])

    def feed_url(self):
        return settings.SITE_URL + reverse("cms_feed")

    def items(self):
        locale = Locale.get_active()
        return selectors.live_articles(locale.pk).select_related("locale").prefetch_related("topics")[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        return selectors.absolute_url(item)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return item.author

    def item_categories(self, item):
        return [topic.label for topic in item.topics.all()]

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = translation.get_language()
        return feed


_feed = ArticleFeed()


@require_GET
def feed(request):
    return mark_cacheable(_feed(request))


@require_GET
def sitemap(request):
    response = wagtail_sitemap(request, sitemaps={"pages": AllLanguagesSitemap})
    response.render()
    return mark_cacheable(response)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /akun/",
        "Disallow: /en/akun/",
        "Disallow: /bahasa/",
        "Disallow: /cari/",
        "Disallow: /en/cari/",
        "",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
        "",
    ]
    return mark_cacheable(HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8"))
