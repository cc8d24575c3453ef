"""Production settings: refuse to start unsafely; `check --deploy` is clean; headers are sent."""

import subprocess
import sys

import pytest

from tests.conftest import subprocess_env

GOOD_KEY = "k8#Vq2!zR7mW4pL9xT1cN6bH3dJ5fG0sA-yU8eI2oP7rQ4wE1tZ9vB3nM6xC5lK"


def run(args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=subprocess_env(DJANGO_SETTINGS_MODULE="forumanak.settings.production", **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run(["check"], ALLOWED_HOSTS="forumanak.example.id", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_key():
    result = run(
        ["check"],
        ALLOWED_HOSTS="forumanak.example.id",
        SECRET_KEY="dev-insecure-key-only-for-local-development-do-not-use",
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run(["check"], SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must name" in result.stderr


def test_a_suppression_threshold_below_three_is_refused():
    result = run(["check"], SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="forumanak.example.id",
                 CONSULTATION_SUPPRESSION_THRESHOLD="1")
    assert result.returncode != 0
    assert "CONSULTATION_SUPPRESSION_THRESHOLD must be at least 3" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_check_deploy_reports_no_issues():
    result = run(
        ["check", "--deploy", "--fail-level", "WARNING"], SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="forumanak.example.id"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.django_db(transaction=True)
def test_a_production_page_carries_the_security_headers(home_page, production_static):
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client(SERVER_NAME='forumanak.example.id').get('/', secure=True);"
        "print(r.status_code);"
        "[print(f'{k}: {v}') for k, v in r.headers.items()];"
        "r2 = Client(SERVER_NAME='forumanak.example.id').get('/');"
        "print('plain-http', r2.status_code, r2.headers.get('Location'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=subprocess_env(
            DJANGO_SETTINGS_MODULE="forumanak.settings.production",
            SECRET_KEY=GOOD_KEY,
            ALLOWED_HOSTS="forumanak.example.id",
            STATIC_ROOT=str(production_static),
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.splitlines()[0] == "200", out
    assert "Strict-Transport-Security: max-age=31536000; includeSubDomains; preload" in out
    assert "X-Content-Type-Options: nosniff" in out
    assert "Referrer-Policy: same-origin" in out
    assert "X-Frame-Options: DENY" in out
    csp = next(line for line in out.splitlines() if line.startswith("Content-Security-Policy:"))
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "http" not in csp.split(":", 1)[1]  # no other origin is named
    assert "plain-http 301 https://forumanak.example.id/" in out


def test_csp_everywhere_in_development(client, db):
    response = client.get("/akun/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
