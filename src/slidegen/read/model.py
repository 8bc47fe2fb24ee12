"""The typed, immutable model of a class outline; readers build it, writers only read it.

Every field's ``doc`` metadata is the documentation shown in the JSON Schema (``slidegen
schema``) and in editors. YAML keys are the field names with ``_`` written as ``-``.
Strings hold inline markup (``**bold**``, ``*italic*``, ``[text](url)``, ``[@key, p. 3]``);
see ``markup.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeAlias, get_args

from slidegen.errors import Location
from slidegen.read.keys import kind_name

CitationStyle = Literal["abnt", "apa", "chicago"]
#: The handout layouts: notes pages, three slides a page with ruled lines, a reading edition.
HandoutLayout = Literal["notes", "three", "reading"]
#: Layouts a slide may ask for, named as PowerPoint names them: a picture centred under the
#: title with its caption below (Title and Content), beside its caption (Picture with
#: Caption), or filling the slide behind its title (Blank).
SlideLayoutName = Literal["Title and Content", "Picture with Caption", "Blank"]


def doc(text: str, default: Any = None, **extra: Any) -> Any:
    """A dataclass field carrying its documentation (and a default)."""
    meta = {"doc": text, **extra}
    if isinstance(default, tuple | list):
        value = tuple(default)
        return field(default=value, metadata=meta)  # tuples are immutable: safe as default
    return field(default=default, metadata=meta)


def required(text: str, **extra: Any) -> Any:
    """A required dataclass field carrying its documentation."""
    return field(metadata={"doc": text, **extra})


#: Field metadata: ``translate=False`` marks structure (ids, file paths), which translations
#: neither hold nor change; every other text field is translated.
STRUCTURE = {"translate": False}


@dataclass(frozen=True, kw_only=True)
class Item:
    """A bullet or numbered point; a plain string is a point without sub-points."""

    text: str = required("The point, one short line; inline markup allowed.")
    items: tuple[Item, ...] = doc("Sub-points, one level deeper.", ())
    loc: Location | None = field(default=None, compare=False, repr=False)

    SCALAR_FIELD = "text"


@dataclass(frozen=True, kw_only=True)
class Definition:
    """A term and what it means (a glossary entry)."""

    term: str = required("The term, e.g. an acronym.")
    text: str = required("What the term means.")
    loc: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class Event:
    """A dated event on a timeline."""

    date: str = required("When: a year or a date, written as it should appear.")
    text: str = required("What happened.")
    loc: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class Quote:
    """A quotation or a callout."""

    text: str = required("The quoted or highlighted text.")
    source: str | None = doc("Who said or wrote it, or a citation such as [@herz2011].")
    callout: bool = doc("Show as a highlighted callout rather than a quotation.", False)
    loc: Location | None = field(default=None, compare=False, repr=False)

    SCALAR_FIELD = "text"


@dataclass(frozen=True, kw_only=True)
class Image:
    """A picture; its alternative text is required for accessibility."""

    path: str = required("Image file (PNG or JPEG), relative to the outline's folder.", **STRUCTURE)
    alt: str = required("Alternative text describing the picture for people who cannot see it.")
    caption: str | None = doc(
        "Caption shown under the picture (beside it on Picture with Caption)."
    )
    side: Literal["left", "right"] = doc(
        "Picture with Caption: which side the picture is on (the caption takes the other).",
        "left",
    )
    loc: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class Column:
    """One of the columns of a two-column slide."""

    heading: str | None = doc("Heading above the column.")
    bullets: tuple[Item, ...] = doc("Points in the column.", ())
    prose: str | None = doc("A paragraph in the column (instead of, or after, the points).")
    image: Image | None = doc("A picture in the column, under its text (two for two pictures).")
    loc: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class Table:
    """A table with a header row."""

    header: tuple[str, ...] = required("Column headings.")
    rows: tuple[tuple[str, ...], ...] = required("Rows, each with as many cells as the header.")
    caption: str | None = doc("Caption shown under the table.")
    loc: Location | None = field(default=None, compare=False, repr=False)


# --- the slide kinds -------------------------------------------------------------------------
#
# A slide's content is one of these classes. A kind with content has exactly one field, and
# its name is the slide's YAML key (``bullets:``, ``quote:``...); that key sets the kind. A kind
# without content (title, section) is chosen with ``kind:`` and names itself in ``KIND``.
# Adding a kind: see docs/architecture.md, "Adding a slide kind".


@dataclass(frozen=True, kw_only=True)
class TitleContent:
    """A title slide: the slide's title and subtitle, large, on the theme's main colour."""

    KIND: ClassVar[str] = "title"


@dataclass(frozen=True, kw_only=True)
class SectionContent:
    """A divider: the slide's title and subtitle, opening a part of the class."""

    KIND: ClassVar[str] = "section"


@dataclass(frozen=True, kw_only=True)
class Bullets:
    """Bullet points."""

    bullets: tuple[Item, ...] = required("Bullet points, nested with 'items'.")


@dataclass(frozen=True, kw_only=True)
class Numbered:
    """Numbered points."""

    numbered: tuple[Item, ...] = required("Numbered points, nested with 'items'.")


@dataclass(frozen=True, kw_only=True)
class Prose:
    """A short text."""

    prose: str = required("A short paragraph (blank lines separate paragraphs).")


@dataclass(frozen=True, kw_only=True)
class Definitions:
    """A glossary."""

    definitions: tuple[Definition, ...] = required("Terms and their meanings.")


@dataclass(frozen=True, kw_only=True)
class Timeline:
    """Dated events."""

    timeline: tuple[Event, ...] = required("Dated events, in order.")


@dataclass(frozen=True, kw_only=True)
class QuoteContent:
    """A quotation or a callout."""

    quote: Quote = required("A quotation or callout.")


@dataclass(frozen=True, kw_only=True)
class ImageContent:
    """A picture."""

    image: Image = required("A picture with alternative text.")


@dataclass(frozen=True, kw_only=True)
class Columns:
    """Two columns side by side."""

    columns: tuple[Column, ...] = required("Two columns side by side.")


@dataclass(frozen=True, kw_only=True)
class TableContent:
    """A table."""

    table: Table = required("A table.")


#: A slide's content: one of the kinds, in the order the schema lists them.
Content: TypeAlias = (
    TitleContent
    | SectionContent
    | Bullets
    | Numbered
    | Prose
    | Definitions
    | Timeline
    | QuoteContent
    | ImageContent
    | Columns
    | TableContent
)

#: Every kind, in order.
KINDS: tuple[type[Content], ...] = get_args(Content)


@dataclass(frozen=True, kw_only=True)
class Slide:
    """One slide. Give exactly one content key (bullets, numbered, prose, ...); it sets the kind."""

    id: str = required(
        "Stable identifier (letters, digits, '-'); translations refer to it.", **STRUCTURE
    )
    title: str = required("The slide's title.")
    subtitle: str | None = doc("A subtitle, for title and section slides.")
    #: Written inline: the kind's content key is a key of the slide, and ``kind:`` names a kind
    #: without content (see ``read/keys.py``).
    content: Content = required(
        "The slide kind. Usually left out: it follows from the content key given. "
        "Use 'title' or 'section' for a slide with a title and subtitle only.",
        inline="kind",
    )
    notes: str | None = doc("Speaker notes: the full sentences the presenter says.")
    handout: str | None = doc("Longer text for learners, printed beside the slide in the handout.")
    layout: str | None = doc(
        "The layout the slide goes on, by name: one of slidegen's (Title and Content, Two "
        "Content, Title Only, ...) or, on an institution's template, one of the template's. "
        "A picture is placed by it too: 'Title and Content' (centred, caption below), "
        "'Picture with Caption' (caption beside it; a tall picture with a caption gets it by "
        "default) or 'Blank' (the picture fills the slide, the title over a shaded band).",
        **STRUCTURE,
    )
    loc: Location | None = field(default=None, compare=False, repr=False)

    @property
    def kind(self) -> str:
        """The name of the kind this slide is drawn as ('bullets', 'title', ...)."""
        return kind_name(type(self.content))


@dataclass(frozen=True, kw_only=True)
class Section:
    """A part of the class; it opens with a divider slide and appears in the agenda."""

    id: str = required("Stable identifier of the section.", **STRUCTURE)
    title: str = required("The section's title (shown on its divider slide and in the agenda).")
    subtitle: str | None = doc("A line shown under the title on the divider slide.")
    divider: bool = doc("Open the section with a divider slide.", True)
    slides: tuple[Slide, ...] = required("The section's slides, in order.", **STRUCTURE)
    loc: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class Name:
    """A person or organization in a reference (CSL name)."""

    family: str | None = doc("Family name, e.g. Herz.")
    given: str | None = doc("Given names in full, e.g. Monica.")
    literal: str | None = doc("An organization or a name not split into parts, e.g. OEA.")
    loc: Location | None = field(default=None, compare=False, repr=False)

    SCALAR_FIELD = "literal"


ReferenceType = Literal[
    "book",
    "chapter",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "paper-conference",
    "report",
    "thesis",
    "webpage",
    "legislation",
    "treaty",
    "document",
    "dataset",
]


@dataclass(frozen=True, kw_only=True)
class Reference:
    """A bibliographic reference, with CSL field names."""

    id: str = required("Citation key, cited in text as [@key].")
    type: ReferenceType = required("CSL type: book, chapter, article-journal, report, ...")
    title: str = required("Title of the work.")
    author: tuple[Name, ...] = doc("Authors, in order.", ())
    editor: tuple[Name, ...] = doc("Editors, in order.", ())
    container_author: tuple[Name, ...] = doc(
        "Authors of the container (e.g. an organization publishing the book a chapter is in).", ()
    )
    container_title: str | None = doc("Book or journal the work appears in.")
    collection_title: str | None = doc("Series title.")
    collection_number: str | None = doc("Number in the series.")
    number: str | None = doc("Document or report number, e.g. OEA/Ser.D/XV.10.")
    publisher: str | None = doc("Publisher.")
    publisher_place: str | None = doc("Place of publication.")
    issued: str | None = doc("Date of publication: YYYY, YYYY-MM or YYYY-MM-DD.")
    accessed: str | None = doc("Date a web page was read: YYYY-MM-DD.")
    volume: str | None = doc("Volume.")
    issue: str | None = doc("Issue.")
    page: str | None = doc("Pages, e.g. 12-34.")
    edition: str | None = doc("Edition.")
    language: str | None = doc("Language of the work (BCP 47, e.g. es, pt-BR, en).")
    url: str | None = doc("Web address.")
    doi: str | None = doc("DOI, without https://doi.org/.")
    isbn: str | None = doc("ISBN.")
    note: str | None = doc("A note printed with the reference.")
    loc: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class Outline:
    """A class: its metadata, sections of slides, and references."""

    id: str = required("The class identifier; names the output files, e.g. 'my-class'.")
    language: str = required("Language of this outline (BCP 47): en, pt, es, fr, ...")
    course: str = required("Title of the course the class belongs to.")
    title: str = required("Title of the class.")
    sections: tuple[Section, ...] = required("The class's sections, in order.")
    subtitle: str | None = doc("Subtitle of the class.")
    lecturer: str | None = doc("Who gives the class.")
    institution: str | None = doc("Institution the class is given for.")
    date: str | None = doc("Date of this edition (YYYY-MM-DD); shown formatted per language.")
    edition: str | None = doc("Edition label, e.g. '2nd edition'.")
    style: CitationStyle = doc("Citation style: abnt, apa or chicago.", "abnt")
    handout: HandoutLayout = doc(
        "The class's handout layout, built as <id>-handout.pdf: notes (default, or the "
        "course file's handout), three or reading; other layouts asked for on the command "
        "line get files of their own.",
        "notes",
    )
    theme: str | None = doc("Theme: a built-in name or a theme file relative to the outline.")
    agenda: bool = doc("Generate an agenda slide from the section titles.", True)
    summary: tuple[Item, ...] = doc("Points of the generated summary slide at the end.", ())
    summary_title: str | None = doc("Title of the summary slide (default: localized 'Summary').")
    references: tuple[Reference, ...] = doc("The class's references.", ())
    bibliography: tuple[str, ...] = doc(
        "BibTeX (.bib) or CSL-JSON (.json) files to import references from, relative to the "
        "outline.",
        (),
    )
    further_reading: tuple[str, ...] = doc(
        "Keys of references listed even when not cited ('*' for all).", ()
    )
    loc: Location | None = field(default=None, compare=False, repr=False)

    def slides(self) -> tuple[Slide, ...]:
        """Every authored slide, in order."""
        return tuple(s for sec in self.sections for s in sec.slides)
