"""A forum's SK and a signed consent form are private files (issue 25): random names, no URL, and
served only to the staff of the forum chain, through nginx's internal location in production.
(tests/core/test_media_nginx.py fetches them through the documented nginx.)"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from forumanak.core.models import AuditEntry
from forumanak.membership import services
from forumanak.membership.models import ConsentDecision, Forum
from tests.conftest import enable_totp, grant_admin_access, make_user, sign_in_with_second_factor
from tests.membership.conftest import staff

pytestmark = pytest.mark.django_db

SK = b"%PDF-1.4\n% SK: Budi Santoso (ketua), Putri Lengkap (sekretaris)\n%%EOF\n"


@pytest.fixture
def manggar(city):
    return city["forums"]["64.71.01.1001"]


@pytest.fixture
def sk_forum(manggar, fasilitator):
    manggar.sk_file = SimpleUploadedFile("SK Forum Anak Manggar - Budi Santoso.pdf", SK, "application/pdf")
    manggar.save()
    return manggar


def signed_in(client, user):
    enable_totp(user)
    return sign_in_with_second_factor(client, user)


def test_an_sk_is_stored_privately_under_a_random_name(sk_forum, settings):
    name = Forum.objects.get(pk=sk_forum.pk).sk_file.name
    assert re.fullmatch(r"sk/[0-9a-f]{32}\.pdf", name)
    path = sk_forum.sk_file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT)) and not path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(NotImplementedError):
        _ = sk_forum.sk_file.url


def test_the_forum_chain_staff_get_the_sk_and_the_fetch_is_audited(client, city, sk_forum, fasilitator):
    response = signed_in(client, fasilitator).get(f"/admin/forum/{sk_forum.pk}/berkas-sk/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SK
    assert response["Content-Disposition"] == f'attachment; filename="SK-{sk_forum.slug}.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(action="forum.sk_file_viewed", actor=fasilitator).count() == 1
    # a kecamatan's staff are above Manggar: their chain includes it
    kecamatan = staff("fas-timur", city["forums"]["64.71.01"], "fasilitator")
    assert signed_in(client, kecamatan).get(f"/admin/forum/{sk_forum.pk}/berkas-sk/").status_code == 200


def test_nobody_else_gets_the_sk(client, city, sk_forum, other_fasilitator):
    url = f"/admin/forum/{sk_forum.pk}/berkas-sk/"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/akun/login/" in anonymous["Location"]
    # staff of another kecamatan, and of the kelurahan below cannot reach up
    assert signed_in(client, other_fasilitator).get(url).status_code == 404
    city_sk = city["forums"]["city"]
    city_sk.sk_file = SimpleUploadedFile("sk-kota.pdf", SK, "application/pdf")
    city_sk.save()
    assert client.get(f"/admin/forum/{city_sk.pk}/berkas-sk/").status_code == 404
    # an editor has the admin but no forum; a child member has neither
    editor = grant_admin_access(make_user("penulis", is_staff=True))
    refused = signed_in(client, editor).get(url)
    assert refused.status_code in (302, 403) and SK not in refused.content
    child = make_user("anak", email="")
    client.force_login(child)
    refused = client.get(url)
    assert refused.status_code in (302, 403) and SK not in refused.content
    assert not AuditEntry.objects.filter(action="forum.sk_file_viewed").exists()


def test_in_production_nginx_sends_the_sk_from_its_internal_location(client, sk_forum, fasilitator, settings):
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/_private/"
    response = signed_in(client, fasilitator).get(f"/admin/forum/{sk_forum.pk}/berkas-sk/")
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_private/{Forum.objects.get(pk=sk_forum.pk).sk_file.name}"
    assert response.get("Content-Length") in (None, "0")  # not the file's: nginx sets that
    assert response["Content-Disposition"].startswith("attachment")


def test_the_forum_edit_form_links_the_sk_through_the_checking_view(client, roles, sk_forum, fasilitator):
    from django.contrib.auth.models import Group

    fasilitator.groups.add(Group.objects.get(name="Fasilitator"))
    page = signed_in(client, fasilitator).get(f"/admin/forum/edit/{sk_forum.pk}/")
    assert page.status_code == 200
    assert f'href="/admin/forum/{sk_forum.pk}/berkas-sk/"' in page.text
    assert "/media/" not in page.text and "Budi" not in page.text
    # a replaced SK gets a new random name; only PDF and pictures are accepted
    data = {"name": sk_forum.name, "sk_number": "1/2026", "sk_date": "2026-01-05", "sk_issuer": "Lurah",
            "sk_valid_until": ""}
    refused = client.post(f"/admin/forum/edit/{sk_forum.pk}/",
                          {**data, "sk_file": SimpleUploadedFile("sk.html", b"<script>1</script>", "text/html")})
    assert refused.status_code == 200 and "bukan PDF, JPG, atau PNG" in refused.text
    old_name = Forum.objects.get(pk=sk_forum.pk).sk_file.name
    saved = client.post(f"/admin/forum/edit/{sk_forum.pk}/",
                        {**data, "sk_file": SimpleUploadedFile("SK baru.pdf", SK, "application/pdf")})
    assert saved.status_code == 302
    new_name = Forum.objects.get(pk=sk_forum.pk).sk_file.name
    assert new_name != old_name and re.fullmatch(r"sk/[0-9a-f]{32}\.pdf", new_name)


@pytest.fixture
def roles(db):
    from io import StringIO

    from django.core.management import call_command

    call_command("setup_roles", stdout=StringIO())


@pytest.fixture
def paper_decision(applicant, fasilitator):
    _member, request, _token = applicant
    services.record_paper_consent(request=request, decision="granted", guardian_name="Ibu Wali", actor=fasilitator,
                                  scan=SimpleUploadedFile("Formulir Putri.pdf", b"%PDF-1.4 signed", "application/pdf"))
    return ConsentDecision.objects.get(request=request)


def test_a_consent_scan_is_for_the_childs_forum_staff_only(client, paper_decision, fasilitator, other_fasilitator):
    url = f"/admin/persetujuan/keputusan/{paper_decision.pk}/pindaian/"
    detail = signed_in(client, fasilitator).get(f"/admin/anggota/{paper_decision.request.member_id}/")
    assert f'href="{url}"' in detail.text
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 signed"
    assert response["Content-Disposition"] == f'attachment; filename="persetujuan-{paper_decision.request_id}.pdf"'
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    entry = AuditEntry.objects.get(action="consent.scan_viewed")
    assert entry.actor == fasilitator and entry.data == {"member": paper_decision.request.member_id}
    assert signed_in(client, other_fasilitator).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    assert AuditEntry.objects.filter(action="consent.scan_viewed").count() == 1
