from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView
from django_q.models import Failure, OrmQ, Schedule, Success
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from forumanak.core import views as core_views
from forumanak.core.viewsets import site_history_urlpatterns

handler404 = "forumanak.core.views.page_not_found"
handler500 = "forumanak.core.views.server_error"
handler429 = "forumanak.core.views.too_many_requests"  # allauth's rate limits and the project's

# One way to sign in: allauth's (rate limits, email verification, the second factor). Every other
# view that takes a password or a code is replaced here, or rate-limited when it must stay
# (Wagtail's password-protected pages and documents); tests/core/test_single_sign_in.py walks the
# URL resolver for any that appears later.
admin.site.login = core_views.admin_login
admin.site.password_change = core_views.admin_password_change
# Running code through the admin is not possible for anyone: django-q2's schedule and task admin
# (a free dotted path run by the task cluster) is not on the web. Operators use `manage.py qinfo`.
for _model in (Schedule, Success, Failure, OrmQ):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    # Wagtail's site history report without the rows of the scoped admin viewsets (issue 16 §3)
    *site_history_urlpatterns(),
    path("admin/", include(wagtailadmin_urls)),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        core_views.document_password_view(),
        name="wagtaildocs_authenticate_with_password",
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", core_views.healthz, name="healthz"),
    path("bahasa/<str:language>/", core_views.switch_language, name="switch_language"),
    path("sitemap.xml", cms_views.sitemap, name="cms_sitemap"),
    path("robots.txt", cms_views.robots_txt, name="cms_robots"),
]

urlpatterns += i18n_patterns(
    path("akun/sesi/", core_views.sign_out_elsewhere, name="account_sessions"),
    path("akun/khusus/", core_views.restricted_login, name="restricted_login"),
    path("akun/", include("allauth.urls")),
    path("", include("forumanak.membership.urls")),
    path("", include("forumanak.consultations.urls")),
    path("", include("events.urls")),
    path("bantuan/", TemplateView.as_view(template_name="core/help.html"), name="help"),
    path("cari/", cms_views.search, name="cms_search"),
    path("feed/", cms_views.feed, name="cms_feed"),
    # Wagtail's own sign-in page is allauth's; its password form for protected pages is rate-limited.
    path("_util/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        core_views.page_password_view(),
        name="wagtailcore_authenticate_with_password",
    ),
    # Wagtail serves everything not caught above; it must be last.
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    # public images and renditions only (MEDIA_ROOT), as nginx serves them in production
    from django.urls import re_path

    from forumanak.core.files import serve_public_media

    urlpatterns = [re_path(r"^media/(?P<path>.*)$", serve_public_media), *urlpatterns]
