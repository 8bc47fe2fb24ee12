"""Measuring text: word wrap by measured width, and fitting paragraphs into a frame by shrinking."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from .fonts import text_width
from .markup import Run
from .plan import Align, Paragraph, TextLine

__all__ = [
    "Block",
    "Fit",
    "SAFETY",
    "HANG",
    "break_lines",
    "blocks_height",
    "fit_blocks",
    "make_paragraphs",
    "room",
    "sentences",
    "snap",
]

#: Lines are filled to this share of the frame's width, so no renderer wraps them differently.
SAFETY = 0.95
#: Text heights are kept within this share of the frame's height.
V_SAFETY = 0.97
#: A bullet hangs this many ems left of its text (the PDF writer draws it there too).
HANG = 0.9

_PIECE = re.compile(r"\s+|\S+")
_SENTENCE = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"”»)]))\s+(?=[\"“«(¿¡]?[A-ZÀ-ÖØ-Þ])")


@dataclass(frozen=True)
class Block:
    """A paragraph before fitting; sizes and spaces are relative to the frame's base size."""

    runs: tuple[Run, ...]
    scale: float = 1.0
    level: int = 0
    bullet: str | None = None
    indent_em: float = 0.0
    hang_em: float = HANG
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


def _measure(text: str, size: float, run: Run, para_bold: bool, para_italic: bool) -> float:
    return _width(text, size, run.bold or para_bold, run.italic or para_italic)


@lru_cache(maxsize=1 << 16)
def _width(text: str, size: float, bold: bool, italic: bool) -> float:
    return text_width(text, size, bold, italic)


def break_lines(
    runs: Sequence[Run],
    size: float,
    width: float,
    bold: bool = False,
    italic: bool = False,
) -> tuple[tuple[TextLine, ...], bool]:
    """Greedy word wrap of `runs` into lines no wider than `width`.

    Returns the lines and whether every word fitted whole (False when a word wider than the
    line had to be broken between characters).
    """
    # words: consecutive non-space pieces, possibly spanning several runs
    words: list[list[tuple[str, Run]]] = []
    spaces: list[tuple[str, Run] | None] = []  # the space before each word
    pending_space: tuple[str, Run] | None = None
    joining = False
    for run in runs:
        for m in _PIECE.finditer(run.text):
            piece = m.group(0)
            if piece.isspace():
                pending_space = (" ", run)
                joining = False
            elif joining and words:
                words[-1].append((piece, run))
            else:
                words.append([(piece, run)])
                spaces.append(pending_space if words[:-1] else None)
                pending_space = None
                joining = True
    lines: list[TextLine] = []
    current: list[tuple[str, Run]] = []
    cur_w = 0.0
    whole = True

    def flush() -> None:
        nonlocal current, cur_w
        lines.append(TextLine(_merge(current), round(cur_w, 3)))
        current, cur_w = [], 0.0

    for word, space in zip(words, spaces, strict=True):
        word_w = sum(_measure(t, size, r, bold, italic) for t, r in word)
        space_w = _measure(" ", size, space[1], bold, italic) if space and current else 0.0
        if current and cur_w + space_w + word_w <= width:
            assert space is not None
            current.append(space)
            current.extend(word)
            cur_w += space_w + word_w
            continue
        if current:
            flush()
        if word_w <= width:
            current.extend(word)
            cur_w = word_w
            continue
        whole = False
        for text, run in word:  # break an over-long word between characters
            for ch in text:
                ch_w = _measure(ch, size, run, bold, italic)
                if current and cur_w + ch_w > width:
                    flush()
                current.append((ch, run))
                cur_w += ch_w
    if current or not lines:
        flush()
    return tuple(lines), whole


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
        lines, ok = break_lines(b.runs, psize, avail, b.bold, b.italic)
        whole = whole and ok
        out.append(
            Paragraph(
                runs=b.runs,
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
                hang=round(b.hang_em * psize, 3) if b.bullet else None,
                bullet_color=b.bullet_color,
            )
        )
    return tuple(out), whole


def blocks_height(paragraphs: Sequence[Paragraph]) -> float:
    """Height of stacked paragraphs: space before each but the first, then their lines."""
    total = 0.0
    for i, p in enumerate(paragraphs):
        if i:
            total += p.space_before
        total += p.size * p.line_spacing * len(p.lines)
    return total


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

    A word wider than the frame even at `smallest` is broken between characters there.
    When nothing fits, the result at `smallest` is returned with ``fits`` False.
    """
    size = snap(largest)
    last = fit_at(blocks, size, width, height)
    while not last.fits and size - step >= smallest - 1e-9:
        size = snap(size - step)
        last = fit_at(blocks, size, width, height)
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
