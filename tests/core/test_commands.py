from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_q.models import Schedule

pytestmark = pytest.mark.django_db


def test_setup_schedules_is_idempotent():
    out = StringIO()
    call_command("setup_schedules", stdout=out)
    first = list(Schedule.objects.order_by("name").values_list("name", "func", "schedule_type", "minutes"))
    assert ("core: requeue unsent emails", "forumanak.core.tasks.requeue_unsent_emails", "I", 15) in first
    assert "0 updated, 0 unchanged" in out.getvalue()
    out = StringIO()
    call_command("setup_schedules", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()
    assert list(Schedule.objects.order_by("name").values_list("name", "func", "schedule_type", "minutes")) == first


def test_seed_demo_is_idempotent_and_prints_the_accounts():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "admin@forumanak.local" in text and "forumanak-demo" in text
    users = get_user_model().objects.count()
    emails = EmailAddress.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert get_user_model().objects.count() == users
    assert EmailAddress.objects.count() == emails
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("forumanak-demo") and admin.is_superuser
