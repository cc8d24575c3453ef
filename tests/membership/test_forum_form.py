"""The forum add/edit page chooses its region from the chooser, not from a select of 91,599 regions
(issue 16 §6: the page was 4.8 MB and took 5 s)."""

import pytest
from django.core.management import call_command

from forumanak.membership.models import Forum
from forumanak.regions.models import Region
from tests.conftest import enable_totp, sign_in_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def pembina_signed_in(client, pembina):
    from io import StringIO

    from django.contrib.auth.models import Group

    call_command("setup_roles", stdout=StringIO())
    pembina.groups.add(Group.objects.get(name="Pembina"))
    enable_totp(pembina)
    return sign_in_with_second_factor(client, pembina)


@pytest.fixture
def every_region(city):
    call_command("load_regions", verbosity=0)
    assert Region.objects.count() > 90_000
    return city


def test_the_forum_form_stays_small_with_every_region_loaded(client, every_region, pembina_signed_in):
    for path in ("/admin/forum/new/", f"/admin/forum/edit/{every_region['forums']['64.71.01'].pk}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert len(response.content) < 200_000, (path, len(response.content))
        assert "Pilih wilayah" in response.text  # the chooser button, not a select of regions
    # the chooser searches by name and level, a page at a time
    response = client.get("/admin/wilayah/pilih/", {"q": "Manggar", "level": "3"})
    assert response.status_code == 200
    html = response.json()["html"]
    assert "Manggar" in html and "64.71.01.1001" in html and "Balikpapan Timur" in html
    assert len(response.content) < 100_000
    everything = client.get("/admin/wilayah/pilih/results/")
    assert everything.status_code == 200 and len(everything.content) < 100_000  # one page, not 91,599 rows
    chosen = client.get("/admin/wilayah/pilih/chosen/64.71.01.1002/")
    assert chosen.json()["result"]["id"] == "64.71.01.1002"


def test_a_forum_is_saved_with_the_chosen_region(client, city, pembina_signed_in):
    Region.objects.create(code="64.71.03", name="Balikpapan Selatan", level=2, parent=city["regions"]["city"])
    response = client.post("/admin/forum/new/", {
        "name": "Forum Anak Balikpapan Selatan", "slug": "balikpapan-selatan", "region": "64.71.03", "level": "2",
        "parent": city["forums"]["city"].pk, "sk_number": "", "sk_date": "", "sk_issuer": "",
        "sk_valid_until": "",
    })
    assert response.status_code == 302, response.content[:3000]
    assert Forum.objects.get(slug="balikpapan-selatan").region_id == "64.71.03"
