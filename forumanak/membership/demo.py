"""Demo: Forum Anak Kota Balikpapan with its 6 kecamatan and 34 kelurahan forums, staff of each
kind, a guardian, and members in every state (through the real services)."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from forumanak.core.demo import DEMO_PASSWORD, ensure_user
from forumanak.regions.models import Region

from . import services
from .models import BoardPosition, BoardTerm, ConsentDecision, Forum, Member, Purpose, StaffAssignment


def ensure_staff_groups():
    from forumanak.core.management.commands.setup_roles import ensure_roles

    ensure_roles()
    return {name: Group.objects.get(name=name) for name in ("Pembina", "Fasilitator")}


def ensure_forums(city_code):
    city = Region.objects.get(code=city_code)
    sk_date = date(timezone.localdate().year - 1, 7, 23)

    def forum_for(region, level, parent):
        forum, _ = Forum.objects.get_or_create(
            region=region,
            defaults={
                "name": f"Forum Anak {region.name}" if level != Forum.Level.KABKOTA else f"Forum Anak {region.name}",
                "slug": slugify(f"{region.name}-{region.code}"),
                "level": level,
                "parent": parent,
                "sk_number": f"188.45/{region.code.replace('.', '')}/DP3AKB/{sk_date.year}",
                "sk_date": sk_date,
                "sk_issuer": "Wali Kota Balikpapan" if level == Forum.Level.KABKOTA else f"Camat {region.name}" if level == Forum.Level.KECAMATAN else f"Lurah {region.name}",
                "sk_valid_until": sk_date.replace(year=sk_date.year + 2),
            },
        )
        return forum

    city_forum = forum_for(city, Forum.Level.KABKOTA, None)
    for kec in Region.objects.filter(parent=city, level=Region.Level.KECAMATAN).order_by("code"):
        kec_forum = forum_for(kec, Forum.Level.KECAMATAN, city_forum)
        for kel in Region.objects.filter(parent=kec).order_by("code"):
            forum_for(kel, Forum.Level.DESA, kec_forum)
    return city_forum


def demo_application(name, display, dob, gender, kelurahan, guardian_email, guardian_name="Ibu Ratna"):
    return services.Application(
        full_name=name, display_name=display, date_of_birth=dob, gender=gender, kelurahan=kelurahan,
        school="SMP Negeri 1 Balikpapan", guardian_name=guardian_name, guardian_relationship="ibu",
        guardian_email=guardian_email, guardian_phone="0812-0000-0000", guardian_language="id",
    )


def seed(*, stdout):
    city_code = settings.FORUM_CITY_CODE
    if not Region.objects.filter(code=city_code).exists():
        stdout.write("Membership demo skipped: run `manage.py load_regions` first.")
        return []
    groups = ensure_staff_groups()
    city_forum = ensure_forums(city_code)
    kec_forum = Forum.objects.filter(parent=city_forum).order_by("region_id").first()
    kel_forum = Forum.objects.filter(parent=kec_forum).order_by("region_id").first()
    other_kel_forum = Forum.objects.filter(parent=kec_forum).order_by("region_id")[1]

    staff = [
        ("pembina", "pembina@forumanak.local", "Pembina", city_forum, StaffAssignment.Role.PEMBINA, "Dewi", "Pembina"),
        ("fasilitator-kec", "fasilitator.kecamatan@forumanak.local", "Fasilitator", kec_forum,
         StaffAssignment.Role.FASILITATOR, "Rahmat", "Fasilitator"),
        ("fasilitator-kel", "fasilitator.kelurahan@forumanak.local", "Fasilitator", kel_forum,
         StaffAssignment.Role.FASILITATOR, "Maya", "Fasilitator"),
    ]
    for username, email, group, forum, role, first, last in staff:
        user = ensure_user(username=username, email=email, first_name=first, last_name=last, is_staff=True)
        user.groups.add(groups[group])
        StaffAssignment.objects.get_or_create(user=user, forum=forum, role=role)

    if not Member.objects.exists():
        _seed_members(kel_forum, other_kel_forum)
    return [
        {"role": "pembina (city)", "login": "pembina@forumanak.local", "password": DEMO_PASSWORD,
         "note": "sets up TOTP on first visit to /admin/"},
        {"role": "fasilitator (kecamatan)", "login": "fasilitator.kecamatan@forumanak.local", "password": DEMO_PASSWORD, "note": kec_forum.name},
        {"role": "fasilitator (kelurahan)", "login": "fasilitator.kelurahan@forumanak.local", "password": DEMO_PASSWORD, "note": kel_forum.name},
        {"role": "child member (active)", "login": "anak-aktif", "password": DEMO_PASSWORD, "note": "no email; username login"},
        {"role": "guardian", "login": "wali@forumanak.local", "password": "(login by emailed code)",
         "note": "codes are written to var/mail/"},
    ]


def _seed_members(kel_forum, other_kel_forum):
    today = timezone.localdate()
    kel = kel_forum.region
    other = other_kel_forum.region
    guardian_email = "wali@forumanak.local"
    people = [
        # username, name, display, age, gender, kelurahan, final state
        ("anak-aktif", "Putri Ayu Lestari", "Putri", 14, "P", kel, "active"),
        ("anak-ketua", "Bima Saputra", "Bima", 16, "L", kel, "active"),
        ("anak-menunggu-wali", "Citra Dewi", "Citra", 12, "P", kel, "awaiting_consent"),
        ("anak-tinjau", "Dimas Pratama", "Dimas", 13, "L", kel, "pending_review"),
        ("anak-ditangguhkan", "Eka Wulandari", "Eka", 15, "P", other, "suspended"),
        ("anak-ditolak", "Fajar Nugroho", "Fajar", 11, "L", other, "rejected"),
        ("anak-mundur", "Gita Permata", "Gita", 15, "P", other, "withdrawn"),
        ("anak-alumni", "Hadi Santoso", "Hadi", 17, "L", other, "alumni"),
    ]
    pembina = StaffAssignment.objects.filter(role="pembina").first().user
    for username, name, display, age, gender, kelurahan, state in people:
        dob = today.replace(year=today.year - age) - timedelta(days=40)
        user = services.create_child_account(username=username, email="", password=DEMO_PASSWORD, language="id")
        member, request, token = services.submit_application(
            application=demo_application(name, display, dob, gender, kelurahan, guardian_email),
            user=user, actor=user,
        )
        if state == "awaiting_consent":
            continue
        services.decide_by_link(
            token=token, purpose=Purpose.MEMBERSHIP, decision=ConsentDecision.Decision.GRANTED,
            date_of_birth=dob, guardian_name="Ratna Sari", ip_address="127.0.0.1", user_agent="seed_demo",
        )
        member.refresh_from_db()
        if state == "pending_review":
            continue
        if state == "rejected":
            services.reject_member(member=member, actor=pembina, reason="Sudah terdaftar di forum lain (contoh).")
            continue
        services.approve_member(member=member, actor=pembina)
        if state == "suspended":
            services.suspend_member(member=member, actor=pembina, reason="Contoh penangguhan.")
        elif state == "withdrawn":
            services.withdraw_consent(request=request, actor=None)
        elif state == "alumni":
            Member.objects.filter(pk=member.pk).update(date_of_birth=today.replace(year=today.year - 18))
            services.age_out_members(today=today)
        if username == "anak-ketua":
            term, _ = BoardTerm.objects.get_or_create(
                forum=kel_forum, name=f"{today.year}–{today.year + 1}",
                defaults={"start_date": today.replace(month=1, day=1), "end_date": today.replace(year=today.year + 1, month=12, day=31)},
            )
            BoardPosition.objects.get_or_create(term=term, member=member, role="ketua",
                                                defaults={"start_date": term.start_date, "end_date": term.end_date})
            pub, pub_token = services.request_consent(member=member, guardian=request.guardian,
                                                      purpose=Purpose.PUBLICATION, actor=user, details={"level": "public"})
            services.decide_by_link(token=pub_token, purpose=Purpose.PUBLICATION, decision="granted",
                                    date_of_birth=dob, guardian_name="Ratna Sari", ip_address="127.0.0.1",
                                    user_agent="seed_demo")
