"""A guardian's account cannot be claimed in advance (issue 16 §1).

The rule: a guardian record is bound only to an account whose control of the guardian's email was
proven *after* it was named as guardian: the consent link (for an account made at that moment), or
an emailed sign-in code / email confirmation (for an account that already existed). An unverified
account with the same address never gains a child, never becomes verified by someone else's action,
and its password stops working once the real owner of the address answers the consent link.

The attacker here signs up at /akun/signup/ with the guardian's address and a password of their
choice, before or after the child applies, and waits. Everything goes over HTTP.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from forumanak.membership.models import Guardian, Member

from .conftest import dob_for_age

pytestmark = pytest.mark.django_db(transaction=True)

GUARDIAN = "ratna.wali@example.test"
STRANGER_PASSWORD = "Pencuri-Akun-2026!"


def child_applies(client, username="putri-bpp"):
    response = client.post("/anggota/daftar/", {
        "full_name": "Putri Ayu", "display_name": "Putri", "date_of_birth": dob_for_age(13).isoformat(),
        "gender": "P", "kecamatan": "64.71.01", "kelurahan": "64.71.01.1001", "school": "SMPN 1 Balikpapan",
        "guardian_name": "Ratna", "guardian_relationship": "ibu", "guardian_email": GUARDIAN,
        "guardian_phone": "0812-1", "guardian_language": "id", "email": "", "username": username,
        "password1": "Rahasia-Sekali-9", "password2": "Rahasia-Sekali-9", "agreement": "on",
    })
    assert response.status_code == 302, response.content[:2000]
    return Member.objects.get(user__username=username)


def stranger_signs_up():
    stranger = Client()
    stranger.post("/akun/signup/", {"email": GUARDIAN, "password1": STRANGER_PASSWORD, "password2": STRANGER_PASSWORD})
    account = get_user_model().objects.get(email__iexact=GUARDIAN)
    assert not EmailAddress.objects.get(user=account).verified
    return account


def consent_link():
    for message in reversed(mail.outbox):
        if GUARDIAN in message.to:
            found = re.search(r"/persetujuan/[^/\s\"<]+/", message.body)
            if found:
                return found.group(0)
    raise AssertionError("no consent link was emailed to the guardian")


def guardian_answers(member):
    path = consent_link()
    guardian = Client()
    page = guardian.get(path)
    assert page.status_code == 200
    response = guardian.post(path, {"date_of_birth": member.date_of_birth.isoformat(), "guardian_name": "Ratna",
                                    "decision": "granted", "purpose": "membership"})
    assert response.status_code in (200, 302)
    member.refresh_from_db()
    assert member.membership_consent == "granted"


def password_login(password):
    client = Client()
    client.post("/akun/login/", {"login": GUARDIAN, "password": password})
    return client


def code_login():
    """The real guardian signs in with a code emailed to the address (proof of the inbox)."""
    client = Client()
    mail.outbox.clear()
    client.post("/akun/login/code/", {"email": GUARDIAN})
    message = next(m for m in mail.outbox if GUARDIAN in m.to)
    code = re.search(r"^\s*([A-Z0-9-]{6,12})\s*$", message.body, re.M).group(1)
    client.post("/akun/login/code/confirm/", {"code": code})
    assert "_auth_user_id" in client.session, "the emailed code did not sign the guardian in"
    return client


def sees_child(client, member):
    page = client.get("/wali/")
    return page.status_code == 200 and member.display_name in page.text


def assert_stranger_locked_out(stranger_account, member):
    stranger_account.refresh_from_db()
    attempt = password_login(STRANGER_PASSWORD)
    assert "_auth_user_id" not in attempt.session  # the squatter's password no longer works
    assert not sees_child(attempt, member)
    assert not Guardian.objects.filter(user=stranger_account).exists()
    assert not EmailAddress.objects.filter(user=stranger_account, verified=True).exists()


def test_a_stranger_who_signs_up_after_the_application_gains_nothing(client, city, consent_texts):
    member = child_applies(client)
    squatter = stranger_signs_up()
    guardian_answers(member)
    assert_stranger_locked_out(squatter, member)
    real = code_login()
    assert sees_child(real, member)
    assert real.session["_auth_user_id"] != str(squatter.pk)  # the guardian lands in their own account


def test_a_stranger_who_signs_up_before_the_application_gains_nothing(client, city, consent_texts):
    squatter = stranger_signs_up()
    member = child_applies(client)
    assert Guardian.objects.get(email__iexact=GUARDIAN).user_id is None  # not linked at once any more
    assert not sees_child(password_login(STRANGER_PASSWORD), member)
    guardian_answers(member)
    assert_stranger_locked_out(squatter, member)
    real = code_login()
    assert sees_child(real, member)
    assert real.session["_auth_user_id"] != str(squatter.pk)


def test_an_existing_verified_account_is_bound_only_after_it_proves_the_inbox_again(client, city, consent_texts):
    """A parent who already has a verified account (an adult event, say): answering the link does not
    hand the child to whoever holds that account's password; signing in with an emailed code does."""
    from tests.conftest import PASSWORD, make_user

    parent = make_user("ratna-dewasa", email=GUARDIAN)
    member = child_applies(client)
    guardian_answers(member)
    by_password = password_login(PASSWORD)
    assert by_password.session["_auth_user_id"] == str(parent.pk)
    assert not sees_child(by_password, member)
    by_code = code_login()
    assert by_code.session["_auth_user_id"] == str(parent.pk)
    assert sees_child(by_code, member)


def test_paper_consent_gives_no_account(city, consent_texts, pembina):
    """Staff recording a signed paper form prove nothing about the inbox: no account is made or bound."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from forumanak.membership import services

    from .conftest import apply

    member, request, _token = apply(city, guardian_email=GUARDIAN)
    services.record_paper_consent(request=request, decision="granted", guardian_name="Ratna",
                                  scan=SimpleUploadedFile("form.pdf", b"%PDF-1.4 form"), actor=pembina)
    assert Guardian.objects.get(email__iexact=GUARDIAN).user_id is None
    assert not get_user_model().objects.filter(email__iexact=GUARDIAN).exists()


def test_existing_links_made_without_proof_are_undone_by_the_migration(city, consent_texts):
    """Data bound by the old code: a guardian record held by an account with a password of its own
    (signed up, not made by the consent link) is unbound and its address unverified; a consent-link
    account (no password) keeps its child."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from tests.conftest import make_user

    from .conftest import apply

    squatter = make_user("penyerobot", email=GUARDIAN)  # verified=True: as the old code left it
    _member, _request, _token = apply(city, guardian_email=GUARDIAN)
    Guardian.objects.filter(email__iexact=GUARDIAN).update(user=squatter)
    proper_user = get_user_model().objects.create(username="wali-asli", email="asli@example.test")
    proper_user.set_unusable_password()
    proper_user.save()
    _m2, _r2, _t2 = apply(city, username="adik", guardian_email="asli@example.test")
    Guardian.objects.filter(email__iexact="asli@example.test").update(user=proper_user)

    executor = MigrationExecutor(connection)
    executor.migrate([("membership", "0008_sk_file_private")])
    executor.loader.build_graph()
    executor.migrate([("membership", "0009_unbind_unproven_guardian_accounts")])
    checked = (Guardian.objects.get(email__iexact=GUARDIAN).user_id,
               EmailAddress.objects.get(user=squatter).verified,
               Guardian.objects.get(email__iexact="asli@example.test").user_id)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # the later migrations again, for the next tests

    assert checked == (None, False, proper_user.pk)
