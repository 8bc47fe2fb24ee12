"""The fields of the source's texts, as translation files and unit ids name them: a walk over
the model's keys giving each text with its path in the translation file and its field id
(``title``, ``bullets/2/items/1``, ``table/rows/1/2``; numbers count from 1)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

from slidegen.read.convert import key_of
from slidegen.read.walk import values

__all__ = ["PathPart", "Field", "walk", "entry_items", "entry_texts", "class_texts"]

#: The class's own texts that are translated (lecturer, institution, edition are optional).
META_FIELDS = ("course", "title", "subtitle", "summary_title", "summary")

#: One step into the translation file: a mapping key, a list index (from 0), or ``"~text"``:
#: the node itself when it is a plain string, else its ``text`` key (a point without sub-points).
PathPart = str | int
#: (path in the translation file, field id parts, source text)
Field = tuple[tuple[PathPart, ...], tuple[str, ...], str]


def walk(
    value: Any,
    keep: Callable[[str], bool],
    path: tuple[PathPart, ...] = (),
    field: tuple[str, ...] = (),
) -> Iterator[Field]:
    """Every text inside a source value that `keep` accepts, in the file's order. The keys
    that hold text are the model's (`read.keys`); a slide's content key is its kind's."""
    if isinstance(value, str):
        if keep(value):
            yield path, field, value
    elif isinstance(value, tuple):
        for i, sub in enumerate(value):
            yield from walk(sub, keep, (*path, i), (*field, str(i + 1)))
    elif dataclasses.is_dataclass(value):
        scalar = getattr(type(value), "SCALAR_FIELD", None)
        for key, sub in values(value):
            if not key.translate or sub is None:
                continue
            if key.name == scalar:
                yield from walk(sub, keep, (*path, "~" + key.yaml), field)
            else:
                yield from walk(sub, keep, (*path, key.yaml), (*field, key.yaml))


def entry_items(value: Any, keep: Callable[[str], bool]) -> Iterator[Field]:
    """The texts of one entry: a slide or section, or the class's own texts given as a
    mapping of field names to values."""
    if isinstance(value, dict):
        for name, sub in value.items():
            yield from walk(sub, keep, (key_of(name),), (key_of(name),))
    else:
        yield from walk(value, keep, (), ())


def _any_text(text: str) -> bool:
    return bool(text.strip())


def entry_texts(value: Any) -> dict[str, str]:
    """Every text of an entry, numbers included, by field id: what its `was:` records."""
    return {"/".join(f): text for _path, f, text in entry_items(value, _any_text)}


def class_texts(outline: Any) -> dict[str, Any]:
    """The class's own translated texts, by field name: the entry `entry_items` walks."""
    return {name: getattr(outline, name) for name in META_FIELDS}
