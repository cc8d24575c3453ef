"""URLs of the benchmark settings: the site's URLs plus two reference endpoints that measure the
limit of this machine, Django and gunicorn together. Never part of the production URLs."""

from django.http import HttpResponse
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


urlpatterns = [path("bench/bare/", bare), path("bench/insert/", one_insert), *site_urlpatterns]
