"""The layout plan: slides as positioned, fitted shapes that every writer draws the same way.

All lengths are in points (1/72 inch), origin at the slide's top-left corner, y downwards.
The plan knows nothing about PowerPoint XML or PDF operators; the layout stage
(``layout/``) makes it and every writer (``write/``) draws it: whatever a writer shows —
document information, labels, sections, the agenda, references, pictures — is here, so no
writer needs the model, the translations or the bibliography.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from slidegen.errors import Problem
from slidegen.markup import Run

Align = Literal["left", "center", "right"]
Anchor = Literal["top", "middle", "bottom"]
#: A bullet hangs this many ems left of its text (every writer draws it there).
HANG = 0.9

#: The roles of text that a layout's placeholder can hold.
PlaceholderRole = Literal[
    "title",
    "subtitle",
    "body",
    "caption",
    "footer",
    "number",
    "date",
    "label",
]
#: The role of a text box: a placeholder's, or text no placeholder holds.
Role = Literal[PlaceholderRole, "quote", "cell", "other"]


@dataclass(frozen=True)
class TextLine:
    """One line of a paragraph as the layout broke it, with its measured width."""

    runs: tuple[Run, ...]
    width: float


@dataclass(frozen=True)
class Paragraph:
    """A paragraph at its fitted size, with the lines it was measured to break into.

    Its lines are ``size × line_spacing`` apart; where a line's baseline sits within that
    height is ``layout_text.first_baseline`` (every writer places lines by that rule).
    """

    runs: tuple[Run, ...]
    size: float
    lines: tuple[TextLine, ...]
    level: int = 0
    bullet: str | None = None
    indent: float = 0.0
    space_before: float = 0.0
    line_spacing: float = 1.15
    align: Align = "left"
    color: str = "000000"
    bold: bool = False
    italic: bool = False
    heading_font: bool = False
    #: with a bullet: the bullet sits `hang` points left of `indent`, where every line starts
    #: (None: 0.9 × size), drawn in `bullet_color`. Without a bullet: a hanging indent, the
    #: first line starts `hang` points left of `indent` and the others at `indent` (None: none)
    hang: float | None = None
    bullet_color: str | None = None
    #: the width (from `indent`) a renderer that wraps text itself must be given so that it
    #: breaks these lines where the layout did (None: the frame's own width)
    wrap_width: float | None = None

    @property
    def bullet_hang(self) -> float:
        """How far left of `indent` the bullet sits (with a bullet), the rule both writers use."""
        return self.hang if self.hang is not None else HANG * self.size


@dataclass(frozen=True)
class TextBox:
    """A frame of text; its paragraphs fit inside (x, y, w, h) less its inset."""

    x: float
    y: float
    w: float
    h: float
    paragraphs: tuple[Paragraph, ...]
    role: Role = "body"
    anchor: Anchor = "top"
    inset: float = 0.0
    fill: str | None = None
    name: str = ""
    #: ornament only (a divider's large number): screen readers skip it
    decorative: bool = False


@dataclass(frozen=True)
class Rect:
    """A filled and/or outlined rectangle (rounded when `radius` > 0)."""

    x: float
    y: float
    w: float
    h: float
    fill: str | None = None
    stroke: str | None = None
    stroke_width: float = 0.0
    radius: float = 0.0
    ellipse: bool = False
    name: str = ""
    #: how opaque the fill is, 0 to 1 (below 1: a scrim over a picture)
    opacity: float = 1.0


@dataclass(frozen=True)
class Line:
    """A straight line."""

    x1: float
    y1: float
    x2: float
    y2: float
    color: str = "000000"
    width: float = 1.0
    name: str = ""


@dataclass(frozen=True)
class Cell:
    """A table cell."""

    paragraphs: tuple[Paragraph, ...]
    fill: str | None = None


@dataclass(frozen=True)
class TableShape:
    """A table; row heights are what the layout measured, columns fill `w`."""

    x: float
    y: float
    w: float
    h: float
    col_widths: tuple[float, ...]
    row_heights: tuple[float, ...]
    cells: tuple[tuple[Cell, ...], ...]
    cell_inset: float = 4.0
    header: bool = True
    grid: str = "BFBFBF"
    name: str = ""


@dataclass(frozen=True)
class Picture:
    """An image placed at (x, y, w, h), its aspect ratio kept."""

    x: float
    y: float
    w: float
    h: float
    path: str
    alt: str
    name: str = ""
    #: the image's bytes when it comes from a template rather than a file (`path` then only
    #: names it, e.g. "slideMaster1.xml: Logo (image2.png)")
    data: bytes | None = None


Shape = TextBox | Rect | Line | TableShape | Picture


@dataclass(frozen=True)
class PlannedSlide:
    """One slide of the deck as the layout placed it."""

    id: str
    kind: str
    title: str
    shapes: tuple[Shape, ...]
    number: int
    #: the id of the section the slide belongs to (see `Plan.sections`)
    section: str | None = None
    notes: tuple[tuple[Run, ...], ...] = ()
    handout: tuple[tuple[Run, ...], ...] = ()
    part: int = 1
    parts: int = 1
    background: str = "FFFFFF"
    #: the name of the layout of `Plan.design` the slide is on ("" for none in particular)
    layout: str = ""
    #: on an institution's template: what its master and layout draw under the slide's shapes
    #: (the deck shows them from the template; the handout's miniatures draw them)
    backdrop: tuple[Shape, ...] = ()


#: The standard layouts, in the order of PowerPoint's Office theme, with the layout type
#: PowerPoint gives each (ST_SlideLayoutType): the names slidegen's layouts go by.
LAYOUT_TYPES: dict[str, str] = {
    "Title Slide": "title",
    "Title and Content": "obj",
    "Section Header": "secHead",
    "Two Content": "twoObj",
    "Comparison": "twoTxTwoObj",
    "Title Only": "titleOnly",
    "Blank": "blank",
    "Content with Caption": "objTx",
    "Picture with Caption": "picTx",
}

PlaceholderType = Literal[
    "title", "ctrTitle", "subTitle", "body", "obj", "pic", "dt", "ftr", "sldNum"
]
#: What fills a placeholder on a slide: a text box of that role, a picture or a table.
Fill = Literal[PlaceholderRole, "picture", "table", ""]


@dataclass(frozen=True)
class Placeholder:
    """A placeholder of a layout: its type and idx (how a slide's shape refers to it), its
    frame, and which of a slide's shapes fills it (the first of that role not yet placed)."""

    type: PlaceholderType
    idx: int
    x: float
    y: float
    w: float
    h: float
    fills: Fill = ""
    name: str = ""


@dataclass(frozen=True)
class SlideLayout:
    """A named layout of the deck's master: placeholders, background and its own shapes (what
    a slide added on it in PowerPoint shows)."""

    name: str
    placeholders: tuple[Placeholder, ...]
    background: str | None = None  # RRGGBB; None: the master's
    shapes: tuple[Shape, ...] = ()
    #: in a template: the layout's master and its position among the master's layouts
    ref: tuple[int, int] | None = None


@dataclass(frozen=True)
class TextStyle:
    """A placeholder's text style at one outline level."""

    size: float
    color: str
    bold: bool = False
    bullet: str | None = None
    bullet_color: str | None = None
    indent: float = 0.0  # where the text starts, from the frame's left
    hang: float = 0.0  # how far left of `indent` the bullet sits
    line_spacing: float = 1.15
    space_before: float = 0.0


#: The twelve colour slots of a PowerPoint theme, in the order the theme part lists them.
THEME_COLOR_SLOTS = (
    "dk1",
    "lt1",
    "dk2",
    "lt2",
    "accent1",
    "accent2",
    "accent3",
    "accent4",
    "accent5",
    "accent6",
    "hlink",
    "folHlink",
)


@dataclass(frozen=True)
class Design:
    """The deck's theme, master and layouts, as the layout stage designed them from the theme:
    what an instructor gets when adding a slide in PowerPoint."""

    name: str
    #: the theme's colour slots in order: dk1 lt1 dk2 lt2 accent1-6 hlink folHlink (RRGGBB)
    colors: tuple[str, ...]
    heading_font: str
    body_font: str
    background: str
    title: TextStyle
    body: tuple[TextStyle, ...]  # per outline level, from the first
    footer: TextStyle
    layouts: tuple[SlideLayout, ...]
    #: the footer's text, for the footer placeholders of the master and layouts
    footer_text: str = ""
    #: the institution's template file the deck is built on (None: slidegen's own design)
    template: str | None = None

    def layout(self, name: str) -> SlideLayout | None:
        """The layout of that name (None when the design has none)."""
        return next((lay for lay in self.layouts if lay.name == name), None)


@dataclass(frozen=True)
class FontFamily:
    """A family the deck names and the bundled files that measure it and draw it in PDFs: its
    metric twin (Calibri → Carlito), or a wider stand-in when slidegen knows no twin."""

    deck_name: str
    #: the bundled family, e.g. "Carlito" (the name `fonts` measures it by)
    twin: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    #: the regular face's ascent, as a share of the size (where a line's baseline sits)
    ascent: float = 0.905
    #: False: no metric twin is known; measured conservatively with a wider font
    exact: bool = True

    def file(self, bold: bool, italic: bool) -> str:
        """The file of a weight and style."""
        return (self.regular, self.bold, self.italic, self.bold_italic)[bold + 2 * italic]


@dataclass(frozen=True)
class FontFiles:
    """The families the deck names for each text role and the files that measure and draw
    them: titles and headings in the heading (major) family, the rest in the body (minor)."""

    body: FontFamily
    heading: FontFamily

    def of(self, heading: bool) -> FontFamily:
        """The family of a paragraph (`Paragraph.heading_font`)."""
        return self.heading if heading else self.body

    @property
    def families(self) -> tuple[FontFamily, ...]:
        """The distinct families, body first."""
        return (self.body,) if self.heading == self.body else (self.body, self.heading)


@dataclass(frozen=True)
class Labels:
    """Every fixed string a writer shows, in the edition's language."""

    agenda: str
    summary: str
    references: str
    further_reading: str
    notes: str
    contents: str
    continued: str
    continued_part: str  # the title mark of a third or later part: "{part}" is replaced
    page_of: str  # "{page}" and "{pages}" are replaced
    slide: str  # "{number}" is replaced
    slide_of: str  # "{number}" and "{total}" are replaced
    course: str
    lecturer: str
    institution: str
    language: str
    edition: str
    handout: str
    reading_edition: str
    speaker_notes: str
    section: str
    language_name: str
    #: the locale's digit grouping symbol, for numbers the writers count themselves (pages)
    group: str = ","

    def number(self, value: int) -> str:
        """A count written as the locale writes it (1,000 / 1.000)."""
        return f"{value:,}".replace(",", self.group)

    def page(self, page: int, pages: int) -> str:
        """ "Page x of y" with the numbers written per locale."""
        return self.page_of.format(page=self.number(page), pages=self.number(pages))


@dataclass(frozen=True)
class DocumentInfo:
    """What the edition is: its texts as rendered runs, and its language."""

    title: tuple[Run, ...]
    course: tuple[Run, ...]
    subtitle: tuple[Run, ...] = ()
    lecturer: tuple[Run, ...] = ()
    institution: tuple[Run, ...] = ()
    #: the edition label as written in the outline, e.g. "2nd edition"
    edition: str = ""
    #: the outline's date (YYYY-MM-DD, YYYY-MM or as written) and as the locale writes it
    date: str = ""
    date_text: str = ""
    #: the edition's language as given ("es") and its BCP 47 tag ("es-ES")
    lang: str = "en"
    tag: str = "en-US"


@dataclass(frozen=True)
class PlannedSection:
    """A numbered section of the edition: its rendered title, and the slide it starts at."""

    id: str
    number: int
    title: tuple[Run, ...]
    subtitle: tuple[Run, ...] = ()
    #: the number of the section's first slide in the deck (its divider when it has one)
    first_slide: int = 0


AgendaTarget = Literal["section", "summary", "references"]


@dataclass(frozen=True)
class AgendaEntry:
    """One line of the agenda a writer shows (the deck's agenda slide is laid out already)."""

    target: AgendaTarget
    title: tuple[Run, ...]
    subtitle: tuple[Run, ...] = ()
    #: the section's id for a section entry
    section: str | None = None
    number: int | None = None
    #: the number of the slide the entry leads to (0: no slide, e.g. the handout's references)
    slide: int = 0


def blocks_height(paragraphs: tuple[Paragraph, ...] | list[Paragraph]) -> float:
    """Height of stacked paragraphs: space before each but the first, then their lines."""
    total = 0.0
    for i, p in enumerate(paragraphs):
        if i:
            total += p.space_before
        total += p.size * p.line_spacing * len(p.lines)
    return total


def line_tops(paragraphs: tuple[Paragraph, ...] | list[Paragraph], top: float) -> list[list[float]]:
    """The top of every line of stacked paragraphs whose first line starts at `top`."""
    out: list[list[float]] = []
    cursor = top
    for i, p in enumerate(paragraphs):
        if i:
            cursor += p.space_before
        lh = p.size * p.line_spacing
        out.append([cursor + n * lh for n in range(len(p.lines))])
        cursor += lh * len(p.lines)
    return out


def first_baseline(p: Paragraph, ascent: float) -> float:
    """How far below the top of each of its lines a paragraph's baseline sits.

    The line is ``size × line_spacing`` tall and the font's ascent and descent are centered
    in it; every writer places lines this way (`ascent` is `Plan.fonts.ascent`).
    """
    return (p.size * p.line_spacing - p.size) / 2 + p.size * ascent


@dataclass(frozen=True)
class Plan:
    """The laid-out deck of one edition."""

    width: float
    height: float
    language: str
    slides: tuple[PlannedSlide, ...]
    fonts: FontFiles
    info: DocumentInfo
    labels: Labels
    title: str = ""
    warnings: tuple[Problem, ...] = ()
    sections: tuple[PlannedSection, ...] = ()
    #: the agenda of the handout's cover (the deck's agenda slide is among `slides`)
    agenda: tuple[AgendaEntry, ...] = ()
    #: the formatted references, one entry each, in the order of the reference list
    references: tuple[tuple[Run, ...], ...] = ()
    #: the summary slide's title (empty when the class has no summary)
    summary_title: tuple[Run, ...] = ()
    #: The theme's two brand colours (RRGGBB): the handout's headings, cover and rules follow
    #: them, so that a re-coloured theme re-colours the handout too.
    primary: str = "1B3A5C"
    accent: str = "E07A1F"
    #: The class as a text document (see "Reading edition" below).
    reading: Reading | None = None
    #: the deck's master and layouts (None: python-pptx's stock master, for hand-made plans)
    design: Design | None = None


# === Reading edition =========================================================================
# The class as a text document: made by `layout.reading` from the edition, drawn by the
# handout's reading layout (`write.reading_pdf`) and the HTML edition (`write.html`). Texts
# are rendered runs (citations formatted; a citation's runs link to "#references"). Heading
# ids are the anchors both writers use ("sec-1", "slide-<id>", "summary", "references").

#: Formatted text: one paragraph, list item or cell.
Text = tuple[Run, ...]


@dataclass(frozen=True)
class ReadingHeading:
    """A heading: level 1 a section or the summary, 2 a slide, 3 a heading within a slide."""

    level: int
    runs: Text
    #: the anchor of this heading ("" for a level-3 heading, which has none)
    id: str = ""
    #: further anchors that land here (a first slide titled as its section has no heading
    #: of its own: its anchor is the section's heading)
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReadingParagraph:
    """A paragraph: body prose, a section's lead line, a slide's subtitle, or the notes
    (the handout text, or else the speaker notes) that explain a slide to learners."""

    runs: Text
    role: Literal["body", "lead", "subtitle", "notes"] = "body"


@dataclass(frozen=True)
class ReadingItem:
    """A point of a list, with its sub-points."""

    runs: Text
    items: tuple[ReadingItem, ...] = ()


@dataclass(frozen=True)
class ReadingList:
    """Bullet or numbered points, nested."""

    items: tuple[ReadingItem, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Pair:
    """A term and its meaning, or a date and its event."""

    term: Text
    text: Text


@dataclass(frozen=True)
class Definitions:
    """Terms and their meanings (a glossary)."""

    pairs: tuple[Pair, ...]


@dataclass(frozen=True)
class Timeline:
    """Dated events in order (`Pair.term` holds the date)."""

    pairs: tuple[Pair, ...]


@dataclass(frozen=True)
class ReadingQuote:
    """A quotation (its runs include the quotation marks) or a callout, with its source."""

    runs: Text
    source: Text = ()
    callout: bool = False


@dataclass(frozen=True)
class Figure:
    """A picture: its file resolved and checked (None: not found), alt text and caption."""

    path: str | None
    alt: str
    caption: Text = ()


@dataclass(frozen=True)
class ReadingTable:
    """A table with its header row and an optional caption."""

    header: tuple[Text, ...]
    rows: tuple[tuple[Text, ...], ...]
    caption: Text = ()
    #: each column's share of the table's width, from its content (empty: equal shares)
    shares: tuple[float, ...] = ()


@dataclass(frozen=True)
class Points:
    """A slide's points (lists, and columns as a heading with points and prose), set apart
    from the prose around them: the PDF draws them in a tinted panel."""

    blocks: tuple[ReadingHeading | ReadingParagraph | ReadingList, ...]


ReadingBlock = (
    ReadingHeading
    | ReadingParagraph
    | ReadingList
    | Points
    | Definitions
    | Timeline
    | ReadingQuote
    | Figure
    | ReadingTable
)


@dataclass(frozen=True)
class ReadingReferences:
    """The references list: its heading and anchor, and each formatted entry."""

    title: Text
    entries: tuple[Text, ...]
    id: str = "references"


@dataclass(frozen=True)
class Reading:
    """The reading edition of one class in one language: document information, the body
    (every section, then the summary) and the references."""

    language: str = ""
    title: Text = ()
    subtitle: Text = ()
    course: Text = ()
    lecturer: Text = ()
    institution: Text = ()
    date: str = ""
    edition: str = ""
    blocks: tuple[ReadingBlock, ...] = ()
    references: ReadingReferences | None = None
