from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from forumanak.core import audit
from forumanak.core.access import get_object_or_deny
from forumanak.core.files import serve_private_file

from . import selectors, services
from .forms import PaperConsentForm, ReasonForm
from .models import ConsentDecision, ConsentRequest, Member


def _require_staff(request):
    if not (request.user.is_superuser or request.user.staff_assignments.exists()):
        raise PermissionDenied


def _member_in_scope(request, member_id):
    _require_staff(request)
    return get_object_or_deny(selectors.members_in_scope(request.user), allowed=lambda m: True, pk=member_id)


def member_list(request):
    _require_staff(request)
    status = request.GET.get("status", "")
    members = selectors.members_in_scope(request.user).filter(erased_at__isnull=True).order_by("-applied_at")
    if status in Member.Status.values:
        members = members.filter(status=status)
    page = Paginator(members, 50).get_page(request.GET.get("p"))
    return render(request, "membership/admin/member_list.html", {
        "page_obj": page, "status": status, "statuses": Member.Status.choices, "header_title": _("Anggota"),
        "page_title": _("Anggota"), "header_icon": "group",
    })


def review_queue(request):
    _require_staff(request)
    members = selectors.members_in_scope(request.user).filter(status=Member.Status.PENDING_REVIEW).order_by("status_changed_at")
    return render(request, "membership/admin/review_queue.html", {
        "members": members, "page_title": _("Antrean tinjauan"), "header_title": _("Antrean tinjauan"), "header_icon": "group",
    })


def member_detail(request, member_id):
    member = _member_in_scope(request, member_id)
    with transaction.atomic():
        audit.record(actor=request.user, action="member.view", obj=member, object_label=f"member #{member.pk}")
    consents = selectors.consents_for_member(member)
    rows = [(c, selectors.request_state(c, list(c.decisions.all()))) for c in consents]
    return render(request, "membership/admin/member_detail.html", {
        "member": member, "consents": rows, "reason_form": ReasonForm(), "age": member.age_on(),
        "guardians": member.guardian_links.select_related("guardian"),
        "page_title": str(member), "header_title": str(member), "header_icon": "user",
    })


ACTIONS = {
    "setujui": lambda member, user, reason: services.approve_member(member=member, actor=user),
    "tolak": lambda member, user, reason: services.reject_member(member=member, actor=user, reason=reason),
    "tangguhkan": lambda member, user, reason: services.suspend_member(member=member, actor=user, reason=reason),
    "aktifkan": lambda member, user, reason: services.reinstate_member(member=member, actor=user),
    "kirim-ulang": lambda member, user, reason: services.resend_consent(member=member, actor=user),
}
DONE = {
    "setujui": gettext_lazy("Pendaftaran disetujui. Anak dan orang tua/wali diberi tahu lewat email."),
    "tolak": gettext_lazy("Pendaftaran ditolak. Anak dan orang tua/wali diberi tahu; data akan dihapus."),
    "tangguhkan": gettext_lazy("Keanggotaan ditangguhkan."),
    "aktifkan": gettext_lazy("Keanggotaan diaktifkan kembali."),
    "kirim-ulang": gettext_lazy("Permintaan persetujuan baru sudah dikirim ke orang tua/wali."),
}


@require_POST
def member_action(request, member_id, action):
    member = _member_in_scope(request, member_id)
    if action not in ACTIONS:
        raise PermissionDenied
    reason = request.POST.get("reason", "")
    try:
        ACTIONS[action](member, request.user, reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, DONE[action])
    if action in ("setujui", "tolak"):
        return redirect("membership_admin_review")
    return redirect("membership_admin_detail", member_id=member.pk)


def paper_consent(request, request_id):
    _require_staff(request)
    consent = get_object_or_deny(
        ConsentRequest.objects.select_related("member"),
        allowed=lambda r: selectors.members_in_scope(request.user).filter(pk=r.member_id).exists(), pk=request_id,
    )
    form = PaperConsentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_paper_consent(request=consent, decision=form.cleaned_data["decision"], scan=form.cleaned_data["scan"],
                                          guardian_name=form.cleaned_data["guardian_name"], actor=request.user)
        except (ValidationError, services.LinkProblem) as exc:
            messages.error(request, _("Permintaan ini sudah dijawab.") if isinstance(exc, services.LinkProblem) else " ".join(exc.messages))
        else:
            messages.success(request, _("Persetujuan kertas sudah dicatat."))
        return redirect("membership_admin_detail", member_id=consent.member_id)
    return render(request, "membership/admin/paper_consent.html", {
        "consent": consent, "form": form, "page_title": _("Catat persetujuan kertas"),
        "header_title": _("Catat persetujuan kertas"), "header_icon": "doc-full",
    })


def forum_sk_file(request, forum_id):
    """A forum's SK, for the staff of that forum's chain (its own forum and every forum above it),
    never for anyone else: it lists the board's children by full name. Others get a 404."""
    _require_staff(request)
    forum = get_object_or_deny(selectors.forums_in_scope(request.user), allowed=lambda f: bool(f.sk_file), pk=forum_id)
    with transaction.atomic():
        audit.record(actor=request.user, action="forum.sk_file_viewed", obj=forum, object_label=f"forum #{forum.pk}")
    extension = forum.sk_file.name.rsplit(".", 1)[-1] if "." in forum.sk_file.name else "pdf"
    return serve_private_file(request, forum.sk_file, download_name=f"SK-{forum.slug}.{extension}")


def paper_scan(request, decision_id):
    """The scan of a signed paper consent form, for staff of the child's forum chain; audited."""
    _require_staff(request)
    decision = get_object_or_deny(
        ConsentDecision.objects.select_related("request"),
        allowed=lambda d: bool(d.paper_scan)
        and selectors.members_in_scope(request.user).filter(pk=d.request.member_id).exists(),
        pk=decision_id,
    )
    with transaction.atomic():
        audit.record(actor=request.user, action="consent.scan_viewed", obj=decision.request,
                     object_label=f"consent #{decision.request_id}", data={"member": decision.request.member_id})
    extension = decision.paper_scan.name.rsplit(".", 1)[-1] if "." in decision.paper_scan.name else "pdf"
    return serve_private_file(request, decision.paper_scan, download_name=f"persetujuan-{decision.request_id}.{extension}")
