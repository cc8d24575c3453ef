"""Wagtail admin viewsets for forums (with their decree), board terms and positions, staff
assignments and consent texts. Every list, form and object is limited to the staff member's
forum chain; model permissions (granted to the Pembina and Fasilitator groups) decide what they
may do. These are reference data, edited with the standard model forms; the child-data actions
(review, approve, consent) go through services in admin_views.py."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.models import formfield_for_dbfield as wagtail_formfield_for_dbfield
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from forumanak.core.files import PrivateFileInput

from . import selectors
from .models import BoardPosition, BoardTerm, ConsentText, Forum, StaffAssignment


class ScopedMixin:
    """Limit the queryset (and so every object lookup) and forum choices to the user's scope."""

    region_field = "forum__region"

    def scoped(self, qs):
        return qs.filter(selectors.scope_q(self.request.user, region_field=self.region_field)).distinct()

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        forums = selectors.forums_in_scope(self.request.user)
        if "forum" in form.fields:
            form.fields["forum"].queryset = forums
        if "parent" in form.fields:
            form.fields["parent"].queryset = forums
        if "term" in form.fields:
            form.fields["term"].queryset = BoardTerm.objects.filter(forum__in=forums)
        if "member" in form.fields:
            form.fields["member"].queryset = selectors.members_in_scope(self.request.user).filter(status="active")
        return form


class ScopedIndexView(ScopedMixin, generic.IndexView):
    def get_base_queryset(self):
        return self.scoped(super().get_base_queryset())


class ScopedEditView(ScopedMixin, generic.EditView):
    def get_queryset(self):
        return self.scoped(self.model._default_manager.all())


class ScopedCreateView(ScopedMixin, generic.CreateView):
    pass


class ScopedDeleteView(ScopedMixin, generic.DeleteView):
    def get_queryset(self):
        return self.scoped(self.model._default_manager.all())


class ScopedViewSet(ModelViewSet):
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    add_view_class = ScopedCreateView
    delete_view_class = ScopedDeleteView
    inspect_view_enabled = False
    copy_view_enabled = False


class ForumIndexView(ScopedIndexView):
    region_field = "region"


class ForumEditView(ScopedEditView):
    region_field = "region"

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if not self.request.user.has_perm("membership.add_forum"):
            # a fasilitator keeps the forum's name and decree up to date, not its place in the tree
            for name in ("slug", "region", "level", "parent"):
                form.fields.pop(name, None)
        if "sk_file" in form.fields:
            # the SK is a private file: linked through the view that checks who asks
            form.fields["sk_file"].widget = PrivateFileInput(
                download_url=reverse("membership_admin_sk_file", args=[self.object.pk]), label=_("unduh SK"))
        return form


class ForumViewSet(ScopedViewSet):
    model = Forum
    icon = "group"
    menu_label = _("Forum dan SK")
    index_view_class = ForumIndexView
    edit_view_class = ForumEditView
    list_display = ["name", "level", "sk_number", "sk_date", "sk_valid_until"]
    list_filter = ["level"]
    search_fields = ["name", "sk_number"]
    form_fields = ["name", "slug", "region", "level", "parent", "sk_number", "sk_date", "sk_issuer", "sk_valid_until", "sk_file"]

    def formfield_for_dbfield(self, db_field, **kwargs):
        # Wagtail's admin widgets, among them the region chooser (regions/wagtail_hooks.py): a select
        # of all 91,599 regions made this page 4.8 MB
        return wagtail_formfield_for_dbfield(db_field, **kwargs)


class BoardTermViewSet(ScopedViewSet):
    model = BoardTerm
    icon = "date"
    menu_label = _("Periode kepengurusan")
    list_display = ["forum", "name", "start_date", "end_date", "sk_number"]
    form_fields = ["forum", "name", "start_date", "end_date", "sk_number"]


class BoardPositionIndexView(ScopedIndexView):
    region_field = "term__forum__region"


class BoardPositionEditView(ScopedEditView):
    region_field = "term__forum__region"


class BoardPositionDeleteView(ScopedDeleteView):
    region_field = "term__forum__region"


class BoardPositionViewSet(ScopedViewSet):
    model = BoardPosition
    icon = "user"
    menu_label = _("Jabatan pengurus")
    index_view_class = BoardPositionIndexView
    edit_view_class = BoardPositionEditView
    delete_view_class = BoardPositionDeleteView
    list_display = ["term", "role", "cluster", "member", "start_date", "end_date"]
    form_fields = ["term", "member", "role", "cluster", "start_date", "end_date"]


class StaffAssignmentViewSet(ScopedViewSet):
    model = StaffAssignment
    icon = "key"
    menu_label = _("Penugasan staf")
    list_display = ["user", "role", "forum"]
    form_fields = ["user", "forum", "role"]


class ConsentTextViewSet(ModelViewSet):
    """New versions only: a text that has been shown cannot be edited (the model refuses)."""

    model = ConsentText
    icon = "doc-full"
    menu_label = _("Teks persetujuan")
    list_display = ["purpose", "language", "version", "title", "published_at"]
    list_filter = ["purpose", "language"]
    form_fields = ["purpose", "language", "version", "title", "summary", "body", "published_at"]
    inspect_view_enabled = True
    copy_view_enabled = False


class MembershipViewSetGroup(ModelViewSetGroup):
    menu_label = _("Forum Anak")
    menu_icon = "group"
    menu_order = 160
    items = (ForumViewSet, BoardTermViewSet, BoardPositionViewSet, StaffAssignmentViewSet, ConsentTextViewSet)
