import os

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client

PASSWORD = "kata-sandi-uji-2026"


def make_user(username, *, email=None, password=PASSWORD, verified=True, **fields):
    User = get_user_model()
    email = f"{username}@example.test" if email is None else email
    user = User.objects.create_user(username=username, email=email, password=password, **fields)
    if email:
        EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def grant_admin_access(user):
    perm = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    group, _ = Group.objects.get_or_create(name="Akses admin uji")
    group.permissions.add(perm)
    user.groups.add(group)
    return user


def enable_totp(user):
    """Give ``user`` a TOTP authenticator; return a function that makes a valid code."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)

    def code():
        import time

        return format_hotp_value(hotp_value(secret, int(time.time()) // 30))

    return code


def sign_in_with_second_factor(client, user):
    """Sign ``user`` in as allauth does after a password and a TOTP code: the session carries both
    authentication records (the admin needs the second one). For tests that are not about signing
    in; tests/core/test_single_sign_in.py goes through the real forms."""
    client.force_login(user)
    _record_second_factor(client, user)
    return client


def _record_second_factor(client, user):
    import time

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )

    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "username": user.username},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


class SecondFactorClient(Client):
    """A test client whose ``force_login`` signs in as allauth does after a password and a TOTP
    code; for framework helpers that call ``force_login`` themselves (Wagtail's
    ``assertPageIsEditable``)."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        _record_second_factor(self, user)


@pytest.fixture
def user(db):
    return make_user("sari")


@pytest.fixture
def staff_without_mfa(db):
    return grant_admin_access(make_user("staf", is_staff=True))


@pytest.fixture
def staff_with_mfa(db):
    staff = grant_admin_access(make_user("staf-mfa", is_staff=True))
    enable_totp(staff)
    return staff


def subprocess_database_url():
    """The URL of the database the tests are using, for a subprocess (a task cluster, a server)."""
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    host = s.get("HOST") or s.get("OPTIONS", {}).get("host") or ""
    url = f"postgres://{s.get('USER') or ''}@/{s['NAME']}"
    if host:
        url += f"?host={host}"
    return url


def subprocess_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update({"DATABASE_URL": subprocess_database_url(), "DJANGO_SETTINGS_MODULE": "forumanak.settings.test"})
    env.update(extra)
    return env


@pytest.fixture
def home_page(db):
    """The site's home page. Migrations create it; a transactional test's flush removes it."""
    from wagtail.models import Locale, Page, Site

    from cms.models import HomePage

    existing = HomePage.objects.first()
    if existing:
        return existing
    locale, _ = Locale.objects.get_or_create(language_code="id")
    Locale.objects.get_or_create(language_code="en")
    root = Page.objects.filter(depth=1).first() or Page.add_root(instance=Page(title="Root", locale=locale))
    home = root.add_child(instance=HomePage(title="Forum Anak Kota Balikpapan", slug="beranda", locale=locale))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    return home


@pytest.fixture(scope="session")
def production_static(tmp_path_factory):
    """Static files collected as a deployment does (hashed names, compressed)."""
    import subprocess
    import sys

    root = tmp_path_factory.mktemp("static")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="forumanak.settings.production",
        SECRET_KEY="collectstatic-only-" + "x7Qm2pL9" * 6,
        ALLOWED_HOSTS="localhost",
        STATIC_ROOT=str(root),
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return root


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches (in memory in tests): nothing one test cached — a page
    in the full-page cache, a rate-limit counter, a site lookup — leaks into the next."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()
