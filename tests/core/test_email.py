"""Email goes out through a task, once, after commit, in the recipient's language."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import OrmQ

from forumanak.core.email import deliver, queue_email, requeue_unsent
from forumanak.core.models import OutboundEmail

pytestmark = pytest.mark.django_db(transaction=True)


class Boom(Exception):
    pass


def test_email_queued_in_a_rolled_back_transaction_is_never_sent():
    with pytest.raises(Boom):
        with transaction.atomic():
            queue_email(to="wali@example.test", template="test_message", context={"name": "Budi"})
            raise Boom
    assert OutboundEmail.objects.count() == 0
    assert mail.outbox == []


def test_email_queued_in_a_committed_transaction_is_sent_once():
    with transaction.atomic():
        email = queue_email(to="wali@example.test", template="test_message", context={"name": "Budi"})
        assert mail.outbox == []  # nothing leaves before commit
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and email.sent_at is not None
    # a second delivery of the same message (a redelivered task) sends nothing
    assert deliver(email.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_email_has_text_and_html_parts_in_the_recipients_language():
    queue_email(to="parent@example.test", template="test_message", context={"name": "Budi"}, language="en")
    queue_email(to="wali@example.test", template="test_message", context={"name": "Budi"}, language="id")
    en, id_ = mail.outbox
    assert en.subject == "A test message from Forum Anak"
    assert "Hello Budi," in en.body
    assert id_.subject == "Pesan percobaan dari Forum Anak"
    assert "Halo Budi," in id_.body
    html = dict((mime, body) for body, mime in en.alternatives)["text/html"]
    assert '<html lang="en">' in html and "Hello Budi," in html
    assert en.extra_headers["Content-Language"] == "en"


def test_failed_send_is_recorded_and_retried(monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    calls = {"n": 0}
    original = EmailBackend.send_messages

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("SMTP server went away")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    monkeypatch.setattr(Conf, "SYNC", False)  # leave the task in the broker; play its deliveries here
    email = queue_email(to="wali@example.test", template="test_message", context={"name": "Budi"})
    # the task raises, so the broker (which does not acknowledge failures) delivers it again
    with pytest.raises(ConnectionError):
        deliver(email.pk)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED and email.attempts == 1
    assert "went away" in email.last_error
    assert mail.outbox == []
    assert deliver(email.pk) == "sent"
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and email.attempts == 2
    assert len(mail.outbox) == 1
    assert settings.Q_CLUSTER["ack_failures"] is False and settings.Q_CLUSTER["max_attempts"] > 1


def test_sweep_requeues_an_email_whose_task_was_lost(monkeypatch):
    monkeypatch.setattr(Conf, "SYNC", False)
    email = queue_email(to="wali@example.test", template="test_message", context={"name": "Budi"})
    OrmQ.objects.all().delete()  # the broker lost the message
    OutboundEmail.objects.filter(pk=email.pk).update(created_at=timezone.now() - timedelta(hours=1))
    monkeypatch.setattr(Conf, "SYNC", True)
    assert requeue_unsent() == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1
    assert requeue_unsent() == 0  # nothing left to do; a second sweep sends nothing
    assert len(mail.outbox) == 1
