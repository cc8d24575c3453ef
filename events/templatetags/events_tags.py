"""Template tags for other apps' templates (the CMS home page): ``{% load events_tags %}``,
then ``{% upcoming_events %}`` or ``{% upcoming_events limit=5 audience="children" %}``, or
``{% get_upcoming_events limit=3 as upcoming_events %}`` for a list."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("events/includes/upcoming_events.html")
def upcoming_events(limit=3, audience=None):
    return {"events": list(selectors.upcoming_events(audience=audience)[: int(limit)])}


@register.simple_tag
def get_upcoming_events(limit=3, audience=None):
    """``{% get_upcoming_events limit=3 as upcoming_events %}``: a list of the soonest published events."""
    return list(selectors.upcoming_events(audience=audience)[: int(limit)])
