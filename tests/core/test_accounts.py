"""Accounts: sign-up with mandatory verification, login by emailed code, MFA for staff."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, enable_totp, grant_admin_access, make_user, sign_in_with_second_factor

pytestmark = pytest.mark.django_db(transaction=True)


def test_signup_requires_email_verification_before_login(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "ibu.ani@example.test", "password1": "Sandi-yang-kuat-77", "password2": "Sandi-yang-kuat-77"},
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = get_user_model().objects.get(email="ibu.ani@example.test")
    assert user.language == "id"
    assert len(mail.outbox) == 1  # the confirmation email, sent through the email task
    assert "ibu.ani@example.test" in mail.outbox[0].to
    # not verified yet: logging in only leads back to the verification page
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "ibu.ani@example.test", "password": "Sandi-yang-kuat-77"}
    )
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    # following the link in the email verifies and logs in
    link = re.search(r"https?://[^/\s]+(/akun/confirm-email/[^\s]+/)", mail.outbox[-1].body).group(1)
    response = client.post(link)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_with_username_for_a_child_without_email(client):
    make_user("anak-tanpa-email", email="")
    response = client.post(reverse("account_login"), {"login": "anak-tanpa-email", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_login_by_emailed_code(client, user):
    response = client.post(reverse("account_request_login_code"), {"email": user.email})
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == [user.email]
    code = re.search(r"^\s*([A-Z0-9-]{6,12})\s*$", message.body, re.M).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_password_reset_email_is_sent_through_the_task(client, user):
    from forumanak.core.models import OutboundEmail

    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    sent = OutboundEmail.objects.get()
    assert sent.status == "sent"
    assert sent.rendered is None  # the reset link is not kept once sent


def test_admin_anonymous_is_sent_to_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_admin_refused_to_non_staff(client, user):
    sign_in_with_second_factor(client, user)
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/pages/").status_code == 403


def test_staff_without_mfa_must_set_it_up_first(client, staff_without_mfa):
    client.post(reverse("account_login"), {"login": staff_without_mfa.username, "password": PASSWORD})
    for path in ["/admin/", "/admin/pages/", "/admin/users/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(reverse("mfa_activate_totp")), path
    # the set-up page opens once the password is confirmed again (allauth's reauthentication)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    client.post(response.url, {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert "svg" in page.text  # the QR code to scan, drawn inline


def test_staff_with_mfa_opens_the_admin(client, staff_with_mfa):
    sign_in_with_second_factor(client, staff_with_mfa)
    response = client.get("/admin/")
    assert response.status_code == 200


def test_staff_login_asks_for_the_totp_code(client):
    staff = grant_admin_access(make_user("pembina", is_staff=True))
    code = enable_totp(staff)
    response = client.post(reverse("account_login"), {"login": "pembina", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": code()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert client.get("/admin/").status_code == 200


def test_django_admin_is_for_superusers_only(client, staff_with_mfa):
    sign_in_with_second_factor(client, staff_with_mfa)
    assert client.get("/django-admin/").status_code == 403
    boss = make_user("super", is_staff=True, is_superuser=True)
    enable_totp(boss)
    sign_in_with_second_factor(client, boss)
    assert client.get("/django-admin/").status_code == 200


def test_failed_logins_are_rate_limited(client, user):
    for _ in range(6):
        response = client.post(reverse("account_login"), {"login": user.username, "password": "salah"})
    assert response.status_code == 200
    assert "Terlalu banyak" in response.text  # "too many failed login attempts"
    # even the right password is refused for a while
    response = client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_email_is_unique_ignoring_case(db):
    from django.db import IntegrityError, transaction

    make_user("a", email="Sama@example.test")
    with pytest.raises(IntegrityError), transaction.atomic():
        get_user_model().objects.create_user(username="b", email="sama@example.test")
    # but many users may have no email (children log in with a username)
    get_user_model().objects.create_user(username="c", email="")
    get_user_model().objects.create_user(username="d", email="")


def test_a_totp_code_from_the_previous_step_is_accepted_but_not_older(db):
    import time

    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

    user = make_user("penguji-totp")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    totp = TOTP(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP))
    step = int(time.time()) // 30
    assert totp.validate_code(format_hotp_value(hotp_value(secret, step - 1)))
    assert not totp.validate_code(format_hotp_value(hotp_value(secret, step - 2)))


def test_a_used_totp_code_is_refused_for_as_long_as_it_is_valid(db):
    """RFC 6238 §5.2: a code that signed someone in is never accepted again. With the tolerance of one
    step, a code is valid for up to 90 s (the step before, its own, the one after): it must be
    remembered that long, not only 30 s (allauth's default), or a code seen over a shoulder or
    captured works again half a minute later. time.time() is moved forward for allauth and the cache."""
    import time
    from unittest import mock

    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    staff = grant_admin_access(make_user("pembina-replay", is_staff=True))
    enable_totp(staff)
    secret = decrypt(Authenticator.objects.get(user=staff, type="totp").data["secret"])
    start = (int(time.time()) // 30) * 30 + 1  # early in a step
    code = format_hotp_value(hotp_value(secret, start // 30))

    def sign_in_at(moment):
        attempt = Client()
        with mock.patch("time.time", return_value=moment):
            attempt.post(reverse("account_login"), {"login": staff.username, "password": PASSWORD})
            attempt.post(reverse("mfa_authenticate"), {"code": code})
        return "_auth_user_id" in attempt.session

    assert sign_in_at(start)  # the owner signs in
    # the same code, while it is still valid (four tries: under the five-failures lock-out, so that a
    # refusal here is the replay protection, not the rate limit)
    for later in (1, 31, 59, 89):
        assert not sign_in_at(start + later), f"replayed {later} s later"
    # a fresh code of a later step still works (the lock-out is per code, not per person)
    fresh = format_hotp_value(hotp_value(secret, (start + 120) // 30))
    attempt = Client()
    with mock.patch("time.time", return_value=start + 120):
        attempt.post(reverse("account_login"), {"login": staff.username, "password": PASSWORD})
        attempt.post(reverse("mfa_authenticate"), {"code": fresh})
    assert "_auth_user_id" in attempt.session
