"""docs/deploy.md, followed on this machine by scripts/production_stack.sh: gunicorn under the
production settings, PostgreSQL, Redis (broker and cache) and a django-q2 cluster. The stack
serves pages through gunicorn and whitenoise, and the cluster sends a queued email through Redis.

It runs against the (already migrated) test database, so the deploy steps are the quick, idempotent
re-deploy. Skipped only when there is no redis-server binary (make test installs it on CI)."""

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import subprocess_env

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def test_the_production_stack_serves_a_page_and_processes_a_task(home_page):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    env = subprocess_env()  # DATABASE_URL of the test database; the script sets the production settings
    result = subprocess.run(["bash", "scripts/production_stack.sh"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "home 200" in result.stdout
    assert "email sent by the cluster via Redis, row marked sent" in result.stdout
