"""Page types: the tree rules, and that every type renders, edits and previews, in both languages
(Wagtail's page test helpers)."""

from wagtail.models import Locale, Page
from wagtail.test.utils import WagtailPageTestCase

from cms.models import ArticleIndexPage, ArticlePage, HomePage, StandardPage
from tests.cms.conftest import add_article, body, make_image, publish, translate
from tests.conftest import SecondFactorClient, enable_totp, sign_in_with_second_factor


class PageTreeTests(WagtailPageTestCase):
    def test_the_tree_stays_tidy(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {ArticleIndexPage, StandardPage})
        self.assertAllowedParentPageTypes(ArticleIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ArticleIndexPage, {ArticlePage})
        self.assertAllowedParentPageTypes(ArticlePage, {ArticleIndexPage})
        self.assertAllowedSubpageTypes(ArticlePage, set())
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})
        self.assertCanNotCreateAt(HomePage, ArticlePage)
        self.assertCanNotCreateAt(StandardPage, ArticleIndexPage)
        self.assertCanNotCreateAt(ArticlePage, StandardPage)

    def test_one_home_page_and_one_article_index(self):
        root = Page.objects.get(depth=1)
        home = HomePage.objects.get()
        self.assertFalse(HomePage.can_create_at(root))  # one already exists
        self.assertTrue(ArticleIndexPage.can_create_at(home))
        home.add_child(instance=ArticleIndexPage(title="Artikel", slug="artikel"))
        self.assertFalse(ArticleIndexPage.can_create_at(home))


class PageTypesRenderInBothLanguages(WagtailPageTestCase):
    client_class = SecondFactorClient  # Wagtail's assertPageIsEditable signs in with force_login
    def setUp(self):
        self.superuser = self.create_superuser("redaksi")
        enable_totp(self.superuser)
        self.home = HomePage.objects.get()
        self.index = publish(self.home.add_child(instance=ArticleIndexPage(title="Artikel", slug="artikel")))
        picture = make_image("Foto", alt="Anak-anak membaca buku")
        self.article = add_article(self.index, "Hak untuk bermain", images=[picture], listing_image=picture)
        self.standard = publish(
            self.home.add_child(instance=StandardPage(title="Kebijakan Privasi", slug="kebijakan-privasi", body=body(2)))
        )
        self.home.hero_image = picture
        publish(self.home)
        # English, with Wagtail's translation action
        self.en_home = translate(self.home, title="Children's Forum")
        self.en_index = translate(self.index, title="Articles")
        self.en_article = translate(self.article, title="The right to play")
        self.en_standard = translate(self.standard, title="Privacy Policy")

    def test_every_page_type_renders_in_indonesian_and_english(self):
        pages = [
            (self.home, "/", "id", "Forum Anak Kota Balikpapan"),
            (self.index, "/artikel/", "id", "Artikel"),
            (self.article, "/artikel/hak-untuk-bermain/", "id", "Hak untuk bermain"),
            (self.standard, "/kebijakan-privasi/", "id", "Kebijakan Privasi"),
            (self.en_home, "/en/", "en", "Children&#x27;s Forum"),
            (self.en_index, "/en/artikel/", "en", "Articles"),
            (self.en_article, "/en/artikel/hak-untuk-bermain/", "en", "The right to play"),
            (self.en_standard, "/en/kebijakan-privasi/", "en", "Privacy Policy"),
        ]
        for page, url, language, title in pages:
            with self.subTest(url=url):
                self.assertEqual(page.url, url)
                if language == "id":  # Wagtail's helper does not know the /en/ prefix
                    self.assertPageIsRoutable(page)
                self.assertPageIsRenderable(page)
                html = self.client.get(url).text
                self.assertIn(f'<html lang="{language}">', html)
                self.assertIn("<h1", html)
                self.assertIn(title, html)
                # each page names its translation for search engines
                self.assertIn('hreflang="id"', html)
                self.assertIn('hreflang="en"', html)
        # the topic listing is a route of the index page, in both languages
        self.assertPageIsRenderable(self.index, route_path="/topik/hak-sipil-dan-kebebasan/")
        self.assertPageIsRenderable(self.en_index, route_path="/topik/hak-sipil-dan-kebebasan/")
        self.assertPageIsRenderable(self.index, route_path="/topik/tidak-ada/", accept_404=True)

    def test_english_pages_use_english_interface_and_alt_text(self):
        picture = self.article.listing_image
        picture.alt_text_en = "Children reading a book"
        picture.save()
        english = self.client.get("/en/artikel/hak-untuk-bermain/").text
        self.assertIn('alt="Children reading a book"', english)
        self.assertIn("Need help?", english)
        self.assertIn("Reading time", english)
        self.assertIn("24-hour hotline", english)
        indonesian = self.client.get("/artikel/hak-untuk-bermain/").text
        self.assertIn('alt="Anak-anak membaca buku"', indonesian)

    def form_data(self, page):
        """The edit form's data as the browser sends it. StreamFields are drawn by JavaScript, so
        their data is added here."""
        from django.urls import reverse
        from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

        sign_in_with_second_factor(self.client, self.superuser)
        html = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
        data = querydict_from_html(html, form_id="page-edit-form").copy()
        if hasattr(page, "body") and not isinstance(page, HomePage):
            body = [("heading", {"text": "Judul", "level": "h2"}), ("paragraph", rich_text("<p>Isi baru.</p>"))]
            for key, value in nested_form_data({"body": streamfield(body)}).items():
                data[key] = value
        return data

    def test_every_page_type_is_editable_and_previewable(self):
        for page in (self.home, self.index, self.article, self.standard, self.en_article):
            with self.subTest(page=page.url):
                data = self.form_data(page)
                self.assertPageIsEditable(page, post_data=data, user=self.superuser)
                self.assertPageIsPreviewable(page, post_data=data, user=self.superuser)

    def test_translations_are_linked_to_their_source(self):
        en = Locale.objects.get(language_code="en")
        self.assertEqual(self.article.get_translation(en).pk, self.en_article.pk)
        self.assertEqual(self.en_article.translation_key, self.article.translation_key)
        self.assertEqual(self.en_home.get_parent().depth, 1)


class SimpleTranslationInTheAdmin(WagtailPageTestCase):
    def test_an_editor_translates_a_page_with_wagtails_translate_action(self):
        from django.urls import reverse

        from tests.cms.conftest import editorial_user

        editor = editorial_user("editor-terjemah", "Editor")
        home = HomePage.objects.get()
        index = publish(home.add_child(instance=ArticleIndexPage(title="Artikel", slug="artikel")))
        sign_in_with_second_factor(self.client, editor)
        en = Locale.objects.get(language_code="en")
        for page in (home, index):
            response = self.client.post(
                reverse("simple_translation:submit_page_translation", args=[page.pk]), {"locales": [en.pk]}
            )
            self.assertEqual(response.status_code, 302)
        translated = index.get_translation(en)
        self.assertEqual(translated.locale, en)
        self.assertFalse(translated.live)  # a draft to translate, then publish
