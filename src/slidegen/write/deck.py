"""The PowerPoint writer: draws a plan as native, editable shapes into reproducible .pptx bytes.

Each slide's shape tree (and its notes page) is written as one DrawingML string and parsed
once: python-pptx's object API looks up every element it sets, which made the deck slower to
write than pandoc's whole run. python-pptx still owns the package: the template, parts,
relationships (links, pictures, notes) and content types.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from typing import Any

from pptx import Presentation
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.slide import CT_NotesSlide
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.util import Pt

from slidegen.errors import OutputError, Problem
from slidegen.fonts import FALLBACK_FONT, segments
from slidegen.markup import Run, runs_text
from slidegen.plan import (
    DocumentInfo,
    Line,
    Paragraph,
    Picture,
    Plan,
    PlannedSlide,
    Rect,
    TableShape,
    TextBox,
    first_baseline,
)

__all__ = ["deck_bytes", "build_time"]

_TITLE_ONLY = 5  # layout of python-pptx's default template with just a title placeholder
_ALIGN = {"left": "l", "center": "ctr", "right": "r"}
_ANCHOR = {"top": "t", "middle": "ctr", "bottom": "b"}
_NUMBER = re.compile(r"^(\d+)\.$")
#: How far above a line's bottom a renderer puts the baseline of a line set at exact spacing,
#: in ems: the font's descent (434 of 2048 units) as LibreOffice rounds it (measured 0.200).
_DESCENT = 0.2
_NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
_GROUP = '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
_FALLBACK = FALLBACK_FONT  # a name without characters to escape
_TABLE_URI = "http://schemas.openxmlformats.org/drawingml/2006/table"
_TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"
_NO_TEXT = (
    '<p:txBody><a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/>'
    '<a:p><a:pPr algn="ctr"/></a:p></p:txBody>'
)
_NOTES_HEAD = (
    f"<p:notes {_NS}><p:cSld><p:spTree>{_GROUP}<p:grpSpPr><a:xfrm>"
    '<a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/>'
    '</a:xfrm></p:grpSpPr><p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/>'
    '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="sldImg" idx="2"/>'
    "</p:nvPr></p:nvSpPr><p:spPr/></p:sp><p:sp><p:nvSpPr>"
    '<p:cNvPr id="3" name="Notes Placeholder 2"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
    '<p:nvPr><p:ph type="body" idx="3" sz="quarter"/></p:nvPr></p:nvSpPr><p:spPr/>'
    "<p:txBody><a:bodyPr/><a:lstStyle/>"
)
_NOTES_TAIL = (
    '</p:txBody></p:sp><p:sp><p:nvSpPr><p:cNvPr id="4" name="Slide Number Placeholder 3"/>'
    '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="sldNum" idx="5" '
    'sz="quarter"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp></p:spTree></p:cSld>'
    "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>"
)
#: Characters XML 1.0 cannot hold, written as python-pptx writes them in text ("_x0007_").
_CONTROL = re.compile(r"[\x00-\x08\x0B-\x1F\uFFFE\uFFFF\ud800-\udfff]")
#: The same in attribute values, which keep a carriage return (as a character reference).
_CONTROL_ATTR = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF\ud800-\udfff]")


def build_time(info: DocumentInfo) -> dt.datetime:
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
    date = info.date
    try:
        day = dt.date.fromisoformat(date[:10]) if len(date) >= 10 else None
    except ValueError:
        day = None
    if day and day.year >= 1980:
        return dt.datetime(day.year, day.month, day.day)
    return dt.datetime(2000, 1, 1)


def deck_bytes(plan: Plan) -> bytes:
    """The .pptx file of a plan: same plan, same bytes."""
    prs = Presentation()
    prs.slide_width = Pt(plan.width)
    prs.slide_height = Pt(plan.height)
    _theme_fonts(prs, plan.fonts.deck_name)
    layout_part = prs.slide_layouts[_TITLE_ONLY].part
    notes = 0
    for planned in plan.slides:
        part = _slide(prs, layout_part, planned, plan)
        if planned.notes:
            notes += 1
            _notes(part, plan, planned.notes, notes)
    when = build_time(plan.info)
    props = prs.core_properties
    props.title = plan.title
    props.author = runs_text(plan.info.lecturer)
    props.last_modified_by = runs_text(plan.info.lecturer)
    props.subject = runs_text(plan.info.course)
    props.language = plan.language
    props.keywords = ""
    props.comments = ""
    props.category = ""
    props.revision = 1
    props.created = when
    props.modified = when
    props.last_printed = when
    return _package(prs, when)


def _package(prs: Any, when: dt.datetime) -> bytes:
    """The package zipped once, with fixed member times: the members python-pptx's own writer
    writes, in its order (content types, package relationships, each part and its rels)."""
    try:
        from pptx.opc.oxml import serialize_part_xml
        from pptx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
        from pptx.opc.serialized import _ContentTypesItem
    except ImportError:  # a python-pptx without these: let it save, then fix the members
        raw = io.BytesIO()
        prs.save(raw)
        with zipfile.ZipFile(raw) as src:
            return _zip([(i.filename, src.read(i.filename)) for i in src.infolist()], when)
    package = prs.part.package
    parts = list(package.iter_parts())
    members = [
        (CONTENT_TYPES_URI.membername, serialize_part_xml(_ContentTypesItem.xml_for(parts))),
        (PACKAGE_URI.rels_uri.membername, package._rels.xml),
    ]
    for part in parts:
        members.append((part.partname.membername, part.blob))
        if part._rels:
            members.append((part.partname.rels_uri.membername, part.rels.xml))
    return _zip(members, when)


def _zip(members: list[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """A zip of `members` with fixed timestamps and attributes."""
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, data in members:
            fixed = zipfile.ZipInfo(name, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 0
            dst.writestr(fixed, data, compresslevel=9)
    return out.getvalue()


def _theme_fonts(prs: Any, family: str) -> None:
    """Name the deck's family as the theme's heading and body font, for text added later."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    blob = part.blob.replace(
        b'<a:latin typeface="Calibri"/>', f'<a:latin typeface="{_attr(family)}"/>'.encode()
    )
    part._blob = blob


# ---------------------------------------------------------------- units and escaping


def _emu(points: float) -> int:
    """Points in EMU, truncated as python-pptx's ``Pt`` truncates them."""
    return int(points * 12700)


def _centi(points: float) -> int:
    """Points in hundredths of a point, as python-pptx stores sizes and spacing."""
    return int(points * 12700) // 127


def _rgb(hex_rgb: str) -> str:
    """An RRGGBB color in the upper case python-pptx writes."""
    return f"{int(hex_rgb[0:2], 16):02X}{int(hex_rgb[2:4], 16):02X}{int(hex_rgb[4:6], 16):02X}"


def _hex(match: re.Match[str]) -> str:
    return f"_x{ord(match.group(0)):04X}_"


def _text(text: str) -> str:
    """Element text, escaped."""
    text = _CONTROL.sub(_hex, text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    """An attribute value, escaped (white space kept as it is)."""
    return (
        _CONTROL_ATTR.sub(_hex, text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\t", "&#9;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
    )


def _xfrm(x: float, y: float, w: float, h: float, tag: str = "a:xfrm") -> str:
    return (
        f'<{tag}><a:off x="{_emu(x)}" y="{_emu(y)}"/><a:ext cx="{_emu(w)}" cy="{_emu(h)}"/></{tag}>'
    )


def _solid(hex_rgb: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{hex_rgb}"/></a:solidFill>'


# ---------------------------------------------------------------- slides


class _Tree:
    """The shape tree of one slide being written: its XML pieces, shape ids and relationships."""

    def __init__(self, part: Any, plan: Plan) -> None:
        self.part = part
        self.plan = plan
        self.tag = _attr(plan.language)
        self.font = _attr(plan.fonts.deck_name)
        #: the title placeholder (id 2), the first shape but over a picture placed before it
        self.title: str | None = None
        self.shapes: list[str] = []
        self.next_id = 3

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def link(self, url: str) -> str:
        rid: str = self.part.relate_to(url, RT.HYPERLINK, is_external=True)
        return rid

    def image(self, path: str) -> str:
        _, rid = self.part.get_or_add_image_part(path)
        return str(rid)


def _slide(prs: Any, layout_part: Any, planned: PlannedSlide, plan: Plan) -> Any:
    pres_part = prs.part
    new: Any = SlidePart.new  # untyped in python-pptx
    part = new(pres_part._next_slide_partname, pres_part.package, layout_part)
    prs.slides._sldIdLst.add_sldId(pres_part.relate_to(part, RT.SLIDE))
    tree = _Tree(part, plan)
    behind = False  # a picture the title is drawn over (a background picture): keep the order
    for shape in planned.shapes:
        behind = behind or (isinstance(shape, Picture) and tree.title is None)
        if isinstance(shape, TextBox):
            if shape.role == "title" and tree.title is None:
                tree.title = _text_box(tree, shape, 2, placeholder=True)
                if behind:
                    tree.shapes.append(tree.title)
                    tree.title = ""
            else:
                tree.shapes.append(_text_box(tree, shape, tree.new_id()))
        elif isinstance(shape, Rect):
            tree.shapes.append(_rect(shape, tree.new_id()))
        elif isinstance(shape, Line):
            tree.shapes.append(_line(shape, tree.new_id()))
        elif isinstance(shape, TableShape):
            tree.shapes.append(_table(tree, shape, tree.new_id()))
        elif isinstance(shape, Picture):
            tree.shapes.append(_picture(tree, shape, tree.new_id()))
    if tree.title is None:  # every slide has a title, for navigation and accessibility
        runs = _runs(tree, (Run(planned.title),), 20, "000000", False, False)
        tree.title = (
            f"{_title_head(2, 'Title 1')}{_xfrm(0, -plan.height, plan.width, 40)}</p:spPr>"
            f"<p:txBody><a:bodyPr/><a:lstStyle/><a:p>{runs}</a:p></p:txBody></p:sp>"
        )
    xml = (
        f"<p:sld {_NS}><p:cSld><p:bg><p:bgPr>{_solid(_rgb(planned.background))}<a:effectLst/>"
        f"</p:bgPr></p:bg><p:spTree>{_GROUP}<p:grpSpPr/>{tree.title}{''.join(tree.shapes)}"
        "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"
    )
    part._element = parse_xml(xml.encode("utf-8"))
    return part


def _notes(slide_part: Any, plan: Plan, notes: tuple[tuple[Run, ...], ...], number: int) -> None:
    """The notes page: the notes master's placeholders, the notes as paragraphs of the body."""
    package = slide_part.package
    partname = PackURI(f"/ppt/notesSlides/notesSlide{number}.xml")
    part = NotesSlidePart(partname, CT.PML_NOTES_SLIDE, package, CT_NotesSlide.new())
    part.relate_to(package.presentation_part.notes_master_part, RT.NOTES_MASTER)
    part.relate_to(slide_part, RT.SLIDE)
    tree = _Tree(part, plan)  # links in the notes belong to the notes page
    paras = "".join(f"<a:p>{_runs(tree, runs, 12, '000000', False, False)}</a:p>" for runs in notes)
    part._element = parse_xml((_NOTES_HEAD + paras + _NOTES_TAIL).encode("utf-8"))
    slide_part.relate_to(part, RT.NOTES_SLIDE)


def _title_head(shape_id: int, name: str) -> str:
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{_attr(name)}"/>'
        '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="title"/></p:nvPr>'
        "</p:nvSpPr><p:spPr>"
    )


def _text_box(tree: _Tree, box: TextBox, shape_id: int, placeholder: bool = False) -> str:
    ascent = tree.plan.fonts.ascent
    before = _spacing(box.paragraphs, ascent)
    dy, top, bottom, anchor = _insets(box, before, ascent)
    fill = _solid(_rgb(box.fill)) if box.fill else ""
    xfrm = _xfrm(box.x, box.y + dy, box.w, box.h - dy) if dy else _xfrm(box.x, box.y, box.w, box.h)
    if placeholder:
        head = f"{_title_head(shape_id, box.name or 'Title 1')}{xfrm}{fill}</p:spPr>"
    else:
        name = box.name or f"TextBox {shape_id - 1}"
        head = (
            f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{_attr(name)}"/>'
            f'<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr>{xfrm}'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{fill or "<a:noFill/>"}</p:spPr>'
        )
    ins = _emu(box.inset)
    body = (
        f'<a:bodyPr wrap="square" anchor="{_ANCHOR[anchor]}" lIns="{ins}" rIns="{ins}" '
        f'tIns="{_emu(top)}" bIns="{_emu(bottom)}"><a:noAutofit/></a:bodyPr><a:lstStyle/>'
    )
    paras = _paragraphs(tree, box.paragraphs, box.w - 2 * box.inset, before)
    return f"{head}<p:txBody>{body}{paras}</p:txBody></p:sp>"


def _offset(p: Paragraph, ascent: float) -> float:
    """How much lower the plan puts a line's baseline than a renderer does, in points.

    PowerPoint and LibreOffice give a line set at exact spacing all of its extra leading
    above the text (baseline at the line's height less the font's descent); the plan centers
    the text in its line.
    """
    return first_baseline(p, ascent) - (p.size * p.line_spacing - p.size * _DESCENT)


def _spacing(paragraphs: tuple[Paragraph, ...], ascent: float) -> list[float]:
    """Space before each paragraph in the deck, so every baseline lands where the plan has it."""
    out: list[float] = []
    for i, p in enumerate(paragraphs):
        if i == 0:
            out.append(0.0)
            continue
        shift = _offset(p, ascent) - _offset(paragraphs[i - 1], ascent)
        out.append(max(0.0, round(p.space_before + shift, 2)))
    return out


def _insets(
    box: TextBox, before: list[float], ascent: float
) -> tuple[float, float, float, str]:
    """(shape moved down by, top inset, bottom inset, anchor) that put the first baseline where
    the plan has it, keeping the box's own anchoring when insets allow it."""
    if not box.paragraphs:
        return 0.0, box.inset, box.inset, box.anchor
    shift = _offset(box.paragraphs[0], ascent)
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
    tree: _Tree, paragraphs: tuple[Paragraph, ...], inner: float, before: list[float]
) -> str:
    """The paragraphs of a text frame (an empty paragraph when there are none)."""
    if not paragraphs:
        return "<a:p/>"
    out: list[str] = []
    for i, p in enumerate(paragraphs):
        level = f' lvl="{min(p.level, 8)}"' if p.level else ""
        indent, bullet = _bullet(p, tree.font)
        margins = _margins(p, inner)
        out.append(
            f'<a:p><a:pPr algn="{_ALIGN[p.align]}"{level}{margins[0]} indent="{indent}"'
            f'{margins[1]}><a:lnSpc><a:spcPts val="{_centi(p.size * p.line_spacing)}"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="{_centi(before[i])}"/></a:spcBef>'
            f'<a:spcAft><a:spcPts val="0"/></a:spcAft>{bullet}</a:pPr>'
            f"{_runs(tree, p.runs, p.size, p.color, p.bold, p.italic)}</a:p>"
        )
    return "".join(out)


def _margins(p: Paragraph, inner: float) -> tuple[str, str]:
    """The paragraph's left and right margin attributes: its indent, narrowed on the right to
    the plan's wrap width, so that PowerPoint and LibreOffice break lines where the plan did."""
    left = f' marL="{_emu(p.indent)}"'
    avail = inner - p.indent
    if avail <= 0 or p.wrap_width is None:
        return left, ""
    margin = max(0.0, avail - p.wrap_width)
    if p.align == "right":  # the text keeps its right edge; the left margin takes the slack
        return f' marL="{_emu(p.indent + margin)}"', ""
    if p.align == "center":  # centered on the frame, as the plan centers it
        left = f' marL="{_emu(p.indent + margin / 2)}"'
        margin /= 2
    return left, f' marR="{_emu(margin)}"'


def _bullet(p: Paragraph, font: str) -> tuple[str, str]:
    """The paragraph's indent attribute and its bullet elements (character, number or none)."""
    if not p.bullet:  # a hanging indent when `hang` is given: the first line starts left
        return (str(-_emu(p.hang)) if p.hang else "0"), "<a:buNone/>"
    hang = p.bullet_hang
    color = p.bullet_color or p.color
    out = f'<a:buClr><a:srgbClr val="{_attr(color)}"/></a:buClr>' if color else ""
    out += f'<a:buFont typeface="{font}"/>'
    number = _NUMBER.match(p.bullet)
    if number:
        start = f' startAt="{number.group(1)}"' if number.group(1) != "1" else ""
        out += f'<a:buAutoNum type="arabicPeriod"{start}/>'
    else:
        out += f'<a:buChar char="{_attr(p.bullet)}"/>'
    return str(-_emu(hang)), out


def _runs(
    tree: _Tree, runs: tuple[Run, ...], size: float, color: str, bold: bool, italic: bool
) -> str:
    """Runs with their size, weight, style, color, font, language and link; then the end mark."""
    sz = _centi(size)
    fill = _solid(_rgb(color))
    out: list[str] = []
    for run in runs:
        if not run.text:
            continue
        b = "1" if run.bold or bold else "0"
        i = "1" if run.italic or italic else "0"
        link = f'<a:hlinkClick r:id="{tree.link(run.href)}"/>' if run.href else ""
        for text, fallback in segments(run.text):  # symbols the font lacks: the fallback font
            out.append(
                f'<a:r><a:rPr sz="{sz}" b="{b}" i="{i}" lang="{tree.tag}" kern="0">{fill}'
                f'<a:latin typeface="{_FALLBACK if fallback else tree.font}"/>{link}</a:rPr>'
                f"<a:t>{_text(text)}</a:t></a:r>"
            )
    # kern="0": measured without kerning, renderers must not tighten lines
    out.append(f'<a:endParaRPr lang="{tree.tag}" sz="{round(size * 100)}"/>')
    return "".join(out)


# ---------------------------------------------------------------- other shapes


#: PowerPoint's "Mark as decorative": screen readers skip the shape, and the accessibility
#: checker does not ask for its alternative text (rules, bars, dots and panels only).
_DECORATIVE = (
    '<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
    '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative"'
    ' val="1"/></a:ext></a:extLst>'
)


def _rect(rect: Rect, shape_id: int) -> str:
    if rect.ellipse:
        geom, base = '<a:prstGeom prst="ellipse"><a:avLst/></a:prstGeom>', "Oval"
    elif rect.radius:
        adj = int(min(0.5, rect.radius / max(1.0, min(rect.w, rect.h))) * 100000.0)
        geom = (
            '<a:prstGeom prst="roundRect"><a:avLst>'
            f'<a:gd name="adj" fmla="val {adj}"/></a:avLst></a:prstGeom>'
        )
        base = "Rounded Rectangle"
    else:
        geom, base = '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>', "Rectangle"
    name = rect.name or f"{base} {shape_id - 1}"
    fill = _solid(_rgb(rect.fill)) if rect.fill else "<a:noFill/>"
    if rect.fill and rect.opacity < 1:
        alpha = f'<a:alpha val="{round(rect.opacity * 100000)}"/>'
        fill = f'<a:solidFill><a:srgbClr val="{_rgb(rect.fill)}">{alpha}</a:srgbClr></a:solidFill>'

    if rect.stroke and rect.stroke_width > 0:
        line = f'<a:ln w="{_emu(rect.stroke_width)}">{_solid(_rgb(rect.stroke))}</a:ln>'
    else:
        line = "<a:ln><a:noFill/></a:ln>"
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{_attr(name)}">{_DECORATIVE}'
        "</p:cNvPr><p:cNvSpPr/><p:nvPr/>"
        f"</p:nvSpPr><p:spPr>{_xfrm(rect.x, rect.y, rect.w, rect.h)}{geom}{fill}{line}"
        f"</p:spPr>{_NO_TEXT}</p:sp>"
    )


def _line(line: Line, shape_id: int) -> str:
    x1, y1, x2, y2 = _emu(line.x1), _emu(line.y1), _emu(line.x2), _emu(line.y2)
    flip = (' flipH="1"' if x1 > x2 else "") + (' flipV="1"' if y1 > y2 else "")
    name = line.name or f"Connector {shape_id - 1}"
    return (
        f'<p:cxnSp><p:nvCxnSpPr><p:cNvPr id="{shape_id}" name="{_attr(name)}">{_DECORATIVE}'
        "</p:cNvPr><p:cNvCxnSpPr/>"
        f'<p:nvPr/></p:nvCxnSpPr><p:spPr><a:xfrm{flip}><a:off x="{min(x1, x2)}" '
        f'y="{min(y1, y2)}"/><a:ext cx="{abs(x2 - x1)}" cy="{abs(y2 - y1)}"/></a:xfrm>'
        f'<a:prstGeom prst="line"><a:avLst/></a:prstGeom><a:ln w="{_emu(line.width)}">'
        f"{_solid(_rgb(line.color))}</a:ln></p:spPr></p:cxnSp>"
    )


def _picture(tree: _Tree, pic: Picture, shape_id: int) -> str:
    rid = tree.image(pic.path)
    return (
        f'<p:pic><p:nvPicPr><p:cNvPr id="{shape_id}" name="{_attr(pic.name or "Picture")}" '
        f'descr="{_attr(pic.alt)}"/><p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr>'
        f'<p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/>'
        f"</a:stretch></p:blipFill><p:spPr>{_xfrm(pic.x, pic.y, pic.w, pic.h)}"
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'
    )


def _table(tree: _Tree, t: TableShape, shape_id: int) -> str:
    widths = [_emu(w) for w in t.col_widths]
    heights = [_emu(h) for h in t.row_heights]
    name = t.name or f"Table {shape_id - 1}"
    border = _solid(t.grid)
    lines = "".join(
        f'<a:{side} w="{_emu(0.75)}">{border}</a:{side}>' for side in ("lnL", "lnR", "lnT", "lnB")
    )
    inset = t.cell_inset
    rows: list[str] = []
    for r, row in enumerate(t.cells):
        cells: list[str] = []
        for c, cell in enumerate(row):
            ascent = tree.plan.fonts.ascent
            before = _spacing(cell.paragraphs, ascent)
            top = inset + (_offset(cell.paragraphs[0], ascent) if cell.paragraphs else 0.0)
            bottom = max(0.0, inset - max(0.0, top - inset))
            paras = _paragraphs(tree, cell.paragraphs, t.col_widths[c] - 2 * inset, before)
            fill = _solid(cell.fill) if cell.fill else ""
            cells.append(
                f'<a:tc><a:txBody><a:bodyPr wrap="square"/><a:lstStyle/>{paras}</a:txBody>'
                f'<a:tcPr marL="{_emu(inset)}" marR="{_emu(inset)}" marT="{_emu(max(0.0, top))}" '
                f'marB="{_emu(bottom)}" anchor="t">{lines}{fill}</a:tcPr></a:tc>'
            )
        rows.append(f'<a:tr h="{heights[r]}">{"".join(cells)}</a:tr>')
    first = ' firstRow="1"' if t.header else ""
    grid = "".join(f'<a:gridCol w="{w}"/>' for w in widths)
    return (
        f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" name="{_attr(name)}"/>'
        '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/>'
        f'</p:nvGraphicFramePr><p:xfrm><a:off x="{_emu(t.x)}" y="{_emu(t.y)}"/>'
        f'<a:ext cx="{sum(widths)}" cy="{sum(heights)}"/></p:xfrm><a:graphic>'
        f'<a:graphicData uri="{_TABLE_URI}"><a:tbl><a:tblPr{first}><a:tableStyleId>'
        f"{_TABLE_STYLE}</a:tableStyleId></a:tblPr><a:tblGrid>{grid}</a:tblGrid>"
        f"{''.join(rows)}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>"
    )
