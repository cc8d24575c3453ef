from django import template
from django.utils.formats import number_format

from ..charts import percent

register = template.Library()


@register.filter
def pct(fraction):
    """A share between 0 and 1 as a percentage with one decimal ("—" when there is none)."""
    return percent(fraction)


@register.filter
def num(value):
    """A whole number with the language's digit grouping (100.000 in Indonesian)."""
    return number_format(value or 0, force_grouping=True)
