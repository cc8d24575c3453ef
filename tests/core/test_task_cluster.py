"""A real django-q2 cluster, in its own process, sends a committed email exactly once."""

import subprocess
import sys
import time

import pytest
from django.db import transaction
from django_q.conf import Conf

from forumanak.core.email import queue_email
from forumanak.core.models import OutboundEmail
from tests.conftest import subprocess_env

pytestmark = pytest.mark.django_db(transaction=True)


class Boom(Exception):
    pass


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_running_cluster_sends_committed_email_once_and_rolled_back_never(monkeypatch, tmp_path):
    monkeypatch.setattr(Conf, "SYNC", False)  # queue into the real broker, as production does
    mail_dir = tmp_path / "mail"
    with transaction.atomic():
        committed = queue_email(to="wali@example.test", template="test_message", context={"name": "Budi"})
    with pytest.raises(Boom):
        with transaction.atomic():
            queue_email(to="lain@example.test", template="test_message", context={"name": "Ani"})
            raise Boom

    env = subprocess_env(
        Q_SYNC="0",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
    )
    cluster = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        sent = wait_for(lambda: OutboundEmail.objects.filter(pk=committed.pk, status="sent").exists())
        time.sleep(2)  # give a duplicate delivery, if there were one, time to happen
    finally:
        cluster.terminate()
        output = cluster.communicate(timeout=30)[0].decode(errors="replace")
    assert sent, output[-3000:]
    files = list(mail_dir.glob("*.log"))
    assert len(files) == 1
    content = files[0].read_text()
    assert "To: wali@example.test" in content
    assert "lain@example.test" not in content
    assert OutboundEmail.objects.count() == 1
