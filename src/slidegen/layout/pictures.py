"""Picture slides in their layouts: centred under the title, beside the caption, full-bleed."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

from slidegen.errors import Problem
from slidegen.layout.draft import Context, Draft
from slidegen.layout.flow import titled
from slidegen.layout.generated import pixel_size
from slidegen.layout.shapes import Frame, caption_box
from slidegen.layout.text import V_SAFETY, Block, fit_blocks, room
from slidegen.markup import runs_text
from slidegen.plan import Picture, Rect, Shape, TextBox
from slidegen.read.model import Image, Slide, SlideLayoutName

__all__ = ["picture_slide", "layout_of", "picture_in"]

#: The share of the body's width a picture beside its caption may take at most.
_SIDE_SHARE = 0.62
_GAP = 28.0


#: The layouts that place a picture their own way (any other layout places it as the first).
PICTURE_LAYOUTS: tuple[SlideLayoutName, ...] = get_args(SlideLayoutName)


def layout_of(slide: Slide, img: Image, size: tuple[int, int]) -> str:
    """The layout a picture slide is drawn on: the one it asks for; else a tall picture with a
    caption goes beside it (Picture with Caption), any other under the title."""
    if slide.layout in PICTURE_LAYOUTS:
        return slide.layout
    pw, ph = size
    if img.caption and ph > pw:
        return "Picture with Caption"
    return "Title and Content"


def picture_slide(ctx: Context, slide: Slide, section: str, img: Image) -> Draft:
    """A picture slide on its layout (see `layout_of`)."""
    path = ctx.edition.base_dir / img.path
    size = pixel_size(
        path,
        lambda why: Problem(
            f"image {img.path!r} cannot be read: {why}", img.loc or slide.loc, slide=slide.id
        ),
    )
    name = layout_of(slide, img, size)
    if name == "Blank":
        return _background(ctx, slide, img, path, size, section)
    shapes, frame, plain = titled(ctx, slide.id, ctx.edition.runs(slide.title), 1)
    if name == "Picture with Caption" and img.caption:
        shapes += _beside(ctx, slide, img, path, size, frame)
    else:
        shapes += _centred(ctx, img, path, size, frame)
    return Draft(slide.id, "image", plain, shapes, section)


def picture_in(ctx: Context, slide: Slide, img: Image, frame: Frame) -> list[Shape]:
    """A picture (and its caption) as large as `frame` holds it, centred in it: a picture in
    a column."""
    path = ctx.edition.base_dir / img.path
    size = pixel_size(
        path,
        lambda why: Problem(
            f"image {img.path!r} cannot be read: {why}", img.loc or slide.loc, slide=slide.id
        ),
    )
    return _centred(ctx, img, path, size, frame)


def _alt(ctx: Context, img: Image) -> str:
    return runs_text(ctx.edition.runs(img.alt))


def _centred(
    ctx: Context, img: Image, path: Path, size: tuple[int, int], frame: Frame
) -> list[Shape]:
    """The picture as large as the body holds it, centred, its caption below."""
    t = ctx.theme
    pw, ph = size
    avail_h = frame.h
    cap_fit = None
    if img.caption:
        runs = ctx.edition.runs(img.caption)
        cap = Block(runs, italic=True, color=t.colors.muted, align="center")
        cap_fit = fit_blocks(
            [cap], frame.w, room(t.sizes.caption, 1.2, 2), t.sizes.caption, min(t.sizes.caption, 11)
        )
        avail_h -= cap_fit.height / V_SAFETY + 8
    scale = min(frame.w / pw, avail_h / ph)
    w, h = pw * scale, ph * scale
    x = frame.x + (frame.w - w) / 2
    shapes: list[Shape] = [Picture(x, frame.y, w, h, str(path), _alt(ctx, img), name="Picture")]
    if cap_fit:
        shapes.append(caption_box(frame, frame.y + h + 8, cap_fit))
    return shapes


def _beside(
    ctx: Context, slide: Slide, img: Image, path: Path, size: tuple[int, int], frame: Frame
) -> list[Shape]:
    """The picture the body's full height on one side, its caption (the slide's text) set
    large on the other, centred against it."""
    t = ctx.theme
    pw, ph = size
    scale = min(frame.h / ph, frame.w * _SIDE_SHARE / pw)
    w, h = pw * scale, ph * scale
    text_w = frame.w - w - _GAP
    caption = img.caption or ""
    block = Block(ctx.edition.runs(caption), color=t.colors.text, line_spacing=1.2)
    largest, smallest = t.sizes.body
    fit = fit_blocks([block], text_w, frame.h, largest, smallest)
    if not fit.fits:
        ctx.warn(
            "the caption is too long to sit beside the picture at the theme's sizes",
            slide.id,
            img.loc or slide.loc,
            "shorten it, or give the slide 'layout: Title and Content'",
        )
    text_h = min(frame.h, fit.height / V_SAFETY)
    if img.side == "left":
        pic_x, text_x = frame.x, frame.x + w + _GAP
    else:
        pic_x, text_x = frame.x + text_w + _GAP, frame.x
    text_y = frame.y + (h - text_h) / 2 if text_h < h else frame.y
    return [
        Picture(pic_x, frame.y, w, h, str(path), _alt(ctx, img), name="Picture"),
        TextBox(text_x, text_y, text_w, text_h, fit.paragraphs, role="caption", name="Caption"),
    ]


def _background(
    ctx: Context, slide: Slide, img: Image, path: Path, size: tuple[int, int], section: str
) -> Draft:
    """The picture filling the slide (cropped by the slide's edges, never distorted), the
    title and caption over a shaded band at its foot that keeps them legible."""
    t, s = ctx.theme, ctx.style
    c = t.colors
    pw, ph = size
    scale = max(t.width / pw, t.height / ph)
    w, h = pw * scale, ph * scale
    shapes: list[Shape] = [
        Picture(
            (t.width - w) / 2,
            (t.height - h) / 2,
            w,
            h,
            str(path),
            _alt(ctx, img),
            name="Background picture",
        )
    ]
    width = s.content_w
    largest, smallest = t.sizes.title
    on_scrim = c.on_primary
    title = Block(
        ctx.edition.runs(slide.title),
        bold=True,
        color=on_scrim,
        line_spacing=1.1,
        heading_font=True,
    )
    title_fit = fit_blocks([title], width, room(largest, 1.1, 2), largest, smallest)
    blocks_h = title_fit.height / V_SAFETY + 2
    cap_fit = None
    if img.caption:
        cap = Block(ctx.edition.runs(img.caption), color=on_scrim, line_spacing=1.2)
        cap_size = t.sizes.caption + 4
        cap_fit = fit_blocks([cap], width, room(cap_size, 1.2, 2), cap_size, 14)
        blocks_h += 8 + cap_fit.height / V_SAFETY
    pad = 22.0
    band_h = blocks_h + 2 * pad
    band_y = t.height - band_h
    shapes.append(Rect(0, band_y, t.width, band_h, fill=c.primary, opacity=0.72, name="Scrim"))
    y = band_y + pad
    th = title_fit.height / V_SAFETY + 2
    shapes.append(TextBox(s.left, y, width, th, title_fit.paragraphs, role="title", name="Title"))
    if cap_fit:
        shapes.append(
            TextBox(
                s.left,
                y + th + 8,
                width,
                cap_fit.height / V_SAFETY,
                cap_fit.paragraphs,
                role="caption",
                name="Caption",
            )
        )
    plain = runs_text(ctx.edition.runs(slide.title))
    return Draft(slide.id, "image", plain, shapes, section, footer=False)
