"""The consent engine: single-use, expiring, purpose-bound links; provable, append-only decisions."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from forumanak.core.models import AuditEntry
from forumanak.membership import services
from forumanak.membership.models import ConsentDecision, ConsentRequest, Member

from .conftest import apply, grant

pytestmark = pytest.mark.django_db(transaction=True)


def post_decision(client, token, member, *, purpose="membership", dob=None, decision="granted"):
    return client.post(f"/persetujuan/{token}/", {
        "purpose": purpose, "decision": decision, "guardian_name": "Ratna Sari",
        "date_of_birth": (dob or member.date_of_birth).isoformat(),
    }, HTTP_USER_AGENT="Mozilla/5.0 (Android) pytest")


def test_application_sends_one_consent_email_and_stores_only_a_hash(applicant):
    member, request, token = applicant
    assert member.status == Member.Status.AWAITING_CONSENT
    assert request.token_hash == ConsentRequest.hash_token(token) and token not in request.token_hash
    assert not ConsentRequest.objects.filter(token_hash=token).exists()
    [email] = mail.outbox
    assert email.to == ["ibu.putri@example.test"]
    assert f"/persetujuan/{token}/" in email.body
    assert "Putri" in email.body and "data keanggotaan" in email.body


def test_guardian_agrees_from_the_link(client, applicant):
    member, request, token = applicant
    page = client.get(f"/persetujuan/{token}/")
    assert page.status_code == 200
    assert request.text.title in page.text and "Putri" in page.text
    response = post_decision(client, token, member)
    assert response.status_code == 200 and "jawaban Anda sudah dicatat" in response.text
    decision = ConsentDecision.objects.get()
    assert decision.decision == "granted" and decision.method == "link"
    assert decision.text_hash == request.text.text_hash == request.text.compute_hash(request.text.title, request.text.summary, request.text.body)
    assert decision.ip_address == "127.0.0.1" and "Android" in decision.user_agent
    assert decision.guardian_name_typed == "Ratna Sari"
    member.refresh_from_db()
    assert member.status == Member.Status.PENDING_REVIEW
    assert AuditEntry.objects.filter(action="consent.granted", object_id=str(request.pk)).exists()
    receipt = mail.outbox[-1]
    assert receipt.subject.startswith("Tanda terima persetujuan") and "/wali/" in receipt.body
    # the guardian now has a verified account for the portal (login by emailed code)
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.get(email="ibu.putri@example.test").verified


def _snapshot(member):
    member.refresh_from_db()
    return (member.status, ConsentDecision.objects.count(), AuditEntry.objects.filter(action__startswith="consent.g").count())


def test_altered_token_changes_nothing(client, applicant):
    member, _request, token = applicant
    before = _snapshot(member)
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/persetujuan/{altered}/").status_code == 404
    response = post_decision(client, altered, member)
    assert response.status_code == 404 and "tidak dikenal" in response.text
    assert _snapshot(member) == before


def test_expired_token_changes_nothing(client, applicant):
    member, request, token = applicant
    ConsentRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    before = _snapshot(member)
    response = post_decision(client, token, member)
    assert response.status_code == 410 and "kedaluwarsa" in response.text
    assert _snapshot(member) == before


def test_used_token_changes_nothing(client, applicant):
    member, _request, token = applicant
    post_decision(client, token, member, decision="granted")
    before = _snapshot(member)
    response = post_decision(client, token, member, decision="refused")
    assert response.status_code == 410 and "sudah dijawab" in response.text
    assert _snapshot(member) == before
    assert ConsentDecision.objects.get().decision == "granted"


def test_another_purposes_token_changes_nothing(client, active_member):
    member, membership_request = active_member
    guardian = membership_request.guardian
    _pub, pub_token = services.request_consent(member=member, guardian=guardian, purpose="publication", actor=None,
                                               details={"level": "public"})
    before = _snapshot(member)
    # the publication link posted as if it were the membership decision
    response = post_decision(client, pub_token, member, purpose="membership", decision="refused")
    assert response.status_code == 400
    assert _snapshot(member) == before
    assert member.status == Member.Status.ACTIVE


def test_three_wrong_birth_dates_lock_the_link(client, applicant):
    member, request, token = applicant
    wrong = member.date_of_birth - timedelta(days=400)
    first = post_decision(client, token, member, dob=wrong)
    assert first.status_code == 200 and "Sisa percobaan: 2" in first.text
    post_decision(client, token, member, dob=wrong)
    third = post_decision(client, token, member, dob=wrong)
    assert third.status_code == 403 and "dikunci" in third.text
    # now even the right date is refused
    right = post_decision(client, token, member)
    assert right.status_code == 403
    request.refresh_from_db()
    assert request.locked_at is not None and request.failed_attempts == 3
    assert ConsentDecision.objects.count() == 0
    member.refresh_from_db()
    assert member.status == Member.Status.AWAITING_CONSENT
    assert AuditEntry.objects.filter(action="consent.wrong_birth_date").count() == 3


def test_birth_date_guesses_are_limited_per_client_across_links(city, consent_texts):
    """Each link locks after three wrong dates; someone holding many links (or guessing for many
    children from one place) is also stopped after ten wrong dates an hour from one address, on
    every link, while a guardian elsewhere is not affected (issue 16 §4)."""
    from django.test import Client

    links = [apply(city, username=f"anak{n}", guardian_email=f"wali{n}@example.test") for n in range(5)]
    guesser = Client(REMOTE_ADDR="198.51.100.7")
    wrong_guesses = 0
    for member, _request, token in links[:4]:
        for _ in range(3):
            response = post_decision(guesser, token, member, dob=member.date_of_birth - timedelta(days=400))
            wrong_guesses += response.status_code in (200, 403)
    assert wrong_guesses == 12 - 2  # the eleventh and twelfth were refused before they were checked
    member, request, token = links[4]
    refused = post_decision(guesser, token, member)  # even the right date, from this address, for now
    assert refused.status_code == 429 and "Terlalu banyak percobaan" in refused.text
    request.refresh_from_db()
    assert request.failed_attempts == 0 and not ConsentDecision.objects.filter(request=request).exists()
    elsewhere = Client(REMOTE_ADDR="203.0.113.20")  # the real guardian, at home
    assert post_decision(elsewhere, token, member).status_code == 200
    assert ConsentDecision.objects.filter(request=request, decision="granted").exists()


def test_refusal_ends_the_application_and_erases_the_childs_data(client, applicant):
    member, _request, token = applicant
    post_decision(client, token, member, decision="refused")
    member.refresh_from_db()
    assert member.status == Member.Status.WITHDRAWN and member.status_reason == "consent_refused"
    assert member.erased_at is not None and member.full_name == "" and member.date_of_birth is None


def test_decisions_are_append_only_in_the_database(applicant):
    member, _request, token = applicant
    grant(token, member)
    decision = ConsentDecision.objects.get()
    with pytest.raises(ValueError):
        decision.save()
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        ConsentDecision.objects.filter(pk=decision.pk).update(decision="refused")
    assert ConsentDecision.objects.get().decision == "granted"


def test_a_second_answer_is_refused_by_the_database(applicant):
    member, request, token = applicant
    grant(token, member)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentDecision.objects.create(request=request, decision="refused", method="link", text=request.text,
                                       text_hash=request.text.text_hash)


def test_reminder_after_48_hours_once_and_both_links_work(applicant):
    member, request, token = applicant
    assert services.send_consent_reminders() == 0  # too early
    ConsentRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - timedelta(hours=49))
    assert services.send_consent_reminders() == 1
    assert services.send_consent_reminders() == 0  # only once
    reminder = mail.outbox[-1]
    assert reminder.subject.startswith("Pengingat")
    import re

    new_token = re.search(r"/persetujuan/([^/\s]+)/", reminder.body).group(1)
    assert new_token != token
    assert services.find_request(new_token).pk == services.find_request(token).pk == request.pk
    grant(new_token, member)
    with pytest.raises(services.LinkProblem):  # the first link is now used too
        grant(token, member)


def test_expiry_notice_once(applicant):
    member, request, _token = applicant
    ConsentRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert services.notify_expired_consents() == 1
    assert services.notify_expired_consents() == 0
    assert mail.outbox[-1].subject.endswith("sudah kedaluwarsa")
    assert AuditEntry.objects.filter(action="consent.expired").count() == 1


def test_emails_go_out_in_the_guardians_language(city, consent_texts):
    member, request, token = apply(city, username="budi", guardian_email="parent@example.test", guardian_language="en")
    email = mail.outbox[-1]
    assert email.subject == "Consent request from Forum Anak"  # no child's name in a subject (issue 25)
    assert "Budi" in email.body
    assert request.text.language == "en" and "Consent for Forum Anak membership data" == request.text.title


def test_paper_consent_is_recorded_with_the_staff_member(applicant, fasilitator, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    member, request, _token = applicant
    services.record_paper_consent(request=request, decision="granted",
                                  scan=SimpleUploadedFile("form.pdf", b"%PDF-1.4 scan"), guardian_name="Ibu Wali",
                                  actor=fasilitator)
    decision = ConsentDecision.objects.get()
    assert decision.method == "paper" and decision.recorded_by == fasilitator and decision.paper_scan.name
    # the signed form is stored outside MEDIA_ROOT, under a random name, and has no public URL
    import re

    from django.conf import settings

    path = decision.paper_scan.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT)) and not path.startswith(str(settings.MEDIA_ROOT))
    assert re.fullmatch(r"persetujuan/[0-9a-f]{32}\.pdf", decision.paper_scan.name)
    with pytest.raises(NotImplementedError):
        _ = decision.paper_scan.url
    entry = AuditEntry.objects.get(action="consent.granted")
    assert entry.actor == fasilitator and entry.data["method"] == "paper"
    member.refresh_from_db()
    assert member.status == Member.Status.PENDING_REVIEW


def test_shown_text_cannot_change(applicant):
    _member, request, _token = applicant
    text = request.text
    text.body += " tambahan"
    with pytest.raises(ValueError):
        text.save()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):  # what the admin form shows instead of an error page
        text.full_clean()
