"""Scaffold a new language: a translation file with every text to translate, source beside it."""

from __future__ import annotations

import json
import os
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from slidegen.atomic import create_atomic
from slidegen.errors import Location, Problem, UsageError
from slidegen.i18n.fingerprint import meta_fingerprint, section_fingerprint, slide_fingerprint
from slidegen.i18n.merge import needs_translation, translation_path
from slidegen.read.keys import Key, key_named
from slidegen.read.model import Outline, Slide
from slidegen.read.outline import read_outline
from slidegen.read.sources import LANG_PATTERN
from slidegen.read.walk import values

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
        value = _value(src)
        if "\n\n" in src.strip() and value == '""':  # paragraphs: say how YAML writes them
            value += "  # several paragraphs: write | here, then each paragraph indented below"
        self.line(col - 2 if dash else col, ("- " if dash else "") + f"{key}: {value}")
        return True

    def value(self, col: int, k: Key, value: Any, dash: bool = False) -> bool:
        """A source value under its key: a text (several paragraphs as a `|` block), a list
        (a table's rows and cells in block style, each cell under its source; nothing for an
        empty list of entries) or a mapping. Returns whether a line was written."""
        if value is None or isinstance(value, str):
            return self.text(col, k.yaml, value, dash)
        if not isinstance(value, tuple):
            self.line(col - 2 if dash else col, ("- " if dash else "") + f"{k.yaml}:")
            self.fields(col + 2, value)
            return True
        entry = _entry_type(k.type)
        rows = get_origin(entry) is tuple
        if not value and not rows:
            return False
        self.line(col - 2 if dash else col, ("- " if dash else "") + f"{k.yaml}:")
        for n, v in enumerate(value, 1):
            if entry is str:  # a row of cells: one under the other, each under its source
                self.comment(col + 2, v)
                self.line(col + 2, f"- {_value(v)}")
            elif rows:
                self.line(col + 2, f"- # row {n}")
                for cell in v:
                    self.comment(col + 4, cell)
                    self.line(col + 4, f"- {_value(cell)}")
            elif _plain(v):
                text = getattr(v, v.SCALAR_FIELD)
                self.comment(col + 2, text)
                self.line(col + 2, f"- {_value(text)}")
            elif not self.fields(col + 4, v, dash=True):
                self.line(col + 2, "- {}")
        return True

    def fields(self, col: int, value: Any, dash: bool = False) -> bool:
        """A mapping's texts, key after key (with `dash`, the first line written opens a
        list entry). Returns whether anything was written."""
        written = False
        for k, v in values(value):
            if k.translate and self.value(col, k, v, dash and not written):
                written = True
        return written

    def slide(self, col: int, slide: Slide) -> None:
        self.line(col, f"{slide.id}:")
        self.line(col + 2, f"source: {json.dumps(slide_fingerprint(slide))}")
        self.fields(col + 2, slide)


def _entry_type(tp: Any) -> Any:
    """The type of a list's entries (of an optional list too)."""
    if get_origin(tp) in (Union, types.UnionType):
        tp = next(a for a in get_args(tp) if a is not type(None))
    return get_args(tp)[0]


def _plain(value: Any) -> bool:
    """Whether a list entry is written as plain text: its class allows it (a point) and it
    has no other text (no sub-points)."""
    scalar = getattr(value, "SCALAR_FIELD", None)
    return scalar is not None and not any(
        v for k, v in values(value) if k.translate and k.name != scalar
    )


def scaffold_text(outline: Outline, lang: str, source_name: str) -> str:
    """The text of a new translation file of `outline` into `lang`."""
    w = _Writer()
    w.line(0, SCHEMA_LINE)
    w.comment(0, "")
    w.comment(0, f"Translation of {source_name} into '{lang}'.")
    w.comment(0, 'Replace each "" with the translation of the source text in the comment above')
    w.comment(0, "it. Keep inline markup (**bold**, *italic*, [text](url)) and copy citations")
    w.comment(0, "such as [@key] unchanged. Leave the 'source:' fingerprints and the 'was:'")
    w.comment(0, "records of the source texts as they are: slidegen keeps them.")
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
    w.value(0, key_named(Outline, "summary"), outline.summary)
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
    exists = UsageError(
        [
            Problem(
                "the translation file already exists; it is not overwritten",
                Location(str(path)),
                "see what is left to translate with the i18n status",
            )
        ]
    )
    if os.path.lexists(path):
        raise exists
    from slidegen.i18n.record import with_records  # records build on the scaffold's text

    text = with_records(scaffold_text(outline, lang, source.name), str(path), outline)
    try:
        create_atomic(path, text.encode("utf-8"))  # whole, or not at all; never overwrites
    except FileExistsError:
        raise exists from None
    return path
