"""The project's URLs plus the uploaded media, for browser tests (in production the web server
serves /media/; runserver does it only with DEBUG)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from forumanak.urls import handler404, handler500  # noqa: F401
from forumanak.urls import urlpatterns as project_urlpatterns

urlpatterns = [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}), *project_urlpatterns]
