from django.conf import settings
from django.contrib.auth.decorators import login_required
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


def _rate_limited(view, action):
    """Wrap a third-party view that checks a password so that guessing it is limited like a sign-in:
    per client address and per protected object (``FORUM_RATE_LIMITS[action]``)."""
    from functools import wraps

    from .ratelimit import consume_or_429

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            refused = consume_or_429(request, action=action, key=":".join(str(v) for v in kwargs.values()))
            if refused is not None:
                return refused
        return view(request, *args, **kwargs)

    return wrapped


def page_password_view():
    """Wagtail's password form for a password-protected page, rate-limited."""
    from wagtail.views import authenticate_with_password

    return _rate_limited(authenticate_with_password, "view_restriction_password")


def document_password_view():
    """Wagtail's password form for a document in a password-protected collection, rate-limited."""
    from wagtail.documents.views.serve import authenticate_with_password

    return _rate_limited(authenticate_with_password, "view_restriction_password")


def admin_password_change(request, extra_context=None):
    """Passwords are changed in one place, allauth's (rate limits, notification email)."""
    return HttpResponseRedirect(reverse("account_change_password"))


def too_many_requests(request):
    """allauth's and the project's rate limits answer with this page (429), in the visitor's language."""
    return render(request, "429.html", status=429)


@login_required
def sign_out_elsewhere(request):
    """The account page's "sign out on every other device": a lost phone, a shared computer at
    school or the village hall. A confirmation page (GET), the action (POST)."""
    from django.contrib import messages
    from django.utils.translation import gettext as _

    from .services import end_sessions

    if request.method == "POST":
        end_sessions(user=request.user, actor=request.user, keep_request=request)
        messages.success(request, _("Kamu sudah keluar dari semua perangkat lain. Perangkat ini tetap masuk."))
        return HttpResponseRedirect(reverse("account_sessions"))
    return render(request, "account/sessions.html")


def restricted_login(request):
    """Where Wagtail sends a visitor who may not see a private page or document
    (``WAGTAIL_FRONTEND_LOGIN_URL``). Not signed in: allauth's login, then back. Signed in but not
    allowed (the page is for a group they are not in): a plain refusal, not the login page, which
    would send a signed-in visitor straight back here, round and round."""
    target = safe_next(request)
    if not request.user.is_authenticated:
        return redirect_to_login(target, reverse("account_login"))
    return render(request, "403.html", {"next": target}, status=403)
