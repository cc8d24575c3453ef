"""Every GET parameter of every public view, fuzzed (issue 25, §5).

The test walks the URL resolver, fills each path converter from real demo objects, and finds the
query parameters each view reads by watching it: a first request carries one harmless parameter
(so that forms bound to ``request.GET`` read all their fields) while every lookup on a QueryDict is
recorded. Then each parameter read, and a fixed list of common ones, gets a NUL character, an
overlong value and invalid UTF-8. No response may be a 5xx. PostgreSQL is where a NUL breaks a
query, so this runs in both lanes.

A new view whose URL has converters must get its values in ``world``'s table (the test says so).
"""

import re
from contextlib import contextmanager
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern
from django.utils.datastructures import MultiValueDict

from tests.membership.conftest import city, consent_texts  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)

BAD_VALUES = {"nul": "%00", "nul-path": "/%00", "overlong": "x" * 10_000, "invalid-utf8": "%ff%fe"}
ALWAYS = ["next", "q", "halaman", "page", "p"]  # sent to every view, read or not
SKIP_PREFIXES = ("admin/", "django-admin/")  # staff only, behind the admin's own checks
SPY = "_fuzz_probe"


@contextmanager
def recording_lookups():
    """Record every key looked up in any QueryDict (request.GET is one) while the block runs."""
    seen = set()
    originals = {name: getattr(MultiValueDict, name) for name in ("__getitem__", "get", "getlist", "__contains__")}

    def wrap(name):
        original = originals[name]

        def spy(self, key, *args, **kwargs):
            if isinstance(self, QueryDict) and isinstance(key, str):
                seen.add(key)
            return original(self, key, *args, **kwargs)

        return spy

    for name in originals:
        setattr(MultiValueDict, name, wrap(name))
    try:
        yield seen
    finally:
        for name, original in originals.items():
            setattr(MultiValueDict, name, original)


@pytest.fixture
def world(request, home_page):
    """The demo data (forums, members, consultations, events, pages), plus a few real objects."""
    from wagtail.models import Collection

    request.getfixturevalue("city")
    request.getfixturevalue("consent_texts")
    if not Collection.get_first_root_node():  # migrations make it; an earlier transactional test's flush removes it
        Collection.add_root(name="Root")
    from wagtail.documents import get_document_model

    from events.models import Event, Registration
    from forumanak.consultations.models import Consultation
    from forumanak.membership import services
    from forumanak.membership.models import ConsentRequest, Forum, Guardian, Member

    call_command("seed_demo", stdout=StringIO())
    child = Member.objects.filter(status="active", user__isnull=False).select_related("user").first()
    guardian = Guardian.objects.filter(user__isnull=False, links__member=child).first() or Guardian.objects.filter(
        user__isnull=False).first()
    waiting = Member.objects.filter(status="awaiting_consent").first()
    _request, token = services.request_consent(member=waiting, guardian=waiting.guardian_links.first().guardian,
                                               purpose="membership", actor=None, notify=False)
    registration = Registration.objects.filter(member=child).first() or Registration.objects.first()
    document = get_document_model().objects.first()
    consultations = list(Consultation.objects.values_list("slug", flat=True))
    events = list(Event.objects.values_list("slug", flat=True))
    guardian_child = guardian.links.first().member
    values = {
        "switch_language": [{"language": "en"}, {"language": "id"}],
        "consent": [{"token": token}, {"token": "tidak-ada"}],
        "guardian_child": [{"member_id": guardian_child.pk}],
        "guardian_publication": [{"member_id": guardian_child.pk}],
        "guardian_withdraw": [{"request_id": ConsentRequest.objects.filter(member=guardian_child).first().pk}],
        "board": [{"slug": s} for s in Forum.objects.values_list("slug", flat=True)[:3]],
        "detail": [{"slug": s} for s in consultations + events],
        "thanks": [{"slug": s} for s in consultations],
        "results": [{"slug": s} for s in consultations],
        "register": [{"slug": s} for s in events],
        "ics": [{"slug": s} for s in events],
        "ticket": [{"code": registration.code}],
        "cancel": [{"code": registration.code}],
        "account_confirm_email": [{"key": "abc"}],
        "account_reset_password_from_key": [{"uidb36": "1", "key": "set-password"}],
        "wagtaildocs_serve": [{"document_id": document.pk, "document_filename": document.filename}] if document else [],
        "wagtaildocs_authenticate_with_password": [{"restriction_id": 1}],
        "wagtailcore_authenticate_with_password": [{"page_view_restriction_id": 1, "page_id": home_page.pk}],
    }
    return {"values": values, "child": child.user, "guardian": guardian.user}


# Regex patterns are filled from these templates; wagtail_serve's URLs are every live page's own.
REGEX_NAMES = {"wagtaildocs_serve": "documents/{document_id}/{document_filename}",
               "account_confirm_email": "akun/confirm-email/{key}/",
               "account_reset_password_from_key": "akun/password/reset/key/{uidb36}-{key}/"}


def concrete_urls(world):
    """Every public URL in both languages, with its converters filled."""
    from wagtail.models import Page

    from cms.models import Topic

    urls = set()
    missing = []
    for pattern, name in walk_with_locale(get_resolver().url_patterns):
        route, localised = pattern
        if route.startswith(SKIP_PREFIXES) or name == "wagtail_serve":
            continue
        if "<" in route or "(" in route or "^" in route:
            if name not in world["values"]:
                missing.append((route, name))
                continue
            for kwargs in world["values"][name]:
                template = REGEX_NAMES.get(name)
                if template:
                    path = template.format(**kwargs)
                else:
                    path = route
                    for key, value in kwargs.items():
                        path = re.sub(rf"<(?:\w+:)?{key}>", str(value), path)
                urls.add((path, localised))
        else:
            urls.add((route, localised))
    assert not missing, f"add fuzz values for these URLs to the world fixture: {missing}"
    result = set()
    for path, localised in urls:
        result.add("/" + path)
        if localised:
            result.add("/en/" + path)
    for page in Page.objects.live().specific():
        url = page.get_url()
        if url:
            result.add(url)
            # routable sub-pages of the article index (one topic page per cluster)
            if hasattr(page, "reverse_subpage"):
                for topic in Topic.objects.all()[:2]:
                    try:
                        result.add(url + page.reverse_subpage("topic", args=[topic.slug]))
                    except Exception:  # noqa: BLE001 - a page without that route
                        pass
    return sorted(result)


def walk_with_locale(patterns, prefix="", localised=False):
    for p in patterns:
        if isinstance(p, URLResolver):
            inner_localised = localised or isinstance(p.pattern, LocalePrefixPattern)
            yield from walk_with_locale(p.url_patterns, prefix + str(p.pattern), inner_localised)
        elif isinstance(p, URLPattern):
            yield (prefix + str(p.pattern), localised), p.name


def is_login_redirect(response):
    return response.status_code == 302 and ("/akun/login/" in response["Location"])


def test_every_get_parameter_of_every_public_view_survives_nul_overlong_and_invalid_utf8(world):
    # a view's exception is a 500 response here, as in production, not an exception in the test
    clients = {"anonymous": Client(raise_request_exception=False)}
    for role in ("child", "guardian"):
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(world[role])
    failures = []
    checked = 0
    for url in concrete_urls(world):
        # the first client (anonymous, then a child, then a guardian) that the view serves
        for _role, client in clients.items():
            with recording_lookups() as seen:
                baseline = client.get(f"{url}?{SPY}=1")
            if not is_login_redirect(baseline):
                break
        if baseline.status_code >= 500:
            failures.append((url, "baseline", baseline.status_code))
            continue
        names = sorted((seen - {SPY}) | set(ALWAYS))
        for label, raw in BAD_VALUES.items():
            value = raw if raw.startswith(("%", "/%")) else quote(raw)
            # all the names at once, then each name the view read on its own
            queries = ["&".join(f"{n}={value}" for n in names)] + [f"{n}={value}" for n in sorted(seen - {SPY})]
            for query in queries:
                response = client.get(f"{url}?{query}")
                checked += 1
                if response.status_code >= 500:
                    failures.append((url, _role, query[:60], label, response.status_code))
    print(f"{checked} fuzzed requests")
    assert checked > 300  # the walk found the views
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.parametrize("url", ["/cari/?q=%00", "/en/cari/?q=%00", "/bahasa/en/?next=/%00", "/cari/?q=a%00b&halaman=%00",
                                 "/kegiatan/?kecamatan=%00", "/artikel/?topik=%00&usia=%00"])
def test_the_reported_urls(home_page, url):
    """The three requests of the report, and two lists with filters."""
    assert Client(raise_request_exception=False).get(url).status_code < 500
