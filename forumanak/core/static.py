"""Static files: whitenoise, without the manifest.

``collectstatic`` writes ``staticfiles.json`` (every static file's hashed name) into STATIC_ROOT,
which whitenoise would serve like any other file. It is for the app, not for visitors: a map of
the site's assets, and of every name that was ever collected. /static/staticfiles.json is a 404.
"""

from whitenoise.middleware import WhiteNoiseMiddleware

HIDDEN = ("staticfiles.json",)


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def _hidden(self, url):
        return url.startswith(self.static_prefix) and url[len(self.static_prefix):] in HIDDEN

    def add_file_to_dictionary(self, url, path, stat_cache=None):
        if not self._hidden(url):
            super().add_file_to_dictionary(url, path, stat_cache=stat_cache)

    def find_file(self, url):  # WHITENOISE_AUTOREFRESH (tests, DEBUG)
        return None if self._hidden(url) else super().find_file(url)
