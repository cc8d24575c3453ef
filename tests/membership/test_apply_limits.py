"""The application form as an attacker uses it (issue 25, §4): a flood of applications must not
turn the city's sender into a mailer for anyone, and no typed text reaches a subject line."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import translation

from forumanak.core.models import AuditEntry, OutboundEmail
from forumanak.membership.models import ConsentRequest, Member

from .conftest import dob_for_age
from .test_apply import form_data

pytestmark = pytest.mark.django_db(transaction=True)

GUARDIAN = "korban@example.test"


def consent_mails(to=None):
    """Consent requests that actually went out (the outbox), and those queued (OutboundEmail)."""
    sent = [m for m in mail.outbox if "persetujuan" in m.subject.lower() and (to is None or m.to == [to])]
    queued = OutboundEmail.objects.filter(template="membership/consent_request")
    if to is not None:
        queued = [e for e in queued if e.to == [to]]
    return sent, list(queued)


def flood(client, n, *, guardian=lambda i: GUARDIAN, ip=lambda i: "198.51.100.7", forwarded_for=None):
    """``n`` applications, each from a fresh browser (a child without email is signed in after applying)."""
    responses = []
    for i in range(n):
        data = form_data(username=f"anak-{i}", guardian_email=guardian(i), full_name="Putri Ayu", display_name="Putri")
        meta = {"REMOTE_ADDR": ip(i)}
        if forwarded_for:
            meta["HTTP_X_FORWARDED_FOR"] = forwarded_for(i)
        responses.append(client.post("/anggota/daftar/", data, **meta))
        client.logout()
    return responses


def test_twelve_applications_for_one_guardian_from_one_phone(client, city, consent_texts):
    responses = flood(client, 12)
    sent, queued = consent_mails(GUARDIAN)
    assert len(sent) == len(queued) == 3  # at most 3 consent emails per guardian address per 24 hours
    # the address is not mailed again and again: it is flagged for staff (see below), and after the
    # per-IP limit (6 a minute) the form refuses, keeping what the child typed
    refused = [r for r in responses if r.status_code == 429]
    assert len(refused) == 6
    for r in refused:
        assert "Terlalu banyak pendaftaran dari jaringan ini" in r.text
        assert 'value="Putri Ayu"' in r.text and 'value="korban@example.test"' in r.text
    assert Member.objects.count() == 6


def test_one_guardian_from_many_addresses(client, city, consent_texts):
    """Changing IP does not get past the per-guardian limit."""
    responses = flood(client, 12, ip=lambda i: f"203.0.113.{i + 1}")
    assert all(r.status_code == 302 for r in responses)
    sent, queued = consent_mails(GUARDIAN)
    assert len(sent) == len(queued) == 3
    # the applications are kept (awaiting consent), the surplus consent requests are held, unsent
    assert Member.objects.filter(status="awaiting_consent").count() == 12
    held = ConsentRequest.objects.filter(held_at__isnull=False)
    assert held.count() == 9
    assert AuditEntry.objects.filter(action="consent.held").count() == 9
    # reminders and expiry notices do not mail a held request either
    from datetime import timedelta

    from django.utils import timezone

    from forumanak.membership import services

    mail.outbox.clear()
    assert services.send_consent_reminders(now=timezone.now() + timedelta(hours=49)) == 3
    assert services.notify_expired_consents(now=timezone.now() + timedelta(days=8)) == 3
    assert len([m for m in mail.outbox if m.to == [GUARDIAN]]) == 6


def test_case_and_spacing_of_the_address_do_not_reset_the_limit(client, city, consent_texts):
    variants = ["korban@example.test", "KORBAN@example.test", "Korban@Example.Test", " korban@example.test "]
    flood(client, 8, guardian=lambda i: variants[i % 4], ip=lambda i: f"203.0.113.{i + 1}")
    assert len(consent_mails()[1]) == 3
    assert len([m for m in mail.outbox if m.to[0].lower() == GUARDIAN]) == 3


def test_many_guardians_from_one_ip(client, city, consent_texts):
    responses = flood(client, 12, guardian=lambda i: f"wali{i}@example.test")
    sent, queued = consent_mails()
    assert len(sent) == len(queued) == 6  # the per-IP limit: 6 a minute
    assert [r.status_code for r in responses].count(429) == 6


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_a_forged_forwarded_for_does_not_get_past_the_limit(client, city, consent_texts):
    """nginx appends the real client address to X-Forwarded-For; what the client wrote to the left
    of it is not believed."""
    responses = flood(client, 12, guardian=lambda i: f"wali{i}@example.test", ip=lambda i: "127.0.0.1",
                      forwarded_for=lambda i: f"10.9.8.{i}, 198.51.100.7")
    assert [r.status_code for r in responses].count(429) == 6
    assert len(consent_mails()[1]) == 6


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_children_on_different_networks_do_not_share_a_limit(client, city, consent_texts):
    responses = flood(client, 12, guardian=lambda i: f"wali{i}@example.test", ip=lambda i: "127.0.0.1",
                      forwarded_for=lambda i: f"198.51.100.{i + 1}")
    assert all(r.status_code == 302 for r in responses)
    assert len(consent_mails()[1]) == 12


def test_held_guardian_is_flagged_in_the_review_queue_of_the_forum_chain(client, city, consent_texts, fasilitator,
                                                                       other_fasilitator):
    from forumanak.membership import services
    from tests.conftest import enable_totp, sign_in_with_second_factor

    flood(client, 5, ip=lambda i: f"203.0.113.{i + 1}")
    enable_totp(fasilitator)
    sign_in_with_second_factor(client, fasilitator)
    queue = client.get("/admin/anggota/tinjau/").text
    assert "korban@example.test" in queue and "Email persetujuan ditahan" in queue
    enable_totp(other_fasilitator)
    sign_in_with_second_factor(client, other_fasilitator)
    assert "korban@example.test" not in client.get("/admin/anggota/tinjau/").text  # another forum chain
    # staff send a held request on purpose: one new email, and the request is no longer held
    held = ConsentRequest.objects.filter(held_at__isnull=False).first()
    mail.outbox.clear()
    services.release_held_consent(request=held, actor=fasilitator)
    assert [m.to for m in mail.outbox] == [[GUARDIAN]]
    held.refresh_from_db()
    assert held.held_at is None
    assert AuditEntry.objects.filter(action="consent.release", actor=fasilitator).count() == 1


# ---- names ----------------------------------------------------------------------------------

BAD_NAMES = [
    "Putri https://hadiah.example/klaim",
    "Menangkan hadiah di bit.ly",
    "Putri 2010",
    "<script>alert(1)</script>",
    "putri@example.test",
    "Klik www.hadiah-gratis.id",
    "Putri\u202eAyu",  # right-to-left override
    "Putri\u200bAyu",  # zero-width space
    "\u0000Putri",
    "Ayu_Putri",
    "Putri: transfer Rp500rb",
    "x" * 101,
    "'-.",
]
GOOD_NAMES = ["Putri Ayu", "Siti Nur'aini", "Muh. Rizky Ramadhan", "I Gusti Ayu Made-Sari", "Dra. Hj. Ratna, M.Pd.",
              "D\u2019Angelo", "José Ñúñez", "Χαρά", "محمد علي", "ꦱꦶꦠꦶ"]


@pytest.mark.parametrize("field", ["full_name", "display_name", "guardian_name"])
@pytest.mark.parametrize("name", BAD_NAMES)
def test_names_with_links_digits_or_markup_are_refused(client, city, consent_texts, field, name):
    response = client.post("/anggota/daftar/", form_data(**{field: name}))
    assert response.status_code == 200
    assert Member.objects.count() == 0 and not mail.outbox and not OutboundEmail.objects.exists()
    assert re.search(r"Nama hanya boleh berisi huruf|terlalu panjang|paling banyak|Nama harus berisi huruf", response.text)


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_real_names_are_accepted(client, city, consent_texts, name):
    data = form_data(full_name=name, guardian_name=name)
    data["display_name"] = name[:30]
    response = client.post("/anggota/daftar/", data)
    assert response.status_code == 302, response.text
    assert Member.objects.get().full_name == name


def test_no_subject_ever_carries_a_typed_name(client, city, consent_texts, pembina):
    from forumanak.membership import services

    from .conftest import grant

    data = form_data(full_name="Namalengkap Unik", display_name="Panggilanunik", guardian_name="Waliunik")
    assert client.post("/anggota/daftar/", data).status_code == 302
    member = Member.objects.get()
    request = ConsentRequest.objects.get()
    token = services.resend_consent(member=member, actor=pembina)[1]
    grant(token, member)
    services.approve_member(member=member, actor=pembina)
    assert len(mail.outbox) >= 4
    for message in mail.outbox:
        for typed in ("Namalengkap", "Panggilanunik", "Waliunik"):
            assert typed not in message.subject, message.subject
    consent = [m for m in mail.outbox if m.to == ["ratna@example.test"]][0]
    assert consent.subject == "Permintaan persetujuan dari Forum Anak"
    assert "Panggilanunik" in consent.body  # the child's name is in the body only
    assert request.member_id == member.pk


SUBJECT_DIR = Path(settings.BASE_DIR) / "templates" / "emails"
# Staff-written labels may appear in a subject; nothing typed on a public form may.
SUBJECT_VARIABLES_ALLOWED = {"event_title", "title", "forum_name", "purpose_label", "site_name"}


@pytest.mark.parametrize("path", sorted(SUBJECT_DIR.rglob("*_subject.txt")), ids=lambda p: str(p.relative_to(SUBJECT_DIR)))
def test_every_subject_template_uses_no_free_text(path):
    source = path.read_text()
    used = set(re.findall(r"{{\s*(\w+)", source)) | {value for _alias, value in re.findall(r"(\w+)=(\w+)", source)}
    assert used <= SUBJECT_VARIABLES_ALLOWED, used - SUBJECT_VARIABLES_ALLOWED
    marker = "TYPED-<b>-NAME"
    context = {k: marker for k in ("child_name", "guardian_name", "name", "display_name", "full_name")}
    for language in ("id", "en"):
        with translation.override(language):
            assert marker not in render_to_string(str(path.relative_to(SUBJECT_DIR.parent)), context)


def test_apply_is_not_broken_by_the_limits_for_a_village_hall(client, city, consent_texts):
    """20 children apply from one Wi-Fi in an afternoon, a few a minute: all get through."""
    import time as _time
    from unittest import mock

    start = _time.time()
    codes = []
    for i in range(20):
        # four children a minute for five minutes, each with their own guardian
        with mock.patch("time.time", return_value=start + i * 15):
            r = client.post("/anggota/daftar/", form_data(username=f"anak-{i}", guardian_email=f"wali{i}@example.test",
                                                           date_of_birth=dob_for_age(12).isoformat()),
                            REMOTE_ADDR="198.51.100.7")
        codes.append(r.status_code)
        client.logout()
    assert codes == [302] * 20
    assert len(consent_mails()[1]) == 20


@pytest.mark.postgres
def test_simultaneous_applications_for_one_guardian_send_three_emails(city, consent_texts):
    """12 applications at the same moment, from 12 addresses: the guardian's row lock makes them
    count in turn, so still 3 emails (and one guardian, not twelve)."""
    import threading

    from django.db import connection
    from django.test import Client

    from forumanak.membership.models import Guardian

    n = 12
    barrier = threading.Barrier(n)
    codes = []

    def post(i):
        try:
            barrier.wait()
            r = Client().post("/anggota/daftar/", form_data(username=f"anak-{i}", guardian_email=GUARDIAN),
                              REMOTE_ADDR=f"203.0.113.{i + 1}")
            codes.append(r.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [302] * n
    assert Guardian.objects.count() == 1
    sent, queued = consent_mails(GUARDIAN)
    assert len(sent) == len(queued) == 3
    assert ConsentRequest.objects.filter(held_at__isnull=False).count() == n - 3
