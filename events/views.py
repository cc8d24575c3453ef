"""Public pages: the event list, an event, registering, my registrations, tickets, calendar files."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from forumanak.core.access import get_object_or_deny

from . import calendar, qr, selectors, services
from .forms import EventFilterForm, RegistrationForm
from .models import Registration

# A small first page on a phone: 200 upcoming events on one page weighed 85 KB of HTML.
EVENTS_PER_PAGE = 20


def event_list(request):
    form = EventFilterForm(request.GET or None)
    kecamatan = audience = None
    if form.is_valid():
        kecamatan = form.cleaned_data["kecamatan"] or None
        audience = form.cleaned_data["audience"] or None
    events = selectors.upcoming_events(kecamatan=kecamatan, audience=audience)
    page_obj = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("halaman"))
    query = request.GET.copy()
    query.pop("halaman", None)
    return render(request, "events/event_list.html", {
        "form": form, "events": page_obj, "page_obj": page_obj, "query": query.urlencode(),
    })


def _published(slug):
    return get_object_or_404(selectors.with_seats(selectors.published_events()), slug=slug)


def event_detail(request, slug):
    event = _published(slug)
    registration = selectors.active_registration(event, request.user)
    problem = None
    if registration is None and request.user.is_authenticated:
        problem = services.eligibility_problem(event=event, user=request.user)
    return render(request, "events/event_detail.html", {
        "event": event, "seats_left": selectors.seats_left(event), "registration": registration,
        "problem": problem, "open": event.registration_is_open(),
    })


@never_cache
def event_register(request, slug):
    user = request.user
    if not user.is_authenticated:
        _published(slug)
        return redirect_to_login(request.get_full_path())
    posting = request.method == "POST"
    # one query for the event, its seats (the form page only), whether it asks questions and
    # whether this person has registered already
    event = selectors.event_to_register(slug, user, seats=not posting)
    if event is None:
        raise Http404
    if event.active_registration_id is not None:
        messages.info(request, _("Kamu sudah terdaftar di kegiatan ini."))
        return redirect("events:mine")
    member = selectors.registrant(user, with_guardian=event.is_for_children)
    problem = services.eligibility_problem(event=event, user=user, member=member)
    if problem:
        return render(request, "events/event_register_refused.html", {"event": event, "problem": problem}, status=403)
    questions = selectors.registration_questions(event)
    form = RegistrationForm(request.POST if posting else None, event=event, user=user, questions=questions)
    if posting and form.is_valid():
        try:
            registration = services.register(event=event, user=user, actor=user, data=form.registration_input(),
                                             member=member, questions=questions)
        except services.RegistrationRefused as refused:
            if refused.code == "already_registered":
                messages.info(request, refused.messages[0])
                return redirect("events:mine")
            form.add_error(None, refused)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(request, "events/event_registered.html", {"event": event, "registration": registration,
                                                                    "position": registration.position_on_joining})
    return render(request, "events/event_register.html", {"event": event, "form": form,
                                                          "seats_left": selectors.seats_left(event)})


@login_required
@never_cache
def my_registrations(request):
    rows = [(r, r.waitlist_position()) for r in selectors.my_registrations(request.user)]
    return render(request, "events/registration_mine.html", {"rows": rows})


def _ticket(request, code):
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_deny(
        Registration.objects.select_related("event", "event__forum", "member", "user"),
        allowed=lambda r: selectors.can_view_ticket(request.user, r), code=code.upper(),
    )


@login_required
@never_cache
def ticket(request, code):
    registration = _ticket(request, code)
    show_qr = registration.status in (Registration.Status.CONFIRMED, Registration.Status.ATTENDED)
    return render(request, "events/registration_ticket.html", {
        "registration": registration, "event": registration.event,
        "qr_svg": qr.svg(registration.code) if show_qr else None,
        "position": registration.waitlist_position(),
        "can_cancel": registration.status in services.TRANSITIONS["cancel"][0] and registration.event.starts_at > _now(),
    })


def _now():
    from django.utils import timezone

    return timezone.now()


@login_required
@require_POST
def cancel(request, code):
    registration = _ticket(request, code)
    if request.POST.get("confirm") != "yes":
        return render(request, "events/registration_cancel_confirm.html", {"registration": registration})
    try:
        services.cancel_registration(registration=registration, actor=request.user, reason="by_participant")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Pendaftaranmu sudah dibatalkan."))
    return redirect("events:mine")


def ics(request, slug):
    event = _published(slug)
    body = calendar.event_ics(event, url=settings.SITE_URL + event.get_absolute_url())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response
