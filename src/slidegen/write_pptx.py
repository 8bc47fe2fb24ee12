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
from .layout_text import SAFETY, first_baseline, wrap_range
from .markup import Run
from .plan import Line, Paragraph, Picture, Plan, PlannedSlide, Rect, TableShape, TextBox
from .resolve import Edition

__all__ = ["deck_bytes", "build_time"]

_TITLE_ONLY = 5  # layout of python-pptx's default template with just a title placeholder
_ALIGN = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}
_ANCHOR = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}
_NUMBER = re.compile(r"^(\d+)\.$")
#: How far above a line's bottom a renderer puts the baseline of a line set at exact spacing,
#: in ems: the font's descent (434 of 2048 units) as LibreOffice rounds it (measured 0.200).
_DESCENT = 0.2
#: A renderer's wrap width stays this share of the line clear of the plan's nearest break.
_CLEARANCE = 0.006


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
    before = _spacing(box.paragraphs)
    dy, top, bottom, anchor = _insets(box, before)
    if dy:
        _place(target, box.x, box.y + dy, box.w, box.h - dy)
    frame.vertical_anchor = _ANCHOR[anchor]
    frame.margin_left = frame.margin_right = Pt(box.inset)
    frame.margin_top, frame.margin_bottom = Pt(top), Pt(bottom)
    if box.fill:
        target.fill.solid()
        target.fill.fore_color.rgb = _rgb(box.fill)
    _paragraphs(frame, box.paragraphs, plan, tag, box.w - 2 * box.inset, before)


def _offset(p: Paragraph) -> float:
    """How much lower the plan puts a line's baseline than a renderer does, in points.

    PowerPoint and LibreOffice give a line set at exact spacing all of its extra leading
    above the text (baseline at the line's height less the font's descent); the plan centers
    the text in its line.
    """
    return first_baseline(p) - (p.size * p.line_spacing - p.size * _DESCENT)


def _spacing(paragraphs: tuple[Paragraph, ...]) -> list[float]:
    """Space before each paragraph in the deck, so every baseline lands where the plan has it."""
    out: list[float] = []
    for i, p in enumerate(paragraphs):
        if i == 0:
            out.append(0.0)
            continue
        shift = _offset(p) - _offset(paragraphs[i - 1])
        out.append(max(0.0, round(p.space_before + shift, 2)))
    return out


def _insets(box: TextBox, before: list[float]) -> tuple[float, float, float, str]:
    """(shape moved down by, top inset, bottom inset, anchor) that put the first baseline where
    the plan has it, keeping the box's own anchoring when insets allow it."""
    if not box.paragraphs:
        return 0.0, box.inset, box.inset, box.anchor
    shift = _offset(box.paragraphs[0])
    lines = sum(p.size * p.line_spacing * len(p.lines) for p in box.paragraphs)
    planned = lines + sum(p.space_before for p in box.paragraphs[1:])
    drawn = lines + sum(before)
    if box.anchor == "middle":
        diff = drawn - planned + 2 * shift
        if diff >= 0:
            return 0.0, box.inset + diff, box.inset, "middle"
        return 0.0, box.inset, box.inset - diff, "middle"
    if box.anchor == "bottom":
        bottom = box.inset + planned - drawn - shift
        if bottom >= 0:
            return 0.0, box.inset, bottom, "bottom"
        shift += box.h - 2 * box.inset - planned  # where a top-anchored box starts this text
    top = box.inset + shift
    if top >= 0:
        return 0.0, top, box.inset, "top"
    return top, 0.0, box.inset, "top"


def _paragraphs(
    frame: Any,
    paragraphs: tuple[Paragraph, ...],
    plan: Plan,
    tag: str,
    inner: float,
    before: list[float],
) -> None:
    for i, p in enumerate(paragraphs):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = _ALIGN[p.align]
        para.line_spacing = Pt(p.size * p.line_spacing)
        para.space_before = Pt(before[i])
        para.space_after = Pt(0)
        _bullet(para, p)
        _wrap_width(para, p, inner)
        _add_runs(para, p.runs, p.size, p.color, p.bold, p.italic, plan, tag)


def _wrap_width(para: Any, p: Paragraph, inner: float) -> None:
    """Narrow the paragraph (its right margin) so a renderer wraps it where the plan did.

    The layout breaks lines at SAFETY of the width; every wrap width from the widest line up
    to the narrowest overflow gives the same breaks. The deck takes the one nearest the
    layout's own, kept clear of both ends so that renderers measuring a little differently
    still agree.
    """
    avail = inner - p.indent
    if avail <= 0 or not p.lines:
        return
    extra = p.hang if p.hang and not p.bullet else 0.0
    widest, overflow = wrap_range(p.runs, p.size, avail * SAFETY, p.bold, p.italic, extra)
    clear = max(1.0, _CLEARANCE * avail)
    if overflow - widest > 2 * clear:
        width = min(max(avail * SAFETY, widest + clear), overflow - clear)
    else:
        width = (widest + overflow) / 2
    margin = max(0.0, avail - min(width, avail))
    pPr = para._p.get_or_add_pPr()
    if p.align == "right":  # the text keeps its right edge; the left margin takes the slack
        pPr.set("marL", str(Emu(Pt(p.indent + margin))))
        return
    if p.align == "center":  # centered on the frame, as the plan centers it
        pPr.set("marL", str(Emu(Pt(p.indent + margin / 2))))
        margin /= 2
    pPr.set("marR", str(Emu(Pt(margin))))


def _bullet(para: Any, p: Paragraph) -> None:
    """Indent, and a bullet character or automatic number, in the paragraph's properties."""
    pPr = para._p.get_or_add_pPr()
    if p.level:
        pPr.set("lvl", str(min(p.level, 8)))
    hang = p.hang if p.hang is not None else 0.9 * p.size
    for tag in ("a:buClr", "a:buSzPct", "a:buFont", "a:buNone", "a:buAutoNum", "a:buChar"):
        for old in pPr.findall(qn(tag)):
            pPr.remove(old)
    if not p.bullet:  # a hanging indent when `hang` is given: the first line starts left
        pPr.set("marL", str(Emu(Pt(p.indent))))
        pPr.set("indent", str(-Emu(Pt(p.hang))) if p.hang else "0")
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
        rpr = r._r.get_or_add_rPr()
        rpr.set("lang", tag)
        rpr.set("kern", "0")  # measured without kerning: renderers must not tighten lines
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
            inset = t.cell_inset
            before = _spacing(cell_plan.paragraphs)
            top = inset + (_offset(cell_plan.paragraphs[0]) if cell_plan.paragraphs else 0.0)
            cell.margin_left = cell.margin_right = Pt(inset)
            cell.margin_top = Pt(max(0.0, top))
            cell.margin_bottom = Pt(max(0.0, inset - max(0.0, top - inset)))
            cell.vertical_anchor = MSO_ANCHOR.TOP
            frame_ = cell.text_frame
            frame_.word_wrap = True
            width = t.col_widths[c] - 2 * inset
            _paragraphs(frame_, cell_plan.paragraphs, plan, tag, width, before)
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
