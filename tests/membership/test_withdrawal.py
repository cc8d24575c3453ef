"""Withdrawing membership consent ends the membership and erases the child's personal data."""

import json

import pytest
from django.contrib.auth import get_user_model

from forumanak.core.models import AuditEntry, OutboundEmail
from forumanak.membership import services
from forumanak.membership.models import ConsentDecision, Guardian, GuardianLink, Member

from .conftest import apply, grant

pytestmark = pytest.mark.django_db(transaction=True)


def test_withdrawal_erases_personal_data_and_keeps_anonymous_statistics(client, active_member):
    member, request = active_member
    guardian_user = Guardian.objects.get().user
    user_id = member.user_id
    client.force_login(guardian_user)
    confirm = client.post(f"/wali/persetujuan/{request.pk}/tarik/")
    assert confirm.status_code == 200 and "Tarik persetujuan?" in confirm.text
    response = client.post(f"/wali/persetujuan/{request.pk}/tarik/", {"confirm": "yes"})
    assert response.status_code == 302
    row = Member.objects.values().get(pk=member.pk)
    # erased (the erase task ran after commit, synchronously in tests)
    assert row["full_name"] == "" and row["display_name"] == "" and row["date_of_birth"] is None
    assert row["school"] == "" and row["kelurahan_id"] is None and row["user_id"] is None
    assert row["erased_at"] is not None and row["status"] == "withdrawn"
    # what stays is coarse and anonymous
    assert row["gender"] == "P" and row["kecamatan_id"] == "64.71.01" and row["birth_year"] == member.birth_year
    assert not get_user_model().objects.filter(pk=user_id).exists()
    assert not GuardianLink.objects.filter(member_id=member.pk).exists()
    assert not Guardian.objects.exists()  # no other child: the guardian's contact details went too
    assert not any("ibu.putri@example.test" in e.to for e in OutboundEmail.objects.filter(status="sent"))
    # the consent record stays as proof, appended
    assert list(ConsentDecision.objects.filter(request=request).values_list("decision", flat=True)) == ["granted", "withdrawn"]
    actions = list(AuditEntry.objects.filter(object_id__in=[str(member.pk), str(request.pk)]).values_list("action", flat=True))
    assert {"consent.withdrawn", "member.withdraw", "member.erase"} <= set(actions)


def test_erasure_is_idempotent_and_only_for_ended_memberships(active_member):
    member, request = active_member
    with pytest.raises(services.TransitionError):
        services.erase_member_data(member_id=member.pk)
    services.withdraw_consent(request=request, actor=None)
    assert services.erase_member_data(member_id=member.pk) is False  # already done by the task
    assert services.erase_overdue() == 0


def test_guardian_with_two_children_keeps_the_other(city, consent_texts, pembina):
    a, ra, ta = apply(city, username="kakak")
    b, rb, tb = apply(city, username="adik")
    grant(ta, a)
    grant(tb, b)
    services.withdraw_consent(request=ra, actor=None)
    assert Guardian.objects.count() == 1
    assert GuardianLink.objects.get().member_id == b.pk


def test_data_download_holds_everything_about_the_child_and_nothing_about_others(client, active_member, city, consent_texts):
    member, _request = active_member
    other, _r, other_token = apply(city, username="lain", guardian_email="ayah.lain@example.test")
    grant(other_token, other)
    client.force_login(member.user)
    response = client.get("/anggota/saya/data.json")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    profile = data["profil"]
    assert profile["nama_lengkap"] == member.full_name and profile["nama_panggilan"] == member.display_name
    assert profile["tanggal_lahir"] == member.date_of_birth.isoformat()
    assert profile["kelurahan"] == "Manggar" and profile["sekolah_atau_kelompok"] == "SMPN 1"
    assert profile["nomor_anggota"] == member.member_number
    assert data["akun"]["nama_pengguna"] == member.user.username
    assert [c["tujuan"] for c in data["persetujuan"]] == ["membership"]
    assert AuditEntry.objects.filter(action="member.export", object_id=str(member.pk), actor=member.user).exists()
    assert data["persetujuan"][0]["keputusan"][0]["keputusan"] == "granted"
    text = response.content.decode()
    # nothing about anyone else: not the other child, not the guardian's contact details or IP address
    for foreign in ["Lain", "ayah.lain", "ibu.putri@example.test", "10.0.0.1", "0812", "Wali aktif"]:
        assert foreign not in text, foreign


def test_only_the_child_downloads_their_data(client, active_member):
    client.logout()
    assert client.get("/anggota/saya/data.json").status_code == 302  # to login


def test_board_listing_shows_display_names_only_with_public_consent(client, city, consent_texts, pembina):
    from datetime import date

    from forumanak.membership.models import BoardPosition, BoardTerm

    bima, rb, tb = apply(city, username="bima", guardian_email="wali.bima@example.test")
    citra, rc, tc = apply(city, username="citra", guardian_email="wali.citra@example.test")
    for member, token in ((bima, tb), (citra, tc)):
        grant(token, member)
        services.approve_member(member=member, actor=pembina)
    forum = city["forums"]["64.71.01.1001"]
    term = BoardTerm.objects.create(forum=forum, name="2026–2027", start_date=date(2026, 1, 1), end_date=date(2027, 12, 31))
    BoardPosition.objects.create(term=term, member=bima, role="ketua", start_date=term.start_date, end_date=term.end_date)
    BoardPosition.objects.create(term=term, member=citra, role="sekretaris", start_date=term.start_date, end_date=term.end_date)
    _r, public = services.request_consent(member=bima, guardian=rb.guardian, purpose="publication", actor=None,
                                          details={"level": "public"})
    grant(public, bima, purpose="publication")
    _r, internal = services.request_consent(member=citra, guardian=rc.guardian, purpose="publication", actor=None,
                                            details={"level": "internal"})
    grant(internal, citra, purpose="publication")

    html = client.get(f"/forum/{forum.slug}/pengurus/").text
    assert "Ketua" in html and "Sekretaris" in html
    assert "Bima" in html  # public consent: the display name
    assert "Citra" not in html and html.count("(nama tidak ditampilkan)") == 1  # internal only: hidden
    assert "Bima Lengkap" not in html  # never the full name
    # withdrawing publication consent hides the name again
    pub_request = ConsentDecision.objects.filter(request__member=bima, request__purpose="publication").get().request
    services.withdraw_consent(request=pub_request, actor=None)
    html = client.get(f"/forum/{forum.slug}/pengurus/").text
    assert "Bima" not in html and html.count("(nama tidak ditampilkan)") == 2


def test_withdrawal_signs_the_child_out_at_once_even_if_the_erase_task_is_lost(client, active_member, monkeypatch):
    """Issue 25, §5: the erasure may wait for the hourly sweep (a lost task); the child's session
    and data download must not."""
    from django.contrib.sessions.models import Session

    member, request = active_member
    client.force_login(member.user)
    session_key = client.session.session_key
    assert client.get("/anggota/saya/data.json").status_code == 200
    monkeypatch.setattr(services, "enqueue_on_commit", lambda *args, **kwargs: None)  # the broker loses the task
    services.withdraw_consent(request=request, actor=None)
    assert Member.objects.get(pk=member.pk).erased_at is None  # not erased yet
    assert not Session.objects.filter(session_key=session_key).exists()
    download = client.get("/anggota/saya/data.json")
    assert download.status_code == 302 and "/akun/login/" in download["Location"]
    user = get_user_model().objects.get(pk=member.user_id)
    assert not user.is_active and not user.has_usable_password()
    # the sweep erases it later
    from datetime import timedelta

    from django.utils import timezone

    Member.objects.filter(pk=member.pk).update(status_changed_at=timezone.now() - timedelta(hours=2))
    assert services.erase_overdue() == 1
    assert Member.objects.get(pk=member.pk).erased_at is not None
