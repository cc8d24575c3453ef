"""Template tags for consultations, usable by other apps' templates without importing the app:

    {% load consultations_tags %}
    {% open_consultations %}            the open consultations (for the home page)
    {% open_consultations limit=3 %}
    {% get_open_consultations as open_consultations %}   a list (each has .title, .url, .summary, .closes_at)
"""

from django import template

from forumanak.membership.models import Member

from .. import selectors
from ..models import AgeBand

register = template.Library()


@register.inclusion_tag("consultations/includes/open_consultations.html")
def open_consultations(limit=5):
    items = list(selectors.open_consultations()[:limit])
    return {"consultations": items}


@register.simple_tag
def get_open_consultations(limit=5):
    return list(selectors.open_consultations()[:limit])


@register.filter
def group_label(group, dim):
    """A readable label for a results group: an age band, a gender or a kecamatan."""
    code = group.get("g") if isinstance(group, dict) else group
    if dim == "age_band":
        return AgeBand(code).label if code in AgeBand.values else code
    if dim == "gender":
        return Member.Gender(code).label if code in Member.Gender.values else code
    if isinstance(group, dict):
        return group.get("label") or code
    return code


@register.filter
def bar_width(item):
    """The width (0–100) of a result bar; hidden values have none."""
    if not isinstance(item, dict) or item.get("s") or item.get("p") is None:
        return 0
    return max(0, min(100, item["p"]))


@register.simple_tag
def breakdown_tables(question, data):
    """The breakdown tables of one question of a snapshot, ready to render."""
    from django.utils.translation import gettext as _

    titles = {"age_band": _("Menurut kelompok umur"), "gender": _("Menurut jenis kelamin"),
              "kecamatan": _("Menurut kecamatan")}
    tables = []
    for dim, rows in question.get("breakdown", {}).items():
        tables.append({"dim": dim, "title": titles.get(dim, dim), "groups": data["groups"][dim], "rows": rows})
    return tables


@register.simple_tag
def shown_count(item, threshold):
    """A published count: the number (with its percentage), or "—" for a value hidden to protect
    the children (a count below the threshold, a zero, or one that would let such a count be
    worked out: all look the same, so that none tells more)."""
    from django.utils.formats import number_format
    from django.utils.html import format_html
    from django.utils.translation import gettext as _

    state = item.get("s") if isinstance(item, dict) else None
    if state:
        return format_html('<span class="suppressed" title="{}">—</span><span class="visually-hidden"> ({})</span>',
                           _("disembunyikan"), _("disembunyikan untuk melindungi anak-anak"))
    if item.get("p") is not None:
        return format_html('{} <span class="pct">({}%)</span>', item["v"], number_format(item["p"], 1))
    return format_html("{}", item["v"])
