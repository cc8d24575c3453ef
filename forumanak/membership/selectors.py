"""Reads that depend on who is asking: staff scope, guardians' children, consent state."""

from django.db.models import Q

from .models import ConsentDecision, ConsentRequest, Forum, Member, StaffAssignment


def staff_forums(user):
    """The forums a staff user is assigned to (their scope is these and every forum below)."""
    if not user.is_authenticated:
        return Forum.objects.none()
    return Forum.objects.filter(staff_assignments__user=user).distinct()


def scope_q(user, *, region_field="forum__region"):
    """A Q that limits rows to the user's forum chain (the forum's region and every region whose
    code starts with it). ``region_field`` is the path to the row's Region ("forum__region";
    a trailing "_id" is accepted). Superusers and national staff see everything."""
    if user.is_superuser:
        return Q()
    field = region_field[:-3] if region_field.endswith("_id") else region_field
    q = Q(pk__in=[])
    for forum in staff_forums(user).only("region_id", "level"):
        if forum.level == Forum.Level.NASIONAL:
            return Q()
        prefix = forum.region_id
        q |= Q(**{f"{field}__code": prefix}) | Q(**{f"{field}__code__startswith": prefix + "."})
    return q


def forums_in_scope(user):
    return Forum.objects.filter(scope_q(user, region_field="region"))


def members_in_scope(user):
    return Member.objects.filter(scope_q(user)).select_related("forum", "kecamatan")


def is_staff_for(user, member, *, role=None):
    qs = StaffAssignment.objects.filter(user=user)
    if role:
        qs = qs.filter(role=role)
    if not user.is_authenticated or not (user.is_superuser or qs.exists()):
        return False
    return members_in_scope(user).filter(pk=member.pk).exists()


def can_view_member(user, member):
    """Invariant 4: the child, their guardians, and staff of their forum chain."""
    if not user.is_authenticated:
        return False
    if member.user_id and member.user_id == user.pk:
        return True
    if member.guardian_links.filter(guardian__user=user).exists():
        return True
    return is_staff_for(user, member)


def held_consents(user):
    """Consent requests of the user's forum chain whose email was held (the guardian's address had
    reached its daily limit), oldest first, for the review queue."""
    return (
        ConsentRequest.objects.filter(held_at__isnull=False, decisions__isnull=True, member__in=members_in_scope(user))
        .select_related("member", "member__forum", "guardian")
        .order_by("guardian__email", "held_at")
    )


def children_of(user):
    if not user.is_authenticated:
        return Member.objects.none()
    return Member.objects.filter(guardian_links__guardian__user=user, erased_at__isnull=True).distinct()


def latest_decision(request):
    return request.decisions.order_by("-decided_at", "-id").first()


def request_state(request, decisions=None):
    """granted / refused / withdrawn / locked / expired / pending, from the latest record."""
    decisions = list(request.decisions.all()) if decisions is None else decisions
    if decisions:
        return max(decisions, key=lambda d: (d.decided_at, d.id)).decision
    if request.locked_at:
        return "locked"
    if request.is_expired:
        return "expired"
    return "pending"


def consent_granted(member, purpose, **details):
    """True if the latest decision on the latest decided request for this purpose is a grant."""
    qs = ConsentDecision.objects.filter(request__member=member, request__purpose=purpose)
    for key, value in details.items():
        qs = qs.filter(**{f"request__details__{key}": value})
    latest = qs.order_by("-decided_at", "-id").first()
    return bool(latest and latest.decision == ConsentDecision.Decision.GRANTED)


def consents_for_member(member):
    return (
        ConsentRequest.objects.filter(member=member)
        .select_related("text", "guardian")
        .prefetch_related("decisions")
        .order_by("-created_at")
    )


def publication_level(member):
    """The photo and name publication level the guardian agreed to ("none" without consent)."""
    decision = (
        ConsentDecision.objects.filter(request__member=member, request__purpose="publication")
        .order_by("-decided_at", "-id")
        .select_related("request")
        .first()
    )
    if decision and decision.decision == ConsentDecision.Decision.GRANTED:
        return decision.request.details.get("level", "none")
    return "none"


def public_board(forum, on=None):
    """Current board positions with display names, only for members whose guardian agreed to
    public name publication. Others are listed as "(nama tidak ditampilkan)"."""
    from django.utils import timezone

    from .models import BoardPosition

    on = on or timezone.localdate()
    positions = list(
        BoardPosition.objects.filter(term__forum=forum, start_date__lte=on, end_date__gte=on, member__status="active")
        .select_related("member")
        .order_by("role", "cluster")
    )
    latest = {}
    for d in (
        ConsentDecision.objects.filter(request__member__in=[p.member_id for p in positions], request__purpose="publication")
        .select_related("request")
        .order_by("-decided_at", "-id")
    ):
        latest.setdefault(d.request.member_id, d)
    rows = []
    for p in positions:
        d = latest.get(p.member_id)
        shown = bool(d and d.decision == "granted" and d.request.details.get("level") == "public")
        rows.append({"role": p.get_role_display(), "cluster": p.get_cluster_display() if p.cluster else "",
                     "name": p.member.display_name if shown else None})
    return rows


def member_data_export(member):
    """Everything stored about the child (and nothing about anyone else), for the child's own
    download. Other apps add their part through an AppConfig ``export_member_data`` hook."""
    from django.apps import apps

    data = {
        "profil": {
            "nomor_anggota": member.member_number,
            "nama_lengkap": member.full_name,
            "nama_panggilan": member.display_name,
            "tanggal_lahir": member.date_of_birth,
            "jenis_kelamin": member.gender,
            "kelurahan": member.kelurahan.name if member.kelurahan_id else None,
            "kecamatan": member.kecamatan.name,
            "sekolah_atau_kelompok": member.school,
            "forum": member.forum.name,
            "status": member.status,
            "mendaftar_pada": member.applied_at,
            "disetujui_pada": member.approved_at,
        },
        "akun": {
            "nama_pengguna": member.user.username if member.user_id else None,
            "email": member.user.email if member.user_id else None,
        },
        "orang_tua_wali": [
            {"hubungan": link.get_relationship_display()} for link in member.guardian_links.all()
        ],
        "persetujuan": [
            {
                "tujuan": c.purpose,
                "rincian": c.details,
                "diminta_pada": c.created_at,
                "teks_versi": c.text.version,
                "keputusan": [
                    {"keputusan": d.decision, "waktu": d.decided_at, "cara": d.method, "hash_teks": d.text_hash}
                    for d in c.decisions.all()
                ],
            }
            for c in consents_for_member(member)
        ],
        "jabatan_pengurus": [
            {"jabatan": p.role, "klaster": p.cluster, "periode": p.term.name, "mulai": p.start_date, "selesai": p.end_date}
            for p in member.positions.select_related("term")
        ],
    }
    for config in apps.get_app_configs():
        hook = getattr(config, "export_member_data", None)
        if hook:
            data.update(hook(member))
    return data
