"""Admin-wide pieces: staff profile pictures, which are private files (forumanak/core/files.py),
are shown through a view that only admin users reach."""

from django.urls import path, reverse
from wagtail import hooks

from . import admin_views


@hooks.register("register_admin_urls")
def register_urls():
    return [path("profil/<int:user_id>/gambar/", admin_views.avatar, name="core_admin_avatar")]


@hooks.register("get_avatar_url")
def avatar_url(user, size):
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None and profile.avatar:
        return reverse("core_admin_avatar", args=[user.pk])
    return None  # Wagtail's default picture (Gravatar is off)
