"""Reactions to Wagtail's own events (third-party code, so signals are the way in).

- Whatever can change what a page shows or who may see it starts a new cache generation
  (cms/cache.py: the full-page, route, page-data, fragment and privacy caches, every variant of
  every page at once): publishing or unpublishing a page (by hand, by the workflow or by the
  schedule), moving it, changing its slug, creating or deleting it; saving or deleting a page's
  or a collection's view restriction, or changing its groups (the admin's privacy modals, the
  privacy a new page inherits, restrictions copied with a page); saving or deleting a Site.
  A restriction reaches a page's descendants and, here, its translations too (cms/privacy.py), so
  nothing less than the whole generation would do.
- Publishing a page queues a task that makes its image renditions ahead of time, so that the
  first anonymous reader does not write them to the database.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from forumanak.core.tasks import enqueue_on_commit

from .cache import invalidate


def on_published(sender, instance, **kwargs):
    invalidate()
    enqueue_on_commit("cms.tasks.prepare_page_images", instance.pk)


def on_tree_changed(sender, instance=None, **kwargs):
    invalidate()


def on_page_saved(sender, instance, created, raw=False, **kwargs):
    # post_save is sent for the page's own class (ArticlePage …), so it is taken from every model
    if created and not raw and isinstance(instance, Page):
        invalidate()  # a new page (a translation, a copy) may belong to a private subtree


def on_restriction_groups_changed(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        invalidate()


def connect():
    page_published.connect(on_published, dispatch_uid="cms-page-published")
    page_unpublished.connect(on_tree_changed, dispatch_uid="cms-page-unpublished")
    page_slug_changed.connect(on_tree_changed, dispatch_uid="cms-page-slug-changed")
    post_page_move.connect(on_tree_changed, dispatch_uid="cms-page-moved")
    post_delete.connect(on_tree_changed, sender=Page, dispatch_uid="cms-page-deleted")
    post_save.connect(on_page_saved, dispatch_uid="cms-page-created")
    post_save.connect(on_tree_changed, sender=Site, dispatch_uid="cms-site-saved")
    post_delete.connect(on_tree_changed, sender=Site, dispatch_uid="cms-site-deleted")
    for model in (PageViewRestriction, CollectionViewRestriction):
        name = model._meta.model_name
        post_save.connect(on_tree_changed, sender=model, dispatch_uid=f"cms-{name}-saved")
        post_delete.connect(on_tree_changed, sender=model, dispatch_uid=f"cms-{name}-deleted")
        m2m_changed.connect(on_restriction_groups_changed, sender=model.groups.through,
                            dispatch_uid=f"cms-{name}-groups")
