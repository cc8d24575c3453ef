from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404
from django.utils import translation
from wagtail.models import Locale, Site


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
    page = page_for_path(request, path)
    if page is None:
        return None
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return None
    target = page if page.locale_id == locale.pk else page.get_translation_or_none(locale)
    if target is None or not target.live:
        return None
    with translation.override(language):
        return target.get_url(request)
