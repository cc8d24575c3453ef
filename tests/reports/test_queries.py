"""The dashboard's number of queries does not depend on how much data there is."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.conftest import sign_in_with_second_factor
from tests.reports.conftest import YEAR, build_world, staff

pytestmark = pytest.mark.django_db

MAX_QUERIES = 45  # the admin's own (session, user, menu …) plus about twenty for the report


def dashboard_queries(client, scale):
    with transaction.atomic():
        world = build_world(scale=scale, seed=scale)
        pembina = staff(f"pembina-{scale}", world["forums"]["city"], "pembina")
        sign_in_with_second_factor(client, pembina)
        client.get(f"/admin/kla/?tahun={YEAR}")  # warm caches (content types, site settings)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/admin/kla/?tahun={YEAR}")
        assert response.status_code == 200
        report = response.context["report"]
        size = (report["members"]["totals"]["active"] + report["members"]["totals"]["applied"],
                report["consultations"]["totals"]["count"], report["events"]["totals"]["events"])
        transaction.set_rollback(True)
    return len(queries), size


def test_query_count_does_not_grow_with_the_data(client):
    small, small_size = dashboard_queries(client, 1)
    large, large_size = dashboard_queries(client, 4)
    assert all(b > a for a, b in zip(small_size, large_size, strict=True))  # more members, consultations, events
    assert small == large <= MAX_QUERIES
