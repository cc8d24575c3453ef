"""Every write of the consultations app."""

import uuid
from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forumanak.core import audit
from forumanak.core.email import queue_email
from forumanak.core.tasks import enqueue_on_commit
from forumanak.membership.models import Forum, StaffAssignment, age_band, age_on

from . import mixing, selectors
from .models import (
    Answer,
    Ballot,
    BallotBox,
    Consultation,
    GovernmentResponse,
    Participation,
    Question,
    SafeguardingFlag,
)

S = Consultation.Status


class NotEligible(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class AlreadyVoted(NotEligible):
    def __init__(self):
        super().__init__("voted")


class TransitionError(ValidationError):
    pass


TRANSITIONS = {
    "publish": ({S.DRAFT}, S.PUBLISHED),
    "close": ({S.PUBLISHED}, S.CLOSED),
}


def transition(consultation, name, *, actor, **fields):
    allowed, target = TRANSITIONS[name]
    with transaction.atomic():
        updated = Consultation.objects.filter(pk=consultation.pk, status__in=allowed).update(status=target, **fields)
        if not updated:
            raise TransitionError(_("Status konsultasi tidak bisa diubah dengan tindakan ini."), code="illegal_transition")
        audit.record(actor=actor, action=f"consultation.{name}", obj=consultation, data={"to": target})
    consultation.refresh_from_db()
    return consultation


# ---- staff: the consultation and its questions ---------------------------------------------


def has_votes(consultation):
    return consultation.pk is not None and Participation.objects.filter(consultation_id=consultation.pk).exists()


def validate_questions(questions):
    """Check the questions of a consultation before it is published (or saved)."""
    errors = []
    for q in questions:
        choices = q.choices
        label = q.prompt or "?"
        if q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.RANKING) and len(choices) < 2:
            errors.append(_("“%(q)s”: tulis paling sedikit dua pilihan.") % {"q": label})
        if q.kind == Question.Kind.SCALE and len(choices) != 5:
            errors.append(_("“%(q)s”: skala perlu tepat lima label.") % {"q": label})
        if len(choices) != len(set(choices)):
            errors.append(_("“%(q)s”: ada pilihan yang sama.") % {"q": label})
        if q.kind == Question.Kind.MULTIPLE and not (q.max_choices and 1 <= q.max_choices <= max(len(choices), 1)):
            errors.append(_("“%(q)s”: isi “paling banyak dipilih” (1 sampai jumlah pilihan).") % {"q": label})
        if q.kind == Question.Kind.RANKING and not (q.top_k and 1 <= q.top_k <= max(len(choices), 1)):
            errors.append(_("“%(q)s”: isi “jumlah urutan” (1 sampai jumlah pilihan).") % {"q": label})
    if errors:
        raise ValidationError(errors)


def _lock(consultation_id):
    return Consultation.objects.select_for_update().get(pk=consultation_id)


def save_consultation(*, form, actor):
    """Save the admin form of a consultation (with its questions). Once someone has voted the
    questions cannot change: checked here under a row lock, and refused by the database."""
    with transaction.atomic():
        instance = form.instance
        creating = instance.pk is None
        if not creating:
            _lock(instance.pk)
            if has_votes(instance) and question_formset_changed(form):
                raise ValidationError(_("Pertanyaan tidak bisa diubah karena sudah ada yang memberi suara."),
                                      code="questions_locked")
        if creating:
            instance.created_by = actor if getattr(actor, "is_authenticated", False) else None
        consultation = form.save()
        audit.record(actor=actor, action="consultation.create" if creating else "consultation.edit", obj=consultation)
    return consultation


def question_formset_changed(form):
    formset = getattr(form, "formsets", {}).get("questions")
    if formset is None:
        return False
    if formset.deleted_forms or any(f.has_changed() for f in formset.forms):
        return True
    return False


def publish(*, consultation, actor):
    questions = list(consultation.questions.all())
    if not questions:
        raise ValidationError(_("Tambahkan paling sedikit satu pertanyaan."), code="no_questions")
    validate_questions(questions)
    if consultation.closes_at <= timezone.now():
        raise ValidationError(_("Waktu tutup sudah lewat."), code="closes_in_past")
    return transition(consultation, "publish", actor=actor, published_at=timezone.now())


def delete_consultation(*, consultation, actor):
    with transaction.atomic():
        consultation = _lock(consultation.pk)
        if consultation.status != S.DRAFT or has_votes(consultation):
            raise ValidationError(_("Hanya draf tanpa suara yang bisa dihapus."), code="not_draft")
        audit.record(actor=actor, action="consultation.delete", obj=consultation)
        consultation.delete()


def close(*, consultation_id, actor=None, now=None):
    """Close a consultation whose closing time has come, then mix its ballots once more (see
    ``mix_ballots``) and compute its final results in a task. Idempotent: a closed consultation
    only gets its snapshot (re)computed."""
    now = now or timezone.now()
    with transaction.atomic():
        consultation = _lock(consultation_id)
        if consultation.status == S.PUBLISHED and consultation.closes_at <= now:
            transition(consultation, "close", actor=actor, closed_at=now)
        if consultation.status == S.CLOSED:
            # the task mixes the ballots once more (no vote can come in any more), then counts
            enqueue_on_commit("forumanak.consultations.tasks.compute_results", consultation.pk,
                              task_name=f"consultation-results-{consultation.pk}", q_options={"timeout": 900})
    return consultation


RESULTS_SAFETY_NET = timedelta(minutes=15)


def close_due(*, now=None):
    """Close what is due. Also a safety net: a consultation closed a while ago whose final
    results are still missing (a lost or failed task) gets them computed again."""
    now = now or timezone.now()
    due = list(Consultation.objects.filter(status=S.PUBLISHED, closes_at__lte=now).values_list("pk", flat=True))
    for pk in due:
        close(consultation_id=pk, now=now)
    missing = Consultation.objects.filter(status=S.CLOSED, closed_at__lte=now - RESULTS_SAFETY_NET).exclude(
        snapshot__is_final=True).values_list("pk", flat=True)
    for pk in list(missing):
        enqueue_on_commit("forumanak.consultations.tasks.compute_results", pk, task_name=f"consultation-results-{pk}-again",
                          q_options={"timeout": 900})
    return len(due)


# ---- the ballot box ---------------------------------------------------------------------------

# A mixing rewrites every ballot and answer of the consultation (about 45 s for 200,000 ballots
# with 1.1 million answers on a small server). Up to this many ballots a consultation is mixed
# every minute; a larger one once per this many ballots per minute, so that mixing never takes
# more than a small share of the database's time.
MIX_BALLOTS_PER_MINUTE = 20_000
MIX_SLACK = timedelta(seconds=30)  # the minute task does not run at exactly the same second


def mix_ballots(*, consultation_id):
    """Rewrite all ballots and answers of a consultation in the order of their random ids, so
    that nothing stored can be lined up with the order of the participations (see ``mixing``).
    Idempotent; a task, so no acting user. Returns the number of ballots."""
    with transaction.atomic():
        return mixing.rewrite(consultation_id)


def mix_ballot_boxes(*, now=None):
    """Ask for the mixing of every consultation whose box holds ballots (runs every minute): at
    once, unless the last mixing was asked for less than a minute per ``MIX_BALLOTS_PER_MINUTE``
    ballots ago. The mixings run as tasks, queued on commit. Returns how many were asked for."""
    now = now or timezone.now()
    waiting = set(Ballot.objects.filter(mixed=False).order_by().values_list("consultation_id", flat=True).distinct())
    asked = dict(BallotBox.objects.filter(consultation_id__in=waiting).values_list("consultation_id", "requested_at"))
    due = []
    for consultation_id in sorted(waiting):
        last = asked.get(consultation_id)
        if last is not None:
            ballots = Ballot.objects.filter(consultation_id=consultation_id).count()
            if now - last < timedelta(minutes=ballots / MIX_BALLOTS_PER_MINUTE) - MIX_SLACK:
                continue
        due.append(consultation_id)
    with transaction.atomic():
        for consultation_id in due:
            BallotBox.objects.update_or_create(consultation_id=consultation_id, defaults={"requested_at": now})
            enqueue_on_commit("forumanak.consultations.tasks.mix_ballots", consultation_id,
                              task_name=f"consultation-mix-{consultation_id}", q_options={"timeout": 900})
    return len(due)


# ---- voting -----------------------------------------------------------------------------------


def _lock_for_vote(consultation_id):
    """Votes share a lock on the consultation row: they do not wait for each other, but a
    closing or an edit of the questions (which take the row FOR UPDATE) waits for them, and
    they wait for it. SQLite runs one write transaction at a time anyway.

    Returns the consultation and its scope forums' regions (as objects with ``region_id``), read
    in the same statement on PostgreSQL, or None for the scope where it is not."""
    if connection.vendor == "postgresql":
        scope_table = Consultation.scope_forums.through._meta.db_table
        forum_table = Forum._meta.db_table
        found = list(Consultation.objects.raw(
            f"SELECT c.*, ARRAY(SELECT f.region_id FROM {scope_table} s JOIN {forum_table} f ON f.id = s.forum_id "
            f"WHERE s.consultation_id = c.id) AS scope_regions, "
            f"(SELECT f.region_id FROM {forum_table} f WHERE f.id = c.forum_id) AS own_region "
            f"FROM {Consultation._meta.db_table} c WHERE c.id = %s FOR SHARE OF c", [consultation_id]))
        locked = found[0]
        regions = locked.scope_regions or [locked.own_region]
        return locked, [SimpleNamespace(region_id=code) for code in regions]
    return Consultation.objects.get(pk=consultation_id), None


def check_answers(questions, answers):
    """Validate ``answers`` ({question id: value}) against ``questions``. Returns the Answer
    rows to write (without ballot) or raises ValidationError keyed by question id."""
    errors = {}
    rows = []
    for q in questions:
        value = answers.get(q.pk)
        empty = value in (None, "", [], ())
        choices = q.choices
        key = f"q{q.pk}"
        if empty:
            if q.required:
                errors[key] = _("Pertanyaan ini wajib dijawab.")
            continue
        if q.kind in (Question.Kind.SINGLE, Question.Kind.SCALE):
            if not isinstance(value, int) or not 0 <= value < len(choices):
                errors[key] = _("Pilih salah satu jawaban.")
                continue
            rows.append(Answer(question=q, choice=value))
        elif q.kind == Question.Kind.MULTIPLE:
            values = list(value)
            if any(not isinstance(v, int) or not 0 <= v < len(choices) for v in values) or len(set(values)) != len(values):
                errors[key] = _("Pilihan tidak dikenal.")
                continue
            if len(values) > (q.max_choices or len(choices)):
                errors[key] = _("Pilih paling banyak %(n)s.") % {"n": q.max_choices}
                continue
            rows.extend(Answer(question=q, choice=v) for v in values)
        elif q.kind == Question.Kind.RANKING:
            values = list(value)
            k = q.top_k or len(choices)
            if any(not isinstance(v, int) or not 0 <= v < len(choices) for v in values):
                errors[key] = _("Pilihan tidak dikenal.")
                continue
            if len(set(values)) != len(values):
                errors[key] = _("Setiap pilihan hanya boleh dipakai sekali dalam urutan.")
                continue
            if len(values) != k:
                errors[key] = _("Isi semua %(k)s urutan.") % {"k": k}
                continue
            rows.extend(Answer(question=q, choice=v, rank=position) for position, v in enumerate(values, start=1))
        else:
            text = str(value).strip()
            if len(text) > q.max_length:
                errors[key] = _("Jawaban terlalu panjang: paling banyak %(n)s huruf.") % {"n": q.max_length}
                continue
            if text:
                rows.append(Answer(question=q, text=text, moderation=Answer.Moderation.PENDING))
            elif q.required:
                errors[key] = _("Pertanyaan ini wajib dijawab.")
    if errors:
        raise ValidationError(errors)
    return rows


def _is_participation_conflict(exc):
    text = str(exc)
    # PostgreSQL names the constraint; SQLite names the columns of its unique index
    return ("consultations_one_participation_per_member" in text
            or "consultations_participation.consultation_id, consultations_participation.member_id" in text)


def submit_ballot(*, consultation, member, answers, actor, now=None, questions=None):
    """Record one member's vote: the participation (unique by constraint) and an unlinkable
    ballot with its answers, in one transaction. Raises NotEligible / AlreadyVoted /
    ValidationError; nothing is saved then.

    ``questions``: the consultation's questions as the caller loaded them (for the form). They
    are used if the consultation row has not changed since (same ``updated_at`` under the lock:
    every edit of the questions or the scope saves the row), otherwise loaded again. ``member``
    should come with its forum (``select_related("forum")``)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    try:
        with transaction.atomic():
            locked, scope = _lock_for_vote(consultation.pk)
            unchanged = locked.updated_at == consultation.updated_at
            if locked.forum_id == consultation.forum_id and Consultation.forum.is_cached(consultation):
                locked.forum = consultation.forum  # already loaded by the caller: one query less
            if unchanged and questions is not None:
                questions = list(questions)
            else:
                questions = list(locked.questions.all())
            consultation = locked
            reason = selectors.ineligibility(consultation, member, now=now, today=today, check_voted=False, scope=scope)
            if reason:
                raise NotEligible(reason)
            rows = check_answers(questions, answers)
            # one participation per member and consultation: the unique constraint refuses a second,
            # and the whole transaction (ballot and answers with it) is rolled back
            Participation.objects.create(consultation=consultation, member=member, voted_on=today)
            ballot = Ballot.objects.create(
                id=uuid.uuid4(),
                consultation=consultation,
                age_band=age_band(age_on(member.date_of_birth, today)),
                gender=member.gender,
                kecamatan_code=member.kecamatan_id,
                voted_on=today,
            )
            for row in rows:
                row.id = uuid.uuid4()
                row.ballot = ballot
            Answer.objects.bulk_create(rows)
    except IntegrityError as exc:
        if not _is_participation_conflict(exc):
            raise
        raise AlreadyVoted() from None
    return ballot


# ---- moderation and safeguarding --------------------------------------------------------------


def moderate_answer(*, answer, actor, moderation, featured=False, quote=""):
    """Mark an open answer as safe or hidden, and optionally feature an (edited) quote of it."""
    if answer.choice is not None:
        raise ValidationError(_("Hanya jawaban bebas yang dimoderasi."), code="not_text")
    quote = (quote or "").strip()
    if featured and moderation != Answer.Moderation.APPROVED:
        raise ValidationError(_("Hanya jawaban yang aman yang bisa ditampilkan sebagai kutipan."), code="not_approved")
    if featured and not quote:
        raise ValidationError(_("Tulis kutipan yang akan ditampilkan."), code="quote_required")
    with transaction.atomic():
        Answer.objects.filter(pk=answer.pk).update(moderation=moderation, featured=featured, quote=quote if featured else "",
                                                   moderated_by=actor)
        audit.record(actor=actor, action="consultation.moderate", obj=answer, object_label=f"answer {answer.pk}",
                     data={"moderation": moderation, "featured": featured})
    answer.refresh_from_db()
    return answer


def flag_forum(answer):
    """The forum a flag goes to: the forum of the ballot's kecamatan when it exists (and is in
    the consultation's area), otherwise the organising forum."""
    consultation = answer.ballot.consultation
    kecamatan_forum = Forum.objects.filter(region_id=answer.ballot.kecamatan_code).first()
    if kecamatan_forum and selectors.forum_in_scope(consultation, kecamatan_forum, [consultation.forum]):
        return kecamatan_forum
    return consultation.forum


def flag_answer(*, answer, actor, reason):
    """Send an open answer that suggests a child may be at risk to the fasilitator of a forum."""
    if not (reason or "").strip():
        raise ValidationError(_("Tuliskan mengapa jawaban ini perlu perhatian."), code="reason_required")
    if answer.choice is not None:
        raise ValidationError(_("Hanya jawaban bebas yang bisa ditandai."), code="not_text")
    with transaction.atomic():
        answer = Answer.objects.select_related("ballot", "ballot__consultation", "ballot__consultation__forum").get(pk=answer.pk)
        forum = flag_forum(answer)
        try:
            with transaction.atomic():
                flag = SafeguardingFlag.objects.create(answer=answer, consultation=answer.ballot.consultation, forum=forum,
                                                       reason=reason.strip(), raised_by=actor)
        except IntegrityError:
            raise ValidationError(_("Jawaban ini sudah ada di antrean perlindungan anak."), code="already_flagged")
        if answer.featured or answer.moderation != Answer.Moderation.HIDDEN:
            Answer.objects.filter(pk=answer.pk).update(moderation=Answer.Moderation.HIDDEN, featured=False, quote="",
                                                       moderated_by=actor)
        audit.record(actor=actor, action="consultation.safeguarding_flag", obj=flag, object_label=f"flag #{flag.pk}",
                     data={"answer": str(answer.pk), "forum": forum.pk, "consultation": answer.ballot.consultation_id})
        _notify_fasilitators(flag)
    return flag


def _notify_fasilitators(flag):
    chain = []
    forum = flag.forum
    while forum is not None:
        chain.append(forum.pk)
        forum = forum.parent
    emails = set(
        StaffAssignment.objects.filter(forum_id__in=chain, role=StaffAssignment.Role.FASILITATOR)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    for email in sorted(emails):
        # no text of the answer in the email: it is read in the admin, behind two-factor login
        queue_email(to=email, template="consultations/safeguarding_flag",
                    context={"forum_name": flag.forum.name, "consultation_title": flag.consultation.title,
                             "queue_url": settings.SITE_URL + reverse("consultations_flags:edit", args=[flag.pk])},
                    language=settings.LANGUAGE_CODE)


def resolve_flag(*, flag, actor, note):
    if not (note or "").strip():
        raise ValidationError(_("Tuliskan apa yang sudah dilakukan."), code="note_required")
    with transaction.atomic():
        updated = SafeguardingFlag.objects.filter(pk=flag.pk, status=SafeguardingFlag.Status.OPEN).update(
            status=SafeguardingFlag.Status.HANDLED, handled_by=actor, handled_at=timezone.now(), handling_note=note.strip()
        )
        if not updated:
            raise ValidationError(_("Tanda ini sudah ditangani."), code="already_handled")
        audit.record(actor=actor, action="consultation.safeguarding_handled", obj=flag, object_label=f"flag #{flag.pk}")
    flag.refresh_from_db()
    return flag


# ---- the government's answer ------------------------------------------------------------------


def save_response(*, form, actor):
    """Create or change a Tanggapan pemerintah. Only for a closed consultation."""
    response = form.instance
    if response.consultation_id is None or response.consultation.status != S.CLOSED:
        raise ValidationError(_("Tanggapan pemerintah dicatat setelah konsultasi ditutup."), code="not_closed")
    with transaction.atomic():
        response.updated_by = actor
        creating = response.pk is None
        response = form.save()
        audit.record(actor=actor, action="consultation.response_" + ("create" if creating else "edit"), obj=response,
                     data={"consultation": response.consultation_id, "status": response.status})
    return response


def delete_response(*, response, actor):
    with transaction.atomic():
        audit.record(actor=actor, action="consultation.response_delete", obj=response,
                     data={"consultation": response.consultation_id})
        GovernmentResponse.objects.filter(pk=response.pk).delete()


def record_export(*, consultation, actor, kind):
    with transaction.atomic():
        audit.record(actor=actor, action=f"consultation.export_{kind}", obj=consultation)
