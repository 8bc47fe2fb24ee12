"""The reading edition's story: the plan's reading text as reportlab flowables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, assert_never

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Spacer, Table, TableStyle
from reportlab.platypus import Paragraph as RLParagraph

from slidegen.markup import Run, runs_text
from slidegen.plan import (
    Definitions,
    Figure,
    Pair,
    Points,
    Reading,
    ReadingBlock,
    ReadingHeading,
    ReadingItem,
    ReadingList,
    ReadingParagraph,
    ReadingQuote,
    ReadingTable,
    Text,
    Timeline,
)
from slidegen.write.handout_flow import Heading, Mark
from slidegen.write.pdf_styles import Styles, markup, palette
from slidegen.write.pdf_tag_flow import Path as TagPath
from slidegen.write.pdf_tag_flow import (
    Sections,
    TaggedImage,
    TaggedParagraph,
    list_item,
    new_key,
    tag_table,
)

__all__ = ["reading_story", "item_story"]


def _markup(runs: Text) -> str:
    """Paragraph markup of runs; links within the document (a citation's link to the
    references) are left out, as the handout's other layouts have none."""
    return markup(
        replace(r, href=None) if r.href is not None and r.href.startswith("#") else r
        for r in runs
    )


def _p(runs: Text, style: Any, tag: str = "P", path: TagPath = ()) -> RLParagraph:
    return TaggedParagraph(_markup(runs), style, tag=tag, path=path)


def item_story(
    items: tuple[ReadingItem, ...],
    styles: Styles,
    numbered: bool,
    level: int = 0,
    parent: TaggedParagraph | None = None,
) -> list[Flowable]:
    """Bullet or numbered points, nested by indentation (tagged as a list, a nested list
    inside its item's body)."""
    out: list[Flowable] = []
    indent = 16.0 * level
    key = new_key()
    for n, item in enumerate(items, start=1):
        bullet = f"{n}." if numbered and level == 0 else ("•" if level == 0 else "–")
        style = styles.bullet.clone(
            f"bullet{level}",
            leftIndent=styles.bullet.leftIndent + indent,
            bulletIndent=styles.bullet.bulletIndent + indent,
        )
        body = TaggedParagraph(
            _markup(item.runs), style, bulletText=bullet, tag="LBody",
            path=list_item((), key, parent),
        )
        out.append(body)
        out.extend(item_story(item.items, styles, numbered, level + 1, body))
    return out


def _pairs_table(pairs: Sequence[Pair], styles: Styles, width: float) -> Table:
    """Definitions or timeline events: each term or date in a narrow column beside its text."""
    rows = [(_p(p.term, styles.h3), _p(p.text, styles.body)) for p in pairs]
    font = styles.body.fontName
    table = Table(rows, colWidths=(width * 0.27, width * 0.73), hAlign="LEFT")
    tag_table(table, header_rows=0, header_cols=1)  # each term or date heads its row
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
    tag_table(panel, "layout")  # the panel is decoration; its points tag themselves
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


def _table(t: ReadingTable, styles: Styles, width: float) -> list[Any]:
    header = [_p(cell, styles.cell_head) for cell in t.header]
    rows = [[_p(cell, styles.cell) for cell in row] for row in t.rows]
    ncols = max(1, len(t.header))
    font = styles.body.fontName
    widths = [width * s for s in t.shares] if len(t.shares) == ncols else [width / ncols] * ncols
    table = Table([header, *rows], colWidths=widths, repeatRows=1)
    tag_table(table, header_rows=1)
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
        out.append(_p(t.caption, styles.caption))
    else:
        out.append(Spacer(1, 8))
    return out


def _figure(fig: Figure, styles: Styles, width: float) -> list[Any]:
    out: list[Any] = []
    if fig.path is not None:
        picture = TaggedImage(fig.path, fig.alt)
        scale = min(1.0, width * 0.8 / picture.imageWidth, 260.0 / picture.imageHeight)
        picture.drawWidth = picture.imageWidth * scale
        picture.drawHeight = picture.imageHeight * scale
        out.append(picture)
    out.append(_p(fig.caption or (Run(fig.alt),), styles.caption))
    return out


def _heading(h: ReadingHeading, styles: Styles) -> Any:
    if h.level >= 3:
        return _p(h.runs, styles.h3, tag="H3")
    title = runs_text(h.runs)
    marks = (Mark(h.id, title, h.level - 1), *(Mark(a, title, h.level) for a in h.also))
    return Heading(_markup(h.runs), styles.h1 if h.level == 1 else styles.h2, marks)


def _paragraph(para: ReadingParagraph, styles: Styles) -> RLParagraph:
    if para.role == "subtitle":
        return _p(para.runs, styles.h3, tag="H3")
    if para.role == "lead":
        lead = styles.cover_subtitle.clone("secsub", fontSize=12, leading=16, spaceAfter=8)
        return _p(para.runs, lead)
    return _p(para.runs, styles.body)


def _block(block: ReadingBlock, styles: Styles, width: float) -> list[Any]:
    match block:
        case ReadingHeading():
            return [_heading(block, styles)]
        case ReadingParagraph():
            return [_paragraph(block, styles)]
        case ReadingList():
            return item_story(block.items, styles, block.numbered)
        case Points():
            content = [f for b in block.blocks for f in _block(b, styles, width)]
            return [_panel(content, width, styles.body.fontName)]
        case Definitions() | Timeline():
            return [_pairs_table(block.pairs, styles, width)]
        case ReadingQuote():
            quote: TagPath = (("BlockQuote", new_key()),)
            out: list[Any] = [_p(block.runs, styles.quote, path=quote)]
            if block.source:
                source = styles.quote.clone("source", fontSize=9.5, textColor=HexColor("#666666"))
                out.append(TaggedParagraph("— " + _markup(block.source), source, path=quote))
            return out
        case Figure():
            return _figure(block, styles, width)
        case ReadingTable():
            return _table(block, styles, width)
        case _:
            assert_never(block)


def reading_story(reading: Reading, styles: Styles, width: float) -> list[Any]:
    """Every section of the class as headings and text, then the summary (each in a Sect)."""
    sections = Sections()
    out: list[Any] = []
    for block in reading.blocks:
        if isinstance(block, ReadingHeading) and block.level == 1:
            out += sections.at(block.id)
        out += _block(block, styles, width)
    return [*out, *sections.end()]
