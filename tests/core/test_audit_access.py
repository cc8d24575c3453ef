import pytest
from django.http import Http404

from forumanak.core.access import get_object_or_deny
from forumanak.core.audit import record
from forumanak.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_record_writes_actor_action_and_object(user):
    entry = record(actor=user, action="member.approve", obj=user, data={"reason": "lengkap"})
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor == user and stored.actor_label == "sari"
    assert stored.action == "member.approve"
    assert stored.object_type == "core.user" and stored.object_id == str(user.pk)
    assert stored.data == {"reason": "lengkap"}


def test_record_by_the_system_has_no_actor():
    entry = record(actor=None, action="member.age_out")
    assert entry.actor is None and entry.actor_label == "sistem"


def test_get_object_or_deny(user):
    from django.contrib.auth import get_user_model

    qs = get_user_model().objects.all()
    assert get_object_or_deny(qs, allowed=lambda u: True, pk=user.pk) == user
    with pytest.raises(Http404):
        get_object_or_deny(qs, allowed=lambda u: False, pk=user.pk)
    with pytest.raises(Http404):
        get_object_or_deny(qs, allowed=lambda u: True, pk=user.pk + 999)


def test_an_audit_entry_is_not_indexed_by_wagtail(user, django_capture_on_commit_callbacks):
    """Wagtail's reference index (the admin's "usage") would cost two queries and a task inside
    every audited write; audit entries stay out of it."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    assert not ReferenceIndex.model_is_indexable(AuditEntry)
    with django_capture_on_commit_callbacks(execute=True):
        record(actor=user, action="test.indexed", obj=user)
    assert AuditEntry.objects.filter(action="test.indexed").exists()
    assert not ReferenceIndex.objects.filter(content_type=ContentType.objects.get_for_model(AuditEntry)).exists()
