"""Walks over the model: every text of a slide or an outline, and the citations in them."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from slidegen.markup import Cite, CiteItem, parse
from slidegen.read.keys import Key, inline_of, keys
from slidegen.read.model import Item, Outline, Slide

__all__ = [
    "iter_items",
    "iter_slide_texts",
    "iter_texts",
    "cited_in_order",
    "CiteKey",
    "values",
    "texts",
]

CiteKey = tuple[CiteItem, ...]


def iter_items(items: tuple[Item, ...] | None) -> Iterator[str]:
    """Texts of nested points, depth first."""
    for item in items or ():
        yield item.text
        yield from iter_items(item.items)


def iter_slide_texts(slide: Slide) -> Iterator[str]:
    """Every translatable string of a slide, in reading order (see `texts`)."""
    return texts(slide)


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


def values(value: Any) -> Iterator[tuple[Key, Any]]:
    """A model value's keys with their values, in YAML order; an inline field gives its
    kind's key (the tag key and the other kinds' keys are left out)."""
    cls: type = type(value)
    inline = inline_of(cls)
    content = getattr(value, inline.field) if inline else None
    for k in keys(cls):
        if k.kind is not None:
            if isinstance(content, k.kind):
                yield k, getattr(content, k.name)
        elif inline is None or k.name != inline.tag:
            yield k, getattr(value, k.name)


def texts(value: Any) -> Iterator[str]:
    """Every text to translate in a model value, in reading order: a required text always,
    an optional one when it is not empty, list entries in order."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for v in value:
            yield from texts(v)
    elif dataclasses.is_dataclass(value):
        for k, v in values(value):
            if not k.translate or v is None:
                continue
            if isinstance(v, str) and not v and not k.required:
                continue
            yield from texts(v)
