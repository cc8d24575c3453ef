"""One door in (ARCHITECTURE invariant 7): allauth is the only sign-in, and an admin page needs a
session that passed the second factor in this sign-in.

These are the attacker's tests. They do not list the doors they know; they walk the URL resolver
(tests/urlwalk.py), so a view that Wagtail, the Django admin or allauth adds in an upgrade, or that
we add later, is attacked too:
- every view that shows a password or code field is allauth's, or is one of the two rate-limited
  Wagtail password forms of protected pages and documents;
- credentials POSTed to every URL sign in nobody, except allauth's own login, and even that only for
  an account with a verified email and no second factor;
- a session made by a password alone (forced, stolen, or left half-way in allauth's login) for staff
  with a TOTP device gets no admin page, Wagtail's or Django's, on any URL, by GET or POST;
- django-q2's schedule admin (a dotted path the task cluster runs) is not on the web.
"""

import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django_q.models import Schedule
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from tests.conftest import PASSWORD, enable_totp, grant_admin_access, make_user, sign_in_with_second_factor
from tests.urlwalk import admin_routes, routes

pytestmark = pytest.mark.django_db

CREDENTIAL_FIELD = re.compile(r"""<input[^>]*\btype=["']?password\b|<input[^>]*\bname=["']?(?:code|otp_token|token)\b""", re.I)
# The only non-allauth views that may take a secret: Wagtail's password form of a password-protected
# page or document collection, rate-limited (test_the_password_form_of_a_protected_page_is_rate_limited).
RATE_LIMITED_PASSWORD_FORMS = {
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
    "documents/authenticate_with_password/<int:restriction_id>/",
}
# Doors that exist today and must stay shut; the walk must find them (a renamed route is a new door).
# Sign-up forms make a new account with a new password; they cannot open an existing one (the POST
# walk below shows they sign in nobody with someone else's credentials). The child's application
# makes a username-and-password account for a child without email.
SIGN_UP_FORMS = {"anggota/daftar/"}
KNOWN_FOREIGN_DOORS = {"_util/login/", "admin/login/", "django-admin/login/", "django-admin/password_change/",
                       "admin/password_reset/confirm/<uidb64>/<token>/"}
SECRET_PAGE_PASSWORD = "rahasia-halaman-2026"


def is_allauths(route):
    return route.route.startswith("akun/") and route.module.startswith("allauth.")


@pytest.fixture
def protected(home_page):
    """A password-protected page and a document in a password-protected collection: real ids, so
    that the walk renders their password forms."""
    page = home_page.add_child(instance=Page(title="Rapat pengurus", slug="rapat-pengurus"))
    page_restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=SECRET_PAGE_PASSWORD
    )
    collection = Collection.get_first_root_node().add_child(name="Arsip pengurus")
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password="rahasia-arsip"
    )
    document = get_document_model().objects.create(
        title="Notulen", collection=collection, file=ContentFile(b"notulen rapat", name="notulen.txt")
    )
    return {
        "page": page,
        "values": {
            "page_view_restriction_id": page_restriction.pk,
            "page_id": page.pk,
            "restriction_id": collection_restriction.pk,
            "document_id": document.pk,
        },
    }


@pytest.fixture
def superuser_with_totp(db):
    boss = make_user("kepala", is_staff=True, is_superuser=True)
    return boss, enable_totp(boss)


@pytest.fixture
def pembina_with_totp(db):
    staff = grant_admin_access(make_user("pembina", is_staff=True))
    return staff, enable_totp(staff)


def quiet_client(**kwargs):
    client = Client(**kwargs)
    client.raise_request_exception = False  # a framework view that fails is not a door; fuzz tests cover 5xx
    return client


def signed_in(client):
    return "_auth_user_id" in client.session


def test_every_view_that_takes_a_password_or_code_is_allauths(protected, user, superuser_with_totp):
    boss, _ = superuser_with_totp
    visitors = {"anonymous": quiet_client(), "member": quiet_client(), "superuser": quiet_client()}
    visitors["member"].force_login(user)
    sign_in_with_second_factor(visitors["superuser"], boss)
    walked = list(routes(protected["values"]))
    assert KNOWN_FOREIGN_DOORS <= {r.route for r in walked}, "the walk no longer finds the doors it must"

    credential_views = {}
    for route in walked:
        if route.name in ("account_logout", "wagtailadmin_logout", "logout"):
            continue  # would end the visitor's session for the rest of the walk
        for who, client in visitors.items():
            response = client.get(route.path)
            if response.streaming or response.status_code != 200:
                continue
            if CREDENTIAL_FIELD.search(response.content.decode(errors="replace")):
                credential_views.setdefault(route.route, (route, set()))[1].add(who)

    assert any(is_allauths(route) for route, _ in credential_views.values()), "the detector found no allauth form"
    assert RATE_LIMITED_PASSWORD_FORMS <= set(credential_views), "the protected page/document forms were not seen"
    foreign = {
        text: sorted(who)
        for text, (route, who) in credential_views.items()
        if not is_allauths(route) and text not in RATE_LIMITED_PASSWORD_FORMS | SIGN_UP_FORMS
    }
    assert foreign == {}, f"views other than allauth's ask for a password or code: {foreign}"

    # the known foreign doors answer every visitor with a redirect to allauth's login (or refuse)
    for route in walked:
        if route.route in KNOWN_FOREIGN_DOORS:
            for who, client in visitors.items():
                response = client.get(route.path)
                assert response.status_code in (302, 403, 404), (route.route, who, response.status_code)
            final = visitors["anonymous"].get(route.path, follow=True).redirect_chain
            if final:
                assert final[-1][0].startswith(reverse("account_login")), (route.route, final)


@pytest.mark.parametrize("kind", ["verified", "unverified", "staff_with_totp"])
def test_credentials_posted_to_every_url_sign_in_nobody_but_through_allauths_login(kind, protected):
    """The attacker has a password. POSTed to every URL the site answers (Wagtail's `_util/login/`,
    the Django admin's login …), it signs in nobody; allauth's login signs in only a verified account
    without a second factor. An unverified sign-up and staff with TOTP get in nowhere by password alone."""
    person = {
        "verified": lambda: make_user("warga"),
        "unverified": lambda: make_user("baru", verified=False),
        "staff_with_totp": lambda: enable_totp(grant_admin_access(make_user("pembina", is_staff=True))) and None,
    }[kind]()
    if person is None:
        from django.contrib.auth import get_user_model

        person = get_user_model().objects.get(username="pembina")
    credentials = {
        "login": person.username, "username": person.username, "email": person.email, "password": PASSWORD,
        "password1": PASSWORD, "password2": PASSWORD, "next": "/admin/", "remember": "on",
    }
    signed_in_by = []
    walked = list(routes(protected["values"]))
    for route in walked:
        for prefix in ("", "/en") if not route.path.startswith(("/admin/", "/django-admin/", "/documents/")) else ("",):
            client = quiet_client()
            client.post(prefix + route.path, credentials)
            if signed_in(client):
                signed_in_by.append(route.route)
                assert client.session["_auth_user_id"] == str(person.pk)
    if kind == "verified":
        assert sorted(set(signed_in_by)) == ["akun/login/"]  # the detector works: allauth's login does sign in
    else:
        assert signed_in_by == []


def test_wagtails_own_login_page_is_allauths(client, pembina_with_totp):
    staff, _ = pembina_with_totp
    for path in ("/_util/login/", "/en/_util/login/"):
        response = client.post(f"{path}?next=/admin/", {"username": staff.username, "password": PASSWORD})
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login")) or response.url.startswith("/en/akun/login/")
        assert "next=/admin/" in response.url.replace("%2F", "/")
        assert not signed_in(client)
    # 40 wrong passwords at the old door now meet allauth's lock-out at the real one
    response = client.get("/_util/login/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))


def test_private_pages_and_documents_send_visitors_to_allauths_login(client, home_page):
    page = home_page.add_child(instance=Page(title="Khusus anggota", slug="khusus-anggota"))
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    collection = Collection.get_first_root_node().add_child(name="Khusus anggota")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type=CollectionViewRestriction.LOGIN)
    document = get_document_model().objects.create(
        title="Daftar", collection=collection, file=ContentFile(b"isi", name="daftar.txt")
    )
    for path in ("/khusus-anggota/", document.url):
        response = client.get(path, follow=True)
        final, _status = response.redirect_chain[-1]
        assert final.startswith(f"{reverse('account_login')}?next="), (path, response.redirect_chain)
        assert "_util/login" not in str(response.redirect_chain)


def test_a_signed_in_visitor_outside_the_group_is_refused_not_sent_round_in_circles(client, home_page, user):
    """allauth's login sends a signed-in visitor on to ``next``; a page for a group they are not in
    would send them back to the login: an endless loop. They get a plain refusal instead."""
    from django.contrib.auth.models import Group

    page = home_page.add_child(instance=Page(title="Khusus pengurus", slug="khusus-pengurus"))
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Pengurus uji"))
    client.force_login(user)
    response = client.get("/khusus-pengurus/", follow=True)
    assert len(response.redirect_chain) <= 2
    assert response.status_code == 403 and "Halaman ini bukan untukmu" in response.text
    assert "Khusus pengurus" not in response.text


def test_the_password_form_of_a_protected_page_is_rate_limited(client, protected):
    page = protected["page"]
    restriction = PageViewRestriction.objects.get(page=page)
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    for _ in range(10):
        response = client.post(url, {"password": "tebakan-salah", "return_url": "/rapat-pengurus/"})
        assert response.status_code == 200  # the form again, with an error
    response = client.post(url, {"password": SECRET_PAGE_PASSWORD, "return_url": "/rapat-pengurus/"})
    assert response.status_code == 429  # even the right password waits
    assert "Terlalu banyak percobaan" in response.text
    form = client.get("/rapat-pengurus/")
    assert form.status_code == 200 and 'type="password"' in form.text  # still the password form, not the page
    # another address is not locked out by this one
    other = Client(REMOTE_ADDR="10.9.8.7")
    response = other.post(url, {"password": SECRET_PAGE_PASSWORD, "return_url": "/rapat-pengurus/"})
    assert response.status_code == 302


def test_a_session_without_the_second_factor_gets_no_admin_page(pembina_with_totp, superuser_with_totp, protected):
    """Staff with TOTP whose session was made by a password alone: half-way through allauth's login,
    or a forced/stolen session. Every admin URL, Wagtail's and Django's, GET and POST: never an admin
    page, always the second-factor step (or a refusal)."""
    walked = admin_routes(protected["values"])
    assert len(walked) > 250 and any(r.path.startswith("/django-admin/") for r in walked)
    for staff, _ in (pembina_with_totp, superuser_with_totp):
        halfway = quiet_client()
        response = halfway.post(reverse("account_login"), {"login": staff.username, "password": PASSWORD})
        assert response.url == reverse("mfa_authenticate") and not signed_in(halfway)
        forced = quiet_client()
        forced.force_login(staff)
        for route in walked:
            for method in ("get", "post"):
                response = getattr(halfway, method)(route.path)
                if response.status_code == 200:  # only what Wagtail gives anyone: its icon sprite, no page
                    assert "html" not in response["Content-Type"], (route.route, method)
                    assert getattr(quiet_client(), method)(route.path).status_code == 200, route.route
                else:
                    assert response.status_code in (302, 403, 404, 405), (route.route, method, response.status_code)
                response = getattr(forced, method)(route.path)
                assert response.status_code in (302, 403), (staff.username, route.route, method, response.status_code)
                if response.status_code == 302:
                    assert response.url.startswith(reverse("mfa_reauthenticate")), (route.route, response.url)
                else:  # only the Django admin refuses a non-superuser outright
                    assert route.path.startswith("/django-admin/") and not staff.is_superuser, route.route


def test_the_second_factor_step_opens_the_admin(client, pembina_with_totp):
    staff, code = pembina_with_totp
    client.force_login(staff)  # a session without the second factor …
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response.url.startswith(reverse("mfa_reauthenticate"))
    step = client.get(response.url)
    assert step.status_code == 200 and 'name="code"' in step.text
    response = client.post(response.url, {"code": code()})
    assert response.status_code == 302 and response.url == "/admin/pages/"  # … back where it was going
    assert client.get("/admin/").status_code == 200


def test_a_full_sign_in_with_the_code_opens_the_admin(client, pembina_with_totp):
    staff, code = pembina_with_totp
    client.post(reverse("account_login"), {"login": staff.username, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code()})
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db(transaction=True)  # allauth announces the new device on commit
def test_setting_up_totp_passes_the_second_factor_for_this_session(client, staff_without_mfa):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    client.post(reverse("account_login"), {"login": staff_without_mfa.username, "password": PASSWORD})
    assert client.get("/admin/").url.startswith(reverse("mfa_activate_totp"))
    response = client.get(reverse("mfa_activate_totp"))
    client.post(response.url, {"password": PASSWORD})  # allauth asks for the password again first
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    import time

    client.post(reverse("mfa_activate_totp"), {"code": format_hotp_value(hotp_value(secret, int(time.time()) // 30))})
    assert client.get("/admin/").status_code == 200


def test_no_one_can_schedule_code_through_the_admin(client, superuser_with_totp):
    boss, _ = superuser_with_totp
    sign_in_with_second_factor(client, boss)
    assert client.get("/django-admin/").status_code == 200
    assert not [r.route for r in routes() if "django_q" in r.route]
    before = Schedule.objects.count()
    for path in ("/django-admin/django_q/schedule/add/", "/django-admin/django_q/schedule/",
                 "/django-admin/django_q/ormq/add/", "/django-admin/django_q/failure/"):
        assert client.get(path).status_code == 404, path
    response = client.post("/django-admin/django_q/schedule/add/", {
        "func": "os.mkdir", "args": "'/tmp/forumanak-pwned'", "schedule_type": "O", "repeats": "1",
        "next_run_0": "2026-01-01", "next_run_1": "00:00:00"})
    assert response.status_code == 404
    assert Schedule.objects.count() == before


def test_the_django_admins_password_change_is_allauths(client, superuser_with_totp):
    boss, _ = superuser_with_totp
    sign_in_with_second_factor(client, boss)
    response = client.post("/django-admin/password_change/",
                           {"old_password": PASSWORD, "new_password1": "baru-sekali-2026!", "new_password2": "baru-sekali-2026!"})
    assert response.status_code == 302 and response.url == reverse("account_change_password")
    boss.refresh_from_db()
    assert boss.check_password(PASSWORD)


def test_a_sign_in_without_remember_me_ends_with_the_browser(client, user):
    client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    assert signed_in(client)
    assert client.session.get_expire_at_browser_close()


def test_sign_out_everywhere_else_ends_every_other_session_and_keeps_this_one(user):
    from forumanak.core.models import AuditEntry

    phone, school_computer, lost_phone = Client(), Client(), Client()
    for device in (phone, school_computer, lost_phone):
        device.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
        assert device.get(reverse("account_email")).status_code == 200
    page = phone.get(reverse("account_sessions"))
    assert page.status_code == 200 and "Keluar dari semua perangkat lain" in page.text
    assert reverse("account_sessions") in phone.get(reverse("account_email")).text  # linked from the account page
    response = phone.post(reverse("account_sessions"), follow=True)
    assert "Kamu sudah keluar dari semua perangkat lain" in response.text
    assert phone.get(reverse("account_email")).status_code == 200  # this device stays signed in
    for device in (school_computer, lost_phone):
        response = device.get(reverse("account_email"))
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
        assert not signed_in(device)
    entry = AuditEntry.objects.get(action="account.sessions_ended")
    assert entry.actor == user and entry.object_id == str(user.pk)
    # signing in again on another device works as before
    school_computer.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    assert school_computer.get(reverse("account_email")).status_code == 200


def test_ending_every_session_of_an_account_signs_out_the_admin_too(pembina_with_totp):
    from forumanak.core.services import end_sessions

    staff, _ = pembina_with_totp
    admin = sign_in_with_second_factor(Client(), staff)
    assert admin.get("/admin/").status_code == 200
    end_sessions(user=staff, actor=None)
    assert admin.get("/admin/").url.startswith(reverse("account_login"))
