"""The reading edition's story: the class as a text document, walked from the edition's outline."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, assert_never

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Spacer, Table, TableStyle
from reportlab.platypus import Image as RLImage
from reportlab.platypus import Paragraph as RLParagraph

from slidegen.markup import Run, runs_text
from slidegen.read.model import (
    Bullets,
    Column,
    Columns,
    Definitions,
    Image,
    ImageContent,
    Item,
    Numbered,
    Prose,
    Quote,
    QuoteContent,
    Section,
    SectionContent,
    Slide,
    TableContent,
    Timeline,
    TitleContent,
)
from slidegen.read.model import Table as TableModel
from slidegen.resolve.edition import Edition
from slidegen.write.handout_flow import Heading, Mark
from slidegen.write.pdf_styles import Styles, markup, palette

__all__ = ["reading_story", "slide_text_story", "item_story"]


def _p(edition: Edition, text: str, style: Any) -> RLParagraph:
    return RLParagraph(markup(edition.runs(text)), style)


def item_story(
    edition: Edition, items: tuple[Item, ...], styles: Styles, numbered: bool, level: int = 0
) -> list[Flowable]:
    """Bullet or numbered points, nested by indentation."""
    out: list[Flowable] = []
    indent = 16.0 * level
    for n, item in enumerate(items, start=1):
        bullet = f"{n}." if numbered and level == 0 else ("•" if level == 0 else "–")
        style = styles.bullet.clone(
            f"bullet{level}",
            leftIndent=styles.bullet.leftIndent + indent,
            bulletIndent=styles.bullet.bulletIndent + indent,
        )
        out.append(RLParagraph(markup(edition.runs(item.text)), style, bulletText=bullet))
        out.extend(item_story(edition, item.items, styles, numbered, level + 1))
    return out


def _pairs_table(
    edition: Edition, pairs: Iterable[tuple[str, str]], styles: Styles, width: float
) -> Table:
    """Definitions or timeline events: each term or date in a narrow column beside its text."""
    rows = [(_p(edition, a, styles.h3), _p(edition, b, styles.body)) for a, b in pairs]
    font = styles.body.fontName
    table = Table(rows, colWidths=(width * 0.27, width * 0.73), hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), 10),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LINEBELOW", (0, 0), (-1, -2), 0.4, HexColor("#" + palette().rule)),
            ]
        )
    )
    return table


def _panel(content: list[Any], width: float, font: str) -> Table:
    """The slide's points in a tinted panel with an accent bar, set apart from the prose."""
    panel = Table([[content]], colWidths=[width], splitInRow=1, hAlign="LEFT")
    panel.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("BACKGROUND", (0, 0), (-1, -1), HexColor("#" + palette().panel)),
                ("LINEBEFORE", (0, 0), (0, -1), 2.5, HexColor("#" + palette().accent)),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    panel.spaceAfter = 8
    return panel


def _columns_story(edition: Edition, columns: tuple[Column, ...], styles: Styles) -> list[Any]:
    out: list[Any] = []
    for col in columns:
        if col.heading:
            out.append(_p(edition, col.heading, styles.h3))
        out.extend(item_story(edition, col.bullets, styles, numbered=False))
        for para in edition.paragraphs(col.prose):
            out.append(RLParagraph(markup(para), styles.body))
    return out


def _table(edition: Edition, t: TableModel, styles: Styles, width: float) -> list[Any]:
    header = [_p(edition, cell, styles.cell_head) for cell in t.header]
    rows = [[_p(edition, cell, styles.cell) for cell in row] for row in t.rows]
    ncols = max(1, len(t.header))
    font = styles.body.fontName
    table = Table([header, *rows], colWidths=[width / ncols] * ncols, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), HexColor("#" + palette().primary_light)),
                ("GRID", (0, 0), (-1, -1), 0.5, HexColor("#" + palette().rule)),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    out: list[Any] = [table]
    if t.caption:
        out.append(_p(edition, t.caption, styles.caption))
    else:
        out.append(Spacer(1, 8))
    return out


def _image(edition: Edition, img: Image, styles: Styles, width: float) -> list[Any]:
    path = Path(img.path)
    if not path.is_absolute():
        path = edition.base_dir / path
    out: list[Any] = []
    if path.is_file():
        picture = RLImage(str(path))
        scale = min(1.0, width * 0.8 / picture.imageWidth, 260.0 / picture.imageHeight)
        picture.drawWidth = picture.imageWidth * scale
        picture.drawHeight = picture.imageHeight * scale
        out.append(picture)
    caption = img.caption or img.alt
    out.append(_p(edition, caption, styles.caption))
    return out


def _quote(edition: Edition, q: Quote, styles: Styles) -> list[Any]:
    out: list[Any] = [_p(edition, q.text if q.callout else f"“{q.text}”", styles.quote)]
    if q.source:
        source = styles.quote.clone("source", fontSize=9.5, textColor=HexColor("#666666"))
        out.append(RLParagraph("— " + markup(edition.runs(q.source)), source))
    return out


def _content_story(edition: Edition, slide: Slide, styles: Styles, width: float) -> list[Any]:
    """The story of each kind; a kind left out here is an error for mypy (`assert_never`)."""
    match slide.content:
        case TitleContent() | SectionContent():
            return []
        case Bullets(bullets=items) | Numbered(numbered=items):
            numbered = isinstance(slide.content, Numbered)
            points = item_story(edition, items, styles, numbered=numbered)
            return [_panel(points, width, styles.body.fontName)] if points else []
        case Columns(columns=columns):
            points = _columns_story(edition, columns, styles)
            return [_panel(points, width, styles.body.fontName)] if points else []
        case Prose(prose=text):
            return [RLParagraph(markup(para), styles.body) for para in edition.paragraphs(text)]
        case Definitions(definitions=terms):
            pairs = [(d.term, d.text) for d in terms]
            return [_pairs_table(edition, pairs, styles, width)] if pairs else []
        case Timeline(timeline=events):
            pairs = [(e.date, e.text) for e in events]
            return [_pairs_table(edition, pairs, styles, width)] if pairs else []
        case QuoteContent(quote=quote):
            return _quote(edition, quote, styles)
        case ImageContent(image=image):
            return _image(edition, image, styles, width)
        case TableContent(table=table):
            return _table(edition, table, styles, width)
        case unknown:
            assert_never(unknown)


def slide_text_story(edition: Edition, slide: Slide, styles: Styles, width: float) -> list[Any]:
    """The content of one authored slide as paragraphs, lists and tables (title excluded)."""
    out: list[Any] = []
    if slide.subtitle:
        out.append(_p(edition, slide.subtitle, styles.h3))
    out.extend(_content_story(edition, slide, styles, width))
    learner = edition.paragraphs(slide.handout) or edition.paragraphs(slide.notes)
    for para in learner:
        out.append(RLParagraph(markup(para), styles.body))
    return out


def _section_story(
    edition: Edition, section: Section, number: int, styles: Styles, width: float
) -> list[Any]:
    title = edition.runs(section.title)
    marks = [Mark(f"sec-{number}", runs_text(title), 0)]
    slides = list(section.slides)
    # a first slide titled as its section gets no heading of its own under the section's
    first = slides[0] if slides else None
    if first is not None and runs_text(edition.runs(first.title)) == runs_text(title):
        marks.append(Mark("slide-" + first.id, runs_text(title), 1))
    out: list[Any] = [Heading(markup(title), styles.h1, tuple(marks))]
    if section.subtitle:
        out.append(
            _p(
                edition,
                section.subtitle,
                styles.cover_subtitle.clone("secsub", fontSize=12, leading=16, spaceAfter=8),
            )
        )
    for slide in slides:
        heading = edition.runs(slide.title)
        if slide is not first or len(marks) == 1:
            mark = Mark("slide-" + slide.id, runs_text(heading), 1)
            out.append(Heading(markup(heading), styles.h2, (mark,)))
        out.extend(slide_text_story(edition, slide, styles, width))
    return out


def summary_story(edition: Edition, styles: Styles) -> list[Any]:
    """The summary points, under their heading."""
    outline = edition.outline
    if not outline.summary:
        return []
    title = outline.summary_title or edition.labels.summary
    runs: tuple[Run, ...] = edition.runs(title)
    return [
        Heading(markup(runs), styles.h1, (Mark("summary", runs_text(runs), 0),)),
        *item_story(edition, outline.summary, styles, numbered=False),
    ]


def reading_story(edition: Edition, styles: Styles, width: float) -> list[Any]:
    """Every section of the class as headings and text, then the summary."""
    out: list[Any] = []
    for number, section in enumerate(edition.outline.sections, start=1):
        out.extend(_section_story(edition, section, number, styles, width))
    out.extend(summary_story(edition, styles))
    return out
