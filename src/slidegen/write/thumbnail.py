"""The deck's thumbnail: the title slide drawn from the plan with Pillow, as a small JPEG.

File browsers and PowerPoint's file dialogs preview a deck by its ``docProps/thumbnail.jpeg``.
The picture is drawn from the same plan as the slide (fills, rules, text lines where the plan
breaks them, pictures), supersampled and scaled down, so it is the slide in miniature; the
same plan gives the same bytes.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from slidegen.fonts import FONT_DIR, segments
from slidegen.plan import (
    HANG,
    Line,
    Paragraph,
    Picture,
    Plan,
    PlannedSlide,
    Rect,
    TableShape,
    TextBox,
    blocks_height,
    first_baseline,
    line_tops,
)
from slidegen.write.miniature import line_origin

__all__ = ["thumbnail_jpeg", "WIDTH"]

#: Pixel width of the thumbnail (PowerPoint writes 256 pixels wide).
WIDTH = 256
_SUPERSAMPLE = 4
_FALLBACK_FILE = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}

_Font = ImageFont.FreeTypeFont


def thumbnail_jpeg(plan: Plan, slide: PlannedSlide | None = None) -> bytes:
    """The first slide (or `slide`) as a JPEG WIDTH pixels wide, its aspect ratio kept."""
    slide = slide or (plan.slides[0] if plan.slides else None)
    scale = WIDTH * _SUPERSAMPLE / plan.width
    size = (WIDTH * _SUPERSAMPLE, max(1, round(plan.height * scale)))
    background = "#" + (slide.background if slide else "FFFFFF")
    image = Image.new("RGB", size, background)
    if slide is not None:
        _Canvas(image, plan, scale).slide(slide)
    small = image.resize((WIDTH, max(1, round(size[1] / _SUPERSAMPLE))), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.save(out, "JPEG", quality=85, optimize=False, progressive=False, subsampling=0)
    return out.getvalue()


@cache
def _font(path: str, pixels: int) -> _Font:
    return ImageFont.truetype(path, max(1, pixels))


class _Canvas:
    """A Pillow image that draws plan shapes in slide points scaled by `scale`."""

    def __init__(self, image: Image.Image, plan: Plan, scale: float) -> None:
        self.image = image
        self.draw = ImageDraw.Draw(image)
        self.plan = plan
        self.k = scale

    def box(self, x: float, y: float, w: float, h: float) -> tuple[int, int, int, int]:
        k = self.k
        return round(x * k), round(y * k), round((x + w) * k), round((y + h) * k)

    def slide(self, slide: PlannedSlide) -> None:
        for shape in (*slide.backdrop, *slide.shapes):
            if isinstance(shape, TextBox):
                if shape.fill:
                    self.draw.rectangle(
                        self.box(shape.x, shape.y, shape.w, shape.h), "#" + shape.fill
                    )
                i = shape.inset
                self.text(
                    shape.paragraphs,
                    shape.x + i,
                    shape.y + i,
                    shape.w - 2 * i,
                    shape.h - 2 * i,
                    shape.anchor,
                )
            elif isinstance(shape, Rect):
                self.rect(shape)
            elif isinstance(shape, Line):
                k = self.k
                self.draw.line(
                    (shape.x1 * k, shape.y1 * k, shape.x2 * k, shape.y2 * k),
                    "#" + shape.color,
                    max(1, round(shape.width * k)),
                )
            elif isinstance(shape, TableShape):
                self.table(shape)
            else:
                self.picture(shape)

    def rect(self, r: Rect) -> None:
        fill = "#" + r.fill if r.fill else None
        outline = "#" + r.stroke if r.stroke and r.stroke_width > 0 else None
        width = max(1, round(r.stroke_width * self.k)) if outline else 0
        if fill is None and outline is None:
            return
        box = self.box(r.x, r.y, r.w, r.h)
        if r.ellipse:
            self.draw.ellipse(box, fill, outline, width)
        elif r.radius > 0:
            self.draw.rounded_rectangle(box, round(r.radius * self.k), fill, outline, width)
        else:
            self.draw.rectangle(box, fill, outline, width)

    def table(self, t: TableShape) -> None:
        y = t.y
        for row, height in zip(t.cells, t.row_heights, strict=False):
            x = t.x
            for cell, width in zip(row, t.col_widths, strict=False):
                if cell.fill:
                    self.draw.rectangle(self.box(x, y, width, height), "#" + cell.fill)
                self.draw.rectangle(self.box(x, y, width, height), None, "#" + t.grid, 1)
                i = t.cell_inset
                self.text(cell.paragraphs, x + i, y + i, width - 2 * i, height - 2 * i, "top")
                x += width
            y += height

    def picture(self, pic: Picture) -> None:
        path = Path(pic.path)
        if pic.data is None and not path.is_file():
            return  # a picture the writer cannot find is reported by the deck itself
        with Image.open(io.BytesIO(pic.data) if pic.data is not None else path) as source:
            art = source.convert("RGBA")
        x0, y0, x1, y1 = self.box(pic.x, pic.y, pic.w, pic.h)
        art = art.resize((max(1, x1 - x0), max(1, y1 - y0)), Image.Resampling.LANCZOS)
        self.image.paste(art, (x0, y0), art)

    def text(
        self,
        paragraphs: tuple[Paragraph, ...],
        x: float,
        y: float,
        w: float,
        h: float,
        anchor: str,
    ) -> None:
        top = y
        if anchor == "middle":
            top += (h - blocks_height(paragraphs)) / 2
        elif anchor == "bottom":
            top += h - blocks_height(paragraphs)
        for p, tops in zip(paragraphs, line_tops(paragraphs, top), strict=True):
            files = self.plan.fonts.of(p.heading_font)
            below = first_baseline(p, files.ascent)
            pixels = round(p.size * self.k)
            for n, (line, line_top) in enumerate(zip(p.lines, tops, strict=True)):
                baseline = (line_top + below) * self.k
                if n == 0 and p.bullet:
                    hang = p.hang if p.hang is not None else p.size * HANG
                    face = _font(files.bold if p.bold else files.regular, pixels)
                    at = ((x + p.indent - hang) * self.k, baseline)
                    self.draw.text(at, p.bullet, "#" + (p.bullet_color or p.color), face, "ls")
                cursor = line_origin(p, n, x, w) * self.k
                for run in line.runs:
                    bold, italic = p.bold or run.bold, p.italic or run.italic
                    main = files.file(bold, italic)
                    for piece, fallback in segments(run.text, files.twin):
                        path = str(FONT_DIR / _FALLBACK_FILE[bold]) if fallback else main
                        face = _font(path, pixels)
                        self.draw.text((cursor, baseline), piece, "#" + p.color, face, "ls")
                        cursor += face.getlength(piece)
