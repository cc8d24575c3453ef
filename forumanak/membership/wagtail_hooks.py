"""Staff views in the Wagtail admin: the review queue, member records (viewing is audited),
approve / reject / suspend / reinstate, paper consent, and the private files (SK, consent scans). Everything is limited to the staff
member's forum chain."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


def _is_membership_staff(request):
    user = request.user
    return user.is_superuser or user.staff_assignments.exists()


class MembershipMenuItem(MenuItem):
    def is_shown(self, request):
        return _is_membership_staff(request)


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("anggota/", admin_views.member_list, name="membership_admin_list"),
        path("anggota/tinjau/", admin_views.review_queue, name="membership_admin_review"),
        path("anggota/<int:member_id>/", admin_views.member_detail, name="membership_admin_detail"),
        path("anggota/<int:member_id>/<str:action>/", admin_views.member_action, name="membership_admin_action"),
        path("persetujuan/<int:request_id>/kertas/", admin_views.paper_consent, name="membership_admin_paper"),
        path("persetujuan/keputusan/<int:decision_id>/pindaian/", admin_views.paper_scan,
             name="membership_admin_paper_scan"),
        path("forum/<int:forum_id>/berkas-sk/", admin_views.forum_sk_file, name="membership_admin_sk_file"),
    ]


@hooks.register("register_admin_menu_item")
def register_menu():
    return MembershipMenuItem(_("Anggota"), reverse("membership_admin_review"), icon_name="group", order=150)


@hooks.register("register_admin_viewset")
def register_viewsets():
    from .admin_viewsets import MembershipViewSetGroup

    return MembershipViewSetGroup()
