"""Reactions to Wagtail's own events (third-party code, so signals are the way in).

- Publishing or unpublishing a page (by hand, by the workflow or by the schedule), moving it,
  changing its slug or deleting it drops the full-page cache; so does saving or deleting a Site
  (the site of a host is cached too).
- Publishing a page queues a task that makes its image renditions ahead of time, so that the
  first anonymous reader does not write them to the database.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from forumanak.core.tasks import enqueue_on_commit

from .cache import invalidate


def on_published(sender, instance, **kwargs):
    invalidate()
    enqueue_on_commit("cms.tasks.prepare_page_images", instance.pk)


def on_tree_changed(sender, instance, **kwargs):
    invalidate()


def connect():
    page_published.connect(on_published, dispatch_uid="cms-page-published")
    page_unpublished.connect(on_tree_changed, dispatch_uid="cms-page-unpublished")
    page_slug_changed.connect(on_tree_changed, dispatch_uid="cms-page-slug-changed")
    post_page_move.connect(on_tree_changed, dispatch_uid="cms-page-moved")
    post_delete.connect(on_tree_changed, sender=Page, dispatch_uid="cms-page-deleted")
    post_save.connect(on_tree_changed, sender=Site, dispatch_uid="cms-site-saved")
    post_delete.connect(on_tree_changed, sender=Site, dispatch_uid="cms-site-deleted")
