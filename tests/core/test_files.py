"""Stored names and the static files' manifest (issue 25)."""

import re

import pytest
from django.test import Client

from forumanak.core.files import random_name


@pytest.mark.parametrize("uploaded, extension", [
    ("Daftar Budi Santoso.PDF", ".pdf"), ("foto anak.jpeg", ".jpeg"), ("tanpa-ekstensi", ""),
    ("x.p h p", ""), ("../../etc/passwd", ""), ("a.tar.gz", ".gz"), ("laporan.<script>", ""),
])
def test_a_stored_name_is_random_and_keeps_only_a_plain_extension(uploaded, extension):
    name = random_name(uploaded)
    assert re.fullmatch(r"[0-9a-f]{32}" + re.escape(extension), name)
    assert random_name(uploaded) != name


@pytest.mark.django_db
@pytest.mark.parametrize("autorefresh", [False, True])
def test_the_static_manifest_is_not_served(settings, production_static, autorefresh):
    settings.STATIC_ROOT = str(production_static)
    settings.WHITENOISE_AUTOREFRESH = autorefresh
    assert (production_static / "staticfiles.json").exists()
    client = Client()  # builds its middleware now, with these settings
    response = client.get("/static/staticfiles.json")
    assert response.status_code == 404 and b'"paths"' not in response.content
    hashed = next(p for p in (production_static / "css").iterdir() if re.fullmatch(r"site\.[0-9a-f]{12}\.css", p.name))
    assert client.get(f"/static/css/{hashed.name}").status_code == 200
