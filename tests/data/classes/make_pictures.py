"""Draw the corpus's pictures (schematic maps and diagrams) with Pillow, the same bytes every run.

Run from this folder: ``python make_pictures.py``. The pictures are drawn, not photographed,
so the corpus carries no third-party image and stays small.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from slidegen.fonts import font_files

HERE = Path(__file__).resolve().parent / "images"
SEA = (214, 230, 242)
LAND = (236, 228, 206)
INK = (27, 58, 92)
ACCENT = (224, 122, 31)
GREY = (120, 120, 120)


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    files = font_files().body
    return ImageFont.truetype(files.bold if bold else files.regular, size)


def _save(img: Image.Image, name: str) -> None:
    img = img.convert("P", palette=Image.Palette.ADAPTIVE, colors=32)
    img.save(HERE / name, optimize=True)


def _arrow(d: ImageDraw.ImageDraw, a: tuple[int, int], b: tuple[int, int], width: int) -> None:
    d.line([a, b], fill=ACCENT, width=width)
    angle = math.atan2(b[1] - a[1], b[0] - a[0])
    size = width * 3
    left = (b[0] - size * math.cos(angle - 0.45), b[1] - size * math.sin(angle - 0.45))
    right = (b[0] - size * math.cos(angle + 0.45), b[1] - size * math.sin(angle + 0.45))
    d.polygon([b, left, right], fill=ACCENT)


def routes_map() -> None:
    """A wide schematic map: the Americas, Europe's edge and three trafficking routes."""
    img = Image.new("RGB", (1600, 700), SEA)
    d = ImageDraw.Draw(img)
    north = [(120, 40), (520, 30), (600, 140), (520, 260), (420, 300), (380, 330), (300, 250)]
    centre = [(380, 330), (420, 300), (470, 360), (440, 400), (400, 380)]
    south = [(440, 400), (560, 420), (640, 500), (600, 600), (520, 690), (470, 690), (430, 520)]
    europe = [(1380, 60), (1600, 40), (1600, 330), (1440, 300), (1400, 200)]
    africa = [(1380, 340), (1600, 340), (1600, 690), (1480, 690), (1400, 480)]
    for shape in (north, centre, south, europe, africa):
        d.polygon(shape, fill=LAND, outline=GREY)
    _arrow(d, (500, 470), (420, 330), 9)
    _arrow(d, (420, 330), (360, 200), 9)
    _arrow(d, (600, 520), (1400, 250), 9)
    _arrow(d, (620, 560), (1400, 520), 7)
    label = _font(30, bold=True)
    d.text((520, 440), "Andean region", font=label, fill=INK)
    d.text((180, 140), "North America", font=label, fill=INK)
    d.text((1410, 120), "Europe", font=label, fill=INK)
    d.text((1420, 560), "West Africa", font=label, fill=INK)
    d.text((860, 300), "Atlantic route", font=_font(26), fill=INK)
    _save(img, "routes-map.png")


def port_stack() -> None:
    """A tall picture: a stack of shipping containers beside a crane."""
    img = Image.new("RGB", (600, 1200), (232, 238, 244))
    d = ImageDraw.Draw(img)
    colours = [(180, 60, 50), (40, 90, 150), (60, 130, 80), (200, 150, 40), (110, 110, 120)]
    for row in range(12):
        for col in range(2):
            c = colours[(row * 3 + col * 2) % len(colours)]
            x, y = 80 + col * 200, 1120 - (row + 1) * 80
            d.rectangle([x, y, x + 190, y + 74], fill=c, outline=(30, 30, 30), width=3)
            for k in range(1, 6):
                d.line([x + k * 32, y + 8, x + k * 32, y + 66], fill=(30, 30, 30), width=2)
    d.rectangle([0, 1120, 600, 1200], fill=(90, 90, 95))
    d.line([(520, 1120), (520, 80)], fill=INK, width=18)
    d.line([(300, 80), (590, 80)], fill=INK, width=14)
    d.line([(360, 80), (360, 140)], fill=GREY, width=4)
    _save(img, "port-stack.png")


def _box(
    d: ImageDraw.ImageDraw, xy: tuple[int, int, int, int], text: str, fill: tuple[int, int, int]
) -> None:
    d.rounded_rectangle(xy, radius=18, fill=fill, outline=INK, width=4)
    font = _font(30, bold=True)
    w = d.textlength(text, font=font)
    d.text(((xy[0] + xy[2] - w) / 2, (xy[1] + xy[3]) / 2 - 18), text, font=font, fill=INK)


def supply_chain() -> None:
    """A diagram: the stages of a trafficking chain from production to retail."""
    img = Image.new("RGB", (1400, 420), "white")
    d = ImageDraw.Draw(img)
    stages = ["Production", "Processing", "Transit", "Wholesale", "Retail"]
    for i, name in enumerate(stages):
        x = 30 + i * 275
        _box(d, (x, 140, x + 230, 280), name, (255, 240, 224) if i % 2 else (226, 236, 246))
        if i < len(stages) - 1:
            _arrow(d, (x + 232, 210), (x + 272, 210), 6)
    d.text(
        (30, 330),
        "Value added at each stage: lowest at production, highest at retail",
        font=_font(26),
        fill=GREY,
    )
    _save(img, "supply-chain.png")


def network() -> None:
    """A diagram: a criminal network, a broker joining three cells."""
    img = Image.new("RGB", (900, 900), "white")
    d = ImageDraw.Draw(img)
    centre = (450, 450)
    cells = [(450, 150), (190, 660), (710, 660)]
    for cx, cy in cells:
        d.line([centre, (cx, cy)], fill=GREY, width=8)
        for k in range(5):
            a = k * 2 * math.pi / 5
            px, py = cx + 110 * math.cos(a), cy + 110 * math.sin(a)
            d.line([(cx, cy), (px, py)], fill=GREY, width=4)
            d.ellipse(
                [px - 22, py - 22, px + 22, py + 22], fill=(226, 236, 246), outline=INK, width=3
            )
        d.ellipse([cx - 40, cy - 40, cx + 40, cy + 40], fill=INK)
    d.ellipse([centre[0] - 60, centre[1] - 60, centre[0] + 60, centre[1] + 60], fill=ACCENT)
    d.text((centre[0] + 70, centre[1] - 20), "Broker", font=_font(34, bold=True), fill=INK)
    _save(img, "network.png")


def seizures_chart() -> None:
    """A bar chart: seizures by year (illustrative figures)."""
    img = Image.new("RGB", (1200, 700), "white")
    d = ImageDraw.Draw(img)
    values = [38, 44, 41, 57, 63, 71, 69, 84]
    d.line([(100, 620), (1160, 620)], fill=INK, width=4)
    d.line([(100, 620), (100, 60)], fill=INK, width=4)
    for i, v in enumerate(values):
        x = 140 + i * 128
        d.rectangle([x, 620 - v * 6, x + 88, 620], fill=ACCENT if i == len(values) - 1 else INK)
        d.text((x + 14, 636), str(2016 + i), font=_font(26), fill=GREY)
    _save(img, "seizures-chart.png")


def coastline() -> None:
    """A wide landscape: a coastline at dusk, for a background picture."""
    img = Image.new("RGB", (1600, 900), (40, 60, 90))
    d = ImageDraw.Draw(img)
    for y in range(0, 520, 8):
        shade = 60 + y // 6
        d.rectangle([0, y, 1600, y + 8], fill=(shade, shade + 20, 120 + y // 8))
    d.polygon(
        [(0, 520), (500, 430), (900, 500), (1600, 420), (1600, 900), (0, 900)], fill=(30, 70, 100)
    )
    d.polygon(
        [(0, 640), (300, 600), (700, 700), (1100, 620), (1600, 720), (1600, 900), (0, 900)],
        fill=(70, 60, 50),
    )
    d.ellipse([1180, 300, 1300, 420], fill=(240, 180, 90))
    _save(img, "coastline.png")


if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    routes_map()
    port_stack()
    supply_chain()
    network()
    seizures_chart()
    coastline()
