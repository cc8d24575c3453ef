"""The benchmark's reference endpoints exist only under the benchmark settings' URLs."""

import pytest
from django.urls import Resolver404, resolve


@pytest.mark.parametrize("path", ["/bench/bare/", "/bench/insert/", "/bench/signed-in-insert/"])
def test_reference_endpoints_are_not_in_the_site_urls(path):
    try:
        match = resolve(path)
    except Resolver404:
        return
    # Wagtail's catch-all takes any path as a possible page; it must not be a bench view
    assert match.func.__module__ != "forumanak.settings.bench_urls"


def test_reference_endpoints_resolve_under_the_bench_urls():
    assert resolve("/bench/bare/", urlconf="forumanak.settings.bench_urls").func.__name__ == "bare"
    assert resolve("/bench/insert/", urlconf="forumanak.settings.bench_urls").func.__name__ == "one_insert"
    assert resolve("/bench/signed-in-insert/", urlconf="forumanak.settings.bench_urls").func.__name__ == "signed_in_insert"


@pytest.mark.django_db
@pytest.mark.urls("forumanak.settings.bench_urls")
def test_the_signed_in_insert_writes_one_row_for_a_signed_in_post_with_its_csrf_token(django_user_model):
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    from forumanak.core.models import AuditEntry

    client = Client(enforce_csrf_checks=True)
    assert client.post("/bench/signed-in-insert/").status_code == 403  # no CSRF token
    secret = _get_new_csrf_string()  # the secret as cookie and form field, as the benchmark's wrk script sends it
    client.cookies["csrftoken"] = secret
    assert client.post("/bench/signed-in-insert/", {"csrfmiddlewaretoken": secret}).status_code == 403  # anonymous
    assert client.get("/bench/signed-in-insert/").status_code == 403
    assert not AuditEntry.objects.filter(action="bench.insert").exists()

    client.force_login(django_user_model.objects.create_user(username="bench-reader", password="x"))
    client.cookies["csrftoken"] = secret
    response = client.post("/bench/signed-in-insert/", {"csrfmiddlewaretoken": secret})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="bench.insert").count() == 1
