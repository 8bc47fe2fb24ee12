"""The PowerPoint writer: draws a plan as native, editable shapes into reproducible .pptx bytes."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Pt

from .errors import OutputError, Problem
from .markup import Run
from .plan import Line, Paragraph, Picture, Plan, PlannedSlide, Rect, TableShape, TextBox
from .resolve import Edition

__all__ = ["deck_bytes", "build_time"]

_TITLE_ONLY = 5  # layout of python-pptx's default template with just a title placeholder
_ALIGN = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}
_ANCHOR = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}
_NUMBER = re.compile(r"^(\d+)\.$")


def build_time(edition: Edition) -> dt.datetime:
    """The fixed date written into the document: SOURCE_DATE_EPOCH, else the class date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(max(int(epoch), 315532800), dt.UTC).replace(
                tzinfo=None
            )
        except (ValueError, OverflowError):
            raise OutputError(
                [Problem(f"SOURCE_DATE_EPOCH is not a number of seconds: {epoch!r}")]
            ) from None
    date = edition.outline.date or ""
    try:
        day = dt.date.fromisoformat(date[:10]) if len(date) >= 10 else None
    except ValueError:
        day = None
    if day and day.year >= 1980:
        return dt.datetime(day.year, day.month, day.day)
    return dt.datetime(2000, 1, 1)


def deck_bytes(plan: Plan, edition: Edition) -> bytes:
    """The .pptx file of a plan: same plan and edition, same bytes."""
    prs = Presentation()
    prs.slide_width = Pt(plan.width)
    prs.slide_height = Pt(plan.height)
    _theme_fonts(prs, plan.fonts.deck_name)
    layout = prs.slide_layouts[_TITLE_ONLY]
    for planned in plan.slides:
        _slide(prs, layout, planned, plan)
    when = build_time(edition)
    props = prs.core_properties
    props.title = plan.title
    props.author = edition.outline.lecturer or ""
    props.last_modified_by = edition.outline.lecturer or ""
    props.subject = edition.outline.course
    props.language = plan.language
    props.keywords = ""
    props.comments = ""
    props.category = ""
    props.revision = 1
    props.created = when
    props.modified = when
    props.last_printed = when
    raw = io.BytesIO()
    prs.save(raw)
    return _normalize_zip(raw.getvalue(), when)


def _normalize_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite the package with fixed member timestamps and attributes."""
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 0
            dst.writestr(fixed, src.read(info.filename), compresslevel=9)
    return out.getvalue()


def _theme_fonts(prs: Any, family: str) -> None:
    """Name the deck's family as the theme's heading and body font, for text added later."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    blob = part.blob.replace(
        b'<a:latin typeface="Calibri"/>', f'<a:latin typeface="{family}"/>'.encode()
    )
    part._blob = blob


def _rgb(hex_rgb: str) -> Any:
    make: Any = RGBColor
    return make(int(hex_rgb[0:2], 16), int(hex_rgb[2:4], 16), int(hex_rgb[4:6], 16))


def _sub(parent: Any, tag: str) -> Any:
    """Append a new DrawingML element named `tag` (e.g. 'a:buChar') to `parent`."""
    child = OxmlElement(tag)
    parent.append(child)
    return child


def _slide(prs: Any, layout: Any, planned: PlannedSlide, plan: Plan) -> None:
    slide = prs.slides.add_slide(layout)
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.rgb = _rgb(planned.background)
    title_done = False
    tag = plan.language
    for shape in planned.shapes:
        if isinstance(shape, TextBox):
            if shape.role == "title" and not title_done:
                target = slide.shapes.title
                _place(target, shape.x, shape.y, shape.w, shape.h)
                title_done = True
            else:
                target = slide.shapes.add_textbox(
                    Pt(shape.x), Pt(shape.y), Pt(shape.w), Pt(shape.h)
                )
            if shape.name:
                target.name = shape.name
            _text_frame(target, shape, plan, tag)
        elif isinstance(shape, Rect):
            if (
                shape.name == "Background"
                and shape.x <= 0
                and shape.y <= 0
                and shape.w >= plan.width
                and shape.h >= plan.height
            ):
                continue  # drawn as the slide background, which stays editable as such
            _rect(slide, shape)
        elif isinstance(shape, Line):
            _line(slide, shape)
        elif isinstance(shape, TableShape):
            _table(slide, shape, plan, tag)
        elif isinstance(shape, Picture):
            pic = slide.shapes.add_picture(
                shape.path, Pt(shape.x), Pt(shape.y), Pt(shape.w), Pt(shape.h)
            )
            pic.name = shape.name or "Picture"
            pic._element.nvPicPr.cNvPr.set("descr", shape.alt)
    if not title_done:  # every slide has a title, for navigation and accessibility
        title = slide.shapes.title
        _place(title, 0, -plan.height, plan.width, 40)
        para = title.text_frame.paragraphs[0]
        _add_runs(para, (Run(planned.title),), 20, "000000", False, False, plan, tag)
    notes = planned.notes
    if notes:
        frame = slide.notes_slide.notes_text_frame
        for i, runs in enumerate(notes):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            _add_runs(para, runs, 12, "000000", False, False, plan, tag)


def _place(shape: Any, x: float, y: float, w: float, h: float) -> None:
    shape.left, shape.top, shape.width, shape.height = Pt(x), Pt(y), Pt(w), Pt(h)


def _text_frame(target: Any, box: TextBox, plan: Plan, tag: str) -> None:
    frame = target.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = _ANCHOR[box.anchor]
    inset = Pt(box.inset)
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = inset
    if box.fill:
        target.fill.solid()
        target.fill.fore_color.rgb = _rgb(box.fill)
    _paragraphs(frame, box.paragraphs, plan, tag)


def _paragraphs(frame: Any, paragraphs: tuple[Paragraph, ...], plan: Plan, tag: str) -> None:
    for i, p in enumerate(paragraphs):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = _ALIGN[p.align]
        para.line_spacing = Pt(p.size * p.line_spacing)
        para.space_before = Pt(p.space_before)
        para.space_after = Pt(0)
        _bullet(para, p)
        _add_runs(para, p.runs, p.size, p.color, p.bold, p.italic, plan, tag)


def _bullet(para: Any, p: Paragraph) -> None:
    """Indent, and a bullet character or automatic number, in the paragraph's properties."""
    pPr = para._p.get_or_add_pPr()
    if p.level:
        pPr.set("lvl", str(min(p.level, 8)))
    hang = p.hang if p.hang is not None else 0.9 * p.size
    for tag in ("a:buClr", "a:buSzPct", "a:buFont", "a:buNone", "a:buAutoNum", "a:buChar"):
        for old in pPr.findall(qn(tag)):
            pPr.remove(old)
    if not p.bullet:
        pPr.set("marL", str(Emu(Pt(p.indent))))
        pPr.set("indent", "0")
        _insert_bullet(pPr, [_sub(pPr, "a:buNone")])
        return
    pPr.set("marL", str(Emu(Pt(p.indent))))
    pPr.set("indent", str(-Emu(Pt(hang))))
    elements = []
    if p.bullet_color or p.color:
        clr = _sub(pPr, "a:buClr")
        srgb = _sub(clr, "a:srgbClr")
        srgb.set("val", p.bullet_color or p.color)
        elements.append(clr)
    font = _sub(pPr, "a:buFont")
    font.set("typeface", "Arial")
    elements.append(font)
    number = _NUMBER.match(p.bullet)
    if number:
        auto = _sub(pPr, "a:buAutoNum")
        auto.set("type", "arabicPeriod")
        if number.group(1) != "1":
            auto.set("startAt", number.group(1))
        elements.append(auto)
    else:
        char = _sub(pPr, "a:buChar")
        char.set("char", p.bullet)
        elements.append(char)
    _insert_bullet(pPr, elements)


def _insert_bullet(pPr: Any, elements: list[Any]) -> None:
    """Move bullet elements after spacing elements, as the schema orders them."""
    for el in elements:
        pPr.remove(el)
    anchor = 0
    for i, child in enumerate(pPr):
        if child.tag in (qn("a:lnSpc"), qn("a:spcBef"), qn("a:spcAft")):
            anchor = i + 1
    for k, el in enumerate(elements):
        pPr.insert(anchor + k, el)


def _add_runs(
    para: Any,
    runs: tuple[Run, ...],
    size: float,
    color: str,
    bold: bool,
    italic: bool,
    plan: Plan,
    tag: str,
) -> None:
    for run in runs:
        if not run.text:
            continue
        r = para.add_run()
        r.text = run.text
        font = r.font
        font.size = Pt(size)
        font.bold = run.bold or bold
        font.italic = run.italic or italic
        font.name = plan.fonts.deck_name
        font.color.rgb = _rgb(color)
        r._r.get_or_add_rPr().set("lang", tag)
        if run.href:
            r.hyperlink.address = run.href
    end = para._p.get_or_add_endParaRPr()
    end.set("lang", tag)
    end.set("sz", str(round(size * 100)))


def _no_style(shape: Any) -> None:
    """Drop the template's shape style (its shadow and theme line), keeping explicit formatting."""
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def _rect(slide: Any, rect: Rect) -> None:
    kind = (
        MSO_SHAPE.OVAL
        if rect.ellipse
        else (MSO_SHAPE.ROUNDED_RECTANGLE if rect.radius else MSO_SHAPE.RECTANGLE)
    )
    shape = slide.shapes.add_shape(kind, Pt(rect.x), Pt(rect.y), Pt(rect.w), Pt(rect.h))
    _no_style(shape)
    if rect.name:
        shape.name = rect.name
    if rect.radius and not rect.ellipse:
        shape.adjustments[0] = min(0.5, rect.radius / max(1.0, min(rect.w, rect.h)))
    if rect.fill:
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(rect.fill)
    else:
        shape.fill.background()
    if rect.stroke and rect.stroke_width > 0:
        shape.line.color.rgb = _rgb(rect.stroke)
        shape.line.width = Pt(rect.stroke_width)
    else:
        shape.line.fill.background()


def _line(slide: Any, line: Line) -> None:
    conn = slide.shapes.add_connector(
        MSO_CONNECTOR.STRAIGHT, Pt(line.x1), Pt(line.y1), Pt(line.x2), Pt(line.y2)
    )
    _no_style(conn)
    if line.name:
        conn.name = line.name
    conn.line.color.rgb = _rgb(line.color)
    conn.line.width = Pt(line.width)


def _table(slide: Any, t: TableShape, plan: Plan, tag: str) -> None:
    rows, cols = len(t.cells), len(t.col_widths)
    frame = slide.shapes.add_table(rows, cols, Pt(t.x), Pt(t.y), Pt(t.w), Pt(t.h))
    if t.name:
        frame.name = t.name
    table = frame.table
    table.first_row = t.header
    table.horz_banding = False
    for c, w in enumerate(t.col_widths):
        table.columns[c].width = Pt(w)
    for r, h in enumerate(t.row_heights):
        table.rows[r].height = Pt(h)
    for r, row in enumerate(t.cells):
        for c, cell_plan in enumerate(row):
            cell = table.cell(r, c)
            inset = Pt(t.cell_inset)
            cell.margin_left = cell.margin_right = cell.margin_top = cell.margin_bottom = inset
            cell.vertical_anchor = MSO_ANCHOR.TOP
            frame_ = cell.text_frame
            frame_.word_wrap = True
            _paragraphs(frame_, cell_plan.paragraphs, plan, tag)
            _cell_borders(cell, t.grid, cell_plan.fill)


def _cell_borders(cell: Any, grid: str, fill: str | None) -> None:
    """Thin borders in the grid color and the cell's fill, in schema order."""
    tcPr = cell._tc.get_or_add_tcPr()
    for child in list(tcPr):
        tcPr.remove(child)
    for side in ("a:lnL", "a:lnR", "a:lnT", "a:lnB"):
        ln = _sub(tcPr, side)
        ln.set("w", str(Emu(Pt(0.75))))
        solid = _sub(ln, "a:solidFill")
        _sub(solid, "a:srgbClr").set("val", grid)
    if fill:
        solid = _sub(tcPr, "a:solidFill")
        _sub(solid, "a:srgbClr").set("val", fill)
