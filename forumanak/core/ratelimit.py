"""Rate limits of the project's own doors, on allauth's rate-limit machinery (the same cache, the
same client address, the same 429 page as the sign-in). The rates are in ``FORUM_RATE_LIMITS``, in
allauth's notation: ``"10/m/ip,20/h/key"``."""

from allauth.core.internal import ratelimit as _impl
from django.conf import settings

APP = "forumanak"


def consume(request, *, action, key=None, dry_run=False):
    """Count one attempt at ``action``; False when a limit is reached (the attempt is refused).
    With ``dry_run``, only ask whether one more attempt would be allowed."""
    usage = _impl.consume(request, app=APP, action=action, config=settings.FORUM_RATE_LIMITS, key=key,
                          dry_run=dry_run, limit_get=True)
    return usage is not None


def consume_or_429(request, *, action, key=None):
    """None when the attempt may go ahead, otherwise the 429 response to return."""
    if consume(request, action=action, key=key):
        return None
    return _impl.respond_429(request)
