from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """An Indonesian administrative region, keyed by its Kemendagri code (``64.71.01.1001``).

    The level follows from the code (the number of dots); it is stored so that it can be indexed,
    and a database constraint keeps it in step with the code.
    """

    class Level(models.IntegerChoices):
        PROVINSI = 0, _("provinsi")
        KABKOTA = 1, _("kabupaten/kota")
        KECAMATAN = 2, _("kecamatan")
        DESA = 3, _("desa/kelurahan")

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("induk"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level=0, parent__isnull=True) | models.Q(level__gt=0, parent__isnull=False),
                name="regions_region_parent_matches_level",
            ),
        ]

    def __str__(self):
        return self.name

    @staticmethod
    def level_of(code):
        return code.count(".")

    @staticmethod
    def parent_code_of(code):
        return code.rsplit(".", 1)[0] if "." in code else None

    @property
    def is_kelurahan(self):
        """A level-3 code whose last part starts with 1 is a kelurahan; with 2, a desa."""
        return self.level == self.Level.DESA and self.code.rsplit(".", 1)[1].startswith("1")

    @property
    def kind_label(self):
        if self.level == self.Level.DESA:
            return _("kelurahan") if self.is_kelurahan else _("desa")
        return self.get_level_display()
