"""Erasure racing the child's own requests (issue 25, §5), on PostgreSQL.

What happened: a withdrawal's erasure task failed at COMMIT because the child made a request at
that moment, which wrote an audit entry naming the account (the data download is audited). The
broker did not retry, the erasure waited for the hourly sweep, and meanwhile the child's session
and data download kept working.

The race is made certain here: while the erasure deletes the child's login, between the update
that clears the account from existing audit entries and the delete of the account itself (a
post_delete of the child's email address fires there), the child's request runs to the end.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models.signals import post_delete
from django.test import Client

from forumanak.core.models import AuditEntry
from forumanak.membership import services
from forumanak.membership.models import Guardian, Member

from .conftest import apply, grant

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def child(city, consent_texts, pembina):
    """An active member with an email address, signed in on their phone."""
    from allauth.account.models import EmailAddress

    member, request, token = apply(city, username="rina")
    user = member.user
    user.email = "rina@example.test"
    user.save(update_fields=["email"])
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    grant(token, member)
    services.approve_member(member=member, actor=pembina)
    phone = Client(raise_request_exception=False)
    phone.force_login(user)
    assert phone.get("/anggota/saya/data.json").status_code == 200
    return {"member": Member.objects.get(pk=member.pk), "request": request, "phone": phone,
            "session_key": phone.session.session_key, "user_id": user.pk}


def in_thread(fn):
    """Run ``fn`` on another thread (its own database connection) and wait for it."""
    result = {}

    def run():
        try:
            result["value"] = fn()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            result["error"] = exc
        finally:
            connection.close()

    t = threading.Thread(target=run)
    t.start()
    t.join(timeout=30)
    assert not t.is_alive(), "the racing request hung"
    return result


@pytest.fixture
def in_the_window():
    """Call ``action`` once, inside the erasure, after the account was cleared from existing audit
    entries and before the account row itself is deleted."""
    from allauth.account.models import EmailAddress

    calls = []

    def install(action, times=1):
        def receiver(sender, instance, **kwargs):
            if len(calls) < times:
                calls.append(in_thread(action))

        post_delete.connect(receiver, sender=EmailAddress, weak=False, dispatch_uid="erasure-race")
        return calls

    yield install
    post_delete.disconnect(sender=EmailAddress, dispatch_uid="erasure-race")


def keep_requesting(phone, stop, seen):
    """The child's phone, reloading their page and their data download while erasure runs."""
    try:
        while not stop.is_set():
            for url in ("/anggota/saya/", "/anggota/saya/data.json"):
                seen.append((url, phone.get(url).status_code))
    finally:
        connection.close()


def assert_erased_and_signed_out(child):
    member = Member.objects.get(pk=child["member"].pk)
    assert member.erased_at is not None, "the erasure did not complete: it was left for the sweep"
    assert member.full_name == "" and member.date_of_birth is None and member.user_id is None
    assert not get_user_model().objects.filter(pk=child["user_id"]).exists()
    assert not Session.objects.filter(session_key=child["session_key"]).exists()
    download = child["phone"].get("/anggota/saya/data.json")
    assert download.status_code == 302 and "/akun/login/" in download["Location"]
    assert AuditEntry.objects.filter(action="member.erase", object_id=str(member.pk)).count() == 1
    assert services.erase_overdue() == 0


def test_the_childs_request_during_erasure_does_not_stop_it(child, in_the_window):
    calls = in_the_window(lambda: child["phone"].get("/anggota/saya/data.json").status_code)
    stop, seen = threading.Event(), []
    loop = threading.Thread(target=keep_requesting, args=(child["phone"], stop, seen))
    loop.start()
    try:
        guardian = Guardian.objects.get().user
        services.withdraw_consent(request=child["request"], actor=guardian)  # the erase task runs after commit
    finally:
        stop.set()
        loop.join(timeout=30)
    assert calls and "error" not in calls[0]
    # by then the account was closed: the racing request was not served the child's data
    assert calls[0]["value"] == 302
    assert_erased_and_signed_out(child)
    assert seen and all(status < 500 for _url, status in seen), seen


def test_a_request_already_past_the_login_check_makes_the_erasure_retry(child, in_the_window, caplog):
    """A request that was signed in before the account closed still writes its audit entry in the
    window: the first attempt fails at COMMIT, the task tries again and completes."""

    def in_flight_download():
        AuditEntry.objects.create(actor_id=child["user_id"], actor_label="rina", action="member.export",
                                  object_type="membership.member", object_id=str(child["member"].pk))

    calls = in_the_window(in_flight_download)
    guardian = Guardian.objects.get().user
    services.withdraw_consent(request=child["request"], actor=guardian)
    assert len(calls) == 1 and "error" not in calls[0]
    assert "trying again" in caplog.text  # the first attempt failed at COMMIT, the second completed
    assert_erased_and_signed_out(child)
    # the racing entry stays, without the account
    assert AuditEntry.objects.filter(action="member.export", actor__isnull=True).exists()


def test_erasure_is_idempotent_when_run_again(child):
    guardian = Guardian.objects.get().user
    services.withdraw_consent(request=child["request"], actor=guardian)
    assert services.erase_member_data(member_id=child["member"].pk) is False
    assert_erased_and_signed_out(child)
