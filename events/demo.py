"""Demo events: a children's workshop and a Hari Anak Nasional celebration in Balikpapan, a
skills training for women (adults). The staff groups' permissions come from ``roles.py``."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from forumanak.core.demo import DEMO_PASSWORD

from .models import Event, Registration, RegistrationQuestion


def seed(*, stdout):
    from forumanak.membership.models import Forum

    city = Forum.objects.filter(region_id=settings.FORUM_CITY_CODE).first()
    if city is None:
        stdout.write("Events demo skipped: no city forum (run the membership demo first).")
        return []
    kec = Forum.objects.filter(parent=city).order_by("region_id").first()
    kel = Forum.objects.filter(parent=kec).order_by("region_id").first() if kec else None
    day = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    specs = [
        dict(slug="lokakarya-suara-anak", title="Lokakarya: Suara Anak untuk Kota", forum=kel or city,
             description="Kita belajar menyampaikan pendapat. Ada permainan dan diskusi kelompok.",
             starts_at=day + timedelta(days=10), ends_at=day + timedelta(days=10, hours=3), venue_name="Aula Kelurahan",
             venue_address="Jl. Contoh No. 1, Balikpapan", audience="children", min_age=10, max_age=17, capacity=30,
             photo_level="public",
             questions=[("Apakah kamu butuh bantuan akses (kursi roda, juru bahasa isyarat)?", 30),
                        ("Ada makanan yang tidak boleh kamu makan?", 14)]),
        dict(slug="hari-anak-nasional", title="Perayaan Hari Anak Nasional", forum=city,
             description="Lomba, pentas seni, dan deklarasi anak Balikpapan.",
             starts_at=day + timedelta(days=20), ends_at=day + timedelta(days=20, hours=5), venue_name="Lapangan Merdeka",
             venue_address="Balikpapan", audience="children", min_age=10, max_age=17, capacity=200, photo_level="internal",
             questions=[]),
        dict(slug="pelatihan-keterampilan-perempuan", title="Pelatihan Keterampilan untuk Perempuan", forum=city,
             description="Pelatihan menjahit dan pemasaran daring untuk ibu-ibu.",
             starts_at=day + timedelta(days=14), ends_at=day + timedelta(days=14, hours=4), venue_name="Gedung DP3AKB",
             venue_address="Balikpapan", audience="adults", min_age=18, max_age=None, capacity=25, photo_level="internal",
             questions=[("Kebutuhan khusus (akses, makanan)", 30)]),
    ]
    for spec in specs:
        questions = spec.pop("questions")
        event, created = Event.objects.get_or_create(slug=spec["slug"], defaults={**spec, "is_published": True})
        if created:
            for i, (label, days) in enumerate(questions):
                RegistrationQuestion.objects.create(event=event, label=label, retention_days=days, sort_order=i)
    _register_demo_adult()
    return [{"role": "adult (events)", "login": "warga@forumanak.local", "password": DEMO_PASSWORD,
             "note": "registered for the skills training; ticket at /kegiatan/saya/"}]


def _register_demo_adult():
    from datetime import date

    from django.contrib.auth import get_user_model

    from . import services

    user = get_user_model().objects.filter(email="warga@forumanak.local").first()
    event = Event.objects.filter(slug="pelatihan-keterampilan-perempuan").first()
    if user is None or event is None or Registration.objects.filter(event=event, user=user).exists():
        return
    services.register(event=event, user=user, actor=user, data=services.RegistrationInput(
        adult_name="Sari Warga", date_of_birth=date(1990, 5, 1)))
