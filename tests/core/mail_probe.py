"""An email backend for the multi-cluster test, used inside real django-q2 worker processes.

Each message is written to its own file ``<PROBE_DIR>/<email id>.<random>.eml``, so a message
delivered twice shows as two files with the same id. When the file named by ``PROBE_HOLD_FILE``
exists, a worker about to write a message instead leaves a ``holding-*`` marker and waits there
(until its cluster is killed): a deterministic "killed in the middle of sending"."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class ProbeBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["PROBE_DIR"])
        hold = os.environ.get("PROBE_HOLD_FILE")
        for message in email_messages:
            email_id = message.extra_headers["X-Forumanak-Email"]
            if hold and Path(hold).exists():
                (folder / f"holding-{os.getpid()}-{email_id}").touch()
                while True:
                    time.sleep(1)
            (folder / f"{email_id}.{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(email_messages)
