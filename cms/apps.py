from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = _("Konten")

    def ready(self):
        from . import signals

        signals.connect()

    @staticmethod
    def translated_url(request, path, language):
        """The URL of the page at ``path`` in ``language``, if it is a Wagtail page with a
        translation (used by the language switcher)."""
        from .selectors import translated_page_url

        return translated_page_url(request, path, language)
