"""The project's URLs plus the uploaded media, for browser tests (in production the web server
serves /media/; runserver does it only with DEBUG)."""

from django.urls import re_path

from forumanak.core.files import serve_public_media
from forumanak.urls import handler404, handler500  # noqa: F401
from forumanak.urls import urlpatterns as project_urlpatterns

urlpatterns = [re_path(r"^media/(?P<path>.*)$", serve_public_media), *project_urlpatterns]
