"""The KLA evidence dashboard (``/admin/kla/``) and its workbook, and the audit log viewer
(``/admin/audit/``) for pembina."""

import django_filters
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from forumanak.core.models import AuditEntry
from forumanak.core.viewsets import ScopedModelViewSet

from . import selectors, views


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.is_report_staff(request.user)


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("kla/", views.dashboard, name="reports_dashboard"),
        path("kla/unduh.xlsx", views.workbook, name="reports_workbook"),
    ]


@hooks.register("register_admin_menu_item")
def register_menu():
    return ReportMenuItem(_("Bukti KLA"), reverse("reports_dashboard"), icon_name="table", order=160)


def action_choices():
    return [(a, a) for a in AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()]


class AuditEntryFilterSet(WagtailFilterSet):
    actor = django_filters.CharFilter(field_name="actor_label", lookup_expr="icontains", label=_("Pelaku"))
    action = django_filters.ChoiceFilter(label=_("Tindakan"), choices=action_choices, empty_label=_("Semua"))
    created_at = django_filters.DateFromToRangeFilter(label=_("Tanggal"), widget=DateRangePickerWidget)

    class Meta:
        model = AuditEntry
        fields = []


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Audit entries are never added, changed or deleted in the admin, not even by a superuser."""

    WRITES = ("add", "change", "delete")

    def user_has_permission(self, user, action):
        return action not in self.WRITES and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in self.WRITES])


register_permission_policy(AuditEntry, ReadOnlyPolicy(AuditEntry))


class AuditEntryViewSet(ScopedModelViewSet):
    """Read-only: Pembina have only the view permission (reports/roles.py); nobody may add, change
    or delete an entry here. The log spans every forum: only staff whose area covers the whole
    city read it (``selectors.audit_entries_for``), on every view (history and usage too)."""

    model = AuditEntry
    name = "audit"
    icon = "history"
    menu_label = _("Catatan audit")
    menu_order = 910
    add_to_admin_menu = True
    copy_view_enabled = False
    form_fields = []  # the add and edit views exist but no one may use them (ReadOnlyPolicy)
    inspect_view_enabled = True
    filterset_class = AuditEntryFilterSet
    list_display = [
        DateColumn("created_at", label=_("Waktu"), sort_key="created_at"),
        Column("actor_label", label=_("Pelaku")),
        Column("action", label=_("Tindakan")),
        Column("object_label", label=_("Objek")),
    ]
    inspect_view_fields = ["created_at", "actor_label", "action", "object_type", "object_id", "object_label", "data"]
    list_per_page = 50

    def get_scope_queryset(self, request):
        return selectors.audit_entries_for(request.user)


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return AuditEntryViewSet()
