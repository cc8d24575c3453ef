"""Applying at /anggota/daftar/: minimal data, kind age messages, email or username accounts."""

import pytest
from django.core import mail

from forumanak.membership.models import Member
from tests.conftest import sign_in_with_second_factor

from .conftest import dob_for_age

pytestmark = pytest.mark.django_db(transaction=True)


def form_data(**overrides):
    data = {
        "full_name": "Putri Ayu", "display_name": "Putri", "date_of_birth": dob_for_age(13).isoformat(), "gender": "P",
        "kecamatan": "64.71.01", "kelurahan": "64.71.01.1001", "school": "SMPN 1 Balikpapan",
        "guardian_name": "Ratna", "guardian_relationship": "ibu", "guardian_email": "ratna@example.test",
        "guardian_phone": "0812-1", "guardian_language": "id", "email": "", "username": "putri-bpp",
        "password1": "Rahasia-Sekali-9", "password2": "Rahasia-Sekali-9", "agreement": "on",
    }
    data.update(overrides)
    return data


def test_form_asks_only_for_the_minimum(client, city, consent_texts):
    html = client.get("/anggota/daftar/").text
    for absent in ["nik", "NIK\"", "alamat_rumah", "address"]:
        assert f'name="{absent}' not in html
    assert '<optgroup label="Kecamatan Balikpapan Timur">' in html  # kelurahan grouped by kecamatan, no JS needed


def test_child_without_email_applies_with_a_username(client, city, consent_texts):
    response = client.post("/anggota/daftar/", form_data())
    assert response.status_code == 302 and response.url == "/anggota/daftar/terkirim/"
    member = Member.objects.get()
    assert member.status == "awaiting_consent" and member.user.username == "putri-bpp" and member.user.email == ""
    assert member.forum.region_id == "64.71.01.1001"
    assert [m.to for m in mail.outbox] == [["ratna@example.test"]]
    assert client.get("/anggota/saya/").status_code == 200  # logged in


def test_child_with_email_must_verify_it(client, city, consent_texts):
    response = client.post("/anggota/daftar/", form_data(email="putri@example.test", username=""))
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["putri@example.test", "ratna@example.test"]
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("age,text", [(9, "setelah ulang tahunmu yang ke-10"), (18, "Untuk orang dewasa"), (30, "Untuk orang dewasa")])
def test_ages_outside_10_to_17_get_a_kind_explanation(client, city, consent_texts, age, text):
    response = client.post("/anggota/daftar/", form_data(date_of_birth=dob_for_age(age).isoformat()))
    assert response.status_code == 200 and text in response.text
    if age >= 18:
        assert 'href="/kegiatan/"' in response.text
    assert Member.objects.count() == 0


def test_bad_input_gets_clear_errors_and_keeps_what_was_typed(client, city, consent_texts):
    response = client.post("/anggota/daftar/", form_data(kelurahan="64.71.02.1001", password2="lain", username=""))
    assert response.status_code == 200
    assert "Kelurahan ini tidak ada di kecamatan yang kamu pilih." in response.text
    assert "Kedua kata sandi tidak sama." in response.text
    assert "Isi emailmu atau buat nama pengguna." in response.text
    assert 'value="Putri Ayu"' in response.text
    assert Member.objects.count() == 0


def test_guardian_applies_for_a_child_from_the_portal_and_decides_at_once(client, city, consent_texts):
    from forumanak.membership import services as svc
    from forumanak.membership.models import ConsentDecision

    from .conftest import apply, grant

    first, _r, token = apply(city, username="kakak", guardian_email="ratna@example.test")
    grant(token, first)  # the guardian now has an account (verified by the link)
    guardian_user = first.guardian_links.get().guardian.user
    sign_in_with_second_factor(client, guardian_user)
    data = form_data(username="adik-bpp", full_name="Adik Ayu", display_name="Adik")
    for key in ("guardian_name", "guardian_email", "guardian_phone", "guardian_language"):
        data.pop(key)
    response = client.post("/wali/daftarkan-anak/", data)
    assert response.status_code == 302 and response.url.startswith("/persetujuan/")
    adik = Member.objects.get(display_name="Adik")
    assert adik.guardian_links.get().guardian.user == guardian_user
    page = client.get(response.url)
    assert page.status_code == 200 and "Adik" in page.text
    assert svc.find_request(response.url.split("/")[2]).member == adik
    assert not ConsentDecision.objects.filter(request__member=adik).exists()


def test_review_queue_holds_only_applications_with_consent(client, city, consent_texts, fasilitator):
    from tests.conftest import enable_totp

    from .conftest import apply, grant

    waiting, _r, _t = apply(city, username="belumsetuju")
    ready, _r2, token = apply(city, username="siap", guardian_email="wali.siap@example.test")
    grant(token, ready)
    enable_totp(fasilitator)
    sign_in_with_second_factor(client, fasilitator)
    queue = client.get("/admin/anggota/tinjau/").text
    assert "Siap" in queue and "Belumsetuju" not in queue
