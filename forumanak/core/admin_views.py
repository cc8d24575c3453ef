"""Admin views of core: a staff member's profile picture (a private file) for admin users."""

from django.http import Http404
from wagtail.users.models import UserProfile

from .files import serve_private_file


def avatar(request, user_id):
    """Reached only through the admin's URLs (admin access required)."""
    profile = UserProfile.objects.filter(user_id=user_id).first()
    if profile is None or not profile.avatar:
        raise Http404
    extension = profile.avatar.name.rsplit(".", 1)[-1] if "." in profile.avatar.name else "png"
    # an attachment, like every private file: an <img> shows it all the same
    return serve_private_file(request, profile.avatar, download_name=f"profil-{user_id}.{extension}")
