"""Scaffold a new language: a translation file with every text to translate, source beside it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from slidegen.errors import Location, Problem, UsageError
from slidegen.i18n.fingerprint import meta_fingerprint, section_fingerprint, slide_fingerprint
from slidegen.i18n.merge import needs_translation, translation_path
from slidegen.read.model import Item, Outline, Slide
from slidegen.read.outline import read_outline
from slidegen.read.sources import LANG_PATTERN

__all__ = ["scaffold", "scaffold_text"]

SCHEMA_LINE = "# yaml-language-server: $schema=../docs/translation.schema.json"


def _value(src: str) -> str:
    """The scaffold's value for a source text: empty, or the text itself when it has no words."""
    return json.dumps("" if needs_translation(src) else src, ensure_ascii=False)


@dataclass
class _Writer:
    """Writes YAML lines by hand, so every value has its source text as a comment above it."""

    lines: list[str] = field(default_factory=list)

    def comment(self, col: int, text: str) -> None:
        for line in text.strip("\n").split("\n"):
            self.lines.append((" " * col + "# " + line).rstrip())

    def line(self, col: int, text: str) -> None:
        self.lines.append(" " * col + text)

    def text(self, col: int, key: str, src: str | None, dash: bool = False) -> bool:
        """`key: ""` under its source; with `dash`, the line opens a list entry. Returns
        whether a line was written (nothing is written for an absent source text)."""
        if src is None:
            return False
        self.comment(col - 2 if dash else col, src)
        self.line(col - 2 if dash else col, ("- " if dash else "") + f"{key}: {_value(src)}")
        return True

    def items(self, col: int, key: str, items: tuple[Item, ...], dash: bool = False) -> None:
        if not items:
            return
        self.line(col - 2 if dash else col, ("- " if dash else "") + f"{key}:")
        for item in items:
            if item.items:
                self.text(col + 4, "text", item.text, dash=True)
                self.items(col + 4, "items", item.items)
            else:
                self.comment(col + 2, item.text)
                self.line(col + 2, f"- {_value(item.text)}")

    def cells(self, col: int, key: str, cells: tuple[str, ...], dash: bool = False) -> None:
        self.comment(col - 2 if dash else col, " | ".join(cells))
        flow = "[" + ", ".join(_value(c) for c in cells) + "]"
        self.line(col - 2 if dash else col, ("- " if dash else "") + f"{key}{flow}")

    def slide(self, col: int, slide: Slide) -> None:
        self.line(col, f"{slide.id}:")
        c = col + 2
        self.line(c, f"source: {json.dumps(slide_fingerprint(slide))}")
        self.text(c, "title", slide.title)
        self.text(c, "subtitle", slide.subtitle)
        if slide.bullets is not None:
            self.items(c, "bullets", slide.bullets)
        if slide.numbered is not None:
            self.items(c, "numbered", slide.numbered)
        self.text(c, "prose", slide.prose)
        if slide.definitions:
            self.line(c, "definitions:")
            for d in slide.definitions:
                self.text(c + 4, "term", d.term, dash=True)
                self.text(c + 4, "text", d.text)
        if slide.timeline:
            self.line(c, "timeline:")
            for e in slide.timeline:
                self.text(c + 4, "date", e.date, dash=True)
                self.text(c + 4, "text", e.text)
        if slide.quote:
            self.line(c, "quote:")
            self.text(c + 2, "text", slide.quote.text)
            self.text(c + 2, "source", slide.quote.source)
        if slide.image:
            self.line(c, "image:")
            self.text(c + 2, "alt", slide.image.alt)
            self.text(c + 2, "caption", slide.image.caption)
        if slide.columns:
            self.line(c, "columns:")
            for column in slide.columns:
                first = True
                if column.heading is not None:
                    first = not self.text(c + 4, "heading", column.heading, dash=True)
                if column.bullets:
                    self.items(c + 4, "bullets", column.bullets, dash=first)
                    first = False
                if column.prose is not None:
                    first = not self.text(c + 4, "prose", column.prose, dash=first) and first
                if first:
                    self.line(c + 2, "- {}")
        if slide.table:
            self.line(c, "table:")
            self.cells(c + 2, "header: ", slide.table.header)
            self.line(c + 2, "rows:")
            for row in slide.table.rows:
                self.cells(c + 6, "", row, dash=True)
            self.text(c + 2, "caption", slide.table.caption)
        self.text(c, "notes", slide.notes)
        self.text(c, "handout", slide.handout)


def scaffold_text(outline: Outline, lang: str, source_name: str) -> str:
    """The text of a new translation file of `outline` into `lang`."""
    w = _Writer()
    w.line(0, SCHEMA_LINE)
    w.comment(0, "")
    w.comment(0, f"Translation of {source_name} into '{lang}'.")
    w.comment(0, 'Replace each "" with the translation of the source text in the comment above')
    w.comment(0, "it. Keep inline markup (**bold**, *italic*, [text](url)) and copy citations")
    w.comment(0, "such as [@key] unchanged. Leave the 'source:' fingerprints as they are.")
    w.line(0, "")
    w.line(0, f"translation-of: {outline.id}")
    w.line(0, f"language: {lang}")
    w.line(0, f"source: {json.dumps(meta_fingerprint(outline))}")
    w.text(0, "course", outline.course)
    w.text(0, "title", outline.title)
    w.text(0, "subtitle", outline.subtitle)
    for key, value in (
        ("lecturer", outline.lecturer),
        ("institution", outline.institution),
        ("edition", outline.edition),
    ):
        if value:
            w.comment(0, f"{key}: {value}    (optional: the source's is used when left out)")
    if outline.summary_title is not None:
        w.text(0, "summary-title", outline.summary_title)
    else:
        w.comment(0, "summary-title:    (optional: the localized 'Summary' is used)")
    w.items(0, "summary", outline.summary)
    w.line(0, "")
    w.line(0, "sections:")
    for section in outline.sections:
        w.line(2, f"{section.id}:")
        w.line(4, f"source: {json.dumps(section_fingerprint(section))}")
        w.text(4, "title", section.title)
        w.text(4, "subtitle", section.subtitle)
    w.line(0, "")
    w.line(0, "slides:")
    for i, slide in enumerate(outline.slides()):
        if i:
            w.line(0, "")
        w.slide(2, slide)
    return "\n".join(line.rstrip() for line in w.lines) + "\n"


def scaffold(source: Path, lang: str) -> Path:
    """Create ``<class>.<lang>.yaml`` beside the source outline, holding every text to
    translate (empty) with its source text as a comment above it; never overwrites."""
    if not LANG_PATTERN.match(lang):
        raise UsageError(f"'{lang}' is not a language code (use one such as pt, es, fr, pt-BR)")
    outline = read_outline(source)
    if lang == outline.language:
        raise UsageError(f"'{lang}' is the language of the source outline itself")
    path = translation_path(source, lang)
    if path.exists():
        raise UsageError(
            [
                Problem(
                    "the translation file already exists; it is not overwritten",
                    Location(str(path)),
                    "see what is left to translate with the i18n status",
                )
            ]
        )
    text = scaffold_text(outline, lang, source.name)
    with path.open("x", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return path
