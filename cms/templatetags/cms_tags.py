from django import template
from django.utils import translation

from cms import images

register = template.Library()


@register.simple_tag
def picture(image, preset, alt=None, eager=False, css_class=""):
    """``{% picture image "body" alt="…" %}``: a responsive, lazily loaded ``<picture>``."""
    return images.picture(image, preset, alt=alt or None, eager=eager, css_class=css_class)


@register.simple_tag
def preload_page_images(page):
    """Load every image of ``page`` with its renditions in two queries (see images.py); prints nothing."""
    images.preload_page_images(page)
    return ""


@register.filter
def age_group_label(value):
    from cms.models import AgeGroup

    try:
        return AgeGroup(value).label
    except ValueError:
        return ""


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (``None`` or "" removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def og_locale():
    return {"id": "id_ID", "en": "en_GB"}.get(translation.get_language(), "id_ID")


@register.filter
def video_host(url):
    """The site a video link opens, for the reader to know before tapping."""
    from urllib.parse import urlsplit

    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.").removeprefix("m.")
