"""Transactional email: queued as a row, sent once by a task, rendered in the recipient's language.

A message is rendered from three templates under ``templates/emails/``:
``<name>_subject.txt``, ``<name>.txt`` and ``<name>.html``.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboundEmail
from .tasks import enqueue_on_commit

logger = logging.getLogger(__name__)


def claim_timeout():
    """A claim older than this is taken to belong to a worker that died (a killed cluster); the
    message may then be tried again. Setting ``EMAIL_CLAIM_TIMEOUT_SECONDS`` (600)."""
    return timedelta(seconds=getattr(settings, "EMAIL_CLAIM_TIMEOUT_SECONDS", 600))


def queue_email(*, to, template="", context=None, language=None, rendered=None):
    """Store an email and queue its sending after the current transaction commits.

    Either ``template`` (rendered at sending time in ``language``) or ``rendered`` (a dict with
    ``subject``, ``text`` and ``html``, for messages that third-party code renders) is given.

    ``to`` is an address or a list of addresses; ``context`` must be JSON-serialisable (pass
    primary keys and plain values, not model instances).
    """
    recipients = [to] if isinstance(to, str) else list(to)
    email = OutboundEmail.objects.create(
        to=recipients,
        template=template,
        context=context or {},
        language=language or settings.LANGUAGE_CODE,
        rendered=rendered,
    )
    enqueue_on_commit("forumanak.core.tasks.send_email", str(email.pk), task_name=f"email-{email.pk}")
    return email


def render_email(template, context, language):
    """Return (subject, text, html) rendered in ``language``."""
    ctx = {"site_url": settings.SITE_URL, "site_name": settings.WAGTAIL_SITE_NAME, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", ctx).strip()
        text = render_to_string(f"emails/{template}.txt", ctx)
        html = render_to_string(f"emails/{template}.html", ctx)
    return " ".join(subject.split()), text, html


def _claim(email_id):
    """Atomically mark the message as being sent by this worker. False if someone else has it."""
    now = timezone.now()
    stale = now - claim_timeout()
    with transaction.atomic():
        claimed = (
            OutboundEmail.objects.filter(pk=email_id)
            .filter(status__in=[OutboundEmail.Status.QUEUED, OutboundEmail.Status.FAILED])
            .update(status=OutboundEmail.Status.SENDING, claimed_at=now)
        )
        if not claimed:
            claimed = OutboundEmail.objects.filter(
                pk=email_id, status=OutboundEmail.Status.SENDING, claimed_at__lt=stale
            ).update(claimed_at=now)
    return bool(claimed)


def deliver(email_id):
    """Send the message if it has not been sent. Raises on failure so the task is retried."""
    if not _claim(email_id):
        return "skipped"
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        if email.rendered:
            subject, text, html = (email.rendered[k] for k in ("subject", "text", "html"))
        else:
            subject, text, html = render_email(email.template, email.context, email.language)
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, email.to)
        message.attach_alternative(html, "text/html")
        message.extra_headers["Content-Language"] = email.language
        message.extra_headers["X-Forumanak-Email"] = str(email.pk)  # lets a receiver spot a repeat
        message.send(fail_silently=False)
    except Exception as exc:
        OutboundEmail.objects.filter(pk=email_id).update(
            status=OutboundEmail.Status.FAILED,
            attempts=email.attempts + 1,
            last_error=repr(exc)[:2000],
        )
        logger.warning("Email %s failed: %r", email_id, exc)
        raise
    OutboundEmail.objects.filter(pk=email_id).update(
        status=OutboundEmail.Status.SENT,
        sent_at=timezone.now(),
        attempts=email.attempts + 1,
        # the message may hold a login code, a link or a child's name: keep it no longer than needed
        rendered=None,
        context={},
    )
    return "sent"


MAX_ATTEMPTS = 8


def requeue_unsent(*, older_than=None):
    """Queue a task again for each message still unsent after ``older_than``. Safe to run any
    time: sending is idempotent, so a message queued twice is still sent once."""
    cutoff = timezone.now() - (claim_timeout() if older_than is None else older_than)
    pending = OutboundEmail.objects.filter(
        created_at__lt=cutoff,
        attempts__lt=MAX_ATTEMPTS,
        status__in=[OutboundEmail.Status.QUEUED, OutboundEmail.Status.FAILED, OutboundEmail.Status.SENDING],
    ).values_list("pk", flat=True)
    pks = list(pending[:10_000])
    for pk in pks:
        enqueue_on_commit("forumanak.core.tasks.send_email", str(pk), task_name=f"email-{pk}-retry")
    return len(pks)
