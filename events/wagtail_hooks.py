"""Events in the Wagtail admin: a model viewset limited to the staff member's scope, with each
event's registrations, the mobile check-in page and the attendance download.

Access: the Event and Registration model permissions (granted to the Pembina and Fasilitator
groups by ``events.demo``); editors without them see none of it. On top of that every view is
limited to the staff member's forum chain (``selectors.events_for_staff``)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton

from . import admin_views, selectors, services
from .forms import EventAdminForm
from .models import Event


class ScopedObjectMixin:
    """Single-object admin views only find events in the user's scope (others are 404)."""

    def get_queryset(self):
        return selectors.events_for_staff(self.request.user)

    def get_base_object_queryset(self):
        return selectors.events_for_staff(self.request.user)


class EventIndexView(IndexView):
    def get_base_queryset(self):
        return selectors.events_for_staff(self.request.user).select_related("forum")

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


class EventCreateView(CreateView):
    def save_instance(self):
        return services.save_event(form=self.form, actor=self.request.user)


class EventEditView(ScopedObjectMixin, EditView):
    def save_instance(self):
        return services.save_event(form=self.form, actor=self.request.user)


class EventDeleteView(ScopedObjectMixin, DeleteView):
    def post(self, request, *args, **kwargs):
        if self.object.registrations.exists():
            messages.error(request, _("Kegiatan yang sudah punya pendaftar tidak bisa dihapus. Sembunyikan saja dari situs."))
            return redirect(self.get_edit_url())
        return super().post(request, *args, **kwargs)


class EventHistoryView(ScopedObjectMixin, HistoryView):
    pass


class EventUsageView(ScopedObjectMixin, UsageView):
    pass


class EventViewSet(ModelViewSet):
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
    history_view_class = EventHistoryView
    usage_view_class = EventUsageView
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

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/pendaftar/", admin_views.registrations, name="registrations"),
            path("<int:pk>/check-in/", admin_views.checkin, name="checkin"),
            path("<int:pk>/kehadiran.xlsx", admin_views.attendance_xlsx, name="attendance"),
        ]


@hooks.register("register_admin_viewset")
def register_viewset():
    return EventViewSet()
