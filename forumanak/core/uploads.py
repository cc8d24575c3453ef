"""What a paper upload (a forum's decree, a signed consent form) may be: a PDF, a JPEG or a PNG,
judged by its content, not its name, and at most 10 MB.

A file named ``sk.pdf`` that is really HTML, or an SVG with a script, is refused: the name is only
what the uploader typed. Images are opened and verified with Pillow; a PDF must begin with the PDF
signature (``%PDF-``) and end with its end-of-file marker. The stored name's extension is the one
of the detected kind (``core.files.random_name`` keeps only that)."""

import os

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 10 * 1024 * 1024
EXTENSIONS = {"PDF": "pdf", "JPEG": "jpg", "PNG": "png"}


def detect_paper_kind(upload):
    """"PDF", "JPEG" or "PNG" from the file's content, or None."""
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        upload.seek(max(0, upload.size - 2048))
        tail = upload.read()
        upload.seek(0)
        return "PDF" if b"%%EOF" in tail else None
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(upload) as image:
                kind = image.format
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            return None
        finally:
            upload.seek(0)
        return kind if kind in ("JPEG", "PNG") else None
    return None


def validate_paper_upload(upload):
    """Raise ValidationError unless ``upload`` is a PDF, JPEG or PNG by content, ≤ 10 MB. Gives the
    upload the extension of what it is, so the stored name says the truth."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("Berkas terlalu besar (paling besar 10 MB)."), code="too_big")
    kind = detect_paper_kind(upload)
    if kind is None:
        raise ValidationError(
            _("Berkas ini bukan PDF, JPG, atau PNG yang utuh. Pindai atau simpan ulang sebagai PDF, lalu unggah lagi."),
            code="not_a_paper",
        )
    stem = os.path.splitext(os.path.basename(upload.name or "berkas"))[0] or "berkas"
    upload.name = f"{stem}.{EXTENSIONS[kind]}"
    return kind
