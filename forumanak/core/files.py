"""Uploaded files: where each kind is stored, what it is called, and how a private one is served.

Private by default. Two storages (``settings.STORAGES``):

- ``default`` — :class:`PrivateStorage`, under ``PRIVATE_MEDIA_ROOT``: every upload that nobody
  chose to publish — Wagtail documents, a forum's decree (SK), signed paper consent forms, staff
  profile pictures, and any file field added later without a storage of its own. These files have
  no URL. A view that checks permission serves them with :func:`serve_private_file` (Wagtail's
  document view, which checks collection view restrictions, through :func:`sendfile`).
- ``public`` — :class:`PublicStorage`, under ``MEDIA_ROOT``, which the web server serves at
  ``/media/``: the CMS's images and their renditions, nothing else.

Both store every file under a random name (uuid4 hex and the lower-cased extension): no uploaded
name — a child's name, a guessable title — is ever part of a path or a URL.

In production (``PRIVATE_MEDIA_ACCEL_REDIRECT``, ``/_private/``) a private file is sent by nginx:
the view answers with ``X-Accel-Redirect`` to nginx's ``internal`` location, which has no public
URL (docs/deploy.md, sections 4 and 6). Otherwise (development, tests) the view sends it itself.
Either way the response carries ``nosniff``, ``Content-Disposition: attachment`` and a CSP that
sandboxes whatever the file is.
"""

import mimetypes
import posixpath
import re
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404, HttpResponse
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.views.static import serve

FILE_CSP = "default-src 'none'; sandbox"
_EXTENSION = re.compile(r"[a-z0-9]{1,10}")
_ACCEL_SAFE_NAME = re.compile(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*(\.[a-z0-9]{1,10})?")


def random_name(name):
    """``<uuid4 hex>.<extension>``: the uploaded name's extension, lower-cased, when it is a plain
    one; nothing else of the uploaded name."""
    extension = posixpath.splitext(name)[1][1:].lower()
    return uuid.uuid4().hex + (f".{extension}" if _EXTENSION.fullmatch(extension) else "")


class NoPublicURL(NotImplementedError, AttributeError):
    """A private file has no URL. A NotImplementedError, as Django's storage API says (Wagtail's
    document view then serves the file itself), and an AttributeError, so that ``{{ file.url }}``
    in a template and ``getattr(file, "url", None)`` (Django's file widgets) read "no URL" instead
    of failing."""


class RandomNamesMixin:
    def get_valid_name(self, name):
        # FileField.generate_filename → Storage.generate_filename → here, for every upload
        return random_name(name)


class PrivateStorage(RandomNamesMixin, FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT: 0640, directories 0750 (nginx reads them through its group,
    docs/deploy.md section 6), no URL."""

    def __init__(self, location=None, file_permissions_mode=0o640, directory_permissions_mode=0o750, **kwargs):
        super().__init__(location=location, file_permissions_mode=file_permissions_mode,
                         directory_permissions_mode=directory_permissions_mode, **kwargs)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise NoPublicURL("A private file has no URL; a view that checks permission serves it.")


class PublicStorage(RandomNamesMixin, FileSystemStorage):
    """Files under MEDIA_ROOT, served by the web server at MEDIA_URL: 0644, directories 0755."""

    def __init__(self, location=None, base_url=None, file_permissions_mode=0o644, directory_permissions_mode=0o755,
                 **kwargs):
        super().__init__(location=location, base_url=base_url, file_permissions_mode=file_permissions_mode,
                         directory_permissions_mode=directory_permissions_mode, **kwargs)


def public_storage():
    """The storage of files everyone may see (a callable, so that migrations name no backend)."""
    return storages["public"]


# ---- serving ------------------------------------------------------------------------------------


class _FileHeadersMixin:
    """Wagtail's sendfile() sets Content-Encoding to None when it guesses none: leave it out."""

    def __setitem__(self, header, value):
        if value is None:
            return
        super().__setitem__(header, value)


class AccelRedirectResponse(_FileHeadersMixin, HttpResponse):
    """An empty answer that asks nginx to send the file from its internal location. nginx sets
    the length and encoding of what it sends: a Content-Length here (Wagtail's sendfile() sets
    one) would describe a body this response does not have."""

    def __setitem__(self, header, value):
        if header.lower() in ("content-length", "content-encoding"):
            return
        super().__setitem__(header, value)


class PrivateFileResponse(_FileHeadersMixin, FileResponse):
    pass


def _accel_redirect(path):
    """The internal URI nginx sends ``path`` from, or None (no prefix set, or a file outside
    PRIVATE_MEDIA_ROOT, or a name nginx might read otherwise than Python)."""
    prefix = getattr(settings, "PRIVATE_MEDIA_ACCEL_REDIRECT", "")
    if not prefix:
        return None
    try:
        relative = Path(path).resolve().relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve()).as_posix()
    except ValueError:
        return None
    if not _ACCEL_SAFE_NAME.fullmatch(relative):
        return None
    return prefix.rstrip("/") + "/" + relative


def protect(response):
    """The headers every file response carries: the browser neither guesses the type nor runs
    anything in it, and no shared cache keeps it."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, no-store"
    return response


def _file_response(path, content_type):
    accel = _accel_redirect(path)
    if accel:
        response = AccelRedirectResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel
    else:
        response = PrivateFileResponse(open(path, "rb"), content_type=content_type)  # noqa: SIM115 (closed by Django)
    return response


def serve_private_file(request, fieldfile, *, download_name):
    """Send a private file the caller has been allowed to see, as an attachment called
    ``download_name`` (the stored name is random; the uploaded one is not kept)."""
    if not fieldfile or not fieldfile.storage.exists(fieldfile.name):
        raise Http404
    content_type = mimetypes.guess_type(download_name)[0] or "application/octet-stream"
    response = _file_response(fieldfile.path, content_type)
    response["Content-Disposition"] = content_disposition_header(True, download_name)
    return protect(response)


def sendfile(request, filename, mimetype=None, **kwargs):
    """SENDFILE_BACKEND for Wagtail's document view, called once the document's collection view
    restrictions have let the request through. Wagtail adds the Content-Disposition."""
    return protect(_file_response(filename, mimetype or "application/octet-stream"))


def serve_public_media(request, path):
    """/media/ when no web server is in front (development, browser tests), with the headers
    nginx adds (docs/deploy.md, section 4)."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Content-Disposition"] = "inline"
    return response


# ---- forms and existing files -------------------------------------------------------------------


class _StoredFile:
    def __init__(self, url, label):
        self.url, self.label = url, label

    def __str__(self):
        return str(self.label)


class PrivateFileInput(forms.ClearableFileInput):
    """A file input for a private file: "Currently: <a link to the view that checks permission>"
    (the file itself has no URL, and its stored name means nothing to anyone)."""

    def __init__(self, attrs=None, *, download_url="", label=""):
        super().__init__(attrs)
        self.download_url, self.label = download_url, label

    def is_initial(self, value):
        return bool(value and getattr(value, "name", None))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["value"] = _StoredFile(self.download_url, self.label)
        return context


def move_to_private(name, *, folder):
    """Move a file that an earlier version stored in the public storage to the private one, under
    a random name in ``folder``; return its new name. A name already in the private storage (or
    empty) is returned as it is, so that a migration that calls this can run again."""
    if not name:
        return name
    public, private = public_storage(), PrivateStorage()
    if not public.exists(name):
        return name
    with public.open(name, "rb") as source:
        new_name = private.save(posixpath.join(folder, random_name(name)), source)
    public.delete(name)
    return new_name
