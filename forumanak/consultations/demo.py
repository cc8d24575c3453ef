"""Demo: an open consultation for the whole city, one that opens next week, and a closed one
with results (synthetic ballots), featured quotes and the government's answer."""

import random
import uuid
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from forumanak.membership.models import Forum
from forumanak.regions.models import Region

from .models import Answer, Ballot, Consultation, GovernmentResponse, Question
from .permissions import grant_staff_permissions
from .results import store_snapshot
from .services import mix_ballots

QUESTIONS = [
    {"kind": "single", "prompt": "Tempat bermain mana yang paling perlu diperbaiki?",
     "choices_text": "Taman kota\nLapangan olahraga\nTaman baca\nRuang terbuka di kelurahan"},
    {"kind": "multiple", "prompt": "Kegiatan apa yang kamu mau ada di dekat rumah?", "max_choices": 2,
     "choices_text": "Olahraga\nSeni dan musik\nPerpustakaan keliling\nBelajar komputer"},
    {"kind": "ranking", "prompt": "Urutkan yang paling penting untuk sekolahmu.", "top_k": 2,
     "choices_text": "Toilet bersih\nAir minum\nKantin sehat\nJalan aman ke sekolah"},
    {"kind": "scale", "prompt": "Seberapa aman kamu merasa saat berjalan ke sekolah?", "choices_text": ""},
    {"kind": "text", "prompt": "Apa satu usulanmu untuk Wali Kota?", "required": False, "max_length": 300},
]


def _consultation(slug, title, forum, opens, closes, status, **extra):
    consultation = Consultation.objects.filter(slug=slug).first()
    if consultation:
        return consultation, False
    consultation = Consultation(
        slug=slug, title=title, forum=forum, opens_at=opens, closes_at=closes, cluster=4,
        summary="Pemerintah kota sedang menyusun rencana tahun depan. Ceritakan apa yang penting buatmu!",
        background="<p>Musrenbang adalah rapat perencanaan pembangunan. Suara anak ikut dibawa ke sana.</p>",
        **extra,
    )
    consultation.save()
    for index, spec in enumerate(QUESTIONS):
        Question.objects.create(consultation=consultation, sort_order=index, **spec)
    if status != Consultation.Status.DRAFT:
        Consultation.objects.filter(pk=consultation.pk).update(
            status=status, published_at=opens - timedelta(days=1),
            closed_at=closes if status == Consultation.Status.CLOSED else None,
        )
        consultation.refresh_from_db()
    return consultation, True


def _synthetic_ballots(consultation, n=60):
    """Ballots for the demo's finished consultation (no real child behind them)."""
    rng = random.Random(42)
    kecamatan = list(Region.objects.filter(parent_id=settings.FORUM_CITY_CODE).values_list("code", flat=True)) or ["64.71.01"]
    questions = list(consultation.questions.all())
    texts = ["Tambah lampu jalan di dekat sekolah.", "Taman baca buka sampai sore.", "Lapangan jangan dijadikan parkir."]
    answers = []
    for _ in range(n):
        ballot = Ballot.objects.create(
            id=uuid.uuid4(), consultation=consultation, age_band=rng.choice(["10-12", "13-15", "13-15", "16-17"]),
            gender=rng.choice("PL"), kecamatan_code=rng.choice(kecamatan[:3] + kecamatan[:1]),
            voted_on=consultation.closes_at.date(),
        )
        for q in questions:
            n_choices = len(q.choices)
            if q.kind in ("single", "scale"):
                answers.append(Answer(id=uuid.uuid4(), ballot=ballot, question=q, choice=min(rng.randrange(n_choices), rng.randrange(n_choices))))
            elif q.kind == "multiple":
                for c in rng.sample(range(n_choices), rng.randint(1, q.max_choices)):
                    answers.append(Answer(id=uuid.uuid4(), ballot=ballot, question=q, choice=c))
            elif q.kind == "ranking":
                for rank, c in enumerate(rng.sample(range(n_choices), q.top_k), start=1):
                    answers.append(Answer(id=uuid.uuid4(), ballot=ballot, question=q, choice=c, rank=rank))
            elif rng.random() < 0.3:
                answers.append(Answer(id=uuid.uuid4(), ballot=ballot, question=q, text=rng.choice(texts), moderation="pending"))
    Answer.objects.bulk_create(answers)
    first = Answer.objects.filter(question__consultation=consultation, choice__isnull=True).first()
    if first:
        Answer.objects.filter(pk=first.pk).update(moderation="approved", featured=True, quote=first.text)


def seed(*, stdout):
    grant_staff_permissions()
    city_forum = Forum.objects.filter(region_id=settings.FORUM_CITY_CODE).first()
    if city_forum is None:
        stdout.write("Consultations demo skipped: no city forum (run the membership demo first).")
        return []
    now = timezone.now()
    _consultation("musrenbang-anak", "Suara anak untuk Musrenbang", city_forum, now - timedelta(days=2),
                  now + timedelta(days=14), Consultation.Status.PUBLISHED)
    _consultation("taman-kota-baru", "Taman kota yang baru", city_forum, now + timedelta(days=7),
                  now + timedelta(days=21), Consultation.Status.PUBLISHED, results_policy="live")
    closed, created = _consultation("sekolah-ramah-anak", "Sekolah ramah anak", city_forum, now - timedelta(days=40),
                                    now - timedelta(days=10), Consultation.Status.CLOSED)
    if created:
        _synthetic_ballots(closed)
        GovernmentResponse.objects.create(
            consultation=closed, recommendation="Toilet sekolah yang bersih.",
            action="Dinas Pendidikan memperbaiki toilet di 20 sekolah tahun ini.", agency="Dinas Pendidikan",
            status=GovernmentResponse.Status.IN_PROGRESS, sort_order=1,
        )
        GovernmentResponse.objects.create(
            consultation=closed, recommendation="Jalan aman ke sekolah.",
            action="Zona selamat sekolah dengan marka dan petugas di 10 sekolah.", agency="Dinas Perhubungan",
            status=GovernmentResponse.Status.ACCEPTED, sort_order=2,
        )
        mix_ballots(consultation_id=closed.pk)
        store_snapshot(closed.pk, final=True)
    return []
