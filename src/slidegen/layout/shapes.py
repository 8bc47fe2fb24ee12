"""Slide geometry of the theme, and the composite shapes: tables and timelines, fitted."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from slidegen.errors import LayoutError, Location, Problem
from slidegen.layout.legible import readable
from slidegen.layout.text import (
    SAFETY,
    V_SAFETY,
    Block,
    Fit,
    fit_blocks,
    make_paragraphs,
    measure,
    room,
    snap,
)
from slidegen.markup import Run, runs_text
from slidegen.plan import Cell, Line, Paragraph, Rect, Shape, TableShape, TextBox
from slidegen.read.theme import Theme

__all__ = [
    "Frame",
    "Geometry",
    "TablePages",
    "table_shape",
    "column_widths",
    "reading_shares",
    "caption_box",
    "Timeline",
    "timeline_shapes",
    "mix",
    "shift",
]


@dataclass(frozen=True)
class Frame:
    """A rectangle of the slide (points, y downwards) that content is fitted into."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Geometry:
    """The theme's geometry: margins, the body area and derived size ranges."""

    theme: Theme

    @property
    def left(self) -> float:
        return self.theme.margins.left

    @property
    def right(self) -> float:
        return self.theme.margins.right

    @property
    def top(self) -> float:
        return self.theme.margins.top

    @property
    def bottom(self) -> float:
        return self.theme.margins.bottom

    @property
    def content_w(self) -> float:
        """Width between the side margins."""
        return self.theme.width - self.left - self.right

    @property
    def body_bottom(self) -> float:
        """Lowest y body text may reach (the footer sits below)."""
        return self.theme.height - self.bottom - self.theme.sizes.footer * 1.2 - 8 - 16

    @property
    def timeline_sizes(self) -> tuple[float, float]:
        """Size range of timeline event texts."""
        largest, smallest = self.theme.sizes.body
        return (min(largest, 20.0), min(smallest, 14.0))


@dataclass(frozen=True)
class TablePages:
    """A table fitted at one size, as the shapes of one or more slides."""

    size: float
    parts: tuple[tuple[Shape, ...], ...]
    #: a word wider than its column was broken between characters
    broken: bool = False


def column_widths(
    header: Sequence[tuple[Run, ...]],
    rows: Sequence[Sequence[tuple[Run, ...]]],
    width: float,
    size: float,
    pad: float,
) -> tuple[float, ...]:
    """Column widths from their content at `size`, as browsers lay out an automatic table.

    A column needs its longest word (its minimum) and would like its longest cell on one line
    (its maximum); `pad` is a cell's inner margins on both sides. When every maximum fits,
    the spare width is shared in proportion to the maxima; otherwise each column gets its
    minimum and the rest is shared in proportion to what it still lacks.
    """
    n = len(header)
    lows: list[float] = []
    highs: list[float] = []
    for c in range(n):
        cells = [(header[c], True)] + [(r[c], False) for r in rows if c < len(r)]
        texts = [(runs_text(cell), bold) for cell, bold in cells]
        high = max(measure(t, size, bold) for t, bold in texts) / SAFETY + pad
        low = max((measure(w, size, bold) for t, bold in texts for w in t.split()), default=0.0)
        lows.append(min(low / SAFETY + pad, high))
        highs.append(high)
    if sum(highs) <= width:
        spare = width - sum(highs)
        out = [h + spare * h / sum(highs) for h in highs]
    elif sum(lows) >= width:  # a word wider than any share: the narrow columns keep theirs
        out = list(lows)
        wide = set(range(n))
        while wide:
            share = (width - sum(out[c] for c in range(n) if c not in wide)) / len(wide)
            narrow = {c for c in wide if lows[c] <= share}
            if not narrow:
                for c in wide:
                    out[c] = share
                break
            wide -= narrow
    else:
        lack = [h - lo for h, lo in zip(highs, lows, strict=True)]
        spare = width - sum(lows)
        out = [lo + spare * d / sum(lack) for lo, d in zip(lows, lack, strict=True)]
    return tuple(round(w, 3) for w in out)


#: The reading edition's tables, as its page sets them: A4's text width, 9 pt cells, 6 pt
#: padding each side (the shares hold on Letter too, a few points wider).
_READING_TABLE = (483.0, 9.0, 12.0)


def reading_shares(
    header: Sequence[tuple[Run, ...]], rows: Sequence[Sequence[tuple[Run, ...]]]
) -> tuple[float, ...]:
    """Each column's share of a reading-edition table's width, from its content."""
    width, size, pad = _READING_TABLE
    widths = column_widths(header, rows, width, size, pad)
    total = sum(widths) or 1.0
    return tuple(round(w / total, 4) for w in widths)


def table_shape(
    style: Geometry,
    frame: Frame,
    header: list[tuple[Run, ...]],
    rows: list[list[tuple[Run, ...]]],
    caption: tuple[Run, ...] | None,
    sizes: tuple[float, float],
    floor: float = 9.0,
    slide: str | None = None,
    loc: Location | None = None,
) -> TablePages:
    """Fit a table into `frame`: shrink within `sizes`, then continue rows on more slides.

    A word wider than its column at every size down to `floor` is broken between characters
    (``broken`` in the result); a row taller than the frame even at `floor` is a `LayoutError`
    naming `slide` and `loc`.
    """
    colors = style.theme.colors
    inset = 8.0
    stripe = mix(colors.grid, "FFFFFF", 0.25)
    # the theme's text colours, unless they would not read on the cells' fills
    head_color = readable(colors.on_primary, [colors.primary], colors.text, colors.background)
    body_color = readable(colors.text, ["FFFFFF", stripe], colors.background, colors.primary)

    known: dict[float, tuple[float, ...]] = {}

    def widths_at(size: float) -> tuple[float, ...]:
        if size not in known:
            known[size] = column_widths(header, rows, frame.w, size, 2 * inset)
        return known[size]

    def row_cells(
        cells: Sequence[tuple[Run, ...]], size: float, head: bool
    ) -> tuple[list[tuple[Paragraph, ...]], float, bool]:
        paras: list[tuple[Paragraph, ...]] = []
        height = 0.0
        whole = True
        for c, w in enumerate(widths_at(size)):
            runs = cells[c] if c < len(cells) else ()
            block = Block(
                runs, bold=head, color=head_color if head else body_color, line_spacing=1.15
            )
            ps, ok = make_paragraphs([block], size, w - 2 * inset)
            whole = whole and ok
            h = sum(p.size * p.line_spacing * len(p.lines) for p in ps)
            paras.append(ps)
            height = max(height, h / V_SAFETY + 2 * inset)
        return paras, round(height, 3), whole

    cap_h = 0.0
    cap_fit = None
    if caption:
        cap_size = min(style.theme.sizes.caption, 14.0)
        cap_fit = fit_blocks(
            [Block(caption, italic=True, color=colors.muted)],
            frame.w,
            room(cap_size, 1.2, 2),
            cap_size,
            10,
        )
        cap_h = cap_fit.height / V_SAFETY + 8
    avail = frame.h - cap_h

    def pack(size: float, allow_break: bool) -> list[list[int]] | None:
        """Rows per slide at `size`; None when a row does not fit a slide (or, unless
        `allow_break`, has a word wider than its column)."""
        _, head_h, ok = row_cells(header, size, True)
        if not ok and not allow_break:
            return None
        pages: list[list[int]] = []
        used = head_h
        current: list[int] = []
        for i, row in enumerate(rows):
            _, h, ok = row_cells(row, size, False)
            if (not ok and not allow_break) or head_h + h > avail:
                return None
            if current and used + h > avail:
                pages.append(current)
                current, used = [], head_h
            current.append(i)
            used += h
        pages.append(current)
        return pages

    largest, smallest = sizes
    broken = False
    found = _table_size(lambda sz: pack(sz, False), largest, smallest, floor)
    if found is None:  # some word is wider than its column at every size: break it
        broken = True
        found = _table_size(lambda sz: pack(sz, True), largest, smallest, floor)
    if found is None:
        raise LayoutError(
            [
                Problem(
                    f"a table row is too tall for a slide even at {floor:g} pt",
                    loc,
                    hint="shorten its cells or split the row",
                    slide=slide,
                )
            ]
        )
    size, pages = found
    parts: list[tuple[Shape, ...]] = []
    for page in pages:
        cells: list[tuple[Cell, ...]] = []
        heights: list[float] = []
        head_paras, head_h, _ = row_cells(header, size, True)
        cells.append(tuple(Cell(p, fill=colors.primary) for p in head_paras))
        heights.append(head_h)
        for k, i in enumerate(page):
            paras, h, _ = row_cells(rows[i], size, False)
            fill = stripe if k % 2 else "FFFFFF"
            cells.append(tuple(Cell(p, fill=fill) for p in paras))
            heights.append(h)
        total_h = round(sum(heights), 3)
        shapes: list[Shape] = [
            TableShape(
                frame.x,
                frame.y,
                frame.w,
                total_h,
                widths_at(size),
                tuple(heights),
                tuple(cells),
                cell_inset=inset,
                header=True,
                grid=colors.grid,
                name="Table",
            )
        ]
        if cap_fit:
            shapes.append(caption_box(frame, frame.y + total_h + 8, cap_fit))
        parts.append(tuple(shapes))
    return TablePages(size, tuple(parts), broken)


def caption_box(frame: Frame, y: float, fit: Fit) -> TextBox:
    """The box of a fitted caption across `frame`'s width, its top at `y` (under a picture
    or a table)."""
    return TextBox(
        frame.x, y, frame.w, fit.height / V_SAFETY, fit.paragraphs, role="caption", name="Caption"
    )


def _table_size(
    pack: Callable[[float], list[list[int]] | None], largest: float, smallest: float, floor: float
) -> tuple[float, list[list[int]]] | None:
    """The size and rows per slide of a table: the largest size in the range that fits one
    slide; else the largest that needs no more slides than the smallest size; else the largest
    size down to `floor` at which every row fits a slide. None when no size does."""
    size = snap(largest)
    pages = pack(size)
    while (pages is None or len(pages) > 1) and size > smallest:
        size = snap(size - 1)
        pages = pack(size)
    if pages is not None and len(pages) == 1:
        return size, pages
    best = pages
    while best is None and size > floor:
        size = snap(size - 0.5)
        best = pack(size)
    if best is None:
        return None
    trial_size = snap(largest)  # the largest size that needs no more slides than this one
    while trial_size > size:
        trial = pack(trial_size)
        if trial is not None and len(trial) <= len(best):
            return trial_size, trial
        trial_size = snap(trial_size - 1)
    return size, best


@dataclass(frozen=True)
class Timeline:
    """The shapes of a timeline and the size its event texts were fitted at."""

    size: float
    shapes: tuple[Shape, ...]


def timeline_shapes(
    style: Geometry,
    frame: Frame,
    events: Sequence[tuple[tuple[Run, ...], tuple[Run, ...]]],
    floor: float,
    first: int = 1,
    slots: int = 0,
) -> Timeline:
    """Events on a horizontal axis: the date above a dot, the text below it.

    Shapes are numbered from `first` ("Date 6"…, for a second row); `slots` (at least the
    number of events) sets the spacing, so the rows of one slide share their columns.
    """
    colors = style.theme.colors
    n = max(1, len(events), slots)
    slot = frame.w / n
    gap = 14.0
    text_w = slot - gap
    date_size = min(24.0, style.theme.sizes.body[0])
    date_h = date_size * 1.15 * 2 / V_SAFETY
    axis_y = frame.y + date_h + 14
    text_top = axis_y + 24
    text_h = frame.y + frame.h - text_top
    largest, smallest = style.timeline_sizes
    size = snap(largest)

    def fits(sz: float) -> bool:
        """Every text fits at `sz` with its words whole (above the floor: a word broken
        between letters, "Organisatio-n", is worse than a smaller size)."""
        for _, text in events:
            f = fit_blocks([Block(text, color=colors.text, align="center")], text_w, text_h, sz, sz)
            if not f.fits or (f.broken and sz > floor):
                return False
        return True

    while not fits(size) and size > floor:
        size = snap(size - (1 if size > smallest else 0.5))
    shapes: list[Shape] = [
        Line(
            frame.x,
            axis_y,
            frame.x + frame.w,
            axis_y,
            color=colors.grid,
            width=3,
            name="Timeline axis" if first == 1 else f"Timeline axis {first}",
        )
    ]
    for i, (date, text) in enumerate(events):
        number = first + i
        cx = frame.x + slot * (i + 0.5)
        dfit = fit_blocks(
            [Block(date, bold=True, color=colors.primary, align="center", line_spacing=1.15)],
            text_w,
            date_h,
            date_size,
            floor,
        )
        shapes.append(
            TextBox(
                cx - text_w / 2,
                axis_y - 14 - date_h,
                text_w,
                date_h,
                dfit.paragraphs,
                role="label",
                anchor="bottom",
                name=f"Date {number}",
            )
        )
        d = 18.0
        shapes.append(
            Rect(
                cx - d / 2,
                axis_y - d / 2,
                d,
                d,
                fill=colors.accent,
                stroke="FFFFFF",
                stroke_width=2.5,
                ellipse=True,
                name=f"Dot {number}",
            )
        )
        tfit = fit_blocks(
            [Block(text, color=colors.text, align="center")], text_w, text_h, size, size
        )
        shapes.append(
            TextBox(
                cx - text_w / 2,
                text_top,
                text_w,
                text_h,
                tfit.paragraphs,
                role="body",
                name=f"Event {number}",
            )
        )
    return Timeline(size, tuple(shapes))


def shift(shape: Shape, dy: float) -> Shape:
    """`shape` moved `dy` points down."""
    if not dy:
        return shape
    if isinstance(shape, Line):
        return replace(shape, y1=shape.y1 + dy, y2=shape.y2 + dy)
    return replace(shape, y=shape.y + dy)


def mix(a: str, b: str, share_a: float) -> str:
    """The color `share_a` of the way from b to a (both RRGGBB)."""
    ca = [int(a[i : i + 2], 16) for i in (0, 2, 4)]
    cb = [int(b[i : i + 2], 16) for i in (0, 2, 4)]
    pairs = zip(ca, cb, strict=True)
    return "".join(f"{round(x * share_a + y * (1 - share_a)):02X}" for x, y in pairs)
