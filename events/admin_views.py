"""Staff pages in the Wagtail admin: an event's registrations, check-in (phone-first: scan the QR
code with the camera where the browser can, type the code, or search by name) and the attendance
download. Limited to the staff member's scope; viewing and exporting are audited."""

import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from forumanak.core import audit
from forumanak.core.access import get_object_or_deny

from . import selectors, services
from .forms import CheckInCodeForm
from .models import Registration

R = Registration.Status


def _event_for(request, pk, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied
    return get_object_or_deny(selectors.events_for_staff(request.user).select_related("forum"),
                              allowed=lambda e: True, pk=pk)


def _context(event, title, **extra):
    return {"event": event, "page_title": title, "header_title": title, "header_icon": "date", **extra}


@never_cache
def registrations(request, pk):
    event = _event_for(request, pk, "events.view_registration")
    status = request.GET.get("status", "")
    rows = selectors.registrations_for_staff(request.user, event).prefetch_related("answers__question")
    if status in R.values:
        rows = rows.filter(status=status)
    rows = list(rows.order_by("id"))
    waitlist_ids = list(selectors.waitlist(event).values_list("id", flat=True))
    positions = {pk: i + 1 for i, pk in enumerate(waitlist_ids)}
    with transaction.atomic():
        audit.record(actor=request.user, action="event.registrations_view", obj=event, object_label=f"event #{event.pk}",
                     data={"count": len(rows)})
    counts = {value: 0 for value in R.values}
    for value in selectors.registrations_for_staff(request.user, event).values_list("status", flat=True):
        counts[value] += 1
    return render(request, "events/admin/registrations.html", _context(
        event, _("Pendaftar: %(title)s") % {"title": event.title},
        rows=[(r, positions.get(r.pk)) for r in rows], status=status, statuses=R.choices,
        counts=[(label, counts[value]) for value, label in R.choices], seats_left=selectors.seats_left(event),
        held=selectors.held_seats(event),
    ))


RESULT_KEY = "events_checkin_result"


def _result(request, kind, text):
    """The outcome of the last check-in, shown large on the next page (post/redirect/get)."""
    request.session[RESULT_KEY] = {"kind": kind, "text": str(text)}


@never_cache
def checkin(request, pk):
    event = _event_for(request, pk, "events.change_registration")
    checkin_url = reverse("kegiatan:checkin", args=[event.pk])
    query = request.GET.get("q", "").strip()
    if request.method == "POST":
        back = checkin_url + (f"?{urlencode({'q': request.POST.get('q', '')})}" if request.POST.get("q") else "")
        try:
            if request.POST.get("registration"):
                registration = get_object_or_deny(
                    selectors.registrations_for_staff(request.user, event), allowed=lambda r: True,
                    pk=request.POST["registration"],
                )
                if request.POST.get("action") == "undo":
                    services.undo_check_in(registration=registration, actor=request.user)
                    _result(request, "undo", _("%(name)s: hadir dibatalkan.") % {"name": registration.participant_name})
                    return redirect(back)
                registration, changed = services.check_in(registration=registration, actor=request.user)
            else:
                form = CheckInCodeForm(request.POST)
                if not form.is_valid():
                    raise services.CheckInRefused(_("Tulis kode tiket."), code="no_code")
                registration, changed = services.check_in_by_code(event=event, code=form.cleaned_data["code"],
                                                                  actor=request.user)
        except PermissionDenied:
            _result(request, "error", _("Anda tidak bisa mencatat kehadiran peserta ini."))
            return redirect(back)
        except ValidationError as exc:
            _result(request, "error", " ".join(exc.messages))
            return redirect(back)
        when = timezone.localtime(registration.attended_at).strftime("%H:%M")
        if changed:
            _result(request, "ok", _("%(name)s hadir (%(time)s).") % {"name": registration.participant_name, "time": when})
        else:
            _result(request, "again", _("%(name)s sudah tercatat hadir (%(time)s).")
                    % {"name": registration.participant_name, "time": when})
        return redirect(back)
    result = request.session.pop(RESULT_KEY, None)
    results = list(selectors.search_registrations(request.user, event, query)) if query else []
    attended = selectors.registrations_for_staff(request.user, event).filter(status=R.ATTENDED).count()
    expected = selectors.registrations_for_staff(request.user, event).filter(status__in=[R.CONFIRMED, R.ATTENDED]).count()
    return render(request, "events/admin/checkin.html", _context(
        event, _("Check-in: %(title)s") % {"title": event.title},
        form=CheckInCodeForm(), query=query, results=results, attended=attended, expected=expected, result=result,
    ))


def attendance_xlsx(request, pk):
    """The attendance list as a spreadsheet: display names only, status and check-in time. Every
    cell goes through the safe writer: names and titles never become formulas."""
    from forumanak.core.spreadsheets import SafeWorkbook

    event = _event_for(request, pk, "events.view_registration")
    rows = list(selectors.attendance_rows(request.user, event).select_related("checked_in_by"))
    workbook = SafeWorkbook(write_only=True)
    sheet = workbook.create_sheet(_("Kehadiran")[:31])
    sheet.append([event.title])
    sheet.append([_("Mulai"), timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M")])
    sheet.append([])
    sheet.append([_("Nama"), _("Peserta"), _("Forum"), _("Status"), _("Hadir pada"), _("Izin foto")])
    for r in rows:
        sheet.append([
            str(r.participant_name),
            _("anak") if r.member_id else _("dewasa"),
            r.member.forum.name if r.member_id else "",
            str(r.get_status_display()),
            timezone.localtime(r.attended_at).strftime("%Y-%m-%d %H:%M") if r.attended_at else "",
            str(r.get_photo_level_display()),
        ])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with transaction.atomic():
        audit.record(actor=request.user, action="event.attendance_export", obj=event, object_label=f"event #{event.pk}",
                     data={"rows": len(rows)})
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="kehadiran-{event.slug}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
