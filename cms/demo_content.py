"""The demo content: original articles for children (and one for parents) about their rights,
the about page and the privacy page, in Indonesian, some also in English.

Bodies are lists of ``(block type, value)``; images and documents are named and looked up by
``cms/demo.py``. Written for readers of 10–17: short sentences, one idea each.
"""


def H(text, level="h2"):
    return ("heading", {"text": text, "level": level})


def P(html):
    return ("paragraph", html)


def IMG(name, caption="", alt=""):
    return ("image", {"image": name, "caption": caption, "alt_text": alt})


def Q(text, source=""):
    return ("quote", {"text": text, "source": source})


def DYK(html, title=""):
    return ("did_you_know", {"title": title, "text": html})


def VID(url, title, duration="", thumbnail=None):
    return ("video", {"url": url, "title": title, "duration": duration, "thumbnail": thumbnail})


def DOC(name, label=""):
    return ("document", {"document": name, "label": label})


def TABLE(caption, header, rows):
    return (
        "table",
        {
            "data": [header, *rows],
            "table_caption": caption,
            "table_header_choice": "row",
            "first_row_is_table_header": True,
            "first_col_is_header": False,
        },
    )


HOME = {
    "id": {
        "intro": "Tempat anak-anak Balikpapan bersuara, belajar hak anak, dan ikut kegiatan.",
        "body": "<p>Forum Anak adalah wadah untuk anak usia 10 sampai 17 tahun. Di sini kamu bisa membaca "
        "tentang hak-hakmu, menyampaikan pendapat lewat konsultasi, dan ikut kegiatan bersama teman-teman.</p>",
        "hero_link_label": "Baca artikel",
        "consultations_intro": "Pendapatmu disampaikan kepada Pemerintah Kota Balikpapan.",
        "events_intro": "Pelatihan, lomba, dan pertemuan Forum Anak di kotamu.",
    },
    "en": {
        "title": "Children's Forum of Balikpapan",
        "intro": "A place for Balikpapan's children to speak up, learn about their rights and join activities.",
        "body": "<p>The Children's Forum (Forum Anak) is for children aged 10 to 17. Here you can read about "
        "your rights, give your opinion in consultations and join activities with friends.</p>",
        "hero_link_label": "Read articles",
        "consultations_intro": "Your opinions go to the City Government of Balikpapan.",
        "events_intro": "Training, competitions and Forum Anak meetings in your city.",
    },
}

INDEX = {
    "id": {"title": "Artikel", "intro": "Bacaan singkat tentang hak anak, untuk anak dan orang tua."},
    "en": {"title": "Articles", "intro": "Short reads about children's rights, for children and parents."},
}

HELP_VIDEO_SEARCH = "https://www.youtube.com/results?search_query=bahaya+asap+rokok+untuk+anak"

ARTICLES = [
    {
        "slug": "pendapatmu-penting",
        "topic": 1,
        "age_group": "10-12",
        "tags": ["pendapat", "partisipasi"],
        "image": "balon-percakapan",
        "featured": True,
        "id": {
            "title": "Pendapatmu Penting",
            "intro": "Kamu berhak menyampaikan pendapat dan didengar. Begini caranya supaya suaramu sampai.",
            "body": [
                H("Apa artinya hak berpendapat?"),
                P("<p>Kamu boleh mengatakan apa yang kamu pikirkan dan rasakan. Ini berlaku untuk hal-hal yang "
                  "menyangkut hidupmu. Misalnya tentang sekolah, taman bermain, atau aturan di rumah.</p>"
                  "<p>Orang dewasa perlu mendengarkan pendapatmu dengan sungguh-sungguh. Mereka juga perlu "
                  "memikirkannya sebelum mengambil keputusan.</p>"),
                DYK("<p>Hak anak untuk didengar tertulis dalam Konvensi Hak Anak PBB, Pasal 12. "
                    "Indonesia ikut menyetujui konvensi ini sejak tahun 1990.</p>"),
                H("Cara menyampaikan pendapat"),
                P("<ul><li>Pikirkan dulu apa yang ingin kamu sampaikan.</li><li>Bicara dengan tenang dan sopan.</li>"
                  "<li>Berikan alasan atau contoh.</li><li>Dengarkan juga pendapat orang lain.</li></ul>"),
                IMG("anak-bergandengan", "Setiap suara punya tempat."),
                H("Di mana suaramu bisa didengar?"),
                P("<p>Di Forum Anak, kamu bisa ikut konsultasi. Hasilnya disampaikan kepada Pemerintah Kota. "
                  "Kamu juga bisa bicara dengan guru, orang tua, atau ketua RT.</p>"),
                Q("Tidak ada pendapat yang terlalu kecil untuk didengar.", "Pesan Forum Anak"),
            ],
        },
        "en": {
            "title": "Your Opinion Matters",
            "intro": "You have the right to give your opinion and be heard. Here is how to make your voice count.",
            "body": [
                H("What does the right to an opinion mean?"),
                P("<p>You may say what you think and feel. This is true for things that affect your life. "
                  "For example your school, the playground or the rules at home.</p>"
                  "<p>Adults need to listen to your opinion seriously. They also need to think about it "
                  "before they decide.</p>"),
                DYK("<p>A child's right to be heard is written in Article 12 of the UN Convention on the Rights of "
                    "the Child. Indonesia agreed to this convention in 1990.</p>", "Did you know?"),
                H("How to give your opinion"),
                P("<ul><li>First think about what you want to say.</li><li>Speak calmly and politely.</li>"
                  "<li>Give a reason or an example.</li><li>Listen to other people's opinions too.</li></ul>"),
                IMG("anak-bergandengan", "Every voice has a place."),
                H("Where can your voice be heard?"),
                P("<p>In the Children's Forum you can take part in consultations. The results go to the City "
                  "Government. You can also talk to your teachers, your parents or your neighbourhood head.</p>"),
                Q("No opinion is too small to be heard.", "A message from the Children's Forum"),
            ],
        },
    },
    {
        "slug": "akta-kelahiran",
        "topic": 1,
        "age_group": "semua",
        "tags": ["akta kelahiran", "identitas"],
        "image": "anak-bergandengan",
        "id": {
            "title": "Akta Kelahiran: Tanda Kamu Tercatat",
            "intro": "Akta kelahiran mencatat nama dan tanggal lahirmu. Surat ini melindungi banyak hakmu.",
            "body": [
                H("Apa itu akta kelahiran?"),
                P("<p>Akta kelahiran adalah surat resmi dari negara. Isinya nama, tanggal lahir, tempat lahir, "
                  "dan nama orang tuamu.</p><p>Setiap anak berhak punya nama dan akta kelahiran. Akta dibuat di "
                  "Dinas Kependudukan dan Pencatatan Sipil (Disdukcapil), tanpa biaya.</p>"),
                H("Kenapa penting?"),
                TABLE("Akta kelahiran membantumu", ["Untuk apa", "Contohnya"], [
                    ["Sekolah", "Mendaftar ke SD, SMP, atau SMA"],
                    ["Kesehatan", "Mendapat layanan dan jaminan kesehatan"],
                    ["Perlindungan", "Membuktikan usiamu, misalnya supaya tidak dinikahkan saat masih anak"],
                ]),
                DYK("<p>Belum punya akta kelahiran? Ajak orang tua atau walimu ke Disdukcapil. "
                    "Membuatnya tidak dipungut biaya.</p>"),
                P("<p>Anak di bawah 17 tahun juga bisa punya Kartu Identitas Anak (KIA). "
                  "Tanyakan ke Disdukcapil bersama orang tuamu.</p>"),
                IMG("buku-terbuka", "Setiap anak tercatat, setiap anak terlindungi."),
            ],
        },
    },
    {
        "slug": "lima-cara-mendengarkan-anak",
        "topic": 2,
        "age_group": "orang-tua",
        "tags": ["pengasuhan", "keluarga"],
        "image": "rumah-keluarga",
        "id": {
            "title": "Untuk Orang Tua: Lima Cara Mendengarkan Anak",
            "intro": "Anak yang didengar merasa aman. Lima langkah sederhana untuk orang tua dan wali.",
            "body": [
                H("Mengapa mendengarkan itu penting?"),
                P("<p>Anak belajar tentang dirinya dari cara kita menanggapi. Saat didengar, anak merasa dihargai. "
                  "Anak juga lebih berani bercerita kalau ada masalah.</p>"),
                H("Lima langkah"),
                P("<ol><li><b>Sediakan waktu.</b> Sepuluh menit tanpa ponsel setiap hari sudah berarti.</li>"
                  "<li><b>Tatap dan dengarkan.</b> Biarkan anak selesai bicara.</li>"
                  "<li><b>Ulangi dengan kata-kata Anda.</b> Misalnya: \"Jadi kamu kesal karena ...\"</li>"
                  "<li><b>Jangan langsung menghakimi.</b> Tanyakan dulu apa yang terjadi.</li>"
                  "<li><b>Cari jalan keluar bersama.</b> Ajak anak mengusulkan idenya.</li></ol>"),
                DYK("<p>Memukul atau membentak tidak membuat anak belajar. Anak justru menjadi takut dan menutup "
                    "diri. Pengasuhan tanpa kekerasan melindungi anak.</p>", "Tahukah Anda?"),
                P("<p>Butuh teman bicara tentang pengasuhan? Hubungi kantor DP3AKB Kota Balikpapan. "
                  "Alamat dan nomornya ada di panel <i>Butuh bantuan?</i> di bawah halaman ini.</p>"),
            ],
        },
    },
    {
        "slug": "air-bersih-makan-sehat",
        "topic": 3,
        "age_group": "10-12",
        "tags": ["gizi", "kesehatan"],
        "image": "air-dan-buah",
        "featured": True,
        "id": {
            "title": "Air Bersih, Makan Sehat, Badan Kuat",
            "intro": "Tubuhmu butuh air bersih dan makanan bergizi. Kamu berhak mendapatkannya.",
            "body": [
                H("Hak untuk sehat"),
                P("<p>Setiap anak berhak hidup sehat. Artinya kamu berhak mendapat makanan bergizi, "
                  "air minum yang bersih, dan layanan kesehatan.</p>"),
                H("Isi piringku"),
                P("<ul><li>Setengah piring: sayur dan buah. Sayurnya lebih banyak.</li>"
                  "<li>Setengah lagi: nasi, jagung, atau ubi, dan lauk seperti ikan, telur, tahu, atau tempe.</li>"
                  "<li>Minum air putih yang cukup.</li></ul>"),
                DYK("<p>Mencuci tangan dengan sabun dan air mengalir bisa mencegah diare. "
                    "Cuci tangan sebelum makan dan sesudah dari toilet.</p>"),
                H("Kalau sakit"),
                P("<p>Setiap kecamatan punya puskesmas. Datanglah bersama orang tua atau walimu.</p>"),
            ],
        },
    },
    {
        "slug": "udara-bersih-tanpa-asap-rokok",
        "topic": 3,
        "age_group": "13-17",
        "tags": ["rokok", "kesehatan"],
        "image": None,
        "id": {
            "title": "Udara Bersih, Tanpa Asap Rokok",
            "intro": "Asap rokok berbahaya untuk anak. Kamu berhak menghirup udara yang bersih.",
            "body": [
                H("Bahaya asap rokok"),
                P("<p>Asap rokok mengandung banyak zat beracun. Zat itu bisa merusak paru-paru dan jantung. "
                  "Anak yang sering menghirup asap rokok lebih mudah batuk dan sesak napas.</p>"
                  "<p>Rokok elektrik juga tidak aman. Uapnya tetap mengandung nikotin yang membuat ketagihan.</p>"),
                DYK("<p>Sekolah, tempat bermain anak, dan tempat layanan kesehatan adalah kawasan tanpa rokok. "
                    "Aturannya ada dalam undang-undang.</p>"),
                H("Yang bisa kamu lakukan"),
                P("<ul><li>Menjauh dari orang yang sedang merokok.</li>"
                  "<li>Dengan sopan, minta orang dewasa tidak merokok di dekatmu.</li>"
                  "<li>Tolak kalau ditawari rokok. Kamu tidak perlu ikut-ikutan.</li></ul>"),
                VID(HELP_VIDEO_SEARCH, "Video tentang bahaya asap rokok untuk anak (hasil pencarian)",
                    thumbnail="kartu-video"),
            ],
        },
    },
    {
        "slug": "bermain-itu-hak",
        "topic": 4,
        "age_group": "10-12",
        "tags": ["bermain", "budaya"],
        "image": "layang-layang",
        "id": {
            "title": "Bermain Itu Hak, Bukan Hadiah",
            "intro": "Bermain dan beristirahat sama pentingnya dengan belajar. Itu hakmu.",
            "body": [
                H("Kenapa bermain penting?"),
                P("<p>Saat bermain, kamu belajar banyak hal. Kamu belajar bekerja sama, mencoba hal baru, "
                  "dan mengatur perasaan.</p><p>Istirahat juga penting. Otakmu butuh waktu untuk segar kembali.</p>"),
                H("Ikut kegiatan seni dan budaya"),
                P("<p>Kamu berhak ikut kegiatan budaya. Misalnya menari, bermain musik, atau belajar permainan "
                  "tradisional seperti egrang dan gasing.</p>"),
                DYK("<p>Konvensi Hak Anak PBB Pasal 31 menyebut hak anak untuk beristirahat, bermain, "
                    "dan ikut kegiatan seni dan budaya.</p>"),
                Q("Bermain bukan membuang waktu. Bermain adalah cara anak belajar.", "Pesan Forum Anak"),
            ],
        },
    },
    {
        "slug": "perundungan-kenali-tolak-laporkan",
        "topic": 5,
        "age_group": "13-17",
        "tags": ["perundungan", "sekolah"],
        "image": "perisai-hati",
        "featured": True,
        "id": {
            "title": "Perundungan: Kenali, Tolak, Laporkan",
            "intro": "Perundungan bukan candaan. Kamu berhak merasa aman di sekolah dan di mana saja.",
            "body": [
                H("Apa itu perundungan?"),
                P("<p>Perundungan (<i>bullying</i>) adalah perbuatan menyakiti yang dilakukan berulang kali. "
                  "Biasanya pelaku merasa lebih kuat atau lebih berkuasa.</p>"),
                TABLE("Bentuk-bentuk perundungan", ["Bentuk", "Contoh"], [
                    ["Fisik", "Memukul, mendorong, merusak barang"],
                    ["Kata-kata", "Mengejek, memberi julukan buruk, mengancam"],
                    ["Sosial", "Mengucilkan, menyebarkan gosip"],
                    ["Daring", "Mengirim pesan jahat, menyebarkan foto tanpa izin"],
                ]),
                H("Kalau kamu dirundung"),
                P("<ol><li>Katakan \"Berhenti!\" dengan tegas, lalu pergi.</li>"
                  "<li>Ceritakan kepada orang dewasa yang kamu percaya.</li>"
                  "<li>Simpan bukti, misalnya tangkapan layar.</li><li>Ingat: itu bukan salahmu.</li></ol>"),
                H("Kalau kamu melihat teman dirundung", "h3"),
                P("<p>Jangan ikut menertawakan. Ajak temanmu menjauh. Beri tahu guru atau orang dewasa lain.</p>"),
                IMG("anak-bergandengan", "Teman yang baik saling menjaga."),
                DYK("<p>Kamu bisa menelepon SAPA 129 untuk melapor dan meminta bantuan. "
                    "Nomor lainnya ada di panel <i>Butuh bantuan?</i>.</p>"),
                DOC("kartu-nomor-bantuan", "Unduh kartu nomor bantuan"),
            ],
        },
        "en": {
            "title": "Bullying: Spot It, Refuse It, Report It",
            "intro": "Bullying is not a joke. You have the right to feel safe at school and everywhere.",
            "body": [
                H("What is bullying?"),
                P("<p>Bullying is hurting someone again and again. The bully usually feels stronger or more "
                  "powerful.</p>"),
                TABLE("Kinds of bullying", ["Kind", "Examples"], [
                    ["Physical", "Hitting, pushing, breaking things"],
                    ["Words", "Teasing, calling names, threatening"],
                    ["Social", "Leaving someone out, spreading gossip"],
                    ["Online", "Sending nasty messages, sharing photos without permission"],
                ]),
                H("If you are bullied"),
                P("<ol><li>Say \"Stop!\" firmly, then walk away.</li><li>Tell an adult you trust.</li>"
                  "<li>Keep proof, for example screenshots.</li><li>Remember: it is not your fault.</li></ol>"),
                H("If you see a friend being bullied", "h3"),
                P("<p>Do not laugh along. Take your friend away. Tell a teacher or another adult.</p>"),
                IMG("anak-bergandengan", "Good friends look out for each other."),
                DYK("<p>You can call SAPA 129 to report and ask for help. Other numbers are in the "
                    "<i>Need help?</i> panel.</p>", "Did you know?"),
                DOC("kartu-nomor-bantuan", "Download the help numbers card (in Indonesian)"),
            ],
        },
    },
    {
        "slug": "aman-di-internet",
        "topic": 5,
        "age_group": "13-17",
        "tags": ["internet", "privasi"],
        "image": "ponsel-gembok",
        "id": {
            "title": "Aman di Internet",
            "intro": "Internet seru, tapi ada risikonya. Lindungi dirimu dan data pribadimu.",
            "body": [
                H("Data pribadimu berharga"),
                P("<p>Nama lengkap, alamat rumah, nama sekolah, dan nomor telepon adalah data pribadi. "
                  "Jangan bagikan kepada orang yang tidak kamu kenal.</p>"),
                H("Tanda bahaya"),
                P("<ul><li>Orang yang baru dikenal meminta foto atau video pribadimu.</li>"
                  "<li>Ada yang memintamu merahasiakan percakapan dari orang tua.</li>"
                  "<li>Kamu dijanjikan hadiah, uang, atau pulsa.</li>"
                  "<li>Kamu diajak bertemu berdua saja.</li></ul>"),
                DYK("<p>Kamu berhak berkata tidak. Kalau ada yang membuatmu takut atau tidak nyaman, blokir dan "
                    "laporkan. Ceritakan kepada orang dewasa yang kamu percaya.</p>"),
                H("Kalau sudah terjadi"),
                P("<p>Jangan takut dan jangan merasa bersalah. Simpan bukti, jangan hapus pesannya. "
                  "Minta bantuan orang dewasa atau hubungi nomor di panel <i>Butuh bantuan?</i>.</p>"),
            ],
        },
        "en": {
            "title": "Staying Safe Online",
            "intro": "The internet is fun, but it has risks. Protect yourself and your personal data.",
            "body": [
                H("Your personal data is precious"),
                P("<p>Your full name, home address, school name and phone number are personal data. "
                  "Do not share them with people you do not know.</p>"),
                H("Warning signs"),
                P("<ul><li>Someone you just met asks for private photos or videos.</li>"
                  "<li>Someone asks you to keep a chat secret from your parents.</li>"
                  "<li>You are promised gifts, money or phone credit.</li>"
                  "<li>You are asked to meet someone alone.</li></ul>"),
                DYK("<p>You have the right to say no. If someone makes you scared or uncomfortable, block and "
                    "report them. Tell an adult you trust.</p>", "Did you know?"),
                H("If it has already happened"),
                P("<p>Do not be afraid and do not feel guilty. Keep the proof and do not delete the messages. "
                  "Ask an adult for help or call a number in the <i>Need help?</i> panel.</p>"),
            ],
        },
    },
]

ABOUT = {
    "slug": "tentang-forum-anak",
    "id": {
        "title": "Tentang Forum Anak",
        "intro": "Forum Anak adalah wadah anak-anak untuk bersuara dan ikut membangun kota yang layak anak.",
        "body": [
            H("Apa itu Forum Anak?"),
            P("<p>Forum Anak adalah organisasi anak yang dibina pemerintah. Anggotanya anak-anak usia 10 sampai "
              "17 tahun. Forum Anak ada di kelurahan, kecamatan, kota, provinsi, sampai tingkat nasional.</p>"
              "<p>Di Kota Balikpapan, Forum Anak dibina oleh Dinas Pemberdayaan Perempuan, Perlindungan Anak, "
              "dan Keluarga Berencana (DP3AKB).</p>"),
            H("Apa yang dilakukan Forum Anak?"),
            P("<ul><li>Menyampaikan pendapat anak kepada pemerintah kota.</li>"
              "<li>Menjadi pelopor dan pelapor: memberi contoh yang baik dan melaporkan masalah anak.</li>"
              "<li>Mengadakan kegiatan, pelatihan, dan kampanye hak anak.</li></ul>"),
            H("Apa yang bisa kamu lakukan di situs ini?"),
            P("<ul><li>Membaca artikel tentang hak anak.</li><li>Ikut konsultasi dan memberi suara.</li>"
              "<li>Mendaftar kegiatan.</li><li>Menemukan nomor bantuan kapan saja.</li></ul>"),
            H("Bagaimana cara bergabung?"),
            P("<p>Kamu bisa mendaftar sendiri di situs ini. Karena kamu belum berusia 18 tahun, orang tua atau "
              "walimu perlu memberi persetujuan. Kami mengirim email kepada mereka. Setelah mereka setuju, "
              "pengurus Forum Anak memeriksa pendaftaranmu.</p>"),
            DYK("<p>Forum Anak adalah bagian dari program Kota Layak Anak. Program ini memastikan kota "
                "memperhatikan hak-hak anak dalam setiap kebijakannya.</p>"),
        ],
    },
    "en": {
        "title": "About the Children's Forum",
        "intro": "The Children's Forum is a place where children speak up and help build a child-friendly city.",
        "body": [
            H("What is the Children's Forum?"),
            P("<p>The Children's Forum (Forum Anak) is a children's organisation supported by the government. "
              "Its members are children aged 10 to 17. There are Children's Forums in every neighbourhood, "
              "district, city and province, and one for the whole country.</p>"
              "<p>In Balikpapan the Children's Forum is supported by the city's office for women's empowerment, "
              "child protection and family planning (DP3AKB).</p>"),
            H("What does the Children's Forum do?"),
            P("<ul><li>It brings children's opinions to the city government.</li>"
              "<li>It leads by example and reports problems children face.</li>"
              "<li>It runs activities, training and campaigns about children's rights.</li></ul>"),
            H("What can you do on this site?"),
            P("<ul><li>Read articles about children's rights.</li><li>Take part in consultations and vote.</li>"
              "<li>Sign up for activities.</li><li>Find help numbers at any time.</li></ul>"),
            H("How do I join?"),
            P("<p>You can sign up on this site. Because you are under 18, your parent or guardian needs to give "
              "consent. We send them an email. Once they agree, the forum's staff check your application.</p>"),
            DYK("<p>The Children's Forum is part of the Child-Friendly City programme. The programme makes sure "
                "the city thinks about children's rights in everything it decides.</p>", "Did you know?"),
        ],
    },
}

PRIVACY = {
    "slug": "kebijakan-privasi",
    "id": {
        "title": "Kebijakan Privasi",
        "intro": "Data apa yang kami simpan tentang kamu, untuk apa, dan bagaimana kamu bisa menghentikannya.",
        "body": [
            H("Singkatnya"),
            P("<ul><li>Kami hanya menyimpan data yang perlu untuk Forum Anak.</li>"
              "<li>Karena kamu belum berusia 18 tahun, kami meminta persetujuan orang tua atau walimu dulu.</li>"
              "<li>Orang tua atau walimu bisa menarik persetujuan kapan saja. Data pribadimu lalu dihapus.</li>"
              "<li>Kami tidak menjual data, tidak memasang iklan, dan tidak memakai pelacak.</li></ul>"),
            H("Data yang kami simpan tentang anak"),
            TABLE("Data anggota anak", ["Data", "Untuk apa"], [
                ["Nama lengkap dan nama panggilan", "Mengenali kamu. Nama panggilan yang tampil di kegiatan."],
                ["Tanggal lahir", "Menentukan kelompok usiamu dan kapan kamu menjadi alumni. Tidak pernah "
                 "ditampilkan kepada orang lain."],
                ["Jenis kelamin", "Membuat laporan tanpa nama, misalnya jumlah peserta."],
                ["Kelurahan, sekolah atau kelompok", "Menempatkanmu di Forum Anak yang tepat."],
                ["Alamat email dan kata sandi", "Untuk masuk ke akunmu. Kata sandi disimpan teracak."],
            ]),
            P("<p>Kami <b>tidak</b> meminta NIK, alamat rumah, atau lokasimu.</p>"),
            H("Data orang tua atau wali"),
            P("<p>Nama, alamat email, nomor telepon (boleh tidak diisi), dan bahasa email. Kami juga menyimpan "
              "catatan persetujuan: siapa yang setuju, untuk apa, teks persetujuan yang mana, dan kapan. "
              "Catatan ini diwajibkan Undang-Undang Pelindungan Data Pribadi (UU 27/2022, Pasal 25).</p>"),
            H("Konsultasi dan kegiatan"),
            P("<p>Saat kamu memberi suara, kami mencatat <i>bahwa</i> kamu sudah ikut, terpisah dari <i>isi</i> "
              "jawabanmu. Jawabanmu rahasia. Hasil hanya diumumkan untuk kelompok berisi paling sedikit lima orang. "
              "Untuk kegiatan, kami menyimpan pendaftaran dan kehadiranmu.</p>"),
            H("Siapa yang bisa melihat datamu?"),
            P("<p>Kamu sendiri, orang tua atau walimu, dan pengurus dewasa Forum Anak di wilayahmu. "
              "Setiap kali petugas membuka data seorang anak, hal itu dicatat.</p>"),
            H("Menarik persetujuan"),
            P("<p>Orang tua atau wali bisa menarik persetujuan kapan saja lewat tautan di email atau dari akunnya. "
              "Setelah itu keanggotaan berhenti, pendaftaran kegiatan dibatalkan, dan data pribadimu dihapus. "
              "Yang tersisa hanya angka tanpa nama untuk statistik. Pada usia 18 tahun kamu otomatis menjadi alumni.</p>"),
            H("Cookie"),
            P("<p>Kami hanya memakai cookie yang perlu, misalnya supaya kamu tetap masuk ke akunmu. "
              "Tidak ada cookie iklan atau pelacak, dan halaman ini tidak memuat apa pun dari situs lain.</p>"),
            H("Pertanyaan?"),
            P("<p>Hubungi DP3AKB Kota Balikpapan. Alamatnya ada di panel <i>Butuh bantuan?</i> di bawah halaman "
              "ini.</p>"),
        ],
    },
    "en": {
        "title": "Privacy Policy",
        "intro": "What data we keep about you, why, and how you can stop it.",
        "body": [
            H("In short"),
            P("<ul><li>We only keep the data the Children's Forum needs.</li>"
              "<li>Because you are under 18, we ask your parent or guardian for consent first.</li>"
              "<li>Your parent or guardian can withdraw consent at any time. Your personal data is then erased.</li>"
              "<li>We do not sell data, show adverts or use trackers.</li></ul>"),
            H("Data we keep about a child"),
            TABLE("A child member's data", ["Data", "Why"], [
                ["Full name and nickname", "To know who you are. Your nickname is shown at activities."],
                ["Date of birth", "To find your age group and when you become an alumnus. Never shown to "
                 "anyone else."],
                ["Gender", "For reports without names, for example how many took part."],
                ["Neighbourhood, school or group", "To place you in the right forum."],
                ["Email address and password", "To sign in to your account. Passwords are stored scrambled."],
            ]),
            P("<p>We do <b>not</b> ask for your ID number, your home address or your location.</p>"),
            H("Data about parents and guardians"),
            P("<p>Name, email address, phone number (optional) and email language. We also keep a record of "
              "consent: who agreed, to what, which consent text and when. Indonesia's personal data protection "
              "law requires this record (Law 27/2022, Article 25).</p>"),
            H("Consultations and activities"),
            P("<p>When you vote, we record <i>that</i> you took part, apart from <i>what</i> you answered. "
              "Your answers are secret. Results are only published for groups of at least five people. "
              "For activities we keep your registration and attendance.</p>"),
            H("Who can see your data?"),
            P("<p>You, your parents or guardians, and the adult staff of the Children's Forum in your area. "
              "Every time staff open a child's record, it is logged.</p>"),
            H("Withdrawing consent"),
            P("<p>A parent or guardian can withdraw consent at any time through the link in the email or from "
              "their account. Membership then ends, registrations are cancelled and your personal data is erased. "
              "Only numbers without names stay, for statistics. At 18 you automatically become an alumnus.</p>"),
            H("Cookies"),
            P("<p>We only use the cookies we need, for example to keep you signed in. There are no advertising "
              "or tracking cookies, and these pages load nothing from other sites.</p>"),
            H("Questions?"),
            P("<p>Contact DP3AKB Kota Balikpapan. The address is in the <i>Need help?</i> panel at the bottom "
              "of this page.</p>"),
        ],
    },
}

HELP_CARD_TEXT = """KARTU NOMOR BANTUAN - Forum Anak Kota Balikpapan

Kalau kamu merasa tidak aman, sedih, atau ada yang menyakitimu, kamu tidak sendiri.

- SAPA 129: telepon 129 (layanan pengaduan kekerasan terhadap perempuan dan anak)
- Layanan darurat: 112
- Ceritakan juga kepada orang dewasa yang kamu percaya: orang tua, wali, guru.

Simpan kartu ini di ponselmu atau cetak dan bawa di tas.
"""
