import json
from functools import wraps

from allauth.account.adapter import get_adapter as get_account_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from forumanak.core import ratelimit
from forumanak.core.access import get_object_or_deny
from forumanak.core.http import client_ip

from . import selectors, services
from .forms import ApplicationForm, ConsentDecisionForm, PublicationLevelForm
from .models import ConsentRequest, Forum, Member, Purpose
from .selectors import request_state

AGE_MESSAGES = {
    "too_young": gettext_lazy("Forum Anak untuk umur 10 sampai 17 tahun. Kamu bisa mendaftar setelah ulang tahunmu yang ke-10. Sampai jumpa!"),
    "too_old": gettext_lazy("Forum Anak untuk umur 10 sampai 17 tahun."),
    "adult": gettext_lazy("Forum Anak untuk anak umur 10 sampai 17 tahun. Untuk orang dewasa, ada kegiatan umum yang bisa diikuti."),
}


APPLY_RATE_LIMITED = gettext_lazy(
    "Terlalu banyak pendaftaran dari jaringan ini dalam waktu singkat. Tunggu beberapa menit, lalu tekan "
    "“Kirim pendaftaran” lagi. Isianmu masih ada, hanya kata sandi yang perlu diketik ulang. Kalau masih "
    "gagal, minta bantuan fasilitator forummu."
)
APPLY_HELD = gettext_lazy(
    "Hari ini sudah ada beberapa pendaftaran dengan email orang tua/wali yang sama. Pendaftaranmu tersimpan. "
    "Fasilitator akan memeriksanya dulu, lalu mengirim email ke orang tua/walimu."
)


def guardian_login_required(view):
    """Guardians sign in by a code sent to their email: no password to remember."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("account_request_login_code"))
        return view(request, *args, **kwargs)

    return wrapper


def _application_from(data):
    return services.Application(
        full_name=data["full_name"], display_name=data["display_name"], date_of_birth=data["date_of_birth"],
        gender=data["gender"], kelurahan=data["kelurahan_region"], school=data["school"],
        guardian_name=data.get("guardian_name", ""), guardian_relationship=data["guardian_relationship"],
        guardian_email=data.get("guardian_email", ""), guardian_phone=data.get("guardian_phone", ""),
        guardian_language=data.get("guardian_language", "id"),
    )


@never_cache
def apply(request):
    if request.user.is_authenticated and hasattr(request.user, "member"):
        return redirect("membership:my_card")
    form = ApplicationForm(request.POST or None, city_code=settings.FORUM_CITY_CODE)
    age_message = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        problem = services.age_problem(data["date_of_birth"])
        if problem:
            age_message = AGE_MESSAGES[problem]
            return render(request, "membership/member_apply_age.html", {"message": age_message, "adult": problem == "adult"})
        if not ratelimit.consume(request, action="apply"):
            # refused, not lost: the form comes back with everything typed (but the passwords)
            form.add_error(None, APPLY_RATE_LIMITED)
            return render(request, "membership/member_apply.html", {"form": form}, status=429)
        if data["email"] and get_user_model().objects.filter(email__iexact=data["email"]).exists():
            # the same answer as for a new address; the owner of the address is told by email
            adapter = get_account_adapter(request)
            adapter.send_account_already_exists_mail(data["email"])
            adapter.add_message(request, messages.INFO, "account/messages/email_confirmation_sent.txt",
                                {"email": data["email"], "login": False, "signup": True})
            return redirect("membership:apply_done")
        try:
            with transaction.atomic():
                user = services.create_child_account(
                    username=_free_username(data["username"] or data["email"].split("@")[0]),
                    email=data["email"], password=data["password1"], language=request.LANGUAGE_CODE,
                )
                _member, consent, _token = services.submit_application(
                    application=_application_from(data), user=user, actor=user,
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if consent.held_at:
                messages.info(request, APPLY_HELD)
            if data["email"]:
                from allauth.account.internal.flows.email_verification import send_verification_email_to_address
                from allauth.account.models import EmailAddress

                send_verification_email_to_address(request, EmailAddress.objects.get(user=user, email=data["email"]), signup=True)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("membership:apply_done")
    return render(request, "membership/member_apply.html", {"form": form})


def _free_username(wanted):
    """The username the child asked for, or (taken, or made from an email) the first free variant:
    ``putri-bpp``, ``putri-bpp-2`` … The child is shown the one they got."""
    base = (wanted or "anak")[:140].lower()
    candidate, n = base, 1
    User = get_user_model()
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def apply_done(request):
    return render(request, "membership/member_apply_done.html")


@login_required
@never_cache
def my_card(request):
    member = getattr(request.user, "member", None)
    if member is None:
        return render(request, "membership/member_none.html", status=404)
    consents = selectors.consents_for_member(member)
    rows = [(c, request_state(c, list(c.decisions.all()))) for c in consents]
    positions = member.positions.select_related("term", "term__forum").order_by("-start_date")
    extra_sections = [s for s in (hook(member) for hook in _member_page_hooks()) if s]
    return render(request, "membership/member_card.html", {
        "member": member, "consents": rows, "positions": positions, "extra_sections": extra_sections,
    })


def _member_page_hooks():
    from django.apps import apps

    for config in apps.get_app_configs():
        hook = getattr(config, "member_page_section", None)
        if hook:
            yield hook


@login_required
def my_data(request):
    member = getattr(request.user, "member", None)
    if member is None:
        return HttpResponse(status=404)
    payload = services.export_member_data(member=member, actor=request.user)
    response = HttpResponse(json.dumps(payload, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="data-saya-{member.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


# ---- consent by link -------------------------------------------------------------------------

LINK_PROBLEM_STATUS = {"invalid": 404, "used": 410, "expired": 410, "locked": 403, "wrong_purpose": 400}


@never_cache
def consent(request, token):
    found = services.find_request(token)
    try:
        services.check_link(found)
    except services.LinkProblem as problem:
        return render(request, "membership/consent_problem.html", {"problem": problem.code},
                      status=LINK_PROBLEM_STATUS[problem.code])
    form = ConsentDecisionForm(request.POST or None, initial={"purpose": found.purpose})
    attempts_left = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not ratelimit.consume(request, action="consent_birth_date", dry_run=True):
            return render(request, "429.html", status=429)
        try:
            record = services.decide_by_link(
                token=token, purpose=data["purpose"], decision=data["decision"],
                date_of_birth=data["date_of_birth"], guardian_name=data["guardian_name"],
                ip_address=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except services.LinkProblem as problem:
            return render(request, "membership/consent_problem.html", {"problem": problem.code},
                          status=LINK_PROBLEM_STATUS[problem.code])
        except services.WrongBirthDate as wrong:
            ratelimit.consume(request, action="consent_birth_date")  # per client, across every link
            if wrong.attempts_left <= 0:
                return render(request, "membership/consent_problem.html", {"problem": "locked"}, status=403)
            attempts_left = wrong.attempts_left
            form.add_error("date_of_birth", _("Tanggal lahir tidak cocok. Sisa percobaan: %(n)s.") % {"n": attempts_left})
        else:
            return render(request, "membership/consent_done.html", {"consent": found, "record": record})
    return render(request, "membership/consent_page.html", {"consent": found, "form": form, "text": found.text})


# ---- guardian portal -------------------------------------------------------------------------


@guardian_login_required
@never_cache
def guardian_home(request):
    guardian = getattr(request.user, "guardian", None)
    children = selectors.children_of(request.user).select_related("forum")
    return render(request, "membership/guardian_home.html", {"guardian": guardian, "children": children})


@guardian_login_required
@never_cache
def guardian_child(request, member_id):
    member = get_object_or_deny(
        Member.objects.select_related("forum"), allowed=lambda m: m.guardian_links.filter(guardian__user=request.user).exists(),
        pk=member_id,
    )
    consents = selectors.consents_for_member(member)
    rows = [(c, request_state(c, list(c.decisions.all()))) for c in consents]
    return render(request, "membership/guardian_child.html", {
        "member": member, "consents": rows, "publication_form": PublicationLevelForm(initial={"level": selectors.publication_level(member)}),
    })


@guardian_login_required
@require_POST
def guardian_withdraw(request, request_id):
    consent_request = get_object_or_deny(
        ConsentRequest.objects.select_related("member"),
        allowed=lambda r: r.guardian_id is not None and r.guardian.user_id == request.user.pk, pk=request_id,
    )
    if request.POST.get("confirm") != "yes":
        return render(request, "membership/guardian_withdraw_confirm.html", {"consent": consent_request})
    try:
        services.withdraw_consent(request=consent_request, actor=request.user, ip_address=client_ip(request),
                                  user_agent=request.META.get("HTTP_USER_AGENT", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Persetujuan sudah ditarik. Kami sudah mengirim tanda terima ke email Anda."))
    if Member.objects.filter(pk=consent_request.member_id, guardian_links__guardian__user=request.user).exists():
        return redirect("membership:guardian_child", member_id=consent_request.member_id)
    return redirect("membership:guardian_home")


@guardian_login_required
@require_POST
def guardian_publication(request, member_id):
    member = get_object_or_deny(
        Member.objects.all(), allowed=lambda m: m.guardian_links.filter(guardian__user=request.user).exists(), pk=member_id,
    )
    form = PublicationLevelForm(request.POST)
    if form.is_valid():
        guardian = request.user.guardian
        consent_request, token = services.request_consent(
            member=member, guardian=guardian, purpose=Purpose.PUBLICATION, actor=request.user,
            details={"level": form.cleaned_data["level"]}, notify=False,
        )
        return redirect("membership:consent", token=token)
    messages.error(request, _("Pilih salah satu."))
    return redirect("membership:guardian_child", member_id=member.pk)


@guardian_login_required
@never_cache
def guardian_apply(request):
    guardian = getattr(request.user, "guardian", None)
    if guardian is None:
        return redirect("membership:guardian_home")
    form = ApplicationForm(request.POST or None, city_code=settings.FORUM_CITY_CODE, with_guardian=False)
    form.fields["email"].label = _("Email anak (boleh kosong)")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        problem = services.age_problem(data["date_of_birth"])
        if problem:
            return render(request, "membership/member_apply_age.html", {"message": AGE_MESSAGES[problem], "adult": problem == "adult"})
        try:
            with transaction.atomic():
                user = services.create_child_account(
                    username=_free_username(data["username"] or data["email"].split("@")[0]), email=data["email"],
                    password=data["password1"], language=guardian.language,
                )
                _member, _consent, token = services.submit_application(
                    application=_application_from(data), user=user, actor=request.user, guardian=guardian,
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("membership:consent", token=token)
    return render(request, "membership/guardian_apply.html", {"form": form})


# ---- public board listing --------------------------------------------------------------------


def board(request, slug):
    forum = get_object_or_404(Forum, slug=slug)
    positions = selectors.public_board(forum)
    return render(request, "membership/forum_board.html", {"forum": forum, "positions": positions})
