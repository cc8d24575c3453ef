"""Path converters for download URLs: a download names its format in the URL, and only the
formats the project writes match, so any other (``hasil.exe``) is a 404 and never a file in
another format under a misleading name. Use ``<exportformat:fmt>``; ``sample`` is what the
tests' URL walker (tests/urlwalk.py) puts in its place."""

from django.urls import register_converter

EXPORT_FORMAT = "exportformat"


class ExportFormatConverter:
    regex = "xlsx|csv"
    sample = "xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        if value not in ("xlsx", "csv"):
            raise ValueError(value)
        return value


register_converter(ExportFormatConverter, EXPORT_FORMAT)
