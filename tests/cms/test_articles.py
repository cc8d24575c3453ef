"""Articles: blocks, computed reading time, listings filtered by topic, age and tag."""

import re

import pytest
from wagtail.blocks import StreamBlockValidationError
from wagtail.documents import get_document_model
from wagtail.rich_text import RichText

from cms.blocks import ArticleBodyBlock
from cms.models import ArticlePage, Topic
from tests.cms.conftest import add_article, make_image, publish

pytestmark = pytest.mark.django_db


def test_reading_time_is_computed_not_typed(article_index):
    assert "reading_minutes" not in ArticlePage.get_edit_handler().get_form_class().base_fields
    short = add_article(article_index, "Pendek", paragraphs=1)
    assert short.reading_minutes == 1
    long = add_article(article_index, "Panjang", paragraphs=120)  # about 1,100 words
    assert 6 <= long.reading_minutes <= 9
    long.body = [("paragraph", RichText("<p>Sekarang pendek.</p>"))]
    publish(long)
    assert ArticlePage.objects.get(pk=long.pk).reading_minutes == 1


def test_every_block_type_renders(client, article_index):
    document = get_document_model().objects.create(
        title="Kartu bantuan", file=__import__("django.core.files.base", fromlist=["ContentFile"]).ContentFile(
            b"SAPA 129", name="kartu.txt")
    )
    thumb = make_image("Sampul video", alt="Sampul")
    picture = make_image("Gambar isi", alt="Dua anak bermain")
    article = add_article(article_index, "Lengkap")
    article.body = [
        ("heading", {"text": "Judul bagian", "level": "h2"}),
        ("heading", {"text": "Sub-judul", "level": "h3"}),
        ("paragraph", RichText("<p>Paragraf <b>tebal</b>.</p>")),
        ("image", {"image": picture, "alt_text": "", "caption": "Keterangan gambar"}),
        ("quote", {"text": "Anak juga warga.", "source": "Forum Anak"}),
        ("video", {"url": "https://www.youtube.com/watch?v=abc123", "title": "Hak anak", "duration": "3 menit",
                   "thumbnail": thumb}),
        ("did_you_know", {"title": "", "text": RichText("<p>Ada lima klaster KLA.</p>")}),
        ("document", {"document": document, "label": ""}),
        ("table", {"data": [["Hak", "Contoh"], ["Sehat", "Air bersih"]], "table_caption": "Contoh hak",
                   "table_header_choice": "row", "first_row_is_table_header": True, "first_col_is_header": False}),
    ]
    publish(article)
    html = client.get(article.url).text
    assert "<h2>Judul bagian</h2>" in html and "<h3>Sub-judul</h3>" in html
    assert "<b>tebal</b>" in html
    assert "<figcaption>Keterangan gambar</figcaption>" in html and 'alt="Dua anak bermain"' in html
    assert "<blockquote><p>Anak juga warga.</p></blockquote>" in html and "— Forum Anak" in html
    assert "Tahukah kamu?" in html and "Ada lima klaster KLA." in html
    assert 'href="/documents/' in html and "Kartu bantuan" in html and "(TXT" in html
    assert "<caption>Contoh hak</caption>" in html and '<th scope="col"' in html
    # a video is a link out, never an embedded player: nothing loads from the video site
    assert "<iframe" not in html
    assert '<a href="https://www.youtube.com/watch?v=abc123" rel="noopener external">' in html
    assert "Membuka youtube.com (situs lain)" in html
    assert not re.search(r'(src|srcset)="https?://', html)


def test_headings_must_be_in_order():
    block = ArticleBodyBlock()
    value = block.to_python([{"type": "heading", "value": {"text": "Sub", "level": "h3"}}])
    with pytest.raises(StreamBlockValidationError):
        block.clean(value)
    ordered = block.to_python(
        [{"type": "heading", "value": {"text": "A", "level": "h2"}}, {"type": "heading", "value": {"text": "B", "level": "h3"}}]
    )
    assert block.clean(ordered)


def test_a_video_must_be_https():
    from django.core.exceptions import ValidationError

    block = ArticleBodyBlock().child_blocks["video"]
    with pytest.raises(ValidationError):
        block.clean({"url": "http://contoh.example/video", "title": "x", "duration": "", "thumbnail": None})


def test_listing_is_paginated_and_filtered(client, article_index):
    health = Topic.objects.get(number=3)
    protection = Topic.objects.get(number=5)
    for i in range(11):
        add_article(article_index, f"Sehat {i}", topics=[health], age_group="10-12")
    add_article(article_index, "Aman daring", topics=[protection], age_group="13-17", tags=["internet"])
    add_article(article_index, "Untuk orang tua", topics=[protection], age_group="orang-tua")
    add_article(article_index, "Draf", topics=[protection], live=False)

    first = client.get("/artikel/").text
    assert first.count('class="card"') == 9
    assert "13 artikel" in first and "Halaman 1 dari 2" in first and "?halaman=2" in first
    assert "Draf" not in first
    assert client.get("/artikel/?halaman=2").text.count('class="card"') == 4

    by_topic = client.get("/artikel/?topik=perlindungan-khusus").text
    assert "Aman daring" in by_topic and "Untuk orang tua" in by_topic and "Sehat 1" not in by_topic
    by_age = client.get("/artikel/?topik=perlindungan-khusus&usia=orang-tua").text
    assert "Untuk orang tua" in by_age and "Aman daring" not in by_age
    by_tag = client.get("/artikel/?tag=internet").text
    assert "Aman daring" in by_tag and "Untuk orang tua" not in by_tag

    # each cluster has its own page listing its articles
    cluster = client.get("/artikel/topik/perlindungan-khusus/")
    assert cluster.status_code == 200
    assert "Klaster 5: Perlindungan khusus" in cluster.text
    assert "Aman daring" in cluster.text and "Sehat 1" not in cluster.text
    assert client.get("/artikel/topik/tidak-ada/").status_code == 404
    # a bad filter value is ignored, not an error
    assert client.get("/artikel/?usia=99&halaman=x").status_code == 200


def test_every_cluster_is_a_topic(client, article_index):
    assert list(Topic.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    html = client.get("/artikel/").text
    for topic in Topic.objects.all():
        assert f'href="/artikel/topik/{topic.slug}/"' in html
    english = client.get("/en/artikel/topik/kesehatan-dasar-dan-kesejahteraan/").text
    assert "Basic health and welfare" in english
