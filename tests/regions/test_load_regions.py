from io import StringIO

import pytest
from django.core.management import call_command

from forumanak.regions.models import Region
from forumanak.regions.selectors import kecamatan_of, kelurahan_of_city

pytestmark = pytest.mark.django_db


# Committed for real: rolling back 91,599 rows costs PostgreSQL ~40 s of deferred foreign-key
# checks at teardown, a flush costs well under a second.
@pytest.mark.django_db(transaction=True)
def test_load_regions_loads_the_nation_and_a_second_run_changes_nothing(settings):
    out = StringIO()
    call_command("load_regions", stdout=out)
    assert "91599 created" in out.getvalue()
    assert Region.objects.count() == 91_599
    counts = {level: Region.objects.filter(level=level).count() for level in Region.Level}
    assert counts == {0: 38, 1: 514, 2: 7_285, 3: 83_762}

    city = Region.objects.get(code=settings.FORUM_CITY_CODE)
    assert city.name == "Kota Balikpapan" and city.level == Region.Level.KABKOTA
    assert kecamatan_of(city.code).count() == 6
    kelurahan = list(kelurahan_of_city(city.code))
    assert len(kelurahan) == 34
    assert all(k.is_kelurahan and k.kind_label == "kelurahan" for k in kelurahan)
    assert Region.objects.get(code="64.71.01.1001").parent.parent_id == "64.71"

    before = list(Region.objects.order_by("code").values_list("code", "name", "level", "parent_id"))
    out = StringIO()
    call_command("load_regions", stdout=out)
    assert "nothing to change" in out.getvalue()
    assert list(Region.objects.order_by("code").values_list("code", "name", "level", "parent_id")) == before


def test_a_renamed_region_is_updated_not_duplicated(tmp_path):
    data = tmp_path / "w.csv"
    data.write_text("code,name\n64,Kalimantan Timur\n64.71,Kota Balikpapan\n")
    call_command("load_regions", file=str(data), stdout=StringIO())
    data.write_text("code,name\n64,Kalimantan Timur\n64.71,Kota Balikpapan Baru\n")
    out = StringIO()
    call_command("load_regions", file=str(data), stdout=out)
    assert "0 created, 1 updated, 1 unchanged" in out.getvalue()
    assert Region.objects.get(code="64.71").name == "Kota Balikpapan Baru"


def test_level_and_parent_must_agree(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(code="99.01", name="Tanpa induk", level=1, parent=None)
