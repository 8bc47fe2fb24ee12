"""Fingerprints of source text, recorded in translations to tell which parts went stale."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from slidegen.read.model import Outline, Section, Slide
from slidegen.read.walk import iter_items, iter_slide_texts

__all__ = ["fingerprint", "slide_fingerprint", "section_fingerprint", "meta_fingerprint"]


def fingerprint(texts: Iterable[str]) -> str:
    """A short, stable hash of texts; whitespace differences (re-wrapping) do not count."""
    h = hashlib.sha256()
    for text in texts:
        h.update(" ".join(text.split()).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:10]


def slide_fingerprint(slide: Slide) -> str:
    """Fingerprint of every translatable text of a slide."""
    return fingerprint(iter_slide_texts(slide))


def section_fingerprint(section: Section) -> str:
    """Fingerprint of a section's own texts (not its slides)."""
    return fingerprint([section.title, section.subtitle or ""])


def meta_fingerprint(outline: Outline) -> str:
    """Fingerprint of the class's translatable metadata and summary."""
    return fingerprint(
        [
            outline.course,
            outline.title,
            outline.subtitle or "",
            outline.summary_title or "",
            *iter_items(outline.summary),
        ]
    )
