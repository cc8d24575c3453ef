"""Shared start of the benchmark scripts: Django on the throwaway PostgreSQL named by DATABASE_URL
(scripts/with_postgres.sh), migrated, any host allowed."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forumanak.settings.test")


def setup_postgres(script):
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit(f"Run it against PostgreSQL: bash scripts/with_postgres.sh .venv/bin/python bench/{script}")
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
