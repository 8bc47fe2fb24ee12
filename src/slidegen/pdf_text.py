"""Formatted runs as reportlab paragraph markup, and the handout's paragraph styles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from .markup import Run, tagged

__all__ = ["Palette", "PALETTE", "Styles", "make_styles", "markup", "esc"]


@dataclass(frozen=True)
class Palette:
    """The handout's colours, as RRGGBB hex strings."""

    accent: str = "1B3A5C"
    accent_light: str = "E3E9F0"
    highlight: str = "E07A1F"
    panel: str = "F2F5F8"
    text: str = "222222"
    muted: str = "666666"
    rule: str = "B8C4D0"
    link: str = "1F5FA8"


PALETTE = Palette()


def esc(text: str) -> str:
    """Text escaped for reportlab's paragraph markup."""
    return escape(text)


def markup(runs: Iterable[Run], link_color: str = PALETTE.link) -> str:
    """Reportlab paragraph markup of formatted runs (bold, italic, clickable links)."""
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


def make_styles(family: str, bold: str, palette: Palette = PALETTE) -> Styles:
    """The handout styles, set in `family` (a registered reportlab font family)."""
    text = HexColor("#" + palette.text)
    accent = HexColor("#" + palette.accent)
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
        textColor=accent,
        spaceBefore=18,
        spaceAfter=10,
    )
    h2 = ParagraphStyle(
        "h2",
        parent=body,
        fontName=bold,
        fontSize=13,
        leading=17,
        textColor=accent,
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
        textColor=accent,
        fontSize=11.5,
        leading=16,
        spaceBefore=4,
        spaceAfter=8,
    )
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=12, spaceAfter=0)
    cell_head = ParagraphStyle("cell_head", parent=cell, fontName=bold, textColor=accent)
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
            textColor=accent,
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
        textColor=accent,
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
