"""Forums, members, guardians, board positions, staff scope and the consent engine.

A child's personal data lives in Member (name, display name, date of birth, school, kelurahan) and
is erased when membership consent is withdrawn; what stays for statistics is coarse and anonymous.
Consent decisions are append-only (database triggers refuse UPDATE and DELETE).
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forumanak.core.models import private_storage
from forumanak.core.uploads import validate_paper_upload
from forumanak.regions.models import Region


def validate_uploaded_document(value):
    """A scanned or exported paper (an SK, a signed form): PDF, JPG or PNG by its content, at most
    10 MB (core.uploads). Checked when a file is uploaded, not for the one already stored."""
    if getattr(value, "_committed", True):
        return
    upload = getattr(value, "file", value)
    validate_paper_upload(upload)
    value.name = upload.name  # the extension of what the file is


class Forum(models.Model):
    """A Forum Anak at one level of government, for one region (or the nation)."""

    class Level(models.IntegerChoices):
        NASIONAL = -1, _("nasional")
        PROVINSI = 0, _("provinsi")
        KABKOTA = 1, _("kabupaten/kota")
        KECAMATAN = 2, _("kecamatan")
        DESA = 3, _("kelurahan/desa")

    name = models.CharField(_("nama"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    region = models.OneToOneField(
        Region, verbose_name=_("wilayah"), null=True, blank=True, on_delete=models.PROTECT, related_name="forum"
    )
    level = models.SmallIntegerField(_("tingkat"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("forum induk"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # The decree (SK) that establishes the forum
    sk_number = models.CharField(_("nomor SK"), max_length=120, blank=True)
    sk_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    sk_issuer = models.CharField(_("penerbit SK"), max_length=200, blank=True)
    sk_valid_until = models.DateField(_("SK berlaku sampai"), null=True, blank=True)
    # The SK lists the board's children by full name: a private file (random name, no URL), served
    # only to staff of this forum's chain (admin_views.forum_sk_file).
    sk_file = models.FileField(_("berkas SK"), upload_to="sk/", blank=True, storage=private_storage,
                               validators=[validate_uploaded_document])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forum")
        ordering = ["level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=-1, region__isnull=True) | Q(level__gte=0, region__isnull=False),
                name="membership_forum_region_matches_level",
            ),
            models.UniqueConstraint(fields=["level"], condition=Q(level=-1), name="membership_forum_one_national"),
        ]

    def __str__(self):
        return self.name

    @property
    def scope_prefix(self):
        """Regions in this forum's scope have codes equal to or starting with this prefix."""
        return self.region_id or ""

    def sk_in_force(self, on=None):
        on = on or timezone.localdate()
        return bool(self.sk_number and self.sk_date and self.sk_date <= on and (not self.sk_valid_until or on <= self.sk_valid_until))


class StaffAssignment(models.Model):
    """An adult staff member's role in one forum; their scope is that forum and all below it."""

    class Role(models.TextChoices):
        PEMBINA = "pembina", _("pembina")
        FASILITATOR = "fasilitator", _("fasilitator")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_assignments")
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="staff_assignments")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("penugasan staf")
        verbose_name_plural = _("penugasan staf")
        constraints = [models.UniqueConstraint(fields=["user", "forum", "role"], name="membership_staff_unique")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} {self.forum}"


class Guardian(models.Model):
    """A parent or guardian. Their email is where consent requests go."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="guardian"
    )
    name = models.CharField(_("nama"), max_length=150)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("nomor telepon"), max_length=30, blank=True)
    language = models.CharField(_("bahasa email"), max_length=8, choices=settings.LANGUAGES, default="id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("orang tua/wali")
        verbose_name_plural = _("orang tua/wali")
        constraints = [
            models.UniqueConstraint(models.functions.Lower("email"), name="membership_guardian_email_unique_ci")
        ]

    def __str__(self):
        return self.name


class Member(models.Model):
    """A child's minimal profile. No NIK, no street address, no location."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("mendaftar")
        AWAITING_CONSENT = "awaiting_consent", _("menunggu persetujuan wali")
        PENDING_REVIEW = "pending_review", _("menunggu tinjauan")
        ACTIVE = "active", _("aktif")
        SUSPENDED = "suspended", _("ditangguhkan")
        REJECTED = "rejected", _("ditolak")
        WITHDRAWN = "withdrawn", _("mengundurkan diri")
        ALUMNI = "alumni", _("alumni")

    class Gender(models.TextChoices):
        FEMALE = "P", _("perempuan")
        MALE = "L", _("laki-laki")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="member"
    )
    forum = models.ForeignKey(Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="members")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.APPLIED, db_index=True)
    member_number = models.CharField(_("nomor anggota"), max_length=30, null=True, blank=True, unique=True)
    # Personal data (erased on withdrawal)
    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    display_name = models.CharField(_("nama panggilan"), max_length=60, blank=True)
    date_of_birth = models.DateField(_("tanggal lahir"), null=True, blank=True)
    school = models.CharField(_("sekolah atau kelompok"), max_length=150, blank=True)
    kelurahan = models.ForeignKey(
        Region, verbose_name=_("kelurahan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Coarse data kept for statistics after erasure
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices)
    kecamatan = models.ForeignKey(Region, verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+")
    birth_year = models.PositiveSmallIntegerField(_("tahun lahir"))
    # Lifecycle
    applied_at = models.DateTimeField(_("mendaftar pada"), default=timezone.now)
    approved_at = models.DateTimeField(_("disetujui pada"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status berubah pada"), default=timezone.now)
    status_reason = models.CharField(_("alasan"), max_length=300, blank=True)
    ended_at = models.DateTimeField(_("berakhir pada"), null=True, blank=True)
    erased_at = models.DateTimeField(_("data dihapus pada"), null=True, blank=True)
    # The latest membership consent decision ("" for none) and its time, kept in step by the service
    # that appends decisions (services._append_decision), so that reports need not group every
    # decision. The decisions stay the record: services.refresh_membership_consent derives it again.
    membership_consent = models.CharField(max_length=10, blank=True, default="", editable=False)
    membership_consent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("anggota")
        verbose_name_plural = _("anggota")
        ordering = ["-applied_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="active") | Q(member_number__isnull=False),
                name="membership_member_active_has_number",
            ),
            models.CheckConstraint(
                condition=Q(erased_at__isnull=True) | (Q(full_name="") & Q(date_of_birth__isnull=True) & Q(user__isnull=True)),
                name="membership_member_erased_is_empty",
            ),
        ]
        indexes = [
            models.Index(fields=["forum", "status"]), models.Index(fields=["date_of_birth"]),
            # the few active members without a valid membership consent (the KLA report lists them)
            models.Index(fields=["forum"], condition=Q(status="active") & ~Q(membership_consent="granted"),
                         name="membership_active_no_consent"),
        ]

    def __str__(self):
        if self.erased_at:
            return _("(data dihapus)") + f" #{self.pk}"
        return self.display_name or self.full_name

    def age_on(self, day=None):
        if self.date_of_birth is None:
            return None
        return age_on(self.date_of_birth, day or timezone.localdate())


def age_on(dob, day):
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def age_band(age):
    """The coarse age band used in statistics and ballots."""
    if age is None:
        return ""
    if age <= 12:
        return "10-12"
    if age <= 15:
        return "13-15"
    return "16-17"


class GuardianLink(models.Model):
    class Relationship(models.TextChoices):
        MOTHER = "ibu", _("ibu")
        FATHER = "ayah", _("ayah")
        GUARDIAN = "wali", _("wali lainnya")

    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="links")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="guardian_links")
    relationship = models.CharField(_("hubungan"), max_length=10, choices=Relationship.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hubungan wali")
        verbose_name_plural = _("hubungan wali")
        constraints = [models.UniqueConstraint(fields=["guardian", "member"], name="membership_guardianlink_unique")]

    def __str__(self):
        return f"{self.guardian} — {self.member} ({self.get_relationship_display()})"


class BoardTerm(models.Model):
    """A board's term of office (kepengurusan), usually set by a decree."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="board_terms")
    name = models.CharField(_("nama periode"), max_length=120)
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))
    sk_number = models.CharField(_("nomor SK"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("periode kepengurusan")
        verbose_name_plural = _("periode kepengurusan")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gt=models.F("start_date")), name="membership_term_dates")
        ]

    def __str__(self):
        return f"{self.forum} — {self.name}"

    def is_current(self, on=None):
        on = on or timezone.localdate()
        return self.start_date <= on <= self.end_date


class BoardPosition(models.Model):
    class Role(models.TextChoices):
        KETUA = "ketua", _("ketua")
        WAKIL_KETUA = "wakil_ketua", _("wakil ketua")
        SEKRETARIS = "sekretaris", _("sekretaris")
        BENDAHARA = "bendahara", _("bendahara")
        KOORDINATOR = "koordinator", _("koordinator bidang")
        ANGGOTA = "anggota", _("anggota pengurus")

    class Cluster(models.IntegerChoices):
        K1 = 1, _("Klaster 1: hak sipil dan kebebasan")
        K2 = 2, _("Klaster 2: lingkungan keluarga dan pengasuhan alternatif")
        K3 = 3, _("Klaster 3: kesehatan dasar dan kesejahteraan")
        K4 = 4, _("Klaster 4: pendidikan, waktu luang dan budaya")
        K5 = 5, _("Klaster 5: perlindungan khusus")

    term = models.ForeignKey(BoardTerm, on_delete=models.CASCADE, related_name="positions")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="positions")
    role = models.CharField(_("jabatan"), max_length=20, choices=Role.choices)
    cluster = models.PositiveSmallIntegerField(_("klaster"), choices=Cluster.choices, null=True, blank=True)
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))

    class Meta:
        verbose_name = _("jabatan pengurus")
        verbose_name_plural = _("jabatan pengurus")
        ordering = ["term", "role"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="membership_position_dates"),
            models.CheckConstraint(
                condition=~Q(role="koordinator") | Q(cluster__isnull=False), name="membership_koordinator_has_cluster"
            ),
            models.UniqueConstraint(
                fields=["term", "role"],
                condition=Q(role__in=["ketua", "wakil_ketua", "sekretaris", "bendahara"]),
                name="membership_one_officer_per_term",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} — {self.member}"


# ---- consent engine -----------------------------------------------------------------------


class Purpose(models.TextChoices):
    MEMBERSHIP = "membership", _("data keanggotaan")
    PUBLICATION = "publication", _("publikasi foto dan nama")
    EVENT = "event", _("ikut kegiatan")


class PublicationLevel(models.TextChoices):
    NONE = "none", _("tidak boleh")
    INTERNAL = "internal", _("hanya untuk internal forum")
    PUBLIC = "public", _("boleh dipublikasikan")


class ConsentText(models.Model):
    """One version of the text a guardian agrees to, for one purpose and language."""

    purpose = models.CharField(_("tujuan"), max_length=20, choices=Purpose.choices)
    language = models.CharField(_("bahasa"), max_length=8, choices=settings.LANGUAGES)
    version = models.PositiveIntegerField(_("versi"))
    title = models.CharField(_("judul"), max_length=200)
    summary = models.TextField(_("ringkasan"), help_text=_("Dalam kata-kata sederhana."))
    body = models.TextField(_("teks lengkap"))
    text_hash = models.CharField(_("hash teks"), max_length=64, editable=False)
    published_at = models.DateTimeField(_("berlaku sejak"), default=timezone.now)

    class Meta:
        verbose_name = _("teks persetujuan")
        verbose_name_plural = _("teks persetujuan")
        ordering = ["purpose", "language", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "language", "version"], name="membership_consenttext_version")
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} v{self.version} ({self.language})"

    def save(self, *args, **kwargs):
        if self.pk and ConsentRequest.objects.filter(text_id=self.pk).exists():
            raise ValueError("A consent text that has been shown cannot change; publish a new version.")
        self.text_hash = self.compute_hash(self.title, self.summary, self.body)
        super().save(*args, **kwargs)

    def clean(self):
        if self.pk and ConsentRequest.objects.filter(text_id=self.pk).exists():
            from django.core.exceptions import ValidationError

            raise ValidationError(_("Teks ini sudah pernah ditunjukkan kepada wali dan tidak bisa diubah. Buat versi baru."))

    @staticmethod
    def compute_hash(title, summary, body):
        return hashlib.sha256("\n\n".join([title, summary, body]).encode("utf-8")).hexdigest()


class ConsentRequest(models.Model):
    """A request to one guardian, about one child, for one purpose. Decided once, from a link."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="consent_requests")
    guardian = models.ForeignKey(Guardian, null=True, blank=True, on_delete=models.SET_NULL, related_name="consent_requests")
    purpose = models.CharField(_("tujuan"), max_length=20, choices=Purpose.choices)
    text = models.ForeignKey(ConsentText, verbose_name=_("teks"), on_delete=models.PROTECT, related_name="+")
    details = models.JSONField(_("rincian"), default=dict, blank=True)
    language = models.CharField(_("bahasa"), max_length=8, choices=settings.LANGUAGES, default="id")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    reminder_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    expires_at = models.DateTimeField(_("kedaluwarsa"))
    failed_attempts = models.PositiveSmallIntegerField(_("percobaan salah"), default=0)
    locked_at = models.DateTimeField(_("dikunci pada"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("pengingat dikirim"), null=True, blank=True)
    expiry_notified_at = models.DateTimeField(_("pemberitahuan kedaluwarsa"), null=True, blank=True)
    # Not emailed: the guardian's address had reached its daily limit of application emails. Staff
    # see it in the review queue and may send it; until then no email (nor reminder) goes out.
    held_at = models.DateTimeField(_("email ditahan sejak"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("permintaan persetujuan")
        verbose_name_plural = _("permintaan persetujuan")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["member", "purpose"])]

    def __str__(self):
        return f"{self.get_purpose_display()} — {self.member}"

    @staticmethod
    def hash_token(token):
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at


class ConsentDecision(models.Model):
    """An appended record of a decision. Never edited or deleted (database triggers enforce it)."""

    class Decision(models.TextChoices):
        GRANTED = "granted", _("setuju")
        REFUSED = "refused", _("tidak setuju")
        WITHDRAWN = "withdrawn", _("ditarik")

    class Method(models.TextChoices):
        LINK = "link", _("tautan email")
        PORTAL = "portal", _("portal wali")
        PAPER = "paper", _("formulir kertas")

    request = models.ForeignKey(ConsentRequest, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(_("keputusan"), max_length=10, choices=Decision.choices)
    method = models.CharField(_("cara"), max_length=10, choices=Method.choices)
    decided_at = models.DateTimeField(_("waktu"), default=timezone.now)
    text = models.ForeignKey(ConsentText, verbose_name=_("teks"), on_delete=models.PROTECT, related_name="+")
    text_hash = models.CharField(_("hash teks"), max_length=64)
    guardian_name_typed = models.CharField(_("nama yang diketik wali"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    user_agent = models.CharField(_("peramban"), max_length=400, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paper_scan = models.FileField(_("pindaian formulir"), upload_to="persetujuan/", blank=True, storage=private_storage)
    details = models.JSONField(_("rincian"), default=dict, blank=True)

    class Meta:
        verbose_name = _("keputusan persetujuan")
        verbose_name_plural = _("keputusan persetujuan")
        ordering = ["decided_at", "id"]
        constraints = [
            # one answer per request (agree or disagree) and at most one withdrawal after it
            models.UniqueConstraint(
                fields=["request"], condition=Q(decision__in=["granted", "refused"]), name="membership_one_answer_per_request"
            ),
            models.UniqueConstraint(
                fields=["request"], condition=Q(decision="withdrawn"), name="membership_one_withdrawal_per_request"
            ),
            models.CheckConstraint(
                condition=~Q(method="paper") | Q(recorded_by__isnull=False), name="membership_paper_has_recorder"
            ),
        ]

    def __str__(self):
        return f"{self.get_decision_display()} — {self.request}"

    def save(self, *args, **kwargs):
        if self.pk and not self._state.adding:
            raise ValueError("Consent decisions are append-only.")
        super().save(*args, **kwargs)


def member_number_for(member):
    """FA-<city code>-<id>, e.g. FA-6471-000042: unique because the id is."""
    code = member.forum.region_id or "ID"
    city = "".join(code.split(".")[:2])
    return f"FA-{city}-{member.pk:06d}"
