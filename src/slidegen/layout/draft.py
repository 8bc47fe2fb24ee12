"""The layout stage's working values: a slide draft, the layout context, the size floor."""

from __future__ import annotations

from dataclasses import dataclass, field

from slidegen.errors import Location, Problem
from slidegen.layout.shapes import Geometry
from slidegen.markup import Run
from slidegen.plan import Shape
from slidegen.read.theme import Theme
from slidegen.resolve.edition import Edition

__all__ = ["FLOOR", "Context", "Draft", "part_id"]

#: No text is set smaller than this, whatever the theme says.
FLOOR = 10.0
#: A shrink of this many points or fewer is routine: counted in the build's summary, not shown.
MINOR_SHRINK = 2.0


@dataclass
class Draft:
    """A slide before numbering: its footer and number are added once the total is known."""

    id: str
    kind: str
    title: str
    shapes: list[Shape]
    section: str | None = None
    notes: tuple[tuple[Run, ...], ...] = ()
    handout: tuple[tuple[Run, ...], ...] = ()
    part: int = 1
    parts: int = 1
    #: the slide's background colour (None: the theme's `colors.background`)
    background: str | None = None
    footer: bool = True
    #: the layout the slide goes on when not its kind's: the one the outline names (its
    #: `layout:` key), or the one its content means (Comparison for two headed columns)
    layout: str | None = None


@dataclass
class Context:
    """What every layout function reads (edition, theme, styler) and the warnings it adds."""

    edition: Edition
    theme: Theme
    style: Geometry
    warnings: list[Problem] = field(default_factory=list)

    def warn(
        self, message: str, slide: str, loc: Location | None = None, hint: str | None = None
    ) -> None:
        where = loc or self.edition.outline.loc  # a generated slide: the class's file
        self.warnings.append(Problem(message, where, hint, severity="warning", slide=slide))

    def shrunk(
        self, largest: float, size: float, slide: str, loc: Location | None, what: str = "text"
    ) -> None:
        """Text set below the theme's largest size: a note when by `MINOR_SHRINK` pt or less,
        else a warning saying what to do."""
        message = f"{what} shrunk from {largest:g} to {size:g} pt to fit"
        if largest - size <= MINOR_SHRINK:
            self.warnings.append(Problem(message, loc, severity="note", slide=slide))
        else:
            hint = "shorten it, move detail to the notes, or split the slide in two"
            self.warn(message, slide, loc, hint)


def part_id(slide_id: str, part: int) -> str:
    """The id of a continuation slide: the first part keeps the id, then 'id#2', 'id#3'…"""
    return slide_id if part == 1 else f"{slide_id}#{part}"
