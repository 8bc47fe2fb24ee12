"""The translation file's model: frozen dataclasses of its texts, every one optional."""

from __future__ import annotations

from dataclasses import dataclass, field

from slidegen.errors import Location
from slidegen.read.model import doc, required

__all__ = [
    "ItemText",
    "DefinitionText",
    "EventText",
    "QuoteText",
    "ImageText",
    "ColumnText",
    "TableText",
    "SlideText",
    "SectionText",
    "Translation",
    "TRANSLATION_MODEL",
]

_SOURCE_DOC = (
    "Fingerprint of the source text of {what} when it was translated; a different current "
    "fingerprint marks the translation stale."
)


@dataclass(frozen=True, kw_only=True)
class ItemText:
    """A translated point; a plain string is a point without sub-points."""

    text: str | None = None
    items: tuple[ItemText, ...] | None = None
    loc: Location | None = field(default=None, compare=False, repr=False)

    SCALAR_FIELD = "text"


@dataclass(frozen=True, kw_only=True)
class DefinitionText:
    """A translated term and its meaning."""

    term: str | None = None
    text: str | None = None
    loc: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class EventText:
    """A translated timeline event."""

    date: str | None = None
    text: str | None = None
    loc: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class QuoteText:
    """A translated quotation."""

    text: str | None = None
    source: str | None = None
    loc: Location | None = field(default=None, compare=False, repr=False)

    SCALAR_FIELD = "text"


@dataclass(frozen=True, kw_only=True)
class ImageText:
    """A picture's translated alternative text and caption."""

    alt: str | None = None
    caption: str | None = None
    loc: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class ColumnText:
    """A translated column."""

    heading: str | None = None
    bullets: tuple[ItemText, ...] | None = None
    prose: str | None = None
    loc: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class TableText:
    """A translated table."""

    header: tuple[str, ...] | None = None
    rows: tuple[tuple[str, ...], ...] | None = None
    caption: str | None = None
    loc: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class SlideText:
    """The translated texts of one slide, with the keys of the source slide."""

    source: str | None = doc(_SOURCE_DOC.format(what="the slide"))
    title: str | None = None
    subtitle: str | None = None
    bullets: tuple[ItemText, ...] | None = None
    numbered: tuple[ItemText, ...] | None = None
    prose: str | None = None
    definitions: tuple[DefinitionText, ...] | None = None
    timeline: tuple[EventText, ...] | None = None
    quote: QuoteText | None = None
    image: ImageText | None = None
    columns: tuple[ColumnText, ...] | None = None
    table: TableText | None = None
    notes: str | None = None
    handout: str | None = None
    loc: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class SectionText:
    """The translated texts of one section."""

    source: str | None = doc(_SOURCE_DOC.format(what="the section"))
    title: str | None = None
    subtitle: str | None = None
    loc: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class Translation:
    """One translation file: texts aligned to the source outline by ids."""

    translation_of: str = required("The id of the class translated (the source's 'id').")
    language: str = required("The language of this file, as in its name <class>.<lang>.yaml.")
    source: str | None = doc(_SOURCE_DOC.format(what="the class's title and summary"))
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
