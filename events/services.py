"""Every write of the events app: registering, the waitlist, consent consequences, cancelling,
check-in, reminders, answer retention and erasure.

Seats (invariant 2): every write that can take or free a seat locks the event row first
(``SELECT … FOR UPDATE``) and counts the held seats inside that same transaction. Lock order is
always event → registration, so two writers cannot deadlock.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forumanak.core import audit
from forumanak.core.email import queue_email
from forumanak.membership import services as membership_services
from forumanak.membership.models import PublicationLevel, Purpose, age_on

from . import selectors
from .models import ADULT_AGE, Answer, Event, Registration, RegistrationQuestion, new_ticket_code

R = Registration.Status
PHOTO_ORDER = [PublicationLevel.NONE, PublicationLevel.INTERNAL, PublicationLevel.PUBLIC]


class TransitionError(ValidationError):
    pass


class RegistrationRefused(ValidationError):
    """Registering is not possible; ``code`` says why and the message says it for the person."""


class CheckInRefused(ValidationError):
    pass


# ---- registration status transitions ------------------------------------------------------

TRANSITIONS = {
    # name: (allowed from, to)
    "consent_granted": ({R.PENDING_CONSENT}, R.CONFIRMED),
    "consent_refused": ({R.PENDING_CONSENT}, R.CONSENT_REFUSED),
    "consent_expired": ({R.PENDING_CONSENT}, R.CONSENT_EXPIRED),
    "cancel": ({R.PENDING_CONSENT, R.CONFIRMED, R.WAITLISTED}, R.CANCELLED),
    "promote_to_consent": ({R.WAITLISTED}, R.PENDING_CONSENT),
    "promote_to_confirmed": ({R.WAITLISTED}, R.CONFIRMED),
    "check_in": ({R.CONFIRMED}, R.ATTENDED),
    "undo_check_in": ({R.ATTENDED}, R.CONFIRMED),
    "no_show": ({R.CONFIRMED}, R.NO_SHOW),
}


def transition(registration, name, *, actor, reason="", **fields):
    """Move ``registration`` along the named transition, or raise TransitionError. The check and
    the write are one conditional UPDATE; an audit entry is written in the same transaction."""
    allowed, target = TRANSITIONS[name]
    with transaction.atomic():
        updated = Registration.objects.filter(pk=registration.pk, status__in=allowed).update(
            status=target, status_changed_at=timezone.now(), status_reason=reason[:60], **fields
        )
        if not updated:
            current = Registration.objects.filter(pk=registration.pk).values_list("status", flat=True).first()
            raise TransitionError(
                _("Pendaftaran ini tidak bisa diubah dari \u201c%(current)s\u201d.")
                % {"current": R(current).label if current else "?"},
                code="illegal_transition",
            )
        audit.record(actor=actor, action=f"registration.{name}", obj=registration,
                     object_label=f"registration #{registration.pk}",
                     data={"event": registration.event_id, "to": target, **({"reason": reason} if reason else {})})
    registration.refresh_from_db()
    return registration


# ---- who may register ---------------------------------------------------------------------


def _event_date(event):
    return timezone.localtime(event.starts_at).date()


def _age_problem(event, date_of_birth):
    age = age_on(date_of_birth, _event_date(event))
    if event.min_age is not None and age < event.min_age:
        return RegistrationRefused(
            _("Kegiatan ini untuk umur %(range)s. Kamu belum cukup umur.") % {"range": event.age_range_label},
            code="too_young",
        )
    if event.max_age is not None and age > event.max_age:
        return RegistrationRefused(
            _("Kegiatan ini untuk umur %(range)s.") % {"range": event.age_range_label}, code="too_old"
        )
    return None


_UNSET = object()


def _registrant(event, user, member):
    """The member who registers (``selectors.registrant``), loaded unless the caller has it."""
    if member is _UNSET:
        return selectors.registrant(user, with_guardian=event.is_for_children)
    if member is not None and member.user_id != user.pk:
        raise ValueError("member is not the user's")
    return member


def eligibility_problem(*, event, user, now=None, member=_UNSET):
    """A RegistrationRefused explaining why ``user`` cannot register, or None. (The adult's age,
    declared on the form, is checked by ``register``.) ``member``: the user's member from
    ``selectors.registrant``, if the caller has loaded it (saves the queries)."""
    now = now or timezone.now()
    if not event.is_published:
        return RegistrationRefused(_("Kegiatan ini tidak ditemukan."), code="not_published")
    if not event.registration_is_open(now):
        if event.registration_opens_at and now < event.registration_opens_at:
            return RegistrationRefused(_("Pendaftaran belum dibuka."), code="not_open_yet")
        return RegistrationRefused(_("Pendaftaran sudah ditutup."), code="closed")
    if not user.is_authenticated:
        return RegistrationRefused(_("Masuk dulu untuk mendaftar."), code="login")
    member = _registrant(event, user, member)
    is_child = member is not None and member.status != member.Status.ALUMNI
    if event.is_for_children:
        if member is None or member.status == member.Status.ALUMNI:
            return RegistrationRefused(
                _("Kegiatan ini untuk anggota Forum Anak. Untuk orang dewasa, lihat kegiatan umum."), code="not_a_member"
            )
        if member.status != member.Status.ACTIVE:
            return RegistrationRefused(
                _("Kamu bisa mendaftar setelah keanggotaanmu aktif."), code="member_not_active"
            )
        if member.date_of_birth is None or age_on(member.date_of_birth, _event_date(event)) >= ADULT_AGE:
            return RegistrationRefused(_("Kegiatan ini untuk anak di bawah 18 tahun."), code="too_old")
        problem = _age_problem(event, member.date_of_birth)
        if problem:
            return problem
        if selectors.first_guardian(member) is None:
            return RegistrationRefused(
                _("Kami belum punya alamat email orang tua/walimu. Hubungi fasilitator."), code="no_guardian"
            )
    elif is_child:
        return RegistrationRefused(
            _("Kegiatan ini untuk orang dewasa. Lihat kegiatan anak di daftar kegiatan."), code="child_for_adult_event"
        )
    return None


@dataclass
class RegistrationInput:
    photo_level: str = PublicationLevel.NONE
    answers: dict = None  # question id → text
    adult_name: str = ""
    date_of_birth: object = None  # adults declare it; checked against the age range and 18


def allowed_photo_levels(event):
    return PHOTO_ORDER[: PHOTO_ORDER.index(event.photo_level) + 1]


def register(*, event, user, actor, data=None, member=_UNSET, questions=None):
    """Register ``user`` for ``event``. Returns the Registration: pending consent (a child, a seat
    held), confirmed (an adult) or waitlisted; a waitlisted one carries its place in the line when
    it joined as ``position_on_joining`` (None otherwise). Raises RegistrationRefused.

    ``member`` (from ``selectors.registrant``) and ``questions`` (the event's, in order) may be
    passed by a caller that has them already; they are loaded otherwise."""
    data = data or RegistrationInput()
    member = _registrant(event, user, member)
    problem = eligibility_problem(event=event, user=user, member=member)
    if problem:
        raise problem
    if not event.is_for_children:
        member = None
        if data.date_of_birth is None:
            raise RegistrationRefused(_("Isi tanggal lahir."), code="date_of_birth_required")
        if age_on(data.date_of_birth, _event_date(event)) < ADULT_AGE:
            raise RegistrationRefused(
                _("Kegiatan ini untuk orang dewasa (18 tahun ke atas). Kalau kamu di bawah 18 tahun, daftar dulu "
                  "menjadi anggota Forum Anak."),
                code="under_18",
            )
        problem = _age_problem(event, data.date_of_birth)
        if problem:
            raise problem
    if data.photo_level not in allowed_photo_levels(event):
        raise RegistrationRefused(_("Pilihan foto tidak tersedia untuk kegiatan ini."), code="photo_level")
    questions = list(event.questions.all()) if questions is None else questions
    answers = data.answers or {}
    for question in questions:
        if question.required and not str(answers.get(question.pk, "")).strip():
            raise RegistrationRefused(_("Jawab pertanyaan: %(q)s") % {"q": question.label}, code="answer_required")
    answered = [(question, str(answers.get(question.pk, "")).strip()) for question in questions]
    answered = [(question, value[:2000]) for question, value in answered if value]
    guardian = selectors.first_guardian(member) if member is not None else None

    # Everything below runs under the event's row lock, which is held until the commit: keep it to
    # the seat decision and the writes that must be atomic with it. A second registration of the
    # same person (a double submission, another tab) is stopped by the database's
    # one-active-registration constraint, not by a check here.
    try:
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event.pk)
            if not (event.is_published and event.registration_is_open()):
                raise RegistrationRefused(_("Pendaftaran sudah ditutup."), code="closed")
            # the seat count, under the lock; free seats go to the waitlist first (normally there are
            # none: every release promotes at once, but the capacity may have grown)
            held, waiting = selectors.seat_counts(event)
            if held < event.capacity and waiting:
                promoted = len(_fill_free_seats(event, actor=None, held=held))
                held, waiting = held + promoted, waiting - promoted
            now = timezone.now()
            if held >= event.capacity:
                status = R.WAITLISTED
            elif member is not None:
                status = R.PENDING_CONSENT
            else:
                status = R.CONFIRMED
            registration = Registration.objects.create(
                event=event, user=user, member=member, status=status, photo_level=data.photo_level,
                adult_name=(data.adult_name or "")[:150] if member is None else "",
                created_at=now, status_changed_at=now,
                waitlisted_at=now if status == R.WAITLISTED else None,
                confirmed_at=now if status == R.CONFIRMED else None,
                consent_deadline=_consent_deadline(event, now) if status == R.PENDING_CONSENT else None,
            )
            if answered:
                Answer.objects.bulk_create([
                    Answer(registration=registration, question=question, value=value,
                           delete_after=_delete_after(event, question))
                    for question, value in answered
                ])
            audit.record(actor=actor, action="registration.create", obj=registration,
                         object_label=f"registration #{registration.pk}", data={"event": event.pk, "status": status})
            if status == R.PENDING_CONSENT:
                _ask_consent(registration, actor=actor, guardian=guardian)
            elif status == R.CONFIRMED:
                _email_participant(registration, "confirmed")
    except IntegrityError as exc:
        text = str(exc)
        # PostgreSQL names the constraint; SQLite names the columns of its unique index
        if "events_registration_one_active" not in text and "events_registration.event_id" not in text:
            raise
        # the database's one-active-registration constraint caught a second registration
        raise RegistrationRefused(_("Kamu sudah terdaftar di kegiatan ini."), code="already_registered")
    # ids are given under the event lock, so everyone waiting before joined before
    registration.position_on_joining = waiting + 1 if status == R.WAITLISTED else None
    return registration


def _delete_after(event, question):
    return event.ends_at + timedelta(days=question.retention_days)


def _consent_deadline(event, now):
    """The guardian has ``consent_deadline_hours``, but never beyond the start of the event."""
    return min(now + timedelta(hours=event.consent_deadline_hours), event.starts_at)


def event_when(event):
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    if start.date() == end.date():
        return f"{start:%d-%m-%Y %H:%M}–{end:%H:%M}"
    return f"{start:%d-%m-%Y %H:%M} – {end:%d-%m-%Y %H:%M}"


def _first_guardian(member):
    guardian = selectors.first_guardian(member)
    if guardian is None:
        raise RegistrationRefused(_("Kami belum punya alamat email orang tua/walimu. Hubungi fasilitator."),
                                  code="no_guardian")
    return guardian


def _ask_consent(registration, *, actor, guardian=None):
    """One consent request to the child's guardian for this registration: participation and the
    photo level chosen. Its link expires at the registration's consent deadline."""
    member = registration.member
    guardian = guardian or _first_guardian(member)
    event = registration.event
    now = timezone.now()
    deadline = registration.consent_deadline or _consent_deadline(event, now)
    request, _token = membership_services.request_consent(
        member=member, guardian=guardian, purpose=Purpose.EVENT, actor=actor,
        details={"registration": registration.pk, "event": event.pk, "event_title": event.title,
                 "event_when": event_when(event), "level": registration.photo_level},
        expires_in=max(deadline - now, timedelta(minutes=1)),
        notify=True,
    )
    Registration.objects.filter(pk=registration.pk).update(consent_request=request, consent_deadline=request.expires_at)
    registration.consent_request = request
    registration.consent_deadline = request.expires_at
    return request


# ---- seats and the waitlist -----------------------------------------------------------------


def _fill_free_seats(event, *, actor, held=None):
    """Give free seats to the waitlist, first come first served. Call with the event row locked
    (``held``: the seat count taken under that lock, if the caller has it).

    A promoted child goes to pending consent with a new consent request (never straight to
    confirmed); a promoted adult is confirmed. Both are told by email."""
    now = timezone.now()
    if event.starts_at <= now:
        return []
    free = event.capacity - (selectors.held_seats(event) if held is None else held)
    promoted = []
    if free <= 0:
        return promoted
    for registration in selectors.waitlist(event).select_related("event", "member", "user")[:free]:
        if registration.member_id:
            transition(registration, "promote_to_consent", actor=actor, promoted_at=now,
                       consent_deadline=_consent_deadline(event, now))
            _ask_consent(registration, actor=actor)
        else:
            transition(registration, "promote_to_confirmed", actor=actor, promoted_at=now, confirmed_at=now)
        _email_participant(registration, "promoted")
        promoted.append(registration)
    return promoted


def _locked(registration):
    """Lock the event, then the registration (always in this order). Returns fresh rows."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update(of=("self",)).select_related("member", "user").get(
        pk=registration.pk
    )
    registration.event = event
    return event, registration


def cancel_registration(*, registration, actor, reason=""):
    """Cancel a registration (the participant, their guardian or staff). A held seat goes to the
    first person on the waitlist."""
    with transaction.atomic():
        event, registration = _locked(registration)
        held = registration.holds_seat
        transition(registration, "cancel", actor=actor, reason=reason)
        if held:
            _fill_free_seats(event, actor=actor)
    return registration


def on_event_consent(*, request, decision, actor):
    """The consent engine's consequences for purpose "event". Runs in the deciding transaction."""
    registration_id = (request.details or {}).get("registration")
    if not registration_id:
        return
    registration = Registration.objects.filter(pk=registration_id).first()
    if registration is None:
        return
    with transaction.atomic():
        event, registration = _locked(registration)
        if registration.consent_request_id != request.pk:
            return  # an older request of this registration: it no longer decides anything
        if decision == "granted" and registration.status == R.PENDING_CONSENT:
            transition(registration, "consent_granted", actor=actor, confirmed_at=timezone.now())
            _email_participant(registration, "confirmed")
        elif decision == "refused" and registration.status == R.PENDING_CONSENT:
            transition(registration, "consent_refused", actor=actor)
            _fill_free_seats(event, actor=actor)
        elif decision == "expired" and registration.status == R.PENDING_CONSENT:
            transition(registration, "consent_expired", actor=actor)
            _fill_free_seats(event, actor=actor)
        elif decision == "withdrawn" and registration.status in (R.PENDING_CONSENT, R.CONFIRMED):
            transition(registration, "cancel", actor=actor, reason="consent_withdrawn")
            _fill_free_seats(event, actor=actor)


def on_membership_consent(*, request, decision, actor):
    """Membership refused or withdrawn: the child's upcoming registrations are cancelled."""
    if decision not in ("refused", "withdrawn"):
        return
    cancel_member_registrations(member_id=request.member_id, actor=actor, reason="membership_ended")


def cancel_member_registrations(*, member_id, actor, reason):
    count = 0
    for registration in Registration.objects.filter(
        member_id=member_id, status__in=[R.PENDING_CONSENT, R.CONFIRMED, R.WAITLISTED]
    ):
        with transaction.atomic():
            event, registration = _locked(registration)
            if registration.status in TRANSITIONS["cancel"][0]:
                held = registration.holds_seat
                transition(registration, "cancel", actor=actor, reason=reason)
                if held:
                    _fill_free_seats(event, actor=actor)
                count += 1
    return count


def expire_overdue_consents(*, now=None):
    """Release the seat of every registration whose guardian did not answer by the deadline, and
    promote the next person on the waitlist. Idempotent; the scheduled task calls it."""
    now = now or timezone.now()
    due = Registration.objects.filter(status=R.PENDING_CONSENT, consent_deadline__lte=now).order_by("consent_deadline", "id")
    expired = 0
    for registration in list(due.only("pk", "event_id")):
        with transaction.atomic():
            event, registration = _locked(registration)
            if registration.status != R.PENDING_CONSENT or registration.consent_deadline > now:
                continue
            transition(registration, "consent_expired", actor=None)
            _fill_free_seats(event, actor=None)
            expired += 1
    return expired


# ---- check-in -------------------------------------------------------------------------------


def check_in(*, registration, actor):
    """Mark a confirmed registration attended, with the time. Idempotent: checking in twice
    records one check-in. Returns (registration, changed)."""
    if not selectors.can_check_in(actor, registration):
        raise PermissionDenied
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == R.ATTENDED:
            return registration, False
        if registration.status != R.CONFIRMED:
            raise CheckInRefused(
                _("Belum bisa hadir: status pendaftaran \u201c%(status)s\u201d. Hanya peserta yang sudah terdaftar "
                  "(terkonfirmasi) yang bisa dicatat hadir.") % {"status": registration.get_status_display()},
                code="not_confirmed",
            )
        transition(registration, "check_in", actor=actor, attended_at=timezone.now(), checked_in_by=actor)
    return registration, True


def undo_check_in(*, registration, actor):
    if not selectors.can_check_in(actor, registration):
        raise PermissionDenied
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        transition(registration, "undo_check_in", actor=actor, attended_at=None, checked_in_by=None)
    return registration


def mark_no_shows(*, now=None, after=timedelta(hours=2)):
    """After an event has ended, confirmed registrations that never checked in become no-shows."""
    now = now or timezone.now()
    due = Registration.objects.filter(status=R.CONFIRMED, event__ends_at__lte=now - after).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        with transaction.atomic():
            registration = Registration.objects.select_for_update().get(pk=pk)
            if registration.status == R.CONFIRMED:
                transition(registration, "no_show", actor=None)
                count += 1
    return count


# ---- reminders --------------------------------------------------------------------------------

REMINDER_BEFORE = timedelta(hours=24)


def send_reminders(*, now=None):
    """One reminder per confirmed registration, 24 hours before the event, to the participant and,
    for a child, to each guardian. Claimed with a conditional UPDATE, so it is sent once."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=R.CONFIRMED, reminded_at__isnull=True, event__starts_at__gt=now,
        event__starts_at__lte=now + REMINDER_BEFORE,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            if not Registration.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            registration = Registration.objects.select_related("event", "member", "user").get(pk=pk)
            _email_participant(registration, "reminder")
            if registration.member_id:
                for link in registration.member.guardian_links.select_related("guardian"):
                    guardian = link.guardian
                    queue_email(to=guardian.email, template="events/reminder_guardian", language=guardian.language,
                                context={**_email_context(registration, guardian.language),
                                         "guardian_name": guardian.name})
            sent += 1
    return sent


def _email_context(registration, language):
    event = registration.event
    with translation.override(language):
        where = event.venue_name or _("daring")
    return {
        "name": str(registration.participant_name),
        "event_title": event.title,
        "event_when": event_when(event),
        "where": where,
        "address": event.venue_address,
        "online_url": event.online_url,
        "event_url": settings.SITE_URL + reverse("events:detail", kwargs={"slug": event.slug}),
        "ticket_url": settings.SITE_URL + reverse("events:ticket", kwargs={"code": registration.code}),
        "mine_url": settings.SITE_URL + reverse("events:mine"),
        "is_child": bool(registration.member_id),
        "status": registration.status,
    }


def _email_participant(registration, template):
    user = registration.user
    if user is None or not user.email:
        return  # a child without email: their guardian hears from the consent engine
    language = user.language or settings.LANGUAGE_CODE
    queue_email(to=user.email, template=f"events/{template}", context=_email_context(registration, language),
                language=language)


# ---- answers: retention ---------------------------------------------------------------------


def delete_expired_answers(*, now=None):
    """Delete every answer past its question's retention period. Returns the number deleted."""
    now = now or timezone.now()
    with transaction.atomic():
        count, _detail = Answer.objects.filter(delete_after__lte=now).delete()
        if count:
            audit.record(actor=None, action="registration.answers_deleted", data={"count": count},
                         object_label=_("jawaban pendaftaran"))
    return count


# ---- events (admin) -------------------------------------------------------------------------


def capacity_below_held_message(held):
    return _("Kursi yang sudah terisi: %(held)s. Jumlah kursi tidak bisa kurang dari itu.") % {"held": held}


def save_event(*, form, actor):
    """Save an event from the admin form (with its questions), recompute when existing answers are
    deleted (the end time or a retention period may have changed), and fill any seats that a
    larger capacity freed. A capacity below the seats already held is refused (ValidationError on
    ``capacity``): the count is taken under the event's row lock, as every seat write does."""
    with transaction.atomic():
        created = form.instance.pk is None
        if created:
            form.instance.created_by = actor if getattr(actor, "is_authenticated", False) else None
        else:
            list(Event.objects.select_for_update().filter(pk=form.instance.pk).values_list("pk", flat=True))
            held = selectors.held_seats(form.instance)
            if form.instance.capacity < held:
                raise ValidationError({"capacity": capacity_below_held_message(held)}, code="capacity_below_held")
        event = form.save()
        for question in RegistrationQuestion.objects.filter(event=event):
            Answer.objects.filter(question=question).update(delete_after=_delete_after(event, question))
        audit.record(actor=actor, action="event.create" if created else "event.change", obj=event,
                     object_label=f"event #{event.pk}")
        if not created:
            locked = Event.objects.select_for_update().get(pk=event.pk)
            _fill_free_seats(locked, actor=actor)
    return event


# ---- erasure and export hooks ----------------------------------------------------------------


def erase_member_registrations(*, member_id):
    """When a membership's personal data is erased: cancel the child's open registrations (their
    seats go to the waitlist), delete their answers, unlink the account and void the ticket codes.
    What stays is anonymous: that a (now unnamed) member took part in an event."""
    cancel_member_registrations(member_id=member_id, actor=None, reason="member_erased")
    with transaction.atomic():
        Answer.objects.filter(registration__member_id=member_id).delete()
        for registration in Registration.objects.filter(member_id=member_id):
            Registration.objects.filter(pk=registration.pk).update(user=None, code=new_ticket_code(), adult_name="")
    return True


def check_in_by_code(*, event, code, actor):
    registration = selectors.registration_by_code(event, code)
    if registration is None:
        raise CheckInRefused(_("Kode tiket tidak ditemukan untuk kegiatan ini."), code="unknown_code")
    return check_in(registration=registration, actor=actor)
