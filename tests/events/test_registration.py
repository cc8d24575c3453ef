"""Registering: who may register, seats held while consent is pending, the waitlist, promotion,
consent consequences and cancelling."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from events import services
from events.models import Registration
from forumanak.core.models import AuditEntry
from forumanak.membership import services as membership_services
from forumanak.membership.models import ConsentRequest, Member

from .conftest import guardian_decides, make_adult, make_event, make_member

R = Registration.Status
ADULT = services.RegistrationInput(adult_name="Sari Dewasa", date_of_birth=date(1990, 1, 1))

pytestmark = pytest.mark.django_db


def register_child(event, member, **kwargs):
    return services.register(event=event, user=member.user, actor=member.user,
                             data=services.RegistrationInput(**kwargs))


def test_a_child_registration_holds_a_seat_and_asks_the_guardian_once(city, event, django_capture_on_commit_callbacks):
    member = make_member(city, guardian_email="ibu@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        registration = register_child(event, member, photo_level="internal")
    assert registration.status == R.PENDING_CONSENT
    request = ConsentRequest.objects.get(member=member, purpose="event")
    assert registration.consent_request_id == request.pk
    assert request.details == {"registration": registration.pk, "event": event.pk, "event_title": event.title,
                               "event_when": services.event_when(event), "level": "internal"}
    # the link expires at the consent deadline: 72 hours by default
    assert abs((request.expires_at - timezone.now()) - timedelta(hours=72)) < timedelta(minutes=1)
    assert registration.consent_deadline == request.expires_at
    sent = [m for m in mail.outbox if m.to == ["ibu@example.test"]]
    assert len(sent) == 1 and "/persetujuan/" in sent[0].body
    # the guardian reads which event, when, and the photo choice, in both parts of the email
    html = sent[0].alternatives[0][0]
    for part in (sent[0].body, html):
        assert event.title in part and services.event_when(event) in part
        assert "hanya untuk internal forum" in part
    assert AuditEntry.objects.filter(action="registration.create", object_id=str(registration.pk)).exists()


def test_guardian_agrees_then_the_registration_is_confirmed(city, event):
    member = make_member(city)
    registration = register_child(event, member)
    guardian_decides(registration, "granted")
    registration.refresh_from_db()
    assert registration.status == R.CONFIRMED and registration.confirmed_at is not None


def test_guardian_refuses_then_the_seat_goes_to_the_first_on_the_waitlist(city, consent_texts):
    event = make_event(city["forums"]["64.71.01.1001"], capacity=1)
    first, second, third = (make_member(city) for _ in range(3))
    r1 = register_child(event, first)
    r2 = register_child(event, second)
    r3 = register_child(event, third)
    assert [r1.status, r2.status, r3.status] == [R.PENDING_CONSENT, R.WAITLISTED, R.WAITLISTED]
    assert (r2.waitlist_position(), r3.waitlist_position()) == (1, 2)
    guardian_decides(r1, "refused")
    for r in (r1, r2, r3):
        r.refresh_from_db()
    assert r1.status == R.CONSENT_REFUSED
    # promoted to pending consent with a new consent request, never straight to confirmed
    assert r2.status == R.PENDING_CONSENT and r2.promoted_at is not None
    assert r2.consent_request.member_id == second.pk and r2.consent_request.details["registration"] == r2.pk
    assert r3.status == R.WAITLISTED and r3.waitlist_position() == 1


def test_consent_deadline_follows_the_event_setting_but_not_past_the_start(city, consent_texts):
    soon = make_event(city["forums"]["64.71.01.1001"], starts_in=timedelta(hours=10), consent_deadline_hours=72)
    registration = register_child(soon, make_member(city))
    assert abs(registration.consent_deadline - soon.starts_at) < timedelta(seconds=1)
    later = make_event(city["forums"]["64.71.01.1001"], consent_deadline_hours=24)
    registration = register_child(later, make_member(city))
    assert abs((registration.consent_deadline - timezone.now()) - timedelta(hours=24)) < timedelta(minutes=1)


def test_an_adult_registers_for_an_adult_event_without_consent(city, adult_event, django_capture_on_commit_callbacks):
    adult = make_adult(email="ani@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(event=adult_event, user=adult, actor=adult, data=ADULT)
    assert registration.status == R.CONFIRMED
    assert registration.consent_request_id is None and not ConsentRequest.objects.exists()
    assert registration.participant_name == "Sari Dewasa"
    assert any("ani@example.test" in m.to and registration.code in m.body for m in mail.outbox)


def test_an_alumni_registers_for_adult_events(city, adult_event):
    alumni = make_member(city, status=Member.Status.ALUMNI, age=17)
    registration = services.register(event=adult_event, user=alumni.user, actor=alumni.user, data=ADULT)
    assert registration.status == R.CONFIRMED


def test_a_child_member_cannot_register_for_an_adult_event(city, adult_event):
    member = make_member(city)
    with pytest.raises(services.RegistrationRefused) as refused:
        services.register(event=adult_event, user=member.user, actor=member.user, data=ADULT)
    assert refused.value.code == "child_for_adult_event"
    assert "orang dewasa" in refused.value.messages[0]


def test_an_adult_cannot_register_for_a_children_event(city, event):
    adult = make_adult()
    with pytest.raises(services.RegistrationRefused) as refused:
        services.register(event=event, user=adult, actor=adult)
    assert refused.value.code == "not_a_member"


def test_someone_under_18_cannot_use_an_adult_event_to_skip_consent(city, adult_event):
    teen = make_adult()
    with pytest.raises(services.RegistrationRefused) as refused:
        services.register(event=adult_event, user=teen, actor=teen, data=services.RegistrationInput(
            adult_name="Remaja", date_of_birth=timezone.localdate().replace(year=timezone.localdate().year - 16)))
    assert refused.value.code == "under_18"
    assert not Registration.objects.exists()


def test_only_active_members_register_for_childrens_events(city, event):
    member = make_member(city, status=Member.Status.PENDING_REVIEW)
    with pytest.raises(services.RegistrationRefused) as refused:
        register_child(event, member)
    assert refused.value.code == "member_not_active"


def test_age_range_is_checked_on_the_event_date(city, consent_texts):
    forum = city["forums"]["64.71.01.1001"]
    event = make_event(forum, starts_in=timedelta(days=60), min_age=13, max_age=15)
    # 12 today, 13 on the event date: may register
    event_day = timezone.localtime(event.starts_at).date()
    member = make_member(city, age=13)
    Member.objects.filter(pk=member.pk).update(date_of_birth=event_day.replace(year=event_day.year - 13) - timedelta(days=1))
    member.refresh_from_db()
    assert member.age_on() == 12
    assert register_child(event, member).status == R.PENDING_CONSENT
    # 15 today, 16 on the event date: too old
    older = make_member(city, age=15)
    Member.objects.filter(pk=older.pk).update(date_of_birth=event_day.replace(year=event_day.year - 16) - timedelta(days=1))
    older.refresh_from_db()
    with pytest.raises(services.RegistrationRefused) as refused:
        register_child(event, older)
    assert refused.value.code == "too_old"


def test_registration_window(city, consent_texts):
    forum = city["forums"]["64.71.01.1001"]
    now = timezone.now()
    not_yet = make_event(forum, registration_opens_at=now + timedelta(days=1))
    closed = make_event(forum, registration_closes_at=now - timedelta(hours=1),
                        registration_opens_at=now - timedelta(days=3))
    member = make_member(city)
    for event, code in [(not_yet, "not_open_yet"), (closed, "closed")]:
        with pytest.raises(services.RegistrationRefused) as refused:
            register_child(event, member)
        assert refused.value.code == code


def test_registering_twice_is_refused_by_the_database(city, event):
    """No check in Python before the insert: the one-active-registration constraint refuses the
    second registration (a double submission, a second tab), and nothing of it stays."""
    member = make_member(city)
    register_child(event, member)
    audits = AuditEntry.objects.count()
    with pytest.raises(services.RegistrationRefused) as refused:
        register_child(event, member)
    assert refused.value.code == "already_registered"
    assert Registration.objects.filter(event=event).count() == 1
    assert ConsentRequest.objects.filter(member=member).count() == 1
    assert AuditEntry.objects.count() == audits


def test_photo_level_cannot_exceed_what_the_event_asks(city, consent_texts):
    event = make_event(city["forums"]["64.71.01.1001"], photo_level="internal")
    with pytest.raises(services.RegistrationRefused):
        register_child(event, make_member(city), photo_level="public")


def test_required_questions_must_be_answered_and_answers_are_stored(city, consent_texts):
    event = make_event(city["forums"]["64.71.01.1001"], questions=[("Butuh kursi roda?", 30)])
    question = event.questions.get()
    question.required = True
    question.save()
    member = make_member(city)
    with pytest.raises(services.RegistrationRefused):
        register_child(event, member)
    registration = register_child(event, member, answers={question.pk: "ya"})
    answer = registration.answers.get()
    assert answer.value == "ya" and answer.delete_after == event.ends_at + timedelta(days=30)


def test_cancelling_releases_the_seat_to_the_waitlist_in_order(city, adult_event, django_capture_on_commit_callbacks):
    adult_event.capacity = 2
    adult_event.save()
    people = [make_adult(email=f"orang{i}@example.test") for i in range(5)]
    regs = [services.register(event=adult_event, user=p, actor=p, data=ADULT) for p in people]
    assert [r.status for r in regs] == [R.CONFIRMED, R.CONFIRMED, R.WAITLISTED, R.WAITLISTED, R.WAITLISTED]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=regs[1], actor=people[1])
    for r in regs:
        r.refresh_from_db()
    assert [r.status for r in regs] == [R.CONFIRMED, R.CANCELLED, R.CONFIRMED, R.WAITLISTED, R.WAITLISTED]
    assert [m.to for m in mail.outbox] == [["orang2@example.test"]]  # the promoted person is told
    assert regs[4].waitlist_position() == 2
    # a waitlisted person who cancels frees nothing
    services.cancel_registration(registration=regs[3], actor=people[3])
    regs[4].refresh_from_db()
    assert regs[4].status == R.WAITLISTED and regs[4].waitlist_position() == 1


def test_a_cancelled_registration_cannot_be_cancelled_again(city, adult_event):
    adult = make_adult()
    registration = services.register(event=adult_event, user=adult, actor=adult, data=ADULT)
    services.cancel_registration(registration=registration, actor=adult)
    with pytest.raises(services.TransitionError):
        services.cancel_registration(registration=registration, actor=adult)


def test_guardian_withdrawing_event_consent_cancels_and_promotes(city, consent_texts):
    event = make_event(city["forums"]["64.71.01.1001"], capacity=1)
    first, second = make_member(city), make_member(city)
    r1 = register_child(event, first)
    r2 = register_child(event, second)
    guardian_decides(r1, "granted")
    r1.refresh_from_db()
    membership_services.withdraw_consent(request=r1.consent_request, actor=None)
    r1.refresh_from_db()
    r2.refresh_from_db()
    assert r1.status == R.CANCELLED and r1.status_reason == "consent_withdrawn"
    assert r2.status == R.PENDING_CONSENT


def test_an_older_consent_request_does_not_decide_a_newer_registration(city, consent_texts):
    event = make_event(city["forums"]["64.71.01.1001"])
    member = make_member(city)
    registration = register_child(event, member)
    old_request = registration.consent_request
    services.cancel_registration(registration=registration, actor=member.user)
    again = register_child(event, member)
    # deciding the first (stale) request leaves the new registration pending
    from forumanak.membership.models import ConsentRequest as CR

    token = membership_services.new_token()
    CR.objects.filter(pk=old_request.pk).update(token_hash=CR.hash_token(token))
    membership_services.decide_by_link(token=token, purpose="event", decision="granted", date_of_birth=member.date_of_birth,
                                       guardian_name="Wali", ip_address="10.0.0.1", user_agent="pytest")
    again.refresh_from_db()
    assert again.status == R.PENDING_CONSENT


def test_transitions_are_guarded(city, adult_event):
    adult = make_adult()
    registration = services.register(event=adult_event, user=adult, actor=adult, data=ADULT)
    with pytest.raises(services.TransitionError):
        services.transition(registration, "consent_granted", actor=None)
    with pytest.raises(services.TransitionError):
        services.transition(registration, "promote_to_confirmed", actor=None)
    registration.refresh_from_db()
    assert registration.status == R.CONFIRMED


def test_a_larger_capacity_gives_seats_to_the_waitlist(city, adult_event):
    adult_event.capacity = 1
    adult_event.save()
    people = [make_adult() for _ in range(3)]
    regs = [services.register(event=adult_event, user=p, actor=p, data=ADULT) for p in people]
    assert regs[1].status == R.WAITLISTED

    class Form:
        instance = adult_event

        def save(self):
            adult_event.save()
            return adult_event

    adult_event.capacity = 2
    services.save_event(form=Form(), actor=None)
    regs[1].refresh_from_db()
    regs[2].refresh_from_db()
    assert regs[1].status == R.CONFIRMED and regs[2].status == R.WAITLISTED
