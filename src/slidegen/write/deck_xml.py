"""DrawingML and PresentationML pieces shared by the deck's slides, master and layouts:
units, escaping, and the decorative rectangles and lines."""

from __future__ import annotations

import re

from slidegen.plan import Line, Rect

__all__ = [
    "NS",
    "NO_TEXT",
    "DECORATIVE",
    "emu",
    "centi",
    "rgb",
    "esc_text",
    "esc_attr",
    "xfrm_xml",
    "solid",
    "rect_xml",
    "line_xml",
]

NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
NO_TEXT = (
    '<p:txBody><a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/>'
    '<a:p><a:pPr algn="ctr"/></a:p></p:txBody>'
)
#: Characters XML 1.0 cannot hold, written as python-pptx writes them in text ("_x0007_").
CONTROL = re.compile(r"[\x00-\x08\x0B-\x1F\uFFFE\uFFFF\ud800-\udfff]")
#: The same in attribute values, which keep a carriage return (as a character reference).
CONTROL_ATTR = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF\ud800-\udfff]")


def emu(points: float) -> int:
    """Points in EMU, truncated as python-pptx's ``Pt`` truncates them."""
    return int(points * 12700)


def centi(points: float) -> int:
    """Points in hundredths of a point, as python-pptx stores sizes and spacing."""
    return int(points * 12700) // 127


def rgb(hex_rgb: str) -> str:
    """An RRGGBB color in the upper case python-pptx writes."""
    return f"{int(hex_rgb[0:2], 16):02X}{int(hex_rgb[2:4], 16):02X}{int(hex_rgb[4:6], 16):02X}"


def _hex(match: re.Match[str]) -> str:
    return f"_x{ord(match.group(0)):04X}_"


def esc_text(text: str) -> str:
    """Element text, escaped."""
    text = CONTROL.sub(_hex, text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(text: str) -> str:
    """An attribute value, escaped (white space kept as it is)."""
    return (
        CONTROL_ATTR.sub(_hex, text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\t", "&#9;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
    )


def xfrm_xml(x: float, y: float, w: float, h: float, tag: str = "a:xfrm") -> str:
    return f'<{tag}><a:off x="{emu(x)}" y="{emu(y)}"/><a:ext cx="{emu(w)}" cy="{emu(h)}"/></{tag}>'


def solid(hex_rgb: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{hex_rgb}"/></a:solidFill>'


#: PowerPoint's "Mark as decorative": screen readers skip the shape, and the accessibility
#: checker does not ask for its alternative text (rules, bars, dots and panels only).
DECORATIVE = (
    '<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
    '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative"'
    ' val="1"/></a:ext></a:extLst>'
)


def rect_xml(rect: Rect, shape_id: int) -> str:
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
    fill = solid(rgb(rect.fill)) if rect.fill else "<a:noFill/>"
    if rect.fill and rect.opacity < 1:
        alpha = f'<a:alpha val="{round(rect.opacity * 100000)}"/>'
        fill = f'<a:solidFill><a:srgbClr val="{rgb(rect.fill)}">{alpha}</a:srgbClr></a:solidFill>'
    if rect.stroke and rect.stroke_width > 0:
        line = f'<a:ln w="{emu(rect.stroke_width)}">{solid(rgb(rect.stroke))}</a:ln>'
    else:
        line = "<a:ln><a:noFill/></a:ln>"
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{esc_attr(name)}">{DECORATIVE}'
        "</p:cNvPr><p:cNvSpPr/><p:nvPr/>"
        f"</p:nvSpPr><p:spPr>{xfrm_xml(rect.x, rect.y, rect.w, rect.h)}{geom}{fill}{line}"
        f"</p:spPr>{NO_TEXT}</p:sp>"
    )


def line_xml(line: Line, shape_id: int) -> str:
    x1, y1, x2, y2 = emu(line.x1), emu(line.y1), emu(line.x2), emu(line.y2)
    flip = (' flipH="1"' if x1 > x2 else "") + (' flipV="1"' if y1 > y2 else "")
    name = line.name or f"Connector {shape_id - 1}"
    return (
        f'<p:cxnSp><p:nvCxnSpPr><p:cNvPr id="{shape_id}" name="{esc_attr(name)}">{DECORATIVE}'
        "</p:cNvPr><p:cNvCxnSpPr/>"
        f'<p:nvPr/></p:nvCxnSpPr><p:spPr><a:xfrm{flip}><a:off x="{min(x1, x2)}" '
        f'y="{min(y1, y2)}"/><a:ext cx="{abs(x2 - x1)}" cy="{abs(y2 - y1)}"/></a:xfrm>'
        f'<a:prstGeom prst="line"><a:avLst/></a:prstGeom><a:ln w="{emu(line.width)}">'
        f"{solid(rgb(line.color))}</a:ln></p:spPr></p:cxnSp>"
    )
