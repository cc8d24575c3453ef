"""Queueing helpers and the email task."""

import logging

from django.db import transaction
from django_q.tasks import async_task

logger = logging.getLogger(__name__)


def enqueue_on_commit(func_path, *args, **kwargs):
    """Queue the django-q2 task ``func_path`` once the current transaction commits.

    If the transaction rolls back, nothing is queued. Outside a transaction the task is queued at
    once. Tasks take primary keys, never model instances.
    """
    transaction.on_commit(lambda: async_task(func_path, *args, **kwargs))


def send_email(email_id):
    """Send one OutboundEmail. Idempotent: a message already sent is not sent again."""
    from .email import deliver

    return deliver(email_id)


def requeue_unsent_emails():
    """Queue again every email that has not gone out (a lost broker message, a dead worker)."""
    from .email import requeue_unsent

    return requeue_unsent()
