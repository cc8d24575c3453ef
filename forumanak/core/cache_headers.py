"""Cache-Control for responses made for one visitor.

A response to a signed-in user, or to a request that carries a session (a password-protected page
passed, a form in progress, a pending message), or one that sets a cookie, is that visitor's own:
``Cache-Control: private, no-store``, so that no browser history, shared proxy or cache on the
way keeps it. Anonymous pages (the ones the page cache keeps) are left as they are.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control


def is_personal(request, response):
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in cookies:
        return True
    if "HTTP_AUTHORIZATION" in request.META or response.cookies:
        return True
    user = getattr(request, "user", None)  # absent when a cached page answered before authentication
    if user is not None and user.is_authenticated:
        return True
    session = getattr(request, "session", None)
    return session is not None and session.modified


class PrivateResponseMiddleware:
    """Place before SessionMiddleware (so that it sees the session cookie a response sets)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_personal(request, response):
            patch_cache_control(response, private=True, no_store=True)
        return response
