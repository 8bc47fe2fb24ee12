"""What a template's master and layouts draw under every slide: the background (a colour or a
picture), pictures such as logos, filled rectangles and ellipses, and lines, in points."""

from __future__ import annotations

import colorsys
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

__all__ = [
    "TemplateShape",
    "TemplateLine",
    "TemplatePicture",
    "Art",
    "TextLook",
    "read_backdrop",
    "frame_of",
    "read_background",
    "color_of",
    "fill_of",
    "text_look",
]

_EMU = 12700.0
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_SCHEME = {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}
#: The picture formats the handout can draw (Pillow opens them); EMF, WMF and SVG it cannot.
_DRAWABLE = {"PNG", "JPEG", "GIF", "BMP", "TIFF"}


@dataclass(frozen=True)
class TemplateShape:
    """A filled shape of a master or layout (not a placeholder), as a rectangle or ellipse of
    its frame: what the handout's miniatures draw of the template's design."""

    x: float
    y: float
    w: float
    h: float
    fill: str
    ellipse: bool = False
    radius: float = 0.0
    opacity: float = 1.0


@dataclass(frozen=True)
class TemplateLine:
    """A straight line of a master or layout, from (x1, y1) to (x2, y2)."""

    x1: float
    y1: float
    x2: float
    y2: float
    color: str
    width: float


@dataclass(frozen=True)
class TemplatePicture:
    """A picture of a master or layout (a logo), or its background picture stretched over the
    slide: the image's bytes as the template holds them (cropped when the template crops)."""

    x: float
    y: float
    w: float
    h: float
    data: bytes
    #: where it comes from, for people: "slideMaster1.xml: Logo (image2.png)"
    name: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()[:16]


Art = TemplateShape | TemplateLine | TemplatePicture


@dataclass(frozen=True)
class TextLook:
    """How a footer, date or slide-number placeholder sets its text: size, colour, alignment
    (None where the template leaves it to the master's styles)."""

    size: float | None = None
    color: str | None = None
    align: str | None = None
    anchor: str | None = None


def _hsl_adjust(rgb: str, mods: list[tuple[str, float]]) -> str:
    """`rgb` with DrawingML's colour modifiers applied (lumMod, lumOff, tint, shade)."""
    r, g, b = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    for name, value in mods:
        if name in ("lumMod", "lumOff"):
            h, lum, s = colorsys.rgb_to_hls(r, g, b)
            lum = lum * value if name == "lumMod" else lum + value
            r, g, b = colorsys.hls_to_rgb(h, min(1.0, max(0.0, lum)), s)
        elif name == "tint":  # towards white
            r, g, b = (1 - (1 - v) * value for v in (r, g, b))
        elif name == "shade":  # towards black
            r, g, b = (v * value for v in (r, g, b))
    return "".join(f"{round(min(1.0, max(0.0, v)) * 255):02X}" for v in (r, g, b))


def color_of(el: Any, colors: dict[str, str]) -> tuple[str | None, float]:
    """The colour of a colour element's children (srgbClr, schemeClr, sysClr, prstClr) with its
    modifiers applied, and its opacity (None: no colour)."""
    for c in el:
        value: str | None = None
        if c.tag == f"{_A}srgbClr":
            value = str(c.get("val")).upper()
        elif c.tag == f"{_A}schemeClr":
            slot = str(c.get("val"))
            value = colors.get(_SCHEME.get(slot, slot))
        elif c.tag == f"{_A}sysClr":
            value = str(c.get("lastClr", "")).upper() or None
        elif c.tag == f"{_A}prstClr":
            value = {"black": "000000", "white": "FFFFFF"}.get(str(c.get("val")))
        else:
            continue
        if value is None or len(value) != 6:
            return None, 1.0
        mods = [(m.tag.removeprefix(_A), int(m.get("val", "100000")) / 100000) for m in c]
        alpha = next((v for n, v in mods if n == "alpha"), 1.0)
        return _hsl_adjust(value, mods), alpha
    return None, 1.0


def fill_of(parent: Any, colors: dict[str, str]) -> tuple[str | None, float]:
    """The colour of the solid fill (or a gradient's first stop) among `parent`'s children."""
    if parent is None:
        return None, 1.0
    for el in parent:
        if el.tag == f"{_A}solidFill":
            return color_of(el, colors)
        if el.tag == f"{_A}gradFill":
            stop = el.find(f"{_A}gsLst/{_A}gs")
            return color_of(stop, colors) if stop is not None else (None, 1.0)
        if el.tag == f"{_A}noFill":
            return None, 1.0
    return None, 1.0


def _image(part: Any, blip_fill: Any, name: str) -> tuple[bytes, str] | None:
    """The bytes of the picture a blipFill shows (cropped by its srcRect), None when it has
    none the handout can draw."""
    from PIL import Image

    blip = blip_fill.find(f"{_A}blip")
    rid = blip.get(f"{_R}embed") if blip is not None else None
    if not rid:
        return None
    try:
        image_part = part.related_part(rid)
    except KeyError:
        return None
    data: bytes = image_part.blob
    label = f"{name} ({str(image_part.partname).rsplit('/', 1)[-1]})"
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format not in _DRAWABLE:
                return None
            crop = blip_fill.find(f"{_A}srcRect")
            deep = img.mode in ("I;16", "I;16B", "I;16L", "I")  # 16 bits a sample
            if not deep and (crop is None or not any(crop.get(k) for k in "ltrb")):
                return data, label
            picture: Any = img
            if deep:  # to 8 bits (converters clip, rather than scale, such samples to white)
                picture = img.convert("I").point(lambda v: v / 256).convert("L")
            if crop is None:
                return _png(picture), label
            left, top, right, bottom = (max(0, int(crop.get(k, "0"))) / 100000 for k in "ltrb")
            w, h = picture.size
            box = (
                round(w * left),
                round(h * top),
                round(w * (1 - right)),
                round(h * (1 - bottom)),
            )
            if box[2] <= box[0] or box[3] <= box[1]:
                return None
            return _png(picture.crop(box)), label
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def _png(image: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


Transform = Callable[[float, float, float, float], tuple[float, float, float, float]]


def _identity(x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
    return x, y, w, h


def _xfrm(el: Any) -> tuple[float, float, float, float, Any] | None:
    xfrm = el.find(f"{_P}spPr/{_A}xfrm")
    if xfrm is None:
        xfrm = el.find(f"{_P}grpSpPr/{_A}xfrm")
    off = xfrm.find(f"{_A}off") if xfrm is not None else None
    ext = xfrm.find(f"{_A}ext") if xfrm is not None else None
    if off is None or ext is None:
        return None
    return (
        int(off.get("x")) / _EMU,
        int(off.get("y")) / _EMU,
        int(ext.get("cx")) / _EMU,
        int(ext.get("cy")) / _EMU,
        xfrm,
    )


def frame_of(el: Any) -> tuple[float, float, float, float] | None:
    """A shape's frame (x, y, w, h) in points, None when it has none of its own."""
    found = _xfrm(el)
    return found[:4] if found is not None else None


def _group(el: Any, outer: Transform) -> Transform:
    """The transform of a group's children: their child frame mapped onto the group's frame."""
    found = _xfrm(el)
    if found is None:
        return outer
    x, y, w, h, xfrm = found
    ch_off, ch_ext = xfrm.find(f"{_A}chOff"), xfrm.find(f"{_A}chExt")
    if ch_off is None or ch_ext is None:
        return outer
    cx, cy = int(ch_off.get("x")) / _EMU, int(ch_off.get("y")) / _EMU
    cw, chh = int(ch_ext.get("cx")) / _EMU or 1.0, int(ch_ext.get("cy")) / _EMU or 1.0
    sx, sy = w / cw, h / chh

    def inner(a: float, b: float, c: float, d: float) -> tuple[float, float, float, float]:
        return outer(x + (a - cx) * sx, y + (b - cy) * sy, c * sx, d * sy)

    return inner


def _walk(tree: Any, transform: Transform = _identity) -> Iterator[tuple[Any, Transform]]:
    """Every drawn shape of a shape tree (placeholders left out), groups opened."""
    for el in tree:
        tag = el.tag
        if tag == f"{_P}grpSp":
            yield from _walk(el, _group(el, transform))
        elif (
            tag in (f"{_P}sp", f"{_P}pic", f"{_P}cxnSp") and el.find(f".//{_P}nvPr/{_P}ph") is None
        ):
            yield el, transform


def read_backdrop(part: Any, tree: Any, colors: dict[str, str], where: str) -> list[Art]:
    """The pictures, filled shapes and lines of a master's or layout's shape tree (`tree`, of
    `part`), in drawing order; `where` names the part for people."""
    out: list[Art] = []
    spTree = tree.find(f"{_P}cSld/{_P}spTree")
    if spTree is None:
        return out
    for el, transform in _walk(spTree):
        found = _xfrm(el)
        if found is None:
            continue
        x, y, w, h = transform(*found[:4])
        xfrm = found[4]
        c_nv = el.find(f".//{_P}cNvPr")
        name = f"{where}: {c_nv.get('name', '') if c_nv is not None else ''}"
        sp_pr = el.find(f"{_P}spPr")
        blip_fill = el.find(f"{_P}blipFill")
        if blip_fill is None and sp_pr is not None:
            blip_fill = sp_pr.find(f"{_A}blipFill")
        if blip_fill is not None:
            image = _image(part, blip_fill, name)
            if image is not None:
                out.append(TemplatePicture(x, y, w, h, *image))
            continue
        geom = sp_pr.find(f"{_A}prstGeom") if sp_pr is not None else None
        prst = geom.get("prst") if geom is not None else "rect"
        if el.tag == f"{_P}cxnSp" or prst in ("line", "straightConnector1"):
            ln = sp_pr.find(f"{_A}ln") if sp_pr is not None else None
            color, _ = fill_of(ln, colors)
            if ln is None or color is None:
                continue
            width = int(ln.get("w", "12700")) / _EMU
            x1, x2 = (x + w, x) if xfrm.get("flipH") in ("1", "true") else (x, x + w)
            y1, y2 = (y + h, y) if xfrm.get("flipV") in ("1", "true") else (y, y + h)
            out.append(TemplateLine(x1, y1, x2, y2, color, width))
            continue
        if sp_pr is None:  # any other outline is drawn as its frame
            continue
        color, alpha = fill_of(sp_pr, colors)
        if color is None:
            continue
        radius = min(w, h) * 0.1667 if prst == "roundRect" else 0.0
        out.append(TemplateShape(x, y, w, h, color, prst == "ellipse", radius, alpha))
    return out


def read_background(
    part: Any, tree: Any, colors: dict[str, str], size: tuple[float, float], where: str
) -> tuple[str | None, TemplatePicture | None, bool]:
    """A master's or layout's own background: its colour, its picture (stretched over the
    slide), and whether it has one at all (else it shows its master's)."""
    bg = tree.find(f"{_P}cSld/{_P}bg")
    if bg is None:
        return None, None, False
    pr = bg.find(f"{_P}bgPr")
    if pr is None:  # a theme's background style (bgRef): its colour
        ref = bg.find(f"{_P}bgRef")
        return (color_of(ref, colors)[0] if ref is not None else None), None, True
    blip_fill = pr.find(f"{_A}blipFill")
    if blip_fill is not None:
        image = _image(part, blip_fill, f"{where}: background")
        tile = blip_fill.find(f"{_A}tile")
        if image is not None and tile is not None:
            image = _tiled(image[0], tile, size), image[1]
        if image is not None:
            return None, TemplatePicture(0.0, 0.0, *size, *image), True
    return fill_of(pr, colors)[0], None, True


def _tiled(data: bytes, tile: Any, size: tuple[float, float]) -> bytes:
    """A picture tiled over the slide as PowerPoint tiles it: at 96 pixels an inch, scaled by
    the tile's sx and sy, from the top-left corner (offsets and mirroring left out)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        art = img.convert("RGBA")
    sx = int(tile.get("sx", "100000")) / 100000 or 1.0
    sy = int(tile.get("sy", "100000")) / 100000 or 1.0
    per_pt = (1 / (0.75 * abs(sx)), 1 / (0.75 * abs(sy)))  # the tile's pixels per point
    width = max(1, min(4096, round(size[0] * per_pt[0])))
    height = max(1, min(4096, round(size[1] * per_pt[1])))
    canvas = Image.new("RGBA", (width, height))
    for y in range(0, height, art.height):
        for x in range(0, width, art.width):
            canvas.paste(art, (x, y))
    return _png(canvas)


def text_look(sp: Any, colors: dict[str, str]) -> TextLook:
    """How a placeholder shape's list style sets its first level's text (its own, not its
    master's)."""
    body = sp.find(f"{_P}txBody/{_A}bodyPr")
    anchor = {"t": "top", "ctr": "middle", "b": "bottom"}.get(
        str(body.get("anchor")) if body is not None else ""
    )
    lvl = sp.find(f"{_P}txBody/{_A}lstStyle/{_A}lvl1pPr")
    if lvl is None:
        lvl = sp.find(f"{_P}txBody/{_A}p/{_A}pPr")
    if lvl is None:
        return TextLook(anchor=anchor)
    align = {"l": "left", "ctr": "center", "r": "right"}.get(str(lvl.get("algn")))
    rpr = lvl.find(f"{_A}defRPr")
    size = int(rpr.get("sz")) / 100 if rpr is not None and rpr.get("sz") else None
    color = fill_of(rpr, colors)[0] if rpr is not None else None
    return TextLook(size, color, align, anchor)
