from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from . import privacy
from .selectors import absolute_url


class AllLanguagesSitemap(Sitemap):
    """Every live public page of the site in every language, each with its alternates. A page
    that is private, or whose translation is private (cms/privacy.py), is left out, and so is
    never an alternate either."""

    def items(self):
        site = self.get_wagtail_site()
        pages = Page.objects.none()
        for root in site.root_page.get_translations(inclusive=True):
            pages = pages | Page.objects.descendant_of(root, inclusive=True)
        pages = privacy.exclude_private(pages.live())
        return pages.order_by("path").select_related("locale").defer_streamfields()

    def _urls(self, page, protocol, domain):
        items = list(self.paginator.page(page).object_list)
        by_key = {}
        for item in items:
            by_key.setdefault(item.translation_key, []).append(item)
        urls = []
        for item in items:
            location = absolute_url(item, self.request)
            if not location:
                continue
            alternates = [
                {"lang_code": other.locale.language_code, "location": absolute_url(other, self.request)}
                for other in by_key[item.translation_key]
            ]
            urls.append(
                {
                    "item": item,
                    "location": location,
                    "lastmod": item.last_published_at or item.latest_revision_created_at,
                    "alternates": alternates if len(alternates) > 1 else [],
                }
            )
        self.latest_lastmod = max((u["lastmod"] for u in urls if u["lastmod"]), default=None)
        return urls

