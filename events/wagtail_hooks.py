"""Events in the Wagtail admin: a model viewset limited to the staff member's scope, with each
event's registrations, the mobile check-in page and the attendance download; beside it, the
read-only list of the staff member's own members registered for other forums' events.

Access: the Event and Registration model permissions (granted to the Pembina and Fasilitator
groups by ``events.roles``); editors without them see none of it. On top of that every view of
the viewset — its own, Wagtail's history and usage, and any added later — is limited to the events
that the staff member's forum chain organises (``selectors.events_for_staff``, applied by
``forumanak.core.viewsets.ScopedModelViewSet``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.widgets.button import Button, ListingButton

from forumanak.core.viewsets import ScopedModelViewSet

from . import admin_views, selectors, services
from .forms import EventAdminForm
from .models import Event


class ServiceSaveMixin:
    """Save through the service; a ValidationError from it (a capacity below the seats held,
    found under the event's row lock) shows on the form."""

    def save_instance(self):
        return services.save_event(form=self.form, actor=self.request.user)

    def form_valid(self, form):
        try:
            return super().form_valid(form)  # saves in a transaction: an error rolls it all back
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for field, messages_ in errors.items():
                for message in messages_:
                    form.add_error(field if field in form.fields else None, message)
            return self.form_invalid(form)


class EventIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("forum")

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.request.user.has_perm("events.view_registration"):
            buttons.append(Button(_("Anggota kami di kegiatan forum lain"),
                                  url=reverse("events_admin_member_registrations"), icon_name="group", priority=30))
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        user = self.request.user
        if user.has_perm("events.view_registration"):
            buttons.append(ListingButton(_("Pendaftar"), url=reverse("kegiatan:registrations", args=[instance.pk]),
                                         icon_name="group", priority=5))
        if user.has_perm("events.change_registration"):
            buttons.append(ListingButton(_("Check-in"), url=reverse("kegiatan:checkin", args=[instance.pk]),
                                         icon_name="tick", priority=6))
        return buttons


class EventCreateView(ServiceSaveMixin, CreateView):
    pass


class EventEditView(ServiceSaveMixin, EditView):
    pass


class EventDeleteView(DeleteView):
    def post(self, request, *args, **kwargs):
        if self.object.registrations.exists():
            messages.error(request, _("Kegiatan yang sudah punya pendaftar tidak bisa dihapus. Sembunyikan saja dari situs."))
            return redirect(self.get_edit_url())
        return super().post(request, *args, **kwargs)


class EventViewSet(ScopedModelViewSet):
    model = Event
    name = "kegiatan"
    icon = "date"
    menu_label = _("Kegiatan")
    menu_order = 160
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["title", "starts_at", "forum", "audience", "capacity", "is_published"]
    list_filter = ["audience", "is_published"]
    search_fields = ["title"]
    index_view_class = EventIndexView
    add_view_class = EventCreateView
    edit_view_class = EventEditView
    delete_view_class = EventDeleteView
    edit_handler = ObjectList([
        MultiFieldPanel([
            FieldPanel("title"), FieldPanel("slug"), FieldPanel("description"),
            FieldPanel("image"), FieldPanel("image_alt"),
        ], heading=_("Kegiatan")),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
            FieldPanel("venue_name"), FieldPanel("venue_address"), FieldPanel("map_url"), FieldPanel("online_url"),
            FieldPanel("forum"),
        ], heading=_("Waktu dan tempat")),
        MultiFieldPanel([
            FieldPanel("audience"),
            FieldRowPanel([FieldPanel("min_age"), FieldPanel("max_age")]),
            FieldPanel("capacity"),
            FieldRowPanel([FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]),
            FieldPanel("consent_deadline_hours"),
            FieldPanel("photo_level"),
            FieldPanel("is_published"),
        ], heading=_("Pendaftaran")),
        InlinePanel("questions", heading=_("Pertanyaan pendaftaran"), label=_("Pertanyaan")),
    ], base_form_class=EventAdminForm)

    def get_scope_queryset(self, request):
        return selectors.events_for_staff(request.user)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/pendaftar/", admin_views.registrations, name="registrations"),
            path("<int:pk>/check-in/", admin_views.checkin, name="checkin"),
            path("<int:pk>/kehadiran.xlsx", admin_views.attendance_xlsx, name="attendance"),
        ]


@hooks.register("register_admin_viewset")
def register_viewset():
    return EventViewSet()


@hooks.register("register_admin_urls")
def register_urls():
    # outside the viewset: this list is about the staff member's own members, not about an event
    return [
        path("kegiatan-anggota/", admin_views.member_registrations, name="events_admin_member_registrations"),
    ]
