"""URLs of the benchmark settings: the site's URLs plus two reference endpoints that measure the
limit of this machine, Django and gunicorn together, and a third that shows what a signed-in form
POST costs before any work of its own. Never part of the production URLs."""

from django.http import HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from forumanak.urls import handler404, handler500  # noqa: F401
from forumanak.urls import urlpatterns as site_urlpatterns


def bare(request):
    """No database, no session: the most a Django request can do here."""
    return HttpResponse(b"ok", content_type="text/plain")


@csrf_exempt
def one_insert(request):
    """Exactly one INSERT (an audit row, in the throwaway benchmark database)."""
    from forumanak.core.models import AuditEntry

    AuditEntry.objects.create(action="bench.insert", object_label="bench")
    return HttpResponse(b"ok", content_type="text/plain")


def signed_in_insert(request):
    """The one INSERT as a signed-in user's form POST, the way a vote arrives: the CSRF check, the
    session and the user read, then the INSERT and a redirect. Not a limit the targets use; it
    shows how much of a vote's cost is only being a signed-in POST."""
    if request.method != "POST" or not request.user.is_authenticated:
        return HttpResponseForbidden(b"signed-in POST only", content_type="text/plain")
    from forumanak.core.models import AuditEntry

    AuditEntry.objects.create(action="bench.insert", object_label="bench")
    return HttpResponseRedirect("/bench/bare/")


urlpatterns = [path("bench/bare/", bare), path("bench/insert/", one_insert), path("bench/signed-in-insert/", signed_in_insert),
               *site_urlpatterns]
