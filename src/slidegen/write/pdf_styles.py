"""Formatted runs as reportlab paragraph markup, and the handout's paragraph styles."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from slidegen.markup import Run, tagged

__all__ = [
    "Palette",
    "PALETTE",
    "Styles",
    "make_styles",
    "markup",
    "esc",
    "palette",
    "palette_for",
    "using_palette",
]


@dataclass(frozen=True)
class Palette:
    """The handout's colours, as RRGGBB hex strings: the theme's two brand colours (`primary`
    for headings, cover and rules; `accent` for highlights) and what derives from them."""

    primary: str = "1B3A5C"
    primary_light: str = "E3E9F0"
    accent: str = "E07A1F"
    panel: str = "F2F5F8"
    text: str = "222222"
    muted: str = "666666"
    rule: str = "B8C4D0"
    link: str = "1F5FA8"


PALETTE = Palette()

_current: ContextVar[Palette] = ContextVar("handout_palette", default=PALETTE)


def palette() -> Palette:
    """The colours of the handout being written (see `using_palette`)."""
    return _current.get()


@contextmanager
def using_palette(value: Palette) -> Iterator[None]:
    """Write a handout in `value`'s colours (the pdf_* modules read them through `palette()`)."""
    token = _current.set(value)
    try:
        yield
    finally:
        _current.reset(token)


def _tint(color: str, white: float) -> str:
    """`color` mixed with `white` parts of white (0 to 1), as RRGGBB."""
    channels = (int(color[i : i + 2], 16) for i in (0, 2, 4))
    return "".join(f"{round(c + (255 - c) * white):02X}" for c in channels)


def palette_for(primary: str, accent: str) -> Palette:
    """The handout's colours for a theme's brand colours; the default theme's give PALETTE."""
    if (primary.upper(), accent.upper()) == (PALETTE.primary, PALETTE.accent):
        return PALETTE
    return replace(
        PALETTE,
        primary=primary,
        accent=accent,
        primary_light=_tint(primary, 0.87),
        panel=_tint(primary, 0.94),
        rule=_tint(primary, 0.65),
        link=primary,
    )


def esc(text: str) -> str:
    """Text escaped for reportlab's paragraph markup."""
    return escape(text)


def markup(runs: Iterable[Run], link_color: str | None = None) -> str:
    """Reportlab paragraph markup of formatted runs (bold, italic, clickable links)."""
    link_color = link_color or palette().link
    out: list[str] = []
    for run in runs:
        text = tagged(esc(run.text), run)
        if run.href:
            text = f'<a href={quoteattr(run.href)} color="#{link_color}">{text}</a>'
        out.append(text)
    return "".join(out)


@dataclass(frozen=True)
class Styles:
    """Every paragraph style a handout uses."""

    body: ParagraphStyle
    notes: ParagraphStyle
    small: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    bullet: ParagraphStyle
    quote: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    reference: ParagraphStyle
    caption: ParagraphStyle
    toc_title: ParagraphStyle
    toc: tuple[ParagraphStyle, ...]
    cover_course: ParagraphStyle
    cover_title: ParagraphStyle
    cover_subtitle: ParagraphStyle
    cover_label: ParagraphStyle
    cover_value: ParagraphStyle


def make_styles(family: str, bold: str, colors: Palette | None = None) -> Styles:
    """The handout styles, set in `family` (a registered reportlab font family)."""
    palette = colors or _current.get()
    text = HexColor("#" + palette.text)
    primary = HexColor("#" + palette.primary)
    muted = HexColor("#" + palette.muted)
    body = ParagraphStyle(
        "body",
        fontName=family,
        fontSize=10.5,
        leading=15,
        textColor=text,
        spaceAfter=6,
        alignment=TA_LEFT,
        bulletFontName=family,
    )
    notes = ParagraphStyle("notes", parent=body, fontSize=10, leading=14, spaceAfter=5)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=muted)
    h1 = ParagraphStyle(
        "h1",
        parent=body,
        fontName=bold,
        fontSize=18,
        leading=22,
        textColor=primary,
        spaceBefore=18,
        spaceAfter=10,
    )
    h2 = ParagraphStyle(
        "h2",
        parent=body,
        fontName=bold,
        fontSize=13,
        leading=17,
        textColor=primary,
        spaceBefore=12,
        spaceAfter=5,
    )
    h3 = ParagraphStyle("h3", parent=body, fontName=bold, fontSize=11, leading=15, spaceBefore=6)
    bullet = ParagraphStyle("bullet", parent=body, spaceAfter=3, leftIndent=16, bulletIndent=4)
    quote = ParagraphStyle(
        "quote",
        parent=body,
        leftIndent=22,
        rightIndent=22,
        textColor=primary,
        fontSize=11.5,
        leading=16,
        spaceBefore=4,
        spaceAfter=8,
    )
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=12, spaceAfter=0)
    cell_head = ParagraphStyle("cell_head", parent=cell, fontName=bold, textColor=primary)
    reference = ParagraphStyle(
        "reference",
        parent=body,
        fontSize=10,
        leading=14,
        leftIndent=18,
        firstLineIndent=-18,
        spaceAfter=7,
    )
    caption = ParagraphStyle("caption", parent=small, spaceBefore=3, spaceAfter=8)
    toc_title = ParagraphStyle("toc_title", parent=h1)
    toc = (
        ParagraphStyle(
            "toc0",
            parent=body,
            fontName=bold,
            fontSize=11,
            leading=15,
            leftIndent=0,
            firstLineIndent=0,
            spaceBefore=6,
            spaceAfter=1,
            textColor=primary,
        ),
        ParagraphStyle(
            "toc1",
            parent=body,
            fontSize=9.5,
            leading=13,
            leftIndent=16,
            firstLineIndent=0,
            spaceAfter=0,
        ),
    )
    cover_course = ParagraphStyle(
        "cover_course",
        parent=body,
        fontName=bold,
        fontSize=12,
        leading=16,
        textColor=primary,
        spaceAfter=18,
    )
    cover_title = ParagraphStyle(
        "cover_title",
        parent=body,
        fontName=bold,
        fontSize=30,
        leading=36,
        textColor=text,
        spaceAfter=12,
    )
    cover_subtitle = ParagraphStyle(
        "cover_subtitle", parent=body, fontSize=15, leading=20, textColor=muted, spaceAfter=30
    )
    cover_label = ParagraphStyle(
        "cover_label",
        parent=small,
        fontName=bold,
        fontSize=8,
        leading=10,
        textColor=muted,
    )
    cover_value = ParagraphStyle("cover_value", parent=body, fontSize=11, leading=14)
    return Styles(
        body=body,
        notes=notes,
        small=small,
        h1=h1,
        h2=h2,
        h3=h3,
        bullet=bullet,
        quote=quote,
        cell=cell,
        cell_head=cell_head,
        reference=reference,
        caption=caption,
        toc_title=toc_title,
        toc=toc,
        cover_course=cover_course,
        cover_title=cover_title,
        cover_subtitle=cover_subtitle,
        cover_label=cover_label,
        cover_value=cover_value,
    )
