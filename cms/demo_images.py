"""Illustrations for the demo content, drawn here with Pillow (nothing is downloaded).

Each drawing is simple and friendly: flat shapes on a soft background. The alt text of each
describes exactly what is drawn.
"""

import io
import math

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 800
SKIN = [(141, 85, 36), (198, 134, 66), (224, 172, 105), (255, 219, 172)]
SHIRTS = [(11, 93, 87), (179, 38, 30), (255, 191, 71), (64, 96, 176), (120, 70, 150)]


def _background(draw, top, bottom):
    for y in range(HEIGHT):
        t = y / HEIGHT
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (WIDTH, y)], fill=colour)


def _sun(draw, x=1030, y=140, r=80):
    draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 200, 60))
    for i in range(12):
        a = i * math.pi / 6
        draw.line(
            [(x + math.cos(a) * (r + 15), y + math.sin(a) * (r + 15)), (x + math.cos(a) * (r + 45), y + math.sin(a) * (r + 45))],
            fill=(255, 200, 60),
            width=10,
        )


def _child(draw, x, ground, height, skin, shirt, arms=True):
    head = height * 0.22
    body_top = ground - height + head * 2
    draw.ellipse((x - head, ground - height, x + head, ground - height + head * 2), fill=skin)
    draw.rounded_rectangle((x - head * 1.1, body_top + 6, x + head * 1.1, ground - height * 0.28), radius=24, fill=shirt)
    draw.rectangle((x - head * 0.8, ground - height * 0.3, x - head * 0.2, ground), fill=(60, 60, 70))
    draw.rectangle((x + head * 0.2, ground - height * 0.3, x + head * 0.8, ground), fill=(60, 60, 70))
    if arms:
        y = body_top + height * 0.12
        draw.line([(x - head * 1.1, y), (x - head * 2.2, y + height * 0.12)], fill=skin, width=14)
        draw.line([(x + head * 1.1, y), (x + head * 2.2, y + height * 0.12)], fill=skin, width=14)


def children_holding_hands():
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _background(draw, (190, 228, 240), (240, 248, 235))
    _sun(draw)
    draw.rectangle((0, 620, WIDTH, HEIGHT), fill=(120, 180, 100))
    for i, x in enumerate((300, 480, 660, 840)):
        _child(draw, x, 640, 330 + (i % 2) * 40, SKIN[i % 4], SHIRTS[i])
    return image


def speech_bubbles():
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _background(draw, (255, 244, 229), (250, 225, 200))
    bubbles = [((120, 120, 560, 360), SHIRTS[0]), ((640, 80, 1080, 300), SHIRTS[3]), ((380, 420, 860, 660), SHIRTS[1])]
    for (x0, y0, x1, y1), colour in bubbles:
        draw.rounded_rectangle((x0, y0, x1, y1), radius=60, fill=colour)
        draw.polygon([(x0 + 80, y1 - 10), (x0 + 60, y1 + 70), (x0 + 160, y1 - 10)], fill=colour)
        for row in range(3):
            y = y0 + 60 + row * 50
            draw.rounded_rectangle((x0 + 50, y, x1 - 50 - row * 60, y + 22), radius=11, fill=(255, 255, 255))
    return image


def open_book():
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _background(draw, (230, 240, 255), (210, 225, 250))
    draw.polygon([(150, 220), (600, 260), (600, 700), (150, 660)], fill=(255, 255, 255), outline=(64, 96, 176))
    draw.polygon([(1050, 220), (600, 260), (600, 700), (1050, 660)], fill=(250, 250, 245), outline=(64, 96, 176))
    for i in range(8):
        y = 300 + i * 42
        draw.line([(200, y), (550, y + 20)], fill=(150, 160, 190), width=6)
        draw.line([(650, y + 20), (1000, y)], fill=(150, 160, 190), width=6)
    draw.ellipse((540, 90, 660, 210), fill=(255, 191, 71))
    return image


def water_and_fruit():
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _background(draw, (225, 245, 245), (205, 235, 230))
    draw.rectangle((0, 600, WIDTH, HEIGHT), fill=(200, 170, 130))
    draw.polygon([(230, 250), (430, 250), (400, 600), (260, 600)], fill=(200, 230, 250), outline=(64, 96, 176))
    draw.rectangle((262, 360, 398, 598), fill=(120, 190, 235))
    fruits = [(640, 520, 90, (200, 40, 40)), (820, 540, 80, (255, 160, 40)), (980, 520, 90, (120, 180, 60))]
    for x, y, r, colour in fruits:
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        draw.line([(x, y - r), (x + 10, y - r - 40)], fill=(90, 60, 30), width=10)
    draw.polygon([(620, 150), (580, 240), (660, 240)], fill=(120, 190, 235))
    draw.ellipse((575, 200, 665, 290), fill=(120, 190, 235))
    return image


def kite_and_ball():
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _background(draw, (170, 215, 250), (235, 245, 255))
    draw.rectangle((0, 640, WIDTH, HEIGHT), fill=(110, 175, 95))
    draw.polygon([(800, 80), (920, 220), (800, 380), (680, 220)], fill=(179, 38, 30))
    draw.line([(800, 80), (800, 380)], fill=(255, 255, 255), width=6)
    draw.line([(680, 220), (920, 220)], fill=(255, 255, 255), width=6)
    draw.line([(800, 380), (420, 560)], fill=(80, 80, 80), width=4)
    _child(draw, 400, 660, 300, SKIN[1], SHIRTS[2])
    draw.ellipse((180, 560, 280, 660), fill=(64, 96, 176))
    return image


def shield_with_heart():
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _background(draw, (235, 245, 240), (215, 235, 225))
    draw.polygon([(600, 110), (860, 200), (830, 480), (600, 690), (370, 480), (340, 200)], fill=(11, 93, 87))
    draw.ellipse((480, 300, 610, 430), fill=(255, 255, 255))
    draw.ellipse((590, 300, 720, 430), fill=(255, 255, 255))
    draw.polygon([(488, 395), (712, 395), (600, 540)], fill=(255, 255, 255))
    return image


def phone_with_lock():
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _background(draw, (240, 235, 250), (220, 215, 240))
    draw.rounded_rectangle((420, 80, 780, 720), radius=50, fill=(40, 40, 50))
    draw.rounded_rectangle((450, 140, 750, 640), radius=20, fill=(200, 225, 250))
    draw.rounded_rectangle((530, 380, 670, 520), radius=16, fill=(120, 70, 150))
    draw.arc((545, 290, 655, 420), start=180, end=360, fill=(120, 70, 150), width=22)
    draw.ellipse((588, 430, 612, 454), fill=(255, 255, 255))
    return image


def family_house():
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _background(draw, (255, 240, 220), (250, 225, 205))
    draw.rectangle((0, 640, WIDTH, HEIGHT), fill=(150, 190, 110))
    draw.polygon([(150, 380), (380, 170), (610, 380)], fill=(179, 38, 30))
    draw.rectangle((190, 380, 570, 650), fill=(255, 250, 240))
    draw.rectangle((340, 500, 420, 650), fill=(120, 80, 50))
    _child(draw, 760, 650, 420, SKIN[2], SHIRTS[3], arms=False)
    _child(draw, 900, 650, 260, SKIN[2], SHIRTS[2])
    _child(draw, 1040, 650, 400, SKIN[0], SHIRTS[0], arms=False)
    return image


def video_card():
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _background(draw, (11, 93, 87), (7, 66, 62))
    draw.rounded_rectangle((250, 170, 950, 630), radius=40, outline=(255, 255, 255), width=10)
    draw.polygon([(540, 300), (540, 500), (720, 400)], fill=(255, 255, 255))
    return image


DRAWINGS = {
    "anak-bergandengan": (
        children_holding_hands,
        "Ilustrasi empat anak bergandengan tangan di atas rumput hijau, di bawah matahari.",
        "An illustration of four children holding hands on green grass under the sun.",
    ),
    "balon-percakapan": (
        speech_bubbles,
        "Ilustrasi tiga balon percakapan berwarna hijau, biru, dan merah.",
        "An illustration of three speech bubbles in green, blue and red.",
    ),
    "buku-terbuka": (
        open_book,
        "Ilustrasi buku terbuka dengan garis-garis tulisan, dan lingkaran kuning di atasnya.",
        "An illustration of an open book with lines of writing and a yellow circle above it.",
    ),
    "air-dan-buah": (
        water_and_fruit,
        "Ilustrasi segelas air putih, setetes air, dan tiga buah: merah, oranye, dan hijau.",
        "An illustration of a glass of water, a drop of water and three fruits: red, orange and green.",
    ),
    "layang-layang": (
        kite_and_ball,
        "Ilustrasi anak bermain layang-layang merah di lapangan, dengan bola biru di dekatnya.",
        "An illustration of a child flying a red kite in a field, with a blue ball nearby.",
    ),
    "perisai-hati": (
        shield_with_heart,
        "Ilustrasi perisai hijau dengan gambar hati putih di tengahnya.",
        "An illustration of a green shield with a white heart in the middle.",
    ),
    "ponsel-gembok": (
        phone_with_lock,
        "Ilustrasi ponsel dengan gambar gembok ungu di layarnya.",
        "An illustration of a mobile phone with a purple padlock on its screen.",
    ),
    "rumah-keluarga": (
        family_house,
        "Ilustrasi rumah beratap merah dan tiga anggota keluarga berdiri di sampingnya.",
        "An illustration of a house with a red roof and three family members standing beside it.",
    ),
    "kartu-video": (
        video_card,
        "Ilustrasi tombol putar video berwarna putih di atas latar hijau tua.",
        "An illustration of a white video play button on a dark green background.",
    ),
}


def render_png(name):
    draw, alt_id, _alt_en = DRAWINGS[name]
    buffer = io.BytesIO()
    draw().save(buffer, "PNG", optimize=True)
    buffer.seek(0)
    return buffer
