"""The slides slidegen generates: cover, agenda, section dividers, summary, references."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from slidegen.errors import LayoutError, Problem
from slidegen.layout.draft import Context, Draft
from slidegen.layout.flow import flowing, list_slides
from slidegen.layout.shapes import mix
from slidegen.layout.text import SAFETY, V_SAFETY, Block, blocks_height, fit_at, fit_blocks, room
from slidegen.markup import Run, runs_text
from slidegen.plan import Picture, Rect, Shape, TextBox
from slidegen.read.model import Item, Section

__all__ = ["cover", "agenda", "divider", "summary", "references", "pixel_size"]


def cover(ctx: Context) -> Draft:
    """The title slide: course, class title, subtitle, lecturer, institution and date."""
    e, t, s = ctx.edition, ctx.theme, ctx.style
    o = e.outline
    c = t.colors
    shapes: list[Shape] = []
    x = s.left + 28
    w = s.content_w - 28
    course = Block(e.runs(o.course), bold=True, color=c.accent, line_spacing=1.15)
    course_fit = fit_blocks([course], w, room(20, 1.15, 2), 20, 14)
    title = Block(
        e.runs(o.title), bold=True, color=c.on_primary, line_spacing=1.05, heading_font=True
    )
    title_fit = fit_blocks([title], w, room(t.sizes.cover_title[0], 1.05, 3), *t.sizes.cover_title)
    sub_fit = None
    if o.subtitle:
        sub_block = Block(e.runs(o.subtitle), color=mix(c.on_primary, c.primary, 0.85))
        sub_fit = fit_blocks([sub_block], w, room(24, 1.2, 2), 24, 16)
    course_h = course_fit.height / V_SAFETY
    title_h = title_fit.height / V_SAFETY + 2
    sub_h = sub_fit.height / V_SAFETY + 10 if sub_fit else 0.0
    byline = _byline(ctx, x, w)
    # the course, title and subtitle centred a little above the middle, and above the byline
    # (a three-line title and a subtitle reached into it)
    block_h = course_h + 18 + title_h + sub_h
    bottom = byline.y - 12 if byline else t.height - s.bottom
    y = max(s.top + 24, t.height * 0.42 - block_h / 2)
    y = max(s.top, min(y, bottom - block_h))
    shapes.append(TextBox(x, y, w, course_h, course_fit.paragraphs, role="label", name="Course"))
    y += course_h + 18
    bar_top = y
    shapes.append(TextBox(x, y, w, title_h, title_fit.paragraphs, role="title", name="Title"))
    y += title_h
    if sub_fit:
        shapes.append(
            TextBox(x, y + 10, w, sub_h - 10, sub_fit.paragraphs, role="subtitle", name="Subtitle")
        )
        y += sub_h
    shapes.insert(
        0, Rect(s.left, bar_top + 4, 6, y - bar_top - 8, fill=c.accent, name="Accent bar")
    )
    shapes.insert(1, Rect(0, t.height - 10, t.width, 10, fill=c.accent, name="Accent band"))
    if byline:
        shapes.append(byline)
    if t.logo:
        shapes.append(_logo(ctx, t.logo))
    return Draft(
        "cover", "title", runs_text(e.runs(o.title)), shapes, background=c.primary, footer=False
    )


def _byline(ctx: Context, x: float, w: float) -> TextBox | None:
    """The cover's lecturer, institution, date and edition, at the foot of the slide."""
    e, t, s = ctx.edition, ctx.theme, ctx.style
    o, c = e.outline, t.colors
    lines: list[Block] = []
    if o.lecturer:
        lines.append(Block(e.runs(o.lecturer), bold=True, color=c.on_primary, scale=1.0))
    place = o.institution or t.institution
    for text in (place, e.date_text, o.edition):
        if text:
            lines.append(
                Block(
                    e.runs(text), color=mix(c.on_primary, c.primary, 0.75), scale=0.85, space_em=0.2
                )
            )
    if not lines:
        return None
    fit = fit_blocks(lines, w, t.height * 0.25, 20, 12)
    h = fit.height / V_SAFETY
    return TextBox(
        x, t.height - s.bottom - 24 - h, w, h, fit.paragraphs, role="subtitle", anchor="bottom",
        name="Byline",
    )


def agenda(ctx: Context) -> list[Draft]:
    """The agenda: one numbered point per section (no slide when there is no section)."""
    edition = ctx.edition
    outline = edition.outline
    if not (outline.agenda and outline.sections):
        return []
    items = [Item(text=s.title) for s in outline.sections]
    return list_slides(ctx, "agenda", edition.labels.agenda, items, True, None, None)


def summary(ctx: Context) -> list[Draft]:
    """The summary's points under its own title or the language's label (none when empty)."""
    edition = ctx.edition
    outline = edition.outline
    if not outline.summary:
        return []
    title = outline.summary_title or edition.labels.summary
    return list_slides(ctx, "summary", title, list(outline.summary), False, None, None)


def pixel_size(path: Path, problem: Callable[[str], Problem]) -> tuple[int, int]:
    """A picture's width and height in pixels; when it cannot be read, a `LayoutError` with
    `problem(why)`."""
    from PIL import Image as PILImage

    try:
        with PILImage.open(path) as pic:
            return pic.size
    except OSError as exc:
        raise LayoutError([problem(f"{exc.strerror or exc}")]) from None


def _logo(ctx: Context, name: str) -> Picture:
    path = ctx.edition.base_dir / name
    pw, ph = pixel_size(
        path,
        lambda why: Problem(
            f"theme logo {name!r} cannot be read: {why}",
            hint="give the logo's path relative to the outline",
        ),
    )
    box = 64.0
    w, h = (box, box * ph / pw) if pw >= ph else (box * pw / ph, box)
    t = ctx.theme
    return Picture(
        t.width - ctx.style.right - w,
        ctx.style.top,
        w,
        h,
        str(path),
        alt=t.institution or "Logo",
        name="Logo",
    )


def _section_number(ctx: Context, number: int) -> TextBox:
    """A divider's large, faint section number in its lower right corner."""
    t, s, c = ctx.theme, ctx.style, ctx.theme.colors
    big = 200.0
    num = Block(
        (Run(f"{number:02d}"),),
        bold=True,
        color=mix(c.on_primary, c.primary, 0.14),
        line_spacing=1.0,
        align="right",
    )
    nfit = fit_at([num], big, t.width * 0.4, big * 1.1)
    # the number's box as wide as its digits: the title's box stops short of it
    num_w = _number_width(nfit.paragraphs[0].lines[0].width, t.width)
    return TextBox(
        t.width - s.right - num_w,
        t.height - s.bottom - big * 1.05,
        num_w,
        big * 1.05,
        nfit.paragraphs,
        role="other",
        anchor="bottom",
        name="Section number",
        decorative=True,  # the title says "Section 1": the large number is ornament
    )


def _number_width(digits: float, slide_width: float) -> float:
    return min(slide_width * 0.4, digits / SAFETY + 8)


def divider(ctx: Context, section: Section, number: int) -> Draft:
    """A section divider: a large number, the section's title and subtitle on the theme color."""
    e, t, s = ctx.edition, ctx.theme, ctx.style
    c = t.colors
    shapes: list[Shape] = []
    w = s.content_w * 0.78
    big_number = _section_number(ctx, number) if number and not t.template else None
    if big_number is not None:  # the title's box stops short of the large number
        w = min(w, s.content_w - big_number.w - 24)
    x = s.left
    label_text = f"{e.labels.section} {number}"
    label = Block((Run(label_text),), bold=True, color=c.accent)
    lfit = fit_at([label], 18, w, 40)
    title = Block(
        e.runs(section.title), bold=True, color=c.on_primary, line_spacing=1.05, heading_font=True
    )
    tfit = fit_blocks([title], w, room(40, 1.05, 3), 40, 26)
    blocks_h = lfit.height / V_SAFETY + 10 + tfit.height / V_SAFETY + 2
    sub_fit = None
    if section.subtitle:
        sub_fit = fit_blocks(
            [Block(e.runs(section.subtitle), color=mix(c.on_primary, c.primary, 0.8))],
            w,
            room(22, 1.2, 3),
            22,
            16,
        )
        blocks_h += 12 + sub_fit.height / V_SAFETY
    y = (t.height - blocks_h) / 2
    # The label and the section's title are one title ("Section 1", "Introduction"), so the
    # divider's title differs from its first slide's, which often repeats the section's; the
    # accent rule sits in the space between them.
    above = lfit.height / V_SAFETY + 18
    paragraphs = tfit.paragraphs
    if number:
        gap = above - blocks_height(lfit.paragraphs)
        paragraphs = (*lfit.paragraphs, replace(paragraphs[0], space_before=gap), *paragraphs[1:])
        top = y
    else:
        top = y + above
    shapes.append(
        TextBox(
            x,
            top,
            w,
            y + above - top + tfit.height / V_SAFETY + 2,
            paragraphs,
            role="title",
            name="Title",
        )
    )
    shapes.append(Rect(x, y + above - 12, 64, 4, fill=c.accent, name="Accent rule"))
    y += above
    y += tfit.height / V_SAFETY + 2
    if sub_fit:
        shapes.append(
            TextBox(
                x,
                y + 12,
                w,
                sub_fit.height / V_SAFETY,
                sub_fit.paragraphs,
                role="subtitle",
                name="Subtitle",
            )
        )
    if big_number is not None:  # the large number comes last: ornament, after the title
        shapes.append(big_number)
    plain = runs_text(e.runs(section.title))
    return Draft(
        section.id,
        "section",
        f"{label_text} {plain}" if number else plain,
        shapes,
        section=section.id,
        background=c.primary,
        footer=False,
    )


def references(ctx: Context) -> list[Draft]:
    """The bibliography over as many slides as it needs, each entry with a hanging indent
    (no slide when nothing is cited)."""
    if not ctx.edition.bibliography:
        return []
    c = ctx.theme.colors
    units = [
        [Block(entry, space_em=0.7, color=c.text, indent_em=1.2, hang_em=1.2, outdent=True)]
        for entry in ctx.edition.bibliography
    ]
    largest = min(20.0, ctx.theme.sizes.body[0])
    sizes = (largest, min(14.0, largest))
    return flowing(
        ctx,
        "references",
        (Run(ctx.edition.labels.references),),
        units,
        "references",
        None,
        None,
        sizes=sizes,
        quiet=True,
        whole=True,
    )
