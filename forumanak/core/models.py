import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        abstract = True


class User(AbstractUser):
    """An account. Adults log in with their email; a child without email uses a username.

    The email is optional at the database level (a child may have none) but unique when given.
    """

    email = models.EmailField(_("alamat email"), blank=True, default="")
    language = models.CharField(
        _("bahasa"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Bahasa untuk email dan halaman."),
    )
    # Every signed-in session carries a hash of the password and this number (Django checks it on
    # each request): raising it signs the account out everywhere at once, with nothing stored per
    # session (core.services.end_sessions).
    session_generation = models.PositiveIntegerField(_("generasi sesi"), default=0, editable=False)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="core_user_email_unique_ci",
                violation_error_message=_("Alamat email ini sudah dipakai."),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret=None):
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)  # sessions made before generations stay valid
        return salted_hmac(
            "forumanak.core.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class AuditEntry(models.Model):
    """One safeguarding-relevant action: who did what to which object, and when. Never edited."""

    # Not in Wagtail's reference index ("usage" of the actor): that would be two more queries and
    # a task inside every audited write (make bench: registrations, votes, consent).
    wagtail_reference_index_ignore = True

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("nama pelaku"), max_length=200, blank=True)
    action = models.CharField(_("tindakan"), max_length=80, db_index=True)
    object_type = models.CharField(_("jenis objek"), max_length=100, blank=True)
    object_id = models.CharField(_("ID objek"), max_length=64, blank=True)
    object_label = models.CharField(_("objek"), max_length=200, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"


class OutboundEmail(models.Model):
    """An email to be sent once, by a task. The row is the idempotency key."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("menunggu")
        SENDING = "sending", _("sedang dikirim")
        SENT = "sent", _("terkirim")
        FAILED = "failed", _("gagal")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    to = models.JSONField(_("penerima"))
    template = models.CharField(_("templat"), max_length=200, blank=True)
    context = models.JSONField(_("isi"), default=dict, blank=True)
    # Messages rendered by third-party code (allauth) are stored rendered and blanked once sent.
    rendered = models.JSONField(_("pesan jadi"), null=True, blank=True)
    language = models.CharField(_("bahasa"), max_length=8, default=settings.LANGUAGE_CODE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    claimed_at = models.DateTimeField(_("diambil pada"), null=True, blank=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("email keluar")
        verbose_name_plural = _("email keluar")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="core_outboundemail_sent_has_time",
            )
        ]

    def __str__(self):
        return f"{self.template} → {', '.join(self.to)} ({self.status})"


def private_storage():
    """Storage for files that must never be served publicly (consent scans, SK files): under
    PRIVATE_MEDIA_ROOT, random names, no URL. They are read only through a view that checks access
    (forumanak.core.files.serve_private_file). Named on the field, so that such a file stays private
    whatever STORAGES["default"] becomes."""
    from .files import PrivateStorage

    return PrivateStorage()
