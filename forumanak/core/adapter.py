"""allauth adapter: account emails go through the email task, like every other email, and every
link in them is built from SITE_URL (never from the request's Host header)."""

from urllib.parse import quote, urlsplit, urlunsplit

from allauth.account import stages
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from .email import queue_email
from .http import client_ip


class _Site:
    """What allauth's email templates call the current site: SITE_URL, never the request's Host."""

    @property
    def name(self):
        return settings.WAGTAIL_SITE_NAME

    @property
    def domain(self):
        return settings.SITE_URL.split("://", 1)[-1]


def site_url(path):
    """``path`` on the public site (SITE_URL). Every link that goes into an email is made here."""
    return settings.SITE_URL + path


def _on_site(value):
    """An absolute URL that allauth built from the request (its Host header) moved onto SITE_URL.
    allauth only ever links to this site, so only the path, query and fragment are kept."""
    if isinstance(value, str) and value.startswith(("http://", "https://", "//")):
        parts = urlsplit(value)
        return site_url(urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment)))
    return value


class AccountAdapter(DefaultAccountAdapter):
    def get_reset_password_from_key_url(self, key):
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_url(path.replace("UID-KEY", quote(key)))

    def get_email_confirmation_url(self, request, emailconfirmation):
        return site_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def send_mail(self, template_prefix, email, context):
        # allauth builds some links itself (the sign-up and password reset links of the "unknown
        # account" and "account already exists" emails): they go onto SITE_URL too
        context = {key: _on_site(value) for key, value in context.items()}
        language = translation.get_language() or settings.LANGUAGE_CODE
        user = context.get("user")
        if user is not None and getattr(user, "language", None):
            language = user.language
        with translation.override(language):
            request = getattr(allauth_context, "request", None)
            ctx = {"request": request, "email": email, "current_site": _Site(), **context}
            message = self.render_mail(template_prefix, email, ctx)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        if message.content_subtype == "html":
            html, text = message.body, ""
        else:
            text = message.body
        queue_email(
            to=email,
            language=language,
            rendered={"subject": message.subject, "text": text, "html": html},
        )

    def save_user(self, request, user, form, commit=True):
        user.language = translation.get_language() or settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

    def get_client_ip(self, request):
        """The project's one client-IP rule (behind nginx: the address nginx saw), so allauth's
        rate limits count per client and not all at once per proxy."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def get_login_stages(self):
        return [
            "forumanak.core.adapter.EmailVerificationStage"
            if path == "allauth.account.stages.EmailVerificationStage"
            else path
            for path in super().get_login_stages()
        ]


class EmailVerificationStage(stages.EmailVerificationStage):
    """Mandatory email verification, except for an account with no email at all: a child who
    has no email logs in with a username, and their guardian's email is verified instead."""

    def handle(self):
        user = self.login.user
        if user is not None and not user.email and not EmailAddress.objects.filter(user_id=user.pk).exists():
            return None, True
        return super().handle()
