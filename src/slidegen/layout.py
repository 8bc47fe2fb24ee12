"""The layout stage: an edition and a theme in, a plan of fitted, positioned slides out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import LayoutError, Location, Problem
from .fonts import font_files, missing_glyphs
from .layout_shapes import Frame, Styler, caption_box, mix, table_shape, timeline_shapes
from .layout_text import V_SAFETY, Block, Fit, fit_at, fit_blocks, room, sentences, snap
from .markup import Run, runs_text
from .model import Column, Item, Section, Slide
from .plan import Picture, Plan, PlannedSlide, Rect, Shape, TableShape, TextBox
from .resolve import Edition
from .theme import Theme

__all__ = ["layout", "language_tag", "FLOOR"]

#: No text is set smaller than this, whatever the theme says.
FLOOR = 10.0

_TAGS = {"en": "en-US", "pt": "pt-BR", "es": "es-ES", "fr": "fr-FR"}
_BULLETS = ("•", "–", "◦", "▪")


def language_tag(lang: str) -> str:
    """The full language tag written into the deck, e.g. 'pt' → 'pt-BR'."""
    norm = lang.replace("_", "-")
    return norm if "-" in norm else _TAGS.get(norm.lower(), norm)


@dataclass
class _Draft:
    """A slide before numbering: its footer and number are added once the total is known."""

    id: str
    kind: str
    title: str
    shapes: list[Shape]
    section: str | None = None
    notes: tuple[tuple[Run, ...], ...] = ()
    handout: tuple[tuple[Run, ...], ...] = ()
    part: int = 1
    parts: int = 1
    background: str = "FFFFFF"
    footer: bool = True


@dataclass
class _Ctx:
    edition: Edition
    theme: Theme
    style: Styler
    warnings: list[Problem] = field(default_factory=list)

    def warn(self, message: str, slide: str, loc: Location | None = None) -> None:
        self.warnings.append(Problem(message, loc, severity="warning", slide=slide))


def layout(edition: Edition, theme: Theme) -> Plan:
    """Lay out every slide of the edition: generated slides, authored slides, references."""
    ctx = _Ctx(edition, theme, Styler(theme))
    outline = edition.outline
    drafts: list[_Draft] = [_cover(ctx)]
    if outline.agenda and outline.sections:
        items = [Item(text=s.title) for s in outline.sections]
        drafts += _list_slides(ctx, "agenda", edition.labels.agenda, items, True, None, None)
    for number, section in enumerate(outline.sections, 1):
        if section.divider:
            drafts.append(_divider(ctx, section, number))
        for slide in section.slides:
            drafts += _authored(ctx, slide, section.title)
    if outline.summary:
        title = outline.summary_title or edition.labels.summary
        drafts += _list_slides(ctx, "summary", title, list(outline.summary), False, None, None)
    if edition.bibliography:
        drafts += _references(ctx)
    _check_glyphs(ctx, drafts)
    total = len(drafts)
    slides = tuple(_finish(ctx, d, n, total) for n, d in enumerate(drafts, 1))
    return Plan(
        width=theme.width,
        height=theme.height,
        language=language_tag(edition.language),
        slides=slides,
        fonts=font_files(),
        title=runs_text(edition.runs(outline.title)),
        warnings=tuple(ctx.warnings),
        primary=theme.colors.primary,
        accent=theme.colors.accent,
    )


# ---------------------------------------------------------------- frame and title


def _title_box(ctx: _Ctx, runs: tuple[Run, ...], slide_id: str) -> tuple[TextBox, float]:
    """The title of a content slide, fitted to at most two lines; returns it and its bottom."""
    s = ctx.style
    largest, smallest = ctx.theme.sizes.title
    block = Block(
        runs, bold=True, color=ctx.theme.colors.primary, line_spacing=1.1, heading_font=True
    )
    fit = fit_blocks([block], s.content_w, room(largest, 1.1, 2), largest, smallest)
    if not fit.fits:
        fit = fit_blocks([block], s.content_w, room(smallest, 1.1, 3), smallest, FLOOR)
        ctx.warn(f"title set at {fit.size:g} pt, below the theme's {smallest:g} pt", slide_id)
    h = fit.height / V_SAFETY + 2
    box = TextBox(
        s.left, s.top, s.content_w, h, fit.paragraphs, role="title", anchor="top", name="Title"
    )
    return box, s.top + h


def _content_frame(ctx: _Ctx, title_bottom: float) -> tuple[list[Shape], Frame]:
    """The accent rule under a title and the body frame below it."""
    s = ctx.style
    rule_y = title_bottom + 6
    rule = Rect(s.left, rule_y, 64, 4, fill=ctx.theme.colors.accent, name="Accent rule")
    top = rule_y + 4 + 20
    return [rule], Frame(s.left, top, s.content_w, s.body_bottom - top)


def _titled(
    ctx: _Ctx, slide_id: str, title: tuple[Run, ...], part: int
) -> tuple[list[Shape], Frame, str]:
    runs = title if part == 1 else (*title, Run(f" ({ctx.edition.labels.continued})"))
    box, bottom = _title_box(ctx, runs, slide_id)
    shapes, frame = _content_frame(ctx, bottom)
    return [box, *shapes], frame, runs_text(runs)


# ---------------------------------------------------------------- flowing text


def _item_units(
    ctx: _Ctx, items: Sequence[Item], numbered: bool, runs: Callable[[str], tuple[Run, ...]]
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
    ctx: _Ctx,
    units: list[list[Block]],
    frame: Frame,
    sizes: tuple[float, float],
    slide_id: str,
    loc: Location | None,
    quiet: bool = False,
) -> list[Fit]:
    """Fit units into as few frames as needed: shrink first, then continue at unit boundaries."""
    largest, smallest = sizes
    everything = [b for u in units for b in u]
    fit = fit_blocks(everything, frame.w, frame.h, largest, smallest)
    if fit.fits:
        if fit.size < largest and not quiet:
            ctx.warn(f"text shrunk from {largest:g} to {fit.size:g} pt to fit", slide_id, loc)
        return [fit]
    refined: list[list[Block]] = []
    for unit in units:
        if fit_at(unit, smallest, frame.w, frame.h).fits:
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
            alone = fit_at(unit, size, frame.w, frame.h)
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
        f = fit_at(page, size, frame.w, frame.h)
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


def _list_slides(
    ctx: _Ctx,
    slide_id: str,
    title: str,
    items: list[Item],
    numbered: bool,
    section: str | None,
    source: Slide | None,
) -> list[_Draft]:
    """Slides of bullet or numbered points (agenda, summary, authored lists)."""
    runs = ctx.edition.runs
    units = _item_units(ctx, items, numbered, runs)
    return _flowing(ctx, slide_id, runs(title), units, "bullets", section, source)


def _flowing(
    ctx: _Ctx,
    slide_id: str,
    title: tuple[Run, ...],
    units: list[list[Block]],
    kind: str,
    section: str | None,
    source: Slide | None,
    sizes: tuple[float, float] | None = None,
    quiet: bool = False,
) -> list[_Draft]:
    loc = source.loc if source else None
    _, frame, _ = _titled(ctx, slide_id, title, 1)
    fits = _flow(ctx, units, frame, sizes or ctx.theme.sizes.body, slide_id, loc, quiet)
    drafts = []
    for part, fit in enumerate(fits, 1):
        shapes, frame, plain = _titled(ctx, slide_id, title, part)
        shapes.append(_body_box(frame, fit))
        drafts.append(
            _Draft(
                _part_id(slide_id, part), kind, plain, shapes, section, part=part, parts=len(fits)
            )
        )
    return drafts


def _part_id(slide_id: str, part: int) -> str:
    return slide_id if part == 1 else f"{slide_id}#{part}"


# ---------------------------------------------------------------- generated slides


def _cover(ctx: _Ctx) -> _Draft:
    """The title slide: course, class title, subtitle, lecturer, institution and date."""
    e, t, s = ctx.edition, ctx.theme, ctx.style
    o = e.outline
    c = t.colors
    shapes: list[Shape] = [Rect(0, 0, t.width, t.height, fill=c.primary, name="Background")]
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
    y = max(s.top + 24, t.height * 0.42 - (course_h + 18 + title_h + sub_h) / 2)
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
        1, Rect(s.left, bar_top + 4, 6, y - bar_top - 8, fill=c.accent, name="Accent bar")
    )
    shapes.insert(2, Rect(0, t.height - 10, t.width, 10, fill=c.accent, name="Accent band"))
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
    if lines:
        fit = fit_blocks(lines, w, t.height * 0.25, 20, 12)
        h = fit.height / V_SAFETY
        shapes.append(
            TextBox(
                x,
                t.height - s.bottom - 24 - h,
                w,
                h,
                fit.paragraphs,
                role="subtitle",
                anchor="bottom",
                name="Byline",
            )
        )
    if t.logo:
        shapes.append(_logo(ctx, t.logo))
    return _Draft(
        "cover", "title", runs_text(e.runs(o.title)), shapes, background=c.primary, footer=False
    )


def _pixel_size(path: Path, problem: Callable[[str], Problem]) -> tuple[int, int]:
    """A picture's width and height in pixels; when it cannot be read, a `LayoutError` with
    `problem(why)`."""
    from PIL import Image as PILImage

    try:
        with PILImage.open(path) as pic:
            return pic.size
    except OSError as exc:
        raise LayoutError([problem(f"{exc.strerror or exc}")]) from None


def _logo(ctx: _Ctx, name: str) -> Picture:
    path = ctx.edition.base_dir / name
    pw, ph = _pixel_size(
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


def _divider(ctx: _Ctx, section: Section, number: int) -> _Draft:
    """A section divider: a large number, the section's title and subtitle on the theme color."""
    e, t, s = ctx.edition, ctx.theme, ctx.style
    c = t.colors
    shapes: list[Shape] = [Rect(0, 0, t.width, t.height, fill=c.primary, name="Background")]
    big = 200.0
    num = Block(
        (Run(f"{number:02d}"),),
        bold=True,
        color=mix(c.on_primary, c.primary, 0.14),
        line_spacing=1.0,
        align="right",
    )
    nfit = fit_at([num], big, t.width * 0.4, big * 1.1)
    shapes.append(
        TextBox(
            t.width - s.right - t.width * 0.4,
            t.height - s.bottom - big * 1.05,
            t.width * 0.4,
            big * 1.05,
            nfit.paragraphs,
            role="other",
            anchor="bottom",
            name="Section number",
        )
    )
    w = s.content_w * 0.78
    x = s.left
    label = Block((Run(f"{e.labels.section} {number}"),), bold=True, color=c.accent)
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
    shapes.append(
        TextBox(
            x, y, w, lfit.height / V_SAFETY, lfit.paragraphs, role="label", name="Section label"
        )
    )
    y += lfit.height / V_SAFETY + 10
    shapes.append(Rect(x, y - 4, 64, 4, fill=c.accent, name="Accent rule"))
    y += 8
    shapes.append(
        TextBox(x, y, w, tfit.height / V_SAFETY + 2, tfit.paragraphs, role="title", name="Title")
    )
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
    return _Draft(
        section.id,
        "section",
        runs_text(e.runs(section.title)),
        shapes,
        section=section.title,
        background=c.primary,
        footer=False,
    )


def _references(ctx: _Ctx) -> list[_Draft]:
    """The bibliography over as many slides as it needs, each entry with a hanging indent."""
    c = ctx.theme.colors
    units = [
        [Block(entry, space_em=0.7, color=c.text, indent_em=1.2, hang_em=1.2, outdent=True)]
        for entry in ctx.edition.bibliography
    ]
    largest = min(20.0, ctx.theme.sizes.body[0])
    sizes = (largest, min(14.0, largest))
    return _flowing(
        ctx,
        "references",
        (Run(ctx.edition.labels.references),),
        units,
        "references",
        None,
        None,
        sizes=sizes,
        quiet=True,
    )


# ---------------------------------------------------------------- authored slides


def _authored(ctx: _Ctx, slide: Slide, section: str) -> list[_Draft]:
    """The slides one authored slide becomes (more than one when it continues)."""
    e = ctx.edition
    kind = slide.content_kind
    title = e.runs(slide.title)
    drafts: list[_Draft]
    if kind == "title":
        drafts = [_authored_cover(ctx, slide)]
    elif kind == "section":
        drafts = [_plain_divider(ctx, slide)]
    elif kind in ("bullets", "numbered"):
        items = list(slide.bullets or slide.numbered or ())
        units = _item_units(ctx, items, kind == "numbered", e.runs)
        drafts = _flowing(ctx, slide.id, title, units, kind, section, slide)
    elif kind == "prose":
        units = [
            [Block(p, space_em=0.6, color=ctx.theme.colors.text)] for p in e.paragraphs(slide.prose)
        ]
        drafts = _flowing(ctx, slide.id, title, units, kind, section, slide)
    elif kind == "definitions":
        units = [
            [
                Block(
                    (Run(runs_text(e.runs(d.term)), bold=True), Run(" — "), *e.runs(d.text)),
                    space_em=0.6,
                    color=ctx.theme.colors.text,
                    indent_em=0.0,
                )
            ]
            for d in slide.definitions or ()
        ]
        drafts = _flowing(ctx, slide.id, title, units, kind, section, slide)
    elif kind == "quote":
        drafts = [_quote(ctx, slide, section)]
    elif kind == "image":
        drafts = [_image(ctx, slide, section)]
    elif kind == "columns":
        drafts = [_columns(ctx, slide, section)]
    elif kind == "table":
        drafts = _table(ctx, slide, section)
    else:
        drafts = _timeline(ctx, slide, section)
    notes = e.paragraphs(slide.notes)
    handout = e.paragraphs(slide.handout)
    drafts[0].notes, drafts[0].handout = notes, handout
    return drafts


def _authored_cover(ctx: _Ctx, slide: Slide) -> _Draft:
    e, t, s = ctx.edition, ctx.theme, ctx.style
    c = t.colors
    shapes: list[Shape] = [Rect(0, 0, t.width, t.height, fill=c.primary, name="Background")]
    w = s.content_w
    blocks = [
        Block(
            e.runs(slide.title), bold=True, color=c.on_primary, line_spacing=1.05, heading_font=True
        )
    ]
    fit = fit_blocks(blocks, w, t.height * 0.4, *t.sizes.cover_title)
    h = fit.height / V_SAFETY + 2
    y = t.height * 0.38 - h / 2
    shapes.append(TextBox(s.left, y, w, h, fit.paragraphs, role="title", name="Title"))
    if slide.subtitle:
        sub = fit_blocks(
            [Block(e.runs(slide.subtitle), color=c.on_primary)], w, t.height * 0.3, 24, 16
        )
        shapes.append(
            TextBox(
                s.left,
                y + h + 14,
                w,
                sub.height / V_SAFETY,
                sub.paragraphs,
                role="subtitle",
                name="Subtitle",
            )
        )
    return _Draft(slide.id, "title", slide.title, shapes, background=c.primary, footer=False)


def _plain_divider(ctx: _Ctx, slide: Slide) -> _Draft:
    sec = Section(id=slide.id, title=slide.title, subtitle=slide.subtitle, slides=())
    d = _divider(ctx, sec, 0)
    d.shapes = [sh for sh in d.shapes if sh.name not in ("Section number", "Section label")]
    d.section = None
    return d


def _quote(ctx: _Ctx, slide: Slide, section: str) -> _Draft:
    """A quotation (large quote mark, italic text, source) or a highlighted callout."""
    e, t = ctx.edition, ctx.theme
    c = t.colors
    q = slide.quote
    assert q is not None
    shapes, frame, plain = _titled(ctx, slide.id, e.runs(slide.title), 1)
    largest, smallest = t.sizes.body
    if q.callout:
        pad = 24.0
        inner = Frame(frame.x + pad + 8, frame.y, frame.w - 2 * pad - 8, frame.h - 2 * pad)
        blocks = [Block(e.runs(q.text), color=c.text, line_spacing=1.2)]
        if q.source:
            blocks.append(_source_block(ctx, q.source, 0.8))
        fit = _single(ctx, blocks, inner, (largest + 4, smallest), slide)
        h = fit.height / V_SAFETY + 2 * pad
        y = frame.y + (frame.h - h) / 2
        shapes.append(Rect(frame.x, y, frame.w, h, fill=c.soft, radius=10, name="Callout"))
        shapes.append(Rect(frame.x, y, 8, h, fill=c.accent, name="Callout stripe"))
        shapes.append(
            TextBox(
                inner.x,
                y + pad,
                inner.w,
                fit.height / V_SAFETY,
                fit.paragraphs,
                role="quote",
                name="Callout text",
            )
        )
    else:
        mark = fit_at(
            [Block((Run("“"),), bold=True, color=c.accent, line_spacing=1.0)], 110, 80, 130
        )
        shapes.append(
            TextBox(
                frame.x - 6, frame.y - 14, 80, 110, mark.paragraphs, role="other", name="Quote mark"
            )
        )
        inner = Frame(frame.x + 72, frame.y, frame.w - 72 - 40, frame.h)
        blocks = [Block(e.runs(q.text), italic=True, color=c.text, line_spacing=1.25)]
        if q.source:
            blocks.append(_source_block(ctx, q.source, 0.9))
        fit = _single(ctx, blocks, inner, (largest + 4, smallest), slide)
        h = fit.height / V_SAFETY
        y = frame.y + max(0.0, (frame.h - h) / 2 - 20)
        shapes.append(
            TextBox(inner.x, y, inner.w, h, fit.paragraphs, role="quote", name="Quotation")
        )
    return _Draft(slide.id, "quote", plain, shapes, section)


def _source_block(ctx: _Ctx, source: str, space_em: float) -> Block:
    """The "— source" line under a quotation or a callout: smaller, muted, set right."""
    runs = (Run("— "), *ctx.edition.runs(source))
    return Block(runs, scale=0.7, color=ctx.theme.colors.muted, space_em=space_em, align="right")


def _single(
    ctx: _Ctx, blocks: list[Block], frame: Frame, sizes: tuple[float, float], slide: Slide
) -> Fit:
    """Fit blocks that cannot continue on another slide: shrink, below the range if need be."""
    largest, smallest = sizes
    fit = fit_blocks(blocks, frame.w, frame.h, largest, smallest)
    if fit.fits:
        if fit.size < largest:
            ctx.warn(f"text shrunk from {largest:g} to {fit.size:g} pt to fit", slide.id, slide.loc)
        return fit
    fit = fit_blocks(blocks, frame.w, frame.h, smallest, FLOOR, step=0.5)
    if not fit.fits:
        raise LayoutError(
            [
                Problem(
                    f"the text is too long for one slide even at {FLOOR:g} pt",
                    slide.loc,
                    hint="shorten it",
                    slide=slide.id,
                )
            ]
        )
    ctx.warn(f"text set at {fit.size:g} pt, below the theme's {smallest:g} pt", slide.id, slide.loc)
    return fit


def _image(ctx: _Ctx, slide: Slide, section: str) -> _Draft:
    """A picture scaled into the body, its aspect kept, with an optional caption below."""
    e, t = ctx.edition, ctx.theme
    img = slide.image
    assert img is not None
    shapes, frame, plain = _titled(ctx, slide.id, e.runs(slide.title), 1)
    path = e.base_dir / img.path
    pw, ph = _pixel_size(
        path,
        lambda why: Problem(
            f"image {img.path!r} cannot be read: {why}", img.loc or slide.loc, slide=slide.id
        ),
    )
    avail_h = frame.h
    cap_fit = None
    if img.caption:
        cap = Block(e.runs(img.caption), italic=True, color=t.colors.muted, align="center")
        cap_fit = fit_blocks(
            [cap], frame.w, room(t.sizes.caption, 1.2, 2), t.sizes.caption, min(t.sizes.caption, 11)
        )
        avail_h -= cap_fit.height / V_SAFETY + 8
    scale = min(frame.w / pw, avail_h / ph)
    w, h = pw * scale, ph * scale
    x = frame.x + (frame.w - w) / 2
    alt = runs_text(e.runs(img.alt))
    shapes.append(Picture(x, frame.y, w, h, str(path), alt, name="Picture"))
    if cap_fit:
        shapes.append(caption_box(frame, frame.y + h + 8, cap_fit))
    return _Draft(slide.id, "image", plain, shapes, section)


def _column_blocks(ctx: _Ctx, col: Column) -> list[Block]:
    e = ctx.edition
    c = ctx.theme.colors
    blocks: list[Block] = []
    if col.heading:
        blocks.append(
            Block(e.runs(col.heading), bold=True, color=c.primary, scale=1.0, heading_font=True)
        )
    for unit in _item_units(ctx, col.bullets, False, e.runs):
        blocks.extend(unit)
    for p in e.paragraphs(col.prose):
        blocks.append(Block(p, color=c.text, space_em=0.55))
    if blocks:
        blocks[0] = replace(blocks[0], space_em=0.0)
    return blocks


def _columns(ctx: _Ctx, slide: Slide, section: str) -> _Draft:
    """Two (or more) columns side by side, all at one fitted size."""
    e, t = ctx.edition, ctx.theme
    cols = slide.columns or ()
    shapes, frame, plain = _titled(ctx, slide.id, e.runs(slide.title), 1)
    gap = 36.0
    n = max(1, len(cols))
    w = (frame.w - gap * (n - 1)) / n
    col_blocks = [_column_blocks(ctx, c) for c in cols]
    largest, smallest = t.sizes.body
    size = snap(largest)

    def fits(sz: float) -> list[Fit]:
        return [fit_at(b, sz, w, frame.h) for b in col_blocks]

    result = fits(size)
    while not all(f.fits for f in result) and size > FLOOR:
        size = snap(size - (1 if size > smallest else 0.5))
        result = fits(size)
    if not all(f.fits for f in result):
        raise LayoutError(
            [
                Problem(
                    "the columns are too long for one slide",
                    slide.loc,
                    hint="shorten them",
                    slide=slide.id,
                )
            ]
        )
    if size < smallest:
        ctx.warn(
            f"columns set at {size:g} pt, below the theme's {smallest:g} pt", slide.id, slide.loc
        )
    elif size < largest:
        ctx.warn(f"text shrunk from {largest:g} to {size:g} pt to fit", slide.id, slide.loc)
    for i, f in enumerate(result):
        x = frame.x + i * (w + gap)
        shapes.append(TextBox(x, frame.y, w, frame.h, f.paragraphs, name=f"Column {i + 1}"))
        if i:
            shapes.append(
                Rect(
                    x - gap / 2 - 0.75,
                    frame.y,
                    1.5,
                    min(frame.h, max(r.height for r in result) + 8),
                    fill=t.colors.grid,
                    name="Column rule",
                )
            )
    return _Draft(slide.id, "columns", plain, shapes, section)


def _table(ctx: _Ctx, slide: Slide, section: str) -> list[_Draft]:
    """A real table; rows continue on further slides (header repeated) when they do not fit."""
    e, t = ctx.edition, ctx.theme
    table = slide.table
    assert table is not None
    title = e.runs(slide.title)
    _, frame, _ = _titled(ctx, slide.id, title, 1)
    header = [e.runs(h) for h in table.header]
    rows = [[e.runs(cell) for cell in row] for row in table.rows]
    caption = e.runs(table.caption) if table.caption else None
    pages = table_shape(
        ctx.style, frame, header, rows, caption, t.sizes.table, slide=slide.id, loc=slide.loc
    )
    if pages.broken:
        ctx.warn(
            f"a word too wide for its table column was broken at {pages.size:g} pt",
            slide.id,
            slide.loc,
        )
    if pages.size < t.sizes.table[0]:
        ctx.warn(
            f"table shrunk from {t.sizes.table[0]:g} to {pages.size:g} pt to fit",
            slide.id,
            slide.loc,
        )
    if len(pages.parts) > 1:
        ctx.warn(f"table continues on {len(pages.parts)} slides", slide.id, slide.loc)
    drafts = []
    for part, part_shapes in enumerate(pages.parts, 1):
        shapes, frame, plain = _titled(ctx, slide.id, title, part)
        shapes.extend(part_shapes)
        drafts.append(
            _Draft(
                _part_id(slide.id, part),
                "table",
                plain,
                shapes,
                section,
                part=part,
                parts=len(pages.parts),
            )
        )
    return drafts


def _timeline(ctx: _Ctx, slide: Slide, section: str) -> list[_Draft]:
    """Dated events on a horizontal axis, at most a few per slide."""
    e = ctx.edition
    events = [(e.runs(ev.date), e.runs(ev.text)) for ev in slide.timeline or ()]
    title = e.runs(slide.title)
    _, frame, _ = _titled(ctx, slide.id, title, 1)
    per = 5 if ctx.theme.aspect == "16:9" else 4
    count = max(1, -(-len(events) // per))
    size_each = -(-len(events) // count) if events else 1
    chunks = [events[i : i + size_each] for i in range(0, len(events), size_each)] or [[]]
    if len(chunks) > 1:
        ctx.warn(f"timeline continues on {len(chunks)} slides", slide.id, slide.loc)
    drafts = []
    for part, chunk in enumerate(chunks, 1):
        shapes, frame, plain = _titled(ctx, slide.id, title, part)
        tl = timeline_shapes(ctx.style, frame, chunk, FLOOR)
        if tl.size < ctx.style.timeline_sizes[1]:
            ctx.warn(f"timeline text set at {tl.size:g} pt", slide.id, slide.loc)
        shapes.extend(tl.shapes)
        drafts.append(
            _Draft(
                _part_id(slide.id, part),
                "timeline",
                plain,
                shapes,
                section,
                part=part,
                parts=len(chunks),
            )
        )
    return drafts


# ---------------------------------------------------------------- finishing


def _finish(ctx: _Ctx, d: _Draft, number: int, total: int) -> PlannedSlide:
    shapes = list(d.shapes)
    if d.footer:
        shapes.extend(_footer(ctx, number, total))
    return PlannedSlide(
        id=d.id,
        kind=d.kind,
        title=d.title,
        shapes=tuple(shapes),
        number=number,
        section=d.section,
        notes=d.notes,
        handout=d.handout,
        part=d.part,
        parts=d.parts,
        background=d.background,
    )


def _footer(ctx: _Ctx, number: int, total: int) -> list[Shape]:
    t, s, e = ctx.theme, ctx.style, ctx.edition
    size = t.sizes.footer
    y = t.height - s.bottom - size * 1.2
    text = t.footer or e.outline.course
    num_text = e.labels.slide_of.format(number=number, total=total)
    num = fit_at(
        [Block((Run(num_text),), color=t.colors.muted, align="right", bold=True)],
        size,
        90,
        size * 2,
    )
    left_w = s.content_w - 110
    left = fit_blocks(
        [Block(e.runs(text), color=t.colors.muted)], left_w, room(size, 1.2, 1), size, FLOOR
    )
    h = size * 1.2 / V_SAFETY
    return [
        Rect(s.left, y - 8, s.content_w, 0.75, fill=t.colors.grid, name="Footer rule"),
        TextBox(s.left, y, left_w, h, left.paragraphs, role="footer", name="Footer"),
        TextBox(
            s.left + s.content_w - 90, y, 90, h, num.paragraphs, role="number", name="Slide number"
        ),
    ]


def _check_glyphs(ctx: _Ctx, drafts: list[_Draft]) -> None:
    """Warn, once per slide (with its continuations), about characters the font cannot draw in
    any of its texts: title, text boxes, table cells, speaker notes and handout notes."""
    texts: dict[str, list[str]] = {}
    for d in drafts:
        out = texts.setdefault(d.id.split("#")[0], [])
        out.append(d.title)
        for sh in d.shapes:
            if isinstance(sh, TextBox):
                out += [runs_text(p.runs) for p in sh.paragraphs]
            elif isinstance(sh, TableShape):
                out += [
                    runs_text(p.runs) for row in sh.cells for cell in row for p in cell.paragraphs
                ]
        out += [runs_text(runs) for runs in (*d.notes, *d.handout)]
    for slide, slide_texts in texts.items():
        missing = missing_glyphs(" ".join(slide_texts))
        if missing:
            ctx.warn(
                f"the font has no glyph for {missing!r}; those characters may show as boxes", slide
            )
