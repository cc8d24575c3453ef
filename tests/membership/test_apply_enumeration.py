"""The application form tells nobody which emails and usernames exist (issue 16 §6). It used to
answer "Email ini sudah terdaftar" and "Nama pengguna ini sudah dipakai". The attacker applies with
an address and a username that exist and with ones that don't, and compares the answers: they are
the same. The owner of an existing address hears by email; a taken username becomes a free
variant that the child is shown."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from forumanak.membership.models import Member
from tests.conftest import make_user

from .conftest import dob_for_age

pytestmark = pytest.mark.django_db(transaction=True)  # emails go out on commit


def application(n, **overrides):
    data = {
        "full_name": "Putri Ayu", "display_name": "Putri", "date_of_birth": dob_for_age(13).isoformat(), "gender": "P",
        "kecamatan": "64.71.01", "kelurahan": "64.71.01.1001", "school": "SMPN 1 Balikpapan",
        "guardian_name": "Ratna", "guardian_relationship": "ibu", "guardian_email": f"wali{n}@example.test",
        "guardian_phone": "0812-1", "guardian_language": "id", "email": "", "username": "",
        "password1": "Rahasia-Sekali-9", "password2": "Rahasia-Sekali-9", "agreement": "on",
    }
    data.update(overrides)
    return data


def answer(response, typed_email):
    """What the attacker sees: status, where it leads, and the page it lands on, minus the token and
    the address they typed themselves (echoed back in "confirmation sent to …")."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    text = text.replace(typed_email, "<email>")
    return response.status_code, response.redirect_chain, text


def test_an_existing_email_gets_the_same_answer_as_a_new_one(city, consent_texts):
    make_user("sudah-ada", email="terdaftar@example.test")
    taken = answer(Client(REMOTE_ADDR="10.1.0.1").post(
        "/anggota/daftar/", application(1, email="terdaftar@example.test"), follow=True), "terdaftar@example.test")
    new = answer(Client(REMOTE_ADDR="10.1.0.2").post(
        "/anggota/daftar/", application(2, email="baru@example.test"), follow=True), "baru@example.test")
    if taken != new:
        import difflib

        diff = "\n".join(difflib.unified_diff(new[2].splitlines(), taken[2].splitlines(), lineterm="", n=0))
        raise AssertionError(f"the answers differ:\n{taken[:2]}\n{new[:2]}\n{diff}")
    assert "sudah terdaftar" not in taken[2]
    # the owner of the existing address is told, by email, and no second account is made
    to_owner = [m for m in mail.outbox if m.to == ["terdaftar@example.test"]]
    assert len(to_owner) == 1
    assert get_user_model().objects.filter(email__iexact="terdaftar@example.test").count() == 1
    assert not Member.objects.filter(guardian_links__guardian__email="wali1@example.test").exists()


def test_a_taken_username_becomes_a_free_one_that_the_child_is_shown(city, consent_texts):
    make_user("putri-bpp", email="")
    response = Client(REMOTE_ADDR="10.1.0.3").post("/anggota/daftar/", application(3, username="putri-bpp"), follow=True)
    assert response.status_code == 200
    assert "sudah dipakai" not in response.text
    member = Member.objects.get(guardian_links__guardian__email="wali3@example.test")
    assert member.user.username == "putri-bpp-2"
    assert "putri-bpp-2" in response.text  # "Nama penggunamu: putri-bpp-2"
    free = Client(REMOTE_ADDR="10.1.0.4").post("/anggota/daftar/", application(4, username="putri-baru"), follow=True)
    assert Member.objects.get(guardian_links__guardian__email="wali4@example.test").user.username == "putri-baru"
    assert free.status_code == response.status_code
