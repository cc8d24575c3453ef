"""Consultations: polls whose answers stay secret.

Who took part (``Participation``: member and date) is stored apart from what was answered
(``Ballot`` and ``Answer``). A ballot has a random id, no link to the member, no time (only the
date) and a coarse demographic snapshot. Answers have random ids too. A new ballot waits in the
ballot box (``mixed`` false) until the next mixing (a minute; longer for a very large
consultation, see ``services.mix_ballot_boxes``); then ``services.mix_ballots`` rewrites all the
consultation's ballots and answers in the order of their random ids, so that neither their
physical order nor anything else stored can be lined up with the participations. The final
results are computed after one more mixing.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from forumanak.membership.models import Forum, Member

DEFAULT_SCALE_LABELS = [
    _("Sangat tidak setuju"),
    _("Tidak setuju"),
    _("Biasa saja"),
    _("Setuju"),
    _("Sangat setuju"),
]
MIN_AGE, MAX_AGE = 10, 17
TEXT_LIMIT_MAX = 2000


class AgeBand(models.TextChoices):
    A10_12 = "10-12", _("10–12 tahun")
    A13_15 = "13-15", _("13–15 tahun")
    A16_17 = "16-17", _("16–17 tahun")


class Consultation(ClusterableModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draf")
        PUBLISHED = "published", _("terbit")
        CLOSED = "closed", _("ditutup")

    class ResultsPolicy(models.TextChoices):
        AFTER_CLOSE = "after_close", _("setelah ditutup")
        LIVE = "live", _("langsung untuk anggota")

    class Cluster(models.IntegerChoices):
        K1 = 1, _("Klaster 1: hak sipil dan kebebasan")
        K2 = 2, _("Klaster 2: lingkungan keluarga dan pengasuhan alternatif")
        K3 = 3, _("Klaster 3: kesehatan dasar dan kesejahteraan")
        K4 = 4, _("Klaster 4: pendidikan, waktu luang dan budaya")
        K5 = 5, _("Klaster 5: perlindungan khusus")

    title = models.CharField(_("judul"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, help_text=_("Bagian alamat halaman, mis. musrenbang-2027."))
    summary = models.TextField(_("ringkasan untuk anak"), max_length=600, help_text=_("Kalimat pendek yang mudah dipahami anak umur 10 tahun."))
    background = RichTextField(_("latar belakang"), blank=True, features=["h3", "bold", "italic", "link", "ol", "ul"])
    cluster = models.PositiveSmallIntegerField(_("klaster KLA"), choices=Cluster.choices)
    forum = models.ForeignKey(
        Forum, verbose_name=_("forum penyelenggara"), on_delete=models.PROTECT, related_name="consultations",
        help_text=_("Staf forum ini (dan forum di atasnya) mengelola konsultasi."),
    )
    scope_forums = ParentalManyToManyField(
        Forum, verbose_name=_("forum peserta"), blank=True, related_name="+",
        help_text=_("Anggota forum ini dan semua forum di bawahnya boleh ikut. Kosong: seluruh wilayah forum penyelenggara."),
    )
    min_age = models.PositiveSmallIntegerField(_("umur paling muda"), default=MIN_AGE)
    max_age = models.PositiveSmallIntegerField(_("umur paling tua"), default=MAX_AGE)
    opens_at = models.DateTimeField(_("dibuka"))
    closes_at = models.DateTimeField(_("ditutup"))
    results_policy = models.CharField(
        _("hasil ditampilkan"), max_length=20, choices=ResultsPolicy.choices, default=ResultsPolicy.AFTER_CLOSE
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    published_at = models.DateTimeField(_("diterbitkan pada"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("konsultasi")
        verbose_name_plural = _("konsultasi")
        ordering = ["-opens_at"]
        permissions = [
            ("export_consultation", _("Boleh mengunduh hasil dan surat suara anonim")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="consultations_closes_after_opens"),
            models.CheckConstraint(
                condition=Q(min_age__gte=MIN_AGE, max_age__lte=MAX_AGE, min_age__lte=models.F("max_age")),
                name="consultations_age_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="consultations_closed_has_time"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="consultations_published_has_time"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("consultations:detail", args=[self.slug])

    @property
    def url(self):
        return self.get_absolute_url()

    def phase(self, now=None):
        """draft, upcoming, open, closing (past closing time, task not run yet) or closed."""
        now = now or timezone.now()
        if self.status == self.Status.DRAFT:
            return "draft"
        if self.status == self.Status.CLOSED:
            return "closed"
        if now < self.opens_at:
            return "upcoming"
        if now < self.closes_at:
            return "open"
        return "closing"

    @property
    def is_open(self):
        return self.phase() == "open"


class Question(Orderable):
    class Kind(models.TextChoices):
        SINGLE = "single", _("pilih satu")
        MULTIPLE = "multiple", _("pilih beberapa")
        RANKING = "ranking", _("urutkan yang terpenting")
        SCALE = "scale", _("skala 1–5")
        TEXT = "text", _("jawaban bebas")

    consultation = ParentalKey(Consultation, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    prompt = models.CharField(_("pertanyaan"), max_length=300)
    help_text = models.CharField(_("petunjuk"), max_length=300, blank=True)
    required = models.BooleanField(_("wajib dijawab"), default=True)
    choices_text = models.TextField(
        _("pilihan jawaban"), blank=True,
        help_text=_("Satu pilihan per baris. Untuk skala: lima label dari 1 sampai 5 (kosong: label bawaan)."),
    )
    max_choices = models.PositiveSmallIntegerField(_("paling banyak dipilih"), null=True, blank=True,
                                                   help_text=_("Untuk pilih beberapa."))
    top_k = models.PositiveSmallIntegerField(_("jumlah urutan"), null=True, blank=True,
                                             help_text=_("Untuk urutkan: berapa pilihan teratas yang diurutkan."))
    max_length = models.PositiveSmallIntegerField(_("panjang jawaban paling banyak"), default=500,
                                                  help_text=_("Untuk jawaban bebas, dalam huruf."))

    class Meta(Orderable.Meta):
        verbose_name = _("pertanyaan")
        verbose_name_plural = _("pertanyaan")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="multiple") | Q(max_choices__gte=1), name="consultations_multiple_has_max"
            ),
            models.CheckConstraint(condition=~Q(kind="ranking") | Q(top_k__gte=1), name="consultations_ranking_has_k"),
            models.CheckConstraint(
                condition=Q(max_length__gte=1, max_length__lte=TEXT_LIMIT_MAX), name="consultations_text_limit"
            ),
        ]

    def __str__(self):
        return self.prompt

    @property
    def choices(self):
        """The answer options, in order. Their position is what an answer stores."""
        lines = [line.strip() for line in (self.choices_text or "").splitlines() if line.strip()]
        if self.kind == self.Kind.SCALE and not lines:
            return [str(label) for label in DEFAULT_SCALE_LABELS]
        if self.kind == self.Kind.TEXT:
            return []
        return lines


# ---- who took part, and what was answered (unlinkable) -------------------------------------


def today():
    return timezone.localdate()


class Participation(models.Model):
    """That a member took part (and on which day: no finer time). One per member and
    consultation, by constraint."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="participations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    voted_on = models.DateField(_("tanggal"), default=today)

    class Meta:
        verbose_name = _("keikutsertaan")
        verbose_name_plural = _("keikutsertaan")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "member"], name="consultations_one_participation_per_member")
        ]

    def __str__(self):
        return f"{self.consultation} — member #{self.member_id}"


class Ballot(models.Model):
    """What one child answered. A random id, the date (not the time), a coarse demographic
    snapshot, and no key to the member. Ordered by the random id only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="ballots")
    age_band = models.CharField(_("kelompok umur"), max_length=5, choices=AgeBand.choices)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Member.Gender.choices)
    kecamatan_code = models.CharField(_("kode kecamatan"), max_length=20)
    voted_on = models.DateField(_("tanggal"))
    mixed = models.BooleanField(_("sudah diacak"), default=False, db_default=False, editable=False)

    class Meta:
        verbose_name = _("surat suara")
        verbose_name_plural = _("surat suara")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(age_band__in=AgeBand.values), name="consultations_ballot_age_band"),
            models.CheckConstraint(condition=Q(gender__in=["P", "L"]), name="consultations_ballot_gender"),
        ]
        indexes = [
            # the ballot box: the few ballots not mixed yet, found without a scan
            models.Index(fields=["consultation"], condition=Q(mixed=False), name="consultations_ballot_box"),
        ]

    def __str__(self):
        return str(self.id)


class BallotBox(models.Model):
    """When the mixing of a consultation's ballots was last asked for (``services.mix_ballot_boxes``).
    One row per consultation that has had ballots; nothing about any vote."""

    consultation = models.OneToOneField(Consultation, on_delete=models.CASCADE, primary_key=True, related_name="+")
    requested_at = models.DateTimeField(_("pengacakan terakhir diminta"))

    class Meta:
        verbose_name = _("kotak suara")
        verbose_name_plural = _("kotak suara")

    def __str__(self):
        return f"{self.consultation_id}"


class Answer(models.Model):
    """One answer on a ballot: a choice (by position; with a rank for ranking questions) or a
    text. Open texts are moderated before any part of them is shown."""

    class Moderation(models.TextChoices):
        PENDING = "pending", _("belum dibaca")
        APPROVED = "approved", _("aman")
        HIDDEN = "hidden", _("disembunyikan")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choice = models.PositiveSmallIntegerField(_("pilihan"), null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("urutan"), null=True, blank=True)
    text = models.TextField(_("jawaban"), blank=True)
    moderation = models.CharField(_("moderasi"), max_length=10, choices=Moderation.choices, blank=True)
    featured = models.BooleanField(_("ditampilkan sebagai kutipan"), default=False)
    quote = models.TextField(_("kutipan yang ditampilkan"), blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "question", "choice"], condition=Q(choice__isnull=False),
                                    name="consultations_answer_choice_once"),
            models.UniqueConstraint(fields=["ballot", "question", "rank"], condition=Q(rank__isnull=False),
                                    name="consultations_answer_rank_once"),
            models.UniqueConstraint(fields=["ballot", "question"], condition=Q(choice__isnull=True),
                                    name="consultations_answer_text_once"),
            models.CheckConstraint(
                condition=(Q(choice__isnull=False, text="", moderation="")
                           | Q(choice__isnull=True, rank__isnull=True) & ~Q(text="") & ~Q(moderation="")),
                name="consultations_answer_choice_or_text",
            ),
            models.CheckConstraint(condition=Q(rank__isnull=True) | Q(rank__gte=1), name="consultations_answer_rank_positive"),
            models.CheckConstraint(
                condition=Q(featured=False) | Q(moderation="approved") & ~Q(quote=""),
                name="consultations_featured_is_approved_quote",
            ),
        ]
        indexes = [
            models.Index(fields=["question", "choice"]),
            # the results page's featured quotes and the moderation queue, without a scan of all answers
            models.Index(fields=["question"], condition=Q(featured=True), name="consultations_answer_featured"),
            models.Index(fields=["question"], condition=Q(choice__isnull=True), name="consultations_answer_texts"),
        ]

    def __str__(self):
        return str(self.id)


class SafeguardingFlag(models.Model):
    """An open answer that suggests a child may be at risk, sent to a forum's fasilitator.

    The ballot cannot be traced to the child (by design); the flag carries the text, the
    consultation and the coarse snapshot so that the fasilitator can act in that area."""

    class Status(models.TextChoices):
        OPEN = "open", _("terbuka")
        HANDLED = "handled", _("sudah ditangani")

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="flags")
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="flags")
    forum = models.ForeignKey(Forum, verbose_name=_("dikirim ke forum"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("alasan"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    raised_at = models.DateTimeField(_("ditandai pada"), default=timezone.now)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    handled_at = models.DateTimeField(_("ditangani pada"), null=True, blank=True)
    handling_note = models.TextField(_("catatan penanganan"), blank=True)

    class Meta:
        verbose_name = _("tanda perlindungan anak")
        verbose_name_plural = _("antrean perlindungan anak")
        ordering = ["status", "-raised_at"]
        constraints = [
            models.UniqueConstraint(fields=["answer"], condition=Q(status="open"), name="consultations_one_open_flag"),
            models.CheckConstraint(condition=Q(status="open") | Q(handled_at__isnull=False),
                                   name="consultations_flag_handled_has_time"),
        ]

    def __str__(self):
        return f"{self.consultation} — {self.get_status_display()}"


class ResultSnapshot(models.Model):
    """Counts computed by SQL aggregation; the results page reads this and never recounts.

    ``public`` holds only what may be shown (small cells replaced, no hidden value stored);
    ``raw`` holds the full counts for staff exports and checks."""

    consultation = models.OneToOneField(Consultation, on_delete=models.CASCADE, related_name="snapshot")
    computed_at = models.DateTimeField(_("dihitung pada"))
    is_final = models.BooleanField(_("final"), default=False)
    ballot_count = models.PositiveIntegerField(_("jumlah surat suara"))
    threshold = models.PositiveSmallIntegerField(_("ambang sel kecil"))
    public = models.JSONField(_("hasil publik"))
    raw = models.JSONField(_("hitungan lengkap"))
    history = models.JSONField(_("hasil sementara yang pernah ditampilkan"), default=list, blank=True)

    class Meta:
        verbose_name = _("cuplikan hasil")
        verbose_name_plural = _("cuplikan hasil")

    def __str__(self):
        return f"{self.consultation} ({self.computed_at:%Y-%m-%d %H:%M})"


class GovernmentResponse(models.Model):
    """Tanggapan pemerintah: per recommendation, what will be done and how far it is."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("diterima")
        IN_PROGRESS = "in_progress", _("sedang dikerjakan")
        DONE = "done", _("selesai")
        NOT_POSSIBLE = "not_possible", _("belum bisa dilakukan")

    consultation = models.ForeignKey(Consultation, verbose_name=_("konsultasi"), on_delete=models.CASCADE,
                                     related_name="responses")
    recommendation = models.TextField(_("usulan anak"), help_text=_("Apa yang anak-anak minta."))
    action = models.TextField(_("yang akan dilakukan"), help_text=_("Jawaban pemerintah, dalam kalimat sederhana."))
    agency = models.CharField(_("perangkat daerah"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACCEPTED)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("tanggapan pemerintah")
        verbose_name_plural = _("tanggapan pemerintah")
        ordering = ["consultation", "sort_order", "id"]

    def __str__(self):
        return self.recommendation[:80]
