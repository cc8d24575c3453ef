"""The one helper that writes an audit entry. Call it inside the transaction of the action."""

from .models import AuditEntry


def record(*, actor, action, obj=None, data=None, object_label=None):
    """Write an audit entry for ``action`` by ``actor`` on ``obj``.

    ``actor`` may be None for the system (a scheduled task). ``data`` must not hold a child's
    personal data beyond what the entry needs to be understood.
    """
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    label = ""
    if actor_user is not None:
        label = actor_user.get_username()
    elif actor is None:
        label = "sistem"
    object_type = object_id = ""
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
    return AuditEntry.objects.create(
        actor=actor_user,
        actor_label=label[:200],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=(object_label if object_label is not None else str(obj) if obj is not None else "")[:200],
        data=data or {},
    )
