"""Validation of what people type about themselves, shared by every form that asks for a name."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Besides letters (any script) and their combining marks: the punctuation found in Indonesian and
# other names — space, apostrophes (Nur'aini, D’Angelo), hyphens (Made-Sari), dots (Muh., Dra.,
# S.Pd.) and the comma before an academic title (Ratna, M.Pd.).
NAME_PUNCTUATION = frozenset(" '\u2019\u02bc-\u2010.,")
# "bit.ly", "hadiah.example": a dot between two runs of letters is a web address, not a name
# (titles such as "S.Pd." or "M.Si." have a single letter before the dot)
_DOMAIN_LIKE = re.compile(r"[^\W\d_]{2,}\.[^\W\d_]{2,}")


def normalise_name(value):
    """NFC, and every run of white space (tabs and line breaks too) one space, none at the ends."""
    return " ".join(unicodedata.normalize("NFC", value).split()) if value else value


def validate_person_name(value):
    """A person's name: letters of any script and common name punctuation, nothing else. No digits,
    no @, no < >, no slashes or colons, no invisible or direction-changing characters, nothing
    that reads as a web address. Names go into emails sent under the city's name."""
    for char in value:
        if char in NAME_PUNCTUATION:
            continue
        if unicodedata.category(char)[0] not in "LM":
            raise ValidationError(
                _("Nama hanya boleh berisi huruf, spasi, dan tanda ' - . , (tanpa angka, tautan, atau simbol lain)."),
                code="name_characters",
            )
    if not any(unicodedata.category(char)[0] == "L" for char in value):
        raise ValidationError(_("Nama harus berisi huruf."), code="name_letters")
    if _DOMAIN_LIKE.search(value):
        raise ValidationError(
            _("Nama hanya boleh berisi huruf, spasi, dan tanda ' - . , (tanpa angka, tautan, atau simbol lain)."),
            code="name_link",
        )


class PersonNameField(forms.CharField):
    """A name field: normalised spaces, bounded length, validated by ``validate_person_name``."""

    default_validators = [validate_person_name]

    def __init__(self, *, max_length=100, **kwargs):
        super().__init__(max_length=max_length, strip=True, **kwargs)

    def to_python(self, value):
        return normalise_name(super().to_python(value))
