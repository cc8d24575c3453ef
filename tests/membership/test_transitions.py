"""Every member state change goes through a named transition; illegal ones are refused."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from forumanak.core.models import AuditEntry
from forumanak.membership import services
from forumanak.membership.models import Member

from .conftest import apply, grant

pytestmark = pytest.mark.django_db(transaction=True)
S = Member.Status


def member_in(status, city, pembina):
    member, request, token = apply(city, username=f"m-{status}")
    if status == S.AWAITING_CONSENT:
        return member
    grant(token, member)
    if status == S.PENDING_REVIEW:
        return member.__class__.objects.get(pk=member.pk)
    if status == S.REJECTED:
        return services.reject_member(member=member, actor=pembina, reason="contoh")
    services.approve_member(member=member, actor=pembina)
    if status == S.SUSPENDED:
        services.suspend_member(member=member, actor=pembina, reason="contoh")
    if status == S.WITHDRAWN:
        services.withdraw_consent(request=request, actor=None)
    if status == S.ALUMNI:
        Member.objects.filter(pk=member.pk).update(date_of_birth=member.date_of_birth.replace(year=member.date_of_birth.year - 6))
        services.age_out_members()
    return Member.objects.get(pk=member.pk)


@pytest.mark.parametrize("status", [s for s in S if s != S.APPLIED])
def test_each_state_is_reached_through_services(status, city, consent_texts, pembina):
    assert member_in(status, city, pembina).status == status


LEGAL = {name: allowed for name, (allowed, _to) in services.TRANSITIONS.items()}


@pytest.mark.parametrize("name", sorted(services.TRANSITIONS))
@pytest.mark.parametrize("status", [S.AWAITING_CONSENT, S.PENDING_REVIEW, S.ACTIVE, S.SUSPENDED, S.REJECTED, S.WITHDRAWN, S.ALUMNI])
def test_transition_matrix(name, status, city, consent_texts, pembina):
    member = member_in(status, city, pembina)
    before = AuditEntry.objects.filter(action=f"member.{name}").count()
    if status in LEGAL[name]:
        extra = {"member_number": f"X-{member.pk}"} if name == "approve" else {}
        services.transition(member, name, actor=pembina, **extra)
        assert Member.objects.get(pk=member.pk).status == services.TRANSITIONS[name][1]
        assert AuditEntry.objects.filter(action=f"member.{name}").count() == before + 1
    else:
        with pytest.raises(services.TransitionError):
            services.transition(member, name, actor=pembina)
        assert Member.objects.get(pk=member.pk).status == status
        assert AuditEntry.objects.filter(action=f"member.{name}").count() == before


def test_approval_gives_a_member_number_and_tells_child_and_guardian(city, consent_texts, pembina):
    member, _request, token = apply(city, username="nomor")
    grant(token, member)
    mail.outbox.clear()
    services.approve_member(member=member, actor=pembina)
    member.refresh_from_db()
    assert member.status == S.ACTIVE and member.member_number == f"FA-6471-{member.pk:06d}"
    assert [m.to for m in mail.outbox] == [["ibu.putri@example.test"]]  # the child has no email; the guardian does


def test_reject_needs_a_reason(city, consent_texts, pembina):
    member, _request, token = apply(city, username="alasan")
    grant(token, member)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.reject_member(member=member, actor=pembina, reason="  ")
    assert Member.objects.get(pk=member.pk).status == S.PENDING_REVIEW


def test_active_member_must_have_a_number_in_the_database(city, consent_texts):
    member, _r, _t = apply(city, username="tanpanomor")
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=member.pk).update(status=S.ACTIVE, member_number=None)


def test_members_turning_18_become_alumni_and_are_told(active_member):
    member, _request = active_member
    assert services.age_out_members() == 0
    Member.objects.filter(pk=member.pk).update(date_of_birth=member.date_of_birth.replace(year=member.date_of_birth.year - 5))
    mail.outbox.clear()
    assert services.age_out_members() == 1
    assert Member.objects.get(pk=member.pk).status == S.ALUMNI
    assert any("alumni" in m.subject for m in mail.outbox)
    assert services.age_out_members() == 0
