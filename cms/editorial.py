"""The editorial set-up: the Penulis and Editor groups, their permissions and the moderation
workflow every page goes through.

- **Penulis** (writer) may open the admin, add and edit pages, upload images and documents, ask
  for a translation, and *submit* a page for review. A Penulis cannot publish.
- **Editor** may do all that, and approve, publish, unpublish, lock and unlock pages, manage the
  topics and the help settings.
- The workflow "Tinjauan redaksi" with one task, "Persetujuan Editor" (a group approval task for
  the Editor group), is assigned to the root page, so it covers every page in every language.

Applied by migration ``cms/0004`` and again (idempotently) by ``seed_demo``. It must work with the
historical models of a migration: it uses only ``apps.get_model`` and plain ORM calls.
"""

PENULIS = "Penulis"
EDITOR = "Editor"
WORKFLOW_NAME = "Tinjauan redaksi"
TASK_NAME = "Persetujuan Editor"

WRITER_PAGE_PERMISSIONS = ["add_page", "change_page"]
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
WRITER_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", "add_image"),
    ("wagtailimages", "image", "choose_image"),
    ("wagtaildocs", "document", "add_document"),
    ("wagtaildocs", "document", "choose_document"),
]
EDITOR_COLLECTION_PERMISSIONS = WRITER_COLLECTION_PERMISSIONS + [
    ("wagtailimages", "image", "change_image"),
    ("wagtailimages", "image", "delete_image"),
    ("wagtaildocs", "document", "change_document"),
    ("wagtaildocs", "document", "delete_document"),
]
WRITER_MODEL_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("simple_translation", "simpletranslation", "submit_translation"),
]
EDITOR_MODEL_PERMISSIONS = WRITER_MODEL_PERMISSIONS + [
    ("cms", "topic", "add_topic"),
    ("cms", "topic", "change_topic"),
    ("cms", "topic", "delete_topic"),
    ("cms", "helpsettings", "change_helpsettings"),
]


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": "Can " + codename.replace("_", " ")}
    )
    return permission


def _grant(apps, group, *, model_perms, page_perms, collection_perms, root_page, root_collection):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    group.permissions.add(*[_permission(apps, *spec) for spec in model_perms])
    for codename in page_perms:
        GroupPagePermission.objects.get_or_create(
            group=group, page=root_page, permission=_permission(apps, "wagtailcore", "page", codename)
        )
    if root_collection is not None:
        for spec in collection_perms:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=_permission(apps, *spec)
            )


def setup_editorial(apps):
    """Create or complete the groups and the workflow. Returns the (penulis, editor) groups."""
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    root_page = Page.objects.filter(depth=1).order_by("path").first()
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    penulis, _ = Group.objects.get_or_create(name=PENULIS)
    editor, _ = Group.objects.get_or_create(name=EDITOR)
    if root_page is None:
        return penulis, editor

    _grant(
        apps,
        penulis,
        model_perms=WRITER_MODEL_PERMISSIONS,
        page_perms=WRITER_PAGE_PERMISSIONS,
        collection_perms=WRITER_COLLECTION_PERMISSIONS,
        root_page=root_page,
        root_collection=root_collection,
    )
    _grant(
        apps,
        editor,
        model_perms=EDITOR_MODEL_PERMISSIONS,
        page_perms=EDITOR_PAGE_PERMISSIONS,
        collection_perms=EDITOR_COLLECTION_PERMISSIONS,
        root_page=root_page,
        root_collection=root_collection,
    )

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.set([editor])

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})

    # Wagtail's own starter groups and workflow would sit beside ours and confuse; drop them while
    # nobody uses them.
    for name in ("Editors", "Moderators"):
        Group.objects.filter(name=name, user__isnull=True).delete()
    Workflow.objects.filter(name="Moderators approval", workflow_pages__isnull=True).update(active=False)
    return penulis, editor
