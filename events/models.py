"""Events, registrations, the waitlist, registration questions with their answers, and check-in.

The promise users rely on (invariant 2 in ARCHITECTURE.md): seats held never exceed capacity.
A seat is held by a registration that is pending guardian consent or confirmed (and, after the
event, by one that attended or did not show up). The count is taken in ``services`` under a row
lock on the event, in the same transaction as the write; released seats go to the waitlist in
the order people joined it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from forumanak.membership.models import PublicationLevel

ADULT_AGE = 18
DEFAULT_CONSENT_HOURS = 72
# Ticket codes: no 0/O, 1/I/L, so that a code read aloud or typed from a phone is unambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12  # 31**12 ≈ 2**59: random, unguessable, never derived from the primary key


def new_ticket_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text):
    """What staff type or the camera reads: any case, with or without dashes and spaces."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return cleaned[:CODE_LENGTH * 2]


class Audience(models.TextChoices):
    CHILDREN = "children", _("anak (anggota Forum Anak)")
    ADULTS = "adults", _("orang dewasa")


class Event(ClusterableModel):
    """One event: a forum meeting, a workshop, Musrenbang anak, a training for adults …"""

    title = models.CharField(_("judul"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, help_text=_("Bagian alamat: /kegiatan/<slug>/"))
    description = models.TextField(_("deskripsi kegiatan"), help_text=_("Kalimat pendek. Ceritakan apa yang akan dilakukan."))
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("gambar"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    image_alt = models.CharField(
        _("teks alternatif gambar"), max_length=200, blank=True,
        help_text=_("Wajib kalau ada gambar: apa yang terlihat di gambar."),
    )
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    venue_name = models.CharField(_("nama tempat"), max_length=200, blank=True)
    venue_address = models.CharField(_("alamat tempat"), max_length=300, blank=True)
    map_url = models.URLField(_("tautan peta"), blank=True)
    online_url = models.URLField(_("tautan daring"), blank=True, help_text=_("Untuk kegiatan daring."))
    forum = models.ForeignKey(
        "membership.Forum", verbose_name=_("forum penyelenggara"), on_delete=models.PROTECT, related_name="events"
    )
    audience = models.CharField(_("peserta"), max_length=10, choices=Audience.choices, default=Audience.CHILDREN)
    min_age = models.PositiveSmallIntegerField(_("umur paling muda"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("umur paling tua"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("jumlah kursi"))
    registration_opens_at = models.DateTimeField(_("pendaftaran dibuka"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("pendaftaran ditutup"), null=True, blank=True, help_text=_("Kosong: sampai kegiatan mulai.")
    )
    consent_deadline_hours = models.PositiveSmallIntegerField(
        _("batas waktu persetujuan wali (jam)"), default=DEFAULT_CONSENT_HOURS,
        help_text=_("Kursi anak ditahan selama ini sambil menunggu jawaban orang tua/wali. Persetujuan wali selalu "
                    "diminta untuk peserta di bawah 18 tahun."),
    )
    photo_level = models.CharField(
        _("izin foto yang diminta"), max_length=10, choices=PublicationLevel.choices, default=PublicationLevel.NONE,
        help_text=_("Tingkat paling tinggi yang ditanyakan. Setiap pendaftar memilih sendiri, sampai tingkat ini."),
    )
    is_published = models.BooleanField(_("tampilkan di situs"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["is_published", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="events_event_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="events_event_capacity_positive"),
            models.CheckConstraint(condition=Q(consent_deadline_hours__gte=1), name="events_event_consent_hours_positive"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(min_age__lte=F("max_age")),
                name="events_event_age_range",
            ),
            # an adult event is for adults only; a children's event is for children only
            models.CheckConstraint(
                condition=~Q(audience="adults") | Q(min_age__isnull=True) | Q(min_age__gte=ADULT_AGE),
                name="events_event_adults_are_adults",
            ),
            models.CheckConstraint(
                condition=~Q(audience="children") | Q(max_age__isnull=True) | Q(max_age__lt=ADULT_AGE),
                name="events_event_children_are_children",
            ),
            models.CheckConstraint(
                condition=~Q(venue_name="") | ~Q(online_url=""), name="events_event_has_place_or_link"
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True) | Q(registration_closes_at__isnull=True)
                | Q(registration_opens_at__lt=F("registration_closes_at")),
                name="events_event_registration_window",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def is_for_children(self):
        return self.audience == Audience.CHILDREN

    @property
    def registration_closes(self):
        closes = self.registration_closes_at or self.starts_at
        return min(closes, self.starts_at)

    def registration_is_open(self, now=None):
        now = now or timezone.now()
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return now < self.registration_closes

    @property
    def age_range_label(self):
        if self.min_age is not None and self.max_age is not None:
            return _("%(min)s–%(max)s tahun") % {"min": self.min_age, "max": self.max_age}
        if self.min_age is not None:
            return _("%(min)s tahun ke atas") % {"min": self.min_age}
        if self.max_age is not None:
            return _("sampai %(max)s tahun") % {"max": self.max_age}
        return ""

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("Waktu selesai harus sesudah waktu mulai.")
        if not self.venue_name and not self.online_url:
            errors["venue_name"] = _("Isi nama tempat, atau tautan daring.")
        if self.image_id and not self.image_alt:
            errors["image_alt"] = _("Tulis teks alternatif untuk gambar.")
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            errors["max_age"] = _("Umur paling tua harus sama atau lebih dari umur paling muda.")
        if self.audience == Audience.ADULTS and self.min_age is not None and self.min_age < ADULT_AGE:
            errors["min_age"] = _("Kegiatan orang dewasa untuk umur 18 tahun ke atas. Untuk anak, pilih peserta anak.")
        if self.audience == Audience.CHILDREN and self.max_age is not None and self.max_age >= ADULT_AGE:
            errors["max_age"] = _("Kegiatan anak untuk umur di bawah 18 tahun.")
        if self.registration_opens_at and self.registration_closes_at and self.registration_opens_at >= self.registration_closes_at:
            errors["registration_closes_at"] = _("Pendaftaran harus ditutup sesudah dibuka.")
        if errors:
            raise ValidationError(errors)


class RegistrationQuestion(Orderable):
    """A question asked when registering (accessibility, dietary needs …). Answers are deleted
    automatically ``retention_days`` after the event ends."""

    class Kind(models.TextChoices):
        TEXT = "text", _("jawaban singkat")
        YES_NO = "yes_no", _("ya atau tidak")

    event = ParentalKey(Event, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("pertanyaan"), max_length=200)
    help_text = models.CharField(_("petunjuk"), max_length=300, blank=True)
    kind = models.CharField(_("jenis jawaban"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(_("wajib dijawab"), default=False)
    retention_days = models.PositiveSmallIntegerField(
        _("simpan jawaban (hari setelah kegiatan)"), default=30,
        help_text=_("Sesudah itu jawaban dihapus otomatis."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("pertanyaan pendaftaran")
        verbose_name_plural = _("pertanyaan pendaftaran")

    def __str__(self):
        return self.label


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING_CONSENT = "pending_consent", _("menunggu persetujuan wali")
        CONFIRMED = "confirmed", _("terdaftar")
        WAITLISTED = "waitlisted", _("daftar tunggu")
        CANCELLED = "cancelled", _("dibatalkan")
        CONSENT_REFUSED = "consent_refused", _("wali tidak setuju")
        CONSENT_EXPIRED = "consent_expired", _("persetujuan wali tidak datang tepat waktu")
        ATTENDED = "attended", _("hadir")
        NO_SHOW = "no_show", _("tidak hadir")

    event = models.ForeignKey(Event, verbose_name=_("kegiatan"), on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("akun"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    member = models.ForeignKey(
        "membership.Member", verbose_name=_("anggota"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    adult_name = models.CharField(_("nama peserta"), max_length=150, blank=True, help_text=_("Untuk peserta dewasa."))
    code = models.CharField(_("kode tiket"), max_length=CODE_LENGTH, unique=True, default=new_ticket_code, editable=False)
    photo_level = models.CharField(
        _("izin foto"), max_length=10, choices=PublicationLevel.choices, default=PublicationLevel.NONE
    )
    consent_request = models.ForeignKey(
        "membership.ConsentRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("permintaan persetujuan"),
    )
    consent_deadline = models.DateTimeField(_("batas persetujuan wali"), null=True, blank=True)
    created_at = models.DateTimeField(_("mendaftar pada"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status berubah pada"), default=timezone.now)
    status_reason = models.CharField(_("alasan"), max_length=60, blank=True)
    waitlisted_at = models.DateTimeField(_("masuk daftar tunggu"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("naik dari daftar tunggu"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("dikonfirmasi pada"), null=True, blank=True)
    attended_at = models.DateTimeField(_("hadir pada"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("dicatat oleh"),
    )
    reminded_at = models.DateTimeField(_("pengingat dikirim"), null=True, blank=True)

    SEAT_HOLDING = (Status.PENDING_CONSENT, Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)
    ACTIVE = (*SEAT_HOLDING, Status.WAITLISTED)

    class Meta:
        verbose_name = _("pendaftaran kegiatan")
        verbose_name_plural = _("pendaftaran kegiatan")
        ordering = ["event", "id"]
        indexes = [models.Index(fields=["event", "status"])]
        constraints = [
            # one active registration per person per event (a cancelled one may be followed by another)
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(status__in=["pending_consent", "confirmed", "waitlisted", "attended", "no_show"]),
                name="events_registration_one_active_per_user",
            ),
            models.UniqueConstraint(
                fields=["event", "member"],
                condition=Q(status__in=["pending_consent", "confirmed", "waitlisted", "attended", "no_show"]),
                name="events_registration_one_active_per_member",
            ),
            models.CheckConstraint(
                condition=~Q(status="attended") | Q(attended_at__isnull=False), name="events_registration_attended_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="pending_consent") | (Q(consent_deadline__isnull=False) & Q(member__isnull=False)),
                name="events_registration_pending_has_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="events_registration_waitlisted_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.event} — {self.participant_name}"

    @property
    def participant_name(self):
        """The child's display name only (never the full name); an adult's name."""
        if self.member_id:
            return self.member.display_name or _("(data dihapus)")
        if self.adult_name:
            return self.adult_name
        if self.user_id:
            return self.user.get_full_name() or self.user.username
        return _("(data dihapus)")

    @property
    def code_display(self):
        return "-".join(self.code[i:i + 4] for i in range(0, len(self.code), 4))

    @property
    def holds_seat(self):
        return self.status in self.SEAT_HOLDING

    def waitlist_position(self):
        if self.status != self.Status.WAITLISTED:
            return None
        return Registration.objects.filter(event_id=self.event_id, status=self.Status.WAITLISTED, id__lt=self.id).count() + 1


class Answer(models.Model):
    """An answer to a registration question. Deleted automatically at ``delete_after``."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(RegistrationQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.TextField(_("jawaban"), blank=True)
    delete_after = models.DateTimeField(_("dihapus sesudah"), db_index=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("jawaban pendaftaran")
        verbose_name_plural = _("jawaban pendaftaran")
        constraints = [models.UniqueConstraint(fields=["registration", "question"], name="events_answer_one_per_question")]

    def __str__(self):
        return f"{self.question}: {self.value}"
