"""Words for the codes in the report (the dashboard and the workbook use the same ones)."""

from django.utils.translation import gettext_lazy as _

from forumanak.membership.models import Forum, Member

STATUS_LABELS = {
    "active": _("aktif"),
    "applied": _("mendaftar (dalam proses)"),
    "alumni": _("alumni"),
    "withdrawn": _("mengundurkan diri"),
}
AGE_LABELS = {
    "10-12": _("12 tahun ke bawah"),
    "13-15": _("13–15 tahun"),
    "16-17": _("16–17 tahun"),
    "18+": _("18 tahun ke atas"),
    "unknown": _("tidak diketahui (data sudah dihapus)"),
}
LEVEL_LABELS = {
    "kecamatan": _("kecamatan"),
    "kelurahan": _("kelurahan/desa"),
}
COVERAGE_REASONS = {
    "no_forum": _("belum ada Forum Anak"),
    "no_sk": _("belum ada SK"),
    "sk_expired": _("SK sudah tidak berlaku"),
    "no_term": _("belum ada periode kepengurusan"),
    "term_ended": _("periode kepengurusan sudah berakhir"),
}
WARNING_KINDS = {
    "sk": _("SK berakhir"),
    "term": _("periode kepengurusan berakhir"),
}
CONSENT_REASONS = {
    "none": (
        _("belum ada keputusan persetujuan wali"),
        _("Kirim ulang permintaan persetujuan kepada wali, atau catat formulir persetujuan kertas."),
    ),
    "refused": (
        _("wali tidak setuju"),
        _("Tangguhkan keanggotaan dan hubungi wali. Anak tidak boleh aktif tanpa persetujuan."),
    ),
    "withdrawn": (
        _("wali menarik persetujuan"),
        _("Keanggotaan harus berakhir dan datanya dihapus. Periksa tugas penghapusan data."),
    ),
}
GENDER_LABELS = dict(Member.Gender.choices)
FORUM_LEVEL_LABELS = dict(Forum.Level.choices)


def describe(report):
    """Add labels to the report's rows (in place) and return it."""
    coverage = report["coverage"]
    for level in coverage["levels"]:
        level["label"] = LEVEL_LABELS[level["key"]]
        level["share"] = level["covered"] / level["total"] if level["total"] else None
    for row in coverage["uncovered"]:
        row["level_label"] = LEVEL_LABELS["kecamatan" if row["level"] == 2 else "kelurahan"]
        row["reason_labels"] = [COVERAGE_REASONS[r] for r in row["reasons"]]
    for warning in coverage["warnings"]:
        warning["label"] = WARNING_KINDS[warning["kind"]]
    members = report["members"]
    for row in members["by_level"]:
        row["label"] = FORUM_LEVEL_LABELS.get(row["forum__level"], row["forum__level"])
    for row in members["by_kecamatan"]:
        row["label"] = row["kecamatan__name"]
    for row in members["by_gender"]:
        row["label"] = GENDER_LABELS.get(row["gender"], row["gender"])
    for row in members["by_age"]:
        row["label"] = AGE_LABELS[row["band"]]
    for row in report["consent"]["exceptions"]:
        row["reason_label"], row["action"] = CONSENT_REASONS.get(row["reason"], CONSENT_REASONS["none"])
    report["consent"]["reasons"] = [
        {"reason": key, "label": label, "action": action, "n": report["consent"]["by_reason"].get(key, 0)}
        for key, (label, action) in CONSENT_REASONS.items()
    ]
    return report
