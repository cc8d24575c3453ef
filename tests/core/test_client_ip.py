"""One client-IP rule for the whole project (forumanak.core.http.client_ip), allauth included."""

import os
import subprocess
import sys

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory, override_settings

from forumanak.core.http import client_ip


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
