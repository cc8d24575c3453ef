from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Topic


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
