"""Wrap widths: the frame width a renderer that breaks lines itself needs to break as the plan."""

from __future__ import annotations

from dataclasses import replace

from slidegen.fonts import kerning
from slidegen.layout.text import SAFETY, measuring_fonts, wrap_range
from slidegen.plan import Cell, Paragraph, Shape, TableShape, TextBox

__all__ = ["with_wrap_widths", "wrap_width"]

#: The share of the available width kept clear of both ends of the range of widths that give
#: the plan's line breaks, so that renderers measuring a little differently still agree.
_CLEARANCE = 0.006


def wrap_width(p: Paragraph, inner: float) -> float | None:
    """The width from `p.indent` that wraps `p` into the lines the layout chose.

    The layout breaks lines at SAFETY of the width; every wrap width from the widest line up
    to the narrowest overflow gives the same breaks. This is the one nearest the layout's own,
    kept clear of both ends, and of the kerning of renderers that kern (LibreOffice) below the
    narrowest overflow.
    """
    avail = inner - p.indent
    if avail <= 0 or not p.lines:
        return None
    extra = p.hang if p.hang and not p.bullet else 0.0
    widest, overflow = wrap_range(
        p.runs, p.size, avail * SAFETY, p.bold, p.italic, extra, p.heading_font
    )
    clear = max(1.0, _CLEARANCE * avail)
    # below the overflow as a renderer that kerns sets it, when the widest line (as one that
    # does not kern sets it) still fits below that
    kerned = overflow * (1.0 - kerning(measuring_fonts().of(p.heading_font).twin))
    if kerned > widest:
        overflow = kerned
    if overflow - widest > 2 * clear:
        width = min(max(avail * SAFETY, widest + clear), overflow - clear)
    else:
        width = (widest + overflow) / 2
    return min(width, avail)


def _wrapped(paragraphs: tuple[Paragraph, ...], inner: float) -> tuple[Paragraph, ...]:
    return tuple(replace(p, wrap_width=wrap_width(p, inner)) for p in paragraphs)


def with_wrap_widths(shape: Shape) -> Shape:
    """The shape with every paragraph's wrap width set (text boxes and table cells)."""
    if isinstance(shape, TextBox):
        return replace(shape, paragraphs=_wrapped(shape.paragraphs, shape.w - 2 * shape.inset))
    if isinstance(shape, TableShape):
        inset = shape.cell_inset
        cells = tuple(
            tuple(
                Cell(_wrapped(cell.paragraphs, shape.col_widths[c] - 2 * inset), cell.fill)
                for c, cell in enumerate(row)
            )
            for row in shape.cells
        )
        return replace(shape, cells=cells)
    return shape
