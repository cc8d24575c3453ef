from django.conf import settings

from .models import Region


def home_city():
    return Region.objects.get(code=settings.FORUM_CITY_CODE)


def kecamatan_of(city_code):
    return Region.objects.filter(parent_id=city_code, level=Region.Level.KECAMATAN).order_by("name")


def kelurahan_of_city(city_code):
    return (
        Region.objects.filter(level=Region.Level.DESA, code__startswith=f"{city_code}.")
        .select_related("parent")
        .order_by("parent__name", "name")
    )


def descendants_of(region_code, *, include_self=True):
    """All regions below (and by default including) the region, by code prefix."""
    qs = Region.objects.filter(code__startswith=f"{region_code}.")
    if include_self:
        qs = qs | Region.objects.filter(code=region_code)
    return qs
