"""Invariant 4 as a matrix: who may open which member page and which admin view."""

import pytest

from forumanak.membership.models import Guardian
from tests.conftest import enable_totp, make_user, sign_in_with_second_factor

from .conftest import apply, grant, staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(city, consent_texts, pembina, fasilitator, other_fasilitator):
    """Child A in Manggar (guardian A), child B in Baru Tengah (guardian B), and every role."""
    a, ra, ta = apply(city, username="anak-a", kelurahan="64.71.01.1001", guardian_email="wali.a@example.test")
    b, rb, tb = apply(city, username="anak-b", kelurahan="64.71.02.1001", guardian_email="wali.b@example.test")
    grant(ta, a)
    grant(tb, b)
    kec_fas = staff("fas-kec-timur", city["forums"]["64.71.01"], "fasilitator")
    editor = make_user("editor", is_staff=True)
    from tests.conftest import grant_admin_access

    grant_admin_access(editor)
    users = {
        "anonymous": None,
        "child_a": a.user,
        "child_b": b.user,
        "guardian_a": Guardian.objects.get(email="wali.a@example.test").user,
        "guardian_b": Guardian.objects.get(email="wali.b@example.test").user,
        "fasilitator_manggar": fasilitator,
        "fasilitator_kecamatan_timur": kec_fas,
        "fasilitator_baru_tengah": other_fasilitator,
        "pembina": pembina,
        "editor": editor,
        "adult": make_user("warga"),
    }
    for user in users.values():
        if user is not None and user.is_staff:
            enable_totp(user)
    return {"a": a, "b": b, "ra": ra, "users": users}


# (role, page) -> may see member A's data?
PAGES = ["guardian_child_a", "admin_detail_a", "admin_list_has_a", "admin_review_has_a"]
ALLOWED = {
    "anonymous": set(),
    "child_a": set(),
    "child_b": set(),
    "guardian_a": {"guardian_child_a"},
    "guardian_b": set(),
    "fasilitator_manggar": {"admin_detail_a", "admin_list_has_a", "admin_review_has_a"},
    "fasilitator_kecamatan_timur": {"admin_detail_a", "admin_list_has_a", "admin_review_has_a"},
    "fasilitator_baru_tengah": set(),
    "pembina": {"admin_detail_a", "admin_list_has_a", "admin_review_has_a"},
    "editor": set(),
    "adult": set(),
}


@pytest.mark.parametrize("role", list(ALLOWED))
def test_member_a_is_seen_only_by_those_allowed(client, world, role):
    user = world["users"][role]
    if user is not None:
        sign_in_with_second_factor(client, user)
    a = world["a"]
    seen = set()
    r = client.get(f"/wali/anak/{a.pk}/")
    if r.status_code == 200 and a.display_name in r.text:
        seen.add("guardian_child_a")
    r = client.get(f"/admin/anggota/{a.pk}/")
    if r.status_code == 200 and a.full_name in r.text:
        seen.add("admin_detail_a")
    r = client.get("/admin/anggota/")
    if r.status_code == 200 and a.display_name in r.text:
        seen.add("admin_list_has_a")
    r = client.get("/admin/anggota/tinjau/")
    if r.status_code == 200 and a.display_name in r.text:
        seen.add("admin_review_has_a")
    assert seen == ALLOWED[role]


@pytest.mark.parametrize("role,expected", [("child_a", "Anak-A"), ("child_b", "Anak-B")])
def test_my_card_shows_only_my_own_record(client, world, role, expected):
    sign_in_with_second_factor(client, world["users"][role])
    r = client.get("/anggota/saya/")
    assert r.status_code == 200 and expected in r.text
    other = "Anak-B" if expected == "Anak-A" else "Anak-A"
    assert other not in r.text


def test_fasilitator_of_another_kelurahan_cannot_act_on_a_member(client, world):
    sign_in_with_second_factor(client, world["users"]["fasilitator_baru_tengah"])
    a = world["a"]
    assert client.post(f"/admin/anggota/{a.pk}/setujui/").status_code == 404
    a.refresh_from_db()
    assert a.status == "pending_review"
    assert client.get(f"/admin/persetujuan/{world['ra'].pk}/kertas/").status_code == 404


def test_guardian_b_cannot_withdraw_guardian_as_consent(client, world):
    sign_in_with_second_factor(client, world["users"]["guardian_b"])
    assert client.post(f"/wali/persetujuan/{world['ra'].pk}/tarik/", {"confirm": "yes"}).status_code == 404
    assert world["ra"].decisions.count() == 1


def test_staff_viewing_a_record_is_audited(client, world):
    from forumanak.core.models import AuditEntry

    sign_in_with_second_factor(client, world["users"]["fasilitator_manggar"])
    client.get(f"/admin/anggota/{world['a'].pk}/")
    entry = AuditEntry.objects.get(action="member.view")
    assert entry.actor == world["users"]["fasilitator_manggar"] and entry.object_id == str(world["a"].pk)


def test_fasilitator_approves_in_scope(client, world):
    sign_in_with_second_factor(client, world["users"]["fasilitator_manggar"])
    response = client.post(f"/admin/anggota/{world['a'].pk}/setujui/")
    assert response.status_code == 302
    world["a"].refresh_from_db()
    assert world["a"].status == "active"


def test_guardian_signs_in_by_emailed_code_and_sees_their_child(client, world):
    import re

    from django.core import mail

    response = client.get("/wali/")
    assert response.status_code == 302 and response.url.startswith("/akun/login/code/")
    client.post(response.url, {"email": "wali.a@example.test"})
    code = re.search(r"^\s*([A-Z0-9-]{6,12})\s*$", mail.outbox[-1].body, re.M).group(1)
    confirmed = client.post("/akun/login/code/confirm/", {"code": code})
    assert confirmed.status_code == 302
    home = client.get("/wali/")
    assert home.status_code == 200 and "Anak-A" in home.text and "Anak-B" not in home.text
