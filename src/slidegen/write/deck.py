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
from pathlib import Path
from typing import Any, cast

from pptx import Presentation
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.oxml.slide import CT_NotesSlide
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.util import Pt

from slidegen.errors import OutputError, Problem
from slidegen.fonts import FALLBACK_FONT, segments
from slidegen.markup import Run
from slidegen.plan import (
    DocumentInfo,
    FontFamily,
    FontFiles,
    Line,
    Paragraph,
    Picture,
    Placeholder,
    Plan,
    PlannedSlide,
    Rect,
    SlideLayout,
    TableShape,
    TextBox,
    first_baseline,
)
from slidegen.pptx_open import open_template
from slidegen.write.deck_master import SLIDE_NUMBER_FIELD, install_design, placeholder_ref
from slidegen.write.deck_props import app_xml, core_xml, presentation_format
from slidegen.write.deck_xml import (
    DECORATIVE,
    NS,
    centi,
    emu,
    esc_attr,
    esc_text,
    line_xml,
    rect_xml,
    rgb,
    solid,
    xfrm_xml,
)
from slidegen.write.thumbnail import thumbnail_jpeg

__all__ = ["deck_bytes", "build_time"]

#: The presentation's settings parts PowerPoint requires (a template converted by LibreOffice
#: may lack them).
_SETTINGS = (
    ("/ppt/presProps.xml", "p:presentationPr", CT.PML_PRES_PROPS, RT.PRES_PROPS),
    ("/ppt/viewProps.xml", "p:viewPr", CT.PML_VIEW_PROPS, RT.VIEW_PROPS),
)
#: Run properties the layout measured with, set on every run so that no master's or
#: template's text style (kerning, letter spacing, all capitals) changes its width.
_AS_MEASURED = 'kern="0" cap="none" spc="0"'
_THEME_NAME = "Office Theme"  # the name of python-pptx's theme, as the master's theme says
#: Zip member times of a deck with no date (the zip format's first day).
_ZIP_EPOCH = dt.datetime(1980, 1, 1)
_TITLE_ONLY = 5  # layout of python-pptx's default template with just a title placeholder
_ALIGN = {"left": "l", "center": "ctr", "right": "r"}
_ANCHOR = {"top": "t", "middle": "ctr", "bottom": "b"}
_NUMBER = re.compile(r"^(\d+)\.$")
#: How far above a line's bottom a renderer puts the baseline of a line set at exact spacing,
#: in ems: LibreOffice puts it at 0.200 of the size in every bundled family (measured with
#: Liberation Sans, Carlito, Caladea, Liberation Serif, Liberation Mono and DejaVu Sans).
_DESCENT = 0.2
_GROUP = '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
_FALLBACK = FALLBACK_FONT  # a name without characters to escape
_TABLE_URI = "http://schemas.openxmlformats.org/drawingml/2006/table"
_TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"
_NOTES_HEAD = (
    f"<p:notes {NS}><p:cSld><p:spTree>{_GROUP}<p:grpSpPr><a:xfrm>"
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
def build_time(info: DocumentInfo) -> dt.datetime | None:
    """The date written into the document: SOURCE_DATE_EPOCH, else the class date, else none
    (the deck then carries no dates, rather than a made-up one)."""
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
    return None


def deck_bytes(plan: Plan) -> bytes:
    """The .pptx file of a plan: same plan, same bytes."""
    design = plan.design
    if design is not None and design.template:  # the institution's own masters and layouts
        prs = open_template(Path(design.template))
        parts = {lay.name: _layout_part(prs, lay) for lay in design.layouts}
    else:
        prs = Presentation()
        prs.slide_width = Pt(plan.width)
        prs.slide_height = Pt(plan.height)
        if design is None:  # a plan made by hand: python-pptx's stock master, "Title Only"
            _theme_fonts(prs, plan.fonts.body.deck_name)
            parts = {}
        else:
            parts = install_design(prs, design, plan.language)
    stock = prs.slide_layouts[_TITLE_ONLY].part if design is None else None
    notes = 0
    first_id = _first_slide_id(prs)
    for n, planned in enumerate(plan.slides):
        layout = design.layout(planned.layout or "Title Only") if design else None
        if design is not None and layout is None:
            layout = design.layout("Title Only")
        layout_part = parts[layout.name] if layout is not None else stock
        part = _slide(prs, layout_part, planned, plan, layout, first_id + n)
        if planned.notes:
            notes += 1
            _notes(part, plan, planned.notes, notes)
    when = build_time(plan.info)
    _properties(prs, plan, when, notes)
    return _package(prs, when or _ZIP_EPOCH)


def _first_slide_id(prs: Any) -> int:
    """The id of the first slide added: one above those in use, 256 at least (python-pptx's
    rule, which it applies by searching the list again for every slide added)."""
    used = [int(s.get("id")) for s in prs.slides._sldIdLst.sldId_lst]
    return max([255, *used]) + 1


def _layout_part(prs: Any, layout: SlideLayout) -> Any:
    """The template's layout part that `layout` refers to (its master, its position)."""
    master, index = layout.ref or (0, 0)
    return list(list(prs.slide_masters)[master].slide_layouts)[index].part


def _properties(prs: Any, plan: Plan, when: dt.datetime | None, notes: int) -> None:
    """Document properties, thumbnail and the presentation part's settings, all from the plan:
    none of python-pptx's template leftovers (application, 4:3 format, zero counts, en-US)."""
    pres = prs.part
    package = pres.package
    pres.core_properties._element = parse_xml(core_xml(plan, when))
    fonts = sorted({*(f.deck_name for f in plan.fonts.families), _FALLBACK})
    theme = plan.design.name if plan.design else _THEME_NAME
    blobs = {
        "/docProps/app.xml": (app_xml(plan, notes, theme, fonts), CT.OFC_EXTENDED_PROPERTIES,
                              RT.EXTENDED_PROPERTIES),
        "/docProps/thumbnail.jpeg": (thumbnail_jpeg(plan), CT.JPEG, RT.THUMBNAIL),
    }
    for part in package.iter_parts():
        if part.partname in blobs:
            part._blob = blobs.pop(part.partname)[0]
    for name, (blob, content_type, reltype) in blobs.items():  # a template without them
        package.relate_to(Part(PackURI(name), content_type, package, blob), reltype)
    related = {rel.reltype for rel in pres.rels.values()}
    for name, root_tag, content_type, reltype in _SETTINGS:  # PowerPoint repairs without them
        if reltype not in related:
            xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{root_tag} {NS}/>'
            pres.relate_to(Part(PackURI(name), content_type, package, xml.encode()), reltype)
    root = pres._element
    _, size_type = presentation_format(prs.slide_width, prs.slide_height)
    sld_sz = root.find(qn("p:sldSz"))
    if size_type is None:
        sld_sz.attrib.pop("type", None)
    else:
        sld_sz.set("type", size_type)
    if notes and root.find(qn("p:notesMasterIdLst")) is None:  # listed, as PowerPoint does
        rid = pres.relate_to(pres.notes_master_part, RT.NOTES_MASTER)
        listed = f'<p:notesMasterIdLst {NS}><p:notesMasterId r:id="{rid}"/></p:notesMasterIdLst>'
        root.find(qn("p:sldMasterIdLst")).addnext(parse_xml(listed))
    masters = [pres]
    for rel in list(pres.rels.values()):
        if rel.reltype == RT.SLIDE_MASTER:
            master = rel.target_part
            masters.append(master)
            masters += [r.target_part for r in master.rels.values() if r.reltype == RT.SLIDE_LAYOUT]
    if notes:
        masters.append(pres.notes_master_part)
    for part in masters:  # text typed in PowerPoint is spell-checked in the edition's language
        for element in part._element.xpath("descendant-or-self::*[@lang]"):
            element.set("lang", plan.language)


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
        b'<a:latin typeface="Calibri"/>', f'<a:latin typeface="{esc_attr(family)}"/>'.encode()
    )
    part._blob = blob


# ---------------------------------------------------------------- units and escaping


# ---------------------------------------------------------------- slides


class _Tree:
    """The shape tree of one slide being written: its XML pieces, shape ids and relationships."""

    def __init__(self, part: Any, plan: Plan) -> None:
        self.part = part
        self.plan = plan
        self.tag = esc_attr(plan.language)
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


_TITLE = Placeholder("title", 0, 0, 0, 0, 0, "title")


def _slide(
    prs: Any,
    layout_part: Any,
    planned: PlannedSlide,
    plan: Plan,
    layout: SlideLayout | None,
    slide_id: int,
) -> Any:
    """Slide `slide_id` on its layout: the shapes that fill the layout's placeholders (by
    role, in order) are written as those placeholders, the others as free shapes."""
    pres_part = prs.part
    # python-pptx's SlidePart.new, without the blank slide it parses (replaced below)
    blank = cast(Any, None)  # its element is the slide's own, parsed once at the end
    part = SlidePart(pres_part._next_slide_partname, CT.PML_SLIDE, pres_part.package, blank)
    part.relate_to(layout_part, RT.SLIDE_LAYOUT)
    prs.slides._sldIdLst._add_sldId(id=slide_id, rId=pres_part.relate_to(part, RT.SLIDE))
    tree = _Tree(part, plan)
    free = list(layout.placeholders) if layout else []

    def claim(fill: str) -> Placeholder | None:
        ph = next((p for p in free if p.fills == fill), None)
        if ph is not None:
            free.remove(ph)
        return ph

    behind = False  # a picture the title is drawn over (a background picture): keep the order
    for shape in planned.shapes:
        # a picture or a scrim the title is drawn over: the title comes after it
        under = isinstance(shape, Picture) or (isinstance(shape, Rect) and shape.opacity < 1)
        behind = behind or (under and tree.title is None)
        if isinstance(shape, TextBox):
            if shape.role == "title" and tree.title is None:
                tree.title = _text_box(tree, shape, 2, claim("title") or _TITLE)
                if behind:  # drawn after the picture, so that it shows over it
                    tree.shapes.append(tree.title)
                    tree.title = ""
            else:
                ph = claim(shape.role)
                number = planned.number if ph is not None and ph.type == "sldNum" else None
                tree.shapes.append(_text_box(tree, shape, tree.new_id(), ph, number))
        elif isinstance(shape, Rect):
            tree.shapes.append(rect_xml(shape, tree.new_id()))
        elif isinstance(shape, Line):
            tree.shapes.append(line_xml(shape, tree.new_id()))
        elif isinstance(shape, TableShape):
            tree.shapes.append(_table(tree, shape, tree.new_id()))
        elif isinstance(shape, Picture):
            tree.shapes.append(_picture(tree, shape, tree.new_id(), claim("picture")))
    if tree.title is None:  # every slide has a title, for navigation and accessibility
        runs = _runs(tree, (Run(planned.title),), 20, "000000", False, False, plan.fonts.heading)
        tree.title = (
            f"{_placeholder_head(2, 'Title 1', _TITLE)}"
            f"{xfrm_xml(0, -plan.height, plan.width, 40)}</p:spPr>"
            f"<p:txBody><a:bodyPr/><a:lstStyle/><a:p>{runs}</a:p></p:txBody></p:sp>"
        )
    # the slide draws its own rules and bands where the layout stage put them (a rule under a
    # two-line title sits lower): the layout's copies are for slides added in PowerPoint
    # On an institution's template the slide shows the template's background and shapes.
    own = not (plan.design and plan.design.template)
    hide = ' showMasterSp="0"' if layout and own else ""
    bg = f"<p:bg><p:bgPr>{solid(rgb(planned.background))}<a:effectLst/></p:bgPr></p:bg>"
    xml = (
        f"<p:sld {NS}{hide}><p:cSld>{bg if own else ''}<p:spTree>{_GROUP}<p:grpSpPr/>{tree.title}"
        f"{''.join(tree.shapes)}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/>"
        "</p:clrMapOvr></p:sld>"
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


def _placeholder_head(shape_id: int, name: str, ph: Placeholder) -> str:
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{esc_attr(name)}"/>'
        f'<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>{placeholder_ref(ph)}</p:nvPr>'
        "</p:nvSpPr><p:spPr>"
    )


def _text_box(
    tree: _Tree,
    box: TextBox,
    shape_id: int,
    ph: Placeholder | None = None,
    number: int | None = None,
) -> str:
    """A text box, or the placeholder `ph` holding its text (`number`: the slide number its
    text shows, written as a slide-number field)."""
    fonts = tree.plan.fonts
    before = _spacing(box.paragraphs, fonts)
    dy, top, bottom, anchor = _insets(box, before, fonts)
    fill = solid(rgb(box.fill)) if box.fill else ""
    xfrm = xfrm_xml(box.x, box.y + dy, box.w, box.h - dy)
    if ph is not None:
        name = box.name or ph.name or "Placeholder"
        head = f"{_placeholder_head(shape_id, name, ph)}{xfrm}{fill}</p:spPr>"
    else:
        name = box.name or f"TextBox {shape_id - 1}"
        mark = f">{DECORATIVE}</p:cNvPr>" if box.decorative else "/>"
        head = (
            f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{esc_attr(name)}"{mark}'
            f'<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr>{xfrm}'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{fill or "<a:noFill/>"}</p:spPr>'
        )
    ins = emu(box.inset)
    body = (
        f'<a:bodyPr wrap="square" anchor="{_ANCHOR[anchor]}" lIns="{ins}" rIns="{ins}" '
        f'tIns="{emu(top)}" bIns="{emu(bottom)}"><a:noAutofit/></a:bodyPr><a:lstStyle/>'
    )
    paras = _paragraphs(tree, box.paragraphs, box.w - 2 * box.inset, before)
    if number is not None:
        paras = _number_field(paras, number)
    return f"{head}<p:txBody>{body}{paras}</p:txBody></p:sp>"


def _number_field(paras: str, number: int) -> str:
    """The first run showing `number` with the number as a slide-number field, so that the
    number stays right when slides are moved (the rest of the text, "/ 21", stays text)."""
    match = re.search(r"<a:r>(<a:rPr[^>]*>.*?</a:rPr>)<a:t>([^<]*)</a:t></a:r>", paras)
    digits = str(number)
    if match is None or digits not in match.group(2):
        return paras
    rpr, text = match.group(1), match.group(2)
    before, _, after = text.partition(digits)
    pieces = [f"<a:r>{rpr}<a:t>{before}</a:t></a:r>"] if before else []
    pieces.append(
        f'<a:fld id="{SLIDE_NUMBER_FIELD}" type="slidenum">{rpr}<a:t>{digits}</a:t></a:fld>'
    )
    if after:
        pieces.append(f"<a:r>{rpr}<a:t>{after}</a:t></a:r>")
    return paras[: match.start()] + "".join(pieces) + paras[match.end() :]


def _offset(p: Paragraph, fonts: FontFiles) -> float:
    """How much lower the plan puts a line's baseline than a renderer does, in points.

    PowerPoint and LibreOffice give a line set at exact spacing all of its extra leading
    above the text (baseline at the line's height less `_DESCENT`); the plan centers the
    text in its line, by the family's ascent.
    """
    ascent = fonts.of(p.heading_font).ascent
    return first_baseline(p, ascent) - (p.size * p.line_spacing - p.size * _DESCENT)


def _spacing(paragraphs: tuple[Paragraph, ...], fonts: FontFiles) -> list[float]:
    """Space before each paragraph in the deck, so every baseline lands where the plan has it."""
    out: list[float] = []
    for i, p in enumerate(paragraphs):
        if i == 0:
            out.append(0.0)
            continue
        shift = _offset(p, fonts) - _offset(paragraphs[i - 1], fonts)
        out.append(max(0.0, round(p.space_before + shift, 2)))
    return out


def _insets(
    box: TextBox, before: list[float], fonts: FontFiles
) -> tuple[float, float, float, str]:
    """(shape moved down by, top inset, bottom inset, anchor) that put the first baseline where
    the plan has it, keeping the box's own anchoring when insets allow it."""
    if not box.paragraphs:
        return 0.0, box.inset, box.inset, box.anchor
    shift = _offset(box.paragraphs[0], fonts)
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
        family = tree.plan.fonts.of(p.heading_font)
        indent, bullet = _bullet(p, esc_attr(family.deck_name))
        margins = _margins(p, inner)
        out.append(
            f'<a:p><a:pPr algn="{_ALIGN[p.align]}"{level}{margins[0]} indent="{indent}"'
            f'{margins[1]}><a:lnSpc><a:spcPts val="{centi(p.size * p.line_spacing)}"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="{centi(before[i])}"/></a:spcBef>'
            f'<a:spcAft><a:spcPts val="0"/></a:spcAft>{bullet}</a:pPr>'
            f"{_runs(tree, p.runs, p.size, p.color, p.bold, p.italic, family)}</a:p>"
        )
    return "".join(out)


def _margins(p: Paragraph, inner: float) -> tuple[str, str]:
    """The paragraph's left and right margin attributes: its indent, narrowed on the right to
    the plan's wrap width, so that PowerPoint and LibreOffice break lines where the plan did."""
    left = f' marL="{emu(p.indent)}"'
    avail = inner - p.indent
    if avail <= 0 or p.wrap_width is None:
        return left, ""
    margin = max(0.0, avail - p.wrap_width)
    if p.align == "right":  # the text keeps its right edge; the left margin takes the slack
        return f' marL="{emu(p.indent + margin)}"', ""
    if p.align == "center":  # centered on the frame, as the plan centers it
        left = f' marL="{emu(p.indent + margin / 2)}"'
        margin /= 2
    return left, f' marR="{emu(margin)}"'


def _bullet(p: Paragraph, font: str) -> tuple[str, str]:
    """The paragraph's indent attribute and its bullet elements (character, number or none)."""
    if not p.bullet:  # a hanging indent when `hang` is given: the first line starts left
        return (str(-emu(p.hang)) if p.hang else "0"), "<a:buNone/>"
    hang = p.bullet_hang
    color = p.bullet_color or p.color
    out = f'<a:buClr><a:srgbClr val="{esc_attr(color)}"/></a:buClr>' if color else ""
    out += f'<a:buFont typeface="{font}"/>'
    number = _NUMBER.match(p.bullet)
    if number:
        start = f' startAt="{number.group(1)}"' if number.group(1) != "1" else ""
        out += f'<a:buAutoNum type="arabicPeriod"{start}/>'
    else:
        out += f'<a:buChar char="{esc_attr(p.bullet)}"/>'
    return str(-emu(hang)), out


def _runs(
    tree: _Tree,
    runs: tuple[Run, ...],
    size: float,
    color: str,
    bold: bool,
    italic: bool,
    family: FontFamily | None = None,
) -> str:
    """Runs with their size, weight, style, color, font (the body family unless `family` is
    given), language and link; then the end mark."""
    family = family or tree.plan.fonts.body
    font = esc_attr(family.deck_name)
    sz = centi(size)
    fill = solid(rgb(color))
    out: list[str] = []
    for run in runs:
        if not run.text:
            continue
        b = "1" if run.bold or bold else "0"
        i = "1" if run.italic or italic else "0"
        link = f'<a:hlinkClick r:id="{tree.link(run.href)}"/>' if run.href else ""
        for text, fallback in segments(run.text, family.twin):  # symbols: the fallback font
            out.append(
                f'<a:r><a:rPr sz="{sz}" b="{b}" i="{i}" lang="{tree.tag}" {_AS_MEASURED}>{fill}'
                f'<a:latin typeface="{_FALLBACK if fallback else font}"/>{link}</a:rPr>'
                f"<a:t>{esc_text(text)}</a:t></a:r>"
            )
    # measured without kerning, letter spacing or capitals: a template's styles must not
    # tighten, widen or capitalize the text
    out.append(f'<a:endParaRPr lang="{tree.tag}" sz="{round(size * 100)}"/>')
    return "".join(out)


# ---------------------------------------------------------------- other shapes


def _picture(tree: _Tree, pic: Picture, shape_id: int, ph: Placeholder | None = None) -> str:
    """A picture, in the layout's picture placeholder `ph` when it has one."""
    rid = tree.image(pic.path)
    group = ' noGrp="1"' if ph else ""
    locks = f'<a:picLocks{group} noChangeAspect="1"/>'
    nvpr = f"<p:nvPr>{placeholder_ref(ph)}</p:nvPr>" if ph else "<p:nvPr/>"
    return (
        f'<p:pic><p:nvPicPr><p:cNvPr id="{shape_id}" name="{esc_attr(pic.name or "Picture")}" '
        f'descr="{esc_attr(pic.alt)}"/><p:cNvPicPr>{locks}</p:cNvPicPr>'
        f'{nvpr}</p:nvPicPr><p:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/>'
        f"</a:stretch></p:blipFill><p:spPr>{xfrm_xml(pic.x, pic.y, pic.w, pic.h)}"
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'
    )


def _table(tree: _Tree, t: TableShape, shape_id: int) -> str:
    widths = [emu(w) for w in t.col_widths]
    heights = [emu(h) for h in t.row_heights]
    name = t.name or f"Table {shape_id - 1}"
    border = solid(t.grid)
    lines = "".join(
        f'<a:{side} w="{emu(0.75)}">{border}</a:{side}>' for side in ("lnL", "lnR", "lnT", "lnB")
    )
    inset = t.cell_inset
    rows: list[str] = []
    for r, row in enumerate(t.cells):
        cells: list[str] = []
        for c, cell in enumerate(row):
            fonts = tree.plan.fonts
            before = _spacing(cell.paragraphs, fonts)
            top = inset + (_offset(cell.paragraphs[0], fonts) if cell.paragraphs else 0.0)
            bottom = max(0.0, inset - max(0.0, top - inset))
            paras = _paragraphs(tree, cell.paragraphs, t.col_widths[c] - 2 * inset, before)
            fill = solid(cell.fill) if cell.fill else ""
            cells.append(
                f'<a:tc><a:txBody><a:bodyPr wrap="square"/><a:lstStyle/>{paras}</a:txBody>'
                f'<a:tcPr marL="{emu(inset)}" marR="{emu(inset)}" marT="{emu(max(0.0, top))}" '
                f'marB="{emu(bottom)}" anchor="t">{lines}{fill}</a:tcPr></a:tc>'
            )
        rows.append(f'<a:tr h="{heights[r]}">{"".join(cells)}</a:tr>')
    first = ' firstRow="1"' if t.header else ""
    grid = "".join(f'<a:gridCol w="{w}"/>' for w in widths)
    return (
        f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" name="{esc_attr(name)}"/>'
        '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/>'
        f'</p:nvGraphicFramePr><p:xfrm><a:off x="{emu(t.x)}" y="{emu(t.y)}"/>'
        f'<a:ext cx="{sum(widths)}" cy="{sum(heights)}"/></p:xfrm><a:graphic>'
        f'<a:graphicData uri="{_TABLE_URI}"><a:tbl><a:tblPr{first}><a:tableStyleId>'
        f"{_TABLE_STYLE}</a:tableStyleId></a:tblPr><a:tblGrid>{grid}</a:tblGrid>"
        f"{''.join(rows)}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>"
    )
