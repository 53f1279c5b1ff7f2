"""A session as a calendar file (.ics): its title, time and place, and nothing about people."""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from alongside.groups.models import GroupSession


def session_calendar_file(session: GroupSession) -> bytes:
    """One VEVENT for the session, in UTC; a cancelled session says so, so calendars drop it."""
    calendar = Calendar()
    calendar.add("prodid", "-//Alongside//Group sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if session.is_cancelled else "PUBLISH")
    event = Event()
    host = urlsplit(settings.SITE_URL).hostname or "alongside"
    event.add("uid", f"group-session-{session.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", session.title)
    if session.place:
        event.add("location", session.place)
    elif session.video_link:
        event.add("location", session.video_link)
    if session.video_link:
        event.add("url", session.video_link)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    calendar.add_component(event)
    payload: bytes = calendar.to_ical()
    return payload
