"""The five clusters (klaster) of the Kota Layak Anak (child-friendly city) indicators, the topics
of the articles. Loaded by migration cms/0004 and checked again by seed_demo."""

TOPICS = [
    {
        "number": 1,
        "slug": "hak-sipil-dan-kebebasan",
        "name": "Hak sipil dan kebebasan",
        "name_en": "Civil rights and freedoms",
        "description": "Hak punya nama dan akta kelahiran, hak berpendapat dan didengar, "
        "hak mendapat informasi yang layak.",
        "description_en": "The right to a name and a birth certificate, to speak and be heard, "
        "and to suitable information.",
    },
    {
        "number": 2,
        "slug": "lingkungan-keluarga-dan-pengasuhan",
        "name": "Lingkungan keluarga dan pengasuhan alternatif",
        "name_en": "Family environment and alternative care",
        "description": "Hak diasuh dengan kasih sayang oleh keluarga, atau oleh pengasuh lain yang baik "
        "bila keluarga tidak bisa.",
        "description_en": "The right to be raised with love by a family, or by other good carers when the "
        "family cannot.",
    },
    {
        "number": 3,
        "slug": "kesehatan-dasar-dan-kesejahteraan",
        "name": "Kesehatan dasar dan kesejahteraan",
        "name_en": "Basic health and welfare",
        "description": "Hak sehat: makanan bergizi, air bersih, imunisasi, layanan kesehatan, "
        "dan tempat tanpa asap rokok.",
        "description_en": "The right to health: good food, clean water, immunisation, health care "
        "and smoke-free places.",
    },
    {
        "number": 4,
        "slug": "pendidikan-waktu-luang-dan-budaya",
        "name": "Pendidikan, pemanfaatan waktu luang, dan kegiatan budaya",
        "name_en": "Education, leisure and cultural activities",
        "description": "Hak bersekolah, bermain, beristirahat, dan ikut kegiatan seni dan budaya.",
        "description_en": "The right to go to school, to play, to rest and to take part in arts and culture.",
    },
    {
        "number": 5,
        "slug": "perlindungan-khusus",
        "name": "Perlindungan khusus",
        "name_en": "Special protection",
        "description": "Hak dilindungi dari kekerasan, perundungan, eksploitasi, dan bencana, "
        "termasuk anak penyandang disabilitas.",
        "description_en": "The right to protection from violence, bullying, exploitation and disasters, "
        "including children with disabilities.",
    },
]


def ensure_topics(Topic):
    """Create the clusters that are missing (``Topic`` may be a migration's historical model)."""
    for data in TOPICS:
        Topic.objects.get_or_create(number=data["number"], defaults={k: v for k, v in data.items() if k != "number"})
