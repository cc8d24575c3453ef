"""The scheduled tasks, run for real: consent deadlines, reminders, answer retention, no-shows."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task

from events import services, tasks
from events.models import Answer, Registration
from events.schedules import SCHEDULES
from forumanak.membership import services as membership_services

from .conftest import guardian_decides, make_adult, make_event, make_member

R = Registration.Status
pytestmark = pytest.mark.django_db


def later(**delta):
    """Pretend it is later: the services read the clock through django.utils.timezone.now."""
    moment = timezone.now() + timedelta(**delta)
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_an_expired_consent_deadline_releases_the_seat_and_promotes_the_next_child(
    city, consent_texts, django_capture_on_commit_callbacks
):
    event = make_event(city["forums"]["64.71.01.1001"], capacity=1, consent_deadline_hours=72,
                       starts_in=timedelta(days=10))
    first = make_member(city, guardian_email="wali.pertama@example.test")
    second = make_member(city, guardian_email="wali.kedua@example.test", email="kedua@example.test")
    r1 = services.register(event=event, user=first.user, actor=first.user)
    r2 = services.register(event=event, user=second.user, actor=second.user)
    assert (r1.status, r2.status) == (R.PENDING_CONSENT, R.WAITLISTED)

    # not yet: the deadline has not passed
    async_task("events.tasks.expire_overdue_consents", sync=True)
    r1.refresh_from_db()
    assert r1.status == R.PENDING_CONSENT

    mail.outbox.clear()
    with later(hours=73), django_capture_on_commit_callbacks(execute=True):
        # the real task, through django-q2 as the schedule runs it
        async_task("events.tasks.expire_overdue_consents", sync=True)
    r1.refresh_from_db()
    r2.refresh_from_db()
    assert r1.status == R.CONSENT_EXPIRED
    assert r2.status == R.PENDING_CONSENT and r2.consent_request is not None
    assert r2.consent_request.details["registration"] == r2.pk
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["kedua@example.test", "wali.kedua@example.test"]  # promotion notice + consent request
    # the first guardian's link no longer works
    assert r1.consent_request.is_expired or timezone.now() + timedelta(hours=73) >= r1.consent_request.expires_at
    # running it again changes nothing
    with later(hours=74):
        assert tasks.expire_overdue_consents() == 0


def test_a_guardian_answering_after_the_deadline_cannot_take_the_seat_back(city, consent_texts):
    event = make_event(city["forums"]["64.71.01.1001"], capacity=1, consent_deadline_hours=24)
    first, second = make_member(city), make_member(city)
    r1 = services.register(event=event, user=first.user, actor=first.user)
    r2 = services.register(event=event, user=second.user, actor=second.user)
    with later(hours=25):
        tasks.expire_overdue_consents()
        with pytest.raises(membership_services.LinkProblem):
            guardian_decides(r1, "granted")
    r1.refresh_from_db()
    r2.refresh_from_db()
    assert r1.status == R.CONSENT_EXPIRED and r2.status == R.PENDING_CONSENT


def test_the_membership_expiry_notice_after_our_task_changes_nothing(city, consent_texts):
    event = make_event(city["forums"]["64.71.01.1001"], capacity=1, consent_deadline_hours=24)
    first, second = make_member(city), make_member(city)
    r1 = services.register(event=event, user=first.user, actor=first.user)
    r2 = services.register(event=event, user=second.user, actor=second.user)
    with later(hours=25):
        tasks.expire_overdue_consents()
        membership_services.notify_expired_consents()
    r1.refresh_from_db()
    r2.refresh_from_db()
    assert r1.status == R.CONSENT_EXPIRED and r2.status == R.PENDING_CONSENT


def test_reminders_go_out_24_hours_before_to_participant_and_guardian_once(
    city, consent_texts, django_capture_on_commit_callbacks
):
    event = make_event(city["forums"]["64.71.01.1001"], starts_in=timedelta(hours=30))
    member = make_member(city, email="anak@example.test", guardian_email="ibu@example.test")
    registration = services.register(event=event, user=member.user, actor=member.user)
    guardian_decides(registration, "granted")
    waiting = make_member(city, email="belum@example.test")
    services.register(event=event, user=waiting.user, actor=waiting.user)  # pending consent: no reminder
    adult_event = make_event(city["forums"]["city"], audience="adults", starts_in=timedelta(hours=30))
    adult = make_adult(email="dewasa@example.test")
    services.register(event=adult_event, user=adult, actor=adult,
                      data=services.RegistrationInput(adult_name="Dewasa", date_of_birth=date(1985, 3, 3)))

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminders() == 0  # 30 hours before: too early
    with later(hours=7), django_capture_on_commit_callbacks(execute=True):
        async_task("events.tasks.send_reminders", sync=True)
        async_task("events.tasks.send_reminders", sync=True)  # again: nothing more
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["anak@example.test", "dewasa@example.test", "ibu@example.test"]
    assert all(event.title in m.subject or adult_event.title in m.subject for m in mail.outbox)


def test_answers_past_their_retention_are_deleted_by_the_scheduled_task(city, consent_texts):
    event = make_event(city["forums"]["64.71.01.1001"], starts_in=timedelta(days=1), hours=2,
                       questions=[("Butuh kursi roda?", 7), ("Alergi makanan?", 30)])
    wheel, food = event.questions.order_by("sort_order")
    member = make_member(city)
    registration = services.register(event=event, user=member.user, actor=member.user, data=services.RegistrationInput(
        answers={wheel.pk: "ya", food.pk: "kacang"}))
    assert Answer.objects.filter(registration=registration).count() == 2

    with later(days=8):
        async_task("events.tasks.delete_expired_answers", sync=True)  # 7 days after the end: not yet
    assert Answer.objects.filter(registration=registration).count() == 2
    with later(days=9):
        async_task("events.tasks.delete_expired_answers", sync=True)
    assert list(Answer.objects.filter(registration=registration).values_list("value", flat=True)) == ["kacang"]
    with later(days=32):
        tasks.delete_expired_answers()
    assert not Answer.objects.exists()
    registration.refresh_from_db()  # the registration itself stays
    assert registration.status == R.PENDING_CONSENT


def test_confirmed_registrations_become_no_shows_after_the_event(city, adult_event):
    people = [make_adult() for _ in range(2)]
    data = services.RegistrationInput(adult_name="X", date_of_birth=date(1980, 1, 1))
    came, absent = (services.register(event=adult_event, user=p, actor=p, data=data) for p in people)
    staff = make_member  # noqa: F841 (readability)
    from .conftest import make_staff

    boss = make_staff("pembina-kota", adult_event.forum, "pembina")
    services.check_in(registration=came, actor=boss)
    with later(days=8):
        tasks.mark_no_shows()
    came.refresh_from_db()
    absent.refresh_from_db()
    assert (came.status, absent.status) == (R.ATTENDED, R.NO_SHOW)


def test_setup_schedules_registers_the_events_tasks():
    call_command("setup_schedules", stdout=open("/dev/null", "w"))
    names = set(Schedule.objects.values_list("name", flat=True))
    assert {s["name"] for s in SCHEDULES} <= names
    funcs = set(Schedule.objects.values_list("func", flat=True))
    assert {"events.tasks.expire_overdue_consents", "events.tasks.send_reminders",
            "events.tasks.delete_expired_answers"} <= funcs
    reminders = Schedule.objects.get(func="events.tasks.send_reminders")
    assert reminders.minutes <= 60  # often enough that "24 hours before" is within the hour
