"""The layout plan: slides as positioned, fitted shapes that every writer draws the same way.

All lengths are in points (1/72 inch), origin at the slide's top-left corner, y downwards.
The plan knows nothing about PowerPoint XML or PDF operators; ``layout.py`` makes it,
``write_pptx.py`` and ``write_pdf.py`` draw it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from slidegen.errors import Problem
from slidegen.markup import Run

Align = Literal["left", "center", "right"]
Anchor = Literal["top", "middle", "bottom"]
Role = Literal[
    "title", "subtitle", "body", "caption", "footer", "number", "label", "quote", "cell", "other"
]


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


Shape = TextBox | Rect | Line | TableShape | Picture


@dataclass(frozen=True)
class PlannedSlide:
    """One slide of the deck as the layout placed it."""

    id: str
    kind: str
    title: str
    shapes: tuple[Shape, ...]
    number: int
    section: str | None = None
    notes: tuple[tuple[Run, ...], ...] = ()
    handout: tuple[tuple[Run, ...], ...] = ()
    part: int = 1
    parts: int = 1
    background: str = "FFFFFF"


@dataclass(frozen=True)
class FontFiles:
    """The font family named in the deck and the metric-compatible files measured and embedded."""

    deck_name: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    heading_deck_name: str | None = None


@dataclass(frozen=True)
class Plan:
    """The laid-out deck of one edition."""

    width: float
    height: float
    language: str
    slides: tuple[PlannedSlide, ...]
    fonts: FontFiles
    title: str = ""
    warnings: tuple[Problem, ...] = ()
    #: The theme's two brand colours (RRGGBB): the handout's headings, cover and rules follow
    #: them, so that a re-coloured theme re-colours the handout too.
    primary: str = "1B3A5C"
    accent: str = "E07A1F"
