"""Uploads are judged by content, not by name (issue 16 §5). A fasilitator uploaded `sk.html` and
an `sk.svg` with a script as a forum's decree; a paper consent scan named `evil.pdf` was HTML. Each
forged file is refused, through the real forms, and nothing is stored; real PDFs and pictures
still go in, stored with the extension of what they are."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from forumanak.membership.models import ConsentDecision, Forum
from tests.conftest import enable_totp, sign_in_with_second_factor

from .conftest import apply

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def picture(fmt):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (11, 93, 87)).save(buffer, fmt)
    return buffer.getvalue()


FORGED = {
    "sk.html": (b"<html><script>fetch('/admin/')</script></html>", "text/html"),
    "sk.svg": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml"),
    "evil.pdf": (b"<!doctype html><script>alert(document.cookie)</script>", "application/pdf"),
    "half.pdf": (b"%PDF-1.4\n<script>alert(1)</script>", "application/pdf"),  # no end: not a whole PDF
    "photo.png": (b"\x89PNG\r\n\x1a\n" + b"<script>alert(1)</script>", "image/png"),  # a PNG header only
    "scan.jpg": (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "image/jpeg"),
}


@pytest.fixture
def fasilitator_signed_in(client, fasilitator):
    from io import StringIO

    from django.core.management import call_command

    call_command("setup_roles", stdout=StringIO())
    fasilitator.groups.add(Group.objects.get(name="Fasilitator"))
    enable_totp(fasilitator)
    return sign_in_with_second_factor(client, fasilitator)


def post_sk(client, forum, upload):
    return client.post(f"/admin/forum/edit/{forum.pk}/", {
        "name": forum.name, "sk_number": "1/2026", "sk_date": "2026-01-05", "sk_issuer": "Lurah", "sk_valid_until": "",
        "sk_file": upload})


@pytest.mark.parametrize("name", list(FORGED))
def test_a_forged_decree_file_is_refused(client, city, fasilitator_signed_in, name):
    forum = city["forums"]["64.71.01.1001"]
    content, content_type = FORGED[name]
    response = post_sk(client, forum, SimpleUploadedFile(name, content, content_type))
    assert response.status_code == 200 and "bukan PDF, JPG, atau PNG" in response.text
    assert not Forum.objects.get(pk=forum.pk).sk_file


@pytest.mark.parametrize("name,content,extension", [
    ("SK.pdf", PDF, "pdf"), ("foto sk.JPG", picture("JPEG"), "jpg"), ("pindaian.png", picture("PNG"), "png"),
    ("sebenarnya-png.pdf", picture("PNG"), "png"),  # a real picture under a wrong name: stored as what it is
])
def test_real_papers_are_accepted_and_named_for_what_they_are(client, city, fasilitator_signed_in, name, content,
                                                              extension):
    forum = city["forums"]["64.71.01.1001"]
    response = post_sk(client, forum, SimpleUploadedFile(name, content, "application/octet-stream"))
    assert response.status_code == 302, response.content[:2000]
    assert re.fullmatch(rf"sk/[0-9a-f]{{32}}\.{extension}", Forum.objects.get(pk=forum.pk).sk_file.name)


def test_a_too_big_paper_is_refused(client, city, fasilitator_signed_in):
    forum = city["forums"]["64.71.01.1001"]
    big = PDF[:-7] + b"0" * (10 * 1024 * 1024) + b"\n%%EOF\n"
    response = post_sk(client, forum, SimpleUploadedFile("besar.pdf", big, "application/pdf"))
    assert response.status_code == 200 and "terlalu besar" in response.text


@pytest.mark.parametrize("name", list(FORGED))
def test_a_forged_paper_consent_scan_is_refused(client, city, consent_texts, fasilitator_signed_in, name):
    _member, request, _token = apply(city)
    content, content_type = FORGED[name]
    response = client.post(f"/admin/persetujuan/{request.pk}/kertas/", {
        "decision": "granted", "guardian_name": "Ratna", "scan": SimpleUploadedFile(name, content, content_type)})
    assert response.status_code == 200 and "bukan PDF, JPG, atau PNG" in response.text
    assert not ConsentDecision.objects.filter(request=request).exists()
