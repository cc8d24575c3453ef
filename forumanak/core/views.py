from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse, translate_url
from django.utils import translation
from django.views.decorators.cache import never_cache

from .forms import safe_next


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def switch_language(request, language):
    """Go to the same page in another language. A plain link: works without JavaScript,
    stores nothing (no cookie, no session), so anonymous pages stay cacheable."""
    languages = dict(settings.LANGUAGES)
    if language not in languages:
        language = settings.LANGUAGE_CODE
    target = safe_next(request)
    translated = None
    for hook in _translation_hooks():
        translated = hook(request, target, language)
        if translated:
            break
    if not translated:
        # Resolve the target in its own language (its prefix), then reverse it in the new one.
        with translation.override(translation.get_language_from_path(target) or settings.LANGUAGE_CODE):
            translated = translate_url(target, language)
    return HttpResponseRedirect(translated)


def _translation_hooks():
    """Apps that know translated URLs (the CMS's pages) register a function here."""
    from django.apps import apps

    for config in apps.get_app_configs():
        hook = getattr(config, "translated_url", None)
        if hook:
            yield hook


def admin_login(request, extra_context=None):
    """The Django admin signs in through the site's own login (rate limits, MFA)."""
    return redirect_to_login(request.GET.get("next", "/django-admin/"), reverse("account_login"))


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@never_cache
def server_error(request):
    # Rendered without the request's context processors: the error may come from them.
    return HttpResponseServerError(loader.render_to_string("500.html"))
