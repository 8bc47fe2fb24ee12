"""The deck's theme, slide master and named layouts, written from the plan's design into the
package python-pptx starts from (its stock Office master and layouts are replaced)."""

from __future__ import annotations

from typing import Any

from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml

from slidegen.plan import (
    LAYOUT_TYPES,
    THEME_COLOR_SLOTS,
    Design,
    Line,
    Placeholder,
    Rect,
    SlideLayout,
    TextStyle,
)
from slidegen.write.deck_xml import (
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

__all__ = ["install_design", "placeholder_ref", "SLIDE_NUMBER_FIELD"]

#: The id PowerPoint gives slide-number fields (any GUID will do; one keeps the bytes fixed).
SLIDE_NUMBER_FIELD = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
_DATE_FIELD = "{E1C0A1E5-0D6B-4E5C-9D50-5C1F2F4C3B9A}"
_SLOTS = THEME_COLOR_SLOTS
_CLR_MAP = (
    '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" '
    'accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" '
    'folHlink="folHlink"/>'
)
#: Footer and slide number on, no header or date: what PowerPoint puts on a slide added on
#: a layout (the slide-number placeholder with its field).
_HEADER_FOOTER = '<p:hf hdr="0" dt="0"/>'
_GROUP = (
    '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr>'
    '<a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
    '<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>'
)


def placeholder_ref(ph: Placeholder) -> str:
    """The `<p:ph>` element a slide's shape (or a layout's) names its placeholder with."""
    kind = "" if ph.type == "obj" else f' type="{ph.type}"'
    idx = f' idx="{ph.idx}"' if ph.idx else ""
    size = ' sz="quarter"' if ph.type in ("dt", "ftr", "sldNum") else ""
    return f"<p:ph{kind}{size}{idx}/>"


def install_design(prs: Any, design: Design, language: str) -> dict[str, Any]:
    """Replace the package's theme, master and layouts by the design's; returns the layout
    parts by name."""
    master = prs.slide_master
    master_part = master.part
    theme_part = master_part.part_related_by(RT.THEME)
    theme_part._blob = _theme_xml(design, theme_part.blob)
    stock = list(master.slide_layouts)
    kept = stock[: len(design.layouts)]
    for extra in stock[len(design.layouts) :]:
        rid = next(r for r, rel in master_part.rels.items() if rel.target_part is extra.part)
        master_part.rels.pop(rid)
    parts: dict[str, Any] = {}
    ids: list[str] = []
    for n, (layout, old) in enumerate(zip(design.layouts, kept, strict=False)):
        part = old.part
        part._element = parse_xml(_layout_xml(layout, design, language).encode("utf-8"))
        rid = next(r for r, rel in master_part.rels.items() if rel.target_part is part)
        ids.append(f'<p:sldLayoutId id="{2147483649 + n}" r:id="{rid}"/>')
        parts[layout.name] = part
    master_part._element = parse_xml(_master_xml(design, language, "".join(ids)).encode("utf-8"))
    return parts


# ---------------------------------------------------------------- theme


def _theme_xml(design: Design, stock: bytes) -> bytes:
    """The theme part: the design's colours in their slots, its fonts, python-pptx's effects."""
    start, end = stock.find(b"<a:fmtScheme"), stock.find(b"</a:fmtScheme>")
    assert 0 <= start < end, "python-pptx's stock theme has a format scheme"
    formats = stock[start : end + len(b"</a:fmtScheme>")]  # (a lazy regex took 3 ms a deck)
    colors = "".join(
        f'<a:{slot}><a:srgbClr val="{rgb(value)}"/></a:{slot}>'
        for slot, value in zip(_SLOTS, design.colors, strict=True)
    )
    name = esc_attr(design.name)
    fonts = (
        f'<a:majorFont><a:latin typeface="{esc_attr(design.heading_font)}"/><a:ea typeface=""/>'
        f'<a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface='
        f'"{esc_attr(design.body_font)}"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont>'
    )
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="{name}">'
        f'<a:themeElements><a:clrScheme name="{name}">{colors}</a:clrScheme>'
        f'<a:fontScheme name="{name}">{fonts}</a:fontScheme>'
    )
    tail = "</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
    return head.encode("utf-8") + formats + tail.encode("utf-8")


# ---------------------------------------------------------------- master and layouts


def _background(hex_rgb: str) -> str:
    return f"<p:bg><p:bgPr>{solid(rgb(hex_rgb))}<a:effectLst/></p:bgPr></p:bg>"


def _level(n: int, style: TextStyle, language: str, font: str, align: str = "l") -> str:
    """One level of a text style (`lvlNpPr`): indents, spacing, bullet, run defaults."""
    bullet = "<a:buNone/>"
    if style.bullet:
        color = style.bullet_color or style.color
        bullet = (
            f'<a:buClr><a:srgbClr val="{rgb(color)}"/></a:buClr><a:buFont typeface="Arial"/>'
            f'<a:buChar char="{esc_attr(style.bullet)}"/>'
        )
    indent = f' marL="{emu(style.indent)}" indent="{-emu(style.hang)}"' if style.bullet else ""
    return (
        f'<a:lvl{n}pPr algn="{align}"{indent} rtl="0"><a:lnSpc><a:spcPct '
        f'val="{round(style.line_spacing * 100000)}"/></a:lnSpc><a:spcBef><a:spcPts '
        f'val="{centi(style.space_before)}"/></a:spcBef>{bullet}<a:defRPr '
        f'sz="{centi(style.size)}" b="{int(style.bold)}" lang="{esc_attr(language)}" kern="0">'
        f'{solid(rgb(style.color))}<a:latin typeface="{font}"/></a:defRPr></a:lvl{n}pPr>'
    )


def _styles(design: Design, language: str) -> str:
    """The master's title, body and other text styles."""
    title = _level(1, design.title, language, "+mj-lt")
    body = "".join(
        _level(n, design.body[min(n, len(design.body)) - 1], language, "+mn-lt")
        for n in range(1, 10)
    )
    other = _level(1, design.footer, language, "+mn-lt")
    return (
        f"<p:txStyles><p:titleStyle>{title}</p:titleStyle><p:bodyStyle>{body}</p:bodyStyle>"
        f"<p:otherStyle>{other}</p:otherStyle></p:txStyles>"
    )


def _placeholder(ph: Placeholder, shape_id: int, design: Design, language: str) -> str:
    """A placeholder of the master or a layout: its frame and, for footers, its field."""
    name = esc_attr(ph.name or ph.type)
    tag = esc_attr(language)
    anchor = ' anchor="b"' if ph.type == "title" and ph.fills == "title" else ""
    text = f'<a:p><a:endParaRPr lang="{tag}"/></a:p>'
    if ph.type == "sldNum":
        sz, color = centi(design.footer.size), rgb(design.footer.color)
        text = (
            f'<a:p><a:pPr algn="r"/><a:fld id="{SLIDE_NUMBER_FIELD}" type="slidenum"><a:rPr '
            f'lang="{tag}" sz="{sz}" b="1">{solid(color)}</a:rPr><a:t>‹#›</a:t></a:fld>'
            f'<a:endParaRPr lang="{tag}"/></a:p>'
        )
    elif ph.type == "ftr" and design.footer_text:
        sz, color = centi(design.footer.size), rgb(design.footer.color)
        text = (
            f'<a:p><a:r><a:rPr lang="{tag}" sz="{sz}">{solid(color)}</a:rPr>'
            f"<a:t>{esc_text(design.footer_text)}</a:t></a:r></a:p>"
        )
    elif ph.type == "dt":
        text = (
            f'<a:p><a:fld id="{_DATE_FIELD}" type="datetime1"><a:rPr lang="{tag}"/><a:t> </a:t>'
            f'</a:fld><a:endParaRPr lang="{tag}"/></a:p>'
        )
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr><a:spLocks '
        f'noGrp="1"/></p:cNvSpPr><p:nvPr>{placeholder_ref(ph)}</p:nvPr></p:nvSpPr><p:spPr>'
        f"{xfrm_xml(ph.x, ph.y, ph.w, ph.h)}</p:spPr><p:txBody><a:bodyPr{anchor}>"
        f"<a:noAutofit/></a:bodyPr><a:lstStyle/>{text}</p:txBody></p:sp>"
    )


def _decor(layout: SlideLayout, first_id: int) -> str:
    """The layout's own shapes (rules, bands), marked decorative."""
    out: list[str] = []
    for n, shape in enumerate(layout.shapes):
        if isinstance(shape, Rect):
            out.append(rect_xml(shape, first_id + n))
        elif isinstance(shape, Line):
            out.append(line_xml(shape, first_id + n))
    return "".join(out)


def _tree(layout: SlideLayout, design: Design, language: str) -> str:
    shapes = _decor(layout, 2)
    first = 2 + len(layout.shapes)
    shapes += "".join(
        _placeholder(ph, first + n, design, language) for n, ph in enumerate(layout.placeholders)
    )
    return f"<p:spTree>{_GROUP}{shapes}</p:spTree>"


def _layout_xml(layout: SlideLayout, design: Design, language: str) -> str:
    bg = _background(layout.background) if layout.background else ""
    kind = LAYOUT_TYPES.get(layout.name, "cust")
    return (
        f'<p:sldLayout {NS} type="{kind}" preserve="1"><p:cSld name="{esc_attr(layout.name)}">'
        f"{bg}{_tree(layout, design, language)}</p:cSld><p:clrMapOvr><a:masterClrMapping/>"
        f"</p:clrMapOvr>{_HEADER_FOOTER}</p:sldLayout>"
    )


def _master_xml(design: Design, language: str, layout_ids: str) -> str:
    """The master: background, title, body and footer placeholders, text styles."""
    content = design.layout("Title and Content") or design.layouts[0]
    master = SlideLayout(
        "Master",
        tuple(
            ph
            if ph.type != "obj"
            else Placeholder("body", 1, ph.x, ph.y, ph.w, ph.h, "body", "Text Placeholder")
            for ph in content.placeholders
        ),
    )
    return (
        f"<p:sldMaster {NS}><p:cSld>{_background(design.background)}"
        f"{_tree(master, design, language)}</p:cSld>{_CLR_MAP}"
        f"<p:sldLayoutIdLst>{layout_ids}</p:sldLayoutIdLst>{_HEADER_FOOTER}"
        f"{_styles(design, language)}"
        "</p:sldMaster>"
    )
