"""Each member's stored latest membership consent decision (``Member.membership_consent`` and
``membership_consent_at``, read by the KLA report) always equals the one derived from the decision
records, after every service that appends a decision, and after the ones that do not."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from forumanak.membership import services
from forumanak.membership.models import ConsentDecision, ConsentRequest, Member

from .conftest import apply, grant

pytestmark = pytest.mark.django_db(transaction=True)

RANK = {"granted": 0, "withdrawn": 1, "refused": 2}  # at the same instant a grant wins, then a withdrawal


def derived():
    """Per member, (decision, time) of the latest membership decision, from the records, in Python."""
    latest = {}
    for member_id, decision, at in ConsentDecision.objects.filter(request__purpose="membership").values_list(
        "request__member_id", "decision", "decided_at"
    ):
        key = (at, -RANK[decision])
        if member_id not in latest or key > latest[member_id][0]:
            latest[member_id] = (key, (decision, at))
    return {pk: latest[pk][1] if pk in latest else ("", None) for pk in Member.objects.values_list("pk", flat=True)}


def stored():
    return {pk: (decision, at) for pk, decision, at in
            Member.objects.values_list("pk", "membership_consent", "membership_consent_at")}


def assert_in_step():
    assert stored() == derived()


def test_every_decision_path_keeps_the_stored_state_in_step(city, consent_texts, pembina, fasilitator):
    granted, granted_request, token = apply(city, username="setuju")
    assert_in_step()
    grant(token, granted)  # the emailed link
    assert Member.objects.get(pk=granted.pk).membership_consent == "granted"
    assert_in_step()
    services.approve_member(member=granted, actor=pembina)
    assert_in_step()
    services.withdraw_consent(request=granted_request, actor=None)  # the guardian portal; erasure follows
    row = Member.objects.get(pk=granted.pk)
    assert row.membership_consent == "withdrawn" and row.erased_at is not None
    assert_in_step()

    refused, _request, token = apply(city, username="tolak", guardian_email="ayah.tolak@example.test")
    grant(token, refused, decision="refused")
    assert Member.objects.get(pk=refused.pk).membership_consent == "refused"
    assert_in_step()

    paper, paper_request, _token = apply(city, username="kertas", guardian_email="ibu.kertas@example.test")
    services.record_paper_consent(request=paper_request, decision="granted", guardian_name="Ibu Kertas", actor=fasilitator,
                                  scan=SimpleUploadedFile("form.pdf", b"%PDF-1.4 test", content_type="application/pdf"))
    assert Member.objects.get(pk=paper.pk).membership_consent == "granted"
    assert_in_step()

    # expiry and a new request: no decision, nothing changes; the answer to the new request counts
    late, late_request, _token = apply(city, username="telat", guardian_email="ibu.telat@example.test")
    ConsentRequest.objects.filter(pk=late_request.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert services.notify_expired_consents() == 1
    assert Member.objects.get(pk=late.pk).membership_consent == ""
    assert_in_step()
    _new_request, new_token = services.resend_consent(member=late, actor=fasilitator)
    grant(new_token, late)
    assert Member.objects.get(pk=late.pk).membership_consent == "granted"
    assert_in_step()

    # erasure (run by the task after the withdrawal and the refusal) kept the state and the decisions
    assert Member.objects.filter(pk__in=[granted.pk, refused.pk], erased_at__isnull=False).count() == 2
    assert_in_step()
    assert services.refresh_membership_consent() == Member.objects.count()
    assert_in_step()


def test_an_older_or_outranked_decision_does_not_replace_the_stored_one(active_member):
    member, request = active_member
    at = Member.objects.get(pk=member.pk).membership_consent_at
    services.note_membership_decision(member, decision="refused", decided_at=at - timedelta(days=1))
    services.note_membership_decision(member, decision="withdrawn", decided_at=at)  # same instant: the grant wins
    assert Member.objects.values_list("membership_consent", "membership_consent_at").get(pk=member.pk) == ("granted", at)
    services.note_membership_decision(member, decision="withdrawn", decided_at=at + timedelta(seconds=1))
    assert Member.objects.values_list("membership_consent", flat=True).get(pk=member.pk) == "withdrawn"


def test_the_demo_keeps_the_stored_state_in_step(city, consent_texts):
    call_command("seed_demo", stdout=StringIO())
    assert Member.objects.filter(membership_consent="granted").exists()
    assert Member.objects.filter(membership_consent="withdrawn").exists()
    assert_in_step()
