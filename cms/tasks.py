"""django-q2 targets of the CMS. Each takes primary keys and is idempotent."""

import logging
from io import StringIO

from django.core.management import call_command

logger = logging.getLogger(__name__)


def publish_scheduled():
    """Run Wagtail's scheduled publishing: publish revisions whose go-live time has passed and
    unpublish pages whose expiry time has passed (what ``manage.py publish_scheduled`` does).
    Idempotent: a revision is published once, after which it is no longer scheduled."""
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    return out.getvalue().strip()


def prepare_page_images(page_id):
    """Make the image renditions of a published page ahead of time."""
    from wagtail.models import Page

    from . import images

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    return images.prepare_renditions(page.specific)
