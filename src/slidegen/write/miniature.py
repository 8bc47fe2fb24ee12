"""Draw the layout plan's slides onto a reportlab canvas as scaled vector miniatures."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from slidegen.errors import OutputError, Problem
from slidegen.fonts import FONT_DIR, fallback_name, font_name, segments, twin_file
from slidegen.markup import Run
from slidegen.plan import (
    Cell,
    FontFamily,
    FontFiles,
    Line,
    Paragraph,
    Picture,
    Plan,
    PlannedSlide,
    Rect,
    Shape,
    TableShape,
    TextBox,
    blocks_height,
    first_baseline,
    line_tops,
)
from slidegen.write.pdf_tags import ArtifactKind, Element, Tags, tags_of

__all__ = [
    "FontSet",
    "register_plan_fonts",
    "draw_slide",
    "is_furniture",
    "line_origin",
    "reading_order",
]


@dataclass(frozen=True)
class FontSet:
    """Reportlab names of the four registered faces of the plan's body family (the handout's
    text is set in it), and the same of its heading family."""

    family: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    #: the regular face's ascent, as a share of the size (the plan's baseline rule)
    ascent: float = 0.905
    #: the bundled family the faces are (the fallback font draws the symbols it lacks)
    twin: str = "Liberation Sans"
    #: the heading family's faces (None: the same as these)
    heading: FontSet | None = None

    def face(self, bold: bool, italic: bool) -> str:
        """The face for a weight and style."""
        if bold and italic:
            return self.bold_italic
        if bold:
            return self.bold
        return self.italic if italic else self.regular

    def of(self, heading: bool) -> FontSet:
        """The faces of a paragraph (`Paragraph.heading_font`)."""
        return (self.heading or self) if heading else self


def _register(path: str, twin: str, bold: bool, italic: bool) -> str:
    if path == str(FONT_DIR / twin_file(twin, bold, italic)):  # registered by `fonts` already
        return font_name(bold, italic, twin)
    file = Path(path)
    name = "SG-" + file.stem
    # Not getFont(): for an unknown name it first parses every AFM file reportlab ships.
    if name not in pdfmetrics.getRegisteredFontNames():
        try:
            pdfmetrics.registerFont(TTFont(name, str(file)))
        except (OSError, ValueError) as exc:
            raise OutputError(f"cannot read font file {file.name}: {exc}") from exc
    return name


def _family_set(family: FontFamily) -> FontSet:
    regular, bold, italic, bold_italic = (
        _register(family.file(b, i), family.twin, b, i)
        for b, i in ((False, False), (True, False), (False, True), (True, True))
    )
    # reportlab maps <b>/<i> from the regular face's name
    pdfmetrics.registerFontFamily(
        regular, normal=regular, bold=bold, italic=italic, boldItalic=bold_italic
    )
    return FontSet(regular, regular, bold, italic, bold_italic, family.ascent, family.twin)


def register_plan_fonts(fonts: FontFiles) -> FontSet:
    """Register the plan's TTF files (the files the layout measured with), each family as one
    reportlab family: the body's, with the heading's."""
    body = _family_set(fonts.body)
    if fonts.heading == fonts.body:
        return body
    return replace(body, heading=_family_set(fonts.heading))


@lru_cache(maxsize=256)
def _color(hex_rgb: str) -> Color:
    """A plan colour as reportlab's (parsed once: canvases only read it)."""
    return HexColor("#" + hex_rgb)


def _block_top(paragraphs: tuple[Paragraph, ...], y: float, h: float, anchor: str) -> float:
    """Where the first line of `paragraphs` starts in a frame at `y`, `h` tall, so anchored."""
    block = blocks_height(paragraphs)
    if anchor == "middle":
        return y + (h - block) / 2
    if anchor == "bottom":
        return y + h - block
    return y


def line_origin(p: Paragraph, n: int, x: float, w: float) -> float:
    """The left end of line `n` of `p` in a frame at `x`, `w` wide: aligned as the paragraph is;
    a left-aligned paragraph's first line starts `hang` left of its indent when it has a hanging
    indent (a hang and no bullet), as the deck sets it."""
    line = p.lines[n]
    if p.align == "center":
        return x + (w - line.width) / 2
    if p.align == "right":
        return x + w - line.width
    if n == 0 and p.hang is not None and not p.bullet:
        return x + p.indent - p.hang
    return x + p.indent


class _Lists:
    """Bulleted paragraphs as nested lists (L, LI, Lbl, LBody) below a container element."""

    def __init__(self, container: Element) -> None:
        self.container = container
        self.open: list[tuple[int, Element, Element | None]] = []  # level, L, its last LBody

    def item(self, level: int) -> tuple[Element, Element]:
        """The Lbl and LBody of a new item at `level`."""
        while self.open and self.open[-1][0] > level:
            self.open.pop()
        if not self.open or self.open[-1][0] < level:
            parent = self.open[-1][2] if self.open and self.open[-1][2] else self.container
            self.open.append((level, parent.add("L"), None))
        depth, lst, _ = self.open[-1]
        li = lst.add("LI")
        label, body = li.add("Lbl"), li.add("LBody")
        self.open[-1] = (depth, lst, body)
        return label, body

    def end(self) -> None:
        self.open = []


def _draw_paragraphs(
    c: Canvas,
    paragraphs: tuple[Paragraph, ...],
    x: float,
    y: float,
    w: float,
    h: float,
    anchor: str,
    fonts: FontSet,
    tag: str = "P",
) -> None:
    """Draw paragraphs inside the frame (x, y, w, h) (slide coordinates, y down), each line's
    baseline where the layout's rule puts it (the rule the deck is written to follow).

    Tagged below the current element: each paragraph a `tag` (a bulleted one a list item,
    its bullet the label); with `tag` "" the lines are the current element's own content."""
    tags = tags_of(c)
    lists = _Lists(tags.current)
    top = _block_top(paragraphs, y, h, anchor)
    for p, tops in zip(paragraphs, line_tops(paragraphs, top), strict=True):
        faces = fonts.of(p.heading_font)
        below = first_baseline(p, faces.ascent)
        if p.bullet and p.lines:
            label, body = lists.item(p.level)
            hang = p.bullet_hang
            with tags.inside(label), tags.content():
                c.setFont(faces.face(p.bold, False), p.size)
                c.setFillColor(_color(p.bullet_color or p.color))
                c.drawString(x + p.indent - hang, -(tops[0] + below), p.bullet)
        else:
            lists.end()
            body = tags.element(tag) if tag else tags.current
        with tags.inside(body), tags.content():
            for n, (line, line_top) in enumerate(zip(p.lines, tops, strict=True)):
                _draw_line(c, line.runs, line_origin(p, n, x, w), line_top + below, p, fonts)


def _draw_line(
    c: Canvas, runs: tuple[Run, ...], x: float, baseline: float, p: Paragraph, fonts: FontSet
) -> None:
    tags = tags_of(c)
    cursor = x
    for run in runs:
        if not run.text:
            continue
        link = tags.element("Link", text=run.text) if run.href else tags.current
        with tags.inside(link), tags.content():
            cursor += _draw_run(c, run, cursor, baseline, p, fonts)


def _draw_run(
    c: Canvas, run: Run, x: float, baseline: float, p: Paragraph, fonts: FontSet
) -> float:
    """One run of a line from `x`, with its link; returns its width."""
    faces = fonts.of(p.heading_font)
    face = faces.face(p.bold or run.bold, p.italic or run.italic)
    c.setFillColor(_color(p.color))
    advance = 0.0
    for text, fallback in segments(run.text, faces.twin):  # symbols: the fallback font
        piece_face = fallback_name(p.bold or run.bold) if fallback else face
        c.setFont(piece_face, p.size)
        c.drawString(x + advance, -baseline, text)
        advance += float(pdfmetrics.stringWidth(text, piece_face, p.size))
    if run.href:
        c.linkURL(
            run.href,
            (x, -baseline - p.size * 0.25, x + advance, -baseline + p.size),
            relative=1,
        )
    return advance


def _draw_textbox(c: Canvas, box: TextBox, fonts: FontSet, tag: str) -> None:
    if box.fill:
        with tags_of(c).artifact():
            c.setFillColor(_color(box.fill))
            c.rect(box.x, -box.y - box.h, box.w, box.h, stroke=0, fill=1)
    inset = box.inset
    _draw_paragraphs(
        c,
        box.paragraphs,
        box.x + inset,
        box.y + inset,
        box.w - 2 * inset,
        box.h - 2 * inset,
        box.anchor,
        fonts,
        tag,
    )


def _draw_rect(c: Canvas, r: Rect) -> None:
    fill = r.fill is not None
    stroke = r.stroke is not None and r.stroke_width > 0
    if not (fill or stroke):
        return
    if r.fill:
        c.setFillColor(_color(r.fill))
    if r.stroke:
        c.setStrokeColor(_color(r.stroke))
        c.setLineWidth(r.stroke_width)
    if r.opacity < 1:  # a scrim: see-through
        c.saveState()
        c.setFillAlpha(r.opacity)
        _rect_outline(c, r, fill, stroke)
        c.restoreState()
    else:
        _rect_outline(c, r, fill, stroke)


def _rect_outline(c: Canvas, r: Rect, fill: bool, stroke: bool) -> None:
    y = -r.y - r.h
    if r.ellipse:
        c.ellipse(r.x, y, r.x + r.w, y + r.h, stroke=int(stroke), fill=int(fill))
    elif r.radius > 0:
        c.roundRect(r.x, y, r.w, r.h, r.radius, stroke=int(stroke), fill=int(fill))
    else:
        c.rect(r.x, y, r.w, r.h, stroke=int(stroke), fill=int(fill))


def _draw_line_shape(c: Canvas, ln: Line) -> None:
    c.setStrokeColor(_color(ln.color))
    c.setLineWidth(ln.width)
    c.line(ln.x1, -ln.y1, ln.x2, -ln.y2)


def _draw_table(c: Canvas, t: TableShape, fonts: FontSet) -> None:
    tags = tags_of(c)
    y = t.y
    for r, (row, height) in enumerate(zip(t.cells, t.row_heights, strict=False)):
        x = t.x
        tr = tags.current.add("TR")
        for cell, width in zip(row, t.col_widths, strict=False):
            with tags.inside(tr):
                _draw_cell(c, t, cell, x, y, width, height, fonts, header=t.header and r == 0)
            x += width
        y += height
    with tags.artifact():
        c.setStrokeColor(_color(t.grid))
        c.setLineWidth(0.75)
        y = t.y
        bottom = t.y + sum(t.row_heights)
        right = t.x + sum(t.col_widths)
        for height in (0.0, *t.row_heights):
            y += height
            c.line(t.x, -y, right, -y)
        x = t.x
        for width in (0.0, *t.col_widths):
            x += width
            c.line(x, -t.y, x, -bottom)


def _draw_cell(
    c: Canvas, t: TableShape, cell: Cell, x: float, y: float, width: float, height: float,
    fonts: FontSet, header: bool,
) -> None:
    """One cell of a table: a TH (its column's header) or a TD, with its paragraphs."""
    tags = tags_of(c)
    if cell.fill:
        with tags.artifact():
            c.setFillColor(_color(cell.fill))
            c.rect(x, -y - height, width, height, stroke=0, fill=1)
    inset = t.cell_inset
    with tags.inside(tags.element("TH" if header else "TD", scope="Column" if header else None)):
        _draw_paragraphs(
            c, cell.paragraphs, x + inset, y + inset, width - 2 * inset,
            height - 2 * inset, "top", fonts, tag="",
        )


def _draw_picture(c: Canvas, pic: Picture) -> None:
    """The picture from the path the layout resolved and checked (absolute), or from its
    bytes (a template's picture)."""
    if pic.data is not None:  # drawn once into a form, which every slide shows
        name = "TemplatePicture" + hashlib.sha256(pic.data).hexdigest()[:16]
        made: set[str] = c.__dict__.setdefault("_slidegen_forms", set())
        if name not in made:
            made.add(name)
            c.beginForm(name, 0, 0, 1, 1)
            c.drawImage(_reader(pic.data), 0, 0, 1, 1, mask="auto")
            c.endForm()
        c.saveState()
        c.translate(pic.x, -pic.y - pic.h)
        c.scale(pic.w, pic.h)
        c.doForm(name)
        c.restoreState()
        return
    try:
        st = Path(pic.path).stat()
    except OSError:
        problem = Problem(f"picture {pic.path} disappeared during the build", hint="build again")
        raise OutputError([problem]) from None
    c.drawImage(_file_reader(pic.path, st.st_size, st.st_mtime_ns), pic.x, -pic.y - pic.h,
                pic.w, pic.h, preserveAspectRatio=True, anchor="c", mask="auto")


@lru_cache(maxsize=16)
def _reader(data: bytes) -> ImageReader:
    """A template picture's bytes, decoded once per process (every miniature draws it)."""
    return ImageReader(io.BytesIO(data))


@lru_cache(maxsize=32)
def _file_reader(path: str, _size: int, _mtime_ns: int) -> ImageReader:
    """A picture file, read once per process while it is unchanged. Drawn from a reader,
    the image's name in the PDF is a hash of its pixels; drawn from its path, reportlab
    names it by the path, and the same class built in another folder gave other bytes."""
    with open(path, "rb") as fh:
        return ImageReader(io.BytesIO(fh.read()))


_DECORATION = (Rect, Line)
_PAGINATION = ("footer", "number", "date")


def _element(tags: Tags, slide: PlannedSlide, shape: Shape) -> Element | None:
    """The element a shape's content is tagged in; None: the shape is decoration."""
    if isinstance(shape, _DECORATION):
        return None
    if isinstance(shape, Picture):
        return tags.element("Figure", alt=shape.alt) if shape.alt.strip() else None
    if isinstance(shape, TableShape):
        return tags.element("Table")
    if is_furniture(shape):
        return None
    if shape.role == "title":
        return tags.element("H1" if slide.kind in ("title", "section") else "H2")
    if shape.role == "quote":
        return tags.element("BlockQuote")
    return tags.element("Div", transparent=True)


def is_furniture(shape: Shape) -> bool:
    """Whether a shape is the slide's footer or its number."""
    return isinstance(shape, TextBox) and shape.role in _PAGINATION


def reading_order(shapes: tuple[Shape, ...]) -> tuple[Shape, ...]:
    """The order a slide's shapes are read in: its title first, then the others as placed."""
    titles = [s for s in shapes if isinstance(s, TextBox) and s.role == "title"]
    return (*titles, *(s for s in shapes if s not in titles))


def _draw_shape(c: Canvas, shape: Shape, fonts: FontSet, element: Element | None) -> None:
    """A shape, tagged in `element` (None: as an artifact)."""
    tags = tags_of(c)
    if element is None:
        kind: ArtifactKind = "Pagination" if isinstance(shape, TextBox) else "Layout"
        with tags.artifact(kind):
            _draw_untagged(c, shape, fonts)
        return
    with tags.inside(element):
        if isinstance(shape, TextBox) and element.tag.startswith("H"):
            with tags.content():  # a heading's lines: one marked-content sequence
                _draw_textbox(c, shape, fonts, "")
        elif isinstance(shape, TextBox):
            _draw_textbox(c, shape, fonts, "P")
        elif isinstance(shape, TableShape):
            _draw_table(c, shape, fonts)
        else:
            with tags.content():
                _draw_untagged(c, shape, fonts)


def _draw_untagged(c: Canvas, shape: Shape, fonts: FontSet) -> None:
    if isinstance(shape, TextBox):
        _draw_textbox(c, shape, fonts, "P")
    elif isinstance(shape, Rect):
        _draw_rect(c, shape)
    elif isinstance(shape, Line):
        _draw_line_shape(c, shape)
    elif isinstance(shape, TableShape):
        _draw_table(c, shape, fonts)
    else:
        _draw_picture(c, shape)


def draw_slide(
    c: Canvas,
    plan: Plan,
    slide: PlannedSlide,
    fonts: FontSet,
    x: float,
    top: float,
    width: float,
    frame: str | None = "9AA5B1",
    furniture: bool = True,
) -> float:
    """Draw `slide` scaled to `width`, its top-left corner at (x, top) in canvas coordinates
    (y up). Returns the miniature's height. With `furniture` False the slide's footer and
    number are left out (a handout page says both in print that can be read).

    On a `TaggedCanvas` the slide's text is tagged below the current element in reading
    order (`reading_order`): the title a heading (H1 on the cover and section dividers, else
    H2), paragraphs, lists, tables with their header row, pictures as figures with their alt
    text; backgrounds, rules, shapes, the footer and the slide number are artifacts."""
    tags = tags_of(c)
    scale = width / plan.width
    height = plan.height * scale
    elements = {id(s): _element(tags, slide, s) for s in reading_order(slide.shapes)}
    c.saveState()
    c.translate(x, top)
    c.scale(scale, scale)
    p = c.beginPath()
    p.rect(0, -plan.height, plan.width, plan.height)
    c.clipPath(p, stroke=0, fill=0)
    with tags.artifact("Background"):
        c.setFillColor(_color(slide.background))
        c.rect(0, -plan.height, plan.width, plan.height, stroke=0, fill=1)
    for shape in slide.backdrop:  # a template's design: decoration, under the slide
        _draw_shape(c, shape, fonts, None)
    for shape in slide.shapes:
        if furniture or not is_furniture(shape):
            _draw_shape(c, shape, fonts, elements[id(shape)])
    c.restoreState()
    if frame:
        with tags.artifact():
            c.saveState()
            c.setStrokeColor(_color(frame))
            c.setLineWidth(0.6)
            c.rect(x, top - height, width, height, stroke=1, fill=0)
            c.restoreState()
    return height
