"""Content-slide frames and flowing text: title, accent rule, body, continuation slides."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from slidegen.errors import LayoutError, Location, Problem
from slidegen.layout.draft import FLOOR, Context, Draft, part_id
from slidegen.layout.shapes import Frame
from slidegen.layout.text import V_SAFETY, Block, Fit, fit_at, fit_blocks, room, sentences, snap
from slidegen.markup import Run, runs_text
from slidegen.plan import Rect, Shape, TextBox
from slidegen.read.model import Item, Slide

__all__ = ["titled", "item_units", "list_slides", "flowing"]

_BULLETS = ("•", "–", "◦", "▪")


def _title_box(
    ctx: Context, runs: tuple[Run, ...], slide_id: str, height: float | None = None
) -> tuple[TextBox, float]:
    """The title of a content slide, fitted to at most two lines (or into `height`, the
    first part's title box, for a continuation); returns it and its bottom."""
    s = ctx.style
    largest, smallest = ctx.theme.sizes.title
    block = Block(
        runs, bold=True, color=ctx.theme.colors.primary, line_spacing=1.1, heading_font=True
    )
    if height is not None:
        fit = fit_blocks([block], s.content_w, (height - 2) * V_SAFETY, largest, FLOOR)
        h = height
    else:
        fit = fit_blocks([block], s.content_w, room(largest, 1.1, 2), largest, smallest)
        if not fit.fits:
            fit = fit_blocks([block], s.content_w, room(smallest, 1.1, 3), smallest, FLOOR)
            ctx.warn(f"title set at {fit.size:g} pt, below the theme's {smallest:g} pt", slide_id)
        h = fit.height / V_SAFETY + 2
    box = TextBox(
        s.left, s.top, s.content_w, h, fit.paragraphs, role="title", anchor="top", name="Title"
    )
    return box, s.top + h


def _content_frame(ctx: Context, title_bottom: float) -> tuple[list[Shape], Frame]:
    """The accent rule under a title and the body frame below it."""
    s = ctx.style
    rule_y = title_bottom + 6
    rule = Rect(s.left, rule_y, 64, 4, fill=ctx.theme.colors.accent, name="Accent rule")
    top = rule_y + 4 + 20
    return [rule], Frame(s.left, top, s.content_w, s.body_bottom - top)


def titled(
    ctx: Context, slide_id: str, title: tuple[Run, ...], part: int
) -> tuple[list[Shape], Frame, str]:
    """A content slide's title (marked "continued" after part 1, with the part's number after
    part 2, so that no two slides have the same title), its rule, its body frame."""
    labels = ctx.edition.labels
    first, bottom = _title_box(ctx, title, slide_id)
    if part == 1:
        runs, box = title, first
    else:  # the continuation's title keeps the first part's box: the body frame is the same
        mark = labels.continued if part == 2 else labels.continued_part.format(part=part)
        runs = (*title, Run(f" ({mark})"))
        box, _ = _title_box(ctx, runs, slide_id, first.h)
    shapes, frame = _content_frame(ctx, bottom)
    return [box, *shapes], frame, runs_text(runs)


# ---------------------------------------------------------------- flowing text


def item_units(
    ctx: Context, items: Sequence[Item], numbered: bool, runs: Callable[[str], tuple[Run, ...]]
) -> list[list[Block]]:
    """One unit (list of blocks) per top-level item, sub-items following their parent."""
    colors = ctx.theme.colors
    ratio = ctx.theme.level_ratio
    units: list[list[Block]] = []

    def walk(item: Item, level: int, index: int, out: list[Block]) -> None:
        if numbered and level == 0:
            bullet, indent, hang = f"{index}.", 1.6, 1.5
        else:
            bullet, indent, hang = _BULLETS[min(level, 3)], 1.0, 0.9
            if numbered:
                indent += 0.6
        base_indent = sum((1.6 if numbered and lv == 0 else 1.0) * ratio**lv for lv in range(level))
        out.append(
            Block(
                runs(item.text),
                scale=ratio**level,
                level=level,
                bullet=bullet,
                indent_em=base_indent + indent * ratio**level,
                hang_em=hang,
                space_em=0.55 if level == 0 else 0.25,
                color=colors.text,
                bullet_color=colors.accent,
            )
        )
        for sub in item.items:
            walk(sub, level + 1, 0, out)

    for i, item in enumerate(items, 1):
        unit: list[Block] = []
        walk(item, 0, i, unit)
        units.append(unit)
    return units


def _finer(unit: list[Block]) -> list[list[Block]]:
    """Smaller units: each block alone, and a long paragraph cut between its sentences."""
    out: list[list[Block]] = []
    for b in unit:
        parts = sentences(b.runs)
        if len(parts) <= 1:
            out.append([b])
            continue
        for k, runs in enumerate(parts):
            out.append(
                [
                    replace(
                        b,
                        runs=runs,
                        bullet=b.bullet if k == 0 else None,
                        space_em=b.space_em if k == 0 else 0.0,
                        outdent=b.outdent if k == 0 else False,
                    )
                ]
            )
    return out


def _flow(
    ctx: Context,
    units: list[list[Block]],
    frame: Frame,
    sizes: tuple[float, float],
    slide_id: str,
    loc: Location | None,
    quiet: bool = False,
    whole: bool = False,
) -> list[Fit]:
    """Fit units into as few frames as needed: shrink first, then continue at unit boundaries.

    With `whole`, a unit is never cut between its sentences (a reference stays on one slide)
    and a word wider than the frame (a long address) is broken rather than shrunk for.
    """
    largest, smallest = sizes
    everything = [b for u in units for b in u]
    fit = fit_blocks(everything, frame.w, frame.h, largest, smallest)
    if fit.fits:
        if fit.size < largest and not quiet:
            ctx.shrunk(largest, fit.size, slide_id, loc)
        return [fit]
    refined: list[list[Block]] = []
    for unit in units:
        if whole or fit_at(unit, smallest, frame.w, frame.h).fits:
            refined.append(unit)
        else:
            refined.extend(_finer(unit))

    def pack(size: float, strict: bool) -> list[list[Block]] | None:
        """Greedy pages at `size`; None when `strict` and some unit alone does not fit."""
        pages: list[list[Block]] = []
        current: list[Block] = []
        used = 0.0
        limit = frame.h * V_SAFETY
        for unit in refined:
            alone = fit_at(unit, size, frame.w, frame.h, allow_break=whole)
            gap = snap(size * unit[0].scale) * unit[0].space_em
            if current and (used + gap + alone.height > limit or not alone.fits):
                pages.append(current)
                current, used = [], 0.0
            if not current and strict and not alone.fits:
                return None
            used += (gap if current else 0.0) + alone.height
            current = current + unit
        if current:
            pages.append(current)
        return pages

    fallback = pack(smallest, False)
    assert fallback is not None
    pages = fallback
    size = snap(largest)
    while size > smallest:
        trial = pack(size, True)
        if trial is not None and len(trial) <= len(fallback):
            pages = trial
            break
        size = snap(size - 1)
    else:
        size = smallest
    fits: list[Fit] = []
    for page in pages:
        f = fit_at(page, size, frame.w, frame.h, allow_break=whole)
        if not f.fits:
            f = fit_blocks(page, frame.w, frame.h, size, FLOOR, step=0.5)
            if not f.fits:
                raise LayoutError(
                    [
                        Problem(
                            f"a single sentence is too long for a slide even at {FLOOR:g} pt",
                            loc,
                            hint="shorten it or move it to the notes",
                            slide=slide_id,
                        )
                    ]
                )
            ctx.warn(
                f"text set at {f.size:g} pt, below the theme's {smallest:g} pt "
                "(one point is too long for a slide)"
                if f.size < smallest
                else f"a word too long for the line was broken at {f.size:g} pt",
                slide_id,
                loc,
            )
        fits.append(f)
    if len(fits) > 1 and not quiet:
        ctx.warn(f"text continues on {len(fits)} slides (at {size:g} pt)", slide_id, loc)
    return fits


def _body_box(frame: Frame, fit: Fit, name: str = "Content") -> TextBox:
    return TextBox(frame.x, frame.y, frame.w, frame.h, fit.paragraphs, role="body", name=name)


def list_slides(
    ctx: Context,
    slide_id: str,
    title: str,
    items: list[Item],
    numbered: bool,
    section: str | None,
    source: Slide | None,
) -> list[Draft]:
    """Slides of bullet or numbered points (agenda, summary, authored lists)."""
    runs = ctx.edition.runs
    units = item_units(ctx, items, numbered, runs)
    return flowing(ctx, slide_id, runs(title), units, "bullets", section, source)


def flowing(
    ctx: Context,
    slide_id: str,
    title: tuple[Run, ...],
    units: list[list[Block]],
    kind: str,
    section: str | None,
    source: Slide | None,
    sizes: tuple[float, float] | None = None,
    quiet: bool = False,
    whole: bool = False,
) -> list[Draft]:
    """The slides of flowing units under one title (see `_flow` for `quiet` and `whole`)."""
    loc = source.loc if source else None
    _, frame, _ = titled(ctx, slide_id, title, 1)
    fits = _flow(ctx, units, frame, sizes or ctx.theme.sizes.body, slide_id, loc, quiet, whole)
    drafts = []
    for part, fit in enumerate(fits, 1):
        shapes, frame, plain = titled(ctx, slide_id, title, part)
        shapes.append(_body_box(frame, fit))
        drafts.append(
            Draft(part_id(slide_id, part), kind, plain, shapes, section, part=part, parts=len(fits))
        )
    return drafts
