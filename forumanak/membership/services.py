"""Every write of the membership app: applications, the consent engine, reviews, erasure."""

import logging
import re
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forumanak.core import audit
from forumanak.core.email import queue_email
from forumanak.core.models import OutboundEmail
from forumanak.core.tasks import enqueue_on_commit

from . import consent_hooks
from .models import (
    ConsentDecision,
    ConsentRequest,
    ConsentText,
    Guardian,
    GuardianLink,
    Member,
    Purpose,
    member_number_for,
)

logger = logging.getLogger(__name__)

CONSENT_LINK_DAYS = getattr(settings, "CONSENT_LINK_DAYS", 7)
CONSENT_REMINDER_AFTER = timedelta(hours=48)
MAX_DOB_ATTEMPTS = 3
ERASE_WITHIN = timedelta(hours=72)
MIN_AGE, MAX_AGE = 10, 17

S = Member.Status


class TransitionError(ValidationError):
    pass


# ---- member status transitions -------------------------------------------------------------

TRANSITIONS = {
    # name: (allowed from, to)
    "request_consent": ({S.APPLIED}, S.AWAITING_CONSENT),
    "consent_granted": ({S.AWAITING_CONSENT}, S.PENDING_REVIEW),
    "approve": ({S.PENDING_REVIEW}, S.ACTIVE),
    "reject": ({S.PENDING_REVIEW}, S.REJECTED),
    "suspend": ({S.ACTIVE}, S.SUSPENDED),
    "reinstate": ({S.SUSPENDED}, S.ACTIVE),
    "withdraw": ({S.APPLIED, S.AWAITING_CONSENT, S.PENDING_REVIEW, S.ACTIVE, S.SUSPENDED}, S.WITHDRAWN),
    "age_out": ({S.ACTIVE, S.SUSPENDED}, S.ALUMNI),
}


def transition(member, name, *, actor, reason="", **extra_fields):
    """Move ``member`` along the named transition, or raise TransitionError.

    The check and the write are one conditional UPDATE, so two racing transitions cannot both
    succeed. Writes an audit entry in the same transaction."""
    allowed, target = TRANSITIONS[name]
    now = timezone.now()
    with transaction.atomic():
        updated = Member.objects.filter(pk=member.pk, status__in=allowed).update(
            status=target, status_changed_at=now, status_reason=reason[:300], **extra_fields
        )
        if not updated:
            current = Member.objects.filter(pk=member.pk).values_list("status", flat=True).first()
            raise TransitionError(
                _("Status anggota tidak bisa diubah dari \u201c%(current)s\u201d dengan tindakan ini.")
                % {"current": S(current).label if current else "?"},
                code="illegal_transition",
            )
        audit.record(actor=actor, action=f"member.{name}", obj=member, object_label=f"member #{member.pk}",
                     data={"to": target, "reason": reason} if reason else {"to": target})
    member.refresh_from_db()
    return member


# ---- applying ------------------------------------------------------------------------------


@dataclass
class Application:
    full_name: str
    display_name: str
    date_of_birth: object
    gender: str
    kelurahan: object
    school: str
    guardian_name: str
    guardian_relationship: str
    guardian_email: str
    guardian_phone: str
    guardian_language: str


def age_problem(date_of_birth, today=None):
    """None if the child may apply; otherwise "too_young", "too_old" or "adult"."""
    from .models import age_on

    age = age_on(date_of_birth, today or timezone.localdate())
    if age < MIN_AGE:
        return "too_young"
    if age >= 18:
        return "adult"
    if age > MAX_AGE:
        return "too_old"
    return None


def forum_for_kelurahan(kelurahan):
    from .models import Forum

    forum = Forum.objects.filter(region=kelurahan).first() or Forum.objects.filter(region_id=kelurahan.parent_id).first()
    if forum is None:
        raise ValidationError(_("Belum ada Forum Anak untuk kelurahan ini."), code="no_forum")
    return forum


def get_or_create_guardian(*, name, email, phone, language):
    """The guardian record for an address. Never bound to an account here: an account with that
    address (perhaps signed up by someone else, unverified) has proven nothing yet. Binding happens
    only after proof of the inbox (``_bind_guardian_after_link``, ``bind_guardian_on_proof``). Two
    applications naming a new address at the same moment end with one guardian (the unique index
    on the lowered address)."""
    guardian = Guardian.objects.filter(email__iexact=email).first()
    if guardian is None:
        try:
            with transaction.atomic():
                guardian = Guardian.objects.create(user=None, name=name, email=email, phone=phone, language=language)
        except IntegrityError:
            guardian = Guardian.objects.get(email__iexact=email)
    return guardian


def application_emails_left(guardian, *, now=None):
    """How many more membership consent emails the guardian's address may get today (rolling 24
    hours). Call it with the guardian's row locked, so that simultaneous applications count in turn."""
    now = now or timezone.now()
    limit = getattr(settings, "APPLICATION_EMAILS_PER_GUARDIAN_PER_DAY", 3)
    sent = ConsentRequest.objects.filter(
        guardian=guardian, purpose=Purpose.MEMBERSHIP, held_at__isnull=True, created_at__gt=now - timedelta(hours=24)
    ).count()
    return max(limit - sent, 0)


def create_child_account(*, username, email, password, language):
    """A child's login: with their email (verified by allauth) or, without email, a username."""
    User = get_user_model()
    user = User(username=username, email=email or "", language=language)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    if email:
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    return user


@transaction.atomic
def submit_application(*, application, user, actor, guardian=None):
    """Create the applicant, link the guardian and send the membership consent request."""
    problem = age_problem(application.date_of_birth)
    if problem:
        raise ValidationError(_("Umur tidak sesuai untuk Forum Anak."), code=problem)
    kelurahan = application.kelurahan
    member = Member.objects.create(
        user=user,
        forum=forum_for_kelurahan(kelurahan),
        full_name=application.full_name,
        display_name=application.display_name,
        date_of_birth=application.date_of_birth,
        gender=application.gender,
        kelurahan=kelurahan,
        kecamatan_id=kelurahan.parent_id,
        birth_year=application.date_of_birth.year,
        school=application.school,
    )
    audit.record(actor=actor, action="member.apply", obj=member, object_label=f"member #{member.pk}")
    hold = False
    if guardian is None:
        # an address typed on the public form: at most APPLICATION_EMAILS_PER_GUARDIAN_PER_DAY
        # emails to it a day; the application is kept, its email held for staff
        guardian = get_or_create_guardian(
            name=application.guardian_name,
            email=application.guardian_email,
            phone=application.guardian_phone,
            language=application.guardian_language,
        )
        guardian = Guardian.objects.select_for_update().get(pk=guardian.pk)
        hold = application_emails_left(guardian) == 0
    GuardianLink.objects.get_or_create(
        guardian=guardian, member=member, defaults={"relationship": application.guardian_relationship}
    )
    consent, token = request_consent(member=member, guardian=guardian, purpose=Purpose.MEMBERSHIP, actor=actor,
                                     hold=hold)
    transition(member, "request_consent", actor=actor)
    return member, consent, token


# ---- consent engine ------------------------------------------------------------------------


def current_text(purpose, language):
    text = ConsentText.objects.filter(purpose=purpose, language=language).order_by("-version").first()
    if text is None and language != settings.LANGUAGE_CODE:
        text = ConsentText.objects.filter(purpose=purpose, language=settings.LANGUAGE_CODE).order_by("-version").first()
    if text is None:
        raise ValidationError(_("Teks persetujuan untuk tujuan ini belum tersedia."), code="no_text")
    return text


def new_token():
    return secrets.token_urlsafe(32)


def consent_url(token):
    return settings.SITE_URL + reverse("membership:consent", kwargs={"token": token})


def request_consent(*, member, guardian, purpose, actor, details=None, expires_in=None, notify=True, hold=False):
    """Create a consent request and email its single-use link to the guardian (after commit).

    With ``hold`` the request is created but not emailed: it waits, flagged in the staff review
    queue, until staff send it (``release_held_consent``). Returns (request, token); the token
    itself is never stored, only its hash."""
    token = new_token()
    language = guardian.language
    now = timezone.now()
    with transaction.atomic():
        request = ConsentRequest.objects.create(
            member=member,
            guardian=guardian,
            purpose=purpose,
            text=current_text(purpose, language),
            details=details or {},
            language=language,
            token_hash=ConsentRequest.hash_token(token),
            expires_at=now + (expires_in or timedelta(days=CONSENT_LINK_DAYS)),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            held_at=now if hold else None,
        )
        audit.record(actor=actor, action="consent.request", obj=request, object_label=f"consent #{request.pk}",
                     data={"purpose": purpose, "member": member.pk})
        if hold:
            audit.record(actor=actor, action="consent.held", obj=request, object_label=f"consent #{request.pk}",
                         data={"purpose": purpose, "member": member.pk, "guardian": guardian.pk,
                               "reason": "guardian_daily_limit"})
        elif notify:
            _email_guardian(request, "consent_request", token)
    return request, token


def release_held_consent(*, request, actor):
    """Staff send a held consent request after all: a fresh link (the held one was never sent),
    valid for the usual days from now. Does nothing if the request is no longer held."""
    token = new_token()
    now = timezone.now()
    with transaction.atomic():
        released = ConsentRequest.objects.filter(pk=request.pk, held_at__isnull=False, decisions__isnull=True).update(
            held_at=None, token_hash=ConsentRequest.hash_token(token), created_at=now,
            expires_at=now + timedelta(days=CONSENT_LINK_DAYS),
        )
        if not released:
            return False
        request = ConsentRequest.objects.select_related("member", "member__forum", "guardian").get(pk=request.pk)
        audit.record(actor=actor, action="consent.release", obj=request, object_label=f"consent #{request.pk}",
                     data={"purpose": request.purpose, "member": request.member_id})
        _email_guardian(request, "consent_request", token)
    return True


def _email_guardian(request, template, token=None, **extra):
    context = {
        "guardian_name": request.guardian.name if request.guardian else "",
        "child_name": request.member.display_name or request.member.full_name,
        "forum_name": request.member.forum.name,
        "purpose": request.purpose,
        "purpose_label": _purpose_label(request.purpose, request.language),
        "expires_at": timezone.localtime(request.expires_at).strftime("%d-%m-%Y %H:%M"),
        "details": request.details,
        **extra,
    }
    if token:
        context["link"] = consent_url(token)
    if request.guardian:
        queue_email(to=request.guardian.email, template=f"membership/{template}", context=context,
                    language=request.language)


def _purpose_label(purpose, language):
    from django.utils import translation

    with translation.override(language):
        return str(Purpose(purpose).label)


def find_request(token):
    if not token or len(token) > 200:
        return None
    h = ConsentRequest.hash_token(token)
    return (
        ConsentRequest.objects.select_related("member", "member__forum", "guardian", "text")
        .filter(token_hash=h)
        .first()
        or ConsentRequest.objects.select_related("member", "member__forum", "guardian", "text")
        .filter(reminder_token_hash=h)
        .first()
    )


class LinkProblem(Exception):
    """The link cannot be used: code is one of invalid, used, expired, locked, wrong_purpose."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


class WrongBirthDate(Exception):
    def __init__(self, attempts_left):
        super().__init__(attempts_left)
        self.attempts_left = attempts_left


def check_link(request, *, purpose=None):
    if request is None:
        raise LinkProblem("invalid")
    if purpose is not None and request.purpose != purpose:
        raise LinkProblem("wrong_purpose")
    if request.decisions.exists():
        raise LinkProblem("used")
    if request.locked_at:
        raise LinkProblem("locked")
    if request.is_expired:
        raise LinkProblem("expired")
    return request


def decide_by_link(*, token, purpose, decision, date_of_birth, guardian_name, ip_address, user_agent,
                   method=ConsentDecision.Method.LINK, actor=None):
    """The guardian's decision from the emailed link. Everything is checked under a row lock so
    that two simultaneous submissions leave exactly one decision."""
    found = find_request(token)
    check_link(found, purpose=purpose)
    with transaction.atomic():
        request = ConsentRequest.objects.select_for_update(of=("self",)).select_related("member", "text", "guardian").get(pk=found.pk)
        check_link(request, purpose=purpose)
        if request.member.date_of_birth != date_of_birth:
            attempts = request.failed_attempts + 1
            locked = timezone.now() if attempts >= MAX_DOB_ATTEMPTS else None
            ConsentRequest.objects.filter(pk=request.pk).update(failed_attempts=attempts, locked_at=locked)
            audit.record(actor=actor, action="consent.wrong_birth_date", obj=request,
                         object_label=f"consent #{request.pk}", data={"attempt": attempts, "locked": bool(locked)})
            wrong = WrongBirthDate(MAX_DOB_ATTEMPTS - attempts)
        else:
            wrong = None
            record = _append_decision(
                request, decision=decision, method=method, actor=actor, guardian_name=guardian_name,
                ip_address=ip_address, user_agent=user_agent,
            )
    if wrong:
        raise wrong
    return record


def _append_decision(request, *, decision, method, actor, guardian_name="", ip_address=None, user_agent="",
                     paper_scan=None, details=None):
    try:
        with transaction.atomic():
            record = ConsentDecision.objects.create(
                request=request,
                decision=decision,
                method=method,
                text=request.text,
                text_hash=request.text.text_hash,
                guardian_name_typed=guardian_name[:150],
                ip_address=ip_address,
                user_agent=(user_agent or "")[:400],
                recorded_by=actor if method == ConsentDecision.Method.PAPER else None,
                paper_scan=paper_scan or "",
                details=details or {},
            )
            if request.purpose == Purpose.MEMBERSHIP:
                note_membership_decision(request.member, decision=decision, decided_at=record.decided_at)
    except IntegrityError:
        raise LinkProblem("used") from None
    audit.record(actor=actor, action=f"consent.{decision}", obj=request, object_label=f"consent #{request.pk}",
                 data={"purpose": request.purpose, "method": method, "member": request.member_id})
    if method == ConsentDecision.Method.LINK and request.guardian and request.guardian.user_id is None:
        _bind_guardian_after_link(request.guardian)
    if decision in (ConsentDecision.Decision.GRANTED, ConsentDecision.Decision.REFUSED):
        _email_guardian(request, "consent_receipt", decision=decision, text_title=request.text.title,
                        text_body=request.text.body, text_version=request.text.version,
                        portal=settings.SITE_URL + reverse("membership:guardian_home"))
    consent_hooks.dispatch(request, decision, actor)
    return record


# Which decision counts as the latest when two share an instant (they do not, in practice): a grant,
# then a withdrawal, then a refusal. The KLA report has always read them this way.
DECISION_RANK = {ConsentDecision.Decision.GRANTED: 0, ConsentDecision.Decision.WITHDRAWN: 1,
                 ConsentDecision.Decision.REFUSED: 2}


def note_membership_decision(member, *, decision, decided_at):
    """Bring the member's stored latest membership decision up to date with one just appended, in
    the caller's transaction. One conditional UPDATE (it takes the member's row lock), so decisions
    appended at the same time on two requests of one child leave the latest, whatever the order."""
    D = ConsentDecision.Decision
    outranked = [d for d, rank in DECISION_RANK.items() if rank > DECISION_RANK[decision]] + [""]
    newer = (Q(membership_consent_at__isnull=True) | Q(membership_consent_at__lt=decided_at)
             | Q(membership_consent_at=decided_at, membership_consent__in=outranked))
    if Member.objects.filter(newer, pk=member.pk).update(membership_consent=D(decision), membership_consent_at=decided_at):
        member.membership_consent, member.membership_consent_at = D(decision), decided_at


def latest_membership_decisions():
    """Each member's latest membership consent decision, derived from the records (a subquery on
    ``pk``), ordered as DECISION_RANK says for decisions at the same instant."""
    return (
        ConsentDecision.objects.filter(request__member=OuterRef("pk"), request__purpose=Purpose.MEMBERSHIP)
        .order_by("-decided_at", Case(*[When(decision=d, then=Value(r)) for d, r in DECISION_RANK.items()]))
    )


def refresh_membership_consent(*, members=None):
    """Derive the stored latest membership decision again from the decisions (all members, or the
    given queryset). For data written without the services (tests, bulk loads) and for repair."""
    latest = latest_membership_decisions()
    qs = Member.objects.all() if members is None else members
    return qs.update(
        membership_consent=Coalesce(Subquery(latest.values("decision")[:1]), Value("")),
        membership_consent_at=Subquery(latest.values("decided_at")[:1]),
    )


def _bind_guardian_after_link(guardian):
    """Deciding from the emailed link proves that whoever decided reads that inbox now. It proves
    nothing about an account that already uses the address, so:

    - no account has the address: make one (no password; the guardian signs in by emailed code) with
      the address verified, and bind it: nobody else can hold its credentials;
    - an account with the address *verified* exists: leave it unbound; it is bound when it proves the
      inbox again after the naming (a sign-in by emailed code, an email confirmation:
      ``bind_guardian_on_proof``);
    - an account with the address *unverified* exists (perhaps signed up in advance by someone who
      wanted the child): it never proved the address, and its owner has just been shown not to be the
      only one who reads it. It loses the address and its password, and is switched off (audited);
      the guardian gets a fresh account as in the first case.
    """
    User = get_user_model()
    holder = User.objects.filter(email__iexact=guardian.email).first()
    if holder is None:
        holder = User.objects.filter(emailaddress__email__iexact=guardian.email).first()
    if holder is not None:
        if EmailAddress.objects.filter(user=holder, email__iexact=guardian.email, verified=True).exists():
            return
        _reclaim_address(holder, guardian.email)
    base = "wali-" + re.sub(r"[^a-z0-9]", "", guardian.email.split("@")[0].lower())[:20]
    username = base
    while User.objects.filter(username=username).exists():
        username = f"{base}-{secrets.token_hex(2)}"
    user = User(username=username, email=guardian.email, first_name=guardian.name[:150], language=guardian.language)
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email=guardian.email, verified=True, primary=True)
    Guardian.objects.filter(pk=guardian.pk, user__isnull=True).update(user=user)
    guardian.user = user


def _reclaim_address(user, email):
    """Take an unproven address away from an account that claimed it (see above)."""
    EmailAddress.objects.filter(user=user, email__iexact=email).delete()
    user.set_unusable_password()
    get_user_model().objects.filter(pk=user.pk).update(
        email="" if user.email.lower() == email.lower() else user.email, is_active=False, password=user.password
    )
    audit.record(actor=None, action="account.unproven_address_reclaimed", obj=user, object_label=f"user #{user.pk}",
                 data={"reason": "guardian_proved_address"})


def bind_guardian_on_proof(*, user):
    """``user`` has just proven control of their verified addresses (signed in by emailed code, or
    confirmed an address): bind the guardian records of those addresses that no account holds yet."""
    emails = list(EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True))
    if not emails or Guardian.objects.filter(user=user).exists():
        return None
    query = Q()
    for email in emails:
        query |= Q(email__iexact=email)
    with transaction.atomic():
        guardian = Guardian.objects.select_for_update().filter(query, user__isnull=True).first()
        if guardian is None:
            return None
        Guardian.objects.filter(pk=guardian.pk).update(user=user)
        audit.record(actor=user, action="guardian.account_bound", obj=guardian, object_label=f"guardian #{guardian.pk}")
    return guardian


def record_paper_consent(*, request, decision, scan, guardian_name, actor):
    """Staff record a decision made on a signed paper form, with its scan."""
    if not scan:
        raise ValidationError(_("Unggah pindaian formulir yang sudah ditandatangani."), code="scan_required")
    with transaction.atomic():
        request = ConsentRequest.objects.select_for_update(of=("self",)).select_related("member", "text", "guardian").get(pk=request.pk)
        if request.decisions.exists():
            raise LinkProblem("used")
        return _append_decision(request, decision=decision, method=ConsentDecision.Method.PAPER, actor=actor,
                                guardian_name=guardian_name, paper_scan=scan)


def withdraw_consent(*, request, actor, ip_address=None, user_agent="", method=ConsentDecision.Method.PORTAL):
    """Withdraw a granted consent. Its consequences (membership ends, registrations are
    cancelled) run in the same transaction; erasure follows by a task."""
    with transaction.atomic():
        request = ConsentRequest.objects.select_for_update(of=("self",)).select_related("member", "text", "guardian").get(pk=request.pk)
        latest = request.decisions.order_by("-decided_at", "-id").first()
        if latest is None or latest.decision != ConsentDecision.Decision.GRANTED:
            raise ValidationError(_("Hanya persetujuan yang sudah diberikan yang bisa ditarik."), code="not_granted")
        record = _append_decision(request, decision=ConsentDecision.Decision.WITHDRAWN, method=method, actor=actor,
                                  ip_address=ip_address, user_agent=user_agent)
    return record


def _membership_consequences(*, request, decision, actor):
    member = request.member
    if decision == ConsentDecision.Decision.GRANTED:
        if member.status == S.AWAITING_CONSENT:
            transition(member, "consent_granted", actor=actor)
            _notify_reviewers(member)
    elif decision in (ConsentDecision.Decision.REFUSED, ConsentDecision.Decision.WITHDRAWN):
        if member.status in TRANSITIONS["withdraw"][0]:
            reason = "consent_refused" if decision == ConsentDecision.Decision.REFUSED else "consent_withdrawn"
            transition(member, "withdraw", actor=actor, reason=reason, ended_at=timezone.now())
        schedule_erasure(member)


consent_hooks.on_consent(Purpose.MEMBERSHIP, _membership_consequences)


def _notify_reviewers(member):
    from .models import StaffAssignment

    chain = []
    forum = member.forum
    while forum is not None:
        chain.append(forum.pk)
        forum = forum.parent
    emails = set(
        StaffAssignment.objects.filter(forum_id__in=chain, role=StaffAssignment.Role.FASILITATOR)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    for email in sorted(emails):
        queue_email(to=email, template="membership/review_needed", context={"forum_name": member.forum.name,
                    "review_url": settings.SITE_URL + "/admin/anggota/tinjau/"}, language=settings.LANGUAGE_CODE)


# ---- staff review ----------------------------------------------------------------------------


def approve_member(*, member, actor):
    with transaction.atomic():
        transition(member, "approve", actor=actor, approved_at=timezone.now(), member_number=member_number_for(member))
        _email_member_and_guardians(member, "application_approved")
    return member


def reject_member(*, member, actor, reason):
    if not reason.strip():
        raise ValidationError(_("Tuliskan alasan penolakan."), code="reason_required")
    with transaction.atomic():
        transition(member, "reject", actor=actor, reason=reason, ended_at=timezone.now())
        _email_member_and_guardians(member, "application_rejected", reason=reason)
        schedule_erasure(member)
    return member


def suspend_member(*, member, actor, reason):
    if not reason.strip():
        raise ValidationError(_("Tuliskan alasan penangguhan."), code="reason_required")
    return transition(member, "suspend", actor=actor, reason=reason)


def reinstate_member(*, member, actor):
    return transition(member, "reinstate", actor=actor)


def _email_member_and_guardians(member, template, **extra):
    context = {"child_name": member.display_name or member.full_name, "forum_name": member.forum.name,
               "member_number": member.member_number or "", "card_url": settings.SITE_URL + reverse("membership:my_card"),
               **extra}
    if member.user_id and member.user.email:
        queue_email(to=member.user.email, template=f"membership/{template}", context=context, language=member.user.language)
    for link in member.guardian_links.select_related("guardian"):
        queue_email(to=link.guardian.email, template=f"membership/{template}_guardian",
                    context={**context, "guardian_name": link.guardian.name}, language=link.guardian.language)


def export_member_data(*, member, actor):
    """Everything stored about the child, for the child's own download. Audited."""
    from . import selectors

    with transaction.atomic():
        audit.record(actor=actor, action="member.export", obj=member, object_label=f"member #{member.pk}")
    return selectors.member_data_export(member)


# ---- erasure and ageing out ------------------------------------------------------------------


def schedule_erasure(member):
    """After commit: close the child's account at once (in this process, so it does not wait for
    the broker), then queue the erasure."""
    member_id = member.pk
    transaction.on_commit(lambda: close_account(member_id=member_id))
    enqueue_on_commit("forumanak.membership.tasks.erase_member", member_id, task_name=f"erase-member-{member_id}")


def close_account(*, member_id):
    """The first step of erasure, committed on its own: the ended member's login is deactivated,
    its password made unusable and every one of its sessions ended. From then on no request can
    act as the child (so none writes an audit entry naming the account while it is erased), and
    the child's page and data download are refused. Idempotent; only for ended memberships."""
    from forumanak.core.sessions import purge_sessions

    with transaction.atomic():
        user_id = (
            Member.objects.filter(pk=member_id, status__in=[S.WITHDRAWN, S.REJECTED], user__isnull=False)
            .values_list("user_id", flat=True).first()
        )
        if user_id is None:
            return False
        # an unusable password also changes the session hash: a session missed below ends on its next request
        get_user_model().objects.filter(pk=user_id).update(is_active=False, password=make_password(None))
    purge_sessions(user_id)
    return True


ERASE_ATTEMPTS = 4


def erase_member_data(*, member_id, actor=None):
    """Erase a withdrawn or rejected child's personal data. Keeps only coarse, anonymous facts
    for statistics (gender, kecamatan, birth year, dates, status). Idempotent.

    The account is closed first (its own committed step), then the data is erased in one
    transaction, tried again a few times if it fails on a conflict (a request that was already past
    the login check when the account closed may still write an audit entry naming it; the commit
    then fails and the next attempt clears that entry too)."""
    close_account(member_id=member_id)
    for attempt in range(1, ERASE_ATTEMPTS + 1):
        try:
            return _erase_member_data(member_id=member_id, actor=actor)
        except (IntegrityError, OperationalError) as exc:
            if attempt == ERASE_ATTEMPTS:
                raise
            logger.warning("Erasure of member %s failed (attempt %s), trying again: %r", member_id, attempt, exc)
            time.sleep(0.05 * 2 ** attempt)
    return False


def _erase_member_data(*, member_id, actor):
    with transaction.atomic():
        member = Member.objects.select_for_update().filter(pk=member_id).first()
        if member is None or member.erased_at is not None:
            return False
        if member.status not in (S.WITHDRAWN, S.REJECTED):
            raise TransitionError(_("Data hanya dihapus setelah keanggotaan berakhir."), code="not_ended")
        addresses = set()
        user = member.user
        if user is not None:
            if user.email:
                addresses.add(user.email.lower())
        guardians = [link.guardian for link in member.guardian_links.select_related("guardian")]
        Member.objects.filter(pk=member.pk).update(
            full_name="", display_name="", date_of_birth=None, school="", kelurahan=None, user=None,
            erased_at=timezone.now(),
        )
        member.positions.all().delete()
        GuardianLink.objects.filter(member=member).delete()
        if user is not None:
            user.delete()  # the child's login, their email addresses and sessions
        for guardian in guardians:
            if not guardian.links.exists():
                # no other child: the guardian's contact details are no longer needed
                addresses.add(guardian.email.lower())
                guardian_user = guardian.user
                guardian.delete()
                if guardian_user is not None and not guardian_user.is_staff and not hasattr(guardian_user, "member"):
                    guardian_user.delete()
        # sent emails addressed to them held names and links
        stale = [e.pk for e in OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).only("pk", "to")
                 if addresses & {a.lower() for a in e.to}]
        OutboundEmail.objects.filter(pk__in=stale).delete()
        for hook in _erasure_hooks():
            hook(member_id=member.pk)
        audit.record(actor=actor, action="member.erase", obj=member, object_label=f"member #{member.pk}",
                     data={"emails_deleted": len(stale)})
    return True


def _erasure_hooks():
    from django.apps import apps

    for config in apps.get_app_configs():
        hook = getattr(config, "erase_member_data", None)
        if hook:
            yield hook


def erase_overdue():
    """Safety net: erase every ended membership whose erasure is due (the task may have been lost)."""
    due = Member.objects.filter(
        status__in=[S.WITHDRAWN, S.REJECTED], erased_at__isnull=True, status_changed_at__lte=timezone.now() - timedelta(hours=1)
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        count += erase_member_data(member_id=pk)
    return count


def age_out_members(*, today=None):
    """Members who have turned 18 become alumni and are told."""
    today = today or timezone.localdate()
    try:
        cutoff = today.replace(year=today.year - 18)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - 18, day=28)
    due = Member.objects.filter(status__in=[S.ACTIVE, S.SUSPENDED], date_of_birth__lte=cutoff)
    count = 0
    for member in due.select_related("forum", "user"):
        with transaction.atomic():
            transition(member, "age_out", actor=None, ended_at=timezone.now())
            _email_member_and_guardians(member, "aged_out")
        count += 1
    return count


# ---- reminders and expiry --------------------------------------------------------------------


def send_consent_reminders(*, now=None):
    """One reminder, 48 hours after the request, to a guardian who has not answered yet. The
    reminder carries a second link (the first still works); both expire with the request."""
    now = now or timezone.now()
    due = ConsentRequest.objects.filter(
        created_at__lte=now - CONSENT_REMINDER_AFTER, expires_at__gt=now, reminded_at__isnull=True,
        locked_at__isnull=True, decisions__isnull=True, guardian__isnull=False, held_at__isnull=True,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        token = new_token()
        with transaction.atomic():
            claimed = ConsentRequest.objects.filter(pk=pk, reminded_at__isnull=True).update(
                reminded_at=now, reminder_token_hash=ConsentRequest.hash_token(token)
            )
            if claimed:
                request = ConsentRequest.objects.select_related("member", "member__forum", "guardian").get(pk=pk)
                _email_guardian(request, "consent_reminder", token)
                sent += 1
    return sent


def notify_expired_consents(*, now=None):
    now = now or timezone.now()
    due = ConsentRequest.objects.filter(
        expires_at__lte=now, expiry_notified_at__isnull=True, decisions__isnull=True, guardian__isnull=False,
        held_at__isnull=True,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            if ConsentRequest.objects.filter(pk=pk, expiry_notified_at__isnull=True).update(expiry_notified_at=now):
                request = ConsentRequest.objects.select_related("member", "member__forum", "guardian").get(pk=pk)
                _email_guardian(request, "consent_expired")
                audit.record(actor=None, action="consent.expired", obj=request, object_label=f"consent #{request.pk}",
                             data={"purpose": request.purpose})
                consent_hooks.dispatch(request, "expired", None)
                sent += 1
    return sent


def resend_consent(*, member, actor):
    """A new membership consent request when the last one expired or was locked."""
    link = member.guardian_links.select_related("guardian").first()
    if link is None or member.status != S.AWAITING_CONSENT:
        raise TransitionError(_("Permintaan persetujuan baru tidak bisa dikirim sekarang."), code="cannot_resend")
    return request_consent(member=member, guardian=link.guardian, purpose=Purpose.MEMBERSHIP, actor=actor)


