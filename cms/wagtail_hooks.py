from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.documents.rich_text import DocumentLinkHandler
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import privacy
from .models import CmsPage, Topic


@hooks.register("before_serve_page")
def apply_view_restrictions_across_translations(page, request, serve_args, serve_kwargs):
    """A page is served under every view restriction of its own tree and of its translations'
    (cms/privacy.py), read from the database on every request. Wagtail's own check (its
    ``on_serve_page`` hook, which runs next) asks the page for its restrictions: they are handed
    to it here, so that it refuses (password form, login) exactly as for its own, in one query.
    A page of another type (not a CmsPage) is refused here, the same way."""
    restrictions = list(privacy.view_restrictions(page))
    if isinstance(page, CmsPage):
        page.serving_view_restrictions = restrictions
        return None
    return privacy.refusal(page, request, restrictions)  # another page type: refused here, the same way


class PublicDocumentLinkHandler(DocumentLinkHandler):
    """Rich-text links to documents: a document in a restricted collection keeps its link text but
    gets no address (cms/privacy.py)."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        documents = cls.get_many(attrs_list)
        hidden = privacy.restricted_document_ids([doc.pk for doc in documents if doc])
        return [f'<a href="{escape(doc.url)}">' if doc and doc.pk not in hidden else "<a>" for doc in documents]


@hooks.register("register_rich_text_features", order=100)  # after wagtail.documents' own
def register_public_document_links(features):
    features.register_link_type(PublicDocumentLinkHandler)


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topik KLA")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["number", "name", "name_en", "slug"]
    ordering = ["number"]
    search_fields = ["name", "name_en"]


register_snippet(TopicViewSet)
