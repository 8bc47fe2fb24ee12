"""The reading edition as a text plan: every section, slide and summary point of an edition as
headings, paragraphs, lists, tables and figures that the PDF and HTML writers draw alike."""

from __future__ import annotations

from pathlib import Path
from typing import assert_never

from slidegen.layout.shapes import reading_shares
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
    ReadingReferences,
    ReadingTable,
    Text,
    Timeline,
)
from slidegen.read.model import (
    Bullets,
    Column,
    Columns,
    Image,
    ImageContent,
    Item,
    Numbered,
    Prose,
    QuoteContent,
    Section,
    SectionContent,
    Slide,
    TableContent,
    TitleContent,
)
from slidegen.read.model import Definitions as ModelDefinitions
from slidegen.read.model import Table as TableModel
from slidegen.read.model import Timeline as ModelTimeline
from slidegen.resolve.edition import Edition

__all__ = ["reading", "REFERENCES_ID"]

#: The anchor of the references list; citations link to it.
REFERENCES_ID = "references"
_CITE_HREF = "#" + REFERENCES_ID


def reading(edition: Edition, language_tag: str = "") -> Reading:
    """The reading edition of `edition`: document information, body and references."""
    r = _Reader(edition)
    o = edition.outline
    blocks: list[ReadingBlock] = []
    for number, section in enumerate(o.sections, start=1):
        blocks += r.section(section, number)
    blocks += r.summary()
    references = None
    if edition.bibliography:
        references = ReadingReferences(
            (Run(edition.labels.references),), tuple(edition.bibliography), REFERENCES_ID
        )
    return Reading(
        language=language_tag or edition.language,
        title=r.text(o.title),
        subtitle=r.text(o.subtitle),
        course=r.text(o.course),
        lecturer=r.text(o.lecturer),
        institution=r.text(o.institution),
        date=edition.date_text or "",
        edition=o.edition or "",
        blocks=tuple(blocks),
        references=references,
    )


class _Reader:
    """Turns the parts of one edition's outline into reading blocks."""

    def __init__(self, edition: Edition) -> None:
        self.edition = edition

    def text(self, value: str | None) -> Text:
        """The rendered runs of a markup string (citations linked to the references)."""
        return self.edition.runs(value, _CITE_HREF) if value else ()

    def paragraphs(self, value: str | None, role: str = "body") -> list[ReadingParagraph]:
        return [
            ReadingParagraph(runs, role)  # type: ignore[arg-type]
            for runs in self.edition.paragraphs(value, _CITE_HREF)
        ]

    def pair(self, term: str, text: str) -> Pair:
        return Pair(self.text(term), self.text(text))

    def items(self, items: tuple[Item, ...]) -> tuple[ReadingItem, ...]:
        return tuple(ReadingItem(self.text(i.text), self.items(i.items)) for i in items)

    def section(self, section: Section, number: int) -> list[ReadingBlock]:
        title = self.text(section.title)
        slides = list(section.slides)
        # a first slide titled as its section gets no heading of its own under the section's
        first = slides[0] if slides else None
        merged = first is not None and runs_text(self.text(first.title)) == runs_text(title)
        also = ("slide-" + first.id,) if merged and first is not None else ()
        out: list[ReadingBlock] = [ReadingHeading(1, title, f"sec-{number}", also)]
        if section.subtitle:
            out.append(ReadingParagraph(self.text(section.subtitle), "lead"))
        for slide in slides:
            if slide is not first or not merged:
                out.append(ReadingHeading(2, self.text(slide.title), "slide-" + slide.id))
            out += self.slide(slide)
        return out

    def slide(self, slide: Slide) -> list[ReadingBlock]:
        """The content of one authored slide (its title excluded), in reading order."""
        out: list[ReadingBlock] = []
        if slide.subtitle:
            out.append(ReadingParagraph(self.text(slide.subtitle), "subtitle"))
        out += self.content(slide)
        out += self.paragraphs(slide.handout or slide.notes, "notes")
        return out

    def content(self, slide: Slide) -> list[ReadingBlock]:
        """The blocks of each kind; a kind left out here is an error for mypy (`assert_never`)."""
        match slide.content:
            case TitleContent() | SectionContent():
                return []
            case Bullets(bullets=items) | Numbered(numbered=items):
                numbered = isinstance(slide.content, Numbered)
                return [Points((ReadingList(self.items(items), numbered),))] if items else []
            case Columns(columns=columns):
                points = [b for column in columns for b in self.column(column)]
                return [Points(tuple(points))] if points else []
            case Prose(prose=text):
                return list(self.paragraphs(text))
            case ModelDefinitions(definitions=terms):
                pairs = tuple(self.pair(d.term, d.text) for d in terms)
                return [Definitions(pairs)] if pairs else []
            case ModelTimeline(timeline=events):
                pairs = tuple(self.pair(e.date, e.text) for e in events)
                return [Timeline(pairs)] if pairs else []
            case QuoteContent(quote=q):
                text = q.text if q.callout else f"“{q.text}”"
                return [ReadingQuote(self.text(text), self.text(q.source), q.callout)]
            case ImageContent(image=image):
                return [self.figure(image)]
            case TableContent(table=table):
                return [self.table(table)]
            case unknown:
                assert_never(unknown)

    def column(self, column: Column) -> list[ReadingHeading | ReadingParagraph | ReadingList]:
        out: list[ReadingHeading | ReadingParagraph | ReadingList] = []
        if column.heading:
            out.append(ReadingHeading(3, self.text(column.heading)))
        if column.bullets:
            out.append(ReadingList(self.items(column.bullets)))
        out += self.paragraphs(column.prose)
        return out

    def figure(self, image: Image) -> Figure:
        path = Path(image.path)
        if not path.is_absolute():
            path = self.edition.base_dir / path
        found = str(path) if path.is_file() else None
        return Figure(found, runs_text(self.text(image.alt)), self.text(image.caption))

    def table(self, table: TableModel) -> ReadingTable:
        header = tuple(self.text(c) for c in table.header)
        rows = tuple(tuple(self.text(c) for c in row) for row in table.rows)
        return ReadingTable(header, rows, self.text(table.caption), reading_shares(header, rows))

    def summary(self) -> list[ReadingBlock]:
        o = self.edition.outline
        if not o.summary:
            return []
        title = self.text(o.summary_title or self.edition.labels.summary)
        return [ReadingHeading(1, title, "summary"), ReadingList(self.items(o.summary))]
