"""The translation units of a class in one language: each translatable text, where it lives in
the translation file, its translation and its state — what XLIFF and PO exports carry.

A unit's id is ``<class>/<entry>/<field>[/<n>...]``: ``mini/points/bullets/2/items/1``, with the
entry a slide id, ``section:<id>`` or ``_class`` (the class's title and summary), and numbers
counting from 1 (see `fields`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from slidegen.i18n.changes import RECORD_KEY, FieldChange, changes, same_text
from slidegen.i18n.fields import Field, PathPart, class_texts, entry_items
from slidegen.i18n.merge import META_ID, SECTION_PREFIX, Merged, load_merged, needs_translation
from slidegen.read.model import Outline, Slide
from slidegen.read.outline import read_outline
from slidegen.read.sources import translation_path
from slidegen.read.yaml_nodes import load_document, scalar_tag

__all__ = [
    "Unit",
    "Catalog",
    "UnitState",
    "catalog",
    "find_node",
    "META_KEY",
    "PathPart",
    "entry_key",
    "source_texts",
    "source_fields",
    "recorded_texts",
    "entry_path",
]

UnitState = Literal["translated", "missing", "stale"]

#: The entry part of the ids of the class's own texts (course, title, summary).
META_KEY = "_class"


@dataclass(frozen=True)
class Unit:
    """One translatable text of the source, and its translation."""

    id: str
    #: The status id of its entry: a slide id, 'section:<id>' or '(class)'.
    entry: str
    #: The field within the entry: 'title', 'bullets/2/items/1', 'table/rows/1/2'.
    field: str
    #: Where its translation is written in the translation file.
    path: tuple[PathPart, ...]
    source: str
    target: str | None
    state: UnitState
    #: The entry's title in the source (a context note for the translator).
    title: str
    #: The slide's kind, or 'section' / 'class'.
    kind: str
    #: The source text it was translated from, when recorded and different from today's.
    previous: str | None = None


@dataclass(frozen=True)
class Catalog:
    """Every unit of one class in one language."""

    class_id: str
    source_language: str
    language: str
    source: Path
    translation: Path
    units: tuple[Unit, ...]
    #: Status ids of translated entries no longer in the source (their texts are not exported).
    orphans: tuple[str, ...] = ()
    #: Per status id, the fields whose source changed since translated (as recorded in `was:`).
    changes: Mapping[str, tuple[FieldChange, ...]] = dataclasses.field(default_factory=dict)
    #: Status ids of the entries that keep a record of their source texts (`was:`).
    recorded: frozenset[str] = frozenset()

    def unit(self, ident: str) -> Unit | None:
        """The unit of an id, if the class has it."""
        return next((u for u in self.units if u.id == ident), None)


def entry_key(entry: str) -> str:
    """The entry part of a unit id for a status id."""
    return META_KEY if entry == META_ID else entry


def entry_path(entry: str) -> tuple[PathPart, ...]:
    """Where an entry's mapping is in the translation file (the class's: the file itself)."""
    if entry == META_ID:
        return ()
    if entry.startswith(SECTION_PREFIX):
        return ("sections", entry[len(SECTION_PREFIX) :])
    return ("slides", entry)


def _kind(slide: Slide) -> str:
    return slide.kind


def _entries(outline: Outline) -> Iterator[tuple[str, str, str, tuple[PathPart, ...], Any]]:
    """(status id, title, kind, path of its mapping, fields to walk) of every entry."""
    yield META_ID, outline.title, "class", (), class_texts(outline)
    for section in outline.sections:
        fields = {"title": section.title, "subtitle": section.subtitle}
        path: tuple[PathPart, ...] = ("sections", section.id)
        yield SECTION_PREFIX + section.id, section.title, "section", path, fields
        for slide in section.slides:
            yield slide.id, slide.title, _kind(slide), ("slides", slide.id), slide


def _keep(every: bool) -> Callable[[str], bool]:
    """Texts to translate, or (`every`) also those without words, which the scaffold copies."""
    return (lambda t: bool(t.strip())) if every else needs_translation


def _entry_items(value: Any, every: bool = False) -> Iterator[Field]:
    return entry_items(value, _keep(every))


def source_fields(outline: Outline) -> dict[str, dict[str, tuple[tuple[PathPart, ...], str]]]:
    """Every source text, numbers included, by status id and field, with where its translation
    is written in the translation file."""
    return {
        entry: {
            "/".join(field): ((*base, *path), text)
            for path, field, text in _entry_items(value, every=True)
        }
        for entry, _title, _kind, base, value in _entries(outline)
    }


def source_texts(outline: Outline) -> dict[str, dict[str, str]]:
    """Every source text, numbers included, by status id and field: what `was:` records."""
    return {
        entry: {f: text for f, (_path, text) in fields.items()}
        for entry, fields in source_fields(outline).items()
    }


def recorded_texts(root: Node | None, base: tuple[PathPart, ...]) -> dict[str, str]:
    """An entry's recorded source texts (its `was:` mapping), by field."""
    node = find_node(root, (*base, RECORD_KEY))
    if not isinstance(node, MappingNode):
        return {}
    return {
        str(k.value): str(v.value)
        for k, v in node.value
        if isinstance(v, ScalarNode) and isinstance(k, ScalarNode)
    }


def find_node(root: Node | None, path: tuple[PathPart, ...]) -> Node | None:
    """The node at a path of the translation file, or None where it is not written."""
    node = root
    for part in path:
        if node is None:
            return None
        if isinstance(part, int):
            in_list = isinstance(node, SequenceNode) and part < len(node.value)
            node = node.value[part] if in_list else None
        elif part.startswith("~"):
            if isinstance(node, MappingNode):
                node = _child(node, part[1:])
        else:
            node = _child(node, part) if isinstance(node, MappingNode) else None
    return node


def _child(node: MappingNode, key: str) -> Node | None:
    return next((v for k, v in node.value if k.value == key), None)


def _text_of(node: Node | None) -> str | None:
    if isinstance(node, ScalarNode) and scalar_tag(node) in ("str", "int", "float"):
        text = str(node.value)
        return text if text.strip() else None
    return None


def catalog(
    source: Path, lang: str, outline: Outline | None = None, merged: Merged | None = None
) -> Catalog:
    """The units of a class in `lang` (every one missing when it has no translation file);
    pass the outline and its merged translation when they are at hand."""
    outline = outline or read_outline(source)
    path = translation_path(source, lang)
    states: dict[str, str] = {}
    orphans: tuple[str, ...] = ()
    root: Node | None = None
    changed: dict[str, tuple[FieldChange, ...]] = {}
    if path.exists():
        merged = merged or load_merged(source, lang, outline)
        states = {e.id: e.state for e in merged.entries}
        orphans = tuple(e.id for e in merged.entries if e.state == "orphaned")
        root = load_document(path, str(path))[1]
    units: list[Unit] = []
    every = source_texts(outline)
    keeping: set[str] = set()
    for entry, title, kind, base, value in _entries(outline):
        recorded = recorded_texts(root, base)
        if recorded:
            keeping.add(entry)
        found = changes(recorded, every[entry])
        if found:
            changed[entry] = tuple(found)
        for sub_path, field, text in _entry_items(value):
            full = (*base, *sub_path)
            target = _text_of(find_node(root, full))
            was = recorded.get("/".join(field))
            previous = was if was is not None and not same_text(was, text) else None
            state: UnitState = "translated"
            if target is None:
                state = "missing"
            elif previous is not None or (was is None and states.get(entry) == "stale"):
                state = "stale"
            units.append(
                Unit(
                    id="/".join((outline.id, entry_key(entry), *field)),
                    entry=entry,
                    field="/".join(field),
                    path=full,
                    source=text,
                    target=target,
                    state=state,
                    title=title,
                    kind=kind,
                    previous=previous,
                )
            )
    return Catalog(
        outline.id,
        outline.language,
        lang,
        source,
        path,
        tuple(units),
        orphans,
        changed,
        frozenset(keeping),
    )
