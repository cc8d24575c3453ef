"""One client-IP rule for the whole project (forumanak.core.http.client_ip), allauth included."""

import os
import subprocess
import sys

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory, override_settings

from forumanak.core.http import client_ip
from tests.membership.conftest import city, consent_texts  # noqa: F401  (fixtures)


def request(remote="127.0.0.1", xff=None):
    meta = {"REMOTE_ADDR": remote}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize("remote,xff,expected", [
    ("198.51.100.7", None, "198.51.100.7"),
    ("198.51.100.7", "203.0.113.9", "198.51.100.7"),  # no proxy of ours: X-Forwarded-For is the client's own
    ("2001:db8::1", None, "2001:db8::1"),
    ("not-an-ip", None, None),
])
@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_a_proxy_the_header_is_ignored(remote, xff, expected):
    assert client_ip(request(remote, xff)) == expected


@pytest.mark.parametrize("xff,expected", [
    ("198.51.100.7", "198.51.100.7"),  # nginx: $proxy_add_x_forwarded_for
    ("6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client's forged left-most value is not believed
    ("6.6.6.6,7.7.7.7,  198.51.100.7", "198.51.100.7"),
    ("[2001:db8::5]:443", "2001:db8::5"),
    ("198.51.100.7:5555", "198.51.100.7"),
    (None, "127.0.0.1"),  # not through the proxy (a health check on the loopback): REMOTE_ADDR
    ("6.6.6.6, garbage", "127.0.0.1"),
])
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_right_most_address_is_the_client(xff, expected):
    assert client_ip(request("127.0.0.1", xff)) == expected


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_a_load_balancer_and_nginx():
    assert client_ip(request("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.1")) == "198.51.100.7"
    assert client_ip(request("10.0.0.2", "10.0.0.1")) == "10.0.0.2"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_allauth_rate_limits_use_the_same_rule():
    assert get_adapter().get_client_ip(request("127.0.0.1", "6.6.6.6, 198.51.100.7")) == "198.51.100.7"


def test_production_trusts_the_documented_nginx():
    code = "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)"
    env = {"DJANGO_SETTINGS_MODULE": "forumanak.settings.production", "SECRET_KEY": "p" * 20 + "Q7mZ2xR9" * 5,
           "ALLOWED_HOSTS": "forumanak.example", "PATH": "/usr/bin:/bin"}
    env.update({k: v for k, v in os.environ.items() if k in ("FORUM_VAR_DIR", "DATABASE_URL", "HOME")})
    out = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], env=env,
                         capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "1"


# ---- over HTTP, as nginx hands requests to gunicorn (REMOTE_ADDR is nginx's own address) --------

@pytest.mark.django_db
@pytest.mark.parametrize("proxies", [0, 1])
def test_failed_logins_from_many_clients_do_not_lock_out_another(proxies):
    """Issue 16 §4: behind the documented nginx, twelve failed logins from different people locked a
    different person with the right password out for a minute: with no proxy trusted, every client
    is nginx's 127.0.0.1. With TRUSTED_PROXY_COUNT=1 each is counted apart; with 0 (the setting
    for a site without a proxy in front) the lock-out shows what it guards against."""
    from django.test import Client
    from django.urls import reverse

    from tests.conftest import PASSWORD, make_user

    victims = [make_user(f"warga{n}") for n in range(12)]
    owner = make_user("pemilik")
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        for n, victim in enumerate(victims):
            Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}").post(
                reverse("account_login"), {"login": victim.username, "password": "salah-sekali"})
        honest = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50")
        honest.post(reverse("account_login"), {"login": owner.username, "password": PASSWORD})
        signed_in = "_auth_user_id" in honest.session
    assert signed_in is (proxies == 1)


@pytest.mark.django_db
def test_a_forged_header_does_not_escape_the_limit_behind_the_proxy():
    """The attacker writes a new X-Forwarded-For each time; nginx appends their real address, the
    one that counts: after ten failures from that address the eleventh is refused."""
    from django.test import Client
    from django.urls import reverse

    from tests.conftest import PASSWORD, make_user

    users = [make_user(f"target{n}") for n in range(11)]
    with override_settings(TRUSTED_PROXY_COUNT=1):
        for n, target in enumerate(users[:10]):
            Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.{n}.0.1, 192.0.2.66").post(
                reverse("account_login"), {"login": target.username, "password": "salah"})
        last = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.99.0.1, 192.0.2.66")
        last.post(reverse("account_login"), {"login": users[10].username, "password": PASSWORD})
        assert "_auth_user_id" not in last.session


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("proxies,expected", [(1, "198.51.100.23"), (0, "127.0.0.1")])
def test_consent_records_keep_the_guardians_address(proxies, expected, city, consent_texts):  # noqa: F811
    from django.test import Client

    from forumanak.membership.models import ConsentDecision
    from tests.membership.conftest import apply

    member, _request, token = apply(city)
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.23").post(f"/persetujuan/{token}/", {
            "purpose": "membership", "decision": "granted", "guardian_name": "Ratna Sari",
            "date_of_birth": member.date_of_birth.isoformat()})
    assert ConsentDecision.objects.get().ip_address == expected
