"""Forms for query-string parameters shared by several views.

Every query parameter a view reads goes through a form: a Django ``CharField`` refuses a NUL
character (which PostgreSQL cannot store or compare), and each field has a bound length, so a
hostile query string gets the page without it, never a server error."""

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme

NEXT_MAX_LENGTH = 2000


class NextForm(forms.Form):
    """``?next=``: a path on this site to go back to."""

    next = forms.CharField(required=False, max_length=NEXT_MAX_LENGTH)


def safe_next(request, default="/"):
    """The request's ``next`` if it is a clean path on this host, otherwise ``default``."""
    form = NextForm(request.GET)
    value = form.cleaned_data.get("next") if form.is_valid() else None
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                                 require_https=request.is_secure()):
        return value
    return default
