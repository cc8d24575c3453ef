from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .access import can_access_admin, passed_second_factor


class ContentSecurityPolicyMiddleware:
    """Send a Content-Security-Policy that allows no third-party origin on any page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path.startswith(settings.CSP_ADMIN_PREFIXES)
            response["Content-Security-Policy"] = settings.CSP_ADMIN_POLICY if admin else settings.CSP_POLICY
        response.setdefault("Permissions-Policy", "camera=(self), geolocation=(), microphone=(), payment=()")
        return response


class StaffMFAMiddleware:
    """The admin areas (Wagtail's and Django's) are for staff whose *session* passed the second factor.

    - A signed-in user who may not use the admin gets 403 (not a login page that invites guessing).
    - Staff without a TOTP device are sent to set it up before any admin page opens.
    - Staff with a device whose session did not pass the second factor in this sign-in (a session
      made by a password alone, forced or stolen) are sent to the second-factor step, never the admin.
    Anonymous visitors go to the normal login page (the admin does that itself).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(settings.CSP_ADMIN_PREFIXES) and request.user.is_authenticated:
            if not can_access_admin(request.user, django_admin=request.path_info.startswith("/django-admin/")):
                raise PermissionDenied
            if not is_mfa_enabled(request.user):
                return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}")
            if not passed_second_factor(request):
                return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
