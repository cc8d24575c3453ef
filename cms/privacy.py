"""Who may see a page: Wagtail's view restrictions, applied across translations.

Wagtail applies a view restriction (password, login, groups) to a page and the pages below it, in
one language's tree, so the English translation of a private Indonesian page would stay public.
Here a translation is exactly as private as its source, and the source as its translation:

- a page is *private* when it, one of its ancestors, or a translation of either lies in a restricted
  subtree of any language (an alias counts as its source page);
- the restrictions that apply to a page are all of those: the strictest set among a page and its
  translations applies to each of them, and a visitor must pass every one.

Serving a page (a ``before_serve_page`` hook, cms/wagtail_hooks.py) checks ``view_restrictions``
straight from the database on every request. Listings, search, the feed, the sitemap, alternate
links and the language switcher leave out private pages (``exclude_private``, ``is_private``),
for everyone; the switcher and the alternates of a private page show a translation only to a
visitor who passes its restrictions (``visible_to``). The paths of the private subtrees are kept in
the page cache per generation: every change of a view restriction, a move, a publication and a
new page starts a new generation (cms/signals.py).

Documents in a collection with a view restriction are never shown on a page (neither the document
block nor a rich-text link to one names or links them): ``restricted_document_ids``.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from wagtail.documents import get_document_model
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction

from .cache import generation, page_cache


def _path_prefixes(path):
    return [path[:end] for end in range(Page.steplen, len(path) + 1, Page.steplen)]


def view_restrictions(page):
    """Every view restriction that applies to ``page``: on the page and its ancestors (Wagtail's),
    and on every translation of them (or of the source of an alias among them) and its ancestors.
    One query."""
    ancestors = Page.objects.filter(path__in=_path_prefixes(page.path))
    related = Page.objects.filter(
        Q(translation_key__in=ancestors.values("translation_key"))
        | Q(translation_key__in=ancestors.filter(alias_of__isnull=False).values("alias_of__translation_key"))
    )
    return (
        PageViewRestriction.objects.filter(Exists(related.filter(path__startswith=OuterRef("page__path"))))
        .order_by("page__depth", "pk")
    )


def refusal(page, request, restrictions):
    """The response Wagtail gives a visitor who does not pass one of ``restrictions`` (the
    password form, or the login page), or None when the visitor passes them all."""
    from django.urls import reverse
    from django.utils.cache import add_never_cache_headers
    from wagtail.forms import PasswordViewRestrictionForm
    from wagtail.wagtail_hooks import require_wagtail_login

    for restriction in restrictions:
        if restriction.accept_request(request):
            continue
        if restriction.restriction_type == PageViewRestriction.PASSWORD:
            form = PasswordViewRestrictionForm(instance=restriction, initial={"return_url": request.get_full_path()})
            action_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.id, page.id])
            response = page.serve_password_required_response(request, form, action_url)
        else:
            response = require_wagtail_login(next=request.get_full_path())
        add_never_cache_headers(response)
        return response
    return None


def _private_paths_from_database():
    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True).distinct())
    if not restricted:
        return []
    inside = Page.objects.filter(_under(restricted))
    keys = inside.values("translation_key")
    paths = sorted(
        Page.objects.filter(Q(translation_key__in=keys) | Q(alias_of__translation_key__in=keys))
        .values_list("path", flat=True)
        .distinct()
    )
    roots = []
    for path in paths:  # sorted: a subtree's pages follow its root
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
    return roots


def private_paths():
    """The tree paths under which every page is private (each a subtree's root)."""
    if settings.CMS_PAGE_CACHE_SECONDS <= 0:
        return _private_paths_from_database()
    key = f"cms:private-paths:{generation()}"
    return page_cache().get_or_set(key, _private_paths_from_database, 3600)


def _under(paths):
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    return q


def exclude_private(queryset):
    """``queryset`` of pages without the private ones (for listings, search, feeds, the sitemap)."""
    paths = private_paths()
    return queryset.exclude(_under(paths)) if paths else queryset


def is_private(page, paths=None):
    paths = private_paths() if paths is None else paths
    return any(page.path.startswith(path) for path in paths)


def visible_to(page, request):
    """Whether the visitor of ``request`` may see ``page`` (a public page, or one whose every
    restriction the visitor passes)."""
    if not is_private(page):
        return True
    return all(restriction.accept_request(request) for restriction in view_restrictions(page))


def restricted_document_ids(ids):
    """Which of the documents ``ids`` are in a collection with a view restriction (or below one):
    pages never show their titles nor link to them, for anyone (the page is the same for every
    visitor, and cached). Saving or deleting a collection restriction starts a new generation."""
    ids = [pk for pk in ids if pk is not None]
    paths = list(CollectionViewRestriction.objects.values_list("collection__path", flat=True)) if ids else []
    if not paths:
        return set()
    q = Q()
    for path in paths:
        q |= Q(collection__path__startswith=path)
    return set(get_document_model().objects.filter(q, pk__in=ids).values_list("pk", flat=True))
