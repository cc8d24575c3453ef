"""Calendar files (RFC 5545) made with the icalendar library, in the site's time zone."""

import zoneinfo

import icalendar
from django.conf import settings
from django.utils import timezone


def event_ics(event, *, url):
    """The .ics file of one event. Times carry TZID=Asia/Makassar (or the site's TIME_ZONE) with a
    VTIMEZONE, so that a phone set to another zone still shows the right hour."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Forum Anak//Kegiatan//ID")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    vevent = icalendar.Event()
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "forumanak"
    vevent.add("uid", f"kegiatan-{event.pk}@{host}")
    vevent.add("dtstamp", timezone.now())
    vevent.add("last-modified", event.updated_at)
    vevent.add("dtstart", event.starts_at.astimezone(tz))
    vevent.add("dtend", event.ends_at.astimezone(tz))
    vevent.add("summary", event.title)
    vevent.add("description", f"{event.description}\n\n{url}")
    location = ", ".join(part for part in (event.venue_name, event.venue_address) if part) or event.online_url
    if location:
        vevent.add("location", location)
    vevent.add("url", url)
    cal.add_component(vevent)
    cal.add_missing_timezones()
    return cal.to_ical()
