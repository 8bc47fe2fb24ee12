"""Measuring text: word wrap by measured width, and fitting paragraphs into a frame by shrinking."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from slidegen.fonts import font_files, text_width
from slidegen.markup import Run
from slidegen.plan import HANG, Align, FontFiles, Paragraph, TextLine, blocks_height, line_tops
from slidegen.plan import first_baseline as plan_baseline

__all__ = [
    "Block",
    "Fit",
    "SAFETY",
    "HANG",
    "BREAKABLE",
    "break_lines",
    "glue",
    "wrap_range",
    "blocks_height",
    "fit_blocks",
    "first_baseline",
    "line_tops",
    "make_paragraphs",
    "measure",
    "measured_with",
    "measuring_fonts",
    "room",
    "sentences",
    "snap",
]

#: Lines are filled to this share of the frame's width, so no renderer wraps them differently.
SAFETY = 0.95
#: Text heights are kept within this share of the frame's height.
V_SAFETY = 0.97


@dataclass(frozen=True)
class Block:
    """A paragraph before fitting; sizes and spaces are relative to the frame's base size."""

    runs: tuple[Run, ...]
    scale: float = 1.0
    level: int = 0
    bullet: str | None = None
    indent_em: float = 0.0
    hang_em: float = HANG
    #: without a bullet: the first line starts `hang_em` left of the others (a hanging indent)
    outdent: bool = False
    bullet_color: str | None = None
    space_em: float = 0.0
    line_spacing: float = 1.2
    align: Align = "left"
    color: str = "000000"
    bold: bool = False
    italic: bool = False
    heading_font: bool = False


@dataclass(frozen=True)
class Fit:
    """Paragraphs fitted at `size` (the base size) and whether they fit the frame."""

    size: float
    paragraphs: tuple[Paragraph, ...]
    height: float
    fits: bool
    broken: bool = False  # a word wider than the frame was broken between characters


def snap(size: float) -> float:
    """A font size rounded down to half a point (PowerPoint stores hundredths)."""
    return max(1.0, int(size * 2) / 2)


#: The fonts the layout of one edition measures with (`measured_with`); the default theme's
#: (Arial, measured with Liberation Sans) outside of it.
_FONTS: ContextVar[FontFiles | None] = ContextVar("slidegen_layout_fonts", default=None)


@cache
def _default_fonts() -> FontFiles:
    return font_files()


def measuring_fonts() -> FontFiles:
    """The fonts text is measured with here: the plan's, inside `measured_with`."""
    return _FONTS.get() or _default_fonts()


@contextmanager
def measured_with(fonts: FontFiles) -> Iterator[None]:
    """Measure every text laid out inside with `fonts`: headings (`Block.heading_font`) with
    its heading family, the rest with its body family."""
    token = _FONTS.set(fonts)
    try:
        yield
    finally:
        _FONTS.reset(token)


def measure(
    text: str, size: float, bold: bool = False, italic: bool = False, heading: bool = False
) -> float:
    """The width of `text` at `size` in the body (or heading) family being measured with."""
    return _width(text, size, bold, italic, measuring_fonts().of(heading).twin)


def _measure(
    text: str, size: float, run: Run, para_bold: bool, para_italic: bool, twin: str
) -> float:
    return _width(text, size, run.bold or para_bold, run.italic or para_italic, twin)


@lru_cache(maxsize=1 << 16)
def _width(text: str, size: float, bold: bool, italic: bool, twin: str) -> float:
    return text_width(text, size, bold, italic, twin)


#: Spaces a line may break at; U+00A0, U+2007, U+202F and U+2060 are not among them.
BREAKABLE = " \t\n\r\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000"
_SPLIT = re.compile(f"[{BREAKABLE}]+|[^{BREAKABLE}]+")
#: A word may also break after a hyphen or en dash between letters, as renderers do.
_HYPHEN = re.compile(r"(?<=[^\W\d_][-\u2010\u2013])(?=[^\W\d_])")
#: A space before these, or after an opening guillemet, never breaks (French typography).
_GLUE = re.compile(r"(?<=\S)[ ]+(?=[:;!?\u00bb\u203a])|(?<=[\u00ab\u2039])[ ]+")

_SENTENCE = re.compile(
    r"(?:(?<=[.!?…])|(?<=[.!?…][\"”»)]))" + f"[{BREAKABLE}]+" + r"(?=[\"“«(¿¡]?[A-ZÀ-ÖØ-Þ])"
)
_Piece = tuple[str, Run]
#: Characters no line may start or end with.
_NO_START = frozenset(":;!?\u00bb\u203a\u00a0\u202f\u2007\u2060")
_NO_END = frozenset("\u00ab\u2039\u00a0\u202f\u2007\u2060")


@dataclass(frozen=True)
class _Unit:
    """An unbreakable piece of a paragraph: its pieces and the space before it (if any)."""

    pieces: tuple[_Piece, ...]
    space: _Piece | None


def glue(runs: Sequence[Run]) -> tuple[Run, ...]:
    """`runs` with the spaces before ``: ; ! ? »`` and after ``«`` made no-break (U+00A0).

    Writers draw these runs, so every renderer keeps those marks on the line of their word.
    """
    text = "".join(r.text for r in runs)
    if not _GLUE.search(text):
        return tuple(runs)
    glued = _GLUE.sub(lambda m: "\u00a0" * len(m.group(0)), text)
    out: list[Run] = []
    pos = 0
    for run in runs:
        out.append(replace(run, text=glued[pos : pos + len(run.text)]))
        pos += len(run.text)
    return tuple(out)


@lru_cache(maxsize=1 << 14)
def _units(runs: tuple[Run, ...]) -> tuple[_Unit, ...]:
    """Split runs at break opportunities: breakable spaces, and after hyphens between letters
    (never inside a link)."""
    units: list[_Unit] = []
    current: list[_Piece] = []
    space: _Piece | None = None
    pending: _Piece | None = None
    for run in runs:
        # a link is one piece: renderers keep it whole (LibreOffice makes it a field)
        pieces = [run.text] if run.href else [m.group(0) for m in _SPLIT.finditer(run.text)]
        for piece in pieces:
            if not piece:
                continue
            if piece[0] in BREAKABLE and not run.href:
                if current:
                    units.append(_Unit(tuple(current), space))
                    current, space = [], None
                pending = (piece, run) if units else None
                continue
            parts = [piece] if run.href else _HYPHEN.split(piece)
            for k, part in enumerate(parts):
                if k:
                    units.append(_Unit(tuple(current), space))
                    current, space = [], None
                if not current:
                    space, pending = pending, None
                current.append((part, run))
    if current:
        units.append(_Unit(tuple(current), space))
    return tuple(units)


def break_lines(
    runs: Sequence[Run],
    size: float,
    width: float,
    bold: bool = False,
    italic: bool = False,
    first_extra: float = 0.0,
    heading: bool = False,
) -> tuple[tuple[TextLine, ...], bool]:
    """Greedy word wrap of `runs` into lines no wider than `width` (the first line may be
    `first_extra` wider: a hanging indent), measured in the body (or `heading`) family.

    Lines break at breakable spaces (never at a no-break space) and after a hyphen between
    letters. Returns the lines and whether every word fitted whole (False when a word wider
    than the line had to be broken between characters).
    """
    twin = measuring_fonts().of(heading).twin
    lines, whole, _ = _wrap(tuple(runs), size, width, bold, italic, first_extra, twin)
    return lines, whole


def wrap_range(
    runs: Sequence[Run],
    size: float,
    width: float,
    bold: bool = False,
    italic: bool = False,
    first_extra: float = 0.0,
    heading: bool = False,
) -> tuple[float, float]:
    """The frame widths that wrap `runs` into the same lines as `width` does.

    Returns (widest line, narrowest overflow): any width at or above the first and below the
    second gives the same line breaks. A single line has no overflow (infinity).
    """
    twin = measuring_fonts().of(heading).twin
    lines, _, overflow = _wrap(tuple(runs), size, width, bold, italic, first_extra, twin)
    widths = [line.width - (first_extra if n == 0 else 0.0) for n, line in enumerate(lines)]
    return max(widths, default=0.0), overflow


@lru_cache(maxsize=512)  # an edition's fitting asks for the same wraps again (half its calls)
def _wrap(
    runs: tuple[Run, ...],
    size: float,
    width: float,
    bold: bool,
    italic: bool,
    first_extra: float,
    twin: str,
) -> tuple[tuple[TextLine, ...], bool, float]:
    lines: list[TextLine] = []
    current: list[_Piece] = []
    cur_w = 0.0
    whole = True
    overflow = float("inf")

    def extra() -> float:
        return 0.0 if lines else first_extra

    def flush() -> None:
        nonlocal current, cur_w
        lines.append(TextLine(_merge(current), round(cur_w, 3)))
        current, cur_w = [], 0.0

    for unit in _units(runs):
        word_w = sum(_measure(t, size, r, bold, italic, twin) for t, r in unit.pieces)
        space = unit.space if current else None
        space_w = _measure(space[0], size, space[1], bold, italic, twin) if space else 0.0
        if current and cur_w + space_w + word_w <= width + extra():
            if space:
                current.append(space)
            current.extend(unit.pieces)
            cur_w += space_w + word_w
            continue
        if current:
            overflow = min(overflow, cur_w + space_w + word_w - extra())
            flush()
        if word_w <= width + extra():
            current.extend(unit.pieces)
            cur_w = word_w
            continue
        whole = False
        for text, run in unit.pieces:  # break an over-long word between characters
            for ch in text:
                ch_w = _measure(ch, size, run, bold, italic, twin)
                if current and cur_w + ch_w > width + extra():
                    overflow = min(overflow, cur_w + ch_w - extra())
                    carried: list[_Piece] = []
                    following = ch
                    # never at a no-break space, nor before ':' and its kind
                    while len(current) > 1 and (
                        following in _NO_START or current[-1][0] in _NO_END
                    ):
                        carried.insert(0, current.pop())
                        following = carried[0][0]
                    cur_w -= sum(_measure(t, size, r, bold, italic, twin) for t, r in carried)
                    flush()
                    current = carried
                    cur_w = sum(_measure(t, size, r, bold, italic, twin) for t, r in carried)
                current.append((ch, run))
                cur_w += ch_w
    if current or not lines:
        flush()
    return tuple(lines), whole, overflow


def _merge(pieces: list[tuple[str, Run]]) -> tuple[Run, ...]:
    groups: list[tuple[list[str], Run]] = []
    for text, run in pieces:
        if groups and _same(groups[-1][1], run):
            groups[-1][0].append(text)
        else:
            groups.append(([text], run))
    return tuple(Run("".join(texts), run.bold, run.italic, run.href) for texts, run in groups)


def _same(a: Run, b: Run) -> bool:
    return a is b or (a.bold == b.bold and a.italic == b.italic and a.href == b.href)


def make_paragraphs(
    blocks: Sequence[Block], size: float, width: float
) -> tuple[tuple[Paragraph, ...], bool]:
    """Paragraphs of `blocks` at base `size` in a frame `width` wide (inside its inset)."""
    out: list[Paragraph] = []
    whole = True
    for i, b in enumerate(blocks):
        psize = snap(size * b.scale)
        indent = b.indent_em * size
        avail = (width - indent) * SAFETY
        runs = glue(b.runs)
        hang = round(b.hang_em * psize, 3) if b.bullet or b.outdent else None
        extra = hang if hang and not b.bullet else 0.0
        lines, ok = break_lines(runs, psize, avail, b.bold, b.italic, extra, b.heading_font)
        whole = whole and ok
        out.append(
            Paragraph(
                runs=runs,
                size=psize,
                lines=lines,
                level=b.level,
                bullet=b.bullet,
                indent=round(indent, 3),
                space_before=0.0 if i == 0 else round(b.space_em * psize, 3),
                line_spacing=b.line_spacing,
                align=b.align,
                color=b.color,
                bold=b.bold,
                italic=b.italic,
                heading_font=b.heading_font,
                hang=hang,
                bullet_color=b.bullet_color,
            )
        )
    return tuple(out), whole


def first_baseline(p: Paragraph) -> float:
    """How far below the top of each of its lines a paragraph's baseline sits (the plan's rule)."""
    return plan_baseline(p, measuring_fonts().of(p.heading_font).ascent)


def room(size: float, line_spacing: float, lines: int) -> float:
    """The frame height that holds exactly `lines` lines at `size` (safety margin included)."""
    return size * line_spacing * lines / V_SAFETY + 0.5


def fit_at(
    blocks: Sequence[Block], size: float, width: float, height: float, allow_break: bool = False
) -> Fit:
    """Lay `blocks` out at one base size and tell whether they fit (width and height).

    Words wider than the frame only fit when `allow_break` is given (they are then broken).
    """
    paragraphs, whole = make_paragraphs(blocks, size, width)
    h = blocks_height(paragraphs)
    return Fit(size, paragraphs, h, (whole or allow_break) and h <= height * V_SAFETY, not whole)


def fit_blocks(
    blocks: Sequence[Block],
    width: float,
    height: float,
    largest: float,
    smallest: float,
    step: float = 1.0,
) -> Fit:
    """The largest base size in [smallest, largest] at which `blocks` fit the frame.

    A word wider than the frame even at `smallest` (a long web address) is broken between
    characters, at the largest size the text then fits: shrinking would not save it, so it
    does not make the rest smaller. When nothing fits, the result at `smallest` is returned
    with ``fits`` False.
    """
    size = snap(largest)
    last = fit_at(blocks, size, width, height)
    breaking = False
    if not last.fits and last.broken:
        breaking = fit_at(blocks, snap(smallest), width, float("inf")).broken
        last = fit_at(blocks, size, width, height, allow_break=breaking)
    while not last.fits and size - step >= smallest - 1e-9:
        size = snap(size - step)
        last = fit_at(blocks, size, width, height, allow_break=breaking)
    if not last.fits:
        last = fit_at(blocks, snap(smallest), width, height, allow_break=True)
    return last


def sentences(runs: tuple[Run, ...]) -> list[tuple[Run, ...]]:
    """Split a paragraph's runs into sentences (the only places a paragraph may continue)."""
    text = "".join(r.text for r in runs)
    cuts = [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]
    bounds = [0] + [c for cut in cuts for c in cut] + [len(text)]
    spans = list(zip(bounds[::2], bounds[1::2], strict=True))
    out: list[tuple[Run, ...]] = []
    for lo, hi in spans:
        pieces: list[Run] = []
        pos = 0
        for run in runs:
            a, b = max(lo, pos), min(hi, pos + len(run.text))
            if a < b:
                pieces.append(replace(run, text=run.text[a - pos : b - pos]))
            pos += len(run.text)
        if pieces:
            out.append(tuple(pieces))
    return out
