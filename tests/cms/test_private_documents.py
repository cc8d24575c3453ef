"""Uploads are private unless published (issue 25): every Wagtail document is a private file, served
only by Wagtail's view (which applies the collection's privacy); images and renditions are the
public files. (tests/core/test_media_nginx.py fetches them through the documented nginx.)"""

import os
import re
import stat
from importlib import import_module

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from tests.cms.conftest import make_image
from tests.conftest import enable_totp, grant_admin_access, make_user
from tests.membership.conftest import city  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

HEX = r"[0-9a-f]{32}"


def root_collection():
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


@pytest.fixture
def login_only_document():
    collection = root_collection().add_child(instance=Collection(name="Rapat pengurus"))
    CollectionViewRestriction.objects.create(collection=collection, restriction_type="login")
    return get_document_model().objects.create(
        title="Notulen", collection=collection, file=ContentFile(b"notulen: Budi Santoso", name="Notulen Budi.txt"))


def test_documents_are_private_files_with_random_names(login_only_document, settings):
    document = get_document_model().objects.get(pk=login_only_document.pk)
    assert re.fullmatch(rf"documents/{HEX}\.txt", document.file.name)
    assert document.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert stat.S_IMODE(os.stat(document.file.path).st_mode) == 0o640
    assert document.url == f"/documents/{document.pk}/{document.filename}"
    with pytest.raises(NotImplementedError):
        _ = document.file.url


def test_a_login_only_document_is_for_signed_in_people(client, login_only_document):
    url = login_only_document.url
    refused = client.get(url)
    assert refused.status_code == 302 and b"Budi" not in refused.content
    client.force_login(make_user("anak", email=""))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"notulen: Budi Santoso"
    assert response["Content-Disposition"].startswith("attachment")  # every document, PDFs too
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]


def test_in_production_nginx_sends_a_document_from_its_internal_location(client, login_only_document, settings):
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/_private/"
    client.force_login(make_user("anak", email=""))
    response = client.get(login_only_document.url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_private/{login_only_document.file.name}"
    assert response.get("Content-Length") in (None, "0") and "Content-Encoding" not in response


def test_images_and_renditions_are_the_public_files(settings):
    image = make_image("Foto Budi Santoso")
    rendition = image.get_rendition("width-100")
    for file in (image.file, rendition.file):
        assert re.fullmatch(rf"(original_images|images)/{HEX}\.png", file.name)
        assert file.path.startswith(str(settings.MEDIA_ROOT))
        assert stat.S_IMODE(os.stat(file.path).st_mode) == 0o644
        assert stat.S_IMODE(os.stat(os.path.dirname(file.path)).st_mode) == 0o755
        assert file.url == f"/media/{file.name}"
    # random before any storage sees it (object storage keeps names as given)
    from cms.models import SiteImage

    assert re.fullmatch(rf"original_images/{HEX}\.png", SiteImage().get_upload_to("Foto Budi Santoso.png"))


def test_existing_documents_and_sk_files_move_to_private_storage(settings, city):  # noqa: F811
    """The migrations move what an earlier version stored in MEDIA_ROOT under uploaded names."""
    from django.apps import apps
    from django.core.files.storage import FileSystemStorage

    from forumanak.membership.models import Forum

    legacy = FileSystemStorage(location=settings.MEDIA_ROOT)
    legacy.save("documents/Daftar anak.pdf", ContentFile(b"%PDF daftar"))
    legacy.save("sk/SK Budi.pdf", ContentFile(b"%PDF sk"))
    Document = get_document_model()
    document = Document.objects.create(title="Lama", file="documents/Daftar anak.pdf")
    forum = city["forums"]["64.71.01.1001"]
    Forum.objects.filter(pk=forum.pk).update(sk_file="sk/SK Budi.pdf")
    import_module("cms.migrations.0005_private_documents_public_images").move_documents(apps, None)
    import_module("forumanak.membership.migrations.0008_sk_file_private").move_sk_files(apps, None)
    for obj, field, folder, content in [(Document.objects.get(pk=document.pk), "file", "documents", b"%PDF daftar"),
                                        (Forum.objects.get(pk=forum.pk), "sk_file", "sk", b"%PDF sk")]:
        file = getattr(obj, field)
        assert re.fullmatch(rf"{folder}/{HEX}\.pdf", file.name)
        assert file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
        with file.open("rb") as f:
            assert f.read() == content
    assert not legacy.exists("documents/Daftar anak.pdf") and not legacy.exists("sk/SK Budi.pdf")
    # running again changes nothing
    names = (Document.objects.get(pk=document.pk).file.name, Forum.objects.get(pk=forum.pk).sk_file.name)
    import_module("cms.migrations.0005_private_documents_public_images").move_documents(apps, None)
    import_module("forumanak.membership.migrations.0008_sk_file_private").move_sk_files(apps, None)
    assert names == (Document.objects.get(pk=document.pk).file.name, Forum.objects.get(pk=forum.pk).sk_file.name)


def test_a_staff_profile_picture_is_shown_to_admin_users_only(client, settings):
    from wagtail.users.models import UserProfile

    staff = grant_admin_access(make_user("staf", is_staff=True))
    enable_totp(staff)
    profile = UserProfile.get_for_user(staff)
    profile.avatar = ContentFile(make_image_bytes(), name="Foto staf.png")
    profile.save()
    assert profile.avatar.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    client.force_login(staff)
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert f"/admin/profil/{staff.pk}/gambar/" in dashboard.text
    assert client.get("/admin/account/").status_code == 200
    picture = client.get(f"/admin/profil/{staff.pk}/gambar/")
    assert picture.status_code == 200 and b"".join(picture.streaming_content) == make_image_bytes()
    client.logout()
    assert client.get(f"/admin/profil/{staff.pk}/gambar/").status_code == 302


def make_image_bytes():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(out, "PNG")
    return out.getvalue()
