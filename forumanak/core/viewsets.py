"""One scoped base for the admin viewsets of the domain apps.

A viewset says which rows the person asking may reach — ``get_scope_queryset(request)``, built by
the app from membership's selectors (``scope_q``, ``forums_in_scope`` …); core knows no domain —
and this base applies it to *every* view Wagtail registers for the viewset: the ones Wagtail has
today (index, results, inspect, edit, delete, copy, history, history results, usage, reorder),
the ones the app adds in ``get_urlpatterns``, and any added later:

- every URL of the viewset that names an object by ``pk`` answers 404 before its view runs
  unless that object is in scope (a URL with any other parameter is refused when the URLs are
  built: the viewset must name it, with the reason, in ``unscoped_urls``, and check it itself);
- lists of the model (``IndexView`` and its subclasses, and so the results and export) show only
  rows in scope;
- a create, copy or edit view saves in a transaction and refuses (PermissionDenied) a save that
  would leave the row outside the scope, so nobody moves a row out of their own reach.

What a person may *do* (add, change, delete) is still the model permissions of their group.

Wagtail's site history report, which lists log entries of every model across rows, leaves out the
rows of these viewsets' models (``SiteHistoryView``, routed by the project's URLconf).
"""

from functools import wraps

from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import URLPattern, path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.viewsets.model import ModelViewSet


class ScopedModelViewSet(ModelViewSet):
    #: URL name -> why its view may take a parameter other than an in-scope ``pk``. Keep it empty.
    unscoped_urls = {}

    def get_scope_queryset(self, request):
        """The rows of ``self.model`` that ``request.user`` may reach."""
        raise NotImplementedError(f"{type(self).__name__} must define get_scope_queryset(request)")

    def in_scope(self, request, pk):
        try:
            return self.get_scope_queryset(request).filter(pk=unquote(str(pk))).exists()
        except (ValueError, TypeError, ValidationError):  # not a valid key for the model
            return False

    # ---- lists and saves: every view class the viewset builds -------------------------------

    def construct_view(self, view_class, **kwargs):
        return super().construct_view(self.scoped_view_class(view_class), **kwargs)

    def scoped_view_class(self, view_class):
        viewset = self
        overrides = {}
        scoped = None  # the subclass made below; the methods call its parent

        if issubclass(view_class, IndexView):

            def get_base_queryset(view):
                queryset = super(scoped, view).get_base_queryset()
                return queryset.filter(pk__in=viewset.get_scope_queryset(view.request).values("pk"))

            overrides["get_base_queryset"] = get_base_queryset

        if callable(getattr(view_class, "save_instance", None)):

            def save_instance(view):
                with transaction.atomic():
                    instance = super(scoped, view).save_instance()
                    if not viewset.in_scope(view.request, instance.pk):
                        raise PermissionDenied  # rolls the save back, side effects included
                return instance

            overrides["save_instance"] = save_instance

        if not overrides:
            return view_class
        scoped = type(view_class.__name__, (view_class,), {"__module__": view_class.__module__, **overrides})
        return scoped

    # ---- objects: every URL the viewset registers --------------------------------------------

    def __init_subclass__(cls, **kwargs):
        """A subclass that adds URLs (``get_urlpatterns`` calling ``super()``) has them guarded too."""
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("get_urlpatterns")
        if own is not None and not getattr(own, "scope_guarded", False):

            @wraps(own)
            def get_urlpatterns(self):
                return self.guard_urlpatterns(own(self))

            get_urlpatterns.scope_guarded = True
            cls.get_urlpatterns = get_urlpatterns

    def get_urlpatterns(self):
        return self.guard_urlpatterns(super().get_urlpatterns())

    get_urlpatterns.scope_guarded = True

    def guard_urlpatterns(self, patterns):
        guarded = []
        for pattern in patterns:
            if not isinstance(pattern, URLPattern):
                raise ImproperlyConfigured(f"{type(self).__name__}: an include() in a scoped viewset is not scoped")
            if getattr(pattern.callback, "scope_guarded", False):
                guarded.append(pattern)
                continue
            params = set(pattern.pattern.regex.groupindex)
            if not params or pattern.name in self.unscoped_urls:
                guarded.append(pattern)
            elif params == {"pk"}:
                guarded.append(URLPattern(pattern.pattern, self.guard(pattern.callback), pattern.default_args,
                                          pattern.name))
            else:
                raise ImproperlyConfigured(
                    f"{type(self).__name__}: URL {pattern.name!r} takes {sorted(params)}; a scoped viewset's URLs name "
                    "their object by pk (or list the URL, with the reason, in unscoped_urls)"
                )
        return guarded

    def guard(self, view_func):
        """``view_func`` for objects in scope only; any other pk is a 404 (its existence is not told)."""

        @wraps(view_func)
        def scoped_view(request, *args, **kwargs):
            if not self.in_scope(request, kwargs["pk"]):
                raise Http404
            return view_func(request, *args, **kwargs)

        scoped_view.scope_guarded = True
        return scoped_view


# ---- Wagtail's site history report -------------------------------------------------------------


def scoped_models():
    """The models of every registered ScopedModelViewSet."""
    from wagtail.admin.viewsets import viewsets

    return {viewset.model for viewset in viewsets.viewsets if isinstance(viewset, ScopedModelViewSet)}


class SiteHistoryView(LogEntriesView):
    """Wagtail's site history report (``/admin/reports/site-history/``) lists the log entries of
    every model the user has any permission on, whatever the row: a fasilitator would read the
    history of every forum's board positions, with the children's names. Here the rows of the
    scoped viewsets' models are left out for everyone but superusers; each object's own history
    page (scoped) still shows them to the staff of its area."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.request.user.is_superuser:
            return queryset
        content_types = ContentType.objects.get_for_models(*scoped_models(), for_concrete_models=False).values()
        return queryset.exclude(content_type__in=[ct.pk for ct in content_types])


def site_history_urlpatterns():
    """For the project's URLconf, before Wagtail's admin URLs (the first match wins)."""
    view = require_admin_access(never_cache(SiteHistoryView.as_view()))
    results = require_admin_access(never_cache(SiteHistoryView.as_view(results_only=True)))
    return [path("admin/reports/site-history/", view), path("admin/reports/site-history/results/", results)]
