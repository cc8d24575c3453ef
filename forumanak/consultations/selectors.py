"""Reads of the consultations app that depend on who is asking or on the clock."""

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from forumanak.membership import selectors as membership_selectors
from forumanak.membership.models import Member, age_on

from .models import Answer, Consultation, GovernmentResponse, Participation, SafeguardingFlag

# Why someone cannot vote, in the order they are checked.
REASONS = ("draft", "upcoming", "closed", "login", "not_member", "inactive", "voted", "forum", "age")


def is_consultation_staff(user):
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.staff_assignments.exists()


def consultations_for_staff(user):
    """Consultations whose organising forum is in the staff member's chain."""
    if not user.is_authenticated:
        return Consultation.objects.none()
    return Consultation.objects.filter(membership_selectors.scope_q(user, region_field="forum__region"))


def can_manage(user, consultation):
    return consultations_for_staff(user).filter(pk=consultation.pk).exists()


def text_answers_for_staff(user):
    """Open answers of consultations in the staff member's chain, or from ballots of a
    kecamatan in it."""
    if not user.is_authenticated:
        return Answer.objects.none()
    q = membership_selectors.scope_q(user, region_field="ballot__consultation__forum__region") | code_scope_q(
        user, "ballot__kecamatan_code"
    )
    return Answer.objects.filter(q, choice__isnull=True)


def code_scope_q(user, field):
    """Like membership's scope_q, for a plain region-code column (a ballot's kecamatan)."""
    if user.is_superuser:
        return Q()
    q = Q(pk__in=[])
    for forum in membership_selectors.staff_forums(user).only("region_id", "level"):
        if forum.region_id is None:
            return Q()
        q |= Q(**{field: forum.region_id}) | Q(**{f"{field}__startswith": forum.region_id + "."})
    return q


def flags_for_staff(user):
    if not user.is_authenticated:
        return SafeguardingFlag.objects.none()
    return SafeguardingFlag.objects.filter(
        membership_selectors.scope_q(user, region_field="forum__region")
        | membership_selectors.scope_q(user, region_field="consultation__forum__region")
    )


def responses_for_staff(user):
    if not user.is_authenticated:
        return GovernmentResponse.objects.none()
    return GovernmentResponse.objects.filter(
        membership_selectors.scope_q(user, region_field="consultation__forum__region")
    )


QUESTIONS_CACHE_SECONDS = 600


def public_consultations():
    return Consultation.objects.exclude(status=Consultation.Status.DRAFT)


def listing(now=None):
    """Open, upcoming and finished consultations, for /konsultasi/."""
    now = now or timezone.now()
    published = public_consultations().select_related("forum")
    open_ = published.filter(status=Consultation.Status.PUBLISHED, opens_at__lte=now, closes_at__gt=now).order_by("closes_at")
    upcoming = published.filter(status=Consultation.Status.PUBLISHED, opens_at__gt=now).order_by("opens_at")
    finished = published.filter(Q(status=Consultation.Status.CLOSED) | Q(closes_at__lte=now)).order_by("-closes_at")
    return {"open": open_, "upcoming": upcoming, "finished": finished}


def open_consultations(now=None):
    return listing(now)["open"]


def ballot_questions(consultation):
    """The consultation's questions, in order, kept in the cache under the row's ``updated_at``:
    every edit of the questions saves the row (``services.save_consultation``), so an edited
    consultation is read afresh; once anyone has voted the database refuses question changes."""
    key = f"consultation-questions:{consultation.pk}:{consultation.updated_at.timestamp()}"
    questions = cache.get(key)
    if questions is None:
        questions = list(consultation.questions.all())
        cache.set(key, questions, QUESTIONS_CACHE_SECONDS)
    return questions


def scope_forums(consultation):
    return list(consultation.scope_forums.all()) or [consultation.forum]


def forum_in_scope(consultation, forum, scope=None):
    code = forum.region_id or ""
    for f in scope if scope is not None else scope_forums(consultation):
        if f.region_id is None:
            return True
        if code == f.region_id or code.startswith(f.region_id + "."):
            return True
    return False


def member_of(user):
    if not user.is_authenticated:
        return None
    member = getattr(user, "member", None)
    if member is None or member.erased_at is not None:
        return None
    return member


def member_with_forum(user):
    """Like ``member_of``, with the member's forum loaded in the same query (for a vote)."""
    if not user.is_authenticated:
        return None
    member = Member.objects.select_related("forum").filter(user_id=user.pk, erased_at__isnull=True).first()
    if member is not None:
        user.member = member  # later member_of(user) calls reuse it
    return member


def has_participated(consultation, member):
    return Participation.objects.filter(consultation=consultation, member=member).exists()


def ineligibility(consultation, member, *, now=None, today=None, check_voted=True, scope=None):
    """The reason ``member`` (a Member or None) may not vote now, or None if they may.
    ``scope``: the consultation's scope forums if the caller has them (anything with a
    ``region_id``)."""
    now = now or timezone.now()
    phase = consultation.phase(now)
    if phase == "draft":
        return "draft"
    if phase == "upcoming":
        return "upcoming"
    if phase in ("closed", "closing"):
        return "closed"
    if member is None:
        return "not_member"
    if member.status != member.Status.ACTIVE:
        return "inactive"
    if check_voted and has_participated(consultation, member):
        return "voted"
    if not forum_in_scope(consultation, member.forum, scope):
        return "forum"
    if member.date_of_birth is None:
        return "age"
    age = age_on(member.date_of_birth, today or timezone.localdate(now))
    if not consultation.min_age <= age <= consultation.max_age:
        return "age"
    return None


def reason_for(consultation, user, *, now=None):
    """Like ``ineligibility`` but for a request's user (adds "login")."""
    phase = consultation.phase(now)
    if phase in ("draft", "upcoming", "closed", "closing") or user.is_authenticated:
        return ineligibility(consultation, member_of(user), now=now)
    return "login"


def open_for_member(member, now=None):
    """Open consultations this member may vote in and has not voted in yet."""
    now = now or timezone.now()
    voted = set(Participation.objects.filter(member=member).values_list("consultation_id", flat=True))
    found = []
    for consultation in open_consultations(now).prefetch_related("scope_forums"):
        if consultation.pk in voted:
            continue
        if ineligibility(consultation, member, now=now, check_voted=False) is None:
            found.append(consultation)
    return found


def participations_of(member):
    return Participation.objects.filter(member=member).select_related("consultation").order_by("voted_on", "id")


def results_access(consultation, user, now=None):
    """"public" after closing, "live" for members in scope while a live consultation is open,
    "staff" for staff in scope (preview of the live snapshot), None otherwise."""
    phase = consultation.phase(now)
    if phase == "closed":
        return "public"
    if phase == "draft":
        return None
    if is_consultation_staff(user) and can_manage(user, consultation):
        return "staff"
    if consultation.results_policy == Consultation.ResultsPolicy.LIVE and phase in ("open", "closing"):
        member = member_of(user)
        if member is not None and member.status == member.Status.ACTIVE and forum_in_scope(consultation, member.forum):
            return "live"
    return None
