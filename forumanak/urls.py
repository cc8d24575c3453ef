from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from forumanak.core import views as core_views

handler404 = "forumanak.core.views.page_not_found"
handler500 = "forumanak.core.views.server_error"

admin.site.login = core_views.admin_login

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", core_views.healthz, name="healthz"),
    path("bahasa/<str:language>/", core_views.switch_language, name="switch_language"),
    path("sitemap.xml", cms_views.sitemap, name="cms_sitemap"),
    path("robots.txt", cms_views.robots_txt, name="cms_robots"),
]

urlpatterns += i18n_patterns(
    path("akun/", include("allauth.urls")),
    path("", include("forumanak.membership.urls")),
    path("", include("forumanak.consultations.urls")),
    path("", include("events.urls")),
    path("bantuan/", TemplateView.as_view(template_name="core/help.html"), name="help"),
    path("cari/", cms_views.search, name="cms_search"),
    path("feed/", cms_views.feed, name="cms_feed"),
    # Wagtail serves everything not caught above; it must be last.
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    # public images and renditions only (MEDIA_ROOT), as nginx serves them in production
    from django.urls import re_path

    from forumanak.core.files import serve_public_media

    urlpatterns = [re_path(r"^media/(?P<path>.*)$", serve_public_media), *urlpatterns]
