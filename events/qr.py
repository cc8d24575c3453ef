"""QR codes for tickets, as inline SVG made by the qrcode library (no image request, no data: URL)."""

import xml.etree.ElementTree as ET

import qrcode
import qrcode.image.svg
from django.utils.safestring import mark_safe


def svg(text, *, label="QR"):
    """An inline <svg> of a QR code holding ``text``; its size comes from CSS (.ticket-qr svg)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4,
                       image_factory=qrcode.image.svg.SvgPathImage)
    qr.add_data(text)
    qr.make(fit=True)
    root = qr.make_image().get_image()
    # the library sets a width and height in millimetres; the viewBox alone keeps it square
    for attribute in ("width", "height"):
        root.attrib.pop(attribute, None)
    root.set("role", "img")
    root.set("aria-label", label)
    root.set("focusable", "false")
    ET.register_namespace("", "http://www.w3.org/2000/svg")
    # made by the library from a ticket code of our own alphabet: nothing user-written in it
    return mark_safe(ET.tostring(root, encoding="unicode"))
