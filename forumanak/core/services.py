"""Writes of the core app that views and other apps call (house rule 1)."""

from django.contrib.auth import get_user_model, update_session_auth_hash
from django.db import transaction
from django.db.models import F

from . import audit


def end_sessions(*, user, actor, keep_request=None):
    """Sign ``user`` out of every session at once, except the one of ``keep_request`` when given
    ("sign out everywhere else"). The account's session generation goes up, so the hash that every
    other session carries no longer matches and Django treats it as signed out on its next request;
    nothing is stored per session. Audited."""
    with transaction.atomic():
        get_user_model().objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        user.refresh_from_db(fields=["session_generation"])
        audit.record(
            actor=actor,
            action="account.sessions_ended",
            obj=user,
            object_label=user.get_username(),
            data={"kept_current": keep_request is not None},
        )
    if keep_request is not None:
        update_session_auth_hash(keep_request, user)  # this session carries the new hash
