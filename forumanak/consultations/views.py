from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import results as results_module
from . import selectors, services
from .forms import BallotForm
from .models import Answer, Consultation, ResultSnapshot


def reason_message(reason, consultation):
    """The clear, child-friendly reason why someone cannot vote."""
    if reason == "upcoming":
        when = formats.date_format(timezone.localtime(consultation.opens_at), "j F Y, H:i")
        return _("Konsultasi ini belum dibuka. Kamu bisa memberi suara mulai %(when)s.") % {"when": when}
    if reason == "closed":
        return _("Konsultasi ini sudah ditutup. Terima kasih untuk semua yang sudah ikut.")
    if reason == "login":
        return _("Masuk dulu dengan akun Forum Anak-mu untuk memberi suara.")
    if reason == "not_member":
        return _("Hanya anggota Forum Anak yang bisa memberi suara. Yuk, daftar dulu!")
    if reason == "inactive":
        return _("Keanggotaanmu belum aktif, jadi kamu belum bisa memberi suara.")
    if reason == "voted":
        return _("Kamu sudah memberi suara di konsultasi ini. Setiap anak memberi suara satu kali saja. Terima kasih!")
    if reason == "forum":
        names = ", ".join(f.name for f in selectors.scope_forums(consultation))
        return _("Konsultasi ini untuk anggota %(forums)s.") % {"forums": names}
    if reason == "age":
        return _("Konsultasi ini untuk anak umur %(min)s sampai %(max)s tahun.") % {
            "min": consultation.min_age, "max": consultation.max_age}
    return ""


# Anonymous visitors may get the listing and public results from the site's full-page cache
# (cms.cache.PageCacheMiddleware): a minute old at most, never for a signed-in user.
ANONYMOUS_CACHE_SECONDS = 60


def consultation_list(request):
    lists = selectors.listing()
    response = render(request, "consultations/consultation_list.html", {
        "open": list(lists["open"]), "upcoming": list(lists["upcoming"]), "finished": list(lists["finished"][:30]),
    })
    response.cms_cache_seconds = ANONYMOUS_CACHE_SECONDS
    return response


def _get(request, slug):
    consultation = get_object_or_404(Consultation.objects.select_related("forum"), slug=slug)
    preview = consultation.status == Consultation.Status.DRAFT
    if preview and not (selectors.is_consultation_staff(request.user) and selectors.can_manage(request.user, consultation)):
        raise Http404
    return consultation, preview


@never_cache
def consultation_detail(request, slug):
    consultation, preview = _get(request, slug)
    if preview:
        reason = None
    elif request.method == "POST" and consultation.is_open and selectors.member_with_forum(request.user) is not None:
        reason = None  # submit_ballot checks eligibility in its transaction; the reason is taken below if needed
    else:
        reason = selectors.reason_for(consultation, request.user)
    questions = selectors.ballot_questions(consultation)
    show_ballot = preview or reason is None
    form = BallotForm(questions, request.POST if request.method == "POST" and show_ballot else None)
    status = 200
    if request.method == "POST":
        if preview:
            status = 403
        elif reason == "voted":
            return _already_voted(request, consultation)
        elif reason is not None:
            status = 403
        elif form.is_valid():
            member = selectors.member_of(request.user)
            try:
                services.submit_ballot(consultation=consultation, member=member, answers=form.answers(),
                                       actor=request.user, questions=questions)
            except services.AlreadyVoted:
                return _already_voted(request, consultation)
            except services.NotEligible as refused:
                reason, show_ballot, status = refused.reason, False, 403
            except ValidationError as exc:
                form.add_service_errors(exc)
                status = 400
            else:
                return redirect("consultations:thanks", slug=consultation.slug)
        else:
            reason = selectors.reason_for(consultation, request.user)
            if reason == "voted":
                return _already_voted(request, consultation)
            show_ballot = reason is None
            status = 400 if reason is None else 403
    return render(request, "consultations/consultation_detail.html", {
        "consultation": consultation, "preview": preview, "reason": reason,
        "reason_message": reason_message(reason, consultation), "form": form if show_ballot else None,
        "phase": consultation.phase(), "scope_forums": selectors.scope_forums(consultation),
        "results_access": selectors.results_access(consultation, request.user),
    }, status=status)


def _already_voted(request, consultation):
    return render(request, "consultations/consultation_voted.html", {
        "consultation": consultation, "message": reason_message("voted", consultation),
        "results_access": selectors.results_access(consultation, request.user),
    })


@never_cache
def thanks(request, slug):
    consultation, _preview = _get(request, slug)
    member = selectors.member_of(request.user)
    if member is None or not selectors.has_participated(consultation, member):
        return redirect("consultations:detail", slug=slug)
    return render(request, "consultations/consultation_thanks.html", {"consultation": consultation})


def results(request, slug):
    consultation, preview = _get(request, slug)
    access = selectors.results_access(consultation, request.user)
    snapshot = None
    if access:
        snapshot = ResultSnapshot.objects.filter(consultation=consultation).defer("raw").first()
    quotes = responses = []
    if access == "public":
        if snapshot is not None and not snapshot.public.get("too_few"):
            # a quote among fewer than the threshold of children would point at its writer
            quotes = list(Answer.objects.filter(question__consultation=consultation, featured=True)
                          .values_list("quote", "question__prompt"))
        responses = list(consultation.responses.all())
    response = render(request, "consultations/consultation_results.html", {
        "consultation": consultation, "access": access, "snapshot": snapshot,
        "data": snapshot.public if snapshot else None, "breakdowns": access in ("public", "staff") and snapshot is not None
        and snapshot.is_final, "quotes": quotes, "responses": responses, "phase": consultation.phase(),
        "live": consultation.results_policy == Consultation.ResultsPolicy.LIVE, "threshold": results_module.threshold(),
    })
    if access != "public":
        response["Cache-Control"] = "private, no-store"
    elif not preview:
        response.cms_cache_seconds = ANONYMOUS_CACHE_SECONDS
    return response
