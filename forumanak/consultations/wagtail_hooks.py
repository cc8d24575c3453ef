"""The consultations in the Wagtail admin: consultations with their questions, moderation of
open answers, the safeguarding queue and the government's answers. Every view of every viewset
is limited to the staff member's forum chain (``ScopedModelViewSet`` with the selectors'
``*_for_staff``), and every save goes through the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from forumanak.core import converters
from forumanak.core.viewsets import ScopedModelViewSet

from . import admin_views, selectors, services
from .forms import ConsultationAdminForm, FlagResolveForm, GovernmentResponseForm, ModerationForm
from .models import Answer, Consultation, GovernmentResponse, SafeguardingFlag


class NoAddDeletePolicy(ModelPermissionPolicy):
    """Rows that staff change but never create or delete by hand."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)


register_permission_policy(Answer, NoAddDeletePolicy(Answer))
register_permission_policy(SafeguardingFlag, NoAddDeletePolicy(SafeguardingFlag))


def _form_error(view, exc):
    for message in exc.messages:
        view.form.add_error(None, message)


class ServiceSaveMixin:
    """Save through a service; a ValidationError from it shows on the form."""

    def save_via_service(self):
        raise NotImplementedError

    def save_instance(self):
        return self.save_via_service()

    def form_valid(self, form):
        self.form = form
        try:
            self.object = self.save_instance()
        except ValidationError as exc:
            _form_error(self, exc)
            return self.form_invalid(form)
        return self.save_action()


# ---- consultations -------------------------------------------------------------------------

QUESTION_PANELS = [
    FieldRowPanel([FieldPanel("kind"), FieldPanel("required")]),
    FieldPanel("prompt"),
    FieldPanel("help_text"),
    FieldPanel("choices_text"),
    FieldRowPanel([FieldPanel("max_choices"), FieldPanel("top_k"), FieldPanel("max_length")]),
]

# Question has no `panels`: InlinePanel takes them from the model.
from .models import Question  # noqa: E402

Question.panels = QUESTION_PANELS

COMMON_PANELS = [
    FieldPanel("title"),
    FieldPanel("slug"),
    FieldPanel("summary"),
    FieldPanel("background"),
    FieldPanel("cluster"),
    MultiFieldPanel([FieldPanel("forum"), FieldPanel("scope_forums", widget=forms.CheckboxSelectMultiple)],
                    heading=_("Siapa yang boleh ikut")),
    FieldRowPanel([FieldPanel("min_age"), FieldPanel("max_age")], heading=_("Umur pada hari memberi suara")),
    FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("Jadwal")),
    FieldPanel("results_policy"),
]


class LockedQuestionsPanel(HelpPanel):
    """The questions, read-only: someone has already voted."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            questions = self.instance.questions.all() if self.instance.pk else []
            self.content = format_html(
                "<p><strong>{}</strong></p><ol>{}</ol>",
                _("Sudah ada yang memberi suara, jadi pertanyaan tidak bisa diubah lagi."),
                format_html_join("", "<li>{} ({})</li>", ((q.prompt, q.get_kind_display()) for q in questions)),
            )


EDIT_HANDLER = ObjectList([*COMMON_PANELS, InlinePanel("questions", label=_("Pertanyaan"))],
                          base_form_class=ConsultationAdminForm)
LOCKED_EDIT_HANDLER = ObjectList([*COMMON_PANELS, LockedQuestionsPanel(heading=_("Pertanyaan"))],
                                 base_form_class=ConsultationAdminForm)


class ConsultationIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        from wagtail.admin.ui.menus import MenuItem

        buttons.append(MenuItem(_("Pratinjau / halaman"), url=reverse("consultations:detail", args=[instance.slug]),
                                icon_name="view", priority=15))
        if instance.status == Consultation.Status.CLOSED:
            buttons.append(MenuItem(_("Hasil"), url=reverse("consultations:results", args=[instance.slug]),
                                    icon_name="list-ul", priority=16))
        return buttons


class ConsultationCreateView(ServiceSaveMixin, generic.CreateView):
    def save_via_service(self):
        return services.save_consultation(form=self.form, actor=self.request.user)


class ConsultationEditView(ServiceSaveMixin, generic.EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        pk = kwargs.get("pk")
        if pk and services.has_votes(Consultation(pk=pk)):
            self.panel = LOCKED_EDIT_HANDLER.bind_to_model(Consultation)
            self.form_class = self.panel.get_form_class()

    def save_via_service(self):
        return services.save_consultation(form=self.form, actor=self.request.user)

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        c = self.object
        buttons.append(Button(_("Pratinjau / halaman"), url=reverse("consultations:detail", args=[c.slug]),
                              icon_name="view", priority=40))
        if c.status == Consultation.Status.DRAFT:
            buttons.append(Button(_("Terbitkan"), url=reverse("consultations_admin_publish", args=[c.pk]),
                                  icon_name="upload", priority=41))
        if c.status == Consultation.Status.CLOSED and self.request.user.has_perm("consultations.export_consultation"):
            for kind, label in (("hasil", _("Unduh hasil")), ("surat-suara", _("Unduh surat suara anonim"))):
                for fmt in ("xlsx", "csv"):
                    buttons.append(Button(f"{label} ({fmt.upper()})",
                                          url=reverse("consultations_admin_download", args=[c.pk, kind, fmt]),
                                          icon_name="download", priority=50))
        return buttons


class ConsultationDeleteView(generic.DeleteView):
    def delete_action(self):
        services.delete_consultation(consultation=self.object, actor=self.request.user)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            from django.contrib import messages
            from django.shortcuts import redirect

            messages.error(self.request, " ".join(exc.messages))
            return redirect(self.index_url_name)


class StatusColumn(Column):
    def get_value(self, instance):
        return instance.get_status_display()


class ConsultationViewSet(ScopedModelViewSet):
    model = Consultation
    icon = "form"
    menu_label = _("Konsultasi")
    name = "consultations_consultation"
    url_prefix = "konsultasi"
    index_view_class = ConsultationIndexView
    add_view_class = ConsultationCreateView
    edit_view_class = ConsultationEditView
    delete_view_class = ConsultationDeleteView
    copy_view_enabled = False
    list_display = ["title", StatusColumn("status", label=_("status")), "opens_at", "closes_at", "forum"]
    list_filter = ["status", "cluster"]
    search_fields = ["title"]
    edit_handler = EDIT_HANDLER

    def get_scope_queryset(self, request):
        return selectors.consultations_for_staff(request.user)


@hooks.register("register_admin_urls")
def register_urls():
    # stable names for the extra actions, used by templates and tests
    return [
        path("konsultasi-aksi/<int:pk>/terbitkan/", admin_views.publish, name="consultations_admin_publish"),
        path(f"konsultasi-aksi/<int:pk>/unduh/<str:kind>.<{converters.EXPORT_FORMAT}:fmt>", admin_views.download,
             name="consultations_admin_download"),
    ]


# ---- moderation of open answers -------------------------------------------------------------


class AnswerTextColumn(Column):
    def get_value(self, instance):
        return (instance.text[:120] + "…") if len(instance.text) > 120 else instance.text


class ModerationIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("question__consultation")


class ModerationEditView(ServiceSaveMixin, generic.EditView):
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["answer_text"] = forms.CharField(label=_("Jawaban anak"), widget=forms.Textarea(attrs={"rows": 5}),
                                                     disabled=True, required=False, initial=self.object.text)
        form.order_fields(["answer_text"])
        return form

    def save_via_service(self):
        data = self.form.cleaned_data
        answer = services.moderate_answer(answer=self.object, actor=self.request.user, moderation=data["moderation"],
                                          featured=data["featured"], quote=data["quote"])
        if data.get("flag_reason"):
            services.flag_answer(answer=answer, actor=self.request.user, reason=data["flag_reason"])
        return answer


class ModerationViewSet(ScopedModelViewSet):
    model = Answer
    icon = "openquote"
    menu_label = _("Moderasi jawaban bebas")
    name = "consultations_moderation"
    url_prefix = "konsultasi-jawaban"
    index_view_class = ModerationIndexView
    edit_view_class = ModerationEditView
    copy_view_enabled = False
    list_display = [AnswerTextColumn("text", label=_("jawaban")), "question", "moderation", "featured"]
    list_filter = ["moderation", "featured"]

    def get_scope_queryset(self, request):
        return selectors.text_answers_for_staff(request.user)

    def get_edit_handler(self):
        return ObjectList([FieldPanel("moderation"), FieldPanel("featured"), FieldPanel("quote"),
                           FieldPanel("flag_reason")], base_form_class=ModerationForm).bind_to_model(Answer)


# ---- safeguarding queue -------------------------------------------------------------------------


class FlagIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("consultation", "forum")


class FlagEditView(ServiceSaveMixin, generic.EditView):
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["answer_text"] = forms.CharField(label=_("Jawaban anak"), widget=forms.Textarea(attrs={"rows": 5}),
                                                     disabled=True, required=False, initial=self.object.answer.text)
        form.fields["reason_shown"] = forms.CharField(label=_("Alasan ditandai"), widget=forms.Textarea(attrs={"rows": 3}),
                                                      disabled=True, required=False, initial=self.object.reason)
        form.order_fields(["answer_text", "reason_shown"])
        return form

    def save_via_service(self):
        return services.resolve_flag(flag=self.object, actor=self.request.user, note=self.form.cleaned_data["handling_note"])


class FlagViewSet(ScopedModelViewSet):
    model = SafeguardingFlag
    icon = "warning"
    menu_label = _("Antrean perlindungan anak")
    name = "consultations_flags"
    url_prefix = "konsultasi-perlindungan"
    index_view_class = FlagIndexView
    edit_view_class = FlagEditView
    copy_view_enabled = False
    list_display = ["consultation", "forum", "status", "raised_at"]
    list_filter = ["status"]

    def get_scope_queryset(self, request):
        return selectors.flags_for_staff(request.user)

    def get_edit_handler(self):
        return ObjectList([FieldPanel("handling_note")], base_form_class=FlagResolveForm).bind_to_model(SafeguardingFlag)


# ---- the government's answer -----------------------------------------------------------------------


class ResponseIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("consultation")


class ResponseCreateView(ServiceSaveMixin, generic.CreateView):
    def save_via_service(self):
        return services.save_response(form=self.form, actor=self.request.user)


class ResponseEditView(ServiceSaveMixin, generic.EditView):
    def save_via_service(self):
        return services.save_response(form=self.form, actor=self.request.user)


class ResponseDeleteView(generic.DeleteView):
    def delete_action(self):
        services.delete_response(response=self.object, actor=self.request.user)


class ResponseViewSet(ScopedModelViewSet):
    model = GovernmentResponse
    icon = "comment"
    menu_label = _("Tanggapan pemerintah")
    name = "consultations_responses"
    url_prefix = "konsultasi-tanggapan"
    index_view_class = ResponseIndexView
    add_view_class = ResponseCreateView
    edit_view_class = ResponseEditView
    delete_view_class = ResponseDeleteView
    copy_view_enabled = False
    list_display = ["recommendation", "consultation", "status", "agency"]
    list_filter = ["status"]

    def get_scope_queryset(self, request):
        return selectors.responses_for_staff(request.user)

    def get_edit_handler(self):
        return ObjectList([FieldPanel("consultation"), FieldPanel("recommendation"), FieldPanel("action"),
                           FieldPanel("agency"), FieldPanel("status"), FieldPanel("sort_order")],
                          base_form_class=GovernmentResponseForm).bind_to_model(GovernmentResponse)


class ConsultationsGroup(ModelViewSetGroup):
    menu_label = _("Konsultasi")
    menu_icon = "form"
    menu_order = 160
    items = (ConsultationViewSet, ModerationViewSet, FlagViewSet, ResponseViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return ConsultationsGroup()
