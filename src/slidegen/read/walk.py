"""Walks over the model: every text of a slide or an outline, and the citations in them."""

from __future__ import annotations

from collections.abc import Iterator

from slidegen.markup import Cite, CiteItem, parse
from slidegen.read.model import Item, Outline, Slide

__all__ = ["iter_items", "iter_slide_texts", "iter_texts", "cited_in_order", "CiteKey"]

CiteKey = tuple[CiteItem, ...]


def iter_items(items: tuple[Item, ...] | None) -> Iterator[str]:
    """Texts of nested points, depth first."""
    for item in items or ():
        yield item.text
        yield from iter_items(item.items)


def iter_slide_texts(slide: Slide) -> Iterator[str]:
    """Every translatable string of a slide, in reading order."""
    yield slide.title
    if slide.subtitle:
        yield slide.subtitle
    yield from iter_items(slide.bullets)
    yield from iter_items(slide.numbered)
    if slide.prose:
        yield slide.prose
    for d in slide.definitions or ():
        yield d.term
        yield d.text
    for e in slide.timeline or ():
        yield e.date
        yield e.text
    if slide.quote:
        yield slide.quote.text
        if slide.quote.source:
            yield slide.quote.source
    if slide.image:
        yield slide.image.alt
        if slide.image.caption:
            yield slide.image.caption
    for c in slide.columns or ():
        if c.heading:
            yield c.heading
        yield from iter_items(c.bullets)
        if c.prose:
            yield c.prose
    if slide.table:
        yield from slide.table.header
        for row in slide.table.rows:
            yield from row
        if slide.table.caption:
            yield slide.table.caption
    if slide.notes:
        yield slide.notes
    if slide.handout:
        yield slide.handout


def iter_texts(outline: Outline) -> Iterator[str]:
    """Every string of an outline that can hold markup or citations, in reading order."""
    for value in (outline.course, outline.title, outline.subtitle, outline.lecturer):
        if value:
            yield value
    for section in outline.sections:
        yield section.title
        if section.subtitle:
            yield section.subtitle
        for slide in section.slides:
            yield from iter_slide_texts(slide)
    yield from iter_items(outline.summary)


def cited_in_order(outline: Outline) -> list[CiteKey]:
    """Every citation of the outline, in order of appearance."""
    return [
        span.items for text in iter_texts(outline) for span in parse(text) if isinstance(span, Cite)
    ]
