"""Two django-q2 clusters against one Redis and one PostgreSQL send each of 500 emails exactly
once; a cluster killed (SIGKILL) in the middle of sending loses none: after it restarts, the sweep
queues the rest again and they go out, none twice.

Skipped only when there is no redis-server binary (make test installs it on CI)."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from forumanak.core.models import OutboundEmail
from tests.conftest import subprocess_env
from tests.core.conftest import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

EMAILS = 500

ENQUEUE = f"""
import django; django.setup()
from django.db import transaction
from forumanak.core.email import queue_email
with transaction.atomic():
    for i in range({EMAILS}):
        queue_email(to=f"wali{{i}}@example.test", template="test_message", context={{"name": f"Anak {{i}}"}})
"""

SWEEP = """
import django; django.setup()
from datetime import timedelta
from forumanak.core.email import requeue_unsent
print(requeue_unsent(older_than=timedelta(0)))
"""


def test_two_clusters_send_each_email_once_and_a_killed_cluster_loses_none(redis_url, tmp_path):
    probe = tmp_path / "mail"
    probe.mkdir()
    hold = tmp_path / "hold-cluster-a"
    env = subprocess_env(
        REDIS_URL=redis_url, Q_SYNC="0", Q_WORKERS="2", PROBE_DIR=str(probe),
        EMAIL_BACKEND="tests.core.mail_probe.ProbeBackend", EMAIL_CLAIM_TIMEOUT_SECONDS="3",
    )
    clusters = {}

    def start(name, **extra):
        clusters[name] = subprocess.Popen([sys.executable, "manage.py", "qcluster"], env={**env, **extra},
                                          stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                                          start_new_session=True)  # its own process group, to kill it whole

    def sent_files():
        return [p for p in probe.glob("*.eml")]

    try:
        subprocess.run([sys.executable, "-c", ENQUEUE], env=env, check=True, timeout=120, capture_output=True)
        assert OutboundEmail.objects.filter(status="queued").count() == EMAILS

        start("a", PROBE_HOLD_FILE=str(hold))
        start("b")
        wait_for(lambda: len(sent_files()) >= EMAILS // 4, 120, "the first quarter to be sent")

        # Cluster A's workers now stop inside sending; once one is caught there, kill A outright.
        hold.touch()
        wait_for(lambda: any(probe.glob("holding-*")), 60, "a worker of cluster A to be caught mid-send")
        os.killpg(clusters["a"].pid, signal.SIGKILL)
        clusters["a"].wait(timeout=30)
        caught = {p.name.split("-", 2)[2] for p in probe.glob("holding-*")}

        # B empties the queue; what A had taken (in hand, or fetched but not started) is not sent.
        def settled():
            before = len(sent_files())
            time.sleep(2)
            return len(sent_files()) == before
        wait_for(settled, 180, "cluster B to finish the queue")
        unsent = set(OutboundEmail.objects.exclude(status="sent").values_list("pk", flat=True))
        assert {str(pk) for pk in unsent} >= caught and caught  # the killed cluster left messages behind

        # A restarts (no longer held); the sweep queues every unsent message again. A message that
        # A had claimed is taken again only once the claim is stale (3 s here, 10 minutes by default).
        hold.unlink()
        start("a")
        time.sleep(3.5)
        subprocess.run([sys.executable, "-c", SWEEP], env=env, check=True, timeout=120, capture_output=True)
        wait_for(lambda: not OutboundEmail.objects.exclude(status="sent").exists(), 180, "every email to be sent")
        time.sleep(2)  # room for a duplicate, if one were coming
    finally:
        for cluster in clusters.values():  # the checks below read only files and rows
            if cluster.poll() is None:
                os.killpg(cluster.pid, signal.SIGKILL)
                cluster.wait(timeout=30)

    ids = Counter(p.name.split(".", 1)[0] for p in sent_files())
    expected = {str(pk) for pk in OutboundEmail.objects.values_list("pk", flat=True)}
    assert set(ids) == expected and len(expected) == EMAILS  # every email was sent ...
    assert [i for i, n in ids.items() if n > 1] == []  # ... and none twice
    assert OutboundEmail.objects.filter(status="sent", rendered__isnull=True, context={}).count() == EMAILS
