"""The benchmark's reference endpoints exist only under the benchmark settings' URLs."""

import pytest
from django.urls import Resolver404, resolve


@pytest.mark.parametrize("path", ["/bench/bare/", "/bench/insert/"])
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
