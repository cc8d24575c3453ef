"""Deleting a user's session rows everywhere (the database and, with cached_db, the shared cache).

Signing out everywhere needs only core.services.end_sessions (O(1): the session hash changes);
this also removes the rows, which hold the account's id: erasure uses it."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone


def purge_sessions(user_id, *, keep=None):
    """Delete every unexpired session signed in as ``user_id`` (except the session key ``keep``),
    from the database and from the cache in front of it. Returns how many were ended.

    Sessions are stored signed, not searchable by user, so the unexpired ones are read and decoded;
    only signed-in visitors have a session here (anonymous reading writes none)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    wanted = str(user_id)
    ended = 0
    rows = Session.objects.filter(expire_date__gt=timezone.now()).values_list("session_key", "session_data")
    for session_key, session_data in rows.iterator(chunk_size=2000):
        if session_key == keep:
            continue
        if str(store().decode(session_data).get(SESSION_KEY)) == wanted:
            store(session_key=session_key).delete()
            ended += 1
    return ended
