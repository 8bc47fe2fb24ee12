"""The authored slides, one layout per content kind: lists, prose, quotes, images, tables…"""

from __future__ import annotations

from dataclasses import replace
from typing import assert_never

from slidegen.errors import LayoutError, Problem
from slidegen.layout.draft import FLOOR, Context, Draft, part_id
from slidegen.layout.flow import flowing, item_units, titled
from slidegen.layout.generated import divider
from slidegen.layout.pictures import picture_in, picture_slide
from slidegen.layout.shapes import Frame, shift, table_shape, timeline_shapes
from slidegen.layout.text import V_SAFETY, Block, Fit, fit_at, fit_blocks, snap
from slidegen.markup import Run, runs_text
from slidegen.plan import Paragraph, Rect, Role, Shape, TextBox, blocks_height
from slidegen.read.model import (
    Bullets,
    Column,
    Columns,
    Definition,
    Definitions,
    Event,
    ImageContent,
    Item,
    Numbered,
    Prose,
    Quote,
    QuoteContent,
    Section,
    SectionContent,
    Slide,
    Table,
    TableContent,
    Timeline,
    TitleContent,
)

__all__ = ["authored"]


def authored(ctx: Context, slide: Slide, section: str) -> list[Draft]:
    """The slides one authored slide becomes (more than one when it continues)."""
    drafts = _drafts(ctx, slide, section)
    e = ctx.edition
    drafts[0].notes, drafts[0].handout = e.paragraphs(slide.notes), e.paragraphs(slide.handout)
    for d in drafts:  # continuations go on the layout the slide names, too
        d.layout = slide.layout or d.layout
    return drafts


def _drafts(ctx: Context, slide: Slide, section: str) -> list[Draft]:
    """The layout of each kind; a kind left out here is an error for mypy (`assert_never`)."""
    match slide.content:
        case TitleContent():
            return [_authored_cover(ctx, slide)]
        case SectionContent():
            return [_plain_divider(ctx, slide)]
        case Bullets(bullets=items):
            return _points(ctx, slide, section, items, numbered=False)
        case Numbered(numbered=items):
            return _points(ctx, slide, section, items, numbered=True)
        case Prose(prose=text):
            return _prose(ctx, slide, section, text)
        case Definitions(definitions=terms):
            return _definitions(ctx, slide, section, terms)
        case QuoteContent(quote=quote):
            return [_quote(ctx, slide, section, quote)]
        case ImageContent(image=image):
            return [picture_slide(ctx, slide, section, image)]
        case Columns(columns=columns):
            return [_columns(ctx, slide, section, columns)]
        case TableContent(table=table):
            return _table(ctx, slide, section, table)
        case Timeline(timeline=events):
            return _timeline(ctx, slide, section, events)
        case unknown:
            assert_never(unknown)


def _points(
    ctx: Context, slide: Slide, section: str, items: tuple[Item, ...], numbered: bool
) -> list[Draft]:
    """Bullet or numbered points, continuing on further slides when they do not fit."""
    e = ctx.edition
    units = item_units(ctx, list(items), numbered, e.runs)
    return flowing(ctx, slide.id, e.runs(slide.title), units, slide.kind, section, slide)


def _prose(ctx: Context, slide: Slide, section: str, text: str) -> list[Draft]:
    """Paragraphs of text, continuing on further slides when they do not fit."""
    e = ctx.edition
    color = ctx.theme.colors.text
    units = [[Block(p, space_em=0.6, color=color)] for p in e.paragraphs(text)]
    return flowing(ctx, slide.id, e.runs(slide.title), units, slide.kind, section, slide)


def _definitions(
    ctx: Context, slide: Slide, section: str, terms: tuple[Definition, ...]
) -> list[Draft]:
    """Each term in bold, a dash, its meaning; continuing when they do not fit."""
    e = ctx.edition
    units = [
        [
            Block(
                (Run(runs_text(e.runs(d.term)), bold=True), Run(" — "), *e.runs(d.text)),
                space_em=0.6,
                color=ctx.theme.colors.text,
                indent_em=0.0,
            )
        ]
        for d in terms
    ]
    return flowing(ctx, slide.id, e.runs(slide.title), units, slide.kind, section, slide)


def _authored_cover(ctx: Context, slide: Slide) -> Draft:
    e, t, s = ctx.edition, ctx.theme, ctx.style
    c = t.colors
    shapes: list[Shape] = []
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
    return Draft(slide.id, "title", slide.title, shapes, background=c.primary, footer=False)


def _plain_divider(ctx: Context, slide: Slide) -> Draft:
    sec = Section(id=slide.id, title=slide.title, subtitle=slide.subtitle, slides=())
    d = divider(ctx, sec, 0)  # no number: neither a label nor the large number
    d.section = None
    return d


def _quote(ctx: Context, slide: Slide, section: str, q: Quote) -> Draft:
    """A quotation (large quote mark, italic text, source) or a highlighted callout."""
    e, t = ctx.edition, ctx.theme
    c = t.colors
    shapes, frame, plain = titled(ctx, slide.id, e.runs(slide.title), 1)
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
        inner = Frame(frame.x + 76, frame.y, frame.w - 76 - 40, frame.h)  # clear of the mark
        blocks = [Block(e.runs(q.text), italic=True, color=c.text, line_spacing=1.25)]
        if q.source:
            blocks.append(_source_block(ctx, q.source, 0.9))
        fit = _single(ctx, blocks, inner, (largest + 4, smallest), slide)
        h = fit.height / V_SAFETY
        y = frame.y + max(0.0, (frame.h - h) / 2 - 20)
        shapes.append(
            TextBox(inner.x, y, inner.w, h, fit.paragraphs, role="quote", name="Quotation")
        )
    return Draft(slide.id, "quote", plain, shapes, section)


def _source_block(ctx: Context, source: str, space_em: float) -> Block:
    """The "— source" line under a quotation or a callout: smaller, muted, set right."""
    runs = (Run("— "), *ctx.edition.runs(source))
    return Block(runs, scale=0.7, color=ctx.theme.colors.muted, space_em=space_em, align="right")


def _single(
    ctx: Context, blocks: list[Block], frame: Frame, sizes: tuple[float, float], slide: Slide
) -> Fit:
    """Fit blocks that cannot continue on another slide: shrink, below the range if need be."""
    largest, smallest = sizes
    fit = fit_blocks(blocks, frame.w, frame.h, largest, smallest)
    if fit.fits:
        if fit.size < largest:
            ctx.shrunk(largest, fit.size, slide.id, slide.loc)
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


def _column_blocks(ctx: Context, col: Column) -> list[Block]:
    e = ctx.edition
    c = ctx.theme.colors
    blocks: list[Block] = []
    if col.heading:
        blocks.append(
            Block(e.runs(col.heading), bold=True, color=c.primary, scale=1.0, heading_font=True)
        )
    for unit in item_units(ctx, col.bullets, False, e.runs):
        blocks.extend(unit)
    for p in e.paragraphs(col.prose):
        blocks.append(Block(p, color=c.text, space_em=0.55))
    if blocks:
        blocks[0] = replace(blocks[0], space_em=0.0)
    return blocks


def _columns(ctx: Context, slide: Slide, section: str, cols: tuple[Column, ...]) -> Draft:
    """Two (or more) columns side by side, all at one fitted size."""
    e, t = ctx.edition, ctx.theme
    shapes, frame, plain = titled(ctx, slide.id, e.runs(slide.title), 1)
    gap = 36.0
    n = max(1, len(cols))
    w = (frame.w - gap * (n - 1)) / n
    col_blocks = [_column_blocks(ctx, c) for c in cols]
    # a column with a picture keeps most of its height for it, under its text
    rooms = [
        frame.h * 0.4 if c.image and b else frame.h for c, b in zip(cols, col_blocks, strict=True)
    ]
    largest, smallest = t.sizes.body
    size = snap(largest)

    def fits(sz: float) -> list[Fit]:
        return [fit_at(b, sz, w, h) for b, h in zip(col_blocks, rooms, strict=True)]

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
        ctx.shrunk(largest, size, slide.id, slide.loc)
    layout = _columns_layout(cols)
    for i, (col, f) in enumerate(zip(cols, result, strict=True)):
        x = frame.x + i * (w + gap)
        if layout == "Comparison":  # the heading in its own placeholder, the points under it
            shapes += _headed(x, frame, w, f.paragraphs, i + 1)
        elif col.image is None:
            role: Role = "caption" if layout == "Content with Caption" else "body"
            shapes.append(
                TextBox(x, frame.y, w, frame.h, f.paragraphs, role=role, name=f"Column {i + 1}")
            )
        else:
            text_h = f.height / V_SAFETY if f.paragraphs else 0.0
            if f.paragraphs:
                shapes.append(TextBox(x, frame.y, w, text_h, f.paragraphs, name=f"Column {i + 1}"))
            top = frame.y + (text_h + 12 if text_h else 0.0)
            room_for = Frame(x, top, w, frame.y + frame.h - top)
            for sh in picture_in(ctx, slide, col.image, room_for):
                if isinstance(sh, TextBox) and layout == "Content with Caption":
                    sh = replace(sh, role="other")  # the layout's caption is the text column
                shapes.append(replace(sh, name=f"{sh.name} {i + 1}"))
        if i:
            shapes.append(
                Rect(
                    x - gap / 2 - 0.75,
                    frame.y,
                    1.5,
                    frame.h
                    if any(c.image for c in cols)
                    else min(frame.h, max(r.height for r in result) + 8),
                    fill=t.colors.grid,
                    name="Column rule",
                )
            )
    return Draft(slide.id, "columns", plain, shapes, section, layout=layout)


def _columns_layout(cols: tuple[Column, ...]) -> str | None:
    """The layout columns mean: two headed columns of text compare (Comparison); a picture
    beside a column of text is content with its caption (Content with Caption); else the
    kind's own (Two Content)."""
    if len(cols) != 2:
        return None
    if all(c.heading and c.image is None for c in cols):
        return "Comparison"
    pictures = [c for c in cols if c.image is not None]
    if len(pictures) == 1 and not (pictures[0].heading or pictures[0].bullets or pictures[0].prose):
        text = next(c for c in cols if c.image is None)
        if text.heading or text.bullets or text.prose:
            return "Content with Caption"
    return None


def _headed(
    x: float, frame: Frame, w: float, paragraphs: tuple[Paragraph, ...], n: int
) -> list[Shape]:
    """A column's heading (its first paragraph) and its points as two boxes, every line where
    one box would have put it."""
    head, rest = paragraphs[:1], paragraphs[1:]
    head_h = blocks_height(head)
    box_h = head_h / V_SAFETY
    out: list[Shape] = [TextBox(x, frame.y, w, box_h, head, role="label", name=f"Heading {n}")]
    if rest:
        top = frame.y + head_h + rest[0].space_before
        out.append(TextBox(x, top, w, frame.y + frame.h - top, rest, name=f"Column {n}"))
    return out


def _table(ctx: Context, slide: Slide, section: str, table: Table) -> list[Draft]:
    """A real table; rows continue on further slides (header repeated) when they do not fit."""
    e, t = ctx.edition, ctx.theme
    title = e.runs(slide.title)
    # fitted under the longer, "continued" title, so that no part runs into its title
    _, first, _ = titled(ctx, slide.id, title, 1)
    _, later, _ = titled(ctx, slide.id, title, 2)
    frame = later if later.h < first.h else first
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
        ctx.shrunk(t.sizes.table[0], pages.size, slide.id, slide.loc, "table")
    if len(pages.parts) > 1:
        ctx.warn(f"table continues on {len(pages.parts)} slides", slide.id, slide.loc)
    drafts = []
    for part, part_shapes in enumerate(pages.parts, 1):
        shapes, own, plain = titled(ctx, slide.id, title, part)
        shapes.extend(shift(sh, own.y - frame.y) for sh in part_shapes)
        drafts.append(
            Draft(
                part_id(slide.id, part),
                "table",
                plain,
                shapes,
                section,
                part=part,
                parts=len(pages.parts),
            )
        )
    return drafts


def _timeline(ctx: Context, slide: Slide, section: str, timeline: tuple[Event, ...]) -> list[Draft]:
    """Dated events on a horizontal axis: one row of up to `per` events; up to twice as many
    on two rows of one slide, while their texts stay within the theme's sizes; more continue
    on further slides."""
    e = ctx.edition
    events = [(e.runs(ev.date), e.runs(ev.text)) for ev in timeline]
    title = e.runs(slide.title)
    _, frame, _ = titled(ctx, slide.id, title, 1)
    per = 5 if ctx.theme.aspect == "16:9" else 4
    smallest = ctx.style.timeline_sizes[1]
    rows = 1 if len(events) <= per else 2
    chunks = _chunks(events, per * rows)
    layouts = [_timeline_rows(ctx, frame, chunk, rows) for chunk in chunks]
    if rows == 2 and any(size < smallest for size, _ in layouts):  # too tight: one row each
        chunks = _chunks(events, per)
        layouts = [_timeline_rows(ctx, frame, chunk, 1) for chunk in chunks]
    elif rows == 1 and len(events) > 2 and layouts[0][0] < smallest:
        # narrow columns (a template's frame): two rows give each text more width
        two = _timeline_rows(ctx, frame, events, 2)
        if two[0] > layouts[0][0]:
            layouts = [two]
    if len(chunks) > 1:
        ctx.warn(
            f"timeline continues on {len(chunks)} slides",
            slide.id,
            slide.loc,
            f"a slide holds up to {2 * per} events; split the timeline in two",
        )
    drafts = []
    for part, (size, tl_shapes) in enumerate(layouts, 1):
        shapes, _, plain = titled(ctx, slide.id, title, part)
        if size < smallest:
            ctx.warn(f"timeline text set at {size:g} pt", slide.id, slide.loc, "shorten it")
        shapes.extend(tl_shapes)
        drafts.append(
            Draft(
                part_id(slide.id, part),
                "timeline",
                plain,
                shapes,
                section,
                part=part,
                parts=len(chunks),
            )
        )
    return drafts


_Events = list[tuple[tuple[Run, ...], tuple[Run, ...]]]


def _chunks(events: _Events, most: int) -> list[_Events]:
    """Events in as few even chunks of at most `most` as they need."""
    count = max(1, -(-len(events) // most))
    size_each = -(-len(events) // count) if events else 1
    return [events[i : i + size_each] for i in range(0, len(events), size_each)] or [[]]


def _timeline_rows(
    ctx: Context, frame: Frame, events: _Events, rows: int
) -> tuple[float, list[Shape]]:
    """One slide's events on `rows` axes (the first row the longer), and their text size."""
    if rows == 1:
        tl = timeline_shapes(ctx.style, frame, events, FLOOR)
        return tl.size, list(tl.shapes)
    half = -(-len(events) // 2)
    gap = 16.0
    h = (frame.h - gap) / 2
    shapes: list[Shape] = []
    sizes = []
    for k, row in enumerate((events[:half], events[half:])):
        sub = Frame(frame.x, frame.y + k * (h + gap), frame.w, h)
        tl = timeline_shapes(ctx.style, sub, row, FLOOR, first=1 + k * half, slots=half)
        shapes.extend(tl.shapes)
        sizes.append(tl.size)
    return min(sizes), shapes
