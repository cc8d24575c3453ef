"""The first version of each consent text, in Indonesian and English. Later versions are added
in the admin (a shown text never changes; a new version is published instead)."""

import hashlib

from django.db import migrations

TEXTS = {
    ("membership", "id"): (
        "Persetujuan data keanggotaan Forum Anak",
        "Anak Anda ingin menjadi anggota Forum Anak. Untuk itu kami menyimpan sedikit data tentang anak Anda. "
        "Kami perlu persetujuan Anda.",
        "Data yang kami simpan: nama lengkap, nama panggilan, tanggal lahir, jenis kelamin, kelurahan, dan sekolah "
        "atau kelompok anak. Kami tidak meminta NIK, alamat rumah, atau lokasi.\n\n"
        "Untuk apa: mengelola keanggotaan Forum Anak, mengundang anak ke kegiatan, dan memastikan hanya anggota yang "
        "ikut konsultasi anak. Tanggal lahir dipakai untuk menghitung kelompok umur dan tidak pernah ditampilkan "
        "kepada orang lain.\n\n"
        "Siapa yang bisa melihat: anak Anda, Anda sebagai orang tua/wali, dan fasilitator serta pembina Forum Anak "
        "yang bertugas di wilayah anak Anda. Data tidak dijual dan tidak dibagikan kepada pihak lain.\n\n"
        "Jawaban anak dalam konsultasi bersifat rahasia: kami hanya menyimpan kelompok umur, jenis kelamin, dan "
        "kecamatan, tanpa nama.\n\n"
        "Hak Anda: Anda boleh melihat data anak, meminta salinannya, dan menarik persetujuan kapan saja di portal "
        "wali. Jika persetujuan ditarik, keanggotaan berakhir dan data pribadi anak dihapus paling lambat 3×24 jam. "
        "Yang tersisa hanya angka statistik tanpa nama.\n\n"
        "Dasar hukum: UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi, Pasal 25.",
    ),
    ("membership", "en"): (
        "Consent for Forum Anak membership data",
        "Your child wants to join the Forum Anak (children's forum). To do this we keep a little data about your "
        "child. We need your consent.",
        "The data we keep: your child's full name, nickname, date of birth, gender, kelurahan (urban village), and "
        "school or group. We do not ask for an ID number (NIK), a home address, or a location.\n\n"
        "What for: to manage the forum membership, to invite your child to events, and to make sure that only members "
        "take part in children's consultations. The date of birth is used to work out the age group and is never "
        "shown to anyone else.\n\n"
        "Who can see it: your child, you as parent/guardian, and the Forum Anak facilitators and supervising officers "
        "responsible for your child's area. The data is not sold and not shared with anyone else.\n\n"
        "Your child's answers in consultations are secret: we keep only the age group, gender and district, without "
        "a name.\n\n"
        "Your rights: you may see your child's data, ask for a copy, and withdraw consent at any time in the guardian "
        "portal. If you withdraw, the membership ends and your child's personal data is erased within 3×24 hours. "
        "Only anonymous statistics remain.\n\n"
        "Legal basis: Law No. 27 of 2022 on Personal Data Protection, Article 25.",
    ),
    ("publication", "id"): (
        "Persetujuan publikasi foto dan nama",
        "Forum Anak kadang memotret kegiatan dan menulis nama pengurus. Anda memilih apakah foto dan nama panggilan "
        "anak boleh dipakai.",
        "Pilihan Anda berlaku sampai Anda mengubahnya di portal wali.\n\n"
        "Tidak boleh: foto dan nama anak tidak dipakai sama sekali.\n"
        "Internal: foto dan nama panggilan hanya dipakai di dalam forum (laporan untuk pembina), tidak untuk umum.\n"
        "Publik: foto dan nama panggilan boleh tampil di situs dan media Forum Anak. Nama lengkap, sekolah, dan "
        "alamat tidak pernah dipublikasikan.\n\n"
        "Anda boleh menarik persetujuan kapan saja; foto yang sudah tayang akan kami turunkan.",
    ),
    ("publication", "en"): (
        "Consent to publish photos and name",
        "Forum Anak sometimes takes photos of activities and lists its board members. You choose whether your "
        "child's photos and nickname may be used.",
        "Your choice holds until you change it in the guardian portal.\n\n"
        "Not allowed: your child's photos and name are not used at all.\n"
        "Internal: photos and nickname are used only inside the forum (reports to supervising officers), not in "
        "public.\n"
        "Public: photos and nickname may appear on the Forum Anak website and media. The full name, school and "
        "address are never published.\n\n"
        "You may withdraw consent at any time; photos already published will be taken down.",
    ),
    ("event", "id"): (
        "Persetujuan ikut kegiatan",
        "Anak Anda mendaftar sebuah kegiatan Forum Anak. Kursinya kami simpan sampai Anda menjawab.",
        "Dengan menyetujui, Anda mengizinkan anak ikut kegiatan ini sesuai jadwal dan tempat yang tertulis. "
        "Panitia mencatat kehadiran anak. Jawaban pendaftaran (misalnya kebutuhan aksesibilitas atau makanan) hanya "
        "dipakai untuk kegiatan ini dan dihapus otomatis setelah masa simpannya.\n\n"
        "Pilihan foto untuk kegiatan ini tertulis di atas. Anda boleh menarik persetujuan sebelum kegiatan; "
        "pendaftaran anak akan dibatalkan dan kursinya diberikan kepada anak lain.",
    ),
    ("event", "en"): (
        "Consent to take part in an event",
        "Your child has registered for a Forum Anak event. We hold the seat until you answer.",
        "By agreeing, you allow your child to take part in this event at the time and place shown. The organisers "
        "record your child's attendance. Registration answers (for example accessibility or dietary needs) are used "
        "only for this event and are deleted automatically after their retention period.\n\n"
        "The photo choice for this event is shown above. You may withdraw consent before the event; the registration "
        "will be cancelled and the seat given to another child.",
    ),
}


def create_texts(apps, schema_editor):
    ConsentText = apps.get_model("membership", "ConsentText")
    for (purpose, language), (title, summary, body) in TEXTS.items():
        if ConsentText.objects.filter(purpose=purpose, language=language).exists():
            continue
        ConsentText.objects.create(
            purpose=purpose, language=language, version=1, title=title, summary=summary, body=body,
            text_hash=hashlib.sha256("\n\n".join([title, summary, body]).encode("utf-8")).hexdigest(),
        )


class Migration(migrations.Migration):
    dependencies = [("membership", "0002_consent_decisions_append_only")]
    operations = [migrations.RunPython(create_texts, migrations.RunPython.noop)]
