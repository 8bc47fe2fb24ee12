"""A slide's footer, date and number on an institution's template: in the frames of its
layout's (else its master's) placeholders, set as they set them (size, colour, alignment)."""

from __future__ import annotations

from dataclasses import replace

from slidegen.layout.design import contrast
from slidegen.layout.draft import Context
from slidegen.layout.text import Block, fit_blocks, room
from slidegen.markup import Run
from slidegen.plan import Align, Anchor, Role, Shape, TextBox
from slidegen.read.template import TemplateLayout, TemplatePlaceholder

__all__ = ["template_footer"]

#: A placeholder's text inset (PowerPoint's default is 3.6 pt above and below, 7.2 pt beside).
_INSET = 3.6
#: The smallest a footer is set to keep to one line in its frame (it is not slide text).
_SMALLEST = 8.0
_ROLES: dict[str, tuple[Role, str, Align]] = {
    "ftr": ("footer", "Footer", "left"),
    "dt": ("date", "Date", "left"),
    "sldNum": ("number", "Slide number", "right"),
}


def template_footer(
    ctx: Context, layout: TemplateLayout, number: int, total: int, background: str
) -> list[Shape] | None:
    """The footer, date and number of slide `number` in `layout`'s footer frames; None when
    the template has neither a footer nor a slide-number placeholder there (slidegen's own
    positions then). The date shows only when the class has one."""
    frames = {ph.type: ph for ph in layout.footers}
    if "ftr" not in frames and "sldNum" not in frames:
        return None
    t, e = ctx.theme, ctx.edition
    texts = {
        "ftr": e.runs(t.footer or e.outline.course),
        "sldNum": (Run(e.labels.slide_of.format(number=number, total=total)),),
        "dt": (Run(e.date_text),) if e.date_text else (),
    }
    if "ftr" in frames and "dt" in frames and not texts["dt"]:
        frames["ftr"] = _widened(frames["ftr"], frames["dt"], frames.get("sldNum"))
    out: list[Shape] = []
    for kind, (role, name, align) in _ROLES.items():
        ph = frames.get(kind)
        if ph is None or not texts[kind]:
            continue
        out.append(_box(ctx, ph, texts[kind], role, name, align, background))
    return out


def _widened(
    footer: TemplatePlaceholder, date: TemplatePlaceholder, number: TemplatePlaceholder | None
) -> TemplatePlaceholder:
    """The footer's frame over the date's too when the date is not shown and both sit on one
    row (a long course name then keeps to one line), never over the number's frame."""
    if abs(date.y - footer.y) > footer.h / 2:
        return footer
    left, right = min(footer.x, date.x), max(footer.x + footer.w, date.x + date.w)
    if number is not None and abs(number.y - footer.y) <= footer.h / 2:
        if number.x >= footer.x + footer.w:
            right = min(right, number.x)
        elif number.x + number.w <= footer.x:
            left = max(left, number.x + number.w)
    if left > footer.x or right < footer.x + footer.w:
        return footer
    return replace(footer, x=left, w=right - left)


def _box(
    ctx: Context,
    ph: TemplatePlaceholder,
    runs: tuple[Run, ...],
    role: Role,
    name: str,
    align: Align,
    background: str,
) -> TextBox:
    """One line of text in the placeholder's frame: its size (shrunk to fit the width), its
    colour where it reads on the slide (else the theme's muted text), its alignment."""
    c = ctx.theme.colors
    look = ph.look
    size = look.size or ctx.theme.sizes.footer
    color = look.color if look.color and contrast(look.color, background) >= 4.5 else c.muted
    if contrast(color, background) < 4.5:
        color = c.text
    chosen: Align = look.align if look.align in ("left", "center", "right") else align  # type: ignore[assignment]
    fit = fit_blocks(
        [Block(runs, color=color, align=chosen, bold=role == "number")],
        max(1.0, ph.w - 2 * _INSET),
        room(size, 1.2, 1),
        size,
        min(size, _SMALLEST),
    )
    anchor: Anchor = look.anchor if look.anchor in ("top", "middle", "bottom") else "middle"  # type: ignore[assignment]
    return TextBox(
        ph.x, ph.y, ph.w, ph.h, fit.paragraphs, role=role, anchor=anchor, inset=_INSET, name=name
    )
