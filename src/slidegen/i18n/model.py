"""The translation file's model: each class derived from a source class, its texts all optional."""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, Union, get_args, get_origin

from slidegen.errors import Location
from slidegen.read.keys import keys
from slidegen.read.model import Image, Item, Section, Slide, doc, required

__all__ = [
    "Texts",
    "ItemText",
    "ImageText",
    "SlideText",
    "SectionText",
    "Translation",
    "TRANSLATION_MODEL",
    "twin",
    "twin_of",
]

_WAS_DOC = (
    "The source text each field of {what} was translated from, by field (title, bullets/2, "
    "table/rows/1/2...): slidegen keeps it, to show exactly what changed in the source."
)
_SOURCE_DOC = (
    "Fingerprint of the source text of {what} when it was translated; a different current "
    "fingerprint marks the translation stale."
)


@dataclass(frozen=True, kw_only=True)
class Texts:
    """Base of every class of the translation file: where its mapping was written."""

    loc: Location | None = field(default=None, compare=False, repr=False)


T = TypeVar("T", bound=type)

#: The twin of each source class, made once.
_TWINS: dict[type, type] = {}


def _twin_type(tp: Any) -> Any:
    """The type of a twin's field: the source's type with classes replaced by their twins."""
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        assert len(args) == 1, f"no twin of the union {tp}"
        return _twin_type(args[0])
    if origin is tuple:
        return tuple[_twin_type(get_args(tp)[0]), ...]  # type: ignore[misc]
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return twin(tp)
    return tp


def _make(source: type, cls: type) -> type:
    """Give `cls` the twin fields of `source` (each of its texts, optional) and make it a
    frozen dataclass; fields `cls` declares itself (a fingerprint) come first."""
    _TWINS[source] = cls  # before the fields: a point holds points
    notes = dict(cls.__dict__.get("__annotations__", {}))
    for k in keys(source):
        if k.translate:
            notes[k.name] = _twin_type(k.type) | None
            setattr(cls, k.name, None)
    cls.__annotations__ = notes
    scalar = getattr(source, "SCALAR_FIELD", None)
    if scalar is not None and scalar in notes:
        cls.SCALAR_FIELD = scalar  # type: ignore[attr-defined]
    return dataclass(frozen=True, kw_only=True)(cls)


def twin(source: type) -> type:
    """The translation file's class of a source class (made on first use)."""
    found = _TWINS.get(source)
    if found is not None:
        return found
    summary = (source.__doc__ or "").strip().splitlines()[0]
    text = "The translated texts of " + summary[:1].lower() + summary[1:]
    return _make(source, type(source.__name__ + "Text", (Texts,), {"__doc__": text}))


def twin_of(source: type) -> Callable[[T], T]:
    """Declare a twin by hand, to name it in types or document it; its fields are derived."""

    def make(cls: T) -> T:
        made: T = _make(source, cls)  # type: ignore[assignment]
        return made

    return make


@twin_of(Item)
class ItemText(Texts):
    """A translated point; a plain string is a point without sub-points."""


@twin_of(Image)
class ImageText(Texts):
    """A picture's translated texts, and its own file when the language needs one."""

    path: str | None = doc(
        "A picture of this language's own, instead of the source's (a chart with words in "
        "it), relative to the folder of the files; the source's is used when left out."
    )


@twin_of(Section)
class SectionText(Texts):
    """The translated texts of one section."""

    source: str | None = doc(_SOURCE_DOC.format(what="the section"))
    was: dict[str, str] | None = doc(_WAS_DOC.format(what="the section"))


@twin_of(Slide)
class SlideText(Texts):
    """The translated texts of one slide, with the keys of the source slide."""

    source: str | None = doc(_SOURCE_DOC.format(what="the slide"))
    was: dict[str, str] | None = doc(_WAS_DOC.format(what="the slide"))


@dataclass(frozen=True, kw_only=True)
class Translation:
    """One translation file: texts aligned to the source outline by ids."""

    translation_of: str = required("The id of the class translated (the source's 'id').")
    language: str = required("The language of this file, as in its name <class>.<lang>.yaml.")
    source: str | None = doc(_SOURCE_DOC.format(what="the class's title and summary"))
    was: dict[str, str] | None = doc(_WAS_DOC.format(what="the class's title and summary"))
    course: str | None = doc("The course title.")
    title: str | None = doc("The class title.")
    subtitle: str | None = doc("The class subtitle.")
    lecturer: str | None = doc("Who gives the class (the source's is used when left out).")
    institution: str | None = doc("The institution (the source's is used when left out).")
    edition: str | None = doc("The edition label (the source's is used when left out).")
    summary_title: str | None = doc("Title of the summary slide.")
    summary: tuple[ItemText, ...] | None = doc("Summary points, as many as the source's.")
    sections: dict[str, SectionText] | None = doc("Section texts, by section id.")
    slides: dict[str, SlideText] | None = doc("Slide texts, by slide id.")
    loc: Location | None = field(default=None, compare=False, repr=False)


#: The root of the translation file's schema (``slidegen schema --kind translation``).
TRANSLATION_MODEL = Translation
