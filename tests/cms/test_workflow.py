"""The editorial workflow, through the real admin: a Penulis submits and cannot publish, an Editor
approves or publishes, and a scheduled page goes live when the django-q2 schedule runs."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule
from django_q.scheduler import scheduler
from wagtail.models import Page

from cms.editorial import EDITOR, PENULIS, TASK_NAME, WORKFLOW_NAME
from cms.models import ArticlePage
from tests.cms.conftest import add_article, article_form
from tests.conftest import sign_in_with_second_factor

pytestmark = pytest.mark.django_db


def add_url(index):
    return reverse("wagtailadmin_pages:add", args=["cms", "articlepage", index.pk])


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def posted_article(response, slug):
    assert response.status_code == 302, getattr(response, "context", {}) and response.context["form"].errors
    return ArticlePage.objects.get(slug=slug)


def test_the_workflow_and_groups_come_from_a_migration(home_page):
    from django.contrib.auth.models import Group
    from wagtail.models import Workflow

    root = Page.objects.get(depth=1)
    workflow = root.get_workflow()
    assert workflow.name == WORKFLOW_NAME and workflow.active
    [task] = [t.specific for t in workflow.tasks]
    assert task.name == TASK_NAME
    assert list(task.groups.values_list("name", flat=True)) == [EDITOR]
    assert Group.objects.filter(name__in=[PENULIS, EDITOR]).count() == 2
    assert not Workflow.objects.filter(name="Moderators approval", active=True).exists()


def test_penulis_submits_for_review_but_cannot_publish(client, article_index, penulis):
    sign_in_with_second_factor(client, penulis)
    response = client.post(add_url(article_index), {**article_form("Hak untuk bermain"), "action-submit": "submit"})
    page = posted_article(response, "hak-untuk-bermain")
    assert not page.live
    assert page.workflow_in_progress
    assert page.current_workflow_task.name == TASK_NAME
    assert not page.permissions_for_user(penulis).can_publish()

    # asking to publish is ignored: the page is saved as a draft, still not live
    client.post(edit_url(page), {**article_form("Hak untuk bermain", body_html="<p>Ubah.</p>"), "action-publish": "1"})
    page.refresh_from_db()
    assert not page.live
    assert client.get(page.url).status_code == 404

    # a new page asked to be published straight away stays a draft too
    response = client.post(add_url(article_index), {**article_form("Langsung terbit"), "action-publish": "1"})
    assert not posted_article(response, "langsung-terbit").live


def test_editor_approves_a_submitted_page_and_it_goes_live(client, article_index, penulis, editor):
    sign_in_with_second_factor(client, penulis)
    page = posted_article(
        client.post(add_url(article_index), {**article_form("Aman di jalan"), "action-submit": "submit"}), "aman-di-jalan"
    )
    task_state = page.current_workflow_task_state
    # the Penulis may not approve their own page
    client.post(reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]))
    page.refresh_from_db()
    assert not page.live

    sign_in_with_second_factor(client, editor)
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]), {"comment": "Bagus."}
    )
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert not page.workflow_in_progress
    client.logout()
    assert client.get("/artikel/aman-di-jalan/").status_code == 200


def test_editor_publishes_and_unpublishes(client, article_index, editor):
    sign_in_with_second_factor(client, editor)
    page = posted_article(
        client.post(add_url(article_index), {**article_form("Hak sehat"), "action-publish": "1"}), "hak-sehat"
    )
    assert page.live
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live


def test_setup_schedules_registers_scheduled_publishing():
    call_command("setup_schedules", stdout=None)
    schedule = Schedule.objects.get(name="cms: publish scheduled pages")
    assert schedule.func == "cms.tasks.publish_scheduled"
    assert schedule.schedule_type == Schedule.MINUTES and schedule.minutes == 1 and schedule.repeats == -1


def test_a_scheduled_page_goes_live_when_the_schedule_runs(client, article_index, editor):
    call_command("setup_schedules", stdout=None)
    go_live = timezone.localtime() + timedelta(hours=2)
    sign_in_with_second_factor(client, editor)
    response = client.post(
        add_url(article_index),
        {**article_form("Besok terbit", go_live_at=go_live.strftime("%Y-%m-%d %H:%M")), "action-publish": "1"},
    )
    page = posted_article(response, "besok-terbit")
    assert not page.live
    assert page.get_latest_revision().approved_go_live_at is not None
    client.logout()

    # the cluster's scheduler runs now: too early, nothing happens
    scheduler()
    page.refresh_from_db()
    assert not page.live

    # three hours later it runs again and the page is live
    later = timezone.now() + timedelta(hours=3)
    Schedule.objects.filter(name="cms: publish scheduled pages").update(next_run=later - timedelta(minutes=1))
    with mock.patch("django.utils.timezone.now", return_value=later):
        scheduler()
    page.refresh_from_db()
    assert page.live
    assert client.get("/artikel/besok-terbit/").status_code == 200


def test_scheduled_expiry_unpublishes(article_index):
    from cms.tasks import publish_scheduled

    page = add_article(article_index, "Sementara")
    ArticlePage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    publish_scheduled()
    page.refresh_from_db()
    assert not page.live and page.expired
