"""/kegiatan/<slug>/kalender.ics is a valid iCalendar file with the right times in Asia/Makassar.
Made with icalendar; parsed here with vobject, an independent parser."""

import datetime
import zoneinfo

import pytest
import vobject

from .conftest import make_event

pytestmark = pytest.mark.django_db
WITA = zoneinfo.ZoneInfo("Asia/Makassar")


def test_ics_parses_with_an_independent_parser_and_has_the_times_in_makassar(client, city):
    # 09:00–12:30 WITA on 23 July (Hari Anak Nasional) is 01:00–04:30 UTC
    start = datetime.datetime(2031, 7, 23, 9, 0, tzinfo=WITA)
    event = make_event(city["forums"]["city"], title="Hari Anak Nasional; Balikpapan, 2031", slug="han-2031",
                       starts_at=start, ends_at=start + datetime.timedelta(hours=3, minutes=30),
                       venue_name="Lapangan Merdeka", venue_address="Jl. Jend. Sudirman, Balikpapan")
    response = client.get("/kegiatan/han-2031/kalender.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = vobject.readOne(response.content.decode("utf-8"))
    assert calendar.version.value == "2.0"
    vevent = calendar.vevent
    assert vevent.summary.value == "Hari Anak Nasional; Balikpapan, 2031"
    dtstart, dtend = vevent.dtstart.value, vevent.dtend.value
    assert dtstart.utcoffset() == datetime.timedelta(hours=8)
    assert (dtstart.hour, dtstart.minute) == (9, 0) and (dtend.hour, dtend.minute) == (12, 30)
    assert dtstart.astimezone(datetime.UTC) == datetime.datetime(2031, 7, 23, 1, 0, tzinfo=datetime.UTC)
    assert dtend.astimezone(datetime.UTC) == datetime.datetime(2031, 7, 23, 4, 30, tzinfo=datetime.UTC)
    text = response.content.decode("utf-8")
    assert "DTSTART;TZID=Asia/Makassar:20310723T090000" in text.replace("\r\n ", "")
    assert calendar.vtimezone.tzid.value == "Asia/Makassar"
    assert "Lapangan Merdeka" in vevent.location.value
    assert vevent.url.value.endswith("/kegiatan/han-2031/")
    assert vevent.uid.value.startswith(f"kegiatan-{event.pk}@")


def test_ics_of_an_unpublished_event_is_not_found(client, city):
    make_event(city["forums"]["city"], slug="rahasia", is_published=False)
    assert client.get("/kegiatan/rahasia/kalender.ics").status_code == 404
