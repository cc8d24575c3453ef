"""Access helpers: return the object, or deny. Domain apps add their own scope rules."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404


def can_access_admin(user, *, django_admin=False):
    """Staff reach the Wagtail admin; only superusers reach the Django admin."""
    if not user.is_active or not user.is_authenticated:
        return False
    if django_admin:
        return user.is_superuser
    return user.is_superuser or user.has_perm("wagtailadmin.access_admin")


def get_object_or_deny(queryset, *, allowed, **lookup):
    """Fetch one object from ``queryset`` and check ``allowed(obj)``.

    A missing object is a 404; an object the caller may not see is also a 404, so that its
    existence is not revealed.
    """
    obj = get_object_or_404(queryset, **lookup)
    if not allowed(obj):
        raise Http404
    return obj


def require(condition):
    """Raise PermissionDenied unless ``condition`` holds."""
    if not condition:
        raise PermissionDenied


def passed_second_factor(request):
    """Whether this session's sign-in included the second factor (a TOTP or recovery code entered in
    allauth's login, re-authentication or TOTP set-up). Having a device is not enough: a session made
    by a password alone, or forced without any sign-in, has no such record."""
    from allauth.account.authentication import get_authentication_records

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))
