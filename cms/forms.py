from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AgeGroup, Topic
from .selectors import SEARCH_MAX_LENGTH


class SearchForm(forms.Form):
    """``/cari/?q=…&halaman=…``. A query with a NUL character is no query; a long one is cut to
    SEARCH_MAX_LENGTH characters (as the search box's maxlength does)."""

    q = forms.CharField(required=False)
    halaman = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def clean_q(self):
        return self.cleaned_data["q"][:SEARCH_MAX_LENGTH].strip()


class ArticleFilterForm(forms.Form):
    """The listing's filters: a plain GET form, works without JavaScript."""

    topik = forms.ChoiceField(label=_("Topik"), required=False)
    usia = forms.ChoiceField(label=_("Untuk usia"), required=False)
    tag = forms.SlugField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, topic=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic = topic
        self.topic_by_slug = {t.slug: t for t in Topic.objects.all()}
        self.fields["topik"].choices = [("", _("Semua topik"))] + [(s, t.label) for s, t in self.topic_by_slug.items()]
        self.fields["usia"].choices = [("", _("Semua usia"))] + list(AgeGroup.choices)
        if topic is not None:
            # on a topic's own page the topic is fixed by the address
            del self.fields["topik"]

    def cleaned_filters(self):
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        filters = {"age_group": data.get("usia") or None, "tag": data.get("tag") or None}
        if data.get("topik"):
            filters["topic"] = self.topic_by_slug[data["topik"]]
        return filters

